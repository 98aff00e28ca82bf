// Copyright 2026 the denomp authors. MIT license.
import assert from "node:assert/strict";
import {
  ALL_COMPLETED,
  asCompleted,
  CancelledError,
  FIRST_COMPLETED,
  FIRST_EXCEPTION,
  Future,
  ProcessPoolExecutor,
  RemoteError,
  SharedMemory,
  TimeoutError,
  Value,
  wait,
  WorkerCrashedError,
} from "@denomp/multiprocessing";
import { arenaStats } from "../dist/lib/_internal.js";
import * as t from "./fixtures/pool_targets.ts";
import {
  runFixture,
  sharedInts as shared,
  untilSet as until,
} from "./_util.ts";

const module = new URL("./fixtures/pool_targets.ts", import.meta.url);

function release(ints: Int32Array): void {
  Atomics.store(ints, 0, 1);
  Atomics.notify(ints, 0);
}

/**
 * An executor with one worker held by a blocking task, and enough tasks
 * queued behind it that the last ones have certainly not been handed to the
 * worker (a worker takes at most two batches of 64 ahead).
 */
async function blockedExecutor(gate: Int32Array) {
  const executor = new ProcessPoolExecutor({ maxWorkers: 1, module });
  const holder = executor.submit(t.startAndBlock, gate, 1);
  await until(gate, 1);
  const queued = Array.from(
    { length: 300 },
    (_, i) => executor.submit(t.square, i),
  );
  await Promise.resolve();
  return { executor, holder, queued };
}

Deno.test("ProcessPoolExecutor.submit() returns a Future for the result", async () => {
  await using executor = new ProcessPoolExecutor({ maxWorkers: 2, module });
  const future: Future<number> = executor.submit(t.add, 2, 3);
  assert.equal(await future.result(), 5);
  assert.equal(future.done(), true);
  assert.equal(future.running(), false);
  assert.equal(future.cancelled(), false);
  assert.equal(await future.exception(), null);
  assert.equal(await future.result({}), 5);
  assert.equal(await future.result(null as unknown as undefined), 5);
  assert.equal(await executor.submit("doubleLater", 21).result(), 42);
  // Not a thenable: awaiting a Future gives the Future.
  assert.equal(await Promise.resolve(future), future);
});

Deno.test("ProcessPoolExecutor.submit() sends one or several arguments, plain or holding shared objects", async () => {
  await using executor = new ProcessPoolExecutor({ maxWorkers: 1, module });
  const v = new Value("i", 41);
  const counter = shared(1);
  const results = await Promise.all([
    executor.submit(t.readValue, v).result(),
    executor.submit(t.identity, { nested: [1, "two", null] }).result(),
    executor.submit(t.bump, counter).result(),
    executor.submit(t.add, 1, 2).result(),
    executor.submit(t.name).result(),
  ]);
  assert.deepEqual(results.slice(0, 4), [
    41,
    { nested: [1, "two", null] },
    1,
    3,
  ]);
  assert.match(results[4], /^PoolWorker-/);
  assert.equal(Atomics.load(counter, 0), 1);
});

Deno.test("Future.cancel() cancels a task not started and not a running one", async () => {
  const gate = shared(2);
  const { executor, holder, queued } = await blockedExecutor(gate);
  try {
    assert.equal(holder.running(), true);
    assert.equal(holder.cancel(), false);
    const last = queued.at(-1)!;
    assert.equal(last.running(), false);
    assert.equal(last.cancel(), true);
    assert.equal(last.cancel(), true);
    assert.equal(last.cancelled(), true);
    assert.equal(last.done(), true);
    await assert.rejects(last.result(), CancelledError);
    await assert.rejects(last.exception(), CancelledError);
    release(gate);
    assert.equal(await holder.result(), 1);
    const results = await Promise.all(
      queued.slice(0, -1).map((f) => f.result()),
    );
    assert.deepEqual(results, Array.from({ length: 299 }, (_, i) => i * i));
    assert.equal(holder.cancel(), false);
  } finally {
    release(gate);
    await executor.shutdown();
  }
});

