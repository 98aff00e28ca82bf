// Copyright 2026 the denomp authors. MIT license.
// Process with the spawn start method: a real `deno run` child.
import assert from "node:assert/strict";
import {
  activeChildren,
  Lock,
  Manager,
  Process,
  Queue,
  Value,
} from "@denomp/multiprocessing";
import * as t from "./fixtures/spawn_targets.ts";
import { osPidAlive, runFixture, untilOsPidsGone } from "./_util.ts";

const module = new URL("./fixtures/spawn_targets.ts", import.meta.url);
const TCP = { hostname: "127.0.0.1", port: 0 };

function spawned<A extends unknown[]>(
  target: ((...args: A) => unknown) | string,
  args?: A,
  extra?: Record<string, unknown>,
): Process<A> {
  return new Process<A>({
    target,
    ...(args === undefined ? {} : { args }),
    module,
    startMethod: "spawn",
    ...extra,
  });
}

Deno.test("Process (spawn) runs in its own OS process with real exit codes", async (t2) => {
  await t2.step("0 when the target returns", async () => {
    await using p = spawned(t.noop);
    await p.start();
    assert.ok(p.pid !== null && p.pid !== Deno.pid);
    await p.join();
    assert.equal(p.exitcode, 0);
    assert.equal(osPidAlive(p.pid!), false);
  });
  await t2.step("n from exit(n) and Deno.exit(n)", async () => {
    await using a = spawned(t.exitWith, [3]);
    await using b = spawned(t.denoExit, [4]);
    a.start();
    b.start();
    await a.join();
    await b.join();
    assert.deepEqual([a.exitcode, b.exitcode], [3, 4]);
  });
  await t2.step("1 with the error when the target throws", async () => {
    await using p = spawned(t.throws, ["boom"]);
    await p.start();
    await p.join();
    assert.equal(p.exitcode, 1);
    assert.ok(p.error instanceof RangeError);
    assert.equal(p.error.message, "boom");
    assert.match(p.error.stack ?? "", /spawn_targets\.ts/);
  });
});

Deno.test("Process.terminate() and kill() (spawn) stop a busy loop; its OS pid is gone", async () => {
  await using manager = await Manager.start({ address: TCP });
  for (const [stop, code] of [["terminate", -15], ["kill", -9]] as const) {
    const started = await manager.event();
    await using p = spawned(t.spinAfter, [started]);
    await p.start();
    await started.wait();
    const pid = p.pid!;
    assert.equal(osPidAlive(pid), true);
    assert.equal(p.isAlive(), true);
    p[stop]();
    await p.join();
    assert.equal(p.exitcode, code);
    assert.equal(p.isAlive(), false);
    assert.throws(() => Deno.kill(pid, 0 as unknown as Deno.Signal));
  }
});

Deno.test("Process.joinSync() (spawn) blocks until the child has ended", async () => {
  await using p = spawned(t.exitWith, [7]);
  p.start();
  p.joinSync();
  assert.equal(p.exitcode, 7);
  assert.equal(p.isAlive(), false);
  // A timeout that runs out returns with the child still running.
  await using q = spawned(t.idle);
  await q.start();
  q.joinSync({ timeout: 10 });
  assert.equal(q.isAlive(), true);
  assert.equal(q.exitcode, null);
  q.terminate();
  q.joinSync();
  assert.equal(q.exitcode, -15);
});

Deno.test("currentProcess() and parentProcess() inside a spawned child", async () => {
  await using manager = await Manager.start({ address: TCP });
  const out = await manager.queue();
  await using p = spawned(t.whoAmI, [out], { name: "worker-x" });
  await p.start();
  const seen = await out.get() as {
    self: { name: string; pid: number };
    parent: { name: string; pid: number } | null;
    osPid: number;
    ppid: number;
    startMethod: string;
    args: string[];
  };
  await p.join();
  assert.equal(p.exitcode, 0);
  assert.deepEqual(seen.self, { name: "worker-x", pid: p.pid });
  assert.equal(seen.osPid, p.pid);
  assert.deepEqual(seen.parent, { name: "MainProcess", pid: Deno.pid });
  assert.equal(seen.startMethod, "thread");
  // The child shows its parent's arguments, as Python's spawn does.
  assert.deepEqual(seen.args, Deno.args);
});

