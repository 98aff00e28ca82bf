// Copyright 2026 the denomp authors. MIT license.
// Types registered with Manager.register (Python's BaseManager.register):
// exposed and refused methods, methodToTypeid, errors thrown by user code,
// factories, proxies crossing into Processes, and the permissions of the
// server that runs that code.
import assert from "node:assert/strict";
import {
  AutoProxy,
  Manager,
  ManagerError,
  Process,
  RemoteError,
} from "@denomp/multiprocessing";
import { RawClient } from "./_manager_raw.ts";
import { METHOD_NOT_FOUND, refOf, USER_ERROR } from "../dist/lib/_internal.js";
import {
  Counter,
  makeStore,
  MathsClass,
  Probe,
} from "./fixtures/manager_types.ts";

const types = new URL("./fixtures/manager_types.ts", import.meta.url);
const targets = new URL("./fixtures/manager_targets.ts", import.meta.url);
const TCP = { hostname: "127.0.0.1", port: 0 };

const Maths = Manager.register("Maths", MathsClass, { module: types });
const CounterType = Manager.register("Counter", Counter, {
  module: types,
  exposed: ["increment", "child", "sum"],
  methodToTypeid: { child: "Counter" },
});
const Store = Manager.register("Store", makeStore, { module: types });
const ProbeType = Manager.register("Probe", Probe, { module: types });

Deno.test("Manager.create() makes a registered type whose exposed methods are async calls", async () => {
  await using manager = await Manager.start();
  const maths = await manager.create(Maths);
  assert.ok(maths instanceof AutoProxy);
  // Types flow: add(a: number, b: number): Promise<number>.
  const sum: number = await maths.add(4, 3);
  assert.equal(sum, 7);
  assert.equal(await maths.mul(7, 8), 56);
  assert.equal(await maths.later(21), 42);
  assert.equal(await maths.calls(), 2);
  // The object lives on the server: another proxy of it sees the same.
  await manager.register("maths", maths);
  const again = await manager.lookup<typeof maths>("maths");
  assert.equal(await again.calls(), 2);
  // Without exposed, the public methods: no "_secret" on the proxy.
  assert.equal("_secret" in maths, false);
  assert.deepEqual(
    Object.keys(Object.getPrototypeOf(maths)).sort(),
    ["add", "calls", "fail", "later", "mul"],
  );
  assert.match(
    Deno.inspect(maths),
    /^AutoProxy \{ typeid: "Maths", id: "[0-9a-f]{16}", manager: ".*" \}$/,
  );
  // By typeid, typed by the caller.
  const byName = await manager.create<MathsClass>("Maths");
  assert.equal(await byName.add(1, 1), 2);
});

Deno.test("a method that throws becomes a RemoteError with its name, message and stack", async () => {
  await using manager = await Manager.start();
  const maths = await manager.create(Maths);
  const error = await maths.fail("no luck").catch((e) => e);
  assert.ok(error instanceof RemoteError);
  assert.equal(error.remoteName, "RangeError");
  assert.equal(error.message, "no luck");
  assert.match(error.remoteStack, /at MathsClass\.fail/);
  assert.match(error.remoteStack, /manager_types\.ts/);
  // The server is fine afterwards.
  assert.equal(await maths.add(1, 2), 3);
});

Deno.test("a method that is not exposed is refused by the server, not only by the proxy", async () => {
  await using manager = await Manager.start({ address: TCP });
  const counter = await manager.create(CounterType, 5);
  assert.equal("reset" in counter, false);
  const maths = await manager.create(Maths);
  const raw = await RawClient.connect(
    manager.address as { hostname: string; port: number },
    manager.authkey,
  );
  try {
    for (
      const [proxy, method] of [
        [counter, "reset"],
        [counter, "constructor"],
        [counter, "__proto__"],
        [maths, "_secret"],
        [maths, "then"],
        [maths, "toString"],
      ] as const
    ) {
      const reply = await raw.call("custom.call", [
        refOf(proxy)!.id,
        method,
      ]) as {
        error: { code: number; message: string };
      };
      assert.equal(reply.error.code, METHOD_NOT_FOUND, method);
      assert.match(reply.error.message, /Method not exposed/);
    }
    const thrown = await raw.call("custom.call", [
      refOf(maths)!.id,
      "fail",
      "x",
    ]) as { error: { code: number; data: { name: string; stack: string } } };
    assert.equal(thrown.error.code, USER_ERROR);
    assert.equal(thrown.error.data.name, "RangeError");
  } finally {
    raw.close();
  }
  assert.equal(await counter.increment(), 6);
});

