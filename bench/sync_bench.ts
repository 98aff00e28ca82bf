// Copyright 2026 the denomp authors. MIT license.
// `deno bench`: the uncontended paths of Semaphore, BoundedSemaphore, Event,
// Condition and Barrier, each against the raw Atomics operations they are built on.
import {
  Barrier,
  BoundedSemaphore,
  Condition,
  Event,
  Lock,
  Semaphore,
} from "@denomp/multiprocessing";

const raw = new Int32Array(new SharedArrayBuffer(16));

Deno.bench({
  group: "semaphore",
  name: "raw compareExchange + add",
  baseline: true,
  fn() {
    Atomics.compareExchange(raw, 0, 0, 1);
    Atomics.add(raw, 0, -1);
  },
});

const sem = new Semaphore(1);
Deno.bench({
  group: "semaphore",
  name: "Semaphore.acquireSync() + release()",
  fn() {
    sem.acquireSync();
    sem.release();
  },
});

const bounded = new BoundedSemaphore(1);
Deno.bench({
  group: "semaphore",
  name: "BoundedSemaphore.acquireSync() + release()",
  fn() {
    bounded.acquireSync();
    bounded.release();
  },
});

Deno.bench({
  group: "semaphore",
  name: "Semaphore.acquire() + release() (async)",
  async fn() {
    await sem.acquire();
    sem.release();
  },
});

Deno.bench({
  group: "event",
  name: "raw store + notify + store",
  baseline: true,
  fn() {
    Atomics.store(raw, 1, 1);
    Atomics.notify(raw, 1);
    Atomics.store(raw, 1, 0);
  },
});

const event = new Event();
Deno.bench({
  group: "event",
  name: "Event.set() + clear()",
  fn() {
    event.set();
    event.clear();
  },
});

const setEvent = new Event();
setEvent.set();
Deno.bench({
  group: "event",
  name: "Event.waitSync() when set",
  fn() {
    setEvent.waitSync();
  },
});

Deno.bench({
  group: "barrier",
  name: "raw add + notify (one party)",
  baseline: true,
  fn() {
    Atomics.add(raw, 2, 1);
    Atomics.notify(raw, 2);
  },
});

const single = new Barrier(1);
Deno.bench({
  group: "barrier",
  name: "Barrier(1).waitSync()",
  fn() {
    single.waitSync();
  },
});

const pair = new Barrier(2);
Deno.bench({
  group: "barrier",
  name: "Barrier(2): two wait() in one thread",
  async fn() {
    await Promise.all([pair.wait(), pair.wait()]);
  },
});

Deno.bench({
  group: "condition",
  name: "raw compareExchange + store (lock + unlock)",
  baseline: true,
  fn() {
    Atomics.compareExchange(raw, 3, 0, 1);
    Atomics.store(raw, 3, 0);
  },
});

const cond = new Condition();
Deno.bench({
  group: "condition",
  name: "Condition (RLock): holdSync + notify() with no waiter",
  fn() {
    using _ = cond.holdSync();
    cond.notify();
  },
});

const condLock = new Condition(new Lock());
Deno.bench({
  group: "condition",
  name: "Condition (Lock): holdSync + waitSync({ timeout: 0 })",
  fn() {
    using _ = condLock.holdSync();
    condLock.waitSync({ timeout: 0 });
  },
});
