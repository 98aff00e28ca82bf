// Copyright 2026 the denomp authors. MIT license.
import assert from "node:assert/strict";
import { Lock, Process, TimeoutError, Value } from "@denomp/multiprocessing";
import {
  LOCK_HEIR,
  LOCK_OWNER,
  LOCK_STATE,
  LOCK_WAITERS,
  park,
  SHARE,
} from "../dist/lib/_internal.js";
import { sharedInts as flags, untilEqual as until } from "./_util.ts";

const module = new URL("./fixtures/shared_targets.ts", import.meta.url);

function start(target: string, args: unknown[]): Promise<Process> {
  const p = new Process({ target, args, module });
  return p.start().then(() => p);
}

Deno.test("Lock.acquire() and release() toggle locked()", async () => {
  const lock = new Lock();
  assert.equal(lock.locked(), false);
  assert.equal(await lock.acquire(), true);
  assert.equal(lock.locked(), true);
  assert.equal(lock.abandoned, false);
  lock.release();
  assert.equal(lock.locked(), false);
  assert.equal(lock.acquireSync(), true);
  assert.equal(lock.acquireSync({ timeout: 0 }), false);
  assert.equal(await lock.acquire({ timeout: 0 }), false);
  lock.release();
  assert.equal(lock.acquireSync({ timeout: 0 }), true);
  lock.release();
});

Deno.test("Lock.release() throws on an unlocked lock and changes nothing", () => {
  const lock = new Lock();
  assert.throws(() => lock.release(), {
    name: "Error",
    message: "Cannot release lock: it is not locked",
  });
  assert.equal(lock.locked(), false);
  assert.equal(lock.acquireSync({ timeout: 0 }), true);
  lock.release();
});

Deno.test("Lock.acquire() resolves false when the timeout runs out", async () => {
  const lock = new Lock();
  lock.acquireSync();
  assert.equal(await lock.acquire({ timeout: 30 }), false);
  assert.equal(lock.acquireSync({ timeout: 30 }), false);
  assert.equal(lock.locked(), true);
  lock.release();
  assert.equal(await lock.acquire({ timeout: 30 }), true);
  lock.release();
});

Deno.test("Lock.acquire() rejects with signal.reason when aborted", async (t) => {
  await t.step("already aborted: even a free lock is left free", async () => {
    const lock = new Lock();
    const reason = new Error("stop");
    await assert.rejects(
      lock.acquire({ signal: AbortSignal.abort(reason) }),
      (e) => e === reason,
    );
    assert.equal(lock.locked(), false);
  });
  await t.step("aborted while waiting: the holder keeps it", async () => {
    const lock = new Lock();
    lock.acquireSync();
    const controller = new AbortController();
    const reason = new Error("stop");
    const waiting = lock.acquire({ signal: controller.signal });
    controller.abort(reason);
    await assert.rejects(waiting, (e) => e === reason);
    assert.equal(lock.locked(), true);
    lock.release();
    assert.equal(lock.locked(), false);
    // No waiter is left behind: the lock is immediately available.
    assert.equal(lock.acquireSync({ timeout: 0 }), true);
    lock.release();
  });
  await t.step("aborted with AbortSignal.timeout", async () => {
    const lock = new Lock();
    lock.acquireSync();
    await assert.rejects(
      lock.acquire({ signal: AbortSignal.timeout(20) }),
      { name: "TimeoutError" },
    );
    assert.equal(lock.locked(), true);
    lock.release();
  });
});

Deno.test("Lock.acquire() wakes async waiters on the main thread in turn", async () => {
  const lock = new Lock();
  await lock.acquire();
  const order: number[] = [];
  const waiters = [1, 2, 3].map(async (n) => {
    await lock.acquire();
    order.push(n);
    await Promise.resolve();
    lock.release();
  });
  lock.release();
  await Promise.all(waiters);
  assert.deepEqual(order.toSorted(), [1, 2, 3]);
  assert.equal(lock.locked(), false);
});

Deno.test("Lock rejects bad options with TypeError and RangeError", async () => {
  const lock = new Lock();
  assert.throws(() => lock.acquireSync({ timeout: -1 }), {
    name: "RangeError",
    message: "Cannot acquire lock: timeout must be non-negative, received -1",
  });
  assert.throws(
    () => lock.acquireSync({ timeout: "1" as unknown as number }),
    TypeError,
  );
  assert.throws(
    () => lock.acquireSync(null as unknown as undefined),
    TypeError,
  );
  await assert.rejects(lock.acquire({ timeout: NaN }), TypeError);
  await assert.rejects(
    lock.acquire({ signal: "x" as unknown as AbortSignal }),
    TypeError,
  );
  assert.throws(() => lock.holdSync({ timeout: -5 }), RangeError);
  assert.equal(lock.locked(), false);
});

