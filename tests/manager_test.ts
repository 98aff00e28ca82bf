// Copyright 2026 the denomp authors. MIT license.
import assert from "node:assert/strict";
import {
  AuthenticationError,
  type DictProxy,
  Manager,
  ManagerError,
  Pool,
  Process,
  QueueEmptyError,
  QueueFullError,
  RemoteError,
  TimeoutError,
} from "@denomp/multiprocessing";
import { RawClient } from "./_manager_raw.ts";
import {
  INVALID_PARAMS,
  INVALID_REQUEST,
  METHOD_NOT_FOUND,
  PARSE_ERROR,
  toBase64,
  UNKNOWN_OBJECT,
} from "../dist/lib/_internal.js";

const module = new URL("./fixtures/manager_targets.ts", import.meta.url);
const TCP = { hostname: "127.0.0.1", port: 0 };

function tcpAddress(m: Manager): { hostname: string; port: number } {
  const a = m.address;
  assert.equal(typeof a, "object");
  return a as { hostname: string; port: number };
}

async function run(target: string, args: unknown[]): Promise<number | null> {
  const p = new Process({ target, args, module });
  try {
    await p.start();
    await p.join();
    return p.exitcode;
  } finally {
    p.close();
  }
}

Deno.test("Manager.start() serves a dict with Python's dict semantics", async () => {
  await using manager = await Manager.start();
  assert.equal(typeof manager.address, "string");
  assert.ok((manager.address as string).endsWith("/manager.sock"));
  assert.equal(typeof manager.pid, "number");
  assert.equal(manager.authkey.length, 32);
  const d = await manager.dict<number>({ a: 1 });
  await d.set("b", 2);
  assert.equal(await d.get("a"), 1);
  assert.equal(await d.get("missing"), undefined);
  assert.equal(await d.get("missing", 7), 7);
  assert.equal(await d.has("b"), true);
  assert.equal(await d.size(), 2);
  assert.deepEqual(await d.keys(), ["a", "b"]);
  assert.deepEqual(await d.values(), [1, 2]);
  assert.deepEqual(await d.entries(), [["a", 1], ["b", 2]]);
  await d.update({ c: 3 });
  await d.update(new Map([["d", 4]]));
  await d.update([["e", 5]]);
  assert.equal(await d.pop("e"), 5);
  assert.equal(await d.pop("e", 9), 9);
  await assert.rejects(d.pop("e"), RangeError);
  assert.equal(await d.setdefault("a", 100), 1);
  assert.equal(await d.setdefault("z", 26), 26);
  assert.equal(await d.delete("z"), true);
  assert.equal(await d.delete("z"), false);
  assert.deepEqual(await d.toObject(), { a: 1, b: 2, c: 3, d: 4 });
  await d.clear();
  assert.equal(await d.size(), 0);
});

Deno.test("Manager.list() serves a list with Python's list semantics", async () => {
  await using manager = await Manager.start();
  const l = await manager.list<number>([1, 2, 3]);
  await l.append(4);
  await l.extend([5, 6]);
  assert.equal(await l.length(), 6);
  assert.equal(await l.get(0), 1);
  assert.equal(await l.get(-1), 6);
  await assert.rejects(l.get(6), RangeError);
  await l.set(-1, 60);
  assert.equal(await l.pop(), 60);
  assert.equal(await l.pop(0), 1);
  await l.insert(0, 0);
  await l.insert(100, 9);
  assert.deepEqual(await l.toArray(), [0, 2, 3, 4, 5, 9]);
  assert.equal(await l.index(4), 3);
  await assert.rejects(l.index(4, 4), RangeError);
  assert.equal(await l.count(9), 1);
  await l.remove(9);
  await assert.rejects(l.remove(9), RangeError);
  assert.deepEqual(await l.slice(1, -1), [2, 3, 4]);
  await l.replace([7, 8]);
  assert.deepEqual(await l.toArray(), [7, 8]);
  await l.replace([]);
  await assert.rejects(l.pop(), RangeError);
  const objects = await manager.list<{ a: number[] }>([{ a: [1] }]);
  assert.equal(await objects.index({ a: [1] }), 0);
});

