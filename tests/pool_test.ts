// Copyright 2026 the denomp authors. MIT license.
import assert from "node:assert/strict";
import {
  CancelledError,
  Pool,
  RemoteError,
  SharedMemory,
  TimeoutError,
  WorkerCrashedError,
} from "@denomp/multiprocessing";
import { arenaStats, isPidAlive } from "../dist/lib/_internal.js";
import * as t from "./fixtures/pool_targets.ts";
import {
  runFixture,
  sharedInts as shared,
  untilSet as until,
  untilSetWithin,
} from "./_util.ts";

const module = new URL("./fixtures/pool_targets.ts", import.meta.url);

function release(ints: Int32Array): void {
  Atomics.store(ints, 0, 1);
  Atomics.notify(ints, 0);
}

/** Not exported: tasks naming it must fail. */
function notExported(x: number): number {
  return x;
}

Deno.test("Pool.map() returns the results in input order", async () => {
  await using pool = new Pool({ processes: 2, module });
  const xs = Array.from({ length: 1000 }, (_, i) => i);
  const squares: number[] = await pool.map(t.square, xs);
  assert.deepEqual(squares, xs.map((x) => x * x));
  assert.deepEqual(await pool.map(t.square, xs, { chunksize: 1 }), squares);
  assert.deepEqual(await pool.map(t.square, xs, { chunksize: 7 }), squares);
  assert.deepEqual(await pool.map("square", new Set([3, 4])), [9, 16]);
});

Deno.test("Pool.map() awaits async tasks and reads async iterables", async () => {
  await using pool = new Pool({ processes: 2, module });
  async function* gen() {
    for (let i = 0; i < 5; i++) yield i;
  }
  const doubled: number[] = await pool.map(t.doubleLater, gen());
  assert.deepEqual(doubled, [0, 2, 4, 6, 8]);
});

Deno.test("Pool.map() on an empty input resolves with []", async () => {
  await using pool = new Pool({ processes: 2, module });
  assert.deepEqual(await pool.map(t.square, []), []);
  assert.deepEqual(await pool.starmap(t.add, []), []);
  assert.deepEqual(await Array.fromAsync(pool.imap(t.square, [])), []);
});

Deno.test("Pool.map() stress: 20k one-item tasks on 3 workers give the exact sum", async () => {
  await using pool = new Pool({ processes: 3, module });
  const counter = shared(1);
  const xs = Array.from({ length: 20_000 }, (_, i) => i);
  const out = await pool.map(t.square, xs, { chunksize: 1 });
  assert.equal(out.reduce((a, b) => a + b, 0), 2666466670000);
  // Every task ran exactly once.
  await pool.starmap(t.bump, xs.map((x) => [counter, x]), { chunksize: 1 });
  assert.equal(counter[0], 20_000);
});

Deno.test("Pool.starmap() and Pool.apply() spread argument lists", async () => {
  await using pool = new Pool({ processes: 2, module });
  const sums: number[] = await pool.starmap(t.add, [[1, 2], [3, 4], [5, 6]]);
  assert.deepEqual(sums, [3, 7, 11]);
  const sum: number = await pool.apply(t.add, [20, 22]);
  assert.equal(sum, 42);
  assert.equal(await pool.apply("add", [1, 1]), 2);
  assert.equal(await pool.apply(t.visible, []), 1);
});

Deno.test("Pool.imap() takes the first 1,000 results of an endless generator", async () => {
  await using pool = new Pool({ processes: 2, module });
  let pulled = 0;
  function* naturals() {
    for (let i = 0;; i++) {
      pulled++;
      yield i;
    }
  }
  const out: number[] = [];
  for await (const y of pool.imap(t.square, naturals())) {
    out.push(y);
    if (out.length === 1000) break;
  }
  assert.deepEqual(out, Array.from({ length: 1000 }, (_, i) => i * i));
  // Bounded look-ahead: the window is processes * 32 chunks.
  assert.ok(pulled <= 1000 + 2 * 32 + 1, `pulled ${pulled}`);
});