Deno.test("Future.result() and exception() time out with TimeoutError; abort rejects the wait", async () => {
  const gate = shared(2);
  const { executor, holder, queued } = await blockedExecutor(gate);
  try {
    await assert.rejects(holder.result({ timeout: 10 }), TimeoutError);
    await assert.rejects(holder.exception({ timeout: 0 }), TimeoutError);
    const reason = new Error("gave up");
    await assert.rejects(
      holder.result({ signal: AbortSignal.abort(reason) }),
      (e) => e === reason,
    );
    await assert.rejects(holder.result({ timeout: -1 }), RangeError);
    assert.equal(holder.done(), false);
    release(gate);
    assert.equal(await holder.result({ timeout: 10_000 }), 1);
    await Promise.all(queued.map((f) => f.result()));
  } finally {
    release(gate);
    await executor.shutdown();
  }
});

Deno.test("Future.exception() gives the task's error; result() rejects with it", async () => {
  await using executor = new ProcessPoolExecutor({ maxWorkers: 1, module });
  const f = executor.submit(t.failOn, 1, 1);
  const error = await f.exception();
  assert.ok(error instanceof RangeError);
  assert.equal(error.message, "bad value 1");
  await assert.rejects(f.result(), RangeError);
  const custom = await executor.submit(t.throwCustom, "x").exception();
  assert.ok(custom instanceof RemoteError);
  assert.equal(custom.remoteName, "ParseError");
});

Deno.test("Future.addDoneCallback() runs once done, or at once if done", async () => {
  await using executor = new ProcessPoolExecutor({ maxWorkers: 1, module });
  const f = executor.submit(t.square, 6);
  const seen: Future<number>[] = [];
  const done = new Promise<void>((resolve) =>
    f.addDoneCallback((future) => {
      seen.push(future);
      resolve();
    })
  );
  f.addDoneCallback(() => {
    throw new Error("ignored");
  });
  await done;
  assert.deepEqual(seen, [f]);
  f.addDoneCallback((future) => seen.push(future));
  assert.equal(seen.length, 2);
  const cancelled = new Future<number>();
  let called = 0;
  cancelled.addDoneCallback(() => called++);
  cancelled.cancel();
  assert.equal(called, 1);
  assert.throws(
    () => f.addDoneCallback(3 as unknown as () => void),
    TypeError,
  );
});

Deno.test("asCompleted() yields the Futures themselves, done ones first, each once", async () => {
  await using executor = new ProcessPoolExecutor({ maxWorkers: 2, module });
  const early = executor.submit(t.square, 2);
  await early.result();
  const futures = [
    early,
    ...[3, 4, 5].map((x) => executor.submit(t.square, x)),
  ];
  const seen: Future<number>[] = [];
  for await (const f of asCompleted([...futures, early])) {
    assert.ok(f instanceof Future);
    seen.push(f);
  }
  assert.equal(seen[0], early);
  assert.equal(seen.length, 4);
  assert.deepEqual(new Set(seen), new Set(futures));
});

Deno.test("asCompleted() throws TimeoutError when futures are still unfinished", async () => {
  const gate = shared(2);
  const { executor, holder, queued } = await blockedExecutor(gate);
  try {
    const done = new Future<number>();
    done.cancel();
    const seen: Future<number>[] = [];
    await assert.rejects(async () => {
      for await (const f of asCompleted([done, holder], { timeout: 20 })) {
        seen.push(f);
      }
    }, TimeoutError);
    assert.deepEqual(seen, [done]);
  } finally {
    release(gate);
    await Promise.all(queued.map((f) => f.result()));
    await executor.shutdown();
  }
});

Deno.test("wait() honours ALL_COMPLETED, FIRST_COMPLETED, FIRST_EXCEPTION and timeout", async () => {
  const gate = shared(2);
  const { executor, holder, queued } = await blockedExecutor(gate);
  try {
    const quick = new Future<number>();
    quick.cancel();
    let r = await wait([quick, holder], { returnWhen: FIRST_COMPLETED });
    assert.deepEqual([...r.done], [quick]);
    assert.deepEqual([...r.notDone], [holder]);
    r = await wait([holder], { timeout: 10 });
    assert.equal(r.done.size, 0);
    assert.equal(r.notDone.size, 1);
    // FIRST_EXCEPTION: a cancelled future is not an exception.
    r = await wait([quick, holder], {
      returnWhen: FIRST_EXCEPTION,
      timeout: 10,
    });
    assert.deepEqual([...r.notDone], [holder]);
    release(gate);
    r = await wait([holder, ...queued], { returnWhen: ALL_COMPLETED });
    assert.equal(r.done.size, 301);
    assert.equal(r.notDone.size, 0);
    const failing = executor.submit(t.failOn, 1, 1);
    const slow = executor.submitWith(t.blockUntil, [shared(1), 200]);
    const mixed = await wait<unknown>([slow, failing], {
      returnWhen: FIRST_EXCEPTION,
    });
    assert.ok(mixed.done.has(failing));
    await slow.result();
  } finally {
    release(gate);
    await executor.shutdown();
  }
});

