// Copyright 2026 the denomp authors. MIT license.
import assert from "node:assert/strict";
import {
  getAllStartMethods,
  getContext,
  getStartMethod,
  Pool,
  Process,
  ProcessPoolExecutor,
  setStartMethod,
} from "@denomp/multiprocessing";
import { runFixture } from "./_util.ts";

const module = new URL("./fixtures/spawn_targets.ts", import.meta.url);

/** Runs `fn` with the start method forgotten before and after. */
async function fresh(fn: () => unknown): Promise<void> {
  setStartMethod(null, { force: true });
  try {
    await fn();
  } finally {
    setStartMethod(null, { force: true });
  }
}

Deno.test("getAllStartMethods() lists thread (the default) then spawn", () => {
  assert.deepEqual(getAllStartMethods(), ["thread", "spawn"]);
  // A copy: changing it changes nothing.
  getAllStartMethods().pop();
  assert.deepEqual(getAllStartMethods(), ["thread", "spawn"]);
});

Deno.test("setStartMethod() follows Python's rules", async (t) => {
  await t.step("the default is thread", () =>
    fresh(() => {
      assert.equal(getStartMethod(), "thread");
    }));
  await t.step(
    "it can be set once; a second time needs force",
    () =>
      fresh(() => {
        setStartMethod("spawn");
        assert.equal(getStartMethod(), "spawn");
        assert.throws(
          () => setStartMethod("thread"),
          /already set to "spawn".*force/,
        );
        assert.throws(() => setStartMethod("spawn"), Error);
        setStartMethod("thread", { force: true });
        assert.equal(getStartMethod(), "thread");
      }),
  );
  await t.step(
    "not after getStartMethod() fixed the default, as Python's get_start_method()",
    () =>
      fresh(() => {
        assert.equal(getStartMethod(), "thread");
        assert.throws(() => setStartMethod("spawn"), /already in use.*force/);
        assert.equal(getStartMethod(), "thread");
        setStartMethod("spawn", { force: true });
        assert.equal(getStartMethod(), "spawn");
      }),
  );
  await t.step(
    "not after a Process started with the default",
    () =>
      fresh(async () => {
        await using p = new Process({ target: "noop", module });
        await p.start();
        await p.join();
        assert.throws(() => setStartMethod("spawn"), /already in use/);
        setStartMethod("spawn", { force: true });
        assert.equal(getStartMethod(), "spawn");
      }),
  );
  await t.step(
    "not after a Pool was created with the default",
    () =>
      fresh(async () => {
        await using _pool = new Pool({ processes: 1, module });
        assert.throws(() => setStartMethod("spawn"), /already in use/);
      }),
  );
  await t.step(
    "a Process with its own startMethod leaves the default free",
    () =>
      fresh(async () => {
        await using p = new Process({
          target: "noop",
          module,
          startMethod: "thread",
        });
        await p.start();
        await p.join();
        setStartMethod("spawn");
        assert.equal(getStartMethod(), "spawn");
      }),
  );
  await t.step(
    "the default is what Processes and pools use",
    () =>
      fresh(async () => {
        setStartMethod("spawn");
        await using p = new Process({ target: "osPid", module });
        await p.start();
        assert.notEqual(p.pid, Deno.pid);
        await p.join();
        await using pool = new Pool({ processes: 1, module });
        assert.notEqual(await pool.apply("osPid", []), Deno.pid);
      }),
  );
});

Deno.test("setStartMethod() rejects fork, forkserver and anything else, listing what is supported", () =>
  fresh(() => {
    for (const method of ["fork", "forkserver"]) {
      assert.throws(
        () => setStartMethod(method as never),
        (error: Error) => {
          assert.ok(error instanceof TypeError);
          assert.match(
            error.message,
            /cannot fork itself; use "thread" or "spawn"/,
          );
          return true;
        },
      );
    }
    assert.throws(() => setStartMethod("bogus" as never), /received "bogus"/);
    assert.throws(() => setStartMethod(3 as never), TypeError);
    assert.throws(
      () => setStartMethod(null),
      /null only with \{ force: true \}/,
    );
    assert.throws(
      () => setStartMethod("spawn", { force: 1 as never }),
      TypeError,
    );
    assert.throws(() => setStartMethod("spawn", 3 as never), TypeError);
    // Nothing was set by the failures.
    setStartMethod("spawn");
  }));

Deno.test("getContext() binds Process, Pool and ProcessPoolExecutor to a start method", () =>
  fresh(async () => {
    const spawn = getContext("spawn");
    assert.equal(spawn.startMethod, "spawn");
    assert.equal(getContext("spawn"), spawn);
    assert.equal(getContext().startMethod, "thread");
    assert.equal(spawn.Process.name, "Process");
    await using p = new spawn.Process({ target: "osPid", module });
    assert.ok(p instanceof Process);
    await p.start();
    assert.notEqual(p.pid, Deno.pid);
    await p.join();
    await using pool = new spawn.Pool({ processes: 1, module });
    assert.ok(pool instanceof Pool);
    assert.notEqual(await pool.apply("osPid", []), Deno.pid);
    await using ex = new spawn.ProcessPoolExecutor({ maxWorkers: 1, module });
    assert.ok(ex instanceof ProcessPoolExecutor);
    assert.notEqual(await ex.submit("osPid").result(), Deno.pid);
    // An explicit startMethod still wins.
    const thread = new spawn.Pool({
      processes: 1,
      module,
      startMethod: "thread",
    });
    assert.equal(await thread.apply("osPid", []), Deno.pid);
    thread.terminate();
    // A context does not fix the program's default.
    setStartMethod("spawn");
    assert.equal(getContext().startMethod, "spawn");
    assert.throws(() => getContext("fork" as never), TypeError);
  }));

Deno.test("a Process learns its parent's start method", async () => {
  const { code, stdout, stderr } = await runFixture("start_method_main.ts", [
    "--allow-read=.",
    "--allow-run",
    "--allow-net=127.0.0.1",
  ]);
  assert.equal(code, 0, stderr);
  assert.equal(stdout.trim(), "thread child: spawn\nspawn child: spawn");
});