Deno.test("Manager.namespace() and Manager.value() hold attributes and a value", async () => {
  await using manager = await Manager.start();
  const ns = await manager.namespace<{ x: number; y?: string }>({ x: 1 });
  await ns.set("y", "why");
  assert.equal(await ns.get("x"), 1);
  assert.equal(await ns.has("y"), true);
  assert.deepEqual(await ns.toObject(), { x: 1, y: "why" });
  assert.equal(await ns.delete("y"), true);
  assert.equal(await ns.get("y"), undefined);
  const v = await manager.value("d", 1.5);
  assert.equal(await v.get(), 1.5);
  await v.set(2.5);
  assert.equal(await v.get(), 2.5);
  assert.equal(await v.typecode(), "d");
});

Deno.test("DictProxy stores __proto__ keys as plain data without pollution", async () => {
  await using manager = await Manager.start();
  const init = JSON.parse('{"__proto__": {"polluted": true}, "a": 1}');
  const d = await manager.dict<unknown>(init);
  await d.set("constructor", { prototype: 1 });
  await d.set("prototype", 2);
  await d.update(JSON.parse('{"__proto__": {"polluted": 2}}'));
  assert.deepEqual(await d.get("__proto__"), { polluted: 2 });
  const obj = await d.toObject();
  assert.ok(Object.hasOwn(obj, "__proto__"));
  assert.deepEqual(Object.keys(obj).sort(), [
    "__proto__",
    "a",
    "constructor",
    "prototype",
  ]);
  // deno-lint-ignore no-explicit-any
  assert.equal(({} as any).polluted, undefined);
  const ns = await manager.namespace();
  await ns.set("__proto__", 5);
  assert.equal(await ns.get("__proto__"), 5);
  // The server is still healthy.
  assert.equal(await d.get("a"), 1);
});

Deno.test("proxies round-trip undefined, bigint, NaN, Date, Map, Set, bytes and '$' keys", async () => {
  await using manager = await Manager.start();
  const d = await manager.dict<unknown>();
  const value = {
    u: undefined,
    big: 2n ** 80n,
    nan: NaN,
    inf: -Infinity,
    date: new Date(1_700_000_000_000),
    map: new Map<unknown, unknown>([[1, "one"], ["k", new Set([1n])]]),
    set: new Set(["a"]),
    bytes: new Uint8Array([0, 1, 255]),
    dollar: { $: "u", v: 1 },
    nested: [undefined, { $: "o" }],
  };
  await d.set("x", value);
  assert.deepEqual(await d.get("x"), value);
  await d.set("u", undefined);
  assert.equal(await d.has("u"), true);
  assert.equal(await d.get("u", 5), undefined);
  assert.deepEqual(await d.toObject(), { x: value, u: undefined });
  const dd = await manager.dict<number>({ $: 1 });
  assert.deepEqual(await dd.toObject(), { $: 1 });
});

Deno.test("a value read through a proxy is a copy", async () => {
  await using manager = await Manager.start();
  const d = await manager.dict<{ list: number[] }>({ k: { list: [1] } });
  const local = await d.get("k");
  local!.list.push(2);
  assert.deepEqual(await d.get("k"), { list: [1] });
  await d.set("k", local!);
  assert.deepEqual(await d.get("k"), { list: [1, 2] });
});