Deno.test("ProcessPoolExecutor.map() yields results in order", async () => {
  await using executor = new ProcessPoolExecutor({ maxWorkers: 2, module });
  const xs = Array.from({ length: 100 }, (_, i) => i);
  const out: number[] = [];
  for await (const y of executor.map(t.square, xs)) out.push(y);
  assert.deepEqual(out, xs.map((x) => x * x));
  assert.deepEqual(
    await Array.fromAsync(executor.map(t.square, xs, { chunksize: 8 })),
    out,
  );
  await assert.rejects(
    Array.fromAsync(executor.map(t.failAtThree, [1, 2, 3, 4])),
    RangeError,
  );
});

Deno.test("ProcessPoolExecutor.map() timeout counts from the call", async () => {
  const gate = shared(2);
  await using executor = new ProcessPoolExecutor({ maxWorkers: 1, module });
  try {
    const holder = executor.submit(t.startAndBlock, gate, 1);
    await until(gate, 1);
    await assert.rejects(
      Array.fromAsync(executor.map(t.square, [1, 2], { timeout: 20 })),
      TimeoutError,
    );
    release(gate);
    await holder.result();
  } finally {
    release(gate);
  }
});

Deno.test("ProcessPoolExecutor: a dying worker fails only its future; 1,000 others complete", async () => {
  await using executor = new ProcessPoolExecutor({ maxWorkers: 2, module });
  const before = Array.from(
    { length: 500 },
    (_, i) => executor.submit(t.square, i),
  );
  const crashed = executor.submit(t.denoExitOn, 1, 1, 7);
  const after = Array.from(
    { length: 500 },
    (_, i) => executor.submit(t.square, i + 500),
  );
  const error = await crashed.exception();
  assert.ok(error instanceof WorkerCrashedError);
  assert.equal(error.exitCode, 7);
  const results = await Promise.all(
    [...before, ...after].map((f) => f.result()),
  );
  assert.deepEqual(results, Array.from({ length: 1000 }, (_, i) => i * i));
  // Not broken: new work runs.
  assert.equal(await executor.submit(t.square, 9).result(), 81);
  const callback = executor.submit(t.throwInCallback);
  assert.equal((await callback.exception() as WorkerCrashedError).exitCode, 1);
});

Deno.test("ProcessPoolExecutor.shutdown() waits for pending futures, then refuses work", async () => {
  const executor = new ProcessPoolExecutor({ maxWorkers: 2, module });
  const futures = Array.from(
    { length: 50 },
    (_, i) => executor.submit(t.doubleLater, i),
  );
  await executor.shutdown();
  assert.ok(futures.every((f) => f.done() && !f.cancelled()));
  assert.throws(() => executor.submit(t.square, 1), /has been shut down/);
  assert.throws(() => executor.map(t.square, [1]), /has been shut down/);
  await executor.shutdown(); // idempotent
});

Deno.test("ProcessPoolExecutor.shutdown({ cancelFutures }) cancels what has not started", async () => {
  const gate = shared(2);
  const { executor, holder, queued } = await blockedExecutor(gate);
  try {
    const done = executor.shutdown({ cancelFutures: true });
    const last = queued.at(-1)!;
    assert.equal(last.cancelled(), true);
    assert.equal(holder.cancelled(), false);
    release(gate);
    await done;
    assert.equal(await holder.result(), 1);
    const ran = queued.filter((f) => !f.cancelled());
    // Those handed to the worker before shutdown still ran.
    for (const f of ran) assert.equal(typeof await f.result(), "number");
    assert.ok(ran.length < queued.length);
  } finally {
    release(gate);
  }
});

