// Copyright 2026 the denomp authors. MIT license.
/**
 * `Value` and `RawValue`: one number (or bigint) in shared memory, as
 * Python's `multiprocessing.Value` / `RawValue`, plus lock-free atomic
 * operations for integer typecodes.
 *
 * @module
 */

import { assertLive, selfStatus, throwEnded } from "./_context.ts";
import { PROC_STATE, PROC_STATE_ENDED } from "./_layout.ts";
import {
  registerShareable,
  reviveDescriptor,
  SHARE,
  type SharedDescriptor,
} from "./_registry.ts";
import {
  checkAtomic,
  checkDelta,
  checkItem,
  type TypecodeInfo,
  typecodeInfo,
  zeroOf,
} from "./_typecode.ts";
import { checkLockOption, makeLock } from "./sync/lock_option.ts";
import { LOCK_INTS } from "./sync/lock_layout.ts";
import type { Lock } from "./lock.ts";
import type { RLock } from "./rlock.ts";

/**
 * A typecode, with the meaning Python's `multiprocessing` gives it:
 *
 * | code | C type | here |
 * | --- | --- | --- |
 * | `b` / `B` | signed / unsigned char | 8-bit integer, `number` |
 * | `h` / `H` | short / unsigned short | 16-bit integer, `number` |
 * | `i` / `I` | int / unsigned int | 32-bit integer, `number` |
 * | `l` / `L` | long / unsigned long | 32-bit integer, `number` |
 * | `q` / `Q` | long long / unsigned long long | 64-bit integer, `bigint` |
 * | `f` | float | 32-bit float, `number` |
 * | `d` | double | 64-bit float, `number` |
 *
 * `l`/`L` are 32 bits wide: a C `long` is 32 bits on Windows and in the
 * guaranteed minimum of Python's `array` module, and a 32-bit integer fits
 * a JavaScript `number` exactly, so code that ports `"l"` keeps plain number
 * arithmetic. Use `q`/`Q` (held as `bigint`) for 64-bit integers.
 */
export type Typecode =
  | "b"
  | "B"
  | "h"
  | "H"
  | "i"
  | "I"
  | "l"
  | "L"
  | "q"
  | "Q"
  | "f"
  | "d";

/**
 * The JavaScript type a typecode holds: `bigint` for `q`/`Q`, `number` for
 * the others.
 *
 * @typeParam C The typecode.
 */
export type ValueType<C extends Typecode> = C extends "q" | "Q" ? bigint
  : number;

/** Any typed array a typecode can map to. */
export type AnyTypedArray =
  | Int8Array
  | Uint8Array
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | BigInt64Array
  | BigUint64Array
  | Float32Array
  | Float64Array;

/**
 * The typed array behind a typecode (`Float64Array` for `d`, `Int32Array`
 * for `i` and `l`, ...).
 *
 * @typeParam C The typecode.
 */
export type TypedArrayOf<C extends Typecode> = C extends "b" ? Int8Array
  : C extends "B" ? Uint8Array
  : C extends "h" ? Int16Array
  : C extends "H" ? Uint16Array
  : C extends "i" | "l" ? Int32Array
  : C extends "I" | "L" ? Uint32Array
  : C extends "q" ? BigInt64Array
  : C extends "Q" ? BigUint64Array
  : C extends "f" ? Float32Array
  : C extends "d" ? Float64Array
  : AnyTypedArray;

/** Options for {@linkcode Value}. */
export interface ValueOptions {
  /**
   * The lock `getLock()` returns: `true` for a new {@linkcode RLock} (as
   * Python), `false` for none (the Value then behaves as a
   * {@linkcode RawValue}), or a given `Lock` / `RLock` to share one lock
   * between several values.
   *
   * @default {true}
   */
  lock?: boolean | Lock | RLock;
}

/** Data of a RawValue descriptor. */
interface RawValueData {
  typecode: Typecode;
  buffer: SharedArrayBuffer;
  byteOffset: number;
}

/** Data of a Value descriptor. */
interface ValueData extends RawValueData {
  lock: SharedDescriptor | null;
}