Deno.test("values that cannot be encoded fail with TypeError before anything is sent", async () => {
  await using manager = await Manager.start();
  const d = await manager.dict<unknown>({ a: 1 });
  const l = await manager.list<unknown>();
  const cyclic: Record<string, unknown> = {};
  cyclic.self = cyclic;
  class Point {
    x = 1;
  }
  for (
    const bad of [
      () => {},
      Symbol("s"),
      cyclic,
      new Point(),
      { deep: [{ f: () => {} }] },
      { [Symbol("k")]: 1 },
      new Int16Array(2),
    ]
  ) {
    await assert.rejects(d.set("a", bad), TypeError);
    await assert.rejects(l.append(bad), TypeError);
    await assert.rejects(manager.dict({ x: bad }), TypeError);
  }
  for (const badKey of [{}, new Map(), new Set([1]), [{}], () => {}]) {
    await assert.rejects(d.set(badKey as unknown as string, 1), TypeError);
  }
  assert.deepEqual(await d.toObject(), { a: 1 });
  assert.equal(await l.length(), 0);
});

Deno.test("Manager rejects bad options and arguments with TypeError and RangeError", async () => {
  await assert.rejects(
    Manager.start({ address: 5 as unknown as string }),
    TypeError,
  );
  await assert.rejects(
    Manager.start({ address: { hostname: "127.0.0.1", port: 70000 } }),
    RangeError,
  );
  await assert.rejects(Manager.start({ maxFrameBytes: 10 }), RangeError);
  await assert.rejects(
    Manager.start({ authkey: 5 as unknown as string }),
    TypeError,
  );
  await assert.rejects(
    Manager.connect({ address: "", authkey: "k" }),
    TypeError,
  );
  await using manager = await Manager.start();
  await assert.rejects(manager.semaphore(-1), RangeError);
  await assert.rejects(manager.queue({ maxsize: -1 }), RangeError);
  await assert.rejects(manager.list(5 as unknown as number[]), TypeError);
  await assert.rejects(
    manager.dict(5 as unknown as Record<string, number>),
    TypeError,
  );
  await assert.rejects(manager.value("", 1), TypeError);
  await assert.rejects(
    manager.register(5 as unknown as string, await manager.lock()),
    TypeError,
  );
  await assert.rejects(manager.register("x", {} as never), TypeError);
  await assert.rejects(manager.lookup("nothing"), RangeError);
  const l = await manager.list<number>();
  await assert.rejects(l.get(1.5), TypeError);
  const lock = await manager.lock();
  await assert.rejects(lock.acquire({ timeout: -1 }), RangeError);
  await assert.rejects(
    lock.acquire({ signal: 5 as unknown as AbortSignal }),
    TypeError,
  );
  const sem = await manager.semaphore();
  await assert.rejects(sem.release(0), RangeError);
  assert.equal(await lock.locked(), false);
});

Deno.test("LockProxy acquires, times out, guards and rejects with signal.reason", async () => {
  await using manager = await Manager.start();
  const lock = await manager.lock();
  assert.equal(await lock.acquire(), true);
  assert.equal(await lock.locked(), true);
  assert.equal(await lock.acquire({ timeout: 0 }), false);
  assert.equal(await lock.acquire({ timeout: 20 }), false);
  await assert.rejects(lock.hold({ timeout: 0 }), TimeoutError);
  const controller = new AbortController();
  const waiting = lock.acquire({ signal: controller.signal });
  controller.abort(new Error("stop"));
  await assert.rejects(waiting, { message: "stop" });
  await assert.rejects(
    lock.acquire({ signal: AbortSignal.abort(new Error("already")) }),
    { message: "already" },
  );
  // A waiter is handed the lock on release.
  const next = lock.acquire();
  await lock.release();
  assert.equal(await next, true);
  await lock.release();
  // The aborted waiter did not end up holding it.
  assert.equal(await lock.locked(), false);
  {
    await using _ = await lock.hold();
    assert.equal(await lock.locked(), true);
  }
  assert.equal(await lock.locked(), false);
  await assert.rejects(lock.release(), RemoteError);
});

