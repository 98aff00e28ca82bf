// Copyright 2026 the denomp authors. MIT license.
// queue_1k: one producer Process puts 100k messages of 1 KiB (Uint8Array) on
// a Queue, the parent gets them; megabytes of payload per second, timed from
// the first message to the last.
import { Process, Queue } from "@denomp/multiprocessing";
import { report, type ScenarioMeta } from "../_scenario.ts";

/** The row in `deno task bench:compare`. */
export const meta: ScenarioMeta = {
  name: "queue_1k",
  what: "1 producer Process -> parent, 100k x 1 KiB bytes",
  unit: "MB/s",
  higherIsBetter: true,
  target: { speedup: 4 },
  python: [{ label: "Queue", args: [] }],
};

const N = 100_000;
const SIZE = 1024;

/** The producer (runs in a Process). */
export function produce(q: Queue<Uint8Array>, n: number, size: number): void {
  const payload = new Uint8Array(size);
  for (let i = 0; i < n; i++) {
    payload[0] = i & 255;
    q.putSync(payload);
  }
}

async function run(): Promise<number> {
  const q = new Queue<Uint8Array>();
  const p = new Process({ target: produce, args: [q, N, SIZE] });
  await p.start();
  let bytes = (await q.get()).length;
  const t0 = performance.now();
  for (let i = 1; i < N; i++) {
    const b = await q.get();
    if (b[0] !== (i & 255)) throw new Error("out of order");
    bytes += b.length;
  }
  const ms = performance.now() - t0;
  await p.join();
  if (bytes !== N * SIZE) throw new Error("short");
  return ((N - 1) * SIZE) / 1e6 / (ms / 1000);
}

if (import.meta.main) {
  let best = 0;
  for (let i = 0; i < 3; i++) best = Math.max(best, await run());
  report(best);
}
