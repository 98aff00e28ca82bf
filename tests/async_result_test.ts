// Copyright 2026 the denomp authors. MIT license.
// AsyncResult, from Pool.applyAsync / mapAsync / starmapAsync. The cases
// marked with a CPython test name are derived from CPython 3.11's
// Lib/test/_test_multiprocessing.py (without its timing assertions).
import assert from "node:assert/strict";
import {
  type AsyncResult,
  CancelledError,
  Pool,
  TimeoutError,
} from "@denomp/multiprocessing";
import * as t from "./fixtures/pool_targets.ts";
import { release, sharedInts, untilSet } from "./_util.ts";

const module = new URL("./fixtures/pool_targets.ts", import.meta.url);

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

/**
 * Collects what reportError() reports while `fn` runs (the global "error"
 * event, prevented so that the test runner does not count it as uncaught).
 */
async function catchReported(fn: () => Promise<void>): Promise<unknown[]> {
  const reported: unknown[] = [];
  const onError = (event: ErrorEvent) => {
    event.preventDefault();
    reported.push(event.error);
  };
  globalThis.addEventListener("error", onError);
  try {
    await fn();
  } finally {
    globalThis.removeEventListener("error", onError);
  }
  return reported;
}

Deno.test("AsyncResult.get() gives the result of applyAsync; ready() and successful() follow (CPython's test_async)", async () => {
  await using pool = new Pool({ processes: 2, module });
  const result: AsyncResult<number> = pool.applyAsync(t.square, [7]);
  assert.equal(await result.get(), 49);
  assert.equal(result.ready(), true);
  assert.equal(result.successful(), true);
  // get() can be called again, and with a timeout once ready.
  assert.equal(await result.get({ timeout: 0 }), 49);
  const named = pool.applyAsync("add", [40, 2]);
  assert.equal(await named.get(), 42);
});

Deno.test("AsyncResult.get({ timeout }) throws TimeoutError while the task runs and can be called again (CPython's test_async_timeout)", async () => {
  const flag = sharedInts(1);
  await using pool = new Pool({ processes: 3, module });
  try {
    const result = pool.applyAsync(t.blockUntil, [flag, 30_000]);
    await assert.rejects(
      result.get({ timeout: 20 }),
      (e: Error) =>
        e instanceof TimeoutError &&
        e.message === "Cannot get result: not ready after 20 ms",
    );
    assert.equal(result.ready(), false);
    // successful() before ready is a mistake, as Python's ValueError.
    assert.throws(
      () => result.successful(),
      (e: Error) =>
        e.constructor === Error && /the result is not ready/.test(e.message),
    );
    // wait() just returns when its timeout runs out.
    await result.wait({ timeout: 10 });
    assert.equal(result.ready(), false);
    release(flag);
    assert.equal(await result.get(), "released");
    assert.equal(result.successful(), true);
  } finally {
    release(flag);
  }
});

Deno.test("AsyncResult.get() and wait() reject with signal.reason when their signal aborts; the task goes on", async () => {
  const flag = sharedInts(1);
  await using pool = new Pool({ processes: 1, module });
  try {
    const result = pool.applyAsync(t.blockUntil, [flag, 30_000]);
    const controller = new AbortController();
    const reason = new Error("stop waiting");
    const waiting = result.get({ signal: controller.signal });
    const waiting2 = result.wait({ signal: controller.signal });
    controller.abort(reason);
    await assert.rejects(waiting, (e) => e === reason);
    await assert.rejects(waiting2, (e) => e === reason);
    await assert.rejects(
      result.get({ signal: AbortSignal.abort(reason) }),
      (e) => e === reason,
    );
    release(flag);
    assert.equal(await result.get(), "released");
  } finally {
    release(flag);
  }
});

