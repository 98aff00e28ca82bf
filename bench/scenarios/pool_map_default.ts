// Copyright 2026 the denomp authors. MIT license.
// pool_map_default: Pool(2).map(square, 100k items) with the default chunksize.
import { Pool } from "@denomp/multiprocessing";
import { bestOf, report, type ScenarioMeta } from "../_scenario.ts";

/** The row in `deno task bench:compare`. */
export const meta: ScenarioMeta = {
  name: "pool_map_default",
  what: "Pool(2).map(square, 100k items), default chunksize",
  unit: "tasks/s",
  higherIsBetter: true,
  target: { speedup: 1 },
};

/** The task. */
export function square(x: number): number {
  return x * x;
}

if (import.meta.main) {
  const n = 100_000;
  const xs = Array.from({ length: n }, (_, i) => i);
  await using pool = new Pool({ processes: 2, module: import.meta.url });
  const best = await bestOf(() => pool.map(square, xs), 10, 2);
  report(n / (best / 1000));
}