Deno.test("methodToTypeid keeps a method's result on the server and answers a proxy", async () => {
  await using manager = await Manager.start();
  const counter = await manager.create(CounterType, 10);
  const child = await counter.child();
  assert.ok(child instanceof AutoProxy);
  assert.match(Deno.inspect(child), /AutoProxy \{ typeid: "Counter"/);
  assert.equal(await child.increment(5), 15);
  assert.equal(await counter.increment(), 11);
  // A proxy of a registered type passed to a method arrives as its object.
  assert.equal(await counter.sum(child as unknown as Counter), 26);
  const other = await manager.dict();
  await assert.rejects(
    counter.sum(other as unknown as Counter),
    /cannot be passed to a registered type's method/,
  );
});

Deno.test("a factory function registers as a class does, and its object is served", async () => {
  await using manager = await Manager.start();
  const store = await manager.create(Store, "shelf");
  assert.equal(await store.get(), "shelf");
});

Deno.test("registered-type proxies cross into Processes and into stored values", async () => {
  await using manager = await Manager.start({ address: TCP });
  const counter = await manager.create(CounterType, 0);
  const d = await manager.dict<unknown>();
  await d.set("c", counter);
  const p = new Process({
    target: "incrementCounter",
    args: [d, 25],
    module: targets,
  });
  await p.start();
  await p.join();
  assert.equal(p.exitcode, 0);
  p.close();
  assert.equal(await counter.increment(0), 25);
});

Deno.test("Manager.register() and create() validate their arguments", async () => {
  assert.throws(() => Manager.register("", MathsClass), TypeError);
  assert.throws(() => Manager.register("dict", MathsClass), RangeError);
  assert.throws(
    () => Manager.register("X", 5 as unknown as typeof MathsClass),
    TypeError,
  );
  assert.throws(
    () => Manager.register("X", MathsClass, { exposed: ["then"] }),
    TypeError,
  );
  assert.throws(
    () => Manager.register("X", MathsClass, { exposed: ["constructor"] }),
    TypeError,
  );
  assert.throws(
    () =>
      Manager.register("X", MathsClass, {
        exposed: [1] as unknown as string[],
      }),
    TypeError,
  );
  assert.throws(
    () => Manager.register("X", (() => ({})) as () => object),
    /anonymous/,
  );
  await using manager = await Manager.start({ address: TCP });
  await assert.rejects(manager.create("Nope"), /no such type was registered/);
  // Registered after this manager started: not known to it.
  const Late = Manager.register("Late", MathsClass, { module: types });
  await assert.rejects(manager.create(Late), /before Manager\.start/);
  // A manager reached with connect() asks the server.
  const remote = await Manager.connect({
    address: manager.address,
    authkey: manager.authkey,
  });
  try {
    await assert.rejects(remote.create("Late"), TypeError);
    assert.equal(await (await remote.create(Maths)).add(2, 2), 4);
  } finally {
    await remote.shutdown();
  }
});

Deno.test("Manager.start() with a type whose module cannot be imported fails clearly", async () => {
  const Broken = Manager.register("Broken", MathsClass, {
    module: new URL("./fixtures/no_such_module.ts", import.meta.url),
  });
  try {
    await assert.rejects(
      Manager.start(),
      (error: unknown) =>
        error instanceof ManagerError &&
        /no_such_module\.ts/.test(error.message),
    );
  } finally {
    // Registering it again under a good module undoes the damage for the
    // other tests of this file.
    Manager.register(Broken.typeid, MathsClass, { module: types });
  }
});

Deno.test("Manager.start({ permissions }) narrows what the server's user code may do", async () => {
  // By default the server may read its types' modules and the toolkit's
  // files (dist/ in this checkout), and nothing else.
  await using plain = await Manager.start();
  const probe = await plain.create(ProbeType);
  const denied = await probe.env("HOME").catch((e) => e);
  assert.ok(denied instanceof RemoteError);
  assert.equal(denied.remoteName, "NotCapable");
  await assert.rejects(probe.size("/etc/passwd"), /NotCapable|Requires read/);
  assert.equal(
    await probe.size("dist/mod.js"),
    (await Deno.stat("dist/mod.js")).size,
  );
  // Given one variable, it may read exactly that one.
  await using narrow = await Manager.start({
    permissions: { env: ["HOME"] },
  });
  const probe2 = await narrow.create(ProbeType);
  assert.equal(await probe2.env("HOME"), Deno.env.get("HOME"));
  await assert.rejects(probe2.env("PATH"), /NotCapable|Requires env/);
  await assert.rejects(probe2.size("/etc/passwd"), /NotCapable|Requires read/);
  // Never more than this program holds (the tests run without --allow-ffi
  // and with net for 127.0.0.1 only).
  await assert.rejects(
    Manager.start({ permissions: { ffi: true } }),
    Deno.errors.NotCapable,
  );
  await assert.rejects(
    Manager.start({ permissions: { net: ["example.com"] } }),
    Deno.errors.NotCapable,
  );
  await assert.rejects(
    Manager.start({ permissions: { bogus: true } as never }),
    TypeError,
  );
});

Deno.test('Manager.start({ permissions: { read: true } }) and "inherit" widen read access rather than narrowing it to the server\'s own files', async () => {
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--quiet",
      "--allow-run",
      "--allow-read",
      new URL("./fixtures/manager_read_all.ts", import.meta.url).href,
    ],
    stdout: "piped",
    stderr: "inherit",
  }).output();
  assert.equal(out.code, 0);
  const sizes = JSON.parse(new TextDecoder().decode(out.stdout));
  assert.equal(typeof sizes.expected, "number");
  assert.deepEqual(sizes, {
    expected: sizes.expected,
    '{"read":true}': sizes.expected,
    '"inherit"': sizes.expected,
  });
});
