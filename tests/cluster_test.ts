// Copyright 2026 the denomp authors. MIT license.
// The cluster on a real redis-server (one per test, on a free port) with
// worker hosts as `deno run` subprocesses of the worker CLI. No mocks, no
// sleeps: tasks that must be caught in the middle call the test's TCP
// listener (the `gated` fixture), and the test acts on that call.

import assert from "node:assert/strict";
import {
  asCompleted,
  CancelledError,
  TimeoutError,
  wait,
  WorkerCrashedError,
} from "@denomp/multiprocessing";
import { Cluster, serveWorker } from "@denomp/multiprocessing/cluster";
import {
  asBuffer,
  closeRedis,
  connectRedis,
  decodeResult,
  DISCONNECT_TIMEOUT,
  duplicateRedis,
  encodeTask,
  packItem,
  Redis,
  seal,
  unseal,
} from "../dist/lib/cluster/_internal.js";
import { encode } from "../dist/lib/_internal.js";
import {
  freePort,
  type HomeCall,
  listenHome,
  startHost,
  startRedis,
  type WorkerHost,
} from "./_redis.ts";
import { add, square } from "./fixtures/cluster_targets.ts";

const root = new URL("./fixtures/", import.meta.url);
const module = new URL("./fixtures/cluster_targets.ts", import.meta.url);

let queues = 0;
function queueName(): string {
  return `t${++queues}`;
}

/** A plain connection for looking at the queue's keys. */
async function inspect(url: string): Promise<Redis & AsyncDisposable> {
  const redis = new Redis(url, { lazyConnect: true, protocol: 2 });
  await redis.connect();
  return Object.assign(redis, {
    async [Symbol.asyncDispose]() {
      await redis.quit();
      if (redis.status !== "end") {
        await new Promise((resolve) => redis.once("end", resolve));
      }
    },
  });
}

/** Hosts tagged a, b, c and named `<prefix>-a` ... */
function startHosts(
  url: string,
  queue: string,
  prefix: string,
): Promise<WorkerHost[]> {
  return Promise.all(
    ["a", "b", "c"].map((tag) =>
      startHost({ url, queue, tag, name: `${prefix}-${tag}` })
    ),
  );
}

/** 0, 1, ... n - 1, lazily. */
function* naturals(n: number): Generator<number> {
  for (let i = 0; i < n; i++) yield i;
}

/** Reads `count` new task entries as consumer `name` (a host that never answers). */
async function readAs(
  db: Redis,
  tasks: string,
  name: string,
  count: number,
): Promise<void> {
  await db.call(
    "XREADGROUP",
    "GROUP",
    "workers",
    name,
    "COUNT",
    count,
    "STREAMS",
    tasks,
    ">",
  );
}

