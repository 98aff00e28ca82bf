// Copyright 2026 the denomp authors. MIT license.
import assert from "node:assert/strict";
import {
  Process,
  Queue,
  type ShareableItem,
  ShareableList,
  SharedMemory,
} from "@denomp/multiprocessing";
import { arenaStats } from "../dist/lib/_internal.js";
import { sharedInts as flags, untilAtLeast as until } from "./_util.ts";

const module = new URL("./fixtures/shm_targets.ts", import.meta.url);
const bytes = (s: string) => new TextEncoder().encode(s);

async function start(target: string, args: unknown[]): Promise<Process> {
  const p = new Process({ target, args, module });
  await p.start();
  return p;
}

function release(...lists: ShareableList[]): void {
  for (const sl of lists) {
    sl.shm.close();
    sl.shm.unlink();
  }
}

// CPython's test_shared_memory_ShareableList_basics, step by step.
Deno.test("ShareableList basics (CPython)", () => {
  const sl = new ShareableList(
    ["howdy", bytes("HoWdY"), -273.154, 100, null, true, 42],
  );
  try {
    assert.ok(Deno.inspect(sl).includes(sl.shm.name));
    assert.ok(Deno.inspect(sl).includes('"howdy"'));
    // Index out of range, get and set.
    assert.throws(() => sl.get(7), {
      name: "RangeError",
      message:
        "Cannot get item: index out of range, received 7 for a list of 7",
    });
    assert.throws(() => sl.set(7, 2), RangeError);
    // A str replaced by a str keeps its format.
    sl.set(0, "howdy");
    assert.equal(sl.format, "8s8sdqxxxxxx?xxxxxxxx?q");
    assert.equal(sl.length, 7);
    assert.throws(() => sl.index("100"), {
      name: "RangeError",
      message: 'Cannot find item: "100" is not in the list',
    });
    assert.equal(sl.index(100), 3);
    assert.equal(sl.get(0), "howdy");
    assert.equal(sl.get(-2), true);
    assert.deepEqual(sl.toArray(), [
      "howdy",
      bytes("HoWdY"),
      -273.154,
      100,
      null,
      true,
      42,
    ]);
    // Modifying items, changing a type in place.
    sl.set(3, 42);
    assert.equal(sl.get(3), 42);
    sl.set(4, "some");
    assert.equal(sl.get(4), "some");
    assert.equal(sl.format, "8s8sdq8sxxxxxxx?q");
    assert.throws(() => sl.set(4, "far too many"), {
      name: "RangeError",
      message: "Cannot set item: 12 bytes exceed the slot of 8 bytes",
    });
    assert.equal(sl.get(4), "some");
    sl.set(0, "encodés"); // exactly 8 bytes of UTF-8
    assert.equal(sl.get(0), "encodés");
    assert.deepEqual(sl.get(1), bytes("HoWdY")); // no spillage
    assert.throws(() => sl.set(0, "encodées"), RangeError); // 9 bytes
    assert.deepEqual(sl.get(1), bytes("HoWdY"));
    assert.throws(() => sl.set(1, bytes("123456789")), RangeError);
    assert.deepEqual(sl.get(1), bytes("HoWdY"));
    // count().
    assert.equal(sl.count(42), 2);
    assert.equal(sl.count(bytes("HoWdY")), 1);
    assert.equal(sl.count(bytes("adios")), 0);
    // A duplicate under a given name.
    const name = `test03_duplicate_${Deno.pid}`;
    const copy = new ShareableList(sl, { name });
    try {
      assert.notEqual(sl.shm.name, copy.shm.name);
      assert.equal(copy.shm.name, name);
      assert.deepEqual(copy.toArray(), sl.toArray());
      assert.equal(copy.format, sl.format);
      copy.set(-1, 77);
      assert.equal(copy.get(-1), 77);
      assert.notEqual(sl.get(-1), 77);
    } finally {
      release(copy);
    }
    // A second handle on the same list.
    const tethered = new ShareableList(null, { name: sl.shm.name });
    assert.equal(tethered.shm.name, sl.shm.name);
    tethered.set(-1, 880);
    assert.equal(sl.get(-1), 880);
    tethered.shm.close();
    assert.throws(() => tethered.get(0), {
      name: "BadResource",
      message: "Cannot use shareable list: its block's handle is closed",
    });
  } finally {
    release(sl);
  }
  // An empty list.
  const empty = new ShareableList();
  try {
    assert.equal(empty.length, 0);
    assert.equal(empty.format, "");
    assert.equal(empty.count("any"), 0);
    assert.throws(() => empty.index(null), RangeError);
  } finally {
    release(empty);
  }
});