Deno.test("Lock.hold() and holdSync() return guards for using", async () => {
  const lock = new Lock();
  {
    using guard = await lock.hold();
    assert.equal(guard.abandoned, false);
    assert.equal(lock.locked(), true);
  }
  assert.equal(lock.locked(), false);
  {
    using guard = lock.holdSync();
    assert.equal(lock.locked(), true);
    guard.release();
    assert.equal(lock.locked(), false);
    // Releasing twice (here, release() and then dispose) is a no-op.
    lock.acquireSync();
  }
  assert.equal(lock.locked(), true); // the guard did not release the re-take
  lock.release();
  lock.acquireSync();
  assert.throws(() => lock.holdSync({ timeout: 0 }), TimeoutError);
  await assert.rejects(lock.hold({ timeout: 5 }), TimeoutError);
  lock.release();
});

Deno.test("Lock crosses into a Process as the same lock", async () => {
  const lock = new Lock();
  const flag = flags();
  await using p = await start("holdUntilTold", [lock, flag]);
  await until(flag, 0, 1);
  assert.equal(lock.locked(), true);
  assert.equal(await lock.acquire({ timeout: 0 }), false);
  const waiting = lock.acquire();
  Atomics.store(flag, 1, 1);
  Atomics.notify(flag, 1);
  assert.equal(await waiting, true);
  assert.equal(lock.abandoned, false);
  lock.release();
  await p.join();
  assert.equal(p.exitcode, 0);
});

Deno.test("Lock.release() works from another Process, as in Python", async () => {
  const lock = new Lock();
  lock.acquireSync();
  const out = flags();
  await using p = await start("releaseForeign", [lock, out]);
  await p.join();
  assert.equal(out[0], 0);
  assert.equal(lock.locked(), false);
  // And releasing it again, unlocked, is an error over there too.
  await using q = await start("releaseForeign", [lock, out]);
  await q.join();
  assert.equal(out[0], 1);
});

Deno.test("Lock.acquireSync() with a timeout in a Process gives up", async () => {
  const lock = new Lock();
  lock.acquireSync();
  const out = flags();
  out[0] = 7;
  await using p = await start("tryAcquire", [lock, 20, out]);
  await p.join();
  assert.equal(out[0], 0);
  lock.release();
});

Deno.test("Lock keeps 8 Processes x 50k increments exact and starves no one", async () => {
  const lock = new Lock();
  const total = flags(1);
  const mine = flags(8);
  const turns = flags(8);
  const gate = flags(3);
  const limit = 8 * 50_000;
  const ps: Process[] = [];
  try {
    for (let i = 0; i < 8; i++) {
      ps.push(
        await start("competeUntil", [lock, total, mine, turns, i, limit, gate]),
      );
    }
    await until(gate, 0, 8);
    Atomics.store(gate, 1, 1);
    Atomics.notify(gate, 1);
    for (const p of ps) await p.join();
  } finally {
    for (const p of ps) await p[Symbol.asyncDispose]();
  }
  for (const p of ps) assert.equal(p.exitcode, 0);
  assert.equal(total[0], limit);
  assert.equal(mine.reduce((a, b) => a + b, 0), limit);
  // No worker may starve: each gets turns while the others compete (how
  // many of the increments each gets depends on when the OS runs it).
  assert.equal(gate[2], 0, `a worker had no turn in 30 s: ${turns}`);
  for (const n of turns) assert.ok(n > 0, `a worker starved: ${turns}`);
  assert.equal(lock.locked(), false);
});