Deno.test("RLockProxy is re-entrant and owned by one connection", async () => {
  await using manager = await Manager.start({ address: TCP });
  const rlock = await manager.rlock();
  assert.equal(await rlock.acquire(), true);
  assert.equal(await rlock.acquire(), true);
  await using other = await Manager.connect({
    address: tcpAddress(manager),
    authkey: manager.authkey,
  });
  const theirs = await other.lookup("nothing").catch(() => null);
  assert.equal(theirs, null);
  await manager.register("r", rlock);
  const remote = await other.lookup<typeof rlock>("r");
  // The connected manager shares this thread's socket connection with the
  // parent's proxies, so use a raw client as a true second owner.
  assert.equal(await remote.locked(), true);
  const raw = await RawClient.connect(tcpAddress(manager), manager.authkey);
  try {
    const id = (await raw.call("manager.lookup", ["r"]) as { result: [string] })
      .result[0];
    const tried = await raw.call("rlock.acquire", [id, 0]) as {
      result: boolean;
    };
    assert.equal(tried.result, false);
    const released = await raw.call("rlock.release", [id]) as {
      error: { data: { name: string } };
    };
    assert.equal(released.error.data.name, "Error");
  } finally {
    raw.close();
  }
  await rlock.release();
  await rlock.release();
  assert.equal(await rlock.locked(), false);
});

Deno.test("SemaphoreProxy and EventProxy wait, time out and abort", async () => {
  await using manager = await Manager.start();
  const sem = await manager.semaphore(1);
  assert.equal(await sem.acquire(), true);
  assert.equal(await sem.acquire({ timeout: 0 }), false);
  const waiting = sem.acquire();
  await sem.release();
  assert.equal(await waiting, true);
  assert.equal(await sem.getValue(), 0);
  await sem.release(2);
  assert.equal(await sem.getValue(), 2);
  {
    await using _ = await sem.hold();
    assert.equal(await sem.getValue(), 1);
  }
  assert.equal(await sem.getValue(), 2);

  const event = await manager.event();
  assert.equal(await event.isSet(), false);
  assert.equal(await event.wait({ timeout: 10 }), false);
  const controller = new AbortController();
  const aborted = event.wait({ signal: controller.signal });
  const w1 = event.wait();
  const w2 = event.wait({ timeout: 60_000 });
  controller.abort(new Error("gone"));
  await assert.rejects(aborted, { message: "gone" });
  await event.set();
  assert.deepEqual(await Promise.all([w1, w2]), [true, true]);
  await event.clear();
  assert.equal(await event.isSet(), false);
});

Deno.test("QueueProxy puts and gets in order, with maxsize, timeouts and abort", async () => {
  await using manager = await Manager.start();
  const q = await manager.queue<number>({ maxsize: 2 });
  assert.equal(await q.empty(), true);
  await q.put(1);
  await q.putNowait(2);
  assert.equal(await q.full(), true);
  await assert.rejects(q.putNowait(3), QueueFullError);
  await assert.rejects(q.put(3, { timeout: 10 }), QueueFullError);
  const blockedPut = q.put(3);
  assert.equal(await q.get(), 1);
  await blockedPut;
  assert.equal(await q.qsize(), 2);
  assert.equal(await q.getNowait(), 2);
  assert.equal(await q.get(), 3);
  await assert.rejects(q.getNowait(), QueueEmptyError);
  await assert.rejects(q.get({ timeout: 10 }), QueueEmptyError);
  const controller = new AbortController();
  const aborted = q.get({ signal: controller.signal });
  controller.abort(new Error("no more"));
  await assert.rejects(aborted, { message: "no more" });
  // The cancelled getter does not swallow the next item.
  const getter = q.get();
  await q.put(4);
  assert.equal(await getter, 4);
  assert.equal(await q.qsize(), 0);
});

