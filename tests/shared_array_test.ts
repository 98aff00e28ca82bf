// Copyright 2026 the denomp authors. MIT license.
import assert from "node:assert/strict";
import {
  Lock,
  Process,
  RawArray,
  RLock,
  SharedArray,
  type Typecode,
} from "@denomp/multiprocessing";
import { STOPPED_BY_FENCE } from "./fixtures/shared_targets.ts";
import { terminateStuckWriter } from "./_util.ts";

const module = new URL("./fixtures/shared_targets.ts", import.meta.url);

async function run(target: string, argsList: unknown[][]): Promise<void> {
  const ps: Process[] = [];
  try {
    for (const args of argsList) {
      const p = new Process({ target, args, module });
      await p.start();
      ps.push(p);
    }
    for (const p of ps) await p.join();
    for (const p of ps) assert.equal(p.exitcode, 0, String(p.error));
  } finally {
    for (const p of ps) await p[Symbol.asyncDispose]();
  }
}

Deno.test("SharedArray is created from a size or an iterable", () => {
  const zeros = new SharedArray("d", 3);
  assert.equal(zeros.length, 3);
  assert.deepEqual(zeros.toArray(), [0, 0, 0]);
  assert.deepEqual(new SharedArray("i", [1, 2]).toArray(), [1, 2]);
  function* gen(): Generator<number> {
    yield 5;
    yield 6;
  }
  assert.deepEqual(new RawArray("h", gen()).toArray(), [5, 6]);
  assert.deepEqual(new RawArray("Q", new Set([1n, 2n])).toArray(), [1n, 2n]);
  assert.equal(new RawArray("b", 0).length, 0);
  assert.equal(new RawArray("b", []).length, 0);
});

Deno.test("SharedArray.view is the typed array for the typecode", () => {
  const cases: [Typecode, unknown][] = [
    ["b", Int8Array],
    ["B", Uint8Array],
    ["h", Int16Array],
    ["H", Uint16Array],
    ["i", Int32Array],
    ["I", Uint32Array],
    ["l", Int32Array],
    ["L", Uint32Array],
    ["q", BigInt64Array],
    ["Q", BigUint64Array],
    ["f", Float32Array],
    ["d", Float64Array],
  ];
  for (const [code, ctor] of cases) {
    const arr = new SharedArray(code, 2);
    assert.equal(arr.view.constructor, ctor);
    assert.ok(arr.view.buffer instanceof SharedArrayBuffer);
    assert.equal(arr.typecode, code);
  }
  const arr = new SharedArray("d", 2);
  arr.view[1] = 7.5;
  assert.equal(arr.get(1), 7.5);
});

Deno.test("SharedArray.get() and set() take negative indices and reject out of range", () => {
  const arr = new SharedArray("i", [10, 20, 30]);
  assert.equal(arr.get(0), 10);
  assert.equal(arr.get(-1), 30);
  assert.equal(arr.get(-3), 10);
  arr.set(-2, 21);
  assert.equal(arr.get(1), 21);
  assert.throws(() => arr.get(3), {
    name: "RangeError",
    message: "Cannot get item: index must be from -3 to 2, received 3",
  });
  assert.throws(() => arr.get(-4), RangeError);
  assert.throws(() => arr.set(3, 1), RangeError);
  assert.throws(() => arr.set(-4, 1), RangeError);
  assert.throws(() => arr.get(1.5), TypeError);
  assert.throws(() => arr.get("1" as unknown as number), TypeError);
  assert.throws(() => arr.set(NaN, 1), TypeError);
  assert.throws(() => arr.get(2 ** 31), RangeError);
  assert.throws(() => arr.set(-(2 ** 40), 1), RangeError);
  assert.throws(() => arr.get(undefined as unknown as number), TypeError);
  assert.equal(arr.get(-0), 10);
  assert.deepEqual(arr.toArray(), [10, 21, 30]);
  assert.throws(() => new SharedArray("d", 0).get(0), RangeError);
});

Deno.test("SharedArray.set() rejects wrong values, leaving memory untouched", () => {
  const d = new SharedArray("d", [1]);
  assert.throws(() => d.set(0, "2" as unknown as number), {
    name: "TypeError",
    message: 'Cannot set item: typecode "d" needs a number, received "2"',
  });
  const q = new SharedArray("q", [1n]);
  assert.throws(() => q.set(0, 2 as unknown as bigint), TypeError);
  const b = new SharedArray("B", [1]);
  assert.throws(() => b.set(0, 256), RangeError);
  assert.throws(() => b.set(0, -1), RangeError);
  assert.throws(() => b.set(0, 1.5), TypeError);
  assert.deepEqual([d.get(0), q.get(0), b.get(0)], [1, 1n, 1]);
});

Deno.test("SharedArray rejects a bad typecode, size or initializer", () => {
  assert.throws(() => new SharedArray("z" as Typecode, 1), TypeError);
  assert.throws(() => new SharedArray("d", -1), {
    name: "RangeError",
    message:
      "Cannot create SharedArray: size must be non-negative, received -1",
  });
  assert.throws(() => new RawArray("d", 1.5), TypeError);
  assert.throws(() => new RawArray("d", "3" as unknown as number), TypeError);
  assert.throws(() => new RawArray("d", null as unknown as number), TypeError);
  assert.throws(() => new RawArray("i", [1, 2, 1.5]), {
    name: "TypeError",
    message:
      'Cannot create RawArray: item 2: typecode "i" needs an integer number, received 1.5 (number)',
  });
  assert.throws(() => new RawArray("b", [1, 300]), RangeError);
  assert.throws(() => new RawArray("q", [1] as unknown as bigint[]), TypeError);
  assert.throws(
    () => new SharedArray("i", 1, { lock: 1 as unknown as boolean }),
    TypeError,
  );
});

