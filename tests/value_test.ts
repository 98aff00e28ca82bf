// Copyright 2026 the denomp authors. MIT license.
import assert from "node:assert/strict";
import {
  Lock,
  Pool,
  Process,
  RawValue,
  RLock,
  SharedArray,
  TimeoutError,
  type Typecode,
  Value,
} from "@denomp/multiprocessing";
import { STOPPED_BY_FENCE } from "./fixtures/shared_targets.ts";
import { sharedInts, terminateStuckWriter, untilSetWithin } from "./_util.ts";

const module = new URL("./fixtures/shared_targets.ts", import.meta.url);

function start(target: string, args: unknown[]): Promise<Process> {
  const p = new Process({ target, args, module });
  return p.start().then(() => p);
}

async function runAll(
  n: number,
  target: string,
  args: unknown[],
): Promise<void> {
  const ps: Process[] = [];
  try {
    for (let i = 0; i < n; i++) ps.push(await start(target, args));
    for (const p of ps) await p.join();
    for (const p of ps) assert.equal(p.exitcode, 0, String(p.error));
  } finally {
    for (const p of ps) await p[Symbol.asyncDispose]();
  }
}

const RANGES: [Typecode, number | bigint, number | bigint][] = [
  ["b", -128, 127],
  ["B", 0, 255],
  ["h", -32768, 32767],
  ["H", 0, 65535],
  ["i", -(2 ** 31), 2 ** 31 - 1],
  ["I", 0, 2 ** 32 - 1],
  ["l", -(2 ** 31), 2 ** 31 - 1],
  ["L", 0, 2 ** 32 - 1],
  ["q", -(2n ** 63n), 2n ** 63n - 1n],
  ["Q", 0n, 2n ** 64n - 1n],
];

Deno.test("Value holds each integer typecode's full range and rejects the rest", async (t) => {
  for (const [code, min, max] of RANGES) {
    await t.step(code, () => {
      const v = new Value(code, min);
      assert.equal(v.value, min);
      v.value = max;
      assert.equal(v.value, max);
      const one = typeof min === "bigint" ? 1n : 1;
      assert.throws(
        () => (v.value = (max as number) + (one as number)),
        RangeError,
      );
      assert.throws(
        () => (v.value = (min as number) - (one as number)),
        RangeError,
      );
      assert.throws(() => new Value(code, (max as number) + (one as number)), {
        name: "RangeError",
        message: new RegExp(`^Cannot create Value: typecode "${code}" holds`),
      });
      assert.equal(v.value, max); // untouched
      assert.equal(v.typecode, code);
    });
  }
});

Deno.test("Value defaults to zero and keeps floats as f and d do", () => {
  assert.equal(new Value("i").value, 0);
  assert.equal(new Value("q").value, 0n);
  assert.equal(new Value("d").value, 0);
  assert.equal(new Value("d", 0.1).value, 0.1);
  assert.equal(new Value("f", 0.1).value, Math.fround(0.1));
  const d = new Value("d", 1);
  d.value = Infinity;
  assert.equal(d.value, Infinity);
  d.value = NaN;
  assert.ok(Number.isNaN(d.value));
});

Deno.test("Value rejects wrong types with TypeError, leaving memory untouched", () => {
  assert.throws(() => new Value("x" as Typecode), {
    name: "TypeError",
    message:
      'Cannot create Value: typecode must be one of b B h H i I l L q Q f d, received "x"',
  });
  assert.throws(() => new Value("c" as Typecode), TypeError);
  assert.throws(() => new RawValue(5 as unknown as Typecode), TypeError);
  assert.throws(() => new Value("d", "1" as unknown as number), {
    name: "TypeError",
    message: 'Cannot create Value: typecode "d" needs a number, received "1"',
  });
  assert.throws(() => new Value("q", 1 as unknown as bigint), TypeError);
  assert.throws(() => new Value("i", 1n as unknown as number), TypeError);
  assert.throws(() => new Value("i", 1.5), TypeError);
  const v = new Value("i", 7);
  assert.throws(() => (v.value = NaN), TypeError);
  assert.throws(() => (v.value = 2.5), TypeError);
  assert.throws(() => (v.value = "8" as unknown as number), TypeError);
  assert.equal(v.value, 7);
  const q = new RawValue("Q", 3n);
  assert.throws(() => (q.value = -1n), RangeError);
  assert.throws(() => (q.value = 3 as unknown as bigint), TypeError);
  assert.equal(q.value, 3n);
});

