// Copyright 2026 the denomp authors. MIT license.
// Pool and ProcessPoolExecutor with the spawn start method: each worker is
// a `deno run` child; one scheduler (lib/pool/core.ts) drives it.
import assert from "node:assert/strict";
import {
  asCompleted,
  CancelledError,
  getContext,
  Lock,
  Manager,
  Pool,
  ProcessPoolExecutor,
  TimeoutError,
  Value,
  WorkerCrashedError,
} from "@denomp/multiprocessing";
import * as t from "./fixtures/spawn_targets.ts";
import { osPidAlive, untilOsPidsGone } from "./_util.ts";

const module = new URL("./fixtures/spawn_targets.ts", import.meta.url);
const TCP = { hostname: "127.0.0.1", port: 0 };

function pool(processes: number, extra?: Record<string, unknown>): Pool {
  return new Pool({ processes, module, startMethod: "spawn", ...extra });
}

Deno.test("Pool (spawn) maps in order on workers that are OS processes", async () => {
  await using p = pool(2);
  const xs = Array.from({ length: 500 }, (_, i) => i);
  assert.deepEqual(await p.map(t.square, xs), xs.map((x) => x * x));
  assert.deepEqual(
    await p.map(t.square, xs, { chunksize: 1 }),
    xs.map((x) => x * x),
  );
  assert.deepEqual(await p.starmap("denoExitOn", [[1, -1, 0]]), [1]);
  assert.equal(await p.apply(t.square, [9]), 81);
  const pids = new Set(await p.map(t.osPid, xs, { chunksize: 1 }));
  assert.equal(pids.size, 2);
  assert.ok(!pids.has(Deno.pid));
});

Deno.test("Pool (spawn) moves large values both ways", async () => {
  await using p = pool(1);
  const text = "é".repeat(1 << 20);
  assert.equal(await p.apply(t.same, [text]), text);
  const list = Array.from({ length: 100_000 }, (_, i) => ({ i, s: `${i}` }));
  assert.deepEqual(await p.apply(t.same, [list]), list);
  // Every byte value, the stderr framing's marker bytes included.
  const bytes = Uint8Array.from({ length: 3 << 20 }, (_, i) => (i * 7) & 255);
  assert.deepEqual(await p.apply(t.same, [bytes]), bytes);
});

Deno.test("Pool (spawn) stress: 20k one-item tasks give the exact sum", async () => {
  await using p = pool(2);
  const xs = Array.from({ length: 20_000 }, (_, i) => i);
  const out = await p.map(t.square, xs, { chunksize: 1 });
  assert.equal(out.length, 20_000);
  assert.equal(out.reduce((a, b) => a + b, 0), 2666466670000);
});

Deno.test("Pool (spawn): a task over its timeout kills its worker for real; the pool goes on", async () => {
  await using p = pool(1);
  const before = await p.apply(t.osPid, []);
  await assert.rejects(
    p.apply(t.spinForever, [], { timeout: 50 }),
    (error: Error) => {
      assert.ok(error instanceof TimeoutError);
      assert.match(error.message, /killed and replaced/);
      return true;
    },
  );
  await untilOsPidsGone([before]);
  const after = await p.apply(t.osPid, []);
  assert.notEqual(after, before);
  assert.equal(await p.apply(t.square, [12]), 144);
});

Deno.test("Pool (spawn): a task that loops for ever and one that runs out of memory fail alone; 500 others complete and no killed pid remains", async () => {
  await using p = pool(2, { maxHeapMb: 32 });
  const workers = new Set(await p.map(t.osPid, [0, 1, 2, 3], { chunksize: 1 }));
  const tasks: Promise<unknown>[] = [];
  const xs = Array.from({ length: 500 }, (_, i) => i);
  tasks.push(p.apply(t.spinForever, [], { timeout: 100 }));
  tasks.push(p.apply(t.eatMemory, []));
  tasks.push(p.map(t.square, xs.slice(0, 250), { chunksize: 1 }));
  tasks.push(p.map(t.square, xs.slice(250), { chunksize: 3 }));
  const [spin, oom, a, b] = await Promise.allSettled(tasks);
  assert.equal(spin!.status, "rejected");
  assert.ok((spin as PromiseRejectedResult).reason instanceof TimeoutError);
  assert.equal(oom!.status, "rejected");
  const crash = (oom as PromiseRejectedResult).reason;
  assert.ok(crash instanceof WorkerCrashedError, String(crash));
  assert.ok(crash.exitCode < 0, `exit code ${crash.exitCode}`);
  const squares = [
    ...(a as PromiseFulfilledResult<number[]>).value,
    ...(b as PromiseFulfilledResult<number[]>).value,
  ];
  assert.deepEqual(squares, xs.map((x) => x * x));
  // The two killed workers are gone; the pool has replacements.
  const now = new Set(await p.map(t.osPid, [0, 1, 2, 3], { chunksize: 1 }));
  const killed = [...workers].filter((pid) => !now.has(pid));
  assert.ok(killed.length >= 1);
  await untilOsPidsGone(killed);
});