Deno.test("Pool.imap() with chunksize keeps order; imapUnordered() gives every result", async () => {
  await using pool = new Pool({ processes: 2, module });
  const xs = Array.from({ length: 100 }, (_, i) => i);
  const ordered = await Array.fromAsync(
    pool.imap(t.square, xs, { chunksize: 3 }),
  );
  assert.deepEqual(ordered, xs.map((x) => x * x));
  const unordered = await Array.fromAsync(
    pool.imapUnordered(t.doubleLater, xs, { chunksize: 4 }),
  );
  assert.deepEqual(unordered.sort((a, b) => a - b), xs.map((x) => 2 * x));
});

Deno.test("Pool.imap() throws a task's error when the loop reaches it", async () => {
  await using pool = new Pool({ processes: 2, module });
  const seen: number[] = [];
  await assert.rejects(
    async () => {
      for await (const y of pool.imap(t.failAtThree, [0, 1, 2, 3, 4, 5])) {
        seen.push(y);
      }
    },
    (e: Error) => e instanceof RangeError && e.message === "three",
  );
  assert.deepEqual(seen, [0, 1, 2]);
  // A name that is not exported fails at the first result.
  await assert.rejects(
    Array.fromAsync(pool.imap("noSuchExport", [1, 2, 3])),
    TypeError,
  );
});

// CPython's _test_multiprocessing.py: SayWhenError and
// exception_throwing_generator(total, when), in a sync and an async form.
class SayWhenError extends Error {
  override name = "SayWhenError";
}

function* throwingGenerator(total: number, when: number) {
  if (when === -1) throw new SayWhenError("Somebody said when");
  for (let i = 0; i < total; i++) {
    if (i === when) throw new SayWhenError("Somebody said when");
    yield i;
  }
}

async function* throwingAsyncGenerator(total: number, when: number) {
  for (const x of throwingGenerator(total, when)) {
    await Promise.resolve();
    yield x;
  }
}

const throwingInputs = [
  ["sync", throwingGenerator],
  ["async", throwingAsyncGenerator],
] as const;

/** Iterates to the end: the values yielded, then the error (or null). */
async function drain<T>(
  it: AsyncIterable<T>,
): Promise<{ values: T[]; error: unknown }> {
  const values: T[] = [];
  try {
    for await (const value of it) values.push(value);
  } catch (error) {
    return { values, error };
  }
  return { values, error: null };
}

Deno.test("Pool.imap() yields the results before a failing input, then throws its error (CPython's test_imap_handle_iterable_exception)", async (s) => {
  await using pool = new Pool({ processes: 2, module });
  const squares = (n: number) => Array.from({ length: n }, (_, i) => i * i);
  for (const [kind, gen] of throwingInputs) {
    await s.step(kind, async () => {
      // The input fails at once, twice (the pool is reentrant).
      for (let i = 0; i < 2; i++) {
        const it = pool.imap(t.square, gen(1, -1), { chunksize: 1 });
        await assert.rejects(it.next(), SayWhenError);
      }
      // [total, when, chunksize, results yielded first]: a chunk the input
      // failed in the middle of is not run, as in CPython.
      const cases: [number, number, number, number][] = [
        [10, 3, 1, 3],
        [20, 7, 2, 6],
        [20, 7, 4, 4],
      ];
      for (const [total, when, chunksize, before] of cases) {
        const out = await drain(
          pool.imap(t.square, gen(total, when), { chunksize }),
        );
        assert.deepEqual(out.values, squares(before));
        assert.ok(out.error instanceof SayWhenError, String(out.error));
      }
    });
  }
  // The pool is still usable.
  assert.deepEqual(await pool.map(t.square, [1, 2, 3]), [1, 4, 9]);
});

