// Copyright 2026 the denomp authors. MIT license.
// `deno bench` for Pool and ProcessPoolExecutor against the raw mechanism:
// a bare Worker that squares each number it is posted, pipelined (every
// message sent at once, one reply per message).
import {
  asCompleted,
  type AsyncResult,
  Pool,
  ProcessPoolExecutor,
} from "@denomp/multiprocessing";
// The task lives in a module without side effects: a worker imports the
// task's module, and this one starts pools at its top level.
import { square } from "../tests/fixtures/pool_targets.ts";

const module = new URL("../tests/fixtures/pool_targets.ts", import.meta.url);

const N = 20_000;
const xs = Array.from({ length: N }, (_, i) => i);

const raw = new Worker(
  `data:application/javascript,${
    encodeURIComponent(
      "self.onmessage = (e) => self.postMessage(e.data * e.data);",
    )
  }`,
  { type: "module" },
);
function rawPipelined(): Promise<void> {
  return new Promise((resolve) => {
    let left = N;
    raw.onmessage = () => {
      if (--left === 0) resolve();
    };
    for (let i = 0; i < N; i++) raw.postMessage(i);
  });
}

const pool = new Pool({ processes: 2, module });
const executor = new ProcessPoolExecutor({
  maxWorkers: 2,
  module,
});
// Start the workers before timing.
await pool.map(square, [1, 2, 3, 4], { chunksize: 1 });
await executor.submit(square, 1).result();
await rawPipelined();

Deno.bench({
  group: "20k tiny tasks",
  name: "raw Worker postMessage, pipelined (1 worker)",
  baseline: true,
  async fn() {
    await rawPipelined();
  },
});

Deno.bench({
  group: "20k tiny tasks",
  name: "Pool(2).map(square, chunksize 1)",
  async fn() {
    await pool.map(square, xs, { chunksize: 1 });
  },
});

Deno.bench({
  group: "20k tiny tasks",
  name: "Pool(2).map(square), default chunksize",
  async fn() {
    await pool.map(square, xs);
  },
});

Deno.bench({
  group: "20k tiny tasks",
  name: "ProcessPoolExecutor(2): submit + asCompleted",
  async fn() {
    const futures = xs.map((x) => executor.submit(square, x));
    for await (const f of asCompleted(futures)) await f.result();
  },
});

// The first map of a pool: its workers start (in the constructor, which
// waits for them to import the task module), and it runs cold code. (The
// first map of a whole process, whose dispatch path is cold too, is the
// pool_map_first_call row of bench:compare: a bench cannot start a fresh
// process per iteration and time only the map.)
Deno.bench({
  group: "first map (20k, chunksize 1)",
  name: "warm Pool(2).map",
  baseline: true,
  async fn() {
    await pool.map(square, xs, { chunksize: 1 });
  },
});

Deno.bench({
  group: "first map (20k, chunksize 1)",
  name: "new Pool(2) + its first map",
  async fn() {
    const fresh = new Pool({ processes: 2, module });
    try {
      await fresh.map(square, xs, { chunksize: 1 });
    } finally {
      fresh.terminate();
    }
  },
});

Deno.bench({
  group: "first map (20k, chunksize 1)",
  name: "new Pool(2): its first map alone",
  async fn(b) {
    const fresh = new Pool({ processes: 2, module });
    try {
      b.start();
      await fresh.map(square, xs, { chunksize: 1 });
      b.end();
    } finally {
      fresh.terminate();
    }
  },
});

Deno.bench({
  group: "20k tiny tasks",
  name: "Pool(2): 20k applyAsync(square) + get()",
  async fn() {
    const results: AsyncResult<number>[] = [];
    for (const x of xs) results.push(pool.applyAsync(square, [x]));
    for (const result of results) await result.get();
  },
});

Deno.bench({
  group: "20k tiny tasks",
  name: "Pool(2).mapAsync(square, chunksize 1).get()",
  async fn() {
    await pool.mapAsync(square, xs, { chunksize: 1 }).get();
  },
});

// One task at a time: the round trip of one result.
function rawRoundTrip(): Promise<void> {
  return new Promise((resolve) => {
    raw.onmessage = () => resolve();
    raw.postMessage(3);
  });
}

Deno.bench({
  group: "one task round trip",
  name: "raw Worker postMessage ping-pong",
  baseline: true,
  async fn() {
    await rawRoundTrip();
  },
});

Deno.bench({
  group: "one task round trip",
  name: "Pool.applyAsync(square).get()",
  async fn() {
    await pool.applyAsync(square, [3]).get();
  },
});

Deno.bench({
  group: "one task round trip",
  name: "Pool.apply(square)",
  async fn() {
    await pool.apply(square, [3]);
  },
});

Deno.bench({
  group: "one task round trip",
  name: "ProcessPoolExecutor.submit(square).result()",
  async fn() {
    await executor.submit(square, 3).result();
  },
});

globalThis.addEventListener("unload", () => {
  raw.terminate();
  pool.terminate();
  void executor.shutdown({ wait: false });
});
