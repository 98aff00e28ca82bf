// Copyright 2026 the denomp authors. MIT license.
// executor_submit: ProcessPoolExecutor(2), 20k submit() + asCompleted. Extra
// columns: Pool(2).map of the same 20k items with chunksize 1 in the same
// process afterwards, and the executor's share of it (held to >= 60%).
import {
  asCompleted,
  Pool,
  ProcessPoolExecutor,
} from "@denomp/multiprocessing";
import { bestOf, report, type ScenarioMeta } from "../_scenario.ts";

/** The row in `deno task bench:compare`. */
export const meta: ScenarioMeta = {
  name: "executor_submit",
  what: "ProcessPoolExecutor(2): 20k submit + asCompleted",
  unit: "tasks/s",
  higherIsBetter: true,
  target: { speedup: 10, extra: { ofPoolMap: { min: 0.6 } } },
};

/** The task. */
export function square(x: number): number {
  return x * x;
}

async function submitAll(executor: ProcessPoolExecutor, n: number) {
  const futures = [];
  for (let i = 0; i < n; i++) futures.push(executor.submit(square, i));
  let sum = 0;
  for await (const future of asCompleted(futures)) {
    sum += await future.result();
  }
  if (sum !== ((n - 1) * n * (2 * n - 1)) / 6) {
    throw new Error(`wrong sum ${sum}`);
  }
}

if (import.meta.main) {
  const n = 20_000;
  const module = import.meta.url;
  const xs = Array.from({ length: n }, (_, i) => i);
  await using executor = new ProcessPoolExecutor({ maxWorkers: 2, module });
  await using pool = new Pool({ processes: 2, module });
  // Both warm, then turn about, so that drift on a shared machine hits both.
  let best = Infinity;
  let poolBest = Infinity;
  for (let round = 0; round < 9; round++) {
    const a = await bestOf(() => submitAll(executor, n), 1, 0);
    const b = await bestOf(() => pool.map(square, xs, { chunksize: 1 }), 1, 0);
    if (round === 0) continue;
    best = Math.min(best, a);
    poolBest = Math.min(poolBest, b);
  }
  const rate = n / (best / 1000);
  const poolRate = n / (poolBest / 1000);
  report(rate, { poolMap: poolRate, ofPoolMap: rate / poolRate });
}
