// Copyright 2026 the denomp authors. MIT license.
// `deno bench` for ProcessPoolExecutor at volume: a million futures, against
// the same million items through Pool.map with chunksize 1 (the baseline the
// executor_submit_1m row holds it to: >= 50% of it). Each run takes seconds,
// so each bench runs a fixed few times.
import {
  asCompleted,
  Pool,
  ProcessPoolExecutor,
} from "@denomp/multiprocessing";
// The task lives in a module without side effects: a worker imports the
// task's module, and this one starts pools at its top level.
import { square } from "../tests/fixtures/pool_targets.ts";

const module = new URL("../tests/fixtures/pool_targets.ts", import.meta.url);

const N = 1_000_000;
const xs = Array.from({ length: N }, (_, i) => i);

const pool = new Pool({ processes: 2, module });
const executor = new ProcessPoolExecutor({ maxWorkers: 2, module });
// Start the workers before timing.
await pool.map(square, xs.slice(0, 20_000), { chunksize: 1 });
for (const f of xs.slice(0, 20_000).map((x) => executor.submit(square, x))) {
  await f.result();
}

Deno.bench({
  group: "1M tiny tasks",
  name: "Pool(2).map(square, chunksize 1)",
  baseline: true,
  n: 3,
  warmup: 1,
  async fn() {
    await pool.map(square, xs, { chunksize: 1 });
  },
});

Deno.bench({
  group: "1M tiny tasks",
  name: "ProcessPoolExecutor(2): submit, then result() of each",
  n: 3,
  warmup: 1,
  async fn() {
    const futures = xs.map((x) => executor.submit(square, x));
    for (const f of futures) await f.result();
  },
});

Deno.bench({
  group: "1M tiny tasks",
  name: "ProcessPoolExecutor(2): submit + asCompleted",
  n: 3,
  warmup: 1,
  async fn() {
    const futures = xs.map((x) => executor.submit(square, x));
    for await (const f of asCompleted(futures)) await f.result();
  },
});

globalThis.addEventListener("unload", () => {
  pool.terminate();
  void executor.shutdown({ wait: false });
});
