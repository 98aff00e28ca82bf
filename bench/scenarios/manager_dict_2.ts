// Copyright 2026 the denomp authors. MIT license.
// manager_dict_2: two Processes do set + get on one Manager dict at once;
// total ops/s from the first start to the last finish. As in manager_dict,
// each Process runs 16 async callers over its one connection; the extra
// `sequential` column is one call at a time in each Process.
import {
  type DictProxy,
  type EventProxy,
  Manager,
  Process,
} from "@denomp/multiprocessing";
import { report, type ScenarioMeta } from "../_scenario.ts";

/** The row in `deno task bench:compare`. */
export const meta: ScenarioMeta = {
  name: "manager_dict_2",
  what:
    "Manager dict set+get from 2 Processes at once, total (16 in flight each; extra: 1)",
  unit: "ops/s",
  higherIsBetter: true,
  target: { speedup: 3 },
  python: [{ label: "spawn", args: [] }],
};

const OPS = 20_000; // per process

/** One Process's work: `ops` operations over `lanes` concurrent callers. */
export async function hammer(
  d: DictProxy<number>,
  go: EventProxy,
  tag: string,
  ops: number,
  lanes: number,
): Promise<void> {
  await d.get("warm-up"); // connect before the clock starts
  await go.wait();
  const t0 = performance.timeOrigin + performance.now();
  await Promise.all(
    Array.from({ length: lanes }, async (_, j) => {
      const key = `${tag}-${j}`;
      for (let i = 0; i < ops / 2 / lanes; i++) {
        await d.set(key, i);
        await d.get(key);
      }
    }),
  );
  const t1 = performance.timeOrigin + performance.now();
  await d.set(`start-${tag}`, t0);
  await d.set(`end-${tag}`, t1);
}

async function round(manager: Manager, lanes: number): Promise<number> {
  const d = await manager.dict<number>();
  const go = await manager.event();
  const ps = ["a", "b"].map((tag) =>
    new Process({
      target: hammer,
      args: [d, go, tag, OPS, lanes],
      module: import.meta.url,
    })
  );
  for (const p of ps) await p.start();
  await go.set();
  for (const p of ps) await p.join();
  const start = Math.min(
    (await d.get("start-a"))!,
    (await d.get("start-b"))!,
  );
  const end = Math.max((await d.get("end-a"))!, (await d.get("end-b"))!);
  for (const p of ps) p.close();
  return (2 * OPS) / ((end - start) / 1000);
}

if (import.meta.main) {
  await using manager = await Manager.start({
    address: { hostname: "127.0.0.1", port: 0 },
  });
  await round(manager, 16); // warm-up
  let best = 0;
  for (let i = 0; i < 3; i++) best = Math.max(best, await round(manager, 16));
  let seq = 0;
  for (let i = 0; i < 2; i++) seq = Math.max(seq, await round(manager, 1));
  report(best, { sequential: seq });
}