// The bytes CPython 3.11 writes for
//   sl = ShareableList(['howdy', -273.154, 100, None, True]); sl[1] = 'dry ice'
// (bytes(sl.shm.buf).hex()): the layout is Python's, byte for byte.
const PYTHON_BYTES = [
  "05000000000000000000000000000000080000000000000010000000",
  "00000000180000000000000020000000000000002800000000000000",
  "686f7764790000006472792069636500640000000000000000000000",
  "00000000000000000000000138730000000000003873000000000000",
  "71000000000000007878787878783f78787878787878783f01010003",
  "00",
].join("");

Deno.test("ShareableList lays its items out as CPython does, byte for byte", () => {
  const sl = new ShareableList(["howdy", -273.154, 100, null, true]);
  try {
    sl.set(1, "dry ice");
    assert.equal(sl.shm.size, 141);
    const hex = Array.from(sl.shm.buf, (b) => b.toString(16).padStart(2, "0"))
      .join("");
    assert.equal(hex, PYTHON_BYTES);
  } finally {
    release(sl);
  }
});

Deno.test("ShareableList items: ints, floats, bigints, booleans, null", () => {
  const sl = new ShareableList([
    Number.MAX_SAFE_INTEGER,
    -0,
    NaN,
    Infinity,
    2n ** 62n,
    -(2n ** 63n),
    7n,
    1.5,
    false,
  ]);
  try {
    assert.equal(sl.format, "qdddqqqdxxxxxxx?");
    assert.equal(sl.get(0), Number.MAX_SAFE_INTEGER);
    assert.ok(Object.is(sl.get(1), -0));
    assert.ok(Number.isNaN(sl.get(2)));
    assert.equal(sl.get(3), Infinity);
    assert.equal(sl.get(4), 2n ** 62n); // beyond 2^53: a bigint
    assert.equal(sl.get(5), -(2n ** 63n));
    assert.equal(sl.get(6), 7); // a safe integer: a number
    for (
      const v of [-1, -(2 ** 32), 2 ** 32 + 5, -(2 ** 53) + 1, 2 ** 53 - 1]
    ) {
      sl.set(0, v);
      assert.equal(sl.get(0), v);
    }
    sl.set(0, -(2n ** 53n));
    assert.equal(sl.get(0), -(2n ** 53n)); // not a safe integer: a bigint
    assert.equal(sl.get(8), false);
    assert.equal(sl.count(7), 1);
    assert.equal(sl.count(7n), 1);
    assert.equal(sl.count(NaN), 0); // NaN equals nothing, as in Python
    sl.set(8, null);
    assert.equal(sl.get(8), null);
    assert.throws(() => sl.set(0, 2n ** 63n), {
      name: "RangeError",
      message: `Cannot set item: an int item must fit in 64 bits, received ${
        2n ** 63n
      }`,
    });
    assert.throws(() => sl.set(0, undefined as never), TypeError);
    assert.throws(() => sl.set(0, {} as never), TypeError);
    assert.throws(() => sl.set(0.5, 1), TypeError);
    assert.equal(sl.get(0), -(2n ** 53n)); // unchanged
  } finally {
    release(sl);
  }
});

Deno.test("ShareableList sizes string slots as Python does, never cutting one short", () => {
  // 7 characters, 8 UTF-8 bytes: Python's slot (8) fits, and is used.
  // 5 characters, 10 UTF-8 bytes: Python's slot (8) would cut it; 16 here.
  const sl = new ShareableList([
    "encodés",
    "ééééé",
    "abcdefgh",
    bytes("1234567"),
  ]);
  try {
    assert.equal(sl.format, "8s16s16s8s");
    assert.deepEqual(sl.toArray(), [
      "encodés",
      "ééééé",
      "abcdefgh",
      bytes("1234567"),
    ]);
  } finally {
    release(sl);
  }
});

