// Copyright 2026 the denomp authors. MIT license.
import assert from "node:assert/strict";
import {
  activeChildren,
  cpuCount,
  currentProcess,
  parentProcess,
  Process,
  RemoteError,
} from "@denomp/multiprocessing";
import { assertLive } from "../dist/lib/_internal.js";
import * as targets from "./fixtures/targets.ts";
import { runFixture, sharedInts as shared } from "./_util.ts";

const module = new URL("./fixtures/targets.ts", import.meta.url);

/** Not exported anywhere: a Process with this target must fail to start. */
function notExported(): void {}

Deno.test("Process.start() runs the target and join() waits for it", async () => {
  const out = shared(1);
  await using p = new Process({
    target: targets.addInto,
    args: [out, 20, 22],
    module,
  });
  assert.equal(p.pid, null);
  assert.equal(p.exitcode, null);
  assert.equal(p.isAlive(), false);
  await p.start();
  await p.join();
  assert.equal(out[0], 42);
  assert.equal(p.exitcode, 0);
  assert.equal(p.isAlive(), false);
  assert.equal(p.error, null);
});

Deno.test("Process accepts the target's export name as a string", async () => {
  const out = shared(1);
  const p = new Process({ target: "addInto", args: [out, 1, 2], module });
  await p.start();
  await p.join();
  assert.equal(out[0], 3);
});

Deno.test("Process.exitcode follows how the target ended", async (t) => {
  const cases: [string, unknown[], number, string | null][] = [
    ["noop", [], 0, null],
    ["exitWith", [3], 3, null],
    ["exitWith", [0], 0, null],
    ["denoExit", [7], 7, null],
    ["throws", ["bad value"], 1, "RangeError"],
    ["rejects", ["no way"], 1, "TypeError"],
    ["throwsLater", [], 1, "Error"],
  ];
  for (const [target, args, code, errorName] of cases) {
    await t.step(`${target}(${args.join(", ")}) -> ${code}`, async () => {
      const p = new Process({ target, args, module });
      p.start();
      await p.join();
      assert.equal(p.exitcode, code);
      assert.equal(p.isAlive(), false);
      assert.equal(p.error?.name ?? null, errorName);
    });
  }
});

Deno.test("Process.error keeps the worker's message and stack", async () => {
  const p = new Process({ target: "throws", args: ["kaput"], module });
  p.start();
  await p.join();
  const error = p.error;
  assert.ok(error instanceof RangeError);
  assert.equal(error.message, "kaput");
  assert.match(error.stack ?? "", /targets\.ts/);
  assert.ok(error.cause instanceof RemoteError);
});

Deno.test("Process.error keeps the start of an error too long for the status word", async () => {
  for (const kind of ["control", "name"]) {
    const p = new Process({ target: "throwsHuge", args: [kind], module });
    await p.start();
    await p.join();
    assert.equal(p.exitcode, 1);
    const error = p.error;
    assert.ok(error !== null, `the ${kind} error was lost`);
    if (kind === "control") {
      assert.equal(error.name, "RangeError");
      assert.equal(error.message, "\x01".repeat(1024));
    } else {
      assert.equal(error.message, "boom");
    }
  }
});

Deno.test("Process.start() rejects with TypeError for a target that is not exported", async () => {
  const p = new Process({ target: notExported, module });
  await assert.rejects(p.start(), (error: unknown) => {
    assert.ok(error instanceof TypeError);
    assert.match(error.message, /notExported is not exported by .*targets\.ts/);
    assert.match(error.message, /pass module/);
    return true;
  });
  await p.join();
  assert.equal(p.exitcode, 1);
});

Deno.test("Process.start() left unawaited: a target that is not exported ends the Process with exit code 1, not the program", async () => {
  // start()'s promise is optional to await (its JSDoc): its rejection must
  // not surface as an unhandled rejection, which would end the program.
  const p = new Process({ target: notExported, module });
  void p.start();
  await p.join();
  assert.equal(p.exitcode, 1);
  assert.match(p.error!.message, /notExported is not exported/);
});