Deno.test("ProcessPoolExecutor.shutdown({ wait: false }) returns at once; futures still finish", async () => {
  const gate = shared(2);
  const { executor, holder, queued } = await blockedExecutor(gate);
  try {
    await executor.shutdown({ wait: false });
    assert.equal(holder.done(), false);
    release(gate);
    assert.equal(await holder.result(), 1);
    assert.equal(
      (await Promise.all(queued.map((f) => f.result()))).length,
      300,
    );
    await executor.shutdown();
  } finally {
    release(gate);
  }
});

Deno.test("ProcessPoolExecutor.submitWith() signal cancels a task not started; timeout replaces a busy worker", async () => {
  const gate = shared(2);
  const { executor, holder, queued } = await blockedExecutor(gate);
  try {
    const controller = new AbortController();
    const f = executor.submitWith(t.square, [3], { signal: controller.signal });
    controller.abort();
    assert.equal(f.cancelled(), true);
    const g = executor.submitWith(t.square, [3], {
      signal: AbortSignal.abort(),
    });
    assert.equal(g.cancelled(), true);
    release(gate);
    await Promise.all(queued.map((q) => q.result()));
    await holder.result();
    const block = shared(1);
    const slow = executor.submitWith(t.blockUntil, [block, 10_000], {
      timeout: 30,
    });
    await assert.rejects(slow.result(), TimeoutError);
    release(block);
    assert.equal(await executor.submit(t.square, 5).result(), 25);
  } finally {
    release(gate);
    await executor.shutdown();
  }
});

Deno.test("ProcessPoolExecutor: a failing initializer breaks it: futures fail, submit throws", async () => {
  await using executor = new ProcessPoolExecutor({
    maxWorkers: 1,
    module,
    initializer: t.failingInit,
  });
  const f = executor.submit(t.square, 1);
  const error = await f.exception() as Error;
  assert.match(error.message, /initializer failed/);
  assert.throws(() => executor.submit(t.square, 1), /initializer failed/);
});

Deno.test("ProcessPoolExecutor: 20k submits stress gives the exact sum", async () => {
  await using executor = new ProcessPoolExecutor({ maxWorkers: 3, module });
  const futures = Array.from(
    { length: 20_000 },
    (_, i) => executor.submit(t.square, i),
  );
  let sum = 0;
  for await (const f of asCompleted(futures)) sum += await f.result();
  assert.equal(sum, 2666466670000);
});

Deno.test("ProcessPoolExecutor: 200k submits all settle, each with its own result", async () => {
  await using executor = new ProcessPoolExecutor({ maxWorkers: 2, module });
  const n = 200_000;
  const futures: Future<number>[] = [];
  for (let i = 0; i < n; i++) futures.push(executor.submit(t.square, i));
  const { done, notDone } = await wait(futures);
  assert.equal(done.size, n);
  assert.equal(notDone.size, 0);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const value = await futures[i]!.result();
    if (value !== i * i) assert.fail(`future ${i} gave ${value}`);
    sum += value;
  }
  assert.equal(sum, (n - 1) * n * (2 * n - 1) / 6);
});

Deno.test("Future.cancel() on 20k queued futures: none of them runs, the others do", async () => {
  const gate = shared(2);
  const { executor, holder, queued } = await blockedExecutor(gate);
  try {
    const counter = shared(1);
    const n = 20_000;
    const more = Array.from(
      { length: n },
      (_, i) => executor.submit(t.bump, counter, i),
    );
    // Cancel every other one, from the back, and all of the first queue.
    let cancelled = 0;
    for (let i = n - 1; i >= 0; i -= 2) if (more[i]!.cancel()) cancelled++;
    for (const f of queued) if (f.cancel()) cancelled++;
    assert.equal(cancelled, n / 2 + queued.filter((f) => f.cancelled()).length);
    assert.ok(more.every((f, i) => f.cancelled() === (i % 2 === 1)));
    release(gate);
    assert.equal(await holder.result(), 1);
    const ran = await Promise.all(
      more.filter((f) => !f.cancelled()).map((f) => f.result()),
    );
    assert.equal(ran.length, n / 2);
    // Exactly the tasks not cancelled ran: bump returned 1 .. n/2.
    assert.equal(Atomics.load(counter, 0), n / 2);
    assert.deepEqual(
      ran.toSorted((a, b) => a - b),
      Array.from({ length: n / 2 }, (_, i) => i + 1),
    );
    for (const f of more.filter((f) => f.cancelled())) {
      await assert.rejects(f.result(), CancelledError);
    }
  } finally {
    release(gate);
    // Resolves only if every cancelled chunk left the core's count.
    await executor.shutdown();
  }
});