Deno.test("SharedArray.slice() follows Python's slice bounds", () => {
  const arr = new RawArray("i", [0, 1, 2, 3, 4]);
  assert.deepEqual(arr.slice(), [0, 1, 2, 3, 4]);
  assert.deepEqual(arr.slice(1, 3), [1, 2]);
  assert.deepEqual(arr.slice(-2), [3, 4]);
  assert.deepEqual(arr.slice(0, -1), [0, 1, 2, 3]);
  assert.deepEqual(arr.slice(-99, 99), [0, 1, 2, 3, 4]);
  assert.deepEqual(arr.slice(3, 1), []);
  assert.throws(() => arr.slice(0.5), TypeError);
});

Deno.test("SharedArray iterates and copies into plain arrays", () => {
  const arr = new SharedArray("q", [1n, 2n, 3n]);
  assert.deepEqual([...arr], [1n, 2n, 3n]);
  let sum = 0n;
  for (const x of arr) sum += x;
  assert.equal(sum, 6n);
  const copy = arr.toArray();
  copy[0] = 9n;
  assert.equal(arr.get(0), 1n);
  assert.equal(Deno.inspect(arr), 'SharedArray("q", 3) [ 1n, 2n, 3n ]');
  assert.match(
    Deno.inspect(new RawArray("b", 12)),
    /^RawArray\("b", 12\) \[ 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, \.\.\. 2 more items \]$/,
  );
});

Deno.test("SharedArray atomics work on elements of integer typecodes", () => {
  const arr = new SharedArray("i", [0, 10]);
  assert.equal(arr.add(-1, 5), 10);
  assert.equal(arr.sub(1, 1), 15);
  assert.equal(arr.exchange(0, 3), 0);
  assert.equal(arr.compareExchange(0, 3, 4), 3);
  assert.equal(arr.compareExchange(0, 3, 5), 4);
  assert.equal(arr.store(0, 8), 8);
  assert.equal(arr.load(0), 8);
  assert.deepEqual(arr.toArray(), [8, 14]);
  assert.throws(() => arr.add(2, 1), RangeError);
  assert.throws(() => arr.add(0, 0.5), TypeError);
  assert.throws(() => arr.store(0, 2 ** 31), RangeError);
  assert.deepEqual(arr.toArray(), [8, 14]);
  const d = new SharedArray("d", 1);
  assert.throws(() => d.add(0, 1), TypeError);
  assert.throws(() => d.load(0), TypeError);
});

Deno.test("SharedArray takes a lock option; getObj() shares memory", () => {
  assert.ok(new SharedArray("d", 1).getLock() instanceof RLock);
  const lock = new Lock();
  assert.equal(new SharedArray("d", 1, { lock }).getLock(), lock);
  const none = new SharedArray("d", 1, { lock: false });
  assert.throws(() => none.getLock(), TypeError);
  const arr = new SharedArray("i", 2);
  const raw = arr.getObj();
  assert.ok(raw instanceof RawArray && !(raw instanceof SharedArray));
  raw.set(1, 5);
  assert.equal(arr.get(1), 5);
  assert.equal(raw.length, 2);
});

Deno.test("SharedArray is filled by two Processes, each writing half", async () => {
  const arr = new SharedArray("d", 1000);
  await run("fillRange", [[arr, 0, 500], [arr.getObj(), 500, 1000]]);
  for (let i = 0; i < 1000; i++) assert.equal(arr.get(i), i);
});

Deno.test("SharedArray element atomics keep 4 Processes x 50k exact", async () => {
  const arr = new RawArray("q", 2);
  const args = [[arr, 1, 50_000], [arr, -1, 50_000], [arr, 0, 50_000], [
    arr,
    0,
    50_000,
  ]];
  await run("incrElement", args);
  assert.deepEqual(arr.toArray(), [100_000n, 100_000n]);
});

Deno.test("SharedArray.set() and view stop a terminated Process's busy thread with ProcessEndedError", async (t) => {
  for (const how of ["set", "view"] as const) {
    await t.step(how, async () => {
      for (const arr of [new SharedArray("d", 4), new RawArray("d", 4)]) {
        const { outcome, process } = await terminateStuckWriter(arr, how);
        assert.equal(outcome, STOPPED_BY_FENCE);
        assert.equal(process.exitcode, -15);
        assert.ok(arr.get(0) > 0);
        const final = arr.get(0);
        await process.join();
        assert.equal(arr.get(0), final);
      }
    });
  }
});

Deno.test("SharedArray and RawArray inspect as their typecode, length and first items", () => {
  assert.equal(
    Deno.inspect(new SharedArray("i", 20)),
    'SharedArray("i", 20) [ 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, ... 10 more items ]',
  );
  assert.equal(
    Deno.inspect(new RawArray("d", [1.5, -2])),
    'RawArray("d", 2) [ 1.5, -2 ]',
  );
  assert.equal(
    Deno.inspect(new RawArray("q", Array.from({ length: 11 }, () => 7n))),
    'RawArray("q", 11) [ 7n, 7n, 7n, 7n, 7n, 7n, 7n, 7n, 7n, 7n, ... 1 more item ]',
  );
  assert.equal(Deno.inspect(new SharedArray("b", 0)), 'SharedArray("b", 0) []');
});