Deno.test("a connection carries many calls in flight, each answered to its caller", async () => {
  await using manager = await Manager.start();
  const d = await manager.dict<number>();
  const q = await manager.queue<number>();
  const getter = q.get(); // parked on the server while others go by
  const n = 2000;
  await Promise.all(Array.from({ length: n }, (_, i) => d.set(`k${i}`, i)));
  const values = await Promise.all(
    Array.from({ length: n }, (_, i) => d.get(`k${i}`)),
  );
  assert.deepEqual(values, Array.from({ length: n }, (_, i) => i));
  await q.put(42);
  assert.equal(await getter, 42);
});

Deno.test("proxies cross into Processes and reconnect there", async () => {
  await using manager = await Manager.start({ address: TCP });
  const d = await manager.dict<unknown>();
  const l = await manager.list<number>();
  const q = await manager.queue<number>();
  assert.equal(await run("setKey", [d, "from-child", { n: 1 }]), 0);
  assert.deepEqual(await d.get("from-child"), { n: 1 });
  const before = await accepted(manager);
  // Three proxies used at once in one worker share one connection.
  assert.equal(await run("mixed", [d, l, q]), 0);
  // The worker's one connection, plus the raw one that asks.
  assert.equal(await accepted(manager), before + 2);
  assert.equal(await d.get("x"), 1);
  assert.deepEqual(await l.toArray(), [2]);
  assert.equal(await q.get(), 3);
});

async function accepted(manager: Manager): Promise<number> {
  const raw = await RawClient.connect(tcpAddress(manager), manager.authkey);
  try {
    const reply = await raw.call("manager.ping", []) as {
      result: { accepted: number };
    };
    return reply.result.accepted;
  } finally {
    raw.close();
  }
}

Deno.test("sharing a proxy with a Process fails clearly when workers may not reach the socket", async () => {
  // These tests run without permissions on the temporary directory, so the
  // default Unix socket is out of the workers' reach (the parent talks over
  // the subprocess's pipes).
  await using manager = await Manager.start();
  const d = await manager.dict<number>();
  const p = new Process({ target: "setKey", args: [d, "k", 1], module });
  try {
    // (Process.start() may throw synchronously: wrap it.)
    await assert.rejects(async () => await p.start(), (error: Error) => {
      assert.ok(error instanceof Deno.errors.NotCapable);
      assert.match(error.message, /Cannot share a dict proxy with a worker/);
      return true;
    });
  } finally {
    p.close();
  }
  assert.equal(await d.has("k"), false);
});

Deno.test("proxies cross into Pool tasks and each worker reuses one connection", async () => {
  await using manager = await Manager.start({ address: TCP });
  const d = await manager.dict<unknown>();
  const before = await accepted(manager);
  {
    await using pool = new Pool({ processes: 2, module });
    await Promise.all(
      Array.from(
        { length: 20 },
        (_, i) => pool.apply("setKey", [d, `t${i}`, i]),
      ),
    );
  }
  assert.equal(await d.size(), 20);
  assert.equal(await d.get("t19"), 19);
  // At most one connection per worker (2), plus the raw one that asks.
  assert.ok(await accepted(manager) - before <= 3);
});

Deno.test("four Processes append 10 items each and a locked counter stays exact", async () => {
  await using manager = await Manager.start({ address: TCP });
  const l = await manager.list<number>();
  const d = await manager.dict<number>({ counter: 0 });
  const lock = await manager.lock();
  const ps = [];
  for (let i = 0; i < 4; i++) {
    ps.push(new Process({ target: "appendMany", args: [l, 10], module }));
    ps.push(
      new Process({ target: "incrementLocked", args: [d, lock, 25], module }),
    );
  }
  try {
    await Promise.all(ps.map((p) => p.start()));
    await Promise.all(ps.map((p) => p.join()));
    assert.deepEqual(ps.map((p) => p.exitcode), ps.map(() => 0));
  } finally {
    for (const p of ps) p.close();
  }
  assert.equal(await l.length(), 40);
  assert.equal(await d.get("counter"), 100);
  const rmw = await manager.list<number>();
  const locked = [];
  for (let i = 0; i < 4; i++) {
    locked.push(
      new Process({ target: "appendLocked", args: [rmw, lock, 10], module }),
    );
  }
  try {
    await Promise.all(locked.map((p) => p.start()));
    await Promise.all(locked.map((p) => p.join()));
  } finally {
    for (const p of locked) p.close();
  }
  assert.equal(await rmw.length(), 40);
});

