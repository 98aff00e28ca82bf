// Copyright 2026 the denomp authors. MIT license.
// manager_start: start a Manager (a subprocess) and make one dict, in ms
// (best of 5; shutdown not timed). Default address: a Unix socket.
import { Manager } from "@denomp/multiprocessing";
import { report, type ScenarioMeta } from "../_scenario.ts";

/** The row in `deno task bench:compare`. */
export const meta: ScenarioMeta = {
  name: "manager_start",
  what: "start a Manager and make one dict (best of 5)",
  unit: "ms",
  higherIsBetter: false,
  target: { speedup: 1 },
  python: [{ label: "spawn", args: [] }],
};

if (import.meta.main) {
  let best = Infinity;
  for (let i = 0; i < 6; i++) {
    const t0 = performance.now();
    const manager = await Manager.start();
    await manager.dict();
    const ms = performance.now() - t0;
    await manager.shutdown();
    if (i > 0) best = Math.min(best, ms);
  }
  report(best);
}