Deno.test("Pool (spawn): Deno.exit in a task fails only that task, with its exit code", async () => {
  await using p = pool(2);
  const xs = Array.from({ length: 200 }, (_, i) => i);
  const results = await Promise.allSettled(
    xs.map((x) => p.apply(t.denoExitOn, [x, 77, 9])),
  );
  const failed = results.filter((r) => r.status === "rejected");
  assert.equal(failed.length, 1);
  const error = (failed[0] as PromiseRejectedResult).reason;
  assert.ok(error instanceof WorkerCrashedError);
  assert.equal(error.exitCode, 9);
  assert.deepEqual(
    results.map((r) => r.status === "fulfilled" ? r.value : null),
    xs.map((x) => x === 77 ? null : x),
  );
});

Deno.test("Executor (spawn): a worker killed from outside fails only the task it was running", async () => {
  await using manager = await Manager.start({ address: TCP });
  const out = await manager.queue();
  await using ex = new ProcessPoolExecutor({
    maxWorkers: 2,
    module,
    startMethod: "spawn",
  });
  const fast = Array.from({ length: 300 }, (_, i) => ex.submit(t.square, i));
  const victim = ex.submit(t.reportThenSpin, out);
  // The victim may be run again alone to find which task killed its worker:
  // kill it each time it reports.
  let kills = 0;
  while (!victim.done()) {
    const pid = await out.get({ timeout: 100 }).catch(() => null);
    if (typeof pid === "number") {
      Deno.kill(pid, "SIGKILL");
      kills++;
    }
  }
  const error = await victim.exception();
  assert.ok(error instanceof WorkerCrashedError, String(error));
  assert.equal(error.exitCode, -9);
  assert.ok(kills >= 1);
  let sum = 0;
  for await (const f of asCompleted(fast)) sum += await f.result();
  assert.equal(sum, fast.reduce((s, _, i) => s + i * i, 0));
});

Deno.test("Pool (spawn) maxTasksPerChild replaces workers with new OS processes", async () => {
  await using p = pool(1, { maxTasksPerChild: 2 });
  const pids = await p.map(t.osPid, [0, 1, 2, 3, 4, 5], { chunksize: 1 });
  assert.equal(new Set(pids).size, 3);
  await untilOsPidsGone([...new Set(pids)].slice(0, 2));
});

Deno.test("Pool (spawn) initializer runs in each worker with its initargs; a failing one breaks the pool", async () => {
  {
    await using p = pool(2, {
      initializer: t.remember,
      initargs: [{ k: [1] }],
    });
    const seen = await p.map(t.remembered, [0, 1, 2, 3], { chunksize: 1 });
    for (const [value] of seen) assert.deepEqual(value, { k: [1] });
  }
  await using p = pool(2, { initializer: "failingInit" });
  await assert.rejects(
    p.map(t.square, [1, 2]),
    /initializer failed: init failed/,
  );
  await assert.rejects(p.apply(t.square, [1]), /initializer failed/);
});

Deno.test("Pool (spawn) permissions narrow the workers': a read a task attempts is denied", async () => {
  const file = new URL("./fixtures/spawn_targets.ts", import.meta.url)
    .pathname;
  {
    await using p = pool(1);
    assert.match(await p.apply(t.readFile, [file]), /spawn start method/);
  }
  await using p = pool(1, { permissions: "none" });
  await assert.rejects(p.apply(t.readFile, [file]), (error: Error) => {
    assert.match(error.message, /Requires read access/);
    return true;
  });
});

Deno.test("Pool (spawn) signal aborts a map; the tasks not started are dropped", async () => {
  await using p = pool(1);
  const controller = new AbortController();
  const args = [1, 2, 3, 4].map((x): [number, number] => [x, 20]);
  const run = p.starmap(t.later, args, {
    chunksize: 1,
    signal: controller.signal,
  });
  controller.abort(new CancelledError("stop"));
  await assert.rejects(run, CancelledError);
  assert.equal(await p.apply(t.square, [3]), 9);
});

Deno.test("Pool (spawn) refuses at submit what cannot cross into another process", async () => {
  await using p = pool(1);
  await assert.rejects(
    p.map(t.square, [1, new Value("i", 0)] as never[]),
    /item 1 is a Value.*manager\.value\(\)/,
  );
  await assert.rejects(
    p.apply("noop", [{ lock: new Lock() }]),
    /argument list 0\[0\]\.lock is a Lock/,
  );
  await assert.rejects(
    p.apply("noop", [new Int32Array(new SharedArrayBuffer(8))]),
    /SharedArrayBuffer/,
  );
  await assert.rejects(p.apply("noop", [() => 1]), TypeError);
  // A result the codec cannot carry fails its own task only.
  await assert.rejects(
    p.apply(t.returnsFunction, []),
    /cannot be sent from a worker/,
  );
  assert.equal(await p.apply(t.square, [5]), 25);
  const ex = new ProcessPoolExecutor({
    maxWorkers: 1,
    module,
    startMethod: "spawn",
  });
  assert.throws(() => ex.submit("noop", new Value("d", 1)), TypeError);
  await ex.shutdown();
});