Deno.test("a lock held by a terminated Process is released by the manager", async () => {
  await using manager = await Manager.start({ address: TCP });
  const lock = await manager.lock();
  const ready = await manager.event();
  const p = new Process({
    target: "holdLockForever",
    args: [lock, ready],
    module,
  });
  try {
    await p.start();
    assert.equal(await ready.wait({ timeout: 30_000 }), true);
    assert.equal(await lock.locked(), true);
    assert.equal(await lock.acquire({ timeout: 0 }), false);
    p.terminate();
    await p.join();
    // Its connection closes with the worker; the manager gives the lock back.
    assert.equal(await lock.acquire({ timeout: 30_000 }), true);
    await lock.release();
  } finally {
    p.close();
  }
});

Deno.test("every pending and later call fails with ManagerError when the manager is killed", async () => {
  await using manager = await Manager.start();
  const q = await manager.queue<number>();
  const d = await manager.dict<number>();
  const pending = q.get();
  const pending2 = d.set("k", 1).then(() => q.get({ timeout: 60_000 }));
  Deno.kill(manager.pid!, "SIGKILL");
  await assert.rejects(pending, ManagerError);
  await assert.rejects(pending2, ManagerError);
  await assert.rejects(d.get("k"), ManagerError);
  await assert.rejects(manager.dict(), ManagerError);
});

Deno.test("proxies in a Process fail with ManagerError when the manager is killed", async () => {
  await using manager = await Manager.start({ address: TCP });
  const q = await manager.queue<number | null>();
  const d = await manager.dict<number>();
  // The child produces into the queue; kill the manager before it is done.
  const p = new Process({ target: "produce", args: [q, 1_000_000], module });
  try {
    await p.start();
    assert.equal(typeof await q.get(), "number");
    Deno.kill(manager.pid!, "SIGKILL");
    await p.join();
    assert.equal(p.exitcode, 1);
    const error = p.error as RemoteError;
    assert.equal(error.remoteName ?? error.name, "ManagerError");
  } finally {
    p.close();
  }
  await assert.rejects(d.size(), ManagerError);
});

Deno.test("a program that never shuts its manager down still ends, and so does the manager", async () => {
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--quiet",
      "--allow-run",
      "--allow-read=.",
      new URL("./fixtures/manager_parent.ts", import.meta.url).href,
      "return",
    ],
    stdout: "piped",
    stderr: "inherit",
  }).output();
  assert.equal(out.code, 0);
  const { pid } = JSON.parse(new TextDecoder().decode(out.stdout));
  await waitGone(pid);
});

async function waitGone(pid: number): Promise<void> {
  // Bounded wait for an outside process to go: fail after 10 s.
  const deadline = Date.now() + 10_000;
  while (alive(pid) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 20));
  }
  assert.equal(alive(pid), false, `manager process ${pid} is still alive`);
}

Deno.test("the manager exits when its parent is killed with SIGKILL", async () => {
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--quiet",
      "--allow-run",
      "--allow-read=.",
      new URL("./fixtures/manager_parent.ts", import.meta.url).href,
    ],
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  while (!text.includes("\n")) {
    const { done, value } = await reader.read();
    if (done) break;
    text += value;
  }
  const { pid } = JSON.parse(text) as { pid: number };
  assert.equal(typeof pid, "number");
  assert.ok(alive(pid));
  child.kill("SIGKILL");
  await child.status;
  await reader.cancel();
  await waitGone(pid);
});