/**
 * Set by revivers and getObj() so that the constructor adopts memory
 * (`fresh`: new memory that still needs its initial value).
 */
let adopt:
  | { buffer: SharedArrayBuffer; byteOffset: number; fresh?: boolean }
  | null = null;
/** Where a Value's number sits after its own lock (8-byte aligned). */
const VALUE_OFFSET = LOCK_INTS * 4;
/** Set by the Value reviver: the lock the revived Value carries. */
let adoptLock: Lock | RLock | null | undefined = undefined;
/** Reads a RawValue's view (assigned in RawValue's static block). */
let viewOf: (value: RawValue) => AnyTypedArray;

/**
 * One number in shared memory, without a lock, as Python's
 * `multiprocessing.RawValue`. Passed to a {@linkcode Process} it arrives
 * live: writes on either side are seen by the other.
 *
 * `value` reads and writes the memory directly (one access; aligned, so a
 * reader never sees half a write). For read-modify-write from several
 * Processes use the atomic operations on integer typecodes (`add`, `sub`,
 * `exchange`, `compareExchange`, `load`, `store`: `Atomics` underneath, so
 * they are lock-free and sequentially consistent; `add`/`sub` wrap around
 * as C integers do) or a {@linkcode Value} and its lock.
 *
 * @typeParam C The typecode; `value` is a `bigint` for `q`/`Q`, else a
 * `number`.
 *
 * @example Usage
 * ```ts
 * import { RawValue } from "@denomp/multiprocessing";
 * import assert from "node:assert/strict";
 *
 * const v = new RawValue("i", 40);
 * v.value += 1;
 * assert.equal(v.add(1), 41); // returns the previous value
 * assert.equal(v.value, 42);
 * assert.throws(() => (v.value = 1.5), TypeError);
 * ```
 */
export class RawValue<C extends Typecode = Typecode> {
  #t: TypecodeInfo;
  #view: AnyTypedArray;
  /** The status word of this thread's Process (see `selfStatus()`). */
  #fence: Int32Array | null = selfStatus();

  static {
    viewOf = (value) => value.#view;
  }

  /**
   * Creates a value in a new `SharedArrayBuffer`.
   *
   * @param typecode One of `b B h H i I l L q Q f d` (see {@linkcode Typecode}).
   * @param initial The initial value; `0` (`0n` for `q`/`Q`) when left out.
   * @throws {TypeError} If the typecode is unknown or `initial` has the wrong
   * type (a string for `d`, a number for `q`, 1.5 for `i`).
   * @throws {RangeError} If `initial` is out of the typecode's range.
   */
  constructor(typecode: C, initial?: ValueType<C>) {
    // Take what a reviver or Value left for us first, so that it never
    // leaks into another construction, even when a check below throws.
    const adopted = adopt;
    adopt = null;
    const what = `Cannot create ${new.target.name}`;
    const t = typecodeInfo(what, typecode);
    this.#t = t;
    if (adopted !== null && adopted.fresh !== true) {
      this.#view = new t.ctor(adopted.buffer, adopted.byteOffset, 1);
      return;
    }
    const value = initial === undefined
      ? zeroOf(t)
      : checkItem(what, t, initial);
    this.#view = adopted === null
      ? new t.ctor(new SharedArrayBuffer(t.size), 0, 1)
      : new t.ctor(adopted.buffer, adopted.byteOffset, 1);
    this.#view[0] = value;
  }

  /**
   * The typecode this value was created with.
   *
   * @example Usage
   * ```ts
   * import { RawValue } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   *
   * assert.equal(new RawValue("d").typecode, "d");
   * ```
   */
  get typecode(): C {
    return this.#t.code as C;
  }