Deno.test("Pool.imapUnordered() yields every result before a failing input, then throws its error (CPython's test_imap_unordered_handle_iterable_exception)", async (s) => {
  await using pool = new Pool({ processes: 2, module });
  const squares = (n: number) => Array.from({ length: n }, (_, i) => i * i);
  for (const [kind, gen] of throwingInputs) {
    await s.step(kind, async () => {
      for (let i = 0; i < 2; i++) {
        const it = pool.imapUnordered(t.square, gen(1, -1));
        await assert.rejects(it.next(), SayWhenError);
      }
      // CPython only checks that each value is expected and that the error
      // comes; here it comes after every result of the chunks run.
      const cases: [number, number, number, number][] = [
        [10, 3, 1, 3],
        [20, 7, 2, 6],
      ];
      for (const [total, when, chunksize, before] of cases) {
        const out = await drain(
          pool.imapUnordered(t.doubleLater, gen(total, when), { chunksize }),
        );
        assert.deepEqual(
          out.values.sort((a, b) => a - b),
          squares(before).map((_, i) => 2 * i),
        );
        assert.ok(out.error instanceof SayWhenError, String(out.error));
      }
    });
  }
  assert.deepEqual(await pool.map(t.square, [4]), [16]);
});

Deno.test("Pool.imap() and imapUnordered() yield the results before an item that cannot be sent, then throw an error naming it (CPython's imap)", async () => {
  await using pool = new Pool({ processes: 2, module });
  const bad = () => 4;
  // [chunksize, results yielded first]: the chunk holding the bad item is
  // not run, as in CPython.
  const cases: [number, number[]][] = [[1, [1, 2, 3]], [2, [1, 2]], [4, []]];
  for (const ordered of [true, false]) {
    const what = ordered ? "imap" : "imapUnordered";
    for (const [chunksize, before] of cases) {
      let closed = false;
      const input = (function* () {
        try {
          yield* [1, 2, 3, bad, 5, 6];
        } finally {
          closed = true;
        }
      })();
      const it = ordered
        ? pool.imap(t.identity, input, { chunksize })
        : pool.imapUnordered(t.identity, input, { chunksize });
      const out = await drain(it);
      assert.deepEqual(out.values.sort(), before, `${what} ${chunksize}`);
      assert.ok(out.error instanceof TypeError, String(out.error));
      assert.equal(
        (out.error as Error).message,
        `Cannot ${what}: item 3 of type function cannot be sent to a worker`,
      );
      // The input was read no further, and closed.
      assert.equal(closed, true);
    }
  }
  assert.deepEqual(await drain(pool.imap(t.square, [1, 2])), {
    values: [1, 4],
    error: null,
  });
});

Deno.test("Pool.imap() and imapUnordered() yield results while an async input waits for its next item", async () => {
  await using pool = new Pool({ processes: 2, module });
  for (const ordered of [true, false]) {
    let open!: () => void;
    const gate = new Promise<void>((resolve) => open = resolve);
    let closed!: () => void;
    const done = new Promise<void>((resolve) => closed = resolve);
    const input = async function* () {
      try {
        yield 3;
        await gate;
        yield 4;
        yield 5;
      } finally {
        closed();
      }
    };
    const it = ordered
      ? pool.imap(t.square, input())
      : pool.imapUnordered(t.square, input());
    // The input is still waiting at its gate.
    assert.deepEqual(await it.next(), { value: 9, done: false });
    open();
    const rest = await Array.fromAsync(it);
    assert.deepEqual(ordered ? rest : rest.sort(), [16, 25]);
    await done;

    // Left while the input waits: it is closed once its read ends.
    let openAgain!: () => void;
    const again = new Promise<void>((resolve) => openAgain = resolve);
    let closedAgain!: () => void;
    const doneAgain = new Promise<void>((resolve) => closedAgain = resolve);
    let readAfter = 0;
    const waits = async function* () {
      try {
        yield 6;
        await again;
        yield 7;
        readAfter++;
      } finally {
        closedAgain();
      }
    };
    for await (const y of pool.imap(t.square, waits())) {
      assert.equal(y, 36);
      break;
    }
    openAgain();
    await doneAgain;
    assert.equal(readAfter, 0);
  }
});

