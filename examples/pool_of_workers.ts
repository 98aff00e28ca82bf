// Copyright 2026 the denomp authors. MIT license.
// deno-lint-ignore-file no-console
// Python's multiprocessing docs, "Using a pool of workers", ported line for
// line: map, imapUnordered, applyAsync with get({ timeout }), and a
// TimeoutError on a task that sleeps longer than the caller waits.
//
//   deno run --allow-read=. examples/pool_of_workers.ts
import {
  type AsyncResult,
  currentProcess,
  Pool,
  TimeoutError,
} from "@denomp/multiprocessing";

// from multiprocessing import Pool, TimeoutError; import time; import os

/** f(x) = x * x. */
export function f(x: number): number {
  return x * x;
}

/** os.getpid(): the pid of the worker that runs it. */
export function getpid(): number {
  return currentProcess().pid;
}

/** time.sleep(seconds), without blocking the worker's event loop. */
export function sleep(seconds: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, seconds * 1000));
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

if (import.meta.main) { // if __name__ == '__main__':
  // start 4 worker processes
  {
    await using pool = new Pool({ processes: 4 }); // with Pool(processes=4) as pool:

    // print "[0, 1, 4,..., 81]"
    console.log(await pool.map(f, range(10)));

    // print same numbers in arbitrary order
    for await (const i of pool.imapUnordered(f, range(10))) {
      console.log(i);
    }

    // evaluate "f(20)" asynchronously
    let res: AsyncResult<unknown> = pool.applyAsync(f, [20]); // runs in *only* one process
    console.log(await res.get({ timeout: 1000 })); // prints "400"

    // evaluate "os.getpid()" asynchronously
    res = pool.applyAsync(getpid, []); // runs in *only* one process
    console.log(await res.get({ timeout: 1000 })); // prints the PID of that process

    // launching multiple evaluations asynchronously *may* use more processes
    const multipleResults = range(4).map(() => pool.applyAsync(getpid, []));
    console.log(
      await Promise.all(
        multipleResults.map((res) => res.get({ timeout: 1000 })),
      ),
    );

    // make a single worker sleep for 10 seconds
    res = pool.applyAsync(sleep, [10]);
    try {
      console.log(await res.get({ timeout: 1000 }));
    } catch (error) {
      if (!(error instanceof TimeoutError)) throw error;
      console.log("We lacked patience and got a TimeoutError");
    }

    console.log("For the moment, the pool remains available for more work");
  }
  // Leaving the block terminated the pool, as Python's `with` does. In the
  // thread start method each worker is a Web Worker: the sleeping one waits
  // on a timer in its event loop, so Deno stops it at once and the program
  // ends now, not in 10 s (its AsyncResult fails with CancelledError). A
  // worker stuck in synchronous code (a busy loop, or a blocking
  // Atomics.wait instead of the timer) cannot be stopped by Deno 2.9: it is
  // abandoned, its toolkit calls fail, and the program still exits about a
  // second after its main module is done; startMethod "spawn" kills such a
  // worker for real.

  // exiting the 'with'-block has stopped the pool
  console.log("Now the pool is closed and no longer available");
}