Deno.test("Pool.mapAsync() and starmapAsync() give every result in input order (CPython's test_map_async, test_starmap_async, test_map_chunksize, test_empty_iterable)", async () => {
  await using pool = new Pool({ processes: 2, module });
  const squares: AsyncResult<number[]> = pool.mapAsync(t.square, range(10));
  assert.deepEqual(await squares.get(), range(10).map((x) => x * x));
  const tuples = range(100).map((i): [number, number] => [i, 99 - i]);
  assert.deepEqual(
    await pool.starmapAsync(t.add, tuples).get(),
    tuples.map(([a, b]) => a + b),
  );
  const some = tuples.slice(0, 50);
  assert.deepEqual(
    await pool.starmapAsync(t.add, some, { chunksize: 3 }).get(),
    some.map(([a, b]) => a + b),
  );
  // An empty input is ready at once, whatever the chunksize.
  assert.deepEqual(
    await pool.mapAsync(t.square, [], { chunksize: 1 }).get({ timeout: 0 }),
    [],
  );
  // Async inputs are read in the background.
  async function* gen() {
    for (let i = 0; i < 5; i++) yield i;
  }
  assert.deepEqual(
    await pool.mapAsync(t.doubleLater, gen()).get(),
    [0, 2, 4, 6, 8],
  );
});

Deno.test("Pool.mapAsync() calls callback with the results, or errorCallback with the error, once (CPython's test_map_async_callbacks, test_async_error_callback)", async () => {
  await using pool = new Pool({ processes: 2, module });
  const calls: unknown[] = [];
  const callbacks = {
    callback: (value: unknown) => calls.push(value),
    errorCallback: (error: unknown) => calls.push(error),
  };
  await pool.mapAsync(t.square, [1], callbacks).wait();
  assert.deepEqual(calls, [[1]]);
  await pool.mapAsync(t.failAtThree, [3], callbacks).wait();
  assert.equal(calls.length, 2);
  assert.ok(calls[1] instanceof RangeError, String(calls[1]));
  // applyAsync: the errorCallback gets the task's error, get() throws it.
  let seen: unknown = null;
  const failing = pool.applyAsync(t.failOn, [5, 5], {
    errorCallback: (error) => seen = error,
  });
  const error = await failing.get().then(() => null, (e) => e);
  assert.ok(error instanceof RangeError);
  assert.equal(error.message, "bad value 5");
  assert.equal(seen, error);
  assert.equal(failing.successful(), false);
  // wait() never throws the task's error.
  await failing.wait();
});

Deno.test("AsyncResult callbacks run once, before get() returns, also 20k times on a stress load", async () => {
  await using pool = new Pool({ processes: 2, module });
  const n = 20_000;
  let calls = 0;
  let sum = 0;
  const out: AsyncResult<number>[] = [];
  for (let i = 0; i < n; i++) {
    out.push(pool.applyAsync(t.square, [i], {
      callback: (y) => {
        calls++;
        sum += y;
      },
    }));
  }
  let total = 0;
  for (const result of out) total += await result.get();
  assert.equal(calls, n);
  assert.equal(sum, 2666466670000);
  assert.equal(total, 2666466670000);
  // Each callback ran before its own get() returned.
  let before = 0;
  const r = pool.applyAsync(t.square, [3], { callback: () => before++ });
  await r.get();
  assert.equal(before, 1);
});

Deno.test("AsyncResult: a callback that throws breaks neither the pool nor the result; its error is reported as uncaught", async () => {
  await using pool = new Pool({ processes: 2, module });
  const boom = new Error("callback failed");
  let result!: AsyncResult<number>;
  let failed!: AsyncResult<number>;
  const reported = await catchReported(async () => {
    result = pool.applyAsync(t.square, [6], {
      callback: () => {
        throw boom;
      },
    });
    assert.equal(await result.get(), 36);
    failed = pool.applyAsync(t.failOn, [1, 1], {
      errorCallback: () => {
        throw boom;
      },
    });
    await assert.rejects(failed.get(), RangeError);
  });
  assert.deepEqual(reported, [boom, boom]);
  assert.equal(result.successful(), true);
  assert.equal(failed.successful(), false);
  // The pool goes on.
  assert.deepEqual(await pool.mapAsync(t.square, range(100)).get(), [
    ...range(100).map((x) => x * x),
  ]);
  assert.equal(await pool.apply(t.square, [9]), 81);
});

