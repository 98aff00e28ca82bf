// Copyright 2026 the denomp authors. MIT license.
// `deno bench`: the uncontended paths of Lock and RLock against the raw
// Atomics operations they are built on.
import { Lock, RLock } from "@denomp/multiprocessing";

const raw = new Int32Array(new SharedArrayBuffer(16));

Deno.bench({
  group: "lock",
  name: "raw compareExchange + store",
  baseline: true,
  fn() {
    Atomics.compareExchange(raw, 0, 0, 1);
    Atomics.store(raw, 0, 0);
  },
});

const lock = new Lock();
Deno.bench({
  group: "lock",
  name: "Lock.acquireSync() + release()",
  fn() {
    lock.acquireSync();
    lock.release();
  },
});

const rlock = new RLock();
Deno.bench({
  group: "lock",
  name: "RLock.acquireSync() + release()",
  fn() {
    rlock.acquireSync();
    rlock.release();
  },
});

Deno.bench({
  group: "lock",
  name: "Lock.holdSync() guard with using",
  fn() {
    using _ = lock.holdSync();
  },
});

Deno.bench({
  group: "lock",
  name: "Lock.acquireSync({ timeout: 0 }) + release()",
  fn() {
    lock.acquireSync({ timeout: 0 });
    lock.release();
  },
});

Deno.bench({
  group: "lock-async",
  name: "raw compareExchange + store, awaited",
  baseline: true,
  async fn() {
    await Atomics.compareExchange(raw, 0, 0, 1);
    Atomics.store(raw, 0, 0);
  },
});

Deno.bench({
  group: "lock-async",
  name: "await Lock.acquire() + release()",
  async fn() {
    await lock.acquire();
    lock.release();
  },
});

const outer = new RLock();
outer.acquireSync();
Deno.bench({
  group: "rlock-reentrant",
  name: "raw load + plain increment",
  baseline: true,
  fn() {
    if (Atomics.load(raw, 1) === 0) raw[2]!++;
    raw[2]!--;
  },
});

Deno.bench({
  group: "rlock-reentrant",
  name: "RLock re-acquire + release by its owner",
  fn() {
    outer.acquireSync();
    outer.release();
  },
});