Deno.test("Process.start() twice throws", async () => {
  await using p = new Process({ target: "noop", module });
  await p.start();
  assert.throws(() => p.start(), /can only be started once/);
  await p.join();
});

Deno.test("Process.join() before start() throws", async () => {
  const p = new Process({ target: "noop", module });
  await assert.rejects(p.join(), /has not been started/);
  assert.throws(() => p.joinSync(), /has not been started/);
  assert.throws(() => p.terminate(), /has not been started/);
});

Deno.test("Process.join({ timeout }) returns with the process still alive", async () => {
  await using p = new Process({ target: "idle", module });
  await p.start();
  await p.join({ timeout: 20 });
  assert.equal(p.isAlive(), true);
  assert.equal(p.exitcode, null);
  p.joinSync({ timeout: 5 });
  assert.equal(p.isAlive(), true);
  p.terminate();
  await p.join();
  assert.equal(p.exitcode, -15);
});

Deno.test("Process.join() rejects with signal.reason when aborted", async () => {
  await using p = new Process({ target: "idle", module });
  await p.start();
  const controller = new AbortController();
  const joining = p.join({ signal: controller.signal });
  const reason = new Error("stop waiting");
  controller.abort(reason);
  await assert.rejects(joining, (error) => error === reason);
  assert.equal(p.isAlive(), true);
});

Deno.test("Process.joinSync() blocks until the process exits", async () => {
  const p = new Process({ target: "exitWith", args: [5], module });
  await p.start();
  p.joinSync();
  assert.equal(p.exitcode, 5);
});

Deno.test("Process.terminate() and kill() end an idle process", async (t) => {
  for (const [method, code] of [["terminate", -15], ["kill", -9]] as const) {
    await t.step(`${method}() -> ${code}`, async () => {
      const p = new Process({ target: "idle", module });
      await p.start();
      assert.equal(p.isAlive(), true);
      p[method]();
      assert.equal(p.isAlive(), false);
      assert.equal(p.exitcode, code);
      await p.join();
      p[method](); // no-op once ended
      assert.equal(p.exitcode, code);
    });
  }
});

Deno.test("Process.terminate() ends a busy process at once and its stale thread can do no harm", async () => {
  // flags: [0] spin counter, [1] started, [2] stop request
  const flags = shared(3);
  const p = new Process({ target: "spin", args: [flags], module });
  await p.start();
  Atomics.wait(flags, 1, 0); // the target is now in its busy loop
  p.terminate();
  assert.equal(p.exitcode, -15);
  assert.equal(p.isAlive(), false);
  await p.join(); // returns at once
  p.joinSync();
  // The thread may still be spinning (Deno cannot stop it); let it go.
  Atomics.store(flags, 2, 1);
});

Deno.test("a terminated Process's toolkit calls fail with ProcessEndedError", async () => {
  // [0] started, [1] go, [2] result: 1 = call failed with ProcessEndedError
  const flags = shared(3);
  const p = new Process({
    target: "callsToolkitAfterGo",
    args: [flags],
    module,
  });
  await p.start();
  Atomics.wait(flags, 0, 0);
  p.kill();
  Atomics.store(flags, 1, 1);
  Atomics.notify(flags, 1);
  while (Atomics.load(flags, 2) === 0) Atomics.wait(flags, 2, 0, 50);
  assert.equal(Atomics.load(flags, 2), 1);
  assert.equal(p.exitcode, -9);
});

Deno.test("assertLive() does nothing on the main thread", () => {
  assertLive();
});

Deno.test("a program whose main module finished exits despite a busy terminated Process", async () => {
  const script = new URL("./fixtures/stuck_main.ts", import.meta.url);
  const output = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      `--allow-read=${new URL("..", import.meta.url).pathname}`,
      script.pathname,
    ],
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(30_000),
  }).output();
  const stdout = new TextDecoder().decode(output.stdout);
  assert.equal(output.code, 0, new TextDecoder().decode(output.stderr));
  assert.match(stdout, /terminated -15/);
  assert.match(stdout, /main module done/);
});

