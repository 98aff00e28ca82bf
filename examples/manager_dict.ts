// Copyright 2026 the denomp authors. MIT license.
// deno-lint-ignore-file no-console
// Seed 000, part 3: two processes each sum half of [1, 1e8) and record
// { time, result } under their pid in a dict served by a Manager.
//
//   deno run --allow-read=. --allow-run --allow-net=127.0.0.1 \
//     --unstable-worker-options examples/manager_dict.ts
//
// The Manager listens on TCP 127.0.0.1 here so that the Processes (worker
// threads with this program's permissions) may connect to it with
// --allow-net=127.0.0.1; the default Unix socket would need
// --allow-read, --allow-write and --allow-net=unix:<path> on its path.
import {
  currentProcess,
  type DictProxy,
  Manager,
  Process,
} from "@denomp/multiprocessing";

interface Info {
  time: number;
  result: number;
}

/** Sums [start, end) and records how long it took. */
export async function sum(
  start: number,
  end: number,
  sharedInfo: DictProxy<Info>,
): Promise<void> {
  const id = `sum-${currentProcess().pid}`;
  const t0 = performance.now();
  let result = 0;
  for (let i = start; i < end; i++) result += i;
  const time = (performance.now() - t0) / 1000;
  await sharedInfo.set(id, { time, result });
}

if (import.meta.main) {
  const t0 = performance.now();
  {
    await using manager = await Manager.start({
      address: { hostname: "127.0.0.1", port: 0 },
    });
    const sharedInfo = await manager.dict<Info>();
    const p1 = new Process({ target: sum, args: [1, 50_000_000, sharedInfo] });
    const p2 = new Process({
      target: sum,
      args: [50_000_000, 100_000_000, sharedInfo],
    });
    await p1.start();
    await p2.start();
    await p1.join();
    await p2.join();

    console.log(await sharedInfo.toObject());
    let result = 0;
    for (const [, info] of await sharedInfo.entries()) result += info.result;
    console.log(result);
  }
  console.log("elapsed:", (performance.now() - t0) / 1000);
}