Deno.test("Pool.imap() still reading its input when the pool is terminated, or closed and joined, throws instead of waiting for ever", async () => {
  // Terminated while the loop waits for its next item.
  const pool = new Pool({ processes: 2, module });
  let open!: () => void;
  const gate = new Promise<void>((resolve) => open = resolve);
  async function* slow() {
    await gate;
    yield 1;
  }
  const waiting = pool.imap(t.square, slow()).next();
  pool.terminate();
  open();
  await assert.rejects(waiting, CancelledError);
  await pool.join();

  // Joined while the loop has input left to read: the tasks it took run.
  const other = new Pool({ processes: 2, module });
  const xs = Array.from({ length: 1000 }, (_, i) => i);
  const it = other.imap(t.square, xs);
  assert.deepEqual(await it.next(), { value: 0, done: false });
  other.close();
  await other.join();
  const out = await drain(it);
  assert.ok(out.values.length < xs.length - 1, String(out.values.length));
  assert.deepEqual(
    out.values,
    xs.slice(1, out.values.length + 1).map((x) => x * x),
  );
  assert.ok(out.error instanceof Error, String(out.error));
  assert.match(
    (out.error as Error).message,
    /closed and its workers have exited/,
  );
  assert.equal(other.state, "closed");
});

Deno.test("Pool.map() and starmap() reject with a failing input's error; the pool stays usable (CPython's test_map_handle_iterable_exception)", async () => {
  await using pool = new Pool({ processes: 2, module });
  for (const gen of [throwingGenerator, throwingAsyncGenerator]) {
    for (let i = 0; i < 2; i++) {
      await assert.rejects(
        pool.map(t.square, gen(1, -1), { chunksize: 1 }),
        SayWhenError,
      );
    }
    await assert.rejects(
      pool.map(t.square, gen(10, 3), { chunksize: 1 }),
      SayWhenError,
    );
  }
  // An iterable whose every next() throws (CPython's SpecialIterable).
  const special: Iterable<number> = {
    [Symbol.iterator]: () => ({
      next(): IteratorResult<number> {
        throw new SayWhenError();
      },
    }),
  };
  await assert.rejects(pool.map(t.square, special), SayWhenError);
  await assert.rejects(
    pool.starmap(t.add, {
      [Symbol.iterator]: () => ({
        next(): IteratorResult<[number, number]> {
          throw new SayWhenError();
        },
      }),
    }),
    SayWhenError,
  );
  assert.deepEqual(await pool.map(t.square, [1, 2, 3]), [1, 4, 9]);
  assert.equal(pool.state, "running");
});

Deno.test("Pool.map() with chunksize 1: a worker dying mid-batch fails that map only; a map sharing the workers completes", async () => {
  await using pool = new Pool({ processes: 2, module });
  const n = 5000;
  // Both maps travel as runs of one-item chunks, interleaved on the workers.
  const dying = pool.starmap(
    t.denoExitOn,
    Array.from({ length: n }, (_, i) => [i, 2500, 3]),
    { chunksize: 1 },
  );
  const other = pool.map(
    t.square,
    Array.from({ length: n }, (_, i) => i),
    { chunksize: 1 },
  );
  await assert.rejects(dying, (error: Error) => {
    assert.ok(error instanceof WorkerCrashedError, String(error));
    assert.equal(error.exitCode, 3);
    return true;
  });
  const squares = await other;
  assert.equal(squares.length, n);
  for (let i = 0; i < n; i++) assert.equal(squares[i], i * i);
  assert.deepEqual(await pool.map(t.square, [1, 2, 3]), [1, 4, 9]);
});

Deno.test("Pool.map() of slow one-item tasks reports progress within a batch and keeps the results in order", async () => {
  await using pool = new Pool({ processes: 2, module });
  // Each task takes longer than a worker's progress interval (5 ms): the
  // worker answers chunk by chunk, not once per batch.
  const out = await pool.starmap(
    t.slowSquare,
    Array.from({ length: 30 }, (_, i) => [i, 6]),
    { chunksize: 1 },
  );
  assert.deepEqual(out, Array.from({ length: 30 }, (_, i) => i * i));
});