function alive(pid: number): boolean {
  try {
    Deno.kill(pid, "SIGCONT");
    return true;
  } catch {
    return false;
  }
}

Deno.test("Manager.connect() from a separate deno run works over TCP with the authkey", async () => {
  await using manager = await Manager.start({ address: TCP });
  const d = await manager.dict<unknown>({ fromParent: "hello" });
  const l = await manager.list<number>();
  await manager.register("shared", d);
  await manager.register("numbers", l);
  const { hostname, port } = tcpAddress(manager);
  const script = new URL(
    "./fixtures/manager_remote_client.ts",
    import.meta.url,
  );
  const runClient = async (mode: string) => {
    const out = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "--quiet",
        "--allow-net=127.0.0.1",
        script.href,
        hostname,
        String(port),
        toBase64(manager.authkey),
        mode,
      ],
      stdout: "piped",
      stderr: "inherit",
    }).output();
    assert.equal(out.code, 0);
    return JSON.parse(new TextDecoder().decode(out.stdout));
  };
  assert.deepEqual(await runClient("ok"), { seen: "hello" });
  const fromRemote = await d.get("fromRemote") as { pid: number; big: bigint };
  assert.equal(typeof fromRemote.pid, "number");
  assert.notEqual(fromRemote.pid, Deno.pid);
  assert.equal(fromRemote.big, 2n ** 70n);
  assert.deepEqual((await l.toArray()).sort(), [1, 2, 3]);
  assert.deepEqual(await runClient("wrong-key"), {
    error: "AuthenticationError",
  });
});

Deno.test("Manager.connect() with a wrong authkey fails with AuthenticationError", async () => {
  await using manager = await Manager.start({
    address: TCP,
    authkey: "secret",
  });
  const d = await manager.dict<number>({ a: 1 });
  await manager.register("d", d);
  await assert.rejects(
    Manager.connect({ address: tcpAddress(manager), authkey: "wrong" }),
    AuthenticationError,
  );
  // A raw client that skips the handshake reaches nothing: its first frame
  // is taken as a failed handshake and the connection is closed.
  const raw = await RawClient.connect(tcpAddress(manager));
  try {
    const hello = await raw.next() as { protocol: string };
    assert.equal(hello.protocol, "denomp-manager/1");
    await raw.sendJson({
      jsonrpc: "2.0",
      id: 1,
      method: "manager.lookup",
      params: ["d"],
    });
    const reply = await raw.next() as { error: { name: string } };
    assert.equal(reply.error.name, "AuthenticationError");
    assert.equal(await raw.next(), null);
  } finally {
    raw.close();
  }
  // Right key as a string works.
  await using other = await Manager.connect({
    address: tcpAddress(manager),
    authkey: "secret",
  });
  const same = await other.lookup<DictProxy<number>>("d");
  assert.equal(await same.get("a"), 1);
});