/** Checks `check()` until it holds, at most `tries` times. */
async function eventually(
  what: string,
  check: () => Promise<boolean>,
  tries = 100,
): Promise<void> {
  for (let i = 0; i < tries; i++) {
    if (await check()) return;
    // A bounded poll: each try is a round trip to Redis.
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  assert.fail(`${what} did not happen`);
}

Deno.test("Cluster Pool.map()/imap() give 10k results in order over two worker hosts; the streams are empty afterwards", async () => {
  await using redis = await startRedis();
  const queue = queueName();
  await using _a = await startHost({ url: redis.url, queue, tag: "a" });
  await using _b = await startHost({ url: redis.url, queue, tag: "b" });
  const cluster = await Cluster.connect({ url: redis.url, queue, root });
  const pool = new cluster.Pool({ processes: 2, module });
  const n = 10_000;
  const xs = Array.from({ length: n }, (_, i) => i);
  const squares = xs.map((x) => x * x);
  try {
    assert.deepEqual(await pool.map("square", xs), squares);
    assert.deepEqual(await pool.map("square", xs, { chunksize: 1 }), squares);
    const viaImap: number[] = [];
    for await (const y of pool.imap(square, naturals(n))) viaImap.push(y);
    assert.deepEqual(viaImap, squares);
    const unordered = await Array.fromAsync(
      pool.imapUnordered(square, xs, { chunksize: 7 }),
    );
    assert.deepEqual(unordered.sort((a, b) => a - b), squares);
    assert.deepEqual(
      await pool.starmap(add, [[1, 2], [3, 4], [5, 6]]),
      [3, 7, 11],
    );
    assert.equal(await pool.apply("add", [20, 22]), 42);
    // Both hosts took work.
    const tags = new Set(
      await pool.map("hostTag", Array.from({ length: 400 }, (_, i) => i), {
        chunksize: 1,
      }),
    );
    assert.deepEqual([...tags].sort(), ["a", "b"]);

    await using db = await inspect(redis.url);
    assert.equal(await db.xlen(`${queue}:tasks`), 0);
    const summary = await db.call("XPENDING", `${queue}:tasks`, "workers");
    assert.equal((summary as unknown[])[0], 0);
    const [resultsKey] = await db.keys(`${queue}:results:*`);
    assert.ok(resultsKey !== undefined);
    await eventually(
      "results trimmed",
      async () => (await db.xlen(resultsKey!)) === 0,
    );
    assert.deepEqual(
      (await db.smembers(`${queue}:hosts`)).sort(),
      [
        _a.name,
        _b.name,
      ].sort(),
    );
    // Python's close() + join(): the workers' lanes end once idle.
    pool.close();
    await pool.join();
    assert.equal(pool.state, "closed");
    await cluster.close();
    assert.deepEqual(await db.keys(`${queue}:results:*`), []);
  } finally {
    pool.terminate();
    await cluster.close();
  }
});

Deno.test("Cluster: a worker host with --start-method spawn runs tasks in OS processes, and a runaway task over its timeout is killed for real", async () => {
  await using redis = await startRedis();
  const queue = queueName();
  await using host = await startHost({
    url: redis.url,
    queue,
    processes: 2,
    flags: ["--allow-run"],
    args: ["--start-method", "spawn"],
  });
  const cluster = await Cluster.connect({ url: redis.url, queue, root });
  const pool = new cluster.Pool({ processes: 2, module });
  try {
    const xs = Array.from({ length: 2000 }, (_, i) => i);
    assert.deepEqual(
      await pool.map(square, xs, { chunksize: 1 }),
      xs.map((x) => x * x),
    );
    const pids = new Set(
      await pool.map("osPid", Array.from({ length: 200 }, (_, i) => i), {
        chunksize: 1,
      }),
    );
    assert.ok(pids.size >= 1 && pids.size <= 2, `pids: ${[...pids]}`);
    assert.ok(!pids.has(host.pid), "the tasks ran in the host's process");
    await assert.rejects(
      pool.apply("spin", [0], { timeout: 200 }),
      TimeoutError,
    );
    // The host replaced the killed worker and serves on.
    assert.equal(await pool.apply(add, [40, 2]), 42);
    const after = new Set(
      await pool.map("osPid", Array.from({ length: 200 }, (_, i) => i), {
        chunksize: 1,
      }),
    );
    for (const pid of after) assert.ok(pid !== host.pid);
  } finally {
    pool.terminate();
    await cluster.close();
  }
});

Deno.test("Cluster: a worker host whose local pool cannot start gives its tasks back and stops with the error; a good host runs them", async () => {
  await using redis = await startRedis();
  const queue = queueName();
  // --start-method spawn without --allow-run: no local worker can start.
  const broken = await startHost({
    url: redis.url,
    queue,
    args: ["--start-method", "spawn"],
  });
  await using cluster = await Cluster.connect({ url: redis.url, queue, root });
  const pool = new cluster.Pool({ processes: 2, module });
  try {
    const result = pool.map("square", [1, 2, 3, 4], { chunksize: 1 });
    const status = await broken.status;
    assert.equal(status.code, 1);
    assert.ok(
      broken.lines.some((line) =>
        line.includes("the local pool cannot run tasks")
      ),
      broken.lines.join("\n"),
    );
    await using _good = await startHost({ url: redis.url, queue });
    assert.deepEqual(await result, [1, 4, 9, 16]);
  } finally {
    pool.terminate();
    await broken.stop();
  }
});

Deno.test("Cluster ProcessPoolExecutor: Futures that asCompleted and wait accept, task errors, crashes and values", async () => {
  await using redis = await startRedis();
  const queue = queueName();
  await using _host = await startHost({
    url: redis.url,
    queue,
    processes: 2,
  });
  await using cluster = await Cluster.connect({ url: redis.url, queue, root });
  const executor = new cluster.ProcessPoolExecutor({ maxWorkers: 2, module });
  try {
    const futures = Array.from(
      { length: 200 },
      (_, i) => executor.submit("square", i),
    );
    let total = 0;
    let seen = 0;
    for await (const future of asCompleted(futures)) {
      total += await future.result() as number;
      seen++;
    }
    assert.equal(seen, 200);
    assert.equal(total, futures.reduce((s, _, i) => s + i * i, 0));
    const { done, notDone } = await wait([
      executor.submit("add", 1, 2),
      executor.submit("add", 3, 4),
    ]);
    assert.equal(done.size, 2);
    assert.equal(notDone.size, 0);

    // A task's own error arrives with its class and message.
    await assert.rejects(
      executor.submit("failOn", 3, 3).result(),
      (error: Error) =>
        error instanceof RangeError && error.message === "bad value 3",
    );
    // A result that cannot leave its worker, or that the codec cannot
    // carry back to the client, fails that task only.
    await assert.rejects(
      executor.submit("makeFunction").result(),
      (error: Error) =>
        error instanceof TypeError && error.message.includes("cannot be sent"),
    );
    const [cycle, fine] = [
      executor.submit("makeCycle"),
      executor.submit("square", 6),
    ];
    await assert.rejects(
      cycle.result(),
      (error: Error) =>
        error instanceof TypeError &&
        error.message.includes("cannot be sent back from a worker host"),
    );
    assert.equal(await fine.result(), 36);
    // A task that ends its local worker fails alone, with its exit code.
    await assert.rejects(
      executor.submit("exitWorker", 3).result(),
      (error: Error) =>
        error instanceof WorkerCrashedError && error.exitCode === 3,
    );
    // Values of every codec type make the round trip.
    const rich = {
      map: new Map<unknown, unknown>([[1, "a"], ["b", [2n]]]),
      set: new Set([1, 2]),
      date: new Date(0),
      bytes: new Uint8Array([1, 2, 3]),
      nested: [undefined, null, -0, NaN, Infinity],
      big: 2n ** 70n,
    };
    assert.deepEqual(await executor.submit("echo", rich).result(), rich);
    assert.deepEqual(
      await executor.submit("echo", new Uint8Array([9])).result(),
      new Uint8Array([9]),
    );
    assert.deepEqual(
      await Array.fromAsync(
        executor.map("square", [1, 2, 3], { chunksize: 2 }),
      ),
      [1, 4, 9],
    );
  } finally {
    await executor.shutdown();
  }
});

Deno.test("Cluster: a value the codec refuses is a TypeError at submit, and nothing is queued", async () => {
  await using redis = await startRedis();
  const queue = queueName();
  await using cluster = await Cluster.connect({ url: redis.url, queue, root });
  const executor = new cluster.ProcessPoolExecutor({ maxWorkers: 1, module });
  const pool = new cluster.Pool({ processes: 1, module });
  try {
    assert.throws(
      () => executor.submit("echo", () => 1),
      (error: Error) =>
        error instanceof TypeError && error.message.includes("function"),
    );
    class Point {
      x = 1;
      norm(): number {
        return this.x;
      }
    }
    assert.throws(
      () => executor.submit("echo", new Point()),
      (error: Error) =>
        error instanceof TypeError && error.message.includes("Point"),
    );
    await assert.rejects(pool.map("echo", [1, 2, Symbol("x")]), TypeError);
    await assert.rejects(pool.apply("echo", [{ f() {} }]), TypeError);
    await using db = await inspect(redis.url);
    assert.equal(await db.xlen(`${queue}:tasks`), 0);
  } finally {
    pool.terminate();
    await executor.shutdown();
  }
});

Deno.test("Cluster: a worker host SIGKILLed in the middle of a task: the task is re-delivered, nothing lost across 5k tasks with 2 kills", async () => {
  await using redis = await startRedis();
  const queue = queueName();
  const hosts = await startHosts(redis.url, queue, "kill");
  using home = listenHome();
  const cluster = await Cluster.connect({
    url: redis.url,
    queue,
    root,
    visibilityTimeout: 1000,
  });
  const pool = new cluster.Pool({ processes: 3, module });
  const n = 5000;
  const gates = [1000, 3000];
  const killed: string[] = [];
  const calls: HomeCall[] = [];
  try {
    const result = pool.starmap(
      "gated",
      Array.from({ length: n }, (_, i) => [i, home.port, gates]),
      { chunksize: 1 },
    );
    let finished = false;
    const answering = (async () => {
      const first = new Set<number>();
      while (!finished) {
        let call: HomeCall;
        try {
          call = await home.next();
        } catch {
          return; // The listener closed: the map is over.
        }
        calls.push(call);
        if (!first.has(call.item) && killed.length < 2) {
          // The host is in the middle of this task: kill the machine.
          first.add(call.item);
          const host = hosts.find((h) => h.name === `kill-${call.tag}`)!;
          host.kill("SIGKILL");
          killed.push(call.tag);
          await call.gone;
        } else {
          await call.release();
        }
      }
    })();
    const squares = await result;
    finished = true;
    assert.equal(squares.length, n);
    for (let i = 0; i < n; i++) assert.equal(squares[i], i * i);
    assert.equal(killed.length, 2);
    assert.notEqual(killed[0], killed[1]);
    // Each gate ran until its host died, then ran again elsewhere.
    for (const gate of gates) {
      const runs = calls.filter((call) => call.item === gate);
      assert.equal(runs.length, 2);
      assert.notEqual(runs[0]!.tag, runs[1]!.tag);
    }
    const survivor = hosts.find((h) => !killed.includes(h.name.slice(5)))!;
    assert.ok(survivor.lines.some((line) => line.includes("took over")));
    for (const host of hosts) {
      if (host !== survivor) {
        assert.equal((await host.status).signal, "SIGKILL");
      }
    }
    await using db = await inspect(redis.url);
    assert.equal(await db.xlen(`${queue}:tasks`), 0);
    home[Symbol.dispose]();
    await answering;
  } finally {
    pool.terminate();
    await cluster.close();
    await Promise.all(hosts.map((host) => host.stop()));
  }
});

Deno.test("Cluster: a task abandoned behind 150 older pending entries of a live host is still taken over", async () => {
  await using redis = await startRedis();
  const queue = queueName();
  const tasks = `${queue}:tasks`;
  await using cluster = await Cluster.connect({
    url: redis.url,
    queue,
    root,
    visibilityTimeout: 200,
  });
  await using db = await inspect(redis.url);
  // 150 entries held by a host with a long visibility timeout: older ids,
  // pending the whole test.
  const n = 150;
  const pipeline = db.pipeline();
  for (let i = 0; i < n; i++) {
    pipeline.call("XADD", tasks, "*", "f", "x", "v", 60_000, "m", 3, "p", 0);
  }
  await pipeline.exec();
  await readAs(db, tasks, "live", n);
  const executor = new cluster.ProcessPoolExecutor({ maxWorkers: 1, module });
  try {
    const future = executor.submit("square", 7);
    await eventually(
      "the task queued",
      async () => (await db.xlen(tasks)) === n + 1,
    );
    // A host takes it and dies.
    await readAs(db, tasks, "dead", 10);
    await using host = await startHost({ url: redis.url, queue });
    assert.equal(await future.result(), 49);
    assert.ok(host.lines.some((line) => line.includes("took over task entry")));
  } finally {
    await executor.shutdown();
  }
});

Deno.test("Cluster: a task whose hosts die maxDeliveries times fails with WorkerCrashedError", async () => {
  await using redis = await startRedis();
  const queue = queueName();
  const hosts = await startHosts(redis.url, queue, "md");
  using home = listenHome();
  const cluster = await Cluster.connect({
    url: redis.url,
    queue,
    root,
    visibilityTimeout: 300,
    maxDeliveries: 2,
  });
  const executor = new cluster.ProcessPoolExecutor({ maxWorkers: 1, module });
  try {
    const future = executor.submit("gated", 7, home.port, [7]);
    const tags: string[] = [];
    for (let i = 0; i < 2; i++) {
      const call = await home.next();
      tags.push(call.tag);
      hosts.find((h) => h.name === `md-${call.tag}`)!.kill("SIGKILL");
      await call.gone;
    }
    await assert.rejects(
      future.result(),
      (error: Error) =>
        error instanceof WorkerCrashedError &&
        error.message.includes("delivered 2 times") &&
        error.message.includes("maxDeliveries 2"),
    );
    assert.notEqual(tags[0], tags[1]);
    const last = hosts.find((h) => !tags.includes(h.name.slice(3)))!;
    assert.ok(last.lines.some((line) => line.includes("exhausted")));
    await using db = await inspect(redis.url);
    await eventually(
      "the entry removed",
      async () => (await db.xlen(`${queue}:tasks`)) === 0,
    );
  } finally {
    await executor.shutdown({ cancelFutures: true });
    await cluster.close();
    await Promise.all(hosts.map((host) => host.stop()));
  }
});

Deno.test("Cluster: a worker host with a wrong authkey refuses and logs the task, runs nothing, and a host with the right key runs it", async () => {
  await using redis = await startRedis();
  const queue = queueName();
  await using bad = await startHost({
    url: redis.url,
    queue,
    tag: "bad",
    authkey: "not the key",
  });
  await using cluster = await Cluster.connect({
    url: redis.url,
    queue,
    root,
    authkey: "the key",
  });
  const executor = new cluster.ProcessPoolExecutor({ maxWorkers: 1, module });
  try {
    const future = executor.submit("hostTag");
    const refused = await bad.line("refused task entry");
    assert.match(refused, /HMAC does not verify/);
    assert.equal(future.done(), false);
    await using _good = await startHost({
      url: redis.url,
      queue,
      tag: "good",
      authkey: "the key",
    });
    assert.equal(await future.result(), "good");
  } finally {
    await executor.shutdown();
  }
});

Deno.test("Cluster: a wrong-key host that gives a task back keeps the deliveries it spent, so maxDeliveries holds", async () => {
  await using redis = await startRedis();
  const queue = queueName();
  const tasks = `${queue}:tasks`;
  await using cluster = await Cluster.connect({
    url: redis.url,
    queue,
    root,
    authkey: "right",
    visibilityTimeout: 200,
    maxDeliveries: 1,
  });
  await using db = await inspect(redis.url);
  const executor = new cluster.ProcessPoolExecutor({ maxWorkers: 1, module });
  try {
    const future = executor.submit("square", 7);
    await eventually(
      "the task queued",
      async () => (await db.xlen(tasks)) === 1,
    );
    // Its one delivery: a host takes it and dies.
    await readAs(db, tasks, "dead", 1);
    const wrong = await startHost({ url: redis.url, queue, authkey: "wrong" });
    await wrong.line("refused task entry");
    await wrong.stop();
    await using _right = await startHost({
      url: redis.url,
      queue,
      authkey: "right",
    });
    await assert.rejects(future.result(), WorkerCrashedError);
  } finally {
    await executor.shutdown();
  }
});

Deno.test("Cluster: a worker host refuses a signed frame it cannot read (another version), runs nothing and gives it back", async () => {
  await using redis = await startRedis();
  const queue = queueName();
  await using host = await startHost({ url: redis.url, queue, authkey: "k" });
  await using db = await inspect(redis.url);
  const key = new TextEncoder().encode("k");
  const bogus = seal(key, encode(["not", "a", "task"]));
  const original = String(
    await db.call(
      "XADD",
      `${queue}:tasks`,
      "*",
      "f",
      asBuffer(bogus),
      "v",
      30_000,
      "m",
      3,
      "p",
      0,
    ),
  );
  const refused = await host.line("refused task entry");
  assert.match(refused, /not a task frame/);
  // Given back: the same fields under a new id, pending for nobody.
  await eventually("the entry given back", async () => {
    const entries = await db.xrange(`${queue}:tasks`, "-", "+");
    return entries.length === 1 && entries[0]![0] !== original;
  });
});

/**
 * A temporary directory holding `r#?/sq#1.ts` and `esc.ts` (each exports a
 * `square` that also returns its file's name), made by a `deno eval`
 * subprocess: the tests may not write, and names with `#` and `?` cannot
 * live in the repository (its CI scripts walk it by URL).
 */
async function oddRoot(): Promise<AsyncDisposable & { dir: string }> {
  const run = async (code: string) => {
    const output = await new Deno.Command(Deno.execPath(), {
      args: ["eval", code],
      stdout: "piped",
      stderr: "inherit",
    }).output();
    assert.equal(output.code, 0);
    return new TextDecoder().decode(output.stdout).trim();
  };
  const source = "export function square(x) { return [x * x, " +
    'new URL(import.meta.url).pathname.split("/").pop()]; }';
  const dir = await run(`
    const dir = Deno.makeTempDirSync({ prefix: "denomp_cluster_" });
    Deno.mkdirSync(dir + "/r#?");
    Deno.writeTextFileSync(dir + "/r#?/sq#1.ts", ${JSON.stringify(source)});
    Deno.writeTextFileSync(dir + "/esc.ts", ${JSON.stringify(source)});
    console.log(dir);
  `);
  return {
    dir,
    async [Symbol.asyncDispose]() {
      await run(`Deno.removeSync(${JSON.stringify(dir)}, { recursive: true })`);
    },
  };
}

Deno.test("Cluster: a task module whose directory and file names hold # and ? is the very file a worker host imports", async () => {
  await using redis = await startRedis();
  await using odd = await oddRoot();
  const queue = queueName();
  // A root given as a path, as the CLI's --root and the option take it.
  const dir = `${odd.dir}/r#?`;
  await using _host = await startHost({
    url: redis.url,
    queue,
    root: dir,
    flags: [`--allow-read=.,${odd.dir}`],
  });
  await using cluster = await Cluster.connect({
    url: redis.url,
    queue,
    root: dir,
  });
  const pool = new cluster.Pool({
    processes: 1,
    module: `file://${encodeURI(odd.dir)}/r%23%3F/sq%231.ts`,
  });
  try {
    assert.deepEqual(await pool.map("square", [1, 2, 3]), [
      [1, "sq%231.ts"],
      [4, "sq%231.ts"],
      [9, "sq%231.ts"],
    ]);
  } finally {
    pool.terminate();
  }
});

Deno.test("Cluster: a worker host refuses a module path that leaves its root, written with .. or percent-encoded", async () => {
  await using redis = await startRedis();
  await using odd = await oddRoot();
  const queue = queueName();
  await using _host = await startHost({
    url: redis.url,
    queue,
    authkey: "k",
    root: `${odd.dir}/r#?`,
    flags: [`--allow-read=.,${odd.dir}`],
  });
  await using db = await inspect(redis.url);
  const key = new TextEncoder().encode("k");
  // Each would reach esc.ts beside the root, which exists.
  const paths = [
    "../esc.ts",
    "%2e%2e/esc.ts",
    ".%2E/esc.ts",
    "x/%2e%2e/%2E%2e/esc.ts",
    "..%2fesc.ts",
  ];
  for (let i = 0; i < paths.length; i++) {
    const frame = encodeTask({
      client: "probe",
      link: 1,
      batch: i,
      timed: false,
      refs: [[1, paths[i]!, "square", null]],
      c: [1, 0, [packItem(3, "item", "item 0")]],
      part: null,
    });
    await db.call(
      "XADD",
      `${queue}:tasks`,
      "*",
      "f",
      asBuffer(seal(key, frame)),
      "v",
      30_000,
      "m",
      3,
      "p",
      0,
    );
  }
  const results = `${queue}:results:probe`;
  await eventually(
    "every task answered",
    async () => (await db.xlen(results)) === paths.length,
    500,
  );
  const entries = await db.xrangeBuffer(results, "-", "+");
  const batches = new Set<number>();
  for (const [, fields] of entries) {
    const result = decodeResult(unseal(key, fields[1]!)!);
    assert.equal(result.kind, 0);
    if (result.kind !== 0) continue;
    batches.add(result.batch);
    assert.deepEqual(result.r, []);
    assert.match(
      result.e?.[0]?.[1].message ?? "",
      /leaves the worker host's root/,
      paths[result.batch],
    );
  }
  assert.equal(batches.size, paths.length);
});

Deno.test("Cluster: a module the worker host cannot import fails that task with a clear error", async () => {
  await using redis = await startRedis();
  const queue = queueName();
  await using _host = await startHost({ url: redis.url, queue });
  await using cluster = await Cluster.connect({ url: redis.url, queue, root });
  const missing = new URL("./fixtures/not_on_the_worker.ts", import.meta.url);
  const pool = new cluster.Pool({ processes: 1, module: missing });
  const good = new cluster.Pool({ processes: 1, module });
  try {
    await assert.rejects(
      pool.map("square", [1, 2]),
      (error: Error) => error.message.includes("not_on_the_worker.ts"),
    );
    // The host is fine afterwards.
    assert.deepEqual(await good.map("square", [3]), [9]);
  } finally {
    pool.terminate();
    good.terminate();
  }
});

Deno.test("Cluster: cancel removes a queued task and stops a running task's local worker", async (t) => {
  await using redis = await startRedis();

  await t.step("terminate() removes the entries no host has read", async () => {
    const queue = queueName();
    await using db = await inspect(redis.url);
    const cluster = await Cluster.connect({ url: redis.url, queue, root });
    const pool = new cluster.Pool({ processes: 1, module });
    const result = pool.map("square", [1, 2, 3]);
    // Blocks until the first entry is in the stream (no host reads it).
    await using reader = await inspect(redis.url);
    assert.ok(
      await reader.call(
        "XREAD",
        "BLOCK",
        10_000,
        "STREAMS",
        `${queue}:tasks`,
        "0",
      ),
    );
    pool.terminate();
    await assert.rejects(result, CancelledError);
    await cluster.close();
    assert.equal(await db.xlen(`${queue}:tasks`), 0);
  });

  await t.step(
    "Future.cancel() of a task not yet sent: it never runs",
    async () => {
      const queue = queueName();
      await using cluster = await Cluster.connect({
        url: redis.url,
        queue,
        root,
      });
      const executor = new cluster.ProcessPoolExecutor({
        maxWorkers: 1,
        module,
      });
      const futures = Array.from(
        { length: 1000 },
        (_, i) => executor.submit("square", i),
      );
      await Promise.resolve();
      // The first ones were handed to Redis: running, as Python says.
      assert.equal(futures[0]!.running(), true);
      assert.equal(futures[0]!.cancel(), false);
      assert.equal(futures[999]!.cancel(), true);
      assert.equal(futures[999]!.cancelled(), true);
      await using _host = await startHost({ url: redis.url, queue });
      const results = await Promise.all(
        futures.slice(0, 999).map((f) => f.result()),
      );
      assert.deepEqual(results, futures.slice(0, 999).map((_, i) => i * i));
      await assert.rejects(futures[999]!.result(), CancelledError);
      await executor.shutdown();
    },
  );

  await t.step(
    "terminate() stops the local worker running the task; the host goes on",
    async () => {
      const queue = queueName();
      await using host = await startHost({
        url: redis.url,
        queue,
        tag: "h",
        processes: 1,
      });
      using home = listenHome();
      await using cluster = await Cluster.connect({
        url: redis.url,
        queue,
        root,
      });
      const pool = new cluster.Pool({ processes: 1, module });
      const running = pool.apply("gated", [1, home.port, [1]]);
      const call = await home.next();
      assert.equal(call.tag, "h");
      pool.terminate();
      await assert.rejects(running, CancelledError);
      // The task's side of the connection closes: its worker was stopped.
      await call.gone;
      await host.line("stopped the local worker");
      const other = new cluster.Pool({ processes: 1, module });
      assert.equal(await other.apply("square", [12]), 144);
      other.terminate();
    },
  );

  await t.step(
    "a per-task timeout fails with TimeoutError and stops the worker",
    async () => {
      const queue = queueName();
      await using _host = await startHost({ url: redis.url, queue });
      using home = listenHome();
      await using cluster = await Cluster.connect({
        url: redis.url,
        queue,
        root,
      });
      const executor = new cluster.ProcessPoolExecutor({
        maxWorkers: 1,
        module,
      });
      const future = executor.submitWith("gated", [2, home.port, [2]], {
        timeout: 200,
      });
      const call = await home.next();
      await assert.rejects(future.result(), TimeoutError);
      await call.gone;
      assert.equal(await executor.submit("square", 5).result(), 25);
      await executor.shutdown();
    },
  );

  await t.step("an aborted signal rejects a map with its reason", async () => {
    const queue = queueName();
    await using _host = await startHost({ url: redis.url, queue });
    using home = listenHome();
    await using cluster = await Cluster.connect({
      url: redis.url,
      queue,
      root,
    });
    const pool = new cluster.Pool({ processes: 1, module });
    const controller = new AbortController();
    const result = pool.starmap("gated", [[3, home.port, [3]]], {
      signal: controller.signal,
    });
    const call = await home.next();
    controller.abort(new Error("enough"));
    await assert.rejects(result, /enough/);
    await call.release();
    pool.terminate();
  });
});

/**
 * A host takes a gated task and `end`s; a second host (under the same name
 * or not) must then get the task at once: the visibility timeout is long,
 * so only a give-back can move it. `check` looks at both hosts' logs.
 */
async function handOver(
  sameName: boolean,
  end: (first: WorkerHost) => Promise<void>,
  check: (first: WorkerHost, second: WorkerHost) => void,
): Promise<void> {
  await using redis = await startRedis();
  const queue = queueName();
  const named = sameName ? { name: `same-${queue}-${Deno.pid}` } : {};
  const first = await startHost({
    url: redis.url,
    queue,
    tag: "first",
    ...named,
  });
  using home = listenHome();
  await using cluster = await Cluster.connect({
    url: redis.url,
    queue,
    root,
    visibilityTimeout: 60_000,
  });
  const executor = new cluster.ProcessPoolExecutor({ maxWorkers: 1, module });
  try {
    const future = executor.submit("gated", 4, home.port, [4]);
    const call = await home.next();
    assert.equal(call.tag, "first");
    await end(first);
    await call.gone;
    await using second = await startHost({
      url: redis.url,
      queue,
      tag: "second",
      ...named,
    });
    check(first, second);
    const again = await home.next();
    assert.equal(again.tag, "second");
    await again.release();
    assert.equal(await future.result(), 16);
  } finally {
    await executor.shutdown();
    await first.stop();
  }
}

Deno.test("Cluster: a worker host that stops gives the tasks it held back to the queue at once", async () => {
  await handOver(
    false,
    async (first) => assert.equal((await first.stop()).code, 0),
    (first) =>
      assert.ok(first.lines.some((line) => line.includes("gave 1 unfinished"))),
  );
});

Deno.test("Cluster: a worker host killed and restarted under the same name gives the tasks it held back at once", async () => {
  await handOver(
    true,
    async (first) => {
      first.kill("SIGKILL");
      await first.status;
    },
    (_, second) =>
      assert.ok(
        second.lines.some((line) =>
          line.includes("gave 1 task entries held by a previous host")
        ),
        second.lines.join("\n"),
      ),
  );
});

Deno.test("Cluster: closing the connection fails the tasks its pools wait for", async () => {
  await using redis = await startRedis();
  const cluster = await Cluster.connect({
    url: redis.url,
    queue: queueName(),
    root,
  });
  const pool = new cluster.Pool({ processes: 1, module });
  const result = assert.rejects(
    pool.map("square", [1, 2, 3]),
    /cluster connection is closed/,
  );
  await cluster.close();
  await result;
  await assert.rejects(pool.map("square", [1]), /cluster connection is closed/);
  assert.throws(
    () => new cluster.Pool({ processes: 1, module }),
    /cluster connection is closed/,
  );
  assert.equal(cluster.closed, true);
  await cluster.close();
  pool.terminate();
});

Deno.test("Cluster: close() cancels the queued entries of the tasks it fails, those of a send in flight too", async () => {
  await using redis = await startRedis();
  const queue = queueName();
  await using db = await inspect(redis.url);
  const cluster = await Cluster.connect({ url: redis.url, queue, root });
  const pool = new cluster.Pool({ processes: 2, module });
  // No host serves the queue: the entries wait in the stream.
  const queued = assert.rejects(
    pool.map("square", [1, 2, 3, 4, 5, 6, 7, 8], { chunksize: 1 }),
    /cluster connection is closed/,
  );
  await eventually(
    "entries queued",
    async () => (await db.xlen(`${queue}:tasks`)) === 8,
  );
  // These are still on their way to Redis when close() begins.
  const sending = assert.rejects(
    pool.map("square", [9, 10], { chunksize: 1 }),
    /cluster connection is closed/,
  );
  await cluster.close();
  await queued;
  await sending;
  assert.equal(await db.xlen(`${queue}:tasks`), 0);
  pool.terminate();
});

Deno.test("Cluster: close() and a worker host's stop settle when the Redis server is gone", async () => {
  const redis = await startRedis();
  const queue = queueName();
  const lines: string[] = [];
  const stop = new AbortController();
  const host = serveWorker({
    url: redis.url,
    queue,
    root,
    connectTimeout: 300,
    signal: stop.signal,
    log: (line) => lines.push(line),
  });
  const cluster = await Cluster.connect({
    url: redis.url,
    queue,
    root,
    connectTimeout: 300,
  });
  try {
    const pool = new cluster.Pool({ processes: 1, module });
    assert.deepEqual(await pool.map("square", [1, 2]), [1, 4]);
    await redis.stop();
    // Sent while the server is gone: it waits in the connection's queue.
    const waiting = assert.rejects(
      pool.map("square", [3]),
      /cluster connection is closed/,
    );
    await cluster.close();
    await waiting;
    pool.terminate();
    stop.abort();
    await host;
    assert.ok(lines.includes("stopped"), lines.join("\n"));
  } finally {
    stop.abort();
    await cluster.close();
    await host.catch(() => {});
    await redis.stop();
  }
});

Deno.test("Cluster.connect() rejects an unreachable server within its timeout, naming the address", async () => {
  const port = freePort();
  await assert.rejects(
    Cluster.connect({ url: `redis://127.0.0.1:${port}`, connectTimeout: 2000 }),
    (error: Error) => error.message.includes(`127.0.0.1:${port}`),
  );
  // A server that accepts but never answers.
  const silent = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const silentPort = (silent.addr as Deno.NetAddr).port;
  const held: Deno.Conn[] = [];
  const accepting = (async () => {
    try {
      for await (const conn of silent) held.push(conn);
    } catch {
      // Closed.
    }
  })();
  try {
    await assert.rejects(
      Cluster.connect({
        url: `redis://127.0.0.1:${silentPort}`,
        connectTimeout: 300,
      }),
      (error: Error) =>
        error.message.includes(`127.0.0.1:${silentPort}`) &&
        error.message.includes("300 ms"),
    );
  } finally {
    silent.close();
    for (const conn of held) conn.close();
    await accepting;
  }
});

Deno.test("Cluster connections drop a socket the server does not close within 100 ms, so a failed connect rejects soon after connectTimeout", async () => {
  // ioredis waits 2 s by default for a server that accepts but never
  // answers to close its side; both connections of a client or host must
  // not.
  assert.ok(DISCONNECT_TIMEOUT <= 100);
  await using redis = await startRedis();
  const url = new URL(redis.url);
  const cmd = await connectRedis("test", url, 1000);
  const copy = await duplicateRedis("test", url, cmd, 1000);
  try {
    assert.equal(cmd.options.disconnectTimeout, DISCONNECT_TIMEOUT);
    assert.equal(copy.options.disconnectTimeout, DISCONNECT_TIMEOUT);
  } finally {
    await closeRedis(copy);
    await closeRedis(cmd);
  }
});

Deno.test("Cluster, its pools and serveWorker reject bad options", async () => {
  const what = /Cannot connect to cluster/;
  // deno-lint-ignore no-explicit-any
  const connect = (options: any) => Cluster.connect(options);
  await assert.rejects(connect(undefined), TypeError);
  await assert.rejects(connect({ url: 42 }), TypeError);
  await assert.rejects(connect({ url: "http://127.0.0.1:1" }), TypeError);
  await assert.rejects(connect({ url: "redis://x", queue: "" }), TypeError);
  await assert.rejects(connect({ url: "redis://x", queue: "a b" }), TypeError);
  await assert.rejects(
    connect({ url: "redis://x", visibilityTimeout: 50 }),
    RangeError,
  );
  await assert.rejects(
    connect({ url: "redis://x", visibilityTimeout: "1" }),
    TypeError,
  );
  await assert.rejects(connect({ url: "redis://x", maxDeliveries: 0 }), what);
  await assert.rejects(
    connect({ url: "redis://x", maxDeliveries: 1.5 }),
    RangeError,
  );
  await assert.rejects(connect({ url: "redis://x", authkey: "" }), RangeError);
  await assert.rejects(connect({ url: "redis://x", authkey: 5 }), TypeError);
  await assert.rejects(
    connect({ url: "redis://x", connectTimeout: -1 }),
    RangeError,
  );
  await assert.rejects(
    connect({ url: "redis://x", root: "https://example.com/" }),
    TypeError,
  );

  // deno-lint-ignore no-explicit-any
  const serve = (options: any) => serveWorker(options);
  await assert.rejects(serve(null), TypeError);
  await assert.rejects(serve({ url: "ftp://x" }), TypeError);
  await assert.rejects(
    serve({ url: "redis://x", processes: 0 }),
    RangeError,
  );
  await assert.rejects(
    serve({ url: "redis://x", startMethod: "fork" }),
    RangeError,
  );
  await assert.rejects(serve({ url: "redis://x", log: "yes" }), TypeError);
  await assert.rejects(serve({ url: "redis://x", name: "a b" }), TypeError);
  await assert.rejects(
    serve({ url: `redis://127.0.0.1:${freePort()}`, connectTimeout: 2000 }),
    /Cannot serve worker: cannot reach Redis at 127\.0\.0\.1:/,
  );

  await using redis = await startRedis();
  await using cluster = await Cluster.connect({
    url: redis.url,
    queue: queueName(),
    root,
  });
  // deno-lint-ignore no-explicit-any
  const Pool = cluster.Pool as any;
  assert.throws(() => new Pool({ initializer: "square" }), TypeError);
  assert.throws(() => new Pool({ maxTasksPerChild: 1 }), TypeError);
  assert.throws(() => new Pool({ maxWorkers: 1 }), TypeError);
  assert.throws(() => new Pool({ processes: 0, module }), RangeError);
  assert.throws(() => new Pool(5), TypeError);
  assert.throws(
    () => new Pool({ module: "file:///elsewhere/tasks.ts" }),
    (error: Error) =>
      error instanceof TypeError && error.message.includes("not under"),
  );
  // deno-lint-ignore no-explicit-any
  const Executor = cluster.ProcessPoolExecutor as any;
  assert.throws(() => new Executor({ processes: 2 }), TypeError);
  assert.throws(() => new Executor({ permissions: "none" }), TypeError);
  const pool = new cluster.Pool({ processes: 1, module });
  await assert.rejects(pool.map("square", [1], { chunksize: 0 }), RangeError);
  assert.throws(
    () => pool.imap(undefined as unknown as string, [1]),
    TypeError,
  );
  pool.terminate();
});

Deno.test("The worker CLI prints its usage and refuses bad arguments", async () => {
  const cli = new URL("../dist/workers/cluster_worker.js", import.meta.url);
  const run = async (...args: string[]) => {
    const output = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "--allow-env",
        "--allow-net=127.0.0.1",
        cli.pathname,
        ...args,
      ],
      stdout: "null",
      stderr: "piped",
    }).output();
    return { code: output.code, text: new TextDecoder().decode(output.stderr) };
  };
  const help = await run("--help");
  assert.equal(help.code, 0);
  assert.match(help.text, /--start-method/);
  const missing = await run();
  assert.equal(missing.code, 2);
  assert.match(missing.text, /--url is required/);
  const unknown = await run("--url", "redis://127.0.0.1:1", "--bogus");
  assert.equal(unknown.code, 2);
  const bad = await run("--url", "redis://127.0.0.1:1", "--processes", "0");
  assert.equal(bad.code, 2);
  assert.match(bad.text, /processes must be a positive integer/);
  const spawnMethod = await run(
    "--url",
    "redis://127.0.0.1:1",
    "--start-method",
    "fork",
  );
  assert.equal(spawnMethod.code, 2);
});
