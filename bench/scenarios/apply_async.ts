// Copyright 2026 the denomp authors. MIT license.
// apply_async: Pool(2), 20k applyAsync(square, [i]) given at once, then
// get() of each (Python's `[pool.apply_async(f, (i,)) for i in ...]` and
// `[r.get() for r in results]`). Every task is its own chunk and settles its
// own AsyncResult, as executor_submit's tasks each settle a Future: the bar
// is the executor's, >= 10x Python. (pool_map_chunk1 asks 3x, but there 20k
// one-item chunks settle one result; Python's apply_async costs about what
// its map with chunksize 1 costs per task and less than its executor, so
// 10x here is the stricter of the two bars.)
import { type AsyncResult, Pool } from "@denomp/multiprocessing";
import { bestOf, report, type ScenarioMeta } from "../_scenario.ts";

/** The row in `deno task bench:compare`. */
export const meta: ScenarioMeta = {
  name: "apply_async",
  what: "Pool(2): 20k applyAsync(square) + get()",
  unit: "tasks/s",
  higherIsBetter: true,
  target: { speedup: 10 },
};

/** The task. */
export function square(x: number): number {
  return x * x;
}

if (import.meta.main) {
  const n = 20_000;
  await using pool = new Pool({ processes: 2, module: import.meta.url });
  const best = await bestOf(async () => {
    const results: AsyncResult<number>[] = [];
    for (let i = 0; i < n; i++) results.push(pool.applyAsync(square, [i]));
    let sum = 0;
    for (const result of results) sum += await result.get();
    if (sum !== 2666466670000) throw new Error(`wrong sum ${sum}`);
  }, 5);
  report(n / (best / 1000));
}