Deno.test("AsyncResult fails with CancelledError when the pool is terminated (CPython's test_terminate)", async () => {
  const gate = sharedInts(3);
  const pool = new Pool({ processes: 2, module });
  try {
    const holder = pool.applyAsync(t.startAndBlock, [gate, 1]);
    await untilSet(gate, 1);
    const errors: unknown[] = [];
    const many = pool.mapAsync(t.square, range(10_000), {
      chunksize: 1,
      errorCallback: (error) => errors.push(error),
    });
    pool.terminate();
    await assert.rejects(many.get(), CancelledError);
    await assert.rejects(holder.get(), CancelledError);
    assert.equal(errors.length, 1);
    assert.ok(errors[0] instanceof CancelledError);
    await pool.join();
  } finally {
    release(gate);
    pool.terminate();
  }
});

Deno.test("AsyncResult fails with the task's timeout, a crash, an abort, or an item that cannot be returned", async (s) => {
  const flag = sharedInts(1);
  await using pool = new Pool({ processes: 2, module });
  try {
    await s.step("per-task timeout", async () => {
      const result = pool.applyAsync(t.blockUntil, [flag, 30_000], {
        timeout: 20,
      });
      await assert.rejects(result.get(), TimeoutError);
    });
    await s.step("a worker that dies", async () => {
      const result = pool.starmapAsync(t.denoExitOn, [[1, 2, 3], [2, 2, 3]], {
        chunksize: 1,
      });
      await assert.rejects(result.get(), /exited with code/);
    });
    await s.step("abort before and while queued", async () => {
      const reason = new Error("stop");
      const errors: unknown[] = [];
      const early = pool.applyAsync(t.square, [1], {
        signal: AbortSignal.abort(reason),
        errorCallback: (e) => errors.push(e),
      });
      await assert.rejects(early.get(), (e) => e === reason);
      const controller = new AbortController();
      const late = pool.mapAsync(t.square, range(10), {
        signal: controller.signal,
      });
      controller.abort(reason);
      await assert.rejects(late.get(), (e) => e === reason);
      assert.deepEqual(errors, [reason]);
    });
    await s.step(
      "a result that cannot be sent back (CPython's test_unpickleable_result)",
      async () => {
        for (let i = 0; i < 20; i++) {
          let seen: unknown = null;
          const result = pool.applyAsync(t.returnsFunction, [], {
            errorCallback: (e) => seen = e,
          });
          await assert.rejects(result.get(), /cannot be sent/);
          assert.ok(seen instanceof Error);
        }
        assert.equal(await pool.apply(t.square, [4]), 16);
      },
    );
  } finally {
    release(flag);
  }
});

Deno.test("AsyncResult results survive close() and join() with maxTasksPerChild 1 (CPython's test_pool_worker_lifetime_early_close)", async () => {
  const pool = new Pool({ processes: 3, maxTasksPerChild: 1, module });
  try {
    const out = range(6).map((i) => pool.applyAsync(t.doubleLater, [i]));
    pool.close();
    await pool.join();
    for (const [i, result] of out.entries()) {
      assert.equal(result.ready(), true);
      assert.equal(await result.get(), 2 * i);
    }
  } finally {
    pool.terminate();
  }
});

Deno.test("Pool.join() waits for mapAsync calls whose async input is still being read", async () => {
  const pool = new Pool({ processes: 2, module });
  try {
    let releaseInput!: () => void;
    const gate = new Promise<void>((resolve) => releaseInput = resolve);
    const slow = async function* () {
      yield 1;
      await gate;
      yield 2;
    };
    const result = pool.mapAsync(t.square, slow());
    pool.close();
    const joined = pool.join();
    releaseInput();
    await joined;
    // join() returned: the tasks of the map have run.
    assert.equal(result.ready(), true);
    assert.deepEqual(await result.get(), [1, 4]);
  } finally {
    pool.terminate();
  }
});

