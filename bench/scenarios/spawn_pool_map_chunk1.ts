// Copyright 2026 the denomp authors. MIT license.
// spawn_pool_map_chunk1: Pool(2, spawn).map(square, 20k items, chunksize 1).
import { Pool } from "@denomp/multiprocessing";
import { bestOf, report, type ScenarioMeta } from "../_scenario.ts";

/** The row in `deno task bench:compare`. */
export const meta: ScenarioMeta = {
  name: "spawn_pool_map_chunk1",
  what: 'Pool(2, startMethod "spawn").map(square, 20k items, chunksize=1)',
  unit: "tasks/s",
  higherIsBetter: true,
  target: { speedup: 2 },
  python: [{ label: "spawn", args: ["spawn"] }],
};

/** The task. */
export function square(x: number): number {
  return x * x;
}

if (import.meta.main) {
  const n = 20_000;
  const xs = Array.from({ length: n }, (_, i) => i);
  await using pool = new Pool({
    processes: 2,
    module: import.meta.url,
    startMethod: "spawn",
  });
  await pool.map(square, xs.slice(0, 1000), { chunksize: 1 }); // start them
  const best = await bestOf(() => pool.map(square, xs, { chunksize: 1 }), 5);
  report(n / (best / 1000));
}