Deno.test("Process (spawn) that leaves a grandchild behind is reported ended when it exits", async () => {
  await using manager = await Manager.start({ address: TCP });
  const out = await manager.queue();
  await using p = spawned(t.leaveGrandchild, [out]);
  await p.start();
  const grandchild = await out.get() as number;
  try {
    // The grandchild holds the child's stderr pipe open for 30 s: join()
    // must not wait for it (the bound is only there to fail, not hang).
    await p.join({ timeout: 15_000 });
    assert.equal(p.exitcode, 0);
    assert.equal(p.isAlive(), false);
    assert.equal(osPidAlive(grandchild), true);
  } finally {
    Deno.kill(grandchild, "SIGKILL");
    await untilOsPidsGone([grandchild]);
  }
});

Deno.test("Process (spawn) arguments cross by copy through the codec", async () => {
  await using manager = await Manager.start({ address: TCP });
  const out = await manager.queue();
  const value = {
    n: 1.5,
    big: 2n ** 70n,
    when: new Date(0),
    map: new Map([["a", [1, undefined]]]),
    bytes: new Uint8Array([1, 2, 3]),
  };
  await using p = spawned(t.echo, [out, value]);
  await p.start();
  const back = await out.get();
  await p.join();
  assert.deepEqual(back, value);
});

Deno.test("Process.start() (spawn) refuses shared-memory objects with a TypeError naming the argument", () => {
  const cases: [unknown[], RegExp][] = [
    [[1, new Value("i", 0)], /args\[1\] is a Value.*manager\.value\(\)/],
    [[new Lock()], /args\[0\] is a Lock.*Manager/],
    [[{ q: new Queue() }], /args\[0\]\.q is a Queue.*manager\.queue\(\)/],
    [
      [new Int32Array(new SharedArrayBuffer(4))],
      /args\[0\].*SharedArrayBuffer/,
    ],
    [[() => 1], /args\[0\].*function/],
  ];
  for (const [args, message] of cases) {
    const p = spawned("noop", args);
    assert.throws(() => p.start(), (error: Error) => {
      assert.ok(error instanceof TypeError, String(error));
      assert.match(error.message, message);
      return true;
    });
    assert.equal(p.pid, null);
    assert.equal(p.isAlive(), false);
  }
  assert.deepEqual(activeChildren(), []);
});

Deno.test("Process.start() (spawn): the copy the SharedArrayBuffer refusal suggests crosses", async () => {
  const sab = new SharedArrayBuffer(4);
  new Uint8Array(sab).set([1, 2, 3, 4]);
  const refused = spawned("noop", [sab]);
  assert.throws(() => refused.start(), (error: Error) => {
    assert.ok(error instanceof TypeError, String(error));
    assert.match(error.message, /new Uint8Array\(sab\)\.slice\(\)/);
    return true;
  });
  // The advice works, where sab.slice() (shared memory again) does not.
  assert.throws(() => spawned("noop", [sab.slice(0)]).start(), TypeError);
  await using manager = await Manager.start({ address: TCP });
  const out = await manager.queue();
  await using p = spawned(t.echo, [out, new Uint8Array(sab).slice()]);
  await p.start();
  assert.deepEqual(await out.get(), new Uint8Array([1, 2, 3, 4]));
  await p.join();
  assert.equal(p.exitcode, 0);
});

Deno.test("Process.start() (spawn) rejects a target that is not exported; exit code 1", async () => {
  await using p = spawned("notThere");
  await assert.rejects(p.start(), TypeError);
  await p.join();
  assert.equal(p.exitcode, 1);
  assert.match(p.error?.message ?? "", /notThere is not exported/);
});

