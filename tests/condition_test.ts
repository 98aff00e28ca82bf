// Copyright 2026 the denomp authors. MIT license.
import assert from "node:assert/strict";
import { Condition, Lock, Process, RLock } from "@denomp/multiprocessing";
import {
  DONE,
  ERRORS,
  newOut,
  RESULT,
  STARTED,
} from "./fixtures/sync_targets.ts";

const module = new URL("./fixtures/sync_targets.ts", import.meta.url);

function waitStarted(out: Int32Array): void {
  while (Atomics.load(out, STARTED) === 0) Atomics.wait(out, STARTED, 0, 100);
}

async function waitFor(read: () => boolean): Promise<void> {
  // Polls a shared counter; each turn yields to the event loop.
  while (!read()) await new Promise((resolve) => setTimeout(resolve, 1));
}

function startAll(processes: Process[]): Promise<void[]> {
  return Promise.all(processes.map((p) => p.start()));
}

async function cleanup(processes: Process[]): Promise<void> {
  for (const p of processes) await p[Symbol.asyncDispose]();
}

// ---- Python's _TestCondition cases ----

Deno.test("Condition.notify() wakes one waiter at a time across Processes", async () => {
  const cond = new Condition();
  const outs = [newOut(), newOut(), newOut()];
  const processes = outs.map((out, i) =>
    new Process({
      target: i === 1 ? "conditionWaitSync" : "conditionWait",
      args: [cond, out],
      module,
    })
  );
  const woken = () => outs.reduce((n, o) => n + Atomics.load(o, RESULT), 0);
  try {
    await startAll(processes);
    for (const out of outs) waitStarted(out);
    for (let expected = 1; expected <= 3; expected++) {
      {
        // Taking the lock proves every started waiter has registered.
        using _ = await cond.hold();
        cond.notify();
      }
      await waitFor(() => woken() >= expected);
      assert.equal(woken(), expected);
    }
    await Promise.all(processes.map((p) => p.join()));
    for (const p of processes) assert.equal(p.exitcode, 0);
  } finally {
    await cleanup(processes);
  }
  for (const out of outs) assert.equal(Atomics.load(out, ERRORS), 0);
});

Deno.test("Condition.notifyAll() and notify(n) wake that many waiters", async () => {
  const cond = new Condition(new Lock());
  const outs = [newOut(), newOut(), newOut(), newOut()];
  const processes = outs.map((out) =>
    new Process({ target: "conditionWait", args: [cond, out], module })
  );
  const woken = () => outs.reduce((n, o) => n + Atomics.load(o, RESULT), 0);
  try {
    await startAll(processes);
    for (const out of outs) waitStarted(out);
    {
      using _ = await cond.hold();
      cond.notify(2);
    }
    await waitFor(() => woken() >= 2);
    {
      using _ = await cond.hold();
      cond.notify(0);
      cond.notifyAll();
    }
    await Promise.all(processes.map((p) => p.join()));
    for (const p of processes) assert.equal(p.exitcode, 0);
  } finally {
    await cleanup(processes);
  }
  assert.equal(woken(), 4);
});

Deno.test("Condition.wait() gives false when the timeout runs out, with the lock held again", async () => {
  const cond = new Condition();
  using _ = await cond.hold();
  assert.equal(await cond.wait({ timeout: 10 }), false);
  assert.equal(cond.waitSync({ timeout: 10 }), false);
  assert.equal(await cond.wait({ timeout: 0 }), false);
  // Still held: notifying is allowed.
  cond.notify();
});

Deno.test("Condition.wait() in a Process gives false on timeout", async () => {
  const cond = new Condition();
  const out = newOut();
  await using p = new Process({
    target: "conditionWait",
    args: [cond, out, 10],
    module,
  });
  await p.start();
  await p.join();
  assert.equal(p.exitcode, 0);
  assert.equal(Atomics.load(out, ERRORS), 1);
  assert.equal(Atomics.load(out, RESULT), 0);
});

Deno.test("Condition.waitFor() returns the predicate's value, false on timeout", async () => {
  const cond = new Condition();
  using _ = await cond.hold();
  let value = 0;
  setTimeout(async () => {
    for (let i = 0; i < 3; i++) {
      using _ = await cond.hold();
      value++;
      cond.notifyAll();
    }
  }, 1);
  assert.equal(await cond.waitFor(() => value === 3 && "done"), "done");
  assert.equal(await cond.waitFor(() => value === 4, { timeout: 10 }), false);
  assert.equal(cond.waitForSync(() => value === 4, { timeout: 10 }), false);
  assert.equal(cond.waitForSync(() => value), 3); // true at once: no wait
});

