// Copyright 2026 the denomp authors. MIT license.
/**
 * `SharedArray` (also exported as `Array`) and `RawArray`: a fixed-size
 * array of numbers (or bigints) in shared memory, as Python's
 * `multiprocessing.Array` / `RawArray`, with Python's negative indices,
 * checked writes, a raw typed-array `view` for hot loops, and lock-free
 * atomic operations on elements of integer typecodes.
 *
 * @module
 */

import { assertLive, selfStatus, throwEnded } from "./_context.ts";
import { PROC_STATE, PROC_STATE_ENDED } from "./_layout.ts";
import { checkLockOption, makeLock } from "./sync/lock_option.ts";
import {
  registerShareable,
  reviveDescriptor,
  SHARE,
  type SharedDescriptor,
} from "./_registry.ts";
import {
  checkAtomic,
  checkDelta,
  checkIndex,
  checkItem,
  type TypecodeInfo,
  typecodeInfo,
} from "./_typecode.ts";
import { describe } from "./_wait.ts";
import type { Lock } from "./lock.ts";
import type { RLock } from "./rlock.ts";
import type {
  AnyTypedArray,
  Typecode,
  TypedArrayOf,
  ValueType,
} from "./value.ts";

/**
 * Options for {@linkcode SharedArray}: the same `lock` option as a
 * Value's.
 */
export interface SharedArrayOptions {
  /**
   * The lock `getLock()` returns: `true` for a new RLock (as Python),
   * `false` for none, or a given `Lock` / `RLock`.
   *
   * @default {true}
   */
  lock?: boolean | Lock | RLock;
}

interface RawArrayData {
  typecode: Typecode;
  buffer: SharedArrayBuffer;
  byteOffset: number;
  length: number;
}

interface SharedArrayData extends RawArrayData {
  lock: SharedDescriptor | null;
}

let adopt: RawArrayData | null = null;
let adoptLock: Lock | RLock | null | undefined = undefined;
let viewOf: (array: RawArray) => AnyTypedArray;

/** Checks a size or an initializer; returns the initial items, if any. */
function checkInit(
  what: string,
  t: TypecodeInfo,
  sizeOrInit: unknown,
): { length: number; items: (number | bigint)[] | null } {
  if (typeof sizeOrInit === "number") {
    if (!Number.isInteger(sizeOrInit)) {
      throw new TypeError(
        `${what}: size must be an integer, received ${sizeOrInit}`,
      );
    }
    if (sizeOrInit < 0) {
      throw new RangeError(
        `${what}: size must be non-negative, received ${sizeOrInit}`,
      );
    }
    return { length: sizeOrInit, items: null };
  }
  if (
    typeof sizeOrInit === "object" && sizeOrInit !== null &&
    typeof (sizeOrInit as Iterable<unknown>)[Symbol.iterator] === "function"
  ) {
    const items: (number | bigint)[] = [];
    let i = 0;
    for (const item of sizeOrInit as Iterable<unknown>) {
      items.push(checkItem(`${what}: item ${i++}`, t, item));
    }
    return { length: items.length, items };
  }
  throw new TypeError(
    `${what}: size or initializer must be a non-negative integer or an iterable, received ${
      describe(sizeOrInit)
    }`,
  );
}

function checkBound(what: string, bound: unknown, length: number): number {
  if (bound === undefined) return -1;
  if (typeof bound !== "number" || !Number.isInteger(bound)) {
    throw new TypeError(
      `${what}: bounds must be integers, received ${describe(bound)}`,
    );
  }
  const b = bound < 0 ? bound + length : bound;
  return b < 0 ? 0 : b > length ? length : b;
}

