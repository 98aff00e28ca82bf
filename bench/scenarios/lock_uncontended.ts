// Copyright 2026 the denomp authors. MIT license.
// lock_uncontended: `acquireSync()` + `release()` of a Lock in one process,
// nanoseconds per pair. Extra columns: an RLock, and the raw floor (a bare
// Atomics.compareExchange + Atomics.store on a SharedArrayBuffer).
import { Lock, RLock } from "@denomp/multiprocessing";
import { bestOf, report, type ScenarioMeta } from "../_scenario.ts";

/** The row in `deno task bench:compare`. */
export const meta: ScenarioMeta = {
  name: "lock_uncontended",
  what: "Lock acquire + release in one process",
  unit: "ns",
  higherIsBetter: false,
  target: { speedup: 2 },
  python: [{ label: "Lock", args: [] }],
};

const ROUNDS = 5_000_000;

function lockLoop(lock: Lock | RLock): void {
  for (let i = 0; i < ROUNDS; i++) {
    lock.acquireSync();
    lock.release();
  }
}

function rawLoop(i32: Int32Array): void {
  for (let i = 0; i < ROUNDS; i++) {
    Atomics.compareExchange(i32, 0, 0, 1);
    Atomics.store(i32, 0, 0);
  }
}

if (import.meta.main) {
  const lock = new Lock();
  const rlock = new RLock();
  const raw = new Int32Array(new SharedArrayBuffer(16));
  const ns = (ms: number) => (ms * 1e6) / ROUNDS;
  const lockNs = ns(await bestOf(() => lockLoop(lock), 5, 1));
  const rlockNs = ns(await bestOf(() => lockLoop(rlock), 5, 1));
  const rawNs = ns(await bestOf(() => rawLoop(raw), 5, 1));
  report(lockNs, { rlock: rlockNs, rawCasStore: rawNs });
}
