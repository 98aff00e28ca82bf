// Copyright 2026 the denomp authors. MIT license.
import assert from "node:assert/strict";
import {
  BoundedSemaphore,
  Process,
  Semaphore,
  TimeoutError,
} from "@denomp/multiprocessing";
import {
  DONE,
  IN_SECTION,
  MAX_SEEN,
  newOut,
  STARTED,
} from "./fixtures/sync_targets.ts";

const module = new URL("./fixtures/sync_targets.ts", import.meta.url);

function waitStarted(out: Int32Array): void {
  while (Atomics.load(out, STARTED) === 0) Atomics.wait(out, STARTED, 0, 100);
}

// ---- Python's _TestSemaphore cases ----

Deno.test("Semaphore.acquire() counts permits down and release() up", async () => {
  const sem = new Semaphore(2);
  assert.equal(sem.getValue(), 2);
  assert.equal(await sem.acquire(), true);
  assert.equal(sem.getValue(), 1);
  assert.equal(sem.acquireSync(), true);
  assert.equal(sem.getValue(), 0);
  assert.equal(await sem.acquire({ timeout: 0 }), false);
  assert.equal(sem.acquireSync({ timeout: 0 }), false);
  sem.release();
  assert.equal(sem.getValue(), 1);
  sem.release();
  assert.equal(sem.getValue(), 2);
});

Deno.test("Semaphore defaults to one permit and may be released above it", () => {
  const sem = new Semaphore();
  assert.equal(sem.getValue(), 1);
  sem.release(2);
  assert.equal(sem.getValue(), 3);
});

Deno.test("Semaphore.acquire() gives false when the timeout runs out", async () => {
  const sem = new Semaphore(0);
  assert.equal(await sem.acquire({ timeout: 0 }), false);
  assert.equal(await sem.acquire({ timeout: 20 }), false);
  assert.equal(sem.acquireSync({ timeout: 20 }), false);
  assert.equal(sem.getValue(), 0);
});

Deno.test("BoundedSemaphore.release() throws above its initial value and changes nothing", async () => {
  const sem = new BoundedSemaphore(2);
  assert.throws(() => sem.release(), RangeError);
  await sem.acquire();
  assert.throws(() => sem.release(2), RangeError);
  assert.equal(sem.getValue(), 1);
  sem.release();
  assert.equal(sem.getValue(), 2);
  assert.throws(
    () => sem.release(),
    /Cannot release semaphore: released too many times/,
  );
});

Deno.test("Semaphore.acquire() wakes when another caller releases", async () => {
  const sem = new Semaphore(0);
  const waiting = sem.acquire();
  setTimeout(() => sem.release(), 5);
  assert.equal(await waiting, true);
  assert.equal(sem.getValue(), 0);
});

Deno.test("Semaphore.acquire() rejects with signal.reason when aborted, taking no permit", async () => {
  const sem = new Semaphore(0);
  const controller = new AbortController();
  const waiting = sem.acquire({ signal: controller.signal });
  const other = sem.acquire();
  controller.abort(new Error("stop"));
  await assert.rejects(waiting, { message: "stop" });
  // The release is not swallowed by the aborted waiter.
  sem.release();
  assert.equal(await other, true);
  assert.equal(sem.getValue(), 0);
  sem.release();
  assert.equal(sem.getValue(), 1);
  await assert.rejects(
    sem.acquire({ signal: AbortSignal.abort(new Error("early")) }),
    { message: "early" },
  );
  assert.equal(sem.getValue(), 1);
});

Deno.test("Semaphore.hold() releases when the guard is disposed", async () => {
  const sem = new BoundedSemaphore(1);
  {
    using _permit = await sem.hold();
    assert.equal(sem.getValue(), 0);
    await assert.rejects(sem.hold({ timeout: 0 }), TimeoutError);
    assert.throws(() => sem.holdSync({ timeout: 0 }), TimeoutError);
  }
  assert.equal(sem.getValue(), 1);
  const guard = sem.holdSync();
  guard[Symbol.dispose]();
  guard[Symbol.dispose](); // idempotent: no over-release
  assert.equal(sem.getValue(), 1);
  const other = await sem.hold();
  assert.equal(sem.getValue(), 0);
  other.release();
  other.release();
  assert.equal(sem.getValue(), 1);
});