Deno.test("a crash in a worker does not kill the parent and join() returns", async () => {
  const p = new Process({ target: "throwsLater", module });
  await p.start();
  await p.join();
  assert.equal(p.exitcode, 1);
  assert.equal(p.error?.message, "late failure");
});

Deno.test("Process names default to Process-N and pids are unique", async () => {
  const a = new Process({ target: "noop", module });
  const b = new Process({ target: "noop", module, name: "custom" });
  assert.match(a.name, /^Process-\d+$/);
  assert.equal(b.name, "custom");
  await Promise.all([a.start(), b.start()]);
  await Promise.all([a.join(), b.join()]);
  assert.notEqual(a.pid, null);
  assert.notEqual(a.pid, b.pid);
  assert.notEqual(a.pid, Deno.pid);
});

Deno.test("currentProcess() and parentProcess() inside a target", async () => {
  const out = shared(3);
  const names = new Uint8Array(new SharedArrayBuffer(256));
  const p = new Process({
    target: targets.whoAmI,
    args: [out, names],
    module,
    name: "worker-7",
  });
  await p.start();
  await p.join();
  assert.equal(out[0], p.pid);
  assert.equal(out[1], Deno.pid);
  const text = new TextDecoder().decode(names.slice(0, out[2]));
  assert.equal(text, "worker-7|MainProcess");
  assert.equal(currentProcess().name, "MainProcess");
  assert.equal(currentProcess().pid, Deno.pid);
  assert.equal(parentProcess(), null);
});

Deno.test("a Process can start Processes of its own", async () => {
  const out = shared(2);
  const p = new Process({ target: "startsChild", args: [out], module });
  await p.start();
  await p.join();
  assert.equal(p.exitcode, 0, p.error?.stack);
  assert.equal(out[0], 42);
  assert.equal(out[1], 0);
});

Deno.test("activeChildren() lists the live processes", async () => {
  const p = new Process({ target: "idle", module });
  assert.ok(!activeChildren().includes(p as Process));
  await p.start();
  assert.ok(activeChildren().includes(p as Process));
  p.terminate();
  assert.ok(!activeChildren().includes(p as Process));
});

Deno.test("cpuCount() is navigator.hardwareConcurrency", () => {
  assert.equal(cpuCount(), navigator.hardwareConcurrency);
});

Deno.test("await using terminates and joins on scope exit", async () => {
  let kept: Process | undefined;
  {
    await using p = new Process({ target: "idle", module });
    await p.start();
    kept = p as Process;
  }
  assert.equal(kept.isAlive(), false);
  assert.equal(kept.exitcode, -15);
});

Deno.test("Process.close() refuses a running process and is idempotent", async () => {
  const p = new Process({ target: "idle", module });
  await p.start();
  assert.throws(() => p.close(), /still running/);
  p.terminate();
  p.close();
  p.close();
  assert.throws(() => p.start(), /closed/);
});

Deno.test("await using and using after an explicit close() dispose quietly", async () => {
  {
    await using p = new Process({ target: "noop", module });
    await p.start();
    await p.join();
    p.close();
  }
  {
    using p = new Process({ target: "noop", module });
    await p.start();
    await p.join();
    p.close();
  }
});

Deno.test("Process with permissions runs with fewer permissions than its parent", async () => {
  const out = shared(1);
  assert.equal(typeof Deno.env.get("PATH"), "string"); // the parent may
  const p = new Process({
    target: "readsEnv",
    args: ["PATH", out],
    module,
    // Read access to the toolkit and the target module, nothing else.
    permissions: { read: [new URL("..", import.meta.url)] },
  });
  await p.start();
  await p.join();
  assert.equal(p.exitcode, 0, p.error?.stack);
  assert.equal(out[0], 2, "the worker must not read the environment");
});

