// Copyright 2026 the denomp authors. MIT license.
// manager_dict: set + get on a Manager dict from the parent, in ops/s.
//
// The value is the throughput of 16 concurrent async callers sharing the
// parent's one connection (the proxies are async, so calls pipeline); the
// extra `sequential` column is one call at a time, awaited, which is what
// Python's synchronous proxies do. The manager listens on a Unix socket, as
// Python's does by default (its twin uses Manager() as it is); the socket
// is at a fixed path in bench/ so that the flags below let the parent use
// it (a Unix socket needs --allow-net=unix:<path>).
import { Manager } from "@denomp/multiprocessing";
import { bestOf, report, type ScenarioMeta } from "../_scenario.ts";

const SOCKET = decodeURIComponent(
  new URL("./.manager_dict.sock", import.meta.url).pathname,
);

/** The row in `deno task bench:compare`. */
export const meta: ScenarioMeta = {
  name: "manager_dict",
  what:
    "Manager dict set+get from the parent over a Unix socket (16 callers in flight; extra: 1)",
  unit: "ops/s",
  higherIsBetter: true,
  target: { speedup: 3 },
  python: [{ label: "spawn", args: [] }],
  denoFlags: [`--allow-net=unix:${SOCKET}`],
};

const OPS = 20_000;
const LANES = 16;

if (import.meta.main) {
  await Deno.remove(SOCKET).catch(() => {}); // a crashed run's leftover
  // A Unix socket path may hold 107 bytes: a deeper checkout falls back
  // to TCP (and says so in the row's extra column).
  const unix = new TextEncoder().encode(SOCKET).length < 100;
  await using manager = await Manager.start({
    address: unix ? SOCKET : { hostname: "127.0.0.1", port: 0 },
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
  report(OPS / (pipeMs / 1000), {
    sequential: OPS / (seqMs / 1000),
    ...(unix ? {} : { tcp: 1 }),
  });
}