Deno.test("Value that fails its checks leaves no trace in the next one", () => {
  assert.throws(() => new Value("i", 1.5), TypeError);
  assert.throws(() => new Value("x" as Typecode, 1), TypeError);
  const a = new Value("i", 1);
  const b = new Value("i", 2);
  a.value = 10;
  assert.equal(b.value, 2);
  assert.equal(a.getLock() === b.getLock(), false);
});

Deno.test("Value takes lock: true, false, a Lock or an RLock", () => {
  assert.ok(new Value("i").getLock() instanceof RLock);
  assert.ok(new Value("i", 0, { lock: true }).getLock() instanceof RLock);
  const lock = new Lock();
  assert.equal(new Value("i", 0, { lock }).getLock(), lock);
  const rlock = new RLock();
  assert.equal(new Value("d", 0, { lock: rlock }).getLock(), rlock);
  const raw = new Value("i", 0, { lock: false });
  assert.throws(() => raw.getLock(), {
    name: "TypeError",
    message: "Cannot get lock: this Value was created with lock: false",
  });
  assert.throws(
    () => new Value("i", 0, { lock: "yes" as unknown as boolean }),
    TypeError,
  );
  assert.throws(
    () => new Value("i", 0, { lock: {} as unknown as Lock }),
    TypeError,
  );
  assert.throws(
    () => new Value("i", 0, 5 as unknown as { lock: boolean }),
    TypeError,
  );
});

Deno.test("Value.getObj() is a RawValue over the same memory", () => {
  const v = new Value("d", 1.5);
  const raw = v.getObj();
  assert.ok(raw instanceof RawValue);
  assert.ok(!(raw instanceof Value));
  raw.value = 2.5;
  assert.equal(v.value, 2.5);
  assert.equal(Deno.inspect(v), 'Value("d", 2.5)');
  assert.equal(Deno.inspect(raw), 'RawValue("d", 2.5)');
  assert.equal(Deno.inspect(new RawValue("q", 5n)), 'RawValue("q", 5n)');
});

Deno.test("Value atomics add, sub, exchange, compareExchange, load, store", async (t) => {
  await t.step("numbers", () => {
    const v = new Value("i", 10);
    assert.equal(v.add(5), 10);
    assert.equal(v.sub(3), 15);
    assert.equal(v.load(), 12);
    assert.equal(v.exchange(20), 12);
    assert.equal(v.compareExchange(20, 21), 20);
    assert.equal(v.compareExchange(20, 99), 21);
    assert.equal(v.store(-4), -4);
    assert.equal(v.value, -4);
  });
  await t.step("bigints", () => {
    const v = new RawValue("q", 2n ** 40n);
    assert.equal(v.add(1n), 2n ** 40n);
    assert.equal(v.value, 2n ** 40n + 1n);
    assert.equal(v.exchange(-1n), 2n ** 40n + 1n);
    assert.equal(v.load(), -1n);
  });
  await t.step("add and sub wrap as C integers do", () => {
    const b = new RawValue("b", 127);
    b.add(1);
    assert.equal(b.value, -128);
    const u = new RawValue("I", 0);
    u.sub(1);
    assert.equal(u.value, 2 ** 32 - 1);
  });
  await t.step("bad input leaves the value untouched", () => {
    const v = new Value("h", 1);
    assert.throws(() => v.add(1.5), TypeError);
    assert.throws(() => v.add(1n as unknown as number), TypeError);
    assert.throws(() => v.store(40000), RangeError);
    assert.throws(() => v.exchange("2" as unknown as number), TypeError);
    assert.throws(() => v.compareExchange(1, 1e9), RangeError);
    assert.equal(v.value, 1);
    const q = new Value("Q", 0n);
    assert.throws(() => q.add(1 as unknown as bigint), TypeError);
  });
  await t.step("float typecodes have no atomics", () => {
    const d = new Value("d", 1);
    assert.throws(() => d.add(1), {
      name: "TypeError",
      message:
        'Cannot add: atomic operations need an integer typecode, received "d"',
    });
    assert.throws(() => d.load(), TypeError);
    assert.throws(() => new RawValue("f").store(1), TypeError);
    assert.equal(d.value, 1);
  });
});

