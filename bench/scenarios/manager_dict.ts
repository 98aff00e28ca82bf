// Copyright 2026 the denomp authors. MIT license.
// manager_dict: set + get on a Manager dict from the parent, in ops/s.
//
// The value is the throughput of 16 concurrent async callers sharing the
// parent's one connection (the proxies are async, so calls pipeline); the
// extra `sequential` column is one call at a time, awaited, which is what
// Python's synchronous proxies do. The manager listens on TCP 127.0.0.1 so
// that the bench flags (--allow-net=127.0.0.1) let the parent use the socket.
import { Manager } from "@denomp/multiprocessing";
import { bestOf, report, type ScenarioMeta } from "../_scenario.ts";

/** The row in `deno task bench:compare`. */
export const meta: ScenarioMeta = {
  name: "manager_dict",
  what: "Manager dict set+get from the parent (16 callers in flight; extra: 1)",
  unit: "ops/s",
  higherIsBetter: true,
  target: { speedup: 3 },
  python: [{ label: "spawn", args: [] }],
};

const OPS = 20_000;
const LANES = 16;

if (import.meta.main) {
  await using manager = await Manager.start({
    address: { hostname: "127.0.0.1", port: 0 },
  });
  const d = await manager.dict<number>();
  const sequential = async () => {
    for (let i = 0; i < OPS / 2; i++) {
      await d.set("k", i);
      await d.get("k");
    }
  };
  const lane = async (key: string, n: number) => {
    for (let i = 0; i < n; i++) {
      await d.set(key, i);
      await d.get(key);
    }
  };
  const pipelined = () =>
    Promise.all(
      Array.from({ length: LANES }, (_, j) => lane(`k${j}`, OPS / 2 / LANES)),
    );
  const seqMs = await bestOf(sequential, 3, 1);
  const pipeMs = await bestOf(pipelined, 3, 1);
  report(OPS / (pipeMs / 1000), { sequential: OPS / (seqMs / 1000) });
}
