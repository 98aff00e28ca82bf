// Copyright 2026 the denomp authors. MIT license.
// executor_submit_1m: ProcessPoolExecutor(2), 1M submit() and then result()
// of each future in order, in tasks/s, with the process's peak resident set
// size while it runs. The bar is against ourselves: Pool(2).map of the same
// 1M items with chunksize 1, measured in the same process afterwards
// (`ofPoolMap`), and a memory ceiling (`peakRssMiB`). CPython cannot hold a
// million futures in reasonable time (about 200 s here), so its twin submits
// 100k: the ratio is per task, the memory figures are not comparable.
import { Pool, ProcessPoolExecutor } from "@denomp/multiprocessing";
import { peakRss, report, type ScenarioMeta } from "../_scenario.ts";

/** The row in `deno task bench:compare`. */
export const meta: ScenarioMeta = {
  name: "executor_submit_1m",
  what:
    "ProcessPoolExecutor(2): 1M submit, then result() of each (Python: 100k); peak RSS",
  unit: "tasks/s",
  higherIsBetter: true,
  target: {
    extra: { ofPoolMap: { min: 0.5 }, peakRssMiB: { max: 600 } },
  },
};

/** The task. */
export function square(x: number): number {
  return x * x;
}

const N = 1_000_000;
// The exact sum of i * i for i < N would exceed 2^53; this one is exact.
const CHECK = 1_000;

async function executorRun(): Promise<{ ms: number; peakMiB: number }> {
  await using executor = new ProcessPoolExecutor({
    maxWorkers: 2,
    module: import.meta.url,
  });
  // Start the workers and warm the path with a smaller run.
  const warm = [];
  for (let i = 0; i < 20_000; i++) warm.push(executor.submit(square, i));
  for (const future of warm) await future.result();
  warm.length = 0;
  const rss = peakRss();
  const t0 = performance.now();
  const futures = [];
  for (let i = 0; i < N; i++) {
    futures.push(executor.submit(square, i));
    if ((i & 0xffff) === 0) rss.sample();
  }
  let check = 0;
  for (let i = 0; i < N; i++) {
    const value = await futures[i]!.result();
    if (i % CHECK === 0) check += value;
    if ((i & 0xffff) === 0) rss.sample();
  }
  const ms = performance.now() - t0;
  const peakMiB = rss.stop();
  if (check !== expected()) throw new Error(`wrong results ${check}`);
  return { ms, peakMiB };
}

function expected(): number {
  let sum = 0;
  for (let i = 0; i < N; i += CHECK) sum += i * i;
  return sum;
}

async function poolMapRun(): Promise<number> {
  await using pool = new Pool({ processes: 2, module: import.meta.url });
  const xs = Array.from({ length: N }, (_, i) => i);
  await pool.map(square, xs.slice(0, 20_000), { chunksize: 1 });
  const t0 = performance.now();
  const out = await pool.map(square, xs, { chunksize: 1 });
  const ms = performance.now() - t0;
  if (out.length !== N || out[N - 1] !== (N - 1) * (N - 1)) {
    throw new Error("wrong map result");
  }
  return ms;
}

if (import.meta.main) {
  // The executor first, so that its peak is not lifted by the map's heap.
  const executor = await executorRun();
  const poolMs = await poolMapRun();
  const rate = N / (executor.ms / 1000);
  const poolRate = N / (poolMs / 1000);
  report(rate, {
    peakRssMiB: executor.peakMiB,
    poolMap: poolRate,
    ofPoolMap: rate / poolRate,
  });
}