/**
 * A fixed-size array in shared memory, without a lock, as Python's
 * `multiprocessing.RawArray`. Passed to a {@linkcode Process} it arrives
 * live.
 *
 * `get(i)` / `set(i, v)` take Python's negative indices and throw a
 * `RangeError` for an index out of range (a typed array would silently drop
 * the write); `set` checks the value's type and range and leaves memory
 * untouched on bad input. `view` is the raw typed array over the same memory
 * for hot loops (unchecked, as typed arrays are). Integer typecodes also have
 * lock-free atomic operations on elements (`add`, `sub`, `exchange`,
 * `compareExchange`, `load`, `store`).
 *
 * @typeParam C The typecode; elements are `bigint` for `q`/`Q`, else
 * `number`.
 *
 * @example Usage
 * ```ts
 * import { RawArray } from "@denomp/multiprocessing";
 * import assert from "node:assert/strict";
 *
 * const a = new RawArray("i", [1, 2, 3]);
 * a.set(-1, 30);
 * assert.deepEqual(a.toArray(), [1, 2, 30]);
 * assert.deepEqual(a.slice(1), [2, 30]);
 * assert.throws(() => a.get(3), RangeError);
 * assert.equal(a.add(0, 10), 1);
 * assert.equal(a.view[0], 11);
 * ```
 */
export class RawArray<C extends Typecode = Typecode> {
  #t: TypecodeInfo;
  #view: AnyTypedArray;
  /** The status word of this thread's Process (see `selfStatus()`). */
  #fence: Int32Array | null = selfStatus();

  static {
    viewOf = (array) => array.#view;
  }