Deno.test("ShareableList() rejects what it cannot hold, and unknown names", () => {
  assert.throws(() => new ShareableList([[1]] as never), {
    name: "TypeError",
    message:
      "Cannot create shareable list: an item must be a number, bigint, boolean, string, Uint8Array or null, received an instance of Array",
  });
  assert.throws(() => new ShareableList(5 as never), TypeError);
  assert.throws(() => new ShareableList(null, 5 as never), TypeError);
  assert.throws(
    () => new ShareableList(null, { name: "no_such_list" }),
    Deno.errors.NotFound,
  );
});

Deno.test("ShareableList() over a block that does not hold a list throws a RangeError naming it and keeps no handle", () => {
  const before = arenaStats();
  // [block size, header words written, what the error says]
  const cases: [number, bigint[], string][] = [
    [4, [], "too small for a list's header"],
    [16, [1000n], "its header gives a length of 1000"],
    [24, [-1n], "its header gives a length of -1"],
    [32, [1n, 0n, 64n], "its header describes 97 bytes"],
    [40, [2n, 0n, 8n, 4n], "its header gives slot offset 4 for item 2"],
  ];
  for (const [size, words, reason] of cases) {
    const name = `sl_bad_${crypto.randomUUID().slice(0, 8)}`;
    const shm = new SharedMemory({ create: true, size, name });
    const view = new DataView(shm.buf.buffer, shm.buf.byteOffset, size);
    words.forEach((word, i) => view.setBigInt64(i * 8, word, true));
    assert.throws(() => new ShareableList(null, { name }), {
      name: "RangeError",
      message:
        `Cannot attach shareable list: block "${name}" of ${size} bytes does not hold one, ${reason}`,
    });
    shm.close();
    shm.unlink();
    // The failed attach held nothing: the block went with its creator.
    assert.deepEqual(arenaStats(), before);
    assert.throws(() => new SharedMemory({ name }), Deno.errors.NotFound);
  }
  // An empty list's block is the smallest that holds one.
  const empty = new ShareableList([]);
  const again = new ShareableList(null, { name: empty.shm.name });
  assert.equal(again.length, 0);
  again.shm.close();
  release(empty);
  assert.deepEqual(arenaStats(), before);
});

// CPython's test_shared_memory_ShareableList_pickling: the list crosses into
// another Process and both see each other's writes.
Deno.test("ShareableList crosses into a Process; writes are seen both ways (CPython)", async () => {
  const sl = new ShareableList(
    Array.from({ length: 10 }, (_, i) => i),
  );
  const f = flags(2);
  const out = new Queue<ShareableItem>();
  const p = await start("editList", [sl, f, out]);
  try {
    assert.equal(await out.get(), 9);
    await until(f, 1, 1);
    assert.equal(sl.get(4), "changed");
    sl.set(3, "newvalue");
    Atomics.store(f, 0, 1);
    Atomics.notify(f, 0);
    assert.equal(await out.get(), "newvalue");
    await p.join();
    assert.equal(p.exitcode, 0);
  } finally {
    release(sl);
  }
});

Deno.test("ShareableList attached by name in a Process", async () => {
  const sl = new ShareableList([1, "two", bytes("3"), null]);
  const out = new Queue<ShareableItem[]>();
  const p = await start("attachList", [sl.shm.name, out]);
  try {
    assert.deepEqual(await out.get(), [1, "two", bytes("3"), null]);
    await p.join();
  } finally {
    release(sl);
  }
});

// CPython's test_shared_memory_ShareableList_pickling_dead_object.
Deno.test("ShareableList of a freed block cannot be passed to a Process (CPython)", () => {
  const sl = new ShareableList(Array.from({ length: 10 }, (_, i) => i));
  release(sl);
  assert.throws(
    () => new Process({ target: "editList", args: [sl], module }).start(),
    Deno.errors.NotFound,
  );
  assert.equal(
    Deno.inspect(sl),
    `ShareableList { name: "${sl.shm.name}", closed }`,
  );
});
