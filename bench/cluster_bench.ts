// Copyright 2026 the denomp authors. MIT license.
// `deno bench` for the cluster, on a local redis-server with two worker
// hosts (worker CLI subprocesses, 1 process each), against the floors: a
// raw XADD + XREAD round trip through the same server, and the local
// thread Pool doing the same map.
import { Pool } from "@denomp/multiprocessing";
import { Cluster } from "@denomp/multiprocessing/cluster";
import { Redis } from "../dist/lib/cluster/_internal.js";
import { startHost, startRedis } from "../tests/_redis.ts";

const root = new URL("../tests/fixtures/", import.meta.url);
const module = new URL("cluster_targets.ts", root);
const redis = await startRedis();
const hosts = [
  await startHost({ url: redis.url }),
  await startHost({ url: redis.url }),
];
const cluster = await Cluster.connect({ url: redis.url, root });
const pool = new cluster.Pool({ processes: 2, module });
const executor = new cluster.ProcessPoolExecutor({ maxWorkers: 2, module });
const local = new Pool({ processes: 2, module });
const raw = new Redis(redis.url, { protocol: 2 });
const rawReader = new Redis(redis.url, { protocol: 2 });
let rawLast = "0-0";

const N = 2000;
const xs = Array.from({ length: N }, (_, i) => i);
await pool.map("square", xs, { chunksize: 1 });
await local.map("square", xs, { chunksize: 1 });

Deno.bench({
  group: "round trip",
  name: "raw XADD + XREAD of it through the same redis-server",
  baseline: true,
  async fn() {
    const reading = rawReader.call(
      "XREAD",
      "BLOCK",
      0,
      "STREAMS",
      "bench:raw",
      rawLast,
    ) as Promise<[string, [string, string[]][]][]>;
    await raw.call("XADD", "bench:raw", "MAXLEN", "100", "*", "f", "x");
    const reply = await reading;
    rawLast = reply[0]![1].at(-1)![0];
  },
});

Deno.bench({
  group: "round trip",
  name: "cluster executor.submit() -> result()",
  async fn() {
    await executor.submit("square", 3).result();
  },
});

Deno.bench({
  group: "map 2k, chunksize 1",
  name: "local thread Pool(2)",
  baseline: true,
  async fn() {
    await local.map("square", xs, { chunksize: 1 });
  },
});

Deno.bench({
  group: "map 2k, chunksize 1",
  name: "cluster Pool over 2 worker hosts",
  async fn() {
    await pool.map("square", xs, { chunksize: 1 });
  },
});

Deno.bench({
  group: "map 2k, chunksize 1",
  name: "cluster imapUnordered over 2 worker hosts",
  async fn() {
    for await (const _ of pool.imapUnordered("square", xs)) { /* drain */ }
  },
});

globalThis.addEventListener("unload", () => {
  raw.disconnect();
  rawReader.disconnect();
  local.terminate();
  pool.terminate();
  for (const host of hosts) host.kill("SIGTERM");
  void cluster.close();
  void redis.stop();
});