  /**
   * The value. Setting it checks the type and range first and leaves the
   * memory untouched on bad input. On the thread of a Process that has been
   * terminated or killed (which Deno may not have stopped yet) setting it
   * throws, as every toolkit call that changes shared state does.
   *
   * @throws {TypeError} When set to a value of the wrong type.
   * @throws {RangeError} When set to an integer out of range.
   * @throws {ProcessEndedError} When set from a terminated Process's thread.
   *
   * @example Usage
   * ```ts
   * import { RawValue } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   *
   * const v = new RawValue("q", 1n);
   * v.value *= 2n ** 40n;
   * assert.equal(v.value, 2n ** 40n);
   * ```
   */
  get value(): ValueType<C> {
    return this.#view[0] as ValueType<C>;
  }

  set value(value: ValueType<C>) {
    // A terminated Process's thread that Deno could not stop must not go on
    // changing shared memory (a plain load; nothing on the main thread).
    const fence = this.#fence;
    if (fence !== null && fence[PROC_STATE] === PROC_STATE_ENDED) throwEnded();
    this.#view[0] = checkItem("Cannot set value", this.#t, value);
  }

  /**
   * Atomically reads the value (integer typecodes).
   *
   * @returns The value.
   * @throws {TypeError} If the typecode is `f` or `d`.
   *
   * @example Usage
   * ```ts
   * import { RawValue } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   *
   * assert.equal(new RawValue("i", 7).load(), 7);
   * ```
   */
  load(): ValueType<C> {
    checkAtomic("Cannot load", this.#t);
    return Atomics.load(this.#view as Int32Array, 0) as ValueType<C>;
  }

  /**
   * Atomically writes the value (integer typecodes).
   *
   * @param value The new value.
   * @returns The value written.
   * @throws {TypeError} If the typecode is `f` or `d`, or `value` has the
   * wrong type.
   * @throws {RangeError} If `value` is out of range.
   *
   * @example Usage
   * ```ts
   * import { RawValue } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   *
   * const v = new RawValue("i");
   * v.store(5);
   * assert.equal(v.value, 5);
   * ```
   */
  store(value: ValueType<C>): ValueType<C> {
    const what = "Cannot store";
    checkAtomic(what, this.#t);
    assertLive();
    const checked = checkItem(what, this.#t, value);
    return Atomics.store(
      this.#view as Int32Array,
      0,
      checked as number,
    ) as ValueType<C>;
  }

  /**
   * Atomically adds `delta` (integer typecodes); wraps around on overflow
   * as C integers do.
   *
   * @param delta An integer (`bigint` for `q`/`Q`).
   * @returns The value before the addition.
   * @throws {TypeError} If the typecode is `f` or `d`, or `delta` has the
   * wrong type.
   *
   * @example Usage
   * ```ts
   * import { RawValue } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   *
   * const v = new RawValue("Q", 1n);
   * assert.equal(v.add(2n), 1n);
   * assert.equal(v.value, 3n);
   * ```
   */
  add(delta: ValueType<C>): ValueType<C> {
    const what = "Cannot add";
    checkAtomic(what, this.#t);
    assertLive();
    const d = checkDelta(what, this.#t, delta);
    return Atomics.add(this.#view as Int32Array, 0, d as number) as ValueType<
      C
    >;
  }

  /**
   * Atomically subtracts `delta` (integer typecodes); wraps around on
   * overflow as C integers do.
   *
   * @param delta An integer (`bigint` for `q`/`Q`).
   * @returns The value before the subtraction.
   * @throws {TypeError} If the typecode is `f` or `d`, or `delta` has the
   * wrong type.
   *
   * @example Usage
   * ```ts
   * import { RawValue } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   *
   * const v = new RawValue("i", 10);
   * assert.equal(v.sub(3), 10);
   * assert.equal(v.value, 7);
   * ```
   */
  sub(delta: ValueType<C>): ValueType<C> {
    const what = "Cannot sub";
    checkAtomic(what, this.#t);
    assertLive();
    const d = checkDelta(what, this.#t, delta);
    return Atomics.sub(this.#view as Int32Array, 0, d as number) as ValueType<
      C
    >;
  }

  /**
   * Atomically replaces the value (integer typecodes).
   *
   * @param value The new value.
   * @returns The value before.
   * @throws {TypeError} If the typecode is `f` or `d`, or `value` has the
   * wrong type.
   * @throws {RangeError} If `value` is out of range.
   *
   * @example Usage
   * ```ts
   * import { RawValue } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   *
   * const v = new RawValue("i", 1);
   * assert.equal(v.exchange(2), 1);
   * assert.equal(v.value, 2);
   * ```
   */
  exchange(value: ValueType<C>): ValueType<C> {
    const what = "Cannot exchange";
    checkAtomic(what, this.#t);
    assertLive();
    const checked = checkItem(what, this.#t, value);
    return Atomics.exchange(
      this.#view as Int32Array,
      0,
      checked as number,
    ) as ValueType<C>;
  }

  /**
   * Atomically replaces the value with `replacement` if it equals
   * `expected` (integer typecodes).
   *
   * @param expected The value expected.
   * @param replacement The value to write when it matches.
   * @returns The value before: equal to `expected` when the write happened.
   * @throws {TypeError} If the typecode is `f` or `d`, or an argument has
   * the wrong type.
   * @throws {RangeError} If an argument is out of range.
   *
   * @example Usage
   * ```ts
   * import { RawValue } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   *
   * const v = new RawValue("i", 1);
   * assert.equal(v.compareExchange(1, 5), 1);
   * assert.equal(v.compareExchange(1, 9), 5); // no match: unchanged
   * assert.equal(v.value, 5);
   * ```
   */
  compareExchange(
    expected: ValueType<C>,
    replacement: ValueType<C>,
  ): ValueType<C> {
    const what = "Cannot compareExchange";
    checkAtomic(what, this.#t);
    assertLive();
    const e = checkItem(what, this.#t, expected);
    const r = checkItem(what, this.#t, replacement);
    return Atomics.compareExchange(
      this.#view as Int32Array,
      0,
      e as number,
      r as number,
    ) as ValueType<C>;
  }

  /**
   * The descriptor this value crosses into a worker as. Internal.
   *
   * @returns The descriptor.
   *
   * @ignore Internal: the shared-object registry calls it.
   */
  [SHARE](): SharedDescriptor {
    const data: RawValueData = {
      typecode: this.#t.code,
      buffer: this.#view.buffer as SharedArrayBuffer,
      byteOffset: this.#view.byteOffset,
    };
    return { kind: "RawValue", module: import.meta.url, data };
  }

  /**
   * Custom inspect for `console.log` / `Deno.inspect`.
   *
   * @returns A short description.
   */
  [Symbol.for("Deno.customInspect")](): string {
    const v = this.#view[0];
    return `${this.constructor.name}("${this.#t.code}", ${
      typeof v === "bigint" ? `${v}n` : v
    })`;
  }
}

/**
 * One number in shared memory with a lock, as Python's
 * `multiprocessing.Value`. Passed to a {@linkcode Process} it arrives live,
 * with its lock.
 *
 * `value` reads and writes the memory directly and does not take the lock
 * (Python takes it for each single read or write, which does not make
 * `v.value += 1` atomic either). For a read-modify-write shared between
 * Processes, hold the lock around it (`using _ = v.getLock().holdSync();
 * v.value++`) or use the lock-free atomic operations of integer typecodes
 * (`v.add(1)`).
 *
 * @typeParam C The typecode; `value` is a `bigint` for `q`/`Q`, else a
 * `number`.
 *
 * @example Usage
 * ```ts
 * import { Value } from "@denomp/multiprocessing";
 * import assert from "node:assert/strict";
 *
 * const v = new Value("d", 0.5);
 * {
 *   using _ = v.getLock().holdSync();
 *   v.value += 1;
 * }
 * assert.equal(v.value, 1.5);
 * assert.equal(v.getObj().value, 1.5); // the raw value, same memory
 * ```
 *
 * @example Shared with Processes
 * ```ts
 * import { Process, Value } from "@denomp/multiprocessing";
 * import assert from "node:assert/strict";
 *
 * // The targets (exported functions) live in a fixture module.
 * const module = new URL("../tests/fixtures/shared_targets.ts", import.meta.url);
 * const v = new Value("i", 0);
 * const ps = [1, 2].map(() =>
 *   new Process({ target: "incrLocked", args: [v, 1000], module })
 * );
 * for (const p of ps) await p.start();
 * for (const p of ps) await p.join();
 * assert.equal(v.value, 2000);
 * ```
 */
export class Value<C extends Typecode = Typecode> extends RawValue<C> {
  #lock: Lock | RLock | null;

  /**
   * Creates a value and its lock.
   *
   * @param typecode One of `b B h H i I l L q Q f d` (see {@linkcode Typecode}).
   * @param initial The initial value; `0` (`0n` for `q`/`Q`) when left out.
   * @param options `lock`: `true` (a new RLock), `false`, or a lock to use.
   * @throws {TypeError} If the typecode is unknown, `initial` has the wrong
   * type, or `lock` is not a boolean, Lock or RLock.
   * @throws {RangeError} If `initial` is out of the typecode's range.
   */
  constructor(typecode: C, initial?: ValueType<C>, options?: ValueOptions) {
    // Options are checked before anything is allocated.
    const choice = adopt === null
      ? checkLockOption("Cannot create Value", options)
      : false;
    let lock: Lock | RLock | null;
    if (adoptLock !== undefined) {
      lock = adoptLock;
      adoptLock = undefined;
    } else if (choice === true) {
      // The value lives right after its own RLock in one buffer: one cache
      // line holds both, so a locked update moves one line between cores,
      // not two.
      const buffer = new SharedArrayBuffer(VALUE_OFFSET + 8);
      lock = reviveDescriptor({
        kind: "RLock",
        module: "",
        data: buffer,
      }) as RLock;
      adopt = { buffer, byteOffset: VALUE_OFFSET, fresh: true };
    } else {
      lock = makeLock(choice);
    }
    super(typecode, initial);
    this.#lock = lock;
  }

  /**
   * The lock that guards this value.
   *
   * @returns The `Lock` or `RLock` given in the options, or the RLock made
   * for this value.
   * @throws {TypeError} If the value was created with `lock: false`.
   *
   * @example Usage
   * ```ts
   * import { Lock, Value } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   *
   * const lock = new Lock();
   * const v = new Value("i", 0, { lock });
   * assert.equal(v.getLock(), lock);
   * ```
   */
  getLock(): Lock | RLock {
    if (this.#lock === null) {
      throw new TypeError(
        "Cannot get lock: this Value was created with lock: false",
      );
    }
    return this.#lock;
  }

  /**
   * The raw value underneath: a {@linkcode RawValue} over the same memory,
   * without the lock (Python's `get_obj()`).
   *
   * @returns The raw value.
   *
   * @example Usage
   * ```ts
   * import { Value } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   *
   * const v = new Value("i", 3);
   * v.getObj().value = 4;
   * assert.equal(v.value, 4);
   * ```
   */
  getObj(): RawValue<C> {
    const view = viewOf(this);
    adopt = {
      buffer: view.buffer as SharedArrayBuffer,
      byteOffset: view.byteOffset,
    };
    return new RawValue(this.typecode);
  }

  /**
   * The descriptor this value crosses into a worker as. Internal.
   *
   * @returns The descriptor.
   *
   * @ignore Internal: the shared-object registry calls it.
   */
  override [SHARE](): SharedDescriptor {
    const raw = super[SHARE]().data as RawValueData;
    const data: ValueData = {
      ...raw,
      lock: this.#lock === null ? null : this.#lock[SHARE](),
    };
    return { kind: "Value", module: import.meta.url, data };
  }
}

registerShareable("RawValue", (data) => {
  const d = data as RawValueData;
  adopt = { buffer: d.buffer, byteOffset: d.byteOffset };
  return new RawValue(d.typecode);
});

registerShareable("Value", (data) => {
  const d = data as ValueData;
  const lock = d.lock === null
    ? null
    : reviveDescriptor(d.lock) as Lock | RLock;
  adopt = { buffer: d.buffer, byteOffset: d.byteOffset };
  adoptLock = lock;
  return new Value(d.typecode);
});
