// Copyright 2026 the denomp authors. MIT license.
// cluster_map: a cluster Pool over 2 local worker hosts (worker CLI
// subprocesses, 1 process each) on a local redis-server: map(square) over
// 20k items with chunksize 1 (the value) and the default chunksize, and the
// local thread Pool(2) doing the same default-chunksize map in the same run.
// Its twin is Dask distributed's LocalCluster(2) client.map + gather.
import { Pool } from "@denomp/multiprocessing";
import { Cluster } from "@denomp/multiprocessing/cluster";
import { startHost, startRedis } from "../../tests/_redis.ts";
import { bestOf, report, type ScenarioMeta } from "../_scenario.ts";

/** The row in `deno task bench:compare`. */
export const meta: ScenarioMeta = {
  name: "cluster_map",
  what:
    "cluster Pool, 2 worker hosts x 1 process on local Redis: map(square, 20k items, chunksize=1), against Dask LocalCluster(2) client.map; extra: default chunksize, the local thread Pool(2) default, and how many times slower the chunked cluster map is",
  unit: "tasks/s",
  higherIsBetter: true,
  target: { speedup: 20 },
  python: [{
    label: "Dask LocalCluster(2) client.map",
    args: [],
    command: "/usr/bin/python3",
  }],
};

if (import.meta.main) {
  const n = 20_000;
  const xs = Array.from({ length: n }, (_, i) => i);
  const root = new URL("../../tests/fixtures/", import.meta.url);
  const module = new URL("cluster_targets.ts", root);
  await using redis = await startRedis();
  await using _a = await startHost({ url: redis.url });
  await using _b = await startHost({ url: redis.url });
  await using cluster = await Cluster.connect({ url: redis.url, root });
  const pool = new cluster.Pool({ processes: 2, module });
  await pool.map("square", xs.slice(0, 2000), { chunksize: 1 }); // warm-up
  const chunk1 = await bestOf(
    () => pool.map("square", xs, { chunksize: 1 }),
    5,
  );
  const chunked = await bestOf(() => pool.map("square", xs), 7);
  pool.terminate();
  let local: number;
  {
    await using threads = new Pool({ processes: 2, module });
    local = await bestOf(() => threads.map("square", xs), 7);
  }
  report(n / (chunk1 / 1000), {
    default: n / (chunked / 1000),
    localDefault: n / (local / 1000),
    chunkedSlowerBy: chunked / local,
  });
}
