// Copyright 2026 the denomp authors. MIT license.
// The value codec under queues and pipes (lib/channel/codec.ts).
import assert from "node:assert/strict";
import { decode, encode } from "../lib/channel/codec.ts";

function roundTrip<T>(value: T): T {
  return decode(encode(value)) as T;
}

Deno.test("encode() and decode() round-trip JSON values", () => {
  for (
    const value of [
      0,
      1,
      -1,
      2 ** 31,
      -(2 ** 31),
      1.5,
      Number.MAX_VALUE,
      "",
      "hello",
      "héllo wörld ✓ 🦕",
      "x".repeat(100_000),
      true,
      false,
      null,
      [],
      {},
      [1, "a", null, [true, { b: [] }]],
      { a: 1, nested: { list: [1, 2, { deep: "yes" }] }, 'quoted "key"': 2 },
    ]
  ) {
    assert.deepEqual(roundTrip(value), value);
  }
});

Deno.test("encode() and decode() round-trip what JSON cannot carry", () => {
  const values: unknown[] = [
    undefined,
    NaN,
    Infinity,
    -Infinity,
    123n,
    -(2n ** 100n),
    0n,
    new Date(86_400_000),
    new Map<unknown, unknown>([[1, "one"], ["k", { v: [1n] }]]),
    new Set([1, "two", undefined]),
    { a: undefined, b: [undefined, NaN] },
    [1, , 3],
    new Int8Array([-1, 2]),
    new Uint16Array([65535]),
    new Int32Array([-5, 7]),
    new Float32Array([1.5]),
    new Float64Array([Math.PI]),
    new BigInt64Array([-3n]),
    new BigUint64Array([2n ** 63n]),
    new Uint8ClampedArray([255]),
    { nested: new Map([["d", new Date(0)]]) },
  ];
  for (const value of values) {
    assert.deepEqual(roundTrip(value), value);
  }
  assert.ok(Object.is(roundTrip(-0), -0));
  assert.ok(Object.is(roundTrip([-0])[0], -0));
  const buffer = new Uint8Array([1, 2, 3]).buffer;
  assert.deepEqual(
    new Uint8Array(roundTrip(buffer)),
    new Uint8Array([1, 2, 3]),
  );
  const view = roundTrip(new DataView(new Uint8Array([4, 5]).buffer));
  assert.ok(view instanceof DataView);
  assert.equal(view.getUint8(1), 5);
});

Deno.test("encode() and decode() keep strings with lone surrogates exact, as JSON does", () => {
  const odd = [
    "\ud800",
    "a\udc00b",
    "é\ud83d",
    "x".repeat(100) + "\udfff",
    "\ud800".repeat(20_000) + "y",
  ];
  for (const text of odd) {
    assert.equal(text.isWellFormed(), false);
    assert.equal(roundTrip(text), text);
    // In the rich format: an array with undefined, Map keys and values,
    // object keys, Set items, an Error's name and message.
    const rich = roundTrip([text, undefined]);
    assert.equal(rich[0], text);
    assert.deepEqual(
      [...roundTrip(new Map([[text, text]]))],
      [[text, text]],
    );
    assert.deepEqual(Object.keys(roundTrip({ [text]: undefined })), [text]);
    assert.deepEqual([...roundTrip(new Set([text]))], [text]);
    const error = new RangeError(text);
    error.name = text;
    const back = roundTrip(error);
    assert.equal(back.message, text);
    assert.equal(back.name, text);
    // In the JSON format.
    assert.deepEqual(roundTrip({ a: text, [text]: [text] }), {
      a: text,
      [text]: [text],
    });
  }
  // Well-formed strings still take the UTF-8 paths.
  assert.equal(roundTrip("🦕"), "🦕");
  assert.deepEqual(roundTrip(["🦕", undefined]), ["🦕", undefined]);
});