Deno.test("ProcessPoolExecutor.submitWith() with an already-aborted signal holds none of its arguments' shared objects", async () => {
  const before = arenaStats();
  await using executor = new ProcessPoolExecutor({ maxWorkers: 1, module });
  const shm = new SharedMemory({ create: true, size: 8 });
  const signal = AbortSignal.abort(new Error("already"));
  const one = executor.submitWith(t.identity, [shm], { signal });
  const two = executor.submitWith("add", [shm, 1], { signal });
  assert.equal(one.cancelled(), true);
  assert.equal(two.cancelled(), true);
  await assert.rejects(one.result(), CancelledError);
  shm.unlink();
  shm.close();
  // Nothing held the block: it went with its creator's handle.
  assert.deepEqual(arenaStats(), before);
  assert.equal(await executor.submit(t.square, 3).result(), 9);
});

Deno.test("ProcessPoolExecutor.submitWith(): one AbortSignal over 5,000 futures is one listener; abort cancels those not started", async () => {
  const gate = shared(2);
  const { executor, holder, queued } = await blockedExecutor(gate);
  try {
    const controller = new AbortController();
    const signal = controller.signal;
    let added = 0;
    let removed = 0;
    const add = signal.addEventListener.bind(signal);
    const remove = signal.removeEventListener.bind(signal);
    signal.addEventListener = (...args: Parameters<typeof add>) => {
      added++;
      add(...args);
    };
    signal.removeEventListener = (...args: Parameters<typeof remove>) => {
      removed++;
      remove(...args);
    };
    const n = 5_000;
    const futures = Array.from(
      { length: n },
      (_, i) => executor.submitWith(t.square, [i], { signal }),
    );
    assert.equal(added, 1);
    controller.abort();
    assert.ok(futures.every((f) => f.cancelled()));
    assert.equal(removed, 1);
    // A second group on a fresh signal: finishes normally, then lets go.
    const second = new AbortController();
    const ok = Array.from(
      { length: 100 },
      (_, i) => executor.submitWith(t.square, [i], { signal: second.signal }),
    );
    release(gate);
    assert.equal(await holder.result(), 1);
    await Promise.all(queued.map((f) => f.result()));
    assert.deepEqual(
      await Promise.all(ok.map((f) => f.result())),
      Array.from({ length: 100 }, (_, i) => i * i),
    );
    second.abort(); // nothing left to cancel: no effect
    assert.ok(ok.every((f) => !f.cancelled()));
  } finally {
    release(gate);
    await executor.shutdown();
  }
});

Deno.test("asCompleted() yields each of 10k futures once, duplicates and done ones included; break stops it", async () => {
  await using executor = new ProcessPoolExecutor({ maxWorkers: 2, module });
  const early = executor.submit(t.square, 3);
  await early.result();
  const futures = Array.from(
    { length: 10_000 },
    (_, i) => executor.submit(t.square, i),
  );
  const input = [early, ...futures, ...futures.slice(0, 500), early];
  const seen = new Set<Future<number>>();
  let count = 0;
  let sum = 0;
  for await (const f of asCompleted(input)) {
    count++;
    seen.add(f);
    sum += await f.result();
  }
  assert.equal(count, 10_001);
  assert.equal(seen.size, 10_001);
  assert.equal(sum, 9 + (9_999 * 10_000 * 19_999) / 6);
  // Leaving early: the rest still complete and can be waited for again.
  const more = Array.from(
    { length: 1_000 },
    (_, i) => executor.submit(t.square, i),
  );
  for await (const f of asCompleted(more)) {
    assert.ok(f.done());
    break;
  }
  const { done } = await wait(more);
  assert.equal(done.size, 1_000);
});

