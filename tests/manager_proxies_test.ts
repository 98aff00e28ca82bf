// Copyright 2026 the denomp authors. MIT license.
// The proxies of lib/manager_proxies.ts beyond the first round: dict keys
// of every type, proxies stored inside values (nested proxies) and their
// reference counts, list reverse/sort, array, condition, barrier, bounded
// semaphore, and what Deno.inspect shows.
import assert from "node:assert/strict";
import {
  BrokenBarrierError,
  type DictProxy,
  type ListProxy,
  Manager,
  ManagerError,
  Process,
  RemoteError,
} from "@denomp/multiprocessing";
import { refOf } from "../dist/lib/_internal.js";
import { RawClient } from "./_manager_raw.ts";

const module = new URL("./fixtures/manager_targets.ts", import.meta.url);
const TCP = { hostname: "127.0.0.1", port: 0 };

/** Gives back the reference a proxy owns now, as its garbage collection would. */
function drop(proxy: object): void {
  refOf(proxy)!.releaseObject();
}

/**
 * How many objects the manager holds, asked on `proxy`'s connection, so
 * after every release sent on it before.
 */
async function objectCount(proxy: object): Promise<number> {
  const pong = await refOf(proxy)!.call("manager.ping", []) as {
    objects: number;
  };
  return pong.objects;
}

async function run(target: string, args: unknown[]): Promise<Process> {
  const p = new Process({ target, args, module });
  await p.start();
  return p;
}

Deno.test("DictProxy keeps keys of every type distinct and gives them back typed", async () => {
  await using manager = await Manager.start();
  const d = await manager.dict<string>();
  const date = new Date(1_700_000_000_000);
  const keys = [
    1,
    "1",
    1n,
    true,
    null,
    undefined,
    0.25,
    [1, "a"],
    [[1], 2n],
    date,
    new Uint8Array([1, 2]),
    "__proto__",
    "\0s1",
    "",
    NaN,
    -Infinity,
  ];
  for (const [i, k] of keys.entries()) await d.set(k, `v${i}`);
  assert.equal(await d.size(), keys.length);
  assert.deepEqual(await d.keys(), keys);
  for (const [i, k] of keys.entries()) {
    assert.equal(await d.get(k), `v${i}`, String(k));
    assert.equal(await d.has(k), true);
  }
  // Equal by value, as Python's tuples and numbers: -0 is 0, [1, "a"] is
  // any [1, "a"], 1.0 is 1.
  await d.set(-0, "zero");
  assert.equal(await d.get(0), "zero");
  assert.equal(await d.get([1, "a"]), "v7");
  assert.equal(await d.get(1.0), "v0");
  assert.equal(await d.get(new Date(date.getTime())), "v9");
  assert.equal(await d.get("2"), undefined);
  assert.equal(await d.get(2), undefined);
  const entries = await d.entries();
  assert.deepEqual(entries[2], [1n, "v2"]);
  assert.equal(typeof entries[2]![0], "bigint");
  const map = await d.toMap();
  assert.equal(map.get(1n), "v2");
  assert.equal(map.get(true), "v3");
  assert.equal(await d.pop(true), "v3");
  assert.equal(await d.has(true), false);
  assert.equal(await d.has(1), true);
  await assert.rejects(d.toObject(), TypeError);
  // "__proto__" stays plain data, here and in toObject of string keys.
  const s = await manager.dict<number>();
  await s.set("__proto__", 1);
  await s.update(new Map([["constructor", 2], ["\0x", 3]]));
  const obj = await s.toObject();
  assert.deepEqual(Object.keys(obj), ["__proto__", "constructor", "\0x"]);
  assert.equal(Object.getPrototypeOf({}).polluted, undefined);
});