Deno.test("Pool.map() rejects with the first task error, its class, message and worker stack", async () => {
  await using pool = new Pool({ processes: 2, module });
  const error = await pool.starmap(
    t.failOn,
    Array.from({ length: 50 }, (_, i) => [i, 17]),
    { chunksize: 1 },
  ).then(() => null, (e) => e);
  assert.ok(error instanceof RangeError);
  assert.equal(error.message, "bad value 17");
  assert.match(error.stack ?? "", /failOn/);
  assert.match(error.stack ?? "", /pool_targets\.ts/);
  const custom = await pool.apply(t.throwCustom, ["broken row"]).then(
    () => null,
    (e) => e,
  );
  assert.ok(custom instanceof RemoteError);
  assert.equal(custom.remoteName, "ParseError");
  assert.equal(custom.message, "broken row");
  assert.match(custom.remoteStack, /throwCustom/);
  // The pool goes on.
  assert.equal(await pool.apply(t.square, [3]), 9);
});

for (
  const [label, fn, args, code] of [
    ["Deno.exit()", "denoExitOn", [5, 5, 3], 3],
    ["exit()", "exitWith", [4], 4],
    ["self.close()", "closeSelf", [], 0],
    ["an uncaught error in a callback", "throwInCallback", [], 1],
  ] as const
) {
  Deno.test(`Pool: a worker dying by ${label} fails only its task; 1,000 others complete`, async () => {
    await using pool = new Pool({ processes: 2, module });
    const others = Array.from(
      { length: 1000 },
      (_, i) => pool.apply(t.square, [i]),
    );
    const crashed = pool.apply(fn, [...args] as never);
    const more = Array.from(
      { length: 1000 },
      (_, i) => pool.apply(t.add, [i, 1]),
    );
    const error = await crashed.then(() => null, (e) => e);
    assert.ok(error instanceof WorkerCrashedError, String(error));
    assert.equal(error.exitCode, code);
    assert.deepEqual(
      await Promise.all(others),
      Array.from({ length: 1000 }, (_, i) => i * i),
    );
    assert.deepEqual(
      await Promise.all(more),
      Array.from({ length: 1000 }, (_, i) => i + 1),
    );
    // Still two workers after the crash.
    const pids = new Set(
      await pool.map(t.pid, Array(200).fill(0), { chunksize: 1 }),
    );
    assert.ok(pids.size >= 1 && pids.size <= 2);
  });
}

Deno.test("Pool: maxTasksPerChild replaces a worker after N tasks (seen through currentProcess().pid)", async () => {
  await using pool = new Pool({ processes: 2, module, maxTasksPerChild: 2 });
  const pids = await pool.map(t.pid, Array(10).fill(0), { chunksize: 1 });
  const counts = new Map<number, number>();
  for (const pid of pids) counts.set(pid, (counts.get(pid) ?? 0) + 1);
  assert.ok(counts.size >= 5, `only ${counts.size} workers`);
  for (const count of counts.values()) assert.ok(count <= 2);
  assert.ok(!pids.includes(Deno.pid));
});

Deno.test("Pool: initializer runs in each worker with initargs", async () => {
  await using pool = new Pool({
    processes: 2,
    module,
    initializer: t.remember,
    initargs: [{ greeting: "hi" }],
  });
  const seen = await pool.map(t.remembered, [1, 2, 3, 4], { chunksize: 1 });
  assert.deepEqual(seen, Array(4).fill({ greeting: "hi" }));
});

Deno.test("Pool starts its workers in the constructor: their initializers run before any task", async () => {
  const out = shared(3);
  const pool = new Pool({
    processes: 2,
    module,
    initializer: t.recordPid,
    initargs: [out],
  });
  // Without a task; bounded, so that a pool that starts nothing fails here.
  for (const slot of [1, 2]) {
    assert.ok(await untilSetWithin(out, slot, 20_000), "no worker started");
  }
  const pids = [out[1]!, out[2]!];
  assert.notEqual(pids[0], pids[1]);
  for (const pid of pids) assert.equal(isPidAlive(pid), true);
  // Closed and joined without a task: nothing of it is left running.
  pool.close();
  await pool.join();
  for (const pid of pids) assert.equal(isPidAlive(pid), false);
  assert.match(Deno.inspect(pool), /workers: 0/);
});