Deno.test("Semaphore rejects bad input with TypeError and RangeError", async () => {
  assert.throws(() => new Semaphore(-1), RangeError);
  assert.throws(() => new Semaphore(1.5), RangeError);
  assert.throws(() => new Semaphore(2 ** 31), RangeError);
  assert.throws(() => new Semaphore("2" as unknown as number), TypeError);
  assert.throws(
    () => new Semaphore(1, null as unknown as Record<string, never>),
    TypeError,
  );
  assert.throws(
    () => new Semaphore(1, { robust: "yes" as unknown as boolean }),
    TypeError,
  );
  assert.throws(
    () => new BoundedSemaphore(-1),
    /Cannot create boundedsemaphore: value must be an integer/,
  );
  const sem = new Semaphore(1);
  await assert.rejects(sem.acquire({ timeout: -1 }), RangeError);
  await assert.rejects(
    sem.acquire({ timeout: "1" as unknown as number }),
    TypeError,
  );
  await assert.rejects(
    sem.acquire({ signal: {} as unknown as AbortSignal }),
    TypeError,
  );
  assert.throws(() => sem.acquireSync({ timeout: -1 }), RangeError);
  assert.throws(() => sem.release(0), RangeError);
  assert.throws(() => sem.release(-1), RangeError);
  assert.throws(() => sem.release("1" as unknown as number), TypeError);
  assert.equal(sem.getValue(), 1);
});

Deno.test("Semaphore crosses into a Process as the same live semaphore", async () => {
  const sem = new Semaphore(0);
  await using p = new Process({
    target: "semaphoreRelease",
    args: [sem],
    module,
  });
  await p.start();
  assert.equal(await sem.acquire(), true);
  await p.join();
  assert.equal(p.exitcode, 0);
  assert.equal(sem.getValue(), 0);
});

Deno.test("Semaphore(3) never admits a fourth holder under 8 processes", async () => {
  const sem = new Semaphore(3);
  const out = newOut();
  const iterations = 1000;
  const processes = Array.from(
    { length: 8 },
    (_, i) =>
      new Process({
        target: i % 2 === 0 ? "semaphoreSection" : "semaphoreSectionAsync",
        args: [sem, out, iterations],
        module,
      }),
  );
  try {
    await Promise.all(processes.map((p) => p.start()));
    await Promise.all(processes.map((p) => p.join()));
    for (const p of processes) assert.equal(p.exitcode, 0);
  } finally {
    for (const p of processes) await p[Symbol.asyncDispose]();
  }
  assert.equal(Atomics.load(out, DONE), 8 * iterations);
  assert.ok(Atomics.load(out, MAX_SEEN) <= 3);
  assert.ok(Atomics.load(out, MAX_SEEN) >= 1);
  assert.equal(Atomics.load(out, IN_SECTION), 0);
  assert.equal(sem.getValue(), 3);
});

Deno.test("Semaphore gives back the permits of a terminated holder", async () => {
  const sem = new BoundedSemaphore(3);
  const out = newOut();
  await using p = new Process({
    target: "semaphoreHoldForever",
    args: [sem, out, 2],
    module,
  });
  await p.start();
  waitStarted(out);
  assert.equal(sem.getValue(), 1);
  await sem.acquire();
  const waiting = sem.acquire(); // needs a permit of the dead holder
  p.terminate();
  assert.equal(await waiting, true);
  assert.equal(sem.acquireSync(), true);
  assert.equal(sem.getValue(), 0);
  sem.release(3);
  assert.equal(sem.getValue(), 3);
});

Deno.test("Semaphore gives back a permit kept by a target that returned", async () => {
  const sem = new Semaphore(1);
  await using p = new Process({
    target: "semaphoreTakeAndReturn",
    args: [sem],
    module,
  });
  await p.start();
  await p.join();
  assert.equal(sem.getValue(), 0);
  assert.equal(sem.acquireSync({ timeout: 0 }), true);
});

Deno.test("Semaphore with robust: false keeps a permit consumed by a Process", async () => {
  const sem = new Semaphore(1, { robust: false });
  await using p = new Process({
    target: "semaphoreTakeAndReturn",
    args: [sem],
    module,
  });
  await p.start();
  await p.join();
  assert.equal(await sem.acquire({ timeout: 0 }), false);
  assert.equal(sem.getValue(), 0);
});

Deno.test("Semaphore has a readable inspect output", () => {
  assert.equal(
    Deno.inspect(new BoundedSemaphore(2)),
    "BoundedSemaphore { value: 2, bound: 2 }",
  );
  assert.equal(Deno.inspect(new Semaphore(0)), "Semaphore { value: 0 }");
});