Deno.test("Condition.wait() and notify() throw when the lock is not held", async () => {
  const cond = new Condition();
  await assert.rejects(
    cond.wait(),
    /Cannot wait on condition: its lock is not held by this process/,
  );
  assert.throws(() => cond.waitSync(), /lock is not held/);
  assert.throws(
    () => cond.notify(),
    /Cannot notify condition: its lock is not held by this process/,
  );
  assert.throws(() => cond.notifyAll(), /lock is not held/);
  await assert.rejects(cond.waitFor(() => false), /lock is not held/);
  // Over a Lock that nobody holds.
  const withLock = new Condition(new Lock());
  assert.throws(() => withLock.notify(), /lock is not held/);
});

Deno.test("Condition.wait() releases an RLock held recursively and restores its depth", async () => {
  const lock = new RLock();
  const cond = new Condition(lock);
  await lock.acquire();
  lock.acquireSync();
  lock.acquireSync(); // depth 3
  setTimeout(async () => {
    // Only possible if wait() released every level.
    using _ = await cond.hold();
    cond.notify();
  }, 1);
  assert.equal(await cond.wait(), true);
  assert.equal(lock.isOwned(), true);
  lock.release();
  lock.release();
  assert.equal(lock.isOwned(), true);
  lock.release();
  assert.equal(lock.locked(), false);
});

Deno.test("Condition.wait() rejects with signal.reason when aborted, lock held, notification passed on", async () => {
  const cond = new Condition();
  const controller = new AbortController();
  const aborted = (async () => {
    using _ = await cond.hold();
    await cond.wait({ signal: controller.signal });
  })();
  const out = newOut();
  await using p = new Process({
    target: "conditionWait",
    args: [cond, out],
    module,
  });
  await p.start();
  waitStarted(out);
  {
    using _ = await cond.hold();
    // Wake one waiter (the first to wait, i.e. the one we abort) and abort
    // it before it can take the lock back: the notification must move on.
    cond.notify(1);
    controller.abort(new Error("stop"));
  }
  await assert.rejects(aborted, { message: "stop" });
  await p.join();
  assert.equal(Atomics.load(out, RESULT), 1);
  assert.equal(cond.acquireSync({ timeout: 0 }), true);
  cond.release();
  await assert.rejects(
    (async () => {
      using _ = await cond.hold();
      await cond.wait({ signal: AbortSignal.abort(new Error("early")) });
    })(),
    { message: "early" },
  );
  assert.equal(cond.acquireSync({ timeout: 0 }), true);
  cond.release();
});

Deno.test("Condition.notify() skips a waiter whose Process was terminated", async () => {
  const cond = new Condition();
  const doomed = newOut();
  await using p = new Process({
    target: "conditionWaitForever",
    args: [cond, doomed],
    module,
  });
  await p.start();
  waitStarted(doomed);
  using _ = await cond.hold(); // the dead-to-be waiter has registered
  p.terminate();
  await p.join();
  const waiting = cond.wait();
  // The live waiter is behind the dead one but gets the notification.
  setTimeout(async () => {
    using _ = await cond.hold();
    cond.notify(1);
  }, 1);
  assert.equal(await waiting, true);
  assert.equal(Atomics.load(doomed, ERRORS), 0);
});

Deno.test("Condition takes turns exactly across 4 processes", async () => {
  const parties = 4;
  const rounds = 150;
  const cond = new Condition();
  const turn = new Int32Array(new SharedArrayBuffer(4));
  const out = newOut();
  const processes = Array.from(
    { length: parties },
    (_, me) =>
      new Process({
        target: "conditionTurns",
        args: [cond, turn, out, me, parties, rounds, me % 2 === 0],
        module,
      }),
  );
  try {
    await startAll(processes);
    await Promise.all(processes.map((p) => p.join()));
    for (const p of processes) assert.equal(p.exitcode, 0);
  } finally {
    await cleanup(processes);
  }
  assert.equal(Atomics.load(turn, 0), parties * rounds);
  assert.equal(Atomics.load(out, DONE), parties * rounds);
  assert.equal(Atomics.load(out, ERRORS), 0);
});

Deno.test("Condition rejects bad input with TypeError and RangeError", async () => {
  assert.throws(() => new Condition({} as unknown as Lock), TypeError);
  assert.throws(
    () => new Condition(null as unknown as Lock),
    /Cannot create condition: lock must be a Lock or an RLock/,
  );
  const cond = new Condition();
  using _ = await cond.hold();
  await assert.rejects(cond.wait({ timeout: -1 }), RangeError);
  await assert.rejects(
    cond.wait({ signal: 1 as unknown as AbortSignal }),
    TypeError,
  );
  assert.throws(() => cond.waitSync({ timeout: NaN }), TypeError);
  await assert.rejects(
    cond.waitFor(1 as unknown as () => boolean),
    TypeError,
  );
  assert.throws(() => cond.notify(-1), RangeError);
  assert.throws(() => cond.notify(1.5), RangeError);
  assert.throws(() => cond.notify("1" as unknown as number), TypeError);
  assert.match(Deno.inspect(cond), /Condition \{ lock: RLock, locked: true/);
});
