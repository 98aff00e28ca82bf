// Copyright 2026 the denomp authors. MIT license.
// cluster_submit_rtt: one submit() to result() on a cluster executor over a
// worker host (the worker CLI, 1 process) on a local redis-server; the
// median of 300. Its twin is Dask distributed's submit().result().
import { Cluster } from "@denomp/multiprocessing/cluster";
import { startHost, startRedis } from "../../tests/_redis.ts";
import { report, type ScenarioMeta } from "../_scenario.ts";

/** The row in `deno task bench:compare`. */
export const meta: ScenarioMeta = {
  name: "cluster_submit_rtt",
  what:
    "cluster executor over 1 worker host on local Redis: one submit -> result, median of 300, against Dask submit().result()",
  unit: "ms",
  higherIsBetter: false,
  target: { speedup: 10, max: 2 },
  python: [{
    label: "Dask LocalCluster(2) submit().result()",
    args: [],
    command: "/usr/bin/python3",
  }],
};

if (import.meta.main) {
  const root = new URL("../../tests/fixtures/", import.meta.url);
  const module = new URL("cluster_targets.ts", root);
  await using redis = await startRedis();
  await using _host = await startHost({ url: redis.url });
  await using cluster = await Cluster.connect({ url: redis.url, root });
  const executor = new cluster.ProcessPoolExecutor({ maxWorkers: 1, module });
  for (let i = 0; i < 50; i++) await executor.submit("square", i).result();
  const times: number[] = [];
  for (let i = 0; i < 300; i++) {
    const t0 = performance.now();
    await executor.submit("square", i).result();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  await executor.shutdown();
  report(times[times.length >> 1]!, {
    p90: times[Math.floor(times.length * 0.9)]!,
  });
}