Deno.test("Pool.applyAsync() and mapAsync() throw at the call what can be checked there", async () => {
  await using pool = new Pool({ processes: 1, module });
  assert.throws(
    () => pool.applyAsync(t.add, 3 as unknown as [number, number]),
    TypeError,
  );
  assert.throws(
    () =>
      pool.applyAsync(t.square, [1], {
        callback: 3 as unknown as () => void,
      }),
    /callback must be a function, received 3 \(number\)/,
  );
  assert.throws(
    () =>
      pool.mapAsync(t.square, [1], {
        errorCallback: "x" as unknown as () => void,
      }),
    /errorCallback must be a function/,
  );
  assert.throws(
    () => pool.applyAsync(t.square, [1], { timeout: -1 }),
    RangeError,
  );
  assert.throws(
    () => pool.mapAsync(t.square, [1], { chunksize: 0 }),
    RangeError,
  );
  assert.throws(
    () => pool.mapAsync(t.square, 5 as unknown as number[]),
    TypeError,
  );
  assert.throws(
    () => pool.applyAsync(t.identity, [() => 1] as unknown as [number]),
    /argument list 0 of type function|function/,
  );
  assert.throws(
    () => pool.starmapAsync(t.add, [3] as unknown as [number, number][]),
    /must be an array of arguments/,
  );
  assert.throws(
    () => pool.applyAsync((x: number) => x, [1]),
    /anonymous function/,
  );
  // A sync input is read at the call, as Python's map_async does.
  class SayWhenError extends Error {}
  function* failing() {
    yield 1;
    throw new SayWhenError();
  }
  assert.throws(() => pool.mapAsync(t.square, failing()), SayWhenError);
  // An async input fails the result instead.
  async function* failingAsync() {
    yield 1;
    throw new SayWhenError();
  }
  let seen: unknown = null;
  const result = pool.mapAsync(t.square, failingAsync(), {
    errorCallback: (e) => seen = e,
  });
  await assert.rejects(result.get(), SayWhenError);
  assert.ok(seen instanceof SayWhenError);
  // Bad wait options are refused, ready or not.
  await assert.rejects(result.get({ timeout: -1 }), RangeError);
  await assert.rejects(
    result.wait({ signal: 1 as unknown as AbortSignal }),
    TypeError,
  );
  const pending = pool.applyAsync(t.doubleLater, [1]);
  await assert.rejects(
    pending.get({ timeout: "1" as unknown as number }),
    TypeError,
  );
  assert.equal(await pending.get(), 2);
  // A pool that is not running refuses at the call (Python's ValueError,
  // CPython's test_context).
  pool.close();
  assert.throws(() => pool.applyAsync(t.square, [1]), /the pool is closed/);
  assert.throws(() => pool.mapAsync(t.square, [1]), /the pool is closed/);
  assert.throws(
    () => pool.starmapAsync(t.add, [[1, 2]]),
    /the pool is closed/,
  );
});

Deno.test("AsyncResult: types flow from the task function", async () => {
  await using pool = new Pool({ processes: 1, module });
  const one: AsyncResult<number> = pool.applyAsync(t.square, [2]);
  const many: AsyncResult<number[]> = pool.mapAsync(t.square, [1, 2]);
  const sums: AsyncResult<number[]> = pool.starmapAsync(t.add, [[1, 2]]);
  pool.applyAsync(t.square, [2], {
    callback: (x) => {
      const n: number = x;
      return n;
    },
  });
  pool.mapAsync(t.square, [2], {
    callback: (xs) => {
      const n: number[] = xs;
      return n;
    },
  });
  // @ts-expect-error: square returns number, not string
  const wrong: AsyncResult<string> = pool.applyAsync(t.square, [1]);
  // @ts-expect-error: add takes two numbers
  pool.applyAsync(t.add, [1, "x"]);
  assert.deepEqual(
    [await one.get(), await many.get(), await sums.get(), await wrong.get()],
    [4, [1, 4], [3], 1],
  );
});

Deno.test("AsyncResult inspects as its state, and its value or error", async () => {
  const flag = sharedInts(1);
  await using pool = new Pool({ processes: 1, module });
  try {
    const pending = pool.applyAsync(t.blockUntil, [flag, 30_000]);
    assert.equal(Deno.inspect(pending), 'AsyncResult { state: "pending" }');
    release(flag);
    await pending.wait();
    assert.equal(
      Deno.inspect(pending),
      'AsyncResult { state: "succeeded", value: "released" }',
    );
    const failed = pool.applyAsync(t.failOn, [2, 2]);
    await failed.wait();
    assert.equal(
      Deno.inspect(failed),
      'AsyncResult { state: "failed", error: RangeError: bad value 2 }',
    );
    const listed = pool.mapAsync(t.square, [1, 2]);
    await listed.wait();
    assert.equal(
      Deno.inspect({ listed }),
      '{ listed: AsyncResult { state: "succeeded", value: [ 1, 4 ] } }',
    );
  } finally {
    release(flag);
  }
});
