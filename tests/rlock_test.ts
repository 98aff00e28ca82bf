// Copyright 2026 the denomp authors. MIT license.
import assert from "node:assert/strict";
import { Process, RLock, TimeoutError } from "@denomp/multiprocessing";
import { sharedInts as flags, untilEqual as until } from "./_util.ts";

const module = new URL("./fixtures/shared_targets.ts", import.meta.url);

function start(target: string, args: unknown[]): Promise<Process> {
  const p = new Process({ target, args, module });
  return p.start().then(() => p);
}

Deno.test("RLock.acquire() is reentrant for its owner", async () => {
  const lock = new RLock();
  assert.equal(await lock.acquire(), true);
  assert.equal(await lock.acquire(), true);
  assert.equal(lock.acquireSync(), true);
  assert.equal(lock.acquireSync({ timeout: 0 }), true);
  assert.equal(await lock.acquire({ timeout: 0 }), true);
  assert.equal(lock.isOwned(), true);
  assert.match(Deno.inspect(lock), /depth 5/);
  for (let i = 0; i < 4; i++) {
    lock.release();
    assert.equal(lock.locked(), true);
  }
  lock.release();
  assert.equal(lock.locked(), false);
  assert.equal(lock.isOwned(), false);
  assert.equal(Deno.inspect(lock), "RLock { unlocked }");
});

Deno.test("RLock.release() throws when this Process does not hold it", () => {
  const lock = new RLock();
  assert.throws(() => lock.release(), {
    name: "Error",
    message: "Cannot release lock: it is not held by this process",
  });
  assert.equal(lock.locked(), false);
});

Deno.test("RLock.release() from another Process throws and keeps the lock", async () => {
  const lock = new RLock();
  lock.acquireSync();
  const out = flags();
  await using p = await start("releaseForeign", [lock, out]);
  await p.join();
  assert.equal(out[0], 1);
  assert.equal(lock.isOwned(), true);
  lock.release();
  assert.equal(lock.locked(), false);
});

Deno.test("RLock.acquire() waits for another owner, with timeout and signal", async () => {
  const lock = new RLock();
  const flag = flags();
  await using p = await start("holdUntilTold", [lock, flag]);
  await until(flag, 0, 1);
  assert.equal(lock.isOwned(), false);
  assert.equal(await lock.acquire({ timeout: 0 }), false);
  assert.equal(lock.acquireSync({ timeout: 20 }), false);
  const reason = new Error("stop");
  const controller = new AbortController();
  const aborted = lock.acquire({ signal: controller.signal });
  controller.abort(reason);
  await assert.rejects(aborted, (e) => e === reason);
  assert.equal(lock.locked(), true);
  const waiting = lock.acquire();
  Atomics.store(flag, 1, 1);
  Atomics.notify(flag, 1);
  assert.equal(await waiting, true);
  assert.equal(lock.abandoned, false);
  lock.release();
  await p.join();
  assert.equal(p.exitcode, 0);
});

Deno.test("RLock.hold() and holdSync() release one level each", async () => {
  const lock = new RLock();
  {
    using _a = await lock.hold();
    {
      using _b = lock.holdSync();
      assert.equal(lock.locked(), true);
    }
    assert.equal(lock.isOwned(), true);
  }
  assert.equal(lock.locked(), false);
  const flag = flags();
  await using p = await start("holdUntilTold", [lock, flag]);
  await until(flag, 0, 1);
  assert.throws(() => lock.holdSync({ timeout: 0 }), TimeoutError);
  await assert.rejects(lock.hold({ timeout: 5 }), TimeoutError);
  Atomics.store(flag, 1, 1);
  Atomics.notify(flag, 1);
  await p.join();
});

Deno.test("RLock rejects bad options", async () => {
  const lock = new RLock();
  assert.throws(() => lock.acquireSync({ timeout: -1 }), RangeError);
  assert.throws(
    () => lock.acquireSync({ timeout: "x" as unknown as number }),
    TypeError,
  );
  await assert.rejects(
    lock.acquire({ signal: {} as AbortSignal }),
    TypeError,
  );
  await assert.rejects(lock.acquire(5 as unknown as undefined), TypeError);
  assert.equal(lock.locked(), false);
});

Deno.test("RLock held by a terminated Process passes on, abandoned, depth reset", async () => {
  const lock = new RLock();
  const flag = flags();
  await using p = await start("holdForever", [lock, flag]);
  await until(flag, 0, 1);
  const waiting = lock.acquire();
  p.terminate();
  assert.equal(await waiting, true);
  assert.equal(lock.abandoned, true);
  lock.release(); // one release frees it: the dead owner's depth is gone
  assert.equal(lock.locked(), false);

  await using q = await start("acquireAndExit", [lock]);
  await q.join();
  assert.equal(lock.acquireSync(), true);
  assert.equal(lock.abandoned, true);
  lock.release();
  assert.equal(lock.locked(), false);
});