Deno.test("Process (spawn) permissions narrow the child's: a read it may not do fails", async () => {
  const file = new URL("./fixtures/spawn_targets.ts", import.meta.url)
    .pathname;
  const run = async (permissions?: unknown) => {
    await using p = spawned(t.readOr2, [file], {
      ...(permissions === undefined ? {} : { permissions }),
    });
    p.start();
    await p.join();
    return p.exitcode;
  };
  assert.equal(await run(), 0); // inherits --allow-read=.
  assert.equal(await run("none"), 2);
  assert.equal(await run({ net: ["127.0.0.1"] }), 2);
  assert.equal(await run({ read: [file] }), 0);
  assert.equal(await run({ read: "inherit" }), 0);
});

Deno.test("Process.start() (spawn) refuses permissions this program does not hold", () => {
  for (
    const permissions of [
      { write: true },
      { net: ["example.com"] },
      { read: ["/etc/hostname"] },
    ]
  ) {
    const p = spawned("noop", [], { permissions });
    assert.throws(() => p.start(), Deno.errors.NotCapable);
    assert.equal(p.isAlive(), false);
  }
});

Deno.test("Process (spawn) constructor refuses a badly shaped permissions with a TypeError", () => {
  const bad: [unknown, RegExp][] = [
    [{ bogus: true }, /unknown key "bogus"/],
    [{ read: 3 }, /permissions\.read must be "inherit", a boolean or an array/],
    [{ write: [1] }, /permissions\.write must list strings or URLs/],
    [{ sys: "all" }, /permissions\.sys must be/],
  ];
  for (const [permissions, message] of bad) {
    assert.throws(
      () => spawned("noop", [], { permissions }),
      (e) => e instanceof TypeError && message.test(e.message),
    );
  }
});

Deno.test("Process (spawn) options are checked", () => {
  assert.throws(
    () => new Process({ target: "noop", module, startMethod: "fork" as never }),
    /"fork" is not available.*"thread" or "spawn"/,
  );
  assert.throws(
    () =>
      new Process({
        target: "noop",
        module,
        startMethod: "forkserver" as never,
      }),
    TypeError,
  );
  assert.throws(
    () => new Process({ target: "noop", module, startMethod: 1 as never }),
    TypeError,
  );
  assert.throws(
    () =>
      new Process({ target: "noop", module, startMethod: "bogus" as never }),
    /received "bogus"/,
  );
  assert.throws(
    () => new Process({ target: "noop", module, maxHeapMb: 64 }),
    /maxHeapMb needs startMethod "spawn"/,
  );
  assert.throws(
    () =>
      new Process({
        target: "noop",
        module,
        startMethod: "spawn",
        maxHeapMb: 2,
      }),
    RangeError,
  );
  assert.throws(
    () =>
      new Process({
        target: "noop",
        module,
        startMethod: "spawn",
        maxHeapMb: "64" as never,
      }),
    TypeError,
  );
});

Deno.test("Process (spawn) with maxHeapMb that runs out of memory ends alone with a signal exit code", async () => {
  await using p = spawned(t.eatMemory, [], { maxHeapMb: 16 });
  await p.start();
  await p.join();
  assert.ok(p.exitcode !== null && p.exitcode < 0, `exit ${p.exitcode}`);
  assert.equal(osPidAlive(p.pid!), false);
});

Deno.test("Process (spawn) is in activeChildren() while it runs; await using terminates it", async () => {
  let pid: number;
  {
    await using p = spawned(t.idle);
    await p.start();
    pid = p.pid!;
    assert.deepEqual(activeChildren(), [p]);
  }
  assert.deepEqual(activeChildren(), []);
  assert.equal(osPidAlive(pid), false);
});

Deno.test("Process (spawn) stress: 24 children at once, every exit code exact", async () => {
  const ps = Array.from({ length: 24 }, (_, i) => spawned(t.exitWith, [i]));
  for (const p of ps) p.start();
  for (const p of ps) await p.join();
  assert.deepEqual(ps.map((p) => p.exitcode), ps.map((_, i) => i));
  assert.equal(new Set(ps.map((p) => p.pid)).size, 24);
  for (const p of ps) p.close();
});