Deno.test("Pool: a task module that starts a pool as it is imported fails the tasks instead of starting workers without end", async () => {
  await using pool = new Pool({
    processes: 1,
    module: new URL("./fixtures/starts_pool_on_load.ts", import.meta.url),
  });
  await assert.rejects(
    pool.apply("square", [3]),
    /Cannot create pool: a new process was started while this one was still importing its task module.*import\.meta\.main/,
  );
});

Deno.test("Pool terminated while its workers are still starting leaves nothing behind", async () => {
  for (let i = 0; i < 3; i++) {
    const pool = new Pool({ processes: 2, module });
    pool.terminate();
    await pool.join();
    assert.match(Deno.inspect(pool), /workers: 0/);
  }
  // A pool disposed at once, before its workers said ready.
  await using _pool = new Pool({ processes: 2, module });
});

Deno.test("Pool: a failing initializer fails the tasks with its error as cause", async () => {
  await using pool = new Pool({
    processes: 1,
    module,
    initializer: "failingInit",
  });
  const error = await pool.apply(t.square, [2]).then(() => null, (e) => e);
  assert.ok(error instanceof Error);
  assert.match(error.message, /initializer failed: init failed/);
  assert.ok(error.cause instanceof TypeError);
  await assert.rejects(pool.apply(t.square, [2]), /initializer failed/);
  // A map given to the broken pool fails as a whole, and the pool still
  // closes and joins (nothing is counted as outstanding).
  await assert.rejects(
    pool.map(t.square, Array.from({ length: 100 }, (_, i) => i), {
      chunksize: 1,
    }),
    /initializer failed/,
  );
  pool.close();
  await pool.join();
});

Deno.test("Pool.apply() timeout fails the task and replaces the busy worker without waiting", async () => {
  const out = shared(3);
  await using pool = new Pool({ processes: 1, module });
  try {
    const blocked = pool.apply(t.pidThenBlock, [out], { timeout: 50 });
    const after = pool.apply(t.square, [7]);
    await assert.rejects(blocked, (error: Error) => {
      assert.ok(error instanceof TimeoutError);
      // A thread Deno cannot stop may still run: the message says so.
      assert.match(error.message, /may still run.*startMethod: "spawn"/);
      return true;
    });
    // The abandoned worker's pid reads dead at once: its toolkit calls fail.
    assert.equal(isPidAlive(out[1]!), false);
    assert.equal(await after, 49);
    assert.equal(await pool.apply(t.square, [8]), 64);
  } finally {
    release(out);
  }
});

Deno.test("Pool.map() with signal: abort cancels work not started and rejects with signal.reason", async () => {
  const gate = shared(3);
  const counter = shared(1);
  await using pool = new Pool({ processes: 1, module });
  try {
    const holder = pool.apply(t.startAndBlock, [gate, 1]);
    await until(gate, 1);
    const controller = new AbortController();
    const mapped = pool.starmap(
      t.bump,
      Array.from({ length: 1000 }, () => [counter]),
      { chunksize: 1, signal: controller.signal },
    );
    await Promise.resolve();
    const reason = new Error("stop");
    controller.abort(reason);
    await assert.rejects(mapped, (e) => e === reason);
    release(gate);
    assert.equal(await holder, 1);
    // Let whatever was already handed to the worker finish.
    assert.equal(await pool.apply(t.square, [2]), 4);
    assert.ok(counter[0]! < 1000, `ran ${counter[0]}`);
  } finally {
    release(gate);
  }
});

Deno.test("Pool.apply() with an aborted signal rejects with its reason and runs nothing", async () => {
  const counter = shared(1);
  await using pool = new Pool({ processes: 1, module });
  const reason = new Error("already");
  await assert.rejects(
    pool.apply(t.bump, [counter], { signal: AbortSignal.abort(reason) }),
    (e) => e === reason,
  );
  await assert.rejects(
    pool.map(t.square, [1], { signal: AbortSignal.abort(reason) }),
    (e) => e === reason,
  );
  assert.equal(await pool.apply(t.bump, [counter]), 1);
});

