// Copyright 2026 the denomp authors. MIT license.
// queue_small: one producer Process puts 200k small ints on a Queue, the
// parent gets them; messages per second, timed from the first message to the
// last. Extra columns: the same with getSync() in the parent, and the raw
// postMessage stream (a Worker posting 200k ints to the parent).
import { Process, Queue } from "@denomp/multiprocessing";
import { report, type ScenarioMeta } from "../_scenario.ts";

/** The row in `deno task bench:compare`. */
export const meta: ScenarioMeta = {
  name: "queue_small",
  what: "1 producer Process -> parent, 200k small ints",
  unit: "msg/s",
  higherIsBetter: true,
  target: { speedup: 10 },
  python: [{ label: "Queue", args: [] }],
};

const N = 200_000;

/** The producer (runs in a Process). */
export function produce(q: Queue<number>, n: number): void {
  for (let i = 0; i < n; i++) q.putSync(i);
}

async function queueRun(sync: boolean): Promise<number> {
  const q = new Queue<number>();
  const p = new Process({ target: produce, args: [q, N] });
  await p.start();
  let sum = sync ? q.getSync() : await q.get();
  const t0 = performance.now();
  if (sync) {
    for (let i = 1; i < N; i++) sum += q.getSync();
  } else {
    for (let i = 1; i < N; i++) sum += await q.get();
  }
  const ms = performance.now() - t0;
  await p.join();
  if (sum !== (N * (N - 1)) / 2) throw new Error(`wrong sum ${sum}`);
  return ((N - 1) / ms) * 1000;
}

const POST_WORKER = `self.onmessage = (e) => {
  for (let i = 0; i < e.data; i++) self.postMessage(i);
};`;

function postMessageRun(): Promise<number> {
  const url = URL.createObjectURL(
    new Blob([POST_WORKER], { type: "application/javascript" }),
  );
  const worker = new Worker(url, { type: "module" });
  return new Promise((resolve) => {
    let count = 0;
    let t0 = 0;
    worker.onmessage = () => {
      if (count++ === 0) t0 = performance.now();
      if (count === N) {
        const ms = performance.now() - t0;
        worker.terminate();
        URL.revokeObjectURL(url);
        resolve(((N - 1) / ms) * 1000);
      }
    };
    worker.postMessage(N);
  });
}

async function best(run: () => Promise<number>, rounds = 3): Promise<number> {
  let top = 0;
  for (let i = 0; i < rounds; i++) top = Math.max(top, await run());
  return top;
}

if (import.meta.main) {
  const value = await best(() => queueRun(false));
  const getSync = await best(() => queueRun(true));
  const postMessage = await best(postMessageRun);
  report(value, { getSync, postMessage });
}
