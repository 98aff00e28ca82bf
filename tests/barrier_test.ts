// Copyright 2026 the denomp authors. MIT license.
import assert from "node:assert/strict";
import { Barrier, BrokenBarrierError, Process } from "@denomp/multiprocessing";
import {
  countAction,
  DONE,
  ERRORS,
  installActionCounter,
  newOut,
  RESULT,
  STARTED,
} from "./fixtures/sync_targets.ts";

const module = new URL("./fixtures/sync_targets.ts", import.meta.url);

function waitStarted(out: Int32Array): void {
  while (Atomics.load(out, STARTED) === 0) Atomics.wait(out, STARTED, 0, 100);
}

async function waitForWaiting(barrier: Barrier, n: number): Promise<void> {
  // Polls a shared counter; each turn yields to the event loop.
  while (barrier.nWaiting < n) {
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}

// ---- Python's _TestBarrier cases ----

Deno.test("Barrier.wait() releases all parties together, cycle after cycle", async () => {
  const barrier = new Barrier(3);
  for (let cycle = 0; cycle < 5; cycle++) {
    const indexes = await Promise.all([
      barrier.wait(),
      barrier.wait(),
      barrier.wait(),
    ]);
    assert.deepEqual(indexes.sort(), [0, 1, 2]);
    assert.equal(barrier.nWaiting, 0);
    assert.equal(barrier.broken, false);
  }
  assert.equal(barrier.parties, 3);
});

Deno.test("Barrier(1).wait() passes at once", async () => {
  const barrier = new Barrier(1);
  assert.equal(await barrier.wait(), 0);
  assert.equal(barrier.waitSync(), 0);
});

Deno.test("Barrier runs its action once per cycle before releasing anyone", async () => {
  const out = newOut();
  installActionCounter(out);
  const barrier = new Barrier(2, { action: countAction, module });
  let seen = -1;
  const first = barrier.wait().then(() => seen = Atomics.load(out, RESULT));
  await waitForWaiting(barrier, 1);
  assert.equal(Atomics.load(out, RESULT), 0);
  await barrier.wait();
  await first;
  assert.equal(seen, 1);
  await Promise.all([barrier.wait(), barrier.wait()]);
  assert.equal(Atomics.load(out, RESULT), 2);
});

Deno.test("Barrier.wait() rethrows an action's error and breaks the barrier", async () => {
  const barrier = new Barrier(2, {
    action: () => {
      throw new RangeError("action failed");
    },
  });
  const results = await Promise.allSettled([barrier.wait(), barrier.wait()]);
  const reasons = results.map((r) =>
    r.status === "rejected" ? (r.reason as Error).name : "fulfilled"
  ).sort();
  assert.deepEqual(reasons, ["BrokenBarrierError", "RangeError"]);
  assert.equal(barrier.broken, true);
  await assert.rejects(barrier.wait(), BrokenBarrierError);
  barrier.reset();
  assert.equal(barrier.broken, false);
});

Deno.test("Barrier.abort() breaks waiting parties and later waits", async () => {
  const barrier = new Barrier(3);
  const a = barrier.wait();
  const b = barrier.wait();
  await waitForWaiting(barrier, 2);
  barrier.abort();
  await assert.rejects(a, BrokenBarrierError);
  await assert.rejects(b, BrokenBarrierError);
  assert.equal(barrier.broken, true);
  assert.equal(barrier.nWaiting, 0);
  await assert.rejects(barrier.wait(), BrokenBarrierError);
  assert.throws(() => barrier.waitSync(), BrokenBarrierError);
});

Deno.test("Barrier.reset() breaks current waiters and makes it usable again", async () => {
  const barrier = new Barrier(2);
  const a = barrier.wait();
  await waitForWaiting(barrier, 1);
  barrier.reset();
  await assert.rejects(a, BrokenBarrierError);
  assert.equal(barrier.broken, false);
  assert.equal(barrier.nWaiting, 0);
  const indexes = await Promise.all([barrier.wait(), barrier.wait()]);
  assert.deepEqual(indexes.sort(), [0, 1]);
});

Deno.test("Barrier.abort() then reset() lets a new cycle pass", async () => {
  const barrier = new Barrier(2);
  barrier.abort();
  assert.equal(barrier.broken, true);
  barrier.reset();
  assert.equal(barrier.broken, false);
  assert.deepEqual(
    (await Promise.all([barrier.wait(), barrier.wait()])).sort(),
    [0, 1],
  );
});

Deno.test("Barrier.wait() timeout breaks the barrier for every party", async () => {
  const barrier = new Barrier(3);
  const other = barrier.wait();
  await assert.rejects(barrier.wait({ timeout: 10 }), BrokenBarrierError);
  await assert.rejects(other, BrokenBarrierError);
  assert.equal(barrier.broken, true);
  barrier.reset();
  assert.throws(() => barrier.waitSync({ timeout: 5 }), BrokenBarrierError);
  assert.equal(barrier.broken, true);
});

Deno.test("Barrier default timeout applies to every wait", async () => {
  const barrier = new Barrier(2, { timeout: 10 });
  await assert.rejects(barrier.wait(), BrokenBarrierError);
  assert.equal(barrier.broken, true);
});

Deno.test("Barrier.wait() rejects with signal.reason when aborted, leaving the count as it was", async () => {
  const barrier = new Barrier(2);
  const controller = new AbortController();
  const waiting = barrier.wait({ signal: controller.signal });
  await waitForWaiting(barrier, 1);
  controller.abort(new Error("stop"));
  await assert.rejects(waiting, { message: "stop" });
  assert.equal(barrier.nWaiting, 0);
  assert.equal(barrier.broken, false);
  // The next two parties make a full cycle with distinct indexes.
  assert.deepEqual(
    (await Promise.all([barrier.wait(), barrier.wait()])).sort(),
    [0, 1],
  );
  await assert.rejects(
    barrier.wait({ signal: AbortSignal.abort(new Error("early")) }),
    { message: "early" },
  );
  assert.equal(barrier.nWaiting, 0);
});

Deno.test("Barrier breaks when a waiting party's Process is terminated", async () => {
  const barrier = new Barrier(3);
  const doomed = newOut();
  const survivor = newOut();
  await using p1 = new Process({
    target: "barrierWaitForever",
    args: [barrier, doomed],
    module,
  });
  await using p2 = new Process({
    target: "barrierWaitExpectBroken",
    args: [barrier, survivor],
    module,
  });
  await p1.start();
  await p2.start();
  waitStarted(doomed);
  waitStarted(survivor);
  await waitForWaiting(barrier, 2);
  p1.terminate();
  await p2.join();
  assert.equal(p2.exitcode, 0);
  assert.equal(Atomics.load(survivor, RESULT), 1);
  assert.equal(Atomics.load(survivor, ERRORS), 0);
  assert.equal(barrier.broken, true);
});

Deno.test("Barrier rejects bad input with TypeError and RangeError", async () => {
  assert.throws(() => new Barrier(0), RangeError);
  assert.throws(() => new Barrier(1.5), RangeError);
  assert.throws(() => new Barrier(70000), RangeError);
  assert.throws(() => new Barrier("2" as unknown as number), TypeError);
  assert.throws(
    () => new Barrier(2, { action: 1 as unknown as () => void }),
    TypeError,
  );
  assert.throws(() => new Barrier(2, { timeout: -1 }), RangeError);
  assert.throws(
    () => new Barrier(2, null as unknown as Record<string, never>),
    TypeError,
  );
  assert.throws(() => new Barrier(2, { module: "not a url" }), TypeError);
  const barrier = new Barrier(2);
  await assert.rejects(barrier.wait({ timeout: -1 }), RangeError);
  await assert.rejects(
    barrier.wait({ signal: 1 as unknown as AbortSignal }),
    TypeError,
  );
  assert.throws(() => barrier.waitSync({ timeout: NaN }), TypeError);
  assert.equal(barrier.nWaiting, 0);
  assert.equal(barrier.broken, false);
});

Deno.test("Barrier action that is not exported fails in the Process that runs it", async () => {
  const barrier = new Barrier(1, { action: () => {}, module });
  await using p = new Process({
    target: "barrierCycles",
    args: [barrier, newOut(), 1, false],
    module,
  });
  await p.start();
  await p.join();
  assert.equal(p.exitcode, 1);
  assert.match(p.error?.message ?? "", /Cannot run barrier action/);
  assert.equal(barrier.broken, true);
});

Deno.test("Barrier has a readable inspect output", () => {
  assert.equal(
    Deno.inspect(new Barrier(2)),
    "Barrier { parties: 2, nWaiting: 0, broken: false }",
  );
});

Deno.test("Barrier cycles 1,000 times across 8 processes with one action per cycle", async () => {
  const parties = 8;
  const cycles = 1000;
  const out = newOut();
  const barrier = new Barrier(parties, { action: countAction, module });
  const processes = Array.from(
    { length: parties },
    (_, i) =>
      new Process({
        target: i === 0 ? "barrierCyclesAsync" : "barrierCycles",
        args: i === 0 ? [barrier, out, cycles] : [barrier, out, cycles, true],
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
  assert.equal(Atomics.load(out, RESULT), cycles);
  assert.equal(Atomics.load(out, ERRORS), 0);
  // Every cycle handed out each index 0..7 exactly once: 28 per cycle.
  assert.equal(Atomics.load(out, DONE), cycles * (parties * (parties - 1) / 2));
  assert.equal(barrier.broken, false);
  assert.equal(barrier.nWaiting, 0);
});

Deno.test("Barrier without an action cycles 1,000 times across 4 processes", async () => {
  const parties = 4;
  const cycles = 1000;
  const out = newOut();
  const barrier = new Barrier(parties);
  const processes = Array.from(
    { length: parties },
    (_, i) =>
      new Process({
        target: i % 2 === 0 ? "barrierCycles" : "barrierCyclesAsync",
        args: i % 2 === 0 ? [barrier, out, cycles, false] : [
          barrier,
          out,
          cycles,
        ],
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
  assert.equal(Atomics.load(out, DONE), cycles * (parties * (parties - 1) / 2));
  assert.equal(Atomics.load(out, ERRORS), 0);
  assert.equal(barrier.nWaiting, 0);
});
