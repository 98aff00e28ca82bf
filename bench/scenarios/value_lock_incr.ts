// Copyright 2026 the denomp authors. MIT license.
// value_lock_incr: 4 processes x 50k locked `v.value += 1` on one
// Value("i") (acquireSync / try / finally release, the exact equivalent of
// Python's `with v.get_lock():`; a `using` guard works too but V8's `using`
// itself costs ~0.2 us in Deno 2.9); the final value must be exact. Timed from
// the moment all four are ready and released together until all four have
// finished (process start-up is not part of it), in increments per second.
import { Process, Value } from "@denomp/multiprocessing";
import { report, type ScenarioMeta } from "../_scenario.ts";

/** The row in `deno task bench:compare`. */
export const meta: ScenarioMeta = {
  name: "value_lock_incr",
  what: "4 processes x 50k locked `v.value += 1` on one Value (exact)",
  unit: "incr/s",
  higherIsBetter: true,
  target: { speedup: 10 },
  python: [{ label: "4 processes", args: [] }],
};

const PROCESSES = 4;
const TIMES = 50_000;
// gate slots: 0 = ready count, 1 = go, 2 = done count
const READY = 0;
const GO = 1;
const DONE = 2;

/** Waits at the gate, then increments under the Value's lock. */
export function incr(v: Value<"i">, gate: Int32Array, times: number): void {
  Atomics.add(gate, READY, 1);
  Atomics.notify(gate, READY);
  while (Atomics.load(gate, GO) === 0) Atomics.wait(gate, GO, 0);
  const lock = v.getLock();
  for (let i = 0; i < times; i++) {
    lock.acquireSync();
    try {
      v.value += 1;
    } finally {
      lock.release();
    }
  }
  Atomics.add(gate, DONE, 1);
  Atomics.notify(gate, DONE);
}

function waitCount(gate: Int32Array, slot: number, n: number): void {
  while (true) {
    const now = Atomics.load(gate, slot);
    if (now >= n) return;
    Atomics.wait(gate, slot, now, 100);
  }
}

async function once(): Promise<number> {
  const v = new Value("i", 0);
  const gate = new Int32Array(new SharedArrayBuffer(16));
  const ps = [];
  for (let i = 0; i < PROCESSES; i++) {
    const p = new Process({
      target: incr,
      args: [v, gate, TIMES],
      module: import.meta.url,
    });
    await p.start();
    ps.push(p);
  }
  waitCount(gate, READY, PROCESSES);
  const t0 = performance.now();
  Atomics.store(gate, GO, 1);
  Atomics.notify(gate, GO);
  waitCount(gate, DONE, PROCESSES);
  const ms = performance.now() - t0;
  for (const p of ps) await p.join();
  if (v.value !== PROCESSES * TIMES) throw new Error(`lost: ${v.value}`);
  return ms;
}

if (import.meta.main) {
  await once(); // warm-up
  let best = Infinity;
  for (let i = 0; i < 3; i++) best = Math.min(best, await once());
  report((PROCESSES * TIMES) / (best / 1000));
}
