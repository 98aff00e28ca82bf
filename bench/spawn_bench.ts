// Copyright 2026 the denomp authors. MIT license.
// `deno bench` for the spawn start method: starting a spawned Process, and
// a spawned Pool and executor running 20k one-item tasks, against the raw
// mechanisms (`deno run` of an empty module; a bare child squaring the
// numbers it reads on stdin, pipelined) and the thread start method.
import {
  asCompleted,
  Pool,
  Process,
  ProcessPoolExecutor,
} from "@denomp/multiprocessing";
import { square } from "../tests/fixtures/pool_targets.ts";

const module = new URL("../tests/fixtures/pool_targets.ts", import.meta.url);
const lean = new URL("./_spawn_targets.ts", import.meta.url);
const N = 20_000;
const xs = Array.from({ length: N }, (_, i) => i);

Deno.bench({
  group: "spawn start",
  name: "deno run of an empty module (the floor)",
  baseline: true,
  async fn() {
    await new Deno.Command(Deno.execPath(), {
      args: ["run", lean.href],
      stdin: "null",
    }).output();
  },
});

Deno.bench({
  group: "spawn start",
  name: 'Process start + join, startMethod "spawn"',
  async fn() {
    const p = new Process({
      target: "empty",
      module: lean,
      startMethod: "spawn",
    });
    p.start();
    await p.join();
  },
});

Deno.bench({
  group: "spawn start",
  name: 'Process start + join, startMethod "thread"',
  async fn() {
    const p = new Process({ target: "empty", module: lean });
    p.start();
    await p.join();
  },
});

// A bare child that squares every line it reads: the pipes' own cost.
const rawChild = new Deno.Command(Deno.execPath(), {
  args: [
    "eval",
    `const d = new TextDecoder(); const e = new TextEncoder(); let rest = "";
for await (const c of Deno.stdin.readable) {
  const lines = (rest + d.decode(c)).split("\\n"); rest = lines.pop();
  await Deno.stdout.write(e.encode(lines.map((l) => Number(l) ** 2).join("\\n") + "\\n"));
}`,
  ],
  stdin: "piped",
  stdout: "piped",
}).spawn();
const rawWriter = rawChild.stdin.getWriter();
const rawReader = rawChild.stdout.getReader();
const payload = new TextEncoder().encode(xs.join("\n") + "\n");

const spawnPool = new Pool({ processes: 2, module, startMethod: "spawn" });
const threadPool = new Pool({ processes: 2, module });
const spawnExecutor = new ProcessPoolExecutor({
  maxWorkers: 2,
  module,
  startMethod: "spawn",
});
// Start the workers before timing.
await spawnPool.map(square, [1, 2, 3, 4], { chunksize: 1 });
await threadPool.map(square, [1, 2, 3, 4], { chunksize: 1 });
await spawnExecutor.submit(square, 1).result();

Deno.bench({
  group: "spawn map 20k, chunksize 1",
  name: "bare child squaring 20k stdin lines in one write (the pipes' floor)",
  baseline: true,
  async fn() {
    await rawWriter.write(payload);
    let lines = 0;
    while (lines < N) {
      const { value } = await rawReader.read();
      for (const byte of value!) if (byte === 10) lines++;
    }
  },
});

Deno.bench({
  group: "spawn map 20k, chunksize 1",
  name: 'Pool.map, startMethod "spawn"',
  async fn() {
    await spawnPool.map(square, xs, { chunksize: 1 });
  },
});

Deno.bench({
  group: "spawn map 20k, chunksize 1",
  name: 'Pool.map, startMethod "thread"',
  async fn() {
    await threadPool.map(square, xs, { chunksize: 1 });
  },
});

Deno.bench({
  group: "spawn map 20k, chunksize 1",
  name: 'executor submit + asCompleted, startMethod "spawn"',
  async fn() {
    const futures = xs.map((x) => spawnExecutor.submit(square, x));
    for await (const future of asCompleted(futures)) await future.result();
  },
});

globalThis.addEventListener("unload", () => {
  spawnPool.terminate();
  threadPool.terminate();
  void spawnExecutor.shutdown({ wait: false });
  rawChild.kill();
});