Deno.test("Process whose target module starts a Process as it is imported fails to start, with Python's bootstrapping error", async () => {
  const p = new Process({
    target: "noop",
    module: new URL("./fixtures/starts_process_on_load.ts", import.meta.url),
  });
  await assert.rejects(
    p.start(),
    /Cannot start process: a new process was started while this one was still importing its task module/,
  );
  await p.join();
  assert.equal(p.exitcode, 1);
  assert.deepEqual(activeChildren(), []);
});

Deno.test("Processes started one after another each get a fresh isolate", async () => {
  // From the second start on, each start makes the next one's worker ready
  // in the background: it must still be a fresh isolate.
  const out = new Int32Array(new SharedArrayBuffer(4 * 6));
  const pids = new Set<number>();
  for (let i = 0; i < 6; i++) {
    const p = new Process({ target: "countImports", args: [out, i], module });
    await p.start();
    await p.join();
    assert.equal(p.exitcode, 0);
    pids.add(p.pid!);
  }
  assert.deepEqual([...out], [1, 1, 1, 1, 1, 1]);
  assert.equal(pids.size, 6);
  // One with permissions makes its own worker, with those permissions (the
  // ready one inherits this program's).
  const sandboxed = new Process({
    target: "readsEnv",
    args: ["PATH", out],
    module,
    permissions: { read: [new URL("..", import.meta.url)] },
  });
  await sandboxed.start();
  await sandboxed.join();
  assert.equal(sandboxed.exitcode, 0);
  assert.equal(out[0], 2, "the sandboxed Process could read the environment");
});

Deno.test("Processes started one after another each see their own name as the worker's self.name", async () => {
  // From the third start on, a Process runs on the worker made ready in
  // advance, which was created before its name was known.
  const out = new Int32Array(new SharedArrayBuffer(4 * 5));
  for (let i = 0; i < 5; i++) {
    const p = new Process({
      target: "checkWorkerName",
      args: [out, i],
      module,
      name: `named-${i}`,
    });
    await p.start();
    await p.join();
    assert.equal(p.exitcode, 0, p.error?.stack);
  }
  assert.deepEqual([...out], [1, 1, 1, 1, 1]);
});

Deno.test("A program that started Processes one after another exits when its main module ends", async () => {
  const { code, stdout, stderr } = await runFixture("sequential_main.ts", [
    "--allow-read=.",
  ]);
  assert.equal(code, 0, stderr);
  assert.match(
    stdout,
    /process 0 exitcode 0\n.*\n.*\nprocess 3 exitcode 0\nmain module done/,
  );
});

/**
 * Runs fixtures/permissions_main.ts (a Process with permissions) with these
 * config flags, from the fixtures folder; returns its stdout.
 */
async function runPermissionsMain(flags: string[]): Promise<string> {
  const fixtures = new URL("./fixtures/", import.meta.url);
  const script = new URL("permissions_main.ts", fixtures).pathname;
  const output = await new Deno.Command(Deno.execPath(), {
    // Deno lets a program read its own command line only with -A.
    args: ["run", ...flags, "--allow-all", script],
    cwd: fixtures.pathname,
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(30_000),
  }).output();
  assert.equal(output.code, 0, new TextDecoder().decode(output.stderr));
  return new TextDecoder().decode(output.stdout);
}

Deno.test("Process with permissions fails clearly without --unstable-worker-options", async () => {
  const stdout = await runPermissionsMain(["--no-config"]);
  assert.match(stdout, /TypeError: .*--unstable-worker-options/);
});

Deno.test("Process with permissions starts when a config named by --config enables worker options", async () => {
  // The check must find the config Deno loaded, not only ./deno.json.
  const config = new URL("./fixtures/worker_options.json", import.meta.url)
    .pathname;
  for (const flags of [[`--config=${config}`], ["-c", config]]) {
    assert.match(await runPermissionsMain(flags), /started without error/);
  }
});