Deno.test("asCompleted() answers next() calls made at once in order; return(), throw() and a timeout end it", async () => {
  const a = new Future<number>();
  const b = new Future<number>();
  const c = new Future<number>();
  const it = asCompleted([a, b, c]);
  const first = it.next();
  const second = it.next();
  b.cancel();
  a.cancel();
  assert.deepEqual(await first, { done: false, value: b });
  assert.deepEqual(await second, { done: false, value: a });
  assert.deepEqual(await it.return(undefined), {
    done: true,
    value: undefined,
  });
  assert.deepEqual(await it.next(), { done: true, value: undefined });
  c.cancel(); // no listener left to call

  const d = new Future<number>();
  const thrown = asCompleted([d]);
  const reason = new Error("stop");
  await assert.rejects(thrown.throw(reason), (e) => e === reason);
  assert.deepEqual(await thrown.next(), { done: true, value: undefined });

  const e = new Future<number>();
  const timed = asCompleted([e], { timeout: 5 });
  const pending = [timed.next(), timed.next()];
  await assert.rejects(pending[0]!, TimeoutError);
  assert.deepEqual(await pending[1], { done: true, value: undefined });
  e.cancel();

  const bad = asCompleted([a], { timeout: -1 });
  await assert.rejects(bad.next(), RangeError);
  assert.deepEqual(await bad.next(), { done: true, value: undefined });
  {
    await using disposed = asCompleted([new Future<number>()]);
    assert.equal(disposed[Symbol.asyncIterator](), disposed);
  }
});

Deno.test("ProcessPoolExecutor and helpers reject bad input", async () => {
  assert.throws(() => new ProcessPoolExecutor({ maxWorkers: 0 }), RangeError);
  assert.throws(
    () => new ProcessPoolExecutor({ maxWorkers: "1" as unknown as number }),
    TypeError,
  );
  assert.throws(
    () => new ProcessPoolExecutor({ maxTasksPerChild: -1 }),
    RangeError,
  );
  await using executor = new ProcessPoolExecutor({ maxWorkers: 1, module });
  assert.throws(
    () => executor.submit([(x: number) => x][0]!, 1),
    /anonymous function/,
  );
  assert.throws(
    () => executor.submit(t.identity, () => 1),
    /of type function cannot be sent/,
  );
  assert.throws(
    () => executor.submitWith(t.square, 3 as unknown as [number]),
    TypeError,
  );
  assert.throws(
    () => executor.submitWith(t.square, [1], { timeout: -5 }),
    RangeError,
  );
  assert.throws(
    () => executor.map(t.square, [1], { chunksize: 0 }),
    RangeError,
  );
  assert.throws(
    () => executor.map(t.square, 3 as unknown as number[]),
    TypeError,
  );
  await assert.rejects(wait([1 as unknown as Future<number>]), TypeError);
  await assert.rejects(
    wait([], { returnWhen: "SOON" as unknown as "ALL_COMPLETED" }),
    TypeError,
  );
  await assert.rejects(wait([], { timeout: -1 }), RangeError);
  await assert.rejects(
    Array.fromAsync(asCompleted(null as unknown as Future<number>[])),
    TypeError,
  );
  assert.equal(await executor.submit(t.square, 2).result(), 4);
});

Deno.test("Future inspects as its state, and its result or exception once finished", async () => {
  const pending = new Future<number>();
  assert.equal(Deno.inspect(pending), 'Future { state: "pending" }');
  pending.cancel();
  assert.equal(Deno.inspect(pending), 'Future { state: "cancelled" }');
  await using executor = new ProcessPoolExecutor({ maxWorkers: 1, module });
  const ok = executor.submit(t.square, 7);
  await ok.result();
  assert.equal(
    Deno.inspect(ok),
    'Future { state: "finished", result: 49 }',
  );
  const failed = executor.submit(t.failOn, 1, 1);
  await failed.exception();
  assert.equal(
    Deno.inspect(failed),
    'Future { state: "finished", exception: RangeError: bad value 1 }',
  );
  const named = executor.submit(t.name);
  await named.result();
  assert.match(
    Deno.inspect([named]),
    /^\[ Future \{ state: "finished", result: "PoolWorker-\d+" \} \]$/,
  );
});

Deno.test("a program that never shuts its executor down finishes the work it gave, then exits", async () => {
  for (const method of ["thread", "spawn"]) {
    const { code, stdout, stderr } = await runFixture("unclosed_main.ts", [
      "--allow-read=.",
      "--allow-run",
    ], ["executor", method]);
    assert.equal(code, 0, stderr);
    const done = stdout.split("\n").filter((line) => line.endsWith(" done"));
    assert.deepEqual(
      done.filter((line) => line.startsWith("task")).sort(),
      [0, 1, 2, 3, 4, 5].map((i) => `task ${i} done`),
    );
    assert.ok(done.includes("main module done"));
  }
});