  /**
   * Creates an array in a new `SharedArrayBuffer`.
   *
   * @param typecode One of `b B h H i I l L q Q f d` (see {@linkcode Typecode}).
   * @param sizeOrInit A size (elements start at zero) or an iterable of
   * initial elements.
   * @throws {TypeError} If the typecode is unknown, the size is not an
   * integer, or an element has the wrong type.
   * @throws {RangeError} If the size is negative or an element is out of
   * range.
   */
  constructor(typecode: C, sizeOrInit: number | Iterable<ValueType<C>>) {
    const adopted = adopt;
    adopt = null;
    const what = `Cannot create ${new.target.name}`;
    const t = typecodeInfo(what, typecode);
    this.#t = t;
    if (adopted !== null) {
      const { buffer, byteOffset, length } = adopted;
      this.#view = new t.ctor(buffer, byteOffset, length);
      return;
    }
    const { length, items } = checkInit(what, t, sizeOrInit);
    this.#view = new t.ctor(
      new SharedArrayBuffer(length * t.size),
      0,
      length,
    );
    if (items !== null) {
      for (let i = 0; i < length; i++) this.#view[i] = items[i]!;
    }
  }

  /**
   * The typecode this array was created with.
   *
   * @example Usage
   * ```ts
   * import { RawArray } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   *
   * assert.equal(new RawArray("d", 2).typecode, "d");
   * ```
   */
  get typecode(): C {
    return this.#t.code as C;
  }

  /**
   * The number of elements.
   *
   * @example Usage
   * ```ts
   * import { RawArray } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   *
   * assert.equal(new RawArray("d", 4).length, 4);
   * ```
   */
  get length(): number {
    return this.#view.length;
  }

  /**
   * The typed array over the shared memory (`Float64Array` for `d`, ...):
   * the fastest way to read and write in a hot loop, unchecked.
   *
   * Writes through a typed array cannot be fenced: a thread whose Process
   * is terminated while it loops over a view it already holds goes on
   * writing until Deno stops it (a thread busy in synchronous code is not
   * stopped in Deno 2.9). Reading `view` itself on such a thread throws
   * `ProcessEndedError`, as `set()` and the atomic operations do; so a loop
   * that must stop writing once terminated takes the view again per batch
   * of writes, or uses `set()`.
   *
   * @throws {ProcessEndedError} When read from the thread of a Process that
   * has been terminated or killed.
   *
   * @example Usage
   * ```ts
   * import { RawArray } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   *
   * const a = new RawArray("d", 3);
   * a.view.fill(1.5);
   * assert.equal(a.get(2), 1.5);
   * ```
   */
  get view(): TypedArrayOf<C> {
    const fence = this.#fence;
    if (fence !== null && fence[PROC_STATE] === PROC_STATE_ENDED) throwEnded();
    return this.#view as TypedArrayOf<C>;
  }

  /**
   * Reads element `index` (negative counts from the end).
   *
   * @param index An integer from `-length` to `length - 1`.
   * @returns The element.
   * @throws {TypeError} If `index` is not an integer.
   * @throws {RangeError} If `index` is out of range.
   *
   * @example Usage
   * ```ts
   * import { RawArray } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   *
   * assert.equal(new RawArray("i", [1, 2]).get(-1), 2);
   * ```
   */
  get(index: number): ValueType<C> {
    const view = this.#view;
    const n = view.length;
    // Fast path: an int32 index in range (`| 0` also rejects non-numbers).
    if ((index | 0) === index) {
      const i = index < 0 ? index + n : index;
      if (i >= 0 && i < n) return view[i] as ValueType<C>;
    }
    return view[checkIndex("Cannot get item", index, n)] as ValueType<C>;
  }

  /**
   * Writes element `index` (negative counts from the end), after checking
   * the index and the value; memory is untouched on bad input.
   *
   * @param index An integer from `-length` to `length - 1`.
   * @param value The element's new value.
   * @throws {TypeError} If `index` is not an integer or `value` has the wrong
   * type.
   * @throws {RangeError} If `index` or `value` is out of range.
   * @throws {ProcessEndedError} If called from the thread of a Process that
   * has been terminated or killed.
   *
   * @example Usage
   * ```ts
   * import { RawArray } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   *
   * const a = new RawArray("b", 2);
   * a.set(-2, -5);
   * assert.equal(a.get(0), -5);
   * assert.throws(() => a.set(0, 200), RangeError);
   * ```
   */
  set(index: number, value: ValueType<C>): void {
    // A terminated Process's thread that Deno could not stop must not go on
    // changing shared memory (a plain load; nothing on the main thread).
    const fence = this.#fence;
    if (fence !== null && fence[PROC_STATE] === PROC_STATE_ENDED) throwEnded();
    const view = this.#view;
    const n = view.length;
    let i: number;
    if (
      (index | 0) === index && (i = index < 0 ? index + n : index) >= 0 && i < n
    ) {
      view[i] = checkItem("Cannot set item", this.#t, value);
      return;
    }
    i = checkIndex("Cannot set item", index, n);
    view[i] = checkItem("Cannot set item", this.#t, value);
  }

  /**
   * Copies elements `start` to `end` (exclusive) into a plain array, as
   * Python's `arr[start:end]`: negative bounds count from the end, bounds
   * past either end are clamped.
   *
   * @param start First index; `0` when left out.
   * @param end Index after the last; `length` when left out.
   * @returns The elements.
   * @throws {TypeError} If a bound is not an integer.
   *
   * @example Usage
   * ```ts
   * import { RawArray } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   *
   * const a = new RawArray("i", [0, 1, 2, 3]);
   * assert.deepEqual(a.slice(-2), [2, 3]);
   * assert.deepEqual(a.slice(1, 99), [1, 2, 3]);
   * ```
   */
  slice(start?: number, end?: number): ValueType<C>[] {
    const view = this.#view;
    const length = view.length;
    const a = checkBound("Cannot slice", start, length);
    const b = checkBound("Cannot slice", end, length);
    const from = a === -1 ? 0 : a;
    const to = b === -1 ? length : b;
    const out: ValueType<C>[] = [];
    for (let i = from; i < to; i++) out.push(view[i] as ValueType<C>);
    return out;
  }

  /**
   * Copies every element into a plain array (Python's `arr[:]`).
   *
   * @returns The elements.
   *
   * @example Usage
   * ```ts
   * import { RawArray } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   *
   * assert.deepEqual(new RawArray("d", 2).toArray(), [0, 0]);
   * ```
   */
  toArray(): ValueType<C>[] {
    return Array.from(this.#view as Iterable<ValueType<C>>);
  }

  /**
   * Iterates over the elements.
   *
   * @returns An iterator of the elements.
   *
   * @example Usage
   * ```ts
   * import { RawArray } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   *
   * let sum = 0;
   * for (const x of new RawArray("i", [1, 2, 3])) sum += x;
   * assert.equal(sum, 6);
   * ```
   */
  [Symbol.iterator](): IterableIterator<ValueType<C>> {
    return (this.#view as Iterable<ValueType<C>>)
      [Symbol.iterator]() as IterableIterator<ValueType<C>>;
  }

  #atomic(what: string, index: number): number {
    checkAtomic(what, this.#t);
    assertLive();
    return checkIndex(what, index, this.#view.length);
  }

  /**
   * Atomically reads element `index` (integer typecodes).
   *
   * @param index An integer from `-length` to `length - 1`.
   * @returns The element.
   * @throws {TypeError} If the typecode is `f` or `d`, or `index` is not an
   * integer.
   * @throws {RangeError} If `index` is out of range.
   *
   * @example Usage
   * ```ts
   * import { RawArray } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   *
   * assert.equal(new RawArray("i", [4, 5]).load(1), 5);
   * ```
   */
  load(index: number): ValueType<C> {
    const i = this.#atomic("Cannot load", index);
    return Atomics.load(this.#view as Int32Array, i) as ValueType<C>;
  }

  /**
   * Atomically writes element `index` (integer typecodes).
   *
   * @param index An integer from `-length` to `length - 1`.
   * @param value The new value.
   * @returns The value written.
   * @throws {TypeError} If the typecode is `f` or `d`, or an argument has
   * the wrong type.
   * @throws {RangeError} If `index` or `value` is out of range.
   *
   * @example Usage
   * ```ts
   * import { RawArray } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   *
   * const a = new RawArray("i", 2);
   * a.store(-1, 9);
   * assert.equal(a.get(1), 9);
   * ```
   */
  store(index: number, value: ValueType<C>): ValueType<C> {
    const what = "Cannot store";
    const i = this.#atomic(what, index);
    const v = checkItem(what, this.#t, value);
    return Atomics.store(this.#view as Int32Array, i, v as number) as ValueType<
      C
    >;
  }

  /**
   * Atomically adds `delta` to element `index` (integer typecodes); wraps
   * around on overflow as C integers do.
   *
   * @param index An integer from `-length` to `length - 1`.
   * @param delta An integer (`bigint` for `q`/`Q`).
   * @returns The element before the addition.
   * @throws {TypeError} If the typecode is `f` or `d`, or an argument has
   * the wrong type.
   * @throws {RangeError} If `index` is out of range.
   *
   * @example Usage
   * ```ts
   * import { RawArray } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   *
   * const a = new RawArray("q", 2);
   * a.add(1, 5n);
   * assert.equal(a.get(1), 5n);
   * ```
   */
  add(index: number, delta: ValueType<C>): ValueType<C> {
    const what = "Cannot add";
    const i = this.#atomic(what, index);
    const d = checkDelta(what, this.#t, delta);
    return Atomics.add(this.#view as Int32Array, i, d as number) as ValueType<
      C
    >;
  }

  /**
   * Atomically subtracts `delta` from element `index` (integer typecodes);
   * wraps around on overflow as C integers do.
   *
   * @param index An integer from `-length` to `length - 1`.
   * @param delta An integer (`bigint` for `q`/`Q`).
   * @returns The element before the subtraction.
   * @throws {TypeError} If the typecode is `f` or `d`, or an argument has
   * the wrong type.
   * @throws {RangeError} If `index` is out of range.
   *
   * @example Usage
   * ```ts
   * import { RawArray } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   *
   * const a = new RawArray("i", [10]);
   * assert.equal(a.sub(0, 4), 10);
   * assert.equal(a.get(0), 6);
   * ```
   */
  sub(index: number, delta: ValueType<C>): ValueType<C> {
    const what = "Cannot sub";
    const i = this.#atomic(what, index);
    const d = checkDelta(what, this.#t, delta);
    return Atomics.sub(this.#view as Int32Array, i, d as number) as ValueType<
      C
    >;
  }

  /**
   * Atomically replaces element `index` (integer typecodes).
   *
   * @param index An integer from `-length` to `length - 1`.
   * @param value The new value.
   * @returns The element before.
   * @throws {TypeError} If the typecode is `f` or `d`, or an argument has
   * the wrong type.
   * @throws {RangeError} If `index` or `value` is out of range.
   *
   * @example Usage
   * ```ts
   * import { RawArray } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   *
   * const a = new RawArray("i", [1]);
   * assert.equal(a.exchange(0, 2), 1);
   * ```
   */
  exchange(index: number, value: ValueType<C>): ValueType<C> {
    const what = "Cannot exchange";
    const i = this.#atomic(what, index);
    const v = checkItem(what, this.#t, value);
    return Atomics.exchange(
      this.#view as Int32Array,
      i,
      v as number,
    ) as ValueType<C>;
  }

  /**
   * Atomically replaces element `index` with `replacement` if it equals
   * `expected` (integer typecodes).
   *
   * @param index An integer from `-length` to `length - 1`.
   * @param expected The value expected.
   * @param replacement The value to write when it matches.
   * @returns The element before: equal to `expected` when the write
   * happened.
   * @throws {TypeError} If the typecode is `f` or `d`, or an argument has
   * the wrong type.
   * @throws {RangeError} If `index` or a value is out of range.
   *
   * @example Usage
   * ```ts
   * import { RawArray } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   *
   * const a = new RawArray("i", [1]);
   * assert.equal(a.compareExchange(0, 1, 7), 1);
   * assert.equal(a.get(0), 7);
   * ```
   */
  compareExchange(
    index: number,
    expected: ValueType<C>,
    replacement: ValueType<C>,
  ): ValueType<C> {
    const what = "Cannot compareExchange";
    const i = this.#atomic(what, index);
    const e = checkItem(what, this.#t, expected);
    const r = checkItem(what, this.#t, replacement);
    return Atomics.compareExchange(
      this.#view as Int32Array,
      i,
      e as number,
      r as number,
    ) as ValueType<C>;
  }

  /**
   * The descriptor this array crosses into a worker as. Internal.
   *
   * @returns The descriptor.
   *
   * @ignore Internal: the shared-object registry calls it.
   */
  [SHARE](): SharedDescriptor {
    const data: RawArrayData = {
      typecode: this.#t.code,
      buffer: this.#view.buffer as SharedArrayBuffer,
      byteOffset: this.#view.byteOffset,
      length: this.#view.length,
    };
    return { kind: "RawArray", module: import.meta.url, data };
  }

  /**
   * Custom inspect for `console.log` / `Deno.inspect`: the typecode, the
   * length and the first ten elements, as `SharedArray("i", 20) [ 0, 1, ...
   * 10 more items ]`.
   *
   * @returns A short description.
   */
  [Symbol.for("Deno.customInspect")](): string {
    const view = this.#view;
    const n = view.length;
    const shown: string[] = [];
    for (let i = 0; i < Math.min(n, 10); i++) {
      const v = view[i]!;
      shown.push(typeof v === "bigint" ? `${v}n` : String(v));
    }
    if (n > 10) shown.push(`... ${n - 10} more item${n === 11 ? "" : "s"}`);
    return `${this.constructor.name}("${this.#t.code}", ${n}) ${
      n === 0 ? "[]" : `[ ${shown.join(", ")} ]`
    }`;
  }
}

/**
 * A fixed-size array in shared memory with a lock, as Python's
 * `multiprocessing.Array` (mod.ts also exports it under that name, so
 * `mp.Array("d", 2)` reads as in Python). Passed to a {@linkcode Process}
 * it arrives live, with its lock.
 *
 * Element reads and writes do not take the lock (Python takes it for each
 * single access, which does not make `arr[i] += 1` atomic either): hold
 * `getLock()` around a read-modify-write, or use the atomic operations of
 * integer typecodes. Everything else is as for {@linkcode RawArray}.
 *
 * @typeParam C The typecode; elements are `bigint` for `q`/`Q`, else
 * `number`.
 *
 * @example Usage
 * ```ts
 * import { SharedArray } from "@denomp/multiprocessing";
 * import assert from "node:assert/strict";
 *
 * const arr = new SharedArray("d", [0, 1]);
 * {
 *   using _ = arr.getLock().holdSync();
 *   arr.set(0, arr.get(0) + 2.5);
 * }
 * assert.deepEqual([...arr], [2.5, 1]);
 * ```
 *
 * @example Python's spelling
 * ```ts
 * import * as mp from "@denomp/multiprocessing";
 * import assert from "node:assert/strict";
 *
 * const arr = new mp.Array("d", [0, 1]); // the same class as SharedArray
 * assert.ok(arr instanceof mp.SharedArray);
 * assert.equal(arr.get(-1), 1);
 * ```
 */
export class SharedArray<C extends Typecode = Typecode> extends RawArray<C> {
  #lock: Lock | RLock | null;

  /**
   * Creates an array and its lock.
   *
   * @param typecode One of `b B h H i I l L q Q f d` (see {@linkcode Typecode}).
   * @param sizeOrInit A size (elements start at zero) or an iterable of
   * initial elements.
   * @param options `lock`: `true` (a new RLock), `false`, or a lock to use.
   * @throws {TypeError} If the typecode is unknown, the size is not an
   * integer, an element has the wrong type, or `lock` is not a boolean, Lock
   * or RLock.
   * @throws {RangeError} If the size is negative or an element is out of
   * range.
   */
  constructor(
    typecode: C,
    sizeOrInit: number | Iterable<ValueType<C>>,
    options?: SharedArrayOptions,
  ) {
    const choice = adopt === null
      ? checkLockOption("Cannot create SharedArray", options)
      : false;
    super(typecode, sizeOrInit);
    if (adoptLock !== undefined) {
      this.#lock = adoptLock;
      adoptLock = undefined;
    } else {
      this.#lock = makeLock(choice);
    }
  }

  /**
   * The lock that guards this array.
   *
   * @returns The `Lock` or `RLock` given in the options, or the RLock made
   * for this array.
   * @throws {TypeError} If the array was created with `lock: false`.
   *
   * @example Usage
   * ```ts
   * import { SharedArray } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   *
   * const arr = new SharedArray("i", 3);
   * assert.equal(arr.getLock().locked(), false);
   * ```
   */
  getLock(): Lock | RLock {
    if (this.#lock === null) {
      throw new TypeError(
        "Cannot get lock: this SharedArray was created with lock: false",
      );
    }
    return this.#lock;
  }

  /**
   * The raw array underneath: a {@linkcode RawArray} over the same memory,
   * without the lock (Python's `get_obj()`).
   *
   * @returns The raw array.
   *
   * @example Usage
   * ```ts
   * import { SharedArray } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   *
   * const arr = new SharedArray("i", 2);
   * arr.getObj().set(0, 8);
   * assert.equal(arr.get(0), 8);
   * ```
   */
  getObj(): RawArray<C> {
    const view = viewOf(this);
    adopt = {
      typecode: this.typecode,
      buffer: view.buffer as SharedArrayBuffer,
      byteOffset: view.byteOffset,
      length: view.length,
    };
    return new RawArray(this.typecode, 0);
  }

  /**
   * The descriptor this array crosses into a worker as. Internal.
   *
   * @returns The descriptor.
   *
   * @ignore Internal: the shared-object registry calls it.
   */
  override [SHARE](): SharedDescriptor {
    const raw = super[SHARE]().data as RawArrayData;
    const data: SharedArrayData = {
      ...raw,
      lock: this.#lock === null ? null : this.#lock[SHARE](),
    };
    return { kind: "SharedArray", module: import.meta.url, data };
  }
}

registerShareable("RawArray", (data) => {
  adopt = data as RawArrayData;
  return new RawArray(adopt.typecode, 0);
});

registerShareable("SharedArray", (data) => {
  const d = data as SharedArrayData;
  const lock = d.lock === null
    ? null
    : reviveDescriptor(d.lock) as Lock | RLock;
  adopt = d;
  adoptLock = lock;
  return new SharedArray(d.typecode, 0);
});