Deno.test("Manager.dict() takes a Map or pairs with keys of any type, and update() does too", async () => {
  await using manager = await Manager.start();
  const d = await manager.dict<string, number | string>(
    new Map<number | string, string>([[1, "a"], ["1", "b"]]),
  );
  await d.update([[2, "c"], ["2", "d"]]);
  await d.update({ x: "e" });
  assert.deepEqual(await d.entries(), [
    [1, "a"],
    ["1", "b"],
    [2, "c"],
    ["2", "d"],
    ["x", "e"],
  ]);
  assert.deepEqual(await d.popitem(), ["x", "e"]);
  assert.equal(await d.setdefault(3, "f"), "f");
  assert.equal(await d.setdefault(3, "g"), "f");
  await d.clear();
  await assert.rejects(d.popitem(), RangeError);
});

Deno.test("a proxy stored in a dict, list or namespace comes back as a live proxy", async () => {
  await using manager = await Manager.start();
  const d = await manager.dict<unknown>();
  const l = await manager.list<number>([1]);
  const ns = await manager.namespace<{ inner: ListProxy<number> }>();
  await d.set("l", l);
  await d.set("deep", { items: [l], map: new Map([["k", l]]) });
  await ns.set("inner", l);
  const outer = await manager.list<unknown>([l]);

  const fromDict = await d.get("l") as ListProxy<number>;
  await fromDict.append(2);
  const deep = await d.get("deep") as {
    items: ListProxy<number>[];
    map: Map<string, ListProxy<number>>;
  };
  await deep.items[0]!.append(3);
  await deep.map.get("k")!.append(4);
  await (await ns.get("inner")).append(5);
  await (await outer.get(0) as ListProxy<number>).append(6);
  assert.deepEqual(await l.toArray(), [1, 2, 3, 4, 5, 6]);
  // The same object: comparisons on the server see one proxy.
  assert.equal(await outer.index(l), 0);
  assert.equal(await outer.count(fromDict), 1);
  assert.match(Deno.inspect(fromDict), /^ListProxy \{ typeid: "list"/);
});

Deno.test("a stored proxy keeps its object alive until the last holder lets go", async () => {
  await using manager = await Manager.start();
  const probe = await manager.event();
  const base = await objectCount(probe);
  const d = await manager.dict<unknown>();
  const l = await manager.list<number>([7]);
  await d.set("l", l);
  await d.set("again", [l, l]);
  drop(l);
  assert.equal(await objectCount(probe), base + 2);
  // Only the dict holds the list now, and it is alive.
  const got = await d.get("l") as ListProxy<number>;
  assert.deepEqual(await got.toArray(), [7]);
  drop(got);
  await d.delete("l");
  assert.equal(await objectCount(probe), base + 2);
  // Overwriting the last value that held it deletes it.
  await d.set("again", 0);
  assert.equal(await objectCount(probe), base + 1);
  // And a dict that goes takes its values' objects with it.
  const inner = await manager.dict<number>({ a: 1 });
  await d.set("inner", inner);
  drop(inner);
  assert.equal(await objectCount(probe), base + 2);
  drop(d);
  assert.equal(await objectCount(probe), base);
});

Deno.test("pop and queue get transfer the stored references to the caller", async () => {
  await using manager = await Manager.start();
  const probe = await manager.event();
  const base = await objectCount(probe);
  const d = await manager.dict<unknown>();
  const q = await manager.queue<unknown>();
  const l = await manager.list<number>([1]);
  await d.set("l", l);
  await q.put({ l });
  drop(l);
  const popped = await d.pop("l") as ListProxy<number>;
  const item = await q.get() as { l: ListProxy<number> };
  assert.deepEqual(await popped.toArray(), [1]);
  assert.deepEqual(await item.l.toArray(), [1]);
  assert.equal(await objectCount(probe), base + 3);
  drop(popped);
  drop(item.l);
  assert.equal(await objectCount(probe), base + 2);
});

Deno.test("a proxy that names no object, or another manager's, is refused and nothing is stored", async () => {
  await using manager = await Manager.start({ address: TCP });
  await using other = await Manager.start();
  const d = await manager.dict<unknown>();
  const foreign = await other.list();
  await assert.rejects(d.set("x", foreign), /a proxy of another manager/);
  await assert.rejects(d.set("x", [1, { deep: foreign }]), TypeError);
  const raw = await RawClient.connect(
    manager.address as { hostname: string; port: number },
    manager.authkey,
  );
  try {
    const id = refOf(d)!.id;
    const reply = await raw.call("dict.update", [id, [
      ["a", 1],
      ["b", { $: "p", v: "0000000000000000" }],
    ]]) as { error: { code: number } };
    assert.equal(reply.error.code, -32001);
  } finally {
    raw.close();
  }
  assert.equal(await d.size(), 0);
});

Deno.test("a dict of list proxies shared with 4 Processes that append concurrently keeps an exact count", async () => {
  await using manager = await Manager.start({ address: TCP });
  const d = await manager.dict<ListProxy<number>, number | string>();
  await d.set(0, await manager.list<number>());
  await d.set(1, await manager.list<number>());
  await d.set("all", await manager.list<number>());
  const n = 50;
  const processes = await Promise.all(
    [0, 1, 2, 3].map((i) => run("appendNested", [d, i % 2, n])),
  );
  for (const p of processes) {
    await p.join();
    assert.equal(p.exitcode, 0);
    p.close();
  }
  assert.equal(await (await d.get(0))!.length(), 2 * n);
  assert.equal(await (await d.get(1))!.length(), 2 * n);
  const all = await (await d.get("all"))!.toArray();
  assert.equal(all.length, 4 * n);
  assert.equal(all.reduce((a, b) => a + b, 0), 4 * (n * (n - 1)) / 2);
});

Deno.test("ListProxy.reverse() and sort() run on the manager in one step", async () => {
  await using manager = await Manager.start();
  const l = await manager.list<number>([3, 1, 2]);
  await l.reverse();
  assert.deepEqual(await l.toArray(), [2, 1, 3]);
  await l.sort();
  assert.deepEqual(await l.toArray(), [1, 2, 3]);
  await l.sort({ reverse: true });
  assert.deepEqual(await l.toArray(), [3, 2, 1]);
  const mixed = await manager.list<unknown>([2n, 1.5, true, 3, -1n]);
  await mixed.sort();
  assert.deepEqual(await mixed.toArray(), [-1n, true, 1.5, 2n, 3]);
  const people = await manager.list([
    { name: "c", age: 30, tags: ["x"] },
    { name: "a", age: 20, tags: ["z"] },
    { name: "b", age: 30, tags: ["y"] },
  ]);
  // Stable, and so is the reverse order (Python's rule).
  await people.sort({ key: "age", reverse: true });
  assert.deepEqual((await people.toArray()).map((p) => p.name), [
    "c",
    "b",
    "a",
  ]);
  await people.sort({ key: ["tags", 0] });
  assert.deepEqual((await people.toArray()).map((p) => p.name), [
    "c",
    "b",
    "a",
  ]);
  const tuples = await manager.list([[2, "b"], [1, "z"], [2, "a"]]);
  await tuples.sort();
  assert.deepEqual(await tuples.toArray(), [[1, "z"], [2, "a"], [2, "b"]]);
  const dates = await manager.list([new Date(2), new Date(1)]);
  await dates.sort();
  assert.deepEqual(await dates.toArray(), [new Date(1), new Date(2)]);
  // Items that cannot be ordered leave the list as it was.
  const bad = await manager.list<unknown>([2, "a", 1]);
  await assert.rejects(
    bad.sort(),
    /'<' is not supported between string and number|'<' is not supported between number and string/,
  );
  assert.deepEqual(await bad.toArray(), [2, "a", 1]);
  await assert.rejects(people.sort({ key: "nope" }), RangeError);
  await assert.rejects(
    people.sort({ key: {} as unknown as string }),
    TypeError,
  );
  await assert.rejects(
    l.sort({ reverse: "yes" as unknown as boolean }),
    TypeError,
  );
});

Deno.test("ListProxy.sort() takes an exported key function the manager imports", async () => {
  await using manager = await Manager.start({
    permissions: { read: [new URL("./fixtures/", import.meta.url)] },
  });
  const words = await manager.list(["bb", "a", "ccc"]);
  const { byLength } = await import("./fixtures/sort_keys.ts");
  await words.sort({
    key: byLength,
    module: new URL("./fixtures/sort_keys.ts", import.meta.url),
  });
  assert.deepEqual(await words.toArray(), ["a", "bb", "ccc"]);
  // Without read access to its module, the manager cannot import it.
  await using narrow = await Manager.start();
  const other = await narrow.list(["bb", "a"]);
  await assert.rejects(
    other.sort({
      key: byLength,
      module: new URL("./fixtures/sort_keys.ts", import.meta.url),
    }),
    /Requires read access|NotCapable/,
  );
  assert.deepEqual(await other.toArray(), ["bb", "a"]);
});

Deno.test("Manager.array() holds a typed array, checked as Array's items are", async () => {
  await using manager = await Manager.start();
  const a = await manager.array("i", [1, 2, 3]);
  assert.equal(await a.length(), 3);
  assert.equal(await a.get(-1), 3);
  await a.set(0, 10);
  assert.deepEqual(await a.toArray(), [10, 2, 3]);
  assert.deepEqual(await a.slice(1), [2, 3]);
  assert.equal(await a.typecode(), "i");
  await assert.rejects(a.set(0, 1.5), TypeError);
  await assert.rejects(a.set(0, 2 ** 31), RangeError);
  await assert.rejects(a.get(3), RangeError);
  assert.deepEqual(await a.toArray(), [10, 2, 3]);
  const big = await manager.array("q", [1n, -2n]);
  await big.set(1, 2n ** 62n);
  assert.deepEqual(await big.toArray(), [1n, 2n ** 62n]);
  await assert.rejects(big.set(0, 1 as unknown as bigint), TypeError);
  const zeros = await manager.array("d", 2);
  assert.deepEqual(await zeros.toArray(), [0, 0]);
  await assert.rejects(manager.array("x" as "i", [1]), TypeError);
  await assert.rejects(manager.array("B", [256]), RangeError);
  await assert.rejects(manager.array("i", -1), RangeError);
  // The server's limit, checked before the request goes out.
  await assert.rejects(
    manager.array("b", 2 ** 28 + 1),
    /RangeError: Cannot create array: size must be an integer from 0 to 268435456, received 268435457/,
  );
});

Deno.test("Manager.boundedSemaphore() refuses to go over its initial value", async () => {
  await using manager = await Manager.start();
  const sem = await manager.boundedSemaphore(2);
  assert.equal(await sem.acquire(), true);
  await sem.release();
  await assert.rejects(sem.release(), RangeError);
  assert.equal(await sem.getValue(), 2);
  assert.match(
    Deno.inspect(sem),
    /^BoundedSemaphoreProxy \{ typeid: "boundedSemaphore"/,
  );
});

Deno.test("ConditionProxy waits, is notified across Processes and takes its lock back", async () => {
  await using manager = await Manager.start({ address: TCP });
  const cond = await manager.condition();
  const d = await manager.dict<number | boolean>({ ready: false, woken: 0 });
  const processes = await Promise.all(
    [0, 1].map(() => run("waitForReady", [cond, d])),
  );
  {
    await using _ = await cond.hold();
    await d.set("ready", true);
    await cond.notifyAll();
  }
  for (const p of processes) {
    await p.join();
    assert.equal(p.exitcode, 0);
    p.close();
  }
  assert.equal(await d.get("woken"), 2);
  // wait() and notify() need the lock held by this thread.
  await assert.rejects(cond.wait({ timeout: 0 }), RemoteError);
  await assert.rejects(cond.notify(), RemoteError);
  {
    await using _ = await cond.hold();
    assert.equal(await cond.wait({ timeout: 5 }), false);
    // Still held after the wait: re-entrant acquire works, release twice.
    assert.equal(await cond.acquire({ timeout: 0 }), true);
    await cond.release();
    const aborted = new AbortController();
    const waiting = cond.wait({ signal: aborted.signal });
    aborted.abort(new Error("stop"));
    await assert.rejects(waiting, /stop/);
    // Aborted, yet the lock is back with us, as Python's wait() leaves it.
    await cond.notify(0);
  }
  const lock = await manager.lock();
  const overLock = await manager.condition(lock);
  await overLock.acquire();
  assert.equal(await lock.locked(), true);
  await overLock.release();
  await assert.rejects(manager.condition(d as never), TypeError);
});

Deno.test("BarrierProxy lets parties through together, breaks on timeout, abort and a party leaving", async () => {
  await using manager = await Manager.start({ address: TCP });
  const barrier = await manager.barrier(3);
  const out = await manager.list<number>();
  const processes = await Promise.all(
    [0, 1].map(() => run("waitAtBarrier", [barrier, out])),
  );
  const mine = await barrier.wait();
  for (const p of processes) {
    await p.join();
    assert.equal(p.exitcode, 0);
    p.close();
  }
  const indexes = [...await out.toArray(), mine].sort();
  assert.deepEqual(indexes, [0, 1, 2]);
  assert.equal(await barrier.parties(), 3);
  assert.equal(await barrier.nWaiting(), 0);
  // A timeout breaks it for everyone, until reset.
  await assert.rejects(barrier.wait({ timeout: 5 }), BrokenBarrierError);
  assert.equal(await barrier.broken(), true);
  await assert.rejects(barrier.wait(), BrokenBarrierError);
  await barrier.reset();
  assert.equal(await barrier.broken(), false);
  const waiting = barrier.wait();
  await barrier.abort();
  await assert.rejects(waiting, BrokenBarrierError);
  await barrier.reset();
  // A party whose connection closes breaks it too.
  const other = await Manager.connect({
    address: manager.address,
    authkey: manager.authkey,
  });
  await manager.register("b", barrier);
  const theirs = await other.lookup<typeof barrier>("b");
  const theirWait = theirs.wait().catch((e) => e);
  // Calls on one connection are served in order: once this one answers,
  // the wait above is parked on the server.
  assert.equal(await theirs.nWaiting(), 1);
  await other.shutdown();
  assert.ok(await theirWait instanceof ManagerError);
  await assert.rejects(barrier.wait(), BrokenBarrierError);
  await assert.rejects(manager.barrier(0), RangeError);
});

Deno.test("Deno.inspect shows each proxy's class, typeid, id and manager without a call", async () => {
  await using manager = await Manager.start();
  const proxies: [object, string][] = [
    [await manager.dict(), "DictProxy"],
    [await manager.list(), "ListProxy"],
    [await manager.namespace(), "NamespaceProxy"],
    [await manager.value("i", 1), "ValueProxy"],
    [await manager.array("i", 1), "ArrayProxy"],
    [await manager.lock(), "LockProxy"],
    [await manager.rlock(), "RLockProxy"],
    [await manager.semaphore(), "SemaphoreProxy"],
    [await manager.event(), "EventProxy"],
    [await manager.condition(), "ConditionProxy"],
    [await manager.barrier(2), "BarrierProxy"],
    [await manager.queue(), "QueueProxy"],
  ];
  for (const [proxy, name] of proxies) {
    const id = refOf(proxy)!.id;
    assert.equal(
      Deno.inspect(proxy),
      `${name} { typeid: "${
        refOf(proxy)!.kind
      }", id: "${id}", manager: "${manager.address}" }`,
    );
  }
});

/** A dict proxy typed with number keys (compile-time check of the types). */
export function typed(d: DictProxy<string, number>): Promise<number[]> {
  return d.keys();
}
