// Copyright 2026 the denomp authors. MIT license.
// barrier_cycle: the parent and a Process meet at a Barrier(2), 10k cycles,
// timed per cycle.
import { Barrier, Process } from "@denomp/multiprocessing";
import { report, type ScenarioMeta } from "../_scenario.ts";

/** The row in `deno task bench:compare`. */
export const meta: ScenarioMeta = {
  name: "barrier_cycle",
  what: "one cycle of a Barrier(2) shared by two Processes (mean of 10k)",
  unit: "us",
  higherIsBetter: false,
  target: { speedup: 5 },
  python: [{ label: "spawn", args: [] }],
};

const WARMUP = 1_000;
const CYCLES = 10_000;

/** The child's side: `cycles` waits. */
export function party(barrier: Barrier, cycles: number): void {
  for (let i = 0; i < cycles; i++) barrier.waitSync();
}

if (import.meta.main) {
  const barrier = new Barrier(2);
  await using p = new Process({
    target: party,
    args: [barrier, WARMUP + CYCLES],
    module: import.meta.url,
  });
  await p.start();
  party(barrier, WARMUP);
  const t0 = performance.now();
  party(barrier, CYCLES);
  const elapsed = performance.now() - t0;
  await p.join();
  report(elapsed * 1000 / CYCLES);
}