Deno.test("a spawned child prints the traceback of an uncaught error, as Python does", async () => {
  const { code, stdout, stderr } = await runFixture("spawn_main.ts", [
    "--allow-read=.",
    "--allow-run",
  ], ["throws"]);
  assert.equal(code, 0, stderr);
  assert.match(stdout, /exitcode 1/);
  assert.match(
    stderr,
    /Process spawn-thrower:\nRangeError: thrown in the child/,
  );
});

Deno.test("Process and Pool (spawn) without --allow-run fail with NotCapable naming the flag", async () => {
  const { code, stdout, stderr } = await runFixture("spawn_main.ts", [
    "--allow-read=.",
  ], ["norun"]);
  assert.equal(code, 0, stderr);
  const lines = stdout.trim().split("\n");
  assert.equal(lines.length, 3, stdout);
  assert.match(lines[0]!, /^NotCapable: Cannot start process: .*--allow-run/);
  for (const line of lines.slice(1)) {
    assert.match(line, /^NotCapable: Cannot start pool worker: .*--allow-run/);
  }
});

Deno.test("Process (spawn) without read access to the toolkit fails at start with NotCapable naming the flag; pid does not wait", async () => {
  const { code, stdout, stderr } = await runFixture("spawn_main.ts", [
    "--allow-run",
  ], ["noread"]);
  assert.equal(code, 0, stderr);
  const lines = stdout.trim().split("\n");
  assert.equal(lines.length, 2, stdout);
  const dist = new URL("../dist/", import.meta.url).pathname;
  assert.equal(
    lines[0]!.startsWith("NotCapable: Cannot start process: "),
    true,
    lines[0],
  );
  assert.equal(lines[0]!.endsWith(`--allow-read=${dist}`), true, lines[0]);
  assert.equal(lines[1], "pid null exitcode null");
});

Deno.test("a Process or Pool created inside a Process without module defaults to the program's main module", async () => {
  const { code, stdout, stderr } = await runFixture("spawn_main.ts", [
    "--allow-read=.",
    "--allow-run",
  ], ["nested"]);
  assert.equal(code, 0, stderr);
  // The grandchild's target is found in the program's main module and its
  // exit code comes back through the child's.
  assert.match(stdout, /spawn: nested exitcode 5/);
  assert.match(stdout, /thread: nested exitcode 5/);
});

Deno.test("a running non-daemonic spawned Process keeps the program alive; a daemonic one ends with it", async () => {
  // The test task grants no file writes: the fixture makes this directory
  // and its kept child removes it.
  const dir = `/tmp/denomp-exit-${crypto.randomUUID()}`;
  const { code, stdout, stderr } = await runFixture("spawn_main.ts", [
    `--allow-read=.,${dir}`,
    `--allow-write=${dir}`,
    "--allow-run",
  ], ["exit", dir]);
  assert.equal(code, 0, stderr);
  const lines = stdout.trim().split("\n");
  assert.equal(lines[1], "main module done");
  assert.equal(lines[2], "non-daemonic child done");
  const pid = Number(lines[0]!.replace("daemon pid ", ""));
  assert.ok(Number.isInteger(pid) && pid > 0, stdout);
  await untilOsPidsGone([pid]);
});

Deno.test("the parent SIGKILLed from outside leaves no spawned child behind", async () => {
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-read=.",
      "--allow-run",
      "--allow-net=127.0.0.1",
      new URL("./fixtures/spawn_main.ts", import.meta.url).href,
      "orphans",
    ],
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream())
    .getReader();
  let text = "";
  while (!text.includes("\n")) {
    const { value, done } = await reader.read();
    if (done) break;
    text += value;
  }
  const pids = JSON.parse(text.split("\n")[0]!) as number[];
  // Busy Processes, an idle one, and busy pool workers.
  assert.ok(pids.length >= 5, text);
  assert.ok(pids.every(osPidAlive));
  child.kill("SIGKILL");
  await child.status;
  await reader.cancel();
  await untilOsPidsGone(pids);
});