Deno.test("Process constructor rejects bad options with TypeError", async (t) => {
  const bad: [string, unknown, RegExp][] = [
    ["no options", undefined, /options must be an object/],
    ["missing target", {}, /options\.target is required/],
    [
      "target is a number",
      { target: 5, module },
      /target must be an exported function/,
    ],
    [
      "empty target name",
      { target: "", module },
      /must not be an empty string/,
    ],
    ["anonymous target", { target: [() => {}][0], module }, /anonymous/],
    ["name: 5", { target: "noop", module, name: 5 }, /name must be a string/],
    [
      'args: "x"',
      { target: "noop", module, args: "x" },
      /args must be an array/,
    ],
    [
      "daemon: 1",
      { target: "noop", module, daemon: 1 },
      /daemon must be a boolean/,
    ],
    ["module: 3", { target: "noop", module: 3 }, /module must be a URL/],
    [
      "module: not a URL",
      { target: "noop", module: "targets.ts" },
      /module must be a URL/,
    ],
    [
      "permissions: 7",
      { target: "noop", module, permissions: 7 },
      /permissions must be/,
    ],
  ];
  for (const [label, options, pattern] of bad) {
    await t.step(label, () => {
      assert.throws(
        // deno-lint-ignore no-explicit-any
        () => new Process(options as any),
        (error: unknown) =>
          error instanceof TypeError && pattern.test(error.message),
      );
    });
  }
});

Deno.test("Process.start() names an argument that cannot cross", async (t) => {
  const cases: [string, unknown[], RegExp][] = [
    ["function", [1, () => 2], /argument 1 of type function cannot be sent/],
    ["symbol", [Symbol("s")], /argument 0 of type symbol/],
    [
      "nested function",
      [{ a: [0, { f() {} }] }],
      /argument 0\.a\[1\]\.f of type function/,
    ],
  ];
  for (const [label, args, pattern] of cases) {
    await t.step(label, () => {
      const p = new Process({ target: "noop", args, module });
      assert.throws(
        () => p.start(),
        (error: unknown) =>
          error instanceof TypeError && pattern.test(error.message),
      );
      assert.equal(p.pid, null);
      assert.deepEqual(
        activeChildren().filter((c) => c === (p as Process)),
        [],
      );
    });
  }
});

Deno.test("Process.daemon is kept and can only change before start()", async () => {
  const p = new Process({ target: "noop", module, daemon: true });
  assert.equal(p.daemon, true);
  p.daemon = false;
  assert.equal(p.daemon, false);
  await p.start();
  assert.throws(() => {
    p.daemon = true;
  }, /already been started/);
  await p.join();
});

Deno.test("Process inspects as Python's repr: name, pid, parent, state, exitcode and signal, daemon", async () => {
  const parent = currentProcess().pid;
  const p = new Process({ target: "idle", module, name: "worker-a" });
  assert.equal(
    Deno.inspect(p),
    `Process { name: "worker-a", parent: ${parent}, state: "initial" }`,
  );
  await p.start();
  assert.equal(
    Deno.inspect(p),
    `Process { name: "worker-a", pid: ${p.pid}, parent: ${parent}, state: "started" }`,
  );
  p.terminate();
  assert.equal(
    Deno.inspect(p),
    `Process { name: "worker-a", pid: ${p.pid}, parent: ${parent}, state: "stopped", exitcode: -15, signal: "SIGTERM" }`,
  );
  p.close();
  assert.equal(
    Deno.inspect(p),
    `Process { name: "worker-a", pid: ${p.pid}, parent: ${parent}, state: "closed" }`,
  );

  const d = new Process({ target: "idle", module, daemon: true });
  await d.start();
  d.kill();
  assert.match(
    Deno.inspect(d),
    /state: "stopped", exitcode: -9, signal: "SIGKILL", daemon: true \}$/,
  );
  const e = new Process({ target: "exitWith", args: [3], module });
  await e.start();
  await e.join();
  assert.match(Deno.inspect(e), /state: "stopped", exitcode: 3 \}$/);
});