Deno.test("encode() copies bytes, and decode() never aliases its input", () => {
  const source = new Uint8Array([1, 2, 3]);
  const bytes = encode(source);
  source[0] = 99;
  const out = decode(bytes) as Uint8Array;
  assert.deepEqual(out, new Uint8Array([1, 2, 3]));
  bytes.fill(0);
  assert.deepEqual(out, new Uint8Array([1, 2, 3]));
  // A typed array over shared memory comes back as a plain copy.
  const shared = new Int32Array(new SharedArrayBuffer(8));
  shared[1] = 7;
  const copy = roundTrip(shared);
  assert.ok(copy.buffer instanceof ArrayBuffer);
  assert.deepEqual(Array.from(copy), [0, 7]);
  // A view of part of a buffer carries only its own bytes.
  const part = new Uint8Array([9, 8, 7, 6]).subarray(1, 3);
  assert.deepEqual(roundTrip(part), new Uint8Array([8, 7]));
});

Deno.test("encode() and decode() keep an Error's name, message, stack and cause", () => {
  const error = new RangeError("out of range", { cause: { code: 42 } });
  const out = roundTrip(error);
  assert.ok(out instanceof RangeError);
  assert.equal(out.name, "RangeError");
  assert.equal(out.message, "out of range");
  assert.equal(out.stack, error.stack);
  assert.deepEqual(out.cause, { code: 42 });
  const custom = new Error("custom");
  custom.name = "QueueEmptyError";
  const back = roundTrip({ e: custom }).e;
  assert.ok(back instanceof Error);
  assert.equal(back.name, "QueueEmptyError");
  assert.equal(back.message, "custom");
  // A name that is a property of every object is still just a name.
  for (const name of ["constructor", "toString", "__proto__"]) {
    const odd = new Error("odd");
    odd.name = name;
    const decoded = roundTrip(odd);
    assert.ok(decoded instanceof Error, name);
    assert.equal(decoded.name, name);
    assert.equal(decoded.message, "odd");
  }
});

Deno.test("encode() keeps plain data of class instances without methods", () => {
  class Point {
    x = 1;
    y = 2;
  }
  assert.deepEqual(roundTrip(new Point()), { x: 1, y: 2 });
  assert.deepEqual(roundTrip(Object.assign(Object.create(null), { a: 1 })), {
    a: 1,
  });
});

Deno.test("encode() rejects values it cannot encode with a TypeError", () => {
  assert.throws(() => encode(() => 1, "Cannot put to queue"), {
    name: "TypeError",
    message: "Cannot put to queue: value of type function cannot be encoded",
  });
  assert.throws(() => encode(Symbol("s"), "Cannot send"), {
    name: "TypeError",
    message: "Cannot send: value of type symbol cannot be encoded",
  });
  assert.throws(() => encode({ a: [1, { f() {} }] }), {
    name: "TypeError",
    message:
      "Cannot encode value: value.a[1].f of type function cannot be encoded",
  });
  class Account {
    balance = 1;
    deposit(): void {}
  }
  assert.throws(() => encode({ account: new Account() }), {
    name: "TypeError",
    message:
      "Cannot encode value: value.account of type Account cannot be encoded (a class instance with methods)",
  });
  const cycle: Record<string, unknown> = {};
  cycle.self = cycle;
  assert.throws(() => encode(cycle), {
    name: "TypeError",
    message:
      "Cannot encode value: value.self is a circular reference and cannot be encoded",
  });
  assert.throws(() => encode(new Map([["f", () => {}]])), TypeError);
  assert.throws(() => encode(new Set([Symbol.iterator])), TypeError);
  assert.throws(() => encode(Promise.resolve()), TypeError);
  assert.throws(() => encode(new WeakMap()), TypeError);
});

Deno.test("encode() allows the same object twice (a DAG is not a cycle)", () => {
  const shared = { v: 1 };
  assert.deepEqual(
    roundTrip({ a: shared, b: shared, m: new Map([[1, shared]]) }),
    {
      a: { v: 1 },
      b: { v: 1 },
      m: new Map([[1, { v: 1 }]]),
    },
  );
});

Deno.test("decode() rejects bytes that are not an encoding", () => {
  assert.throws(() => decode(new Uint8Array(0)), {
    name: "TypeError",
    message: "Cannot decode value: the encoding is empty",
  });
  assert.throws(() => decode(new Uint8Array([200])), {
    name: "TypeError",
    message: "Cannot decode value: unknown encoding tag 200",
  });
});