Deno.test("Pool: a call with an already-aborted signal holds none of its arguments' shared objects", async () => {
  const before = arenaStats();
  await using pool = new Pool({ processes: 1, module });
  const shm = new SharedMemory({ create: true, size: 8 });
  const reason = new Error("already");
  const signal = AbortSignal.abort(reason);
  const is = (e: unknown) => e === reason;
  await assert.rejects(pool.apply(t.identity, [shm], { signal }), is);
  await assert.rejects(
    pool.applyAsync(t.identity, [shm], { signal }).get(),
    is,
  );
  await assert.rejects(pool.map(t.identity, [shm, shm], { signal }), is);
  await assert.rejects(pool.starmap(t.identity, [[shm]], { signal }), is);
  await assert.rejects(
    pool.mapAsync(t.identity, [shm], { signal, chunksize: 1 }).get(),
    is,
  );
  // Aborted while an async input is read.
  const controller = new AbortController();
  async function* input() {
    yield shm;
    controller.abort(reason);
  }
  await assert.rejects(
    pool.mapAsync(t.identity, input(), { signal: controller.signal }).get(),
    is,
  );
  shm.unlink();
  shm.close();
  // Nothing held the block: it went with its creator's handle.
  assert.deepEqual(arenaStats(), before);
  assert.equal(await pool.apply(t.square, [3]), 9);
});

Deno.test("Pool.close() refuses new tasks; join() waits for the given ones", async () => {
  const pool = new Pool({ processes: 2, module });
  try {
    const pending = pool.map(t.doubleLater, [1, 2, 3]);
    await assert.rejects(pool.join(), /close\(\) or terminate\(\) first/);
    pool.close();
    assert.equal(pool.state, "closed");
    await assert.rejects(pool.map(t.square, [1]), /the pool is closed/);
    await assert.rejects(pool.apply(t.square, [1]), /the pool is closed/);
    assert.throws(() => pool.imap(t.square, [1]), /the pool is closed/);
    await pool.join();
    assert.deepEqual(await pending, [2, 4, 6]);
  } finally {
    pool.terminate();
  }
});

Deno.test("Pool.terminate() rejects unfinished tasks with CancelledError", async () => {
  const gate = shared(3);
  const pool = new Pool({ processes: 1, module });
  try {
    const holder = pool.apply(t.startAndBlock, [gate, 1]);
    const queued = pool.map(t.square, [1, 2, 3]);
    await until(gate, 1);
    pool.terminate();
    assert.equal(pool.state, "terminated");
    await assert.rejects(holder, CancelledError);
    await assert.rejects(queued, CancelledError);
    await pool.join();
    pool.terminate(); // idempotent
  } finally {
    release(gate);
  }
});

Deno.test("Pool: a task that is not exported fails with a TypeError naming the module", async () => {
  await using pool = new Pool({ processes: 1, module });
  await assert.rejects(
    pool.apply(notExported, [1]),
    (e: Error) =>
      e instanceof TypeError && /not exported by/.test(e.message) &&
      e.message.includes("pool_targets.ts"),
  );
});

Deno.test("Pool: a result that cannot be sent fails its own task only", async () => {
  await using pool = new Pool({ processes: 1, module });
  const bad = pool.apply(t.returnsFunction, []);
  const good = pool.apply(t.square, [5]);
  await assert.rejects(bad, /cannot be sent/);
  assert.equal(await good, 25);
});