Deno.test("the server refuses methods outside its allow-list and bad shapes, and keeps serving", async () => {
  await using manager = await Manager.start({ address: TCP });
  const d = await manager.dict<number>({ a: 1 });
  await manager.register("d", d);
  const raw = await RawClient.connect(tcpAddress(manager), manager.authkey);
  try {
    const id = (await raw.call("manager.lookup", ["d"]) as { result: [string] })
      .result[0];
    const code = async (message: unknown) => {
      await raw.sendJson(message);
      const reply = await raw.next() as { error?: { code: number } };
      return reply.error?.code;
    };
    const call = (method: string, params: unknown = [id]) =>
      code({ jsonrpc: "2.0", id: 7, method, params });
    for (
      const method of [
        "constructor",
        "__proto__",
        "prototype",
        "dict.constructor",
        "dict.__proto__",
        "dict.prototype",
        "toString",
        "hasOwnProperty",
        "dict.shutdown",
        "eval",
      ]
    ) {
      assert.equal(await call(method), METHOD_NOT_FOUND, method);
    }
    assert.equal(await call("dict.get", ["nope", "a"]), UNKNOWN_OBJECT);
    assert.equal(await call("dict.get", [5, "a"]), INVALID_PARAMS);
    assert.equal(await call("dict.get", [id, { k: 5 }]), INVALID_PARAMS);
    assert.equal(
      await call("dict.get", [id, { $: "i", v: "1e5" }]),
      INVALID_PARAMS,
    );
    assert.equal(await call("list.get", [id, 0]), INVALID_PARAMS);
    assert.equal(await call("dict.get", { id }), INVALID_PARAMS);
    assert.equal(await call("manager.create", ["__proto__"]), INVALID_PARAMS);
    assert.equal(await code({ id: 1, method: "dict.get" }), INVALID_REQUEST);
    assert.equal(await code([1, 2]), INVALID_REQUEST);
    assert.equal(await code("str"), INVALID_REQUEST);
    assert.equal(
      await code({ jsonrpc: "2.0", id: {}, method: "x" }),
      INVALID_REQUEST,
    );
    await raw.sendText("{not json");
    assert.equal(
      (await raw.next() as { error: { code: number } }).error.code,
      PARSE_ERROR,
    );
    await raw.sendBytes(new Uint8Array([0, 0, 0, 2, 0xff, 0xfe]));
    assert.equal(
      (await raw.next() as { error: { code: number } }).error.code,
      PARSE_ERROR,
    );
    // A notification gets no answer; the next call still does.
    await raw.sendJson({
      jsonrpc: "2.0",
      method: "dict.set",
      params: [id, "n", 1],
    });
    assert.deepEqual(await raw.call("dict.get", [id, "n"], 9), {
      jsonrpc: "2.0",
      id: 9,
      result: 1,
    });
  } finally {
    raw.close();
  }
  assert.equal(await d.get("a"), 1);
  assert.equal(Object.hasOwn(Object.prototype, "a"), false);
});

Deno.test("a frame over maxFrameBytes gets an error and a closed connection; others go on", async () => {
  await using manager = await Manager.start({
    address: TCP,
    maxFrameBytes: 4096,
  });
  const d = await manager.dict<string>();
  const raw = await RawClient.connect(tcpAddress(manager), manager.authkey);
  try {
    await raw.sendText(
      JSON.stringify({
        jsonrpc: "2.0",
        id: 1,
        method: "dict.set",
        params: ["x", "k", "y".repeat(5000)],
      }),
    );
    const reply = await raw.next() as { id: null; error: { code: number } };
    assert.equal(reply.id, null);
    assert.equal(reply.error.code, -32003);
    assert.equal(await raw.next(), null);
  } finally {
    raw.close();
  }
  await d.set("small", "ok");
  assert.equal(await d.get("small"), "ok");
  // Our own client refuses such a call before sending it.
  await assert.rejects(d.set("big", "y".repeat(5000)), RangeError);
  assert.equal(await d.has("big"), false);
});

Deno.test("Manager.shutdown() is idempotent and later calls fail with ManagerError", async () => {
  const manager = await Manager.start();
  const d = await manager.dict<number>();
  const event = await manager.event();
  const waiting = assert.rejects(event.wait(), ManagerError);
  assert.match(
    Deno.inspect(manager),
    /Manager \{ address: ".*", pid: \d+, running \}/,
  );
  assert.match(
    Deno.inspect(d),
    /^DictProxy \{ typeid: "dict", id: "[0-9a-f]{16}", manager: ".*manager\.sock" \}$/,
  );
  await Promise.all([manager.shutdown(), manager.shutdown()]);
  await manager.shutdown();
  await waiting;
  await assert.rejects(d.set("a", 1), ManagerError);
  await assert.rejects(manager.list(), ManagerError);
  assert.match(Deno.inspect(manager), /shut down/);
});
