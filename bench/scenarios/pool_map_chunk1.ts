// Copyright 2026 the denomp authors. MIT license.
// pool_map_chunk1: Pool(2).map(square, 20k items, chunksize 1).
import { Pool } from "@denomp/multiprocessing";
import { bestOf, report, type ScenarioMeta } from "../_scenario.ts";

/** The row in `deno task bench:compare`. */
export const meta: ScenarioMeta = {
  name: "pool_map_chunk1",
  what: "Pool(2).map(square, 20k items, chunksize=1)",
  unit: "tasks/s",
  higherIsBetter: true,
  target: { speedup: 3 },
};

/** The task. */
export function square(x: number): number {
  return x * x;
}

if (import.meta.main) {
  const n = 20_000;
  const xs = Array.from({ length: n }, (_, i) => i);
  await using pool = new Pool({ processes: 2, module: import.meta.url });
  const best = await bestOf(() => pool.map(square, xs, { chunksize: 1 }), 5);
  report(n / (best / 1000));
}