Deno.test("Pool rejects bad input without starting work", async (s) => {
  await s.step("constructor", () => {
    assert.throws(() => new Pool({ processes: 0 }), RangeError);
    assert.throws(() => new Pool({ processes: 1.5 }), RangeError);
    assert.throws(
      () => new Pool({ processes: "2" as unknown as number }),
      TypeError,
    );
    assert.throws(() => new Pool({ maxTasksPerChild: 0 }), RangeError);
    assert.throws(
      () => new Pool({ initargs: 3 as unknown as unknown[] }),
      TypeError,
    );
    assert.throws(
      () => new Pool({ initializer: [() => {}][0]! }),
      /anonymous function/,
    );
    assert.throws(() => new Pool({ module: "not a url" }), TypeError);
    assert.throws(() => new Pool(null as unknown as object), TypeError);
    assert.throws(
      () => new Pool({ initargs: [() => 1] }),
      /initargs\[0\] of type function/,
    );
  });
  await using pool = new Pool({ processes: 1, module });
  await s.step("map", async () => {
    await assert.rejects(
      pool.map(t.square, [1], { chunksize: 0 }),
      RangeError,
    );
    await assert.rejects(
      pool.map(t.square, null as unknown as number[]),
      TypeError,
    );
    await assert.rejects(pool.map(t.square, [1], { timeout: -1 }), RangeError);
    await assert.rejects(
      pool.map(t.square, [1], { signal: "x" as unknown as AbortSignal }),
      TypeError,
    );
    await assert.rejects(
      pool.map(t.identity, [() => 1] as unknown[]),
      /item 0 of type function/,
    );
    await assert.rejects(
      pool.starmap(t.add, [3] as unknown as [number, number][]),
      /must be an array of arguments/,
    );
    await assert.rejects(
      pool.map((x: number) => x, [1]),
      /anonymous function/,
    );
  });
  await s.step("apply and imap", async () => {
    await assert.rejects(
      pool.apply(t.add, 3 as unknown as [number, number]),
      TypeError,
    );
    assert.throws(
      () => pool.imap(t.square, [1], { chunksize: -1 }),
      RangeError,
    );
    assert.throws(
      () => pool.imap(t.square, 5 as unknown as number[]),
      TypeError,
    );
  });
  // Nothing above broke the pool.
  assert.equal(await pool.apply(t.square, [4]), 16);
});

Deno.test("Pool: types flow from the task function", async () => {
  await using pool = new Pool({ processes: 1, module });
  const squares: number[] = await pool.map(t.square, [1, 2]);
  const sums: number[] = await pool.starmap(t.add, [[1, 2]]);
  // @ts-expect-error: square returns number, not string
  const wrong: string[] = await pool.map(t.square, [1]);
  // @ts-expect-error: add takes two numbers
  const bad = await pool.apply(t.add, [1, "x"]);
  assert.deepEqual([squares, sums, wrong, bad], [[1, 4], [3], [1], "1x"]);
});

Deno.test("Pool: workers can run with fewer permissions than the parent", async () => {
  await using pool = new Pool({
    processes: 1,
    module,
    permissions: { read: ["."] },
  });
  const error = await pool.apply(t.envHome, []).then(() => null, (e) => e);
  assert.ok(error instanceof RemoteError);
  assert.equal(error.remoteName, "NotCapable");
  assert.equal(await pool.apply(t.square, [3]), 9);
});

Deno.test("Pool: workers that cannot be created fail the tasks, not the program", async () => {
  await using pool = new Pool({
    processes: 1,
    module,
    permissions: { net: true },
  });
  await assert.rejects(pool.apply(t.square, [3]), /escalate/);
  await assert.rejects(pool.apply(t.square, [3]), /escalate/);
});

Deno.test("a program that never closes its Pool exits once its main module has finished", async () => {
  for (const method of ["thread", "spawn"]) {
    const { code, stdout, stderr } = await runFixture("unclosed_main.ts", [
      "--allow-read=.",
      "--allow-run",
    ], ["pool", method]);
    assert.equal(code, 0, stderr);
    assert.match(stdout, /squares 1,4,9\nmain module done/);
  }
});

Deno.test("Pool workers that cannot start for a missing permission fail the call with NotCapable naming the flag, without restarting", async () => {
  const { code, stdout, stderr } = await runFixture("pool_no_read.ts", []);
  assert.equal(code, 0, stderr);
  const lines = stdout.trim().split("\n");
  assert.equal(lines.length, 6, stdout);
  for (const i of [0, 2]) {
    assert.match(
      lines[i]!,
      /^NotCapable: Cannot start pool worker: Requires read access to .*pool_worker\.js.*--allow-read/,
    );
    assert.equal(lines[i + 1], "NotCapable: true");
  }
  assert.equal(lines[4], "executor NotCapable");
  assert.equal(lines[5], "exited normally");
});