Deno.test("Lock held by a terminated Process passes to the next acquirer, abandoned", async (t) => {
  await t.step("holder idle in its event loop", async () => {
    const lock = new Lock();
    const flag = flags();
    await using p = await start("holdForever", [lock, flag]);
    await until(flag, 0, 1);
    assert.equal(await lock.acquire({ timeout: 0 }), false);
    const waiting = lock.acquire();
    p.terminate();
    assert.equal(await waiting, true);
    assert.equal(lock.abandoned, true);
    lock.release();
    // The next acquire is an ordinary one.
    assert.equal(lock.acquireSync(), true);
    assert.equal(lock.abandoned, false);
    lock.release();
  });
  await t.step("holder busy mid-critical-section (killed)", async () => {
    const v = new Value("i", 0, { lock: new Lock() });
    const flag = flags();
    await using p = await start("holdBusy", [v, flag]);
    try {
      await until(flag, 0, 1);
      p.kill();
      using guard = await v.getLock().hold();
      assert.equal(guard.abandoned, true);
      assert.equal(v.value, -1); // the half-done update is visible
      v.value = 0;
    } finally {
      Atomics.store(flag, 1, 1); // let the stale thread finish
    }
  });
  await t.step("holder exits while holding", async () => {
    const lock = new Lock();
    await using p = await start("acquireAndExit", [lock]);
    await p.join();
    assert.equal(p.exitcode, 0);
    assert.equal(lock.locked(), true);
    assert.equal(lock.acquireSync(), true);
    assert.equal(lock.abandoned, true);
    lock.release();
  });
  await t.step("holder crashes while holding", async () => {
    const lock = new Lock();
    await using p = await start("acquireAndThrow", [lock]);
    await p.join();
    assert.equal(p.exitcode, 1);
    const out = flags();
    await using q = await start("acquireReport", [lock, out]);
    await q.join();
    assert.equal(out[0], 1);
    assert.equal(lock.locked(), false);
  });
});

Deno.test("Lock inspects as its state", () => {
  const lock = new Lock();
  assert.equal(Deno.inspect(lock), "Lock { unlocked }");
  lock.acquireSync();
  assert.match(Deno.inspect(lock), /^Lock \{ locked by pid \d+ \}$/);
  lock.release();
});

function stateOf(lock: Lock): Int32Array {
  return new Int32Array(lock[SHARE]().data as SharedArrayBuffer);
}

Deno.test("Lock.acquire() aborted or timed out leaves the state word exactly as it was", async () => {
  const lock = new Lock();
  lock.acquireSync();
  const i32 = stateOf(lock);
  const before = [...i32];
  const controller = new AbortController();
  // The waiter flags the state and parks before acquire() returns.
  const waiting = lock.acquire({ signal: controller.signal });
  assert.notEqual(i32[LOCK_STATE], before[LOCK_STATE]); // flagged contended
  controller.abort();
  await assert.rejects(waiting);
  assert.deepEqual([...i32], before);
  assert.equal(await lock.acquire({ timeout: 10 }), false);
  assert.deepEqual([...i32], before);
  lock.release();
  assert.deepEqual([...i32], [0, 0, 0, 0]);
});

Deno.test("Lock.release() hands the lock to a waiter that has waited long", async () => {
  const lock = new Lock();
  lock.acquireSync();
  const i32 = stateOf(lock);
  const flag = flags();
  await using p = await start("holdUntilTold", [lock, flag]);
  // Wait until the Process has registered as heir (it waits > 5 ms).
  while (Atomics.load(i32, LOCK_HEIR) === 0) {
    await park(i32, LOCK_HEIR, 0, { timeout: 50 });
  }
  assert.equal(Atomics.load(i32, LOCK_HEIR), p.pid);
  lock.release();
  // Handed over, not freed: nobody could barge in between.
  assert.equal(Atomics.load(i32, LOCK_STATE) & LOCK_OWNER, p.pid);
  assert.equal(lock.acquireSync({ timeout: 0 }), false);
  await until(flag, 0, 1);
  Atomics.store(flag, 1, 1);
  Atomics.notify(flag, 1);
  await p.join();
  assert.equal(p.exitcode, 0);
  assert.equal(lock.locked(), false);
});

Deno.test("Lock.acquireSync() parked in a Process takes over from a killed holder", async () => {
  const lock = new Lock();
  const i32 = stateOf(lock);
  const flag = flags();
  const out = flags();
  out[0] = 7;
  await using holder = await start("holdForever", [lock, flag]);
  await until(flag, 0, 1);
  await using waiter = await start("acquireSyncReport", [lock, out]);
  while (Atomics.load(i32, LOCK_WAITERS) === 0) {
    await park(i32, LOCK_WAITERS, 0, { timeout: 50 });
  }
  holder.kill();
  await waiter.join();
  assert.equal(waiter.exitcode, 0);
  assert.equal(out[0], 1);
  assert.equal(lock.locked(), false);
});