Deno.test("Pool (spawn) terminate() kills busy workers; their pids are gone", async () => {
  const p = pool(2);
  const pids = await p.map(t.osPid, [0, 1], { chunksize: 1 });
  const busy = [p.apply(t.spinForever, []), p.apply(t.spinForever, [])];
  p.terminate();
  for (const run of busy) await assert.rejects(run, CancelledError);
  await p.join();
  await untilOsPidsGone([...new Set(pids)]);
});

Deno.test("Executor (spawn) stress: 20k submits with asCompleted give the exact sum; mpContext selects spawn", async () => {
  await using ex = new ProcessPoolExecutor({
    maxWorkers: 2,
    module,
    mpContext: getContext("spawn"),
  });
  const futures = Array.from(
    { length: 20_000 },
    (_, i) => ex.submit(t.square, i),
  );
  let sum = 0;
  for await (const f of asCompleted(futures)) sum += await f.result();
  assert.equal(sum, 2666466670000);
  const pid = await ex.submit(t.osPid).result();
  assert.notEqual(pid, Deno.pid);
  assert.ok(osPidAlive(pid));
});

Deno.test("Executor options: startMethod and mpContext must agree", () => {
  assert.throws(
    () =>
      new ProcessPoolExecutor({
        module,
        startMethod: "thread",
        mpContext: getContext("spawn"),
      }),
    /disagree/,
  );
  assert.throws(
    () => new ProcessPoolExecutor({ module, mpContext: {} as never }),
    TypeError,
  );
  assert.throws(
    () => new Pool({ module, startMethod: "fork" as never }),
    /"fork" is not available/,
  );
  assert.throws(
    () => new Pool({ module, maxHeapMb: 64 }),
    /needs startMethod "spawn"/,
  );
  assert.throws(
    () => new Pool({ module, startMethod: "spawn", maxHeapMb: 1.5 }),
    RangeError,
  );
});

Deno.test("Pool and Executor (spawn) constructors refuse a badly shaped permissions with a TypeError", () => {
  const bad: [unknown, RegExp][] = [
    [{ bogus: true }, /unknown key "bogus"/],
    [
      { read: 3 },
      /permissions\.read must be "inherit", a boolean or an array, received 3 \(number\)/,
    ],
    [{ env: ["HOME", 1] }, /permissions\.env must list strings, received/],
    [
      { net: [new URL("http://127.0.0.1")] },
      /permissions\.net must list strings,/,
    ],
  ];
  for (const [permissions, message] of bad) {
    const options = { module, startMethod: "spawn", permissions } as const;
    assert.throws(
      () => new Pool({ processes: 1, ...options } as never),
      (e) => e instanceof TypeError && message.test(e.message),
    );
    assert.throws(
      () => new ProcessPoolExecutor({ maxWorkers: 1, ...options } as never),
      (e) => e instanceof TypeError && message.test(e.message),
    );
  }
});

Deno.test("Pool (spawn) created and closed without a task leaves no child behind", async () => {
  // The children start in the constructor; join() returns once they are
  // gone (the test's sanitizers see any child process or pipe left).
  const p = pool(2);
  p.close();
  await p.join();
  assert.match(Deno.inspect(p), /workers: 0/);
  const q = pool(2);
  q.terminate();
  await q.join();
  assert.match(Deno.inspect(q), /workers: 0/);
});

Deno.test("Pool (spawn) whose task module starts a pool as it is imported fails with the bootstrapping error", async () => {
  await using p = new Pool({
    processes: 1,
    module: new URL("./fixtures/starts_pool_on_load.ts", import.meta.url),
    startMethod: "spawn",
  });
  await assert.rejects(
    p.apply("square", [3]),
    /a new process was started while this one was still importing its task module/,
  );
});

Deno.test("Pool (spawn) whose module fails to load breaks with the start error, not a restart loop", async () => {
  await using p = new Pool({
    processes: 2,
    module: new URL("./fixtures/throws_on_load.ts", import.meta.url),
    startMethod: "spawn",
  });
  await assert.rejects(p.apply("anything", []), (error: Error) => {
    assert.match(error.message, /Cannot start pool worker: .*fails on load/s);
    return true;
  });
  await assert.rejects(p.apply("anything", []), /fails on load/);
});