Deno.test("Value and RawValue cross into a Process live", async () => {
  const d = new Value("d", 0);
  const q = new RawValue("q", 0n);
  await runAll(1, "writeValue", [d, 4999999950000000]);
  await runAll(1, "writeValue", [q, -(2n ** 62n)]);
  assert.equal(d.value, 4999999950000000);
  assert.equal(q.value, -(2n ** 62n));
});

Deno.test("Value arrives with its lock, also nested in objects", async () => {
  const lock = new Lock();
  const v = new Value("i", 41, { lock });
  const arr = new SharedArray("i", [1, 2, 3], { lock });
  const out = new Int32Array(new SharedArrayBuffer(12));
  lock.acquireSync();
  try {
    await runAll(1, "inspectNested", [out, { v, arr, locks: [lock] }]);
  } finally {
    lock.release();
  }
  assert.deepEqual([...out], [1, 41, 3]);
});

Deno.test("Value keeps 8 Processes x 100k locked increments exact", async () => {
  const v = new Value("i", 0);
  await runAll(8, "incrLocked", [v, 100_000]);
  assert.equal(v.value, 800_000);
  assert.equal(v.getLock().locked(), false);
});

Deno.test("Value keeps 8 Processes x 100k atomic add(1) exact without a lock", async () => {
  const v = new Value("i", 0, { lock: false });
  await runAll(8, "incrAtomic", [v, 100_000]);
  assert.equal(v.value, 800_000);
});

Deno.test("Value keeps 4 Processes x 5k async-locked increments exact", async () => {
  const v = new Value("i", 0, { lock: new Lock() });
  await runAll(4, "incrLockedAsync", [v, 5_000]);
  assert.equal(v.value, 20_000);
});

Deno.test("Value.value setter stops a terminated Process's busy thread with ProcessEndedError", async () => {
  // The thread loops on `v.value = v.value + 1`; Deno cannot stop it, so
  // the setter must (issue 10): its next write throws and the loop ends.
  for (const v of [new Value("d", 0), new RawValue("d", 0)]) {
    const { outcome, process } = await terminateStuckWriter(v, "value");
    assert.equal(outcome, STOPPED_BY_FENCE);
    assert.equal(process.exitcode, -15);
    assert.ok(v.value > 0);
    // The loop has ended (it said so after its last write): the value stays.
    const final = v.value;
    await process.join();
    assert.equal(v.value, final);
  }
});

Deno.test("Value.value setter is fenced on a pool worker replaced after a timeout", async () => {
  const v = new Value("d", 0);
  const flags = sharedInts(3);
  await using pool = new Pool({ processes: 1, module });
  try {
    await assert.rejects(
      pool.apply("writeUntilStopped", [v, "value", flags], { timeout: 20 }),
      TimeoutError,
    );
    assert.ok(
      await untilSetWithin(flags, 1, 20_000),
      "the writer never stopped",
    );
    assert.equal(Atomics.load(flags, 1), STOPPED_BY_FENCE);
    // The replacement worker writes normally.
    await pool.apply("writeValue", [v, 7]);
    assert.equal(v.value, 7);
  } finally {
    Atomics.store(flags, 2, 1);
  }
});

Deno.test("Value and RawValue inspect as their typecode and value", () => {
  assert.equal(Deno.inspect(new Value("d", 1.5)), 'Value("d", 1.5)');
  assert.equal(Deno.inspect(new RawValue("q", -5n)), 'RawValue("q", -5n)');
  assert.equal(
    Deno.inspect({ v: new Value("i", 3, { lock: false }) }),
    '{ v: Value("i", 3) }',
  );
});
