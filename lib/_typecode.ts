// Copyright 2026 the denomp authors. MIT license.
// Python's array/ctypes typecodes mapped onto typed arrays, and the checks
// every Value and Array write goes through. Private.

import type { AnyTypedArray, Typecode } from "./value.ts";
import { describe } from "./_wait.ts";

type TypedArrayConstructor = {
  new (
    buffer: ArrayBufferLike,
    byteOffset: number,
    length: number,
  ): AnyTypedArray;
  readonly BYTES_PER_ELEMENT: number;
};

/** What the code needs to know about one typecode. */
export interface TypecodeInfo {
  readonly code: Typecode;
  readonly ctor: TypedArrayConstructor;
  readonly size: number;
  /** 0 = float, 1 = integer held as number, 2 = integer held as bigint. */
  readonly kind: 0 | 1 | 2;
  readonly min: number | bigint;
  readonly max: number | bigint;
}

function info(
  code: Typecode,
  ctor: TypedArrayConstructor,
  kind: 0 | 1 | 2,
  min: number | bigint,
  max: number | bigint,
): TypecodeInfo {
  return { code, ctor, size: ctor.BYTES_PER_ELEMENT, kind, min, max };
}

const TABLE: Readonly<Record<Typecode, TypecodeInfo>> = {
  b: info("b", Int8Array, 1, -128, 127),
  B: info("B", Uint8Array, 1, 0, 255),
  h: info("h", Int16Array, 1, -32768, 32767),
  H: info("H", Uint16Array, 1, 0, 65535),
  i: info("i", Int32Array, 1, -2147483648, 2147483647),
  I: info("I", Uint32Array, 1, 0, 4294967295),
  // `l`/`L` are 32-bit: a C `long` is 32 bits on Windows (and in Python's
  // `array` module's guaranteed minimum), and a 32-bit value fits a `number`
  // exactly. Use `q`/`Q` for 64 bits.
  l: info("l", Int32Array, 1, -2147483648, 2147483647),
  L: info("L", Uint32Array, 1, 0, 4294967295),
  q: info("q", BigInt64Array, 2, -(2n ** 63n), 2n ** 63n - 1n),
  Q: info("Q", BigUint64Array, 2, 0n, 2n ** 64n - 1n),
  f: info("f", Float32Array, 0, -Infinity, Infinity),
  d: info("d", Float64Array, 0, -Infinity, Infinity),
};

/** Looks a typecode up, or throws a `TypeError` naming the valid ones. */
export function typecodeInfo(what: string, typecode: unknown): TypecodeInfo {
  if (typeof typecode === "string" && Object.hasOwn(TABLE, typecode)) {
    return TABLE[typecode as Typecode];
  }
  throw new TypeError(
    `${what}: typecode must be one of b B h H i I l L q Q f d, received ${
      describe(typecode)
    }`,
  );
}

/**
 * Checks that `value` fits the typecode; returns it unchanged. Throws a
 * `TypeError` for a wrong type (a string into `d`, a number into `q`, 1.5
 * into `i`) and a `RangeError` for an integer outside the type's range.
 */
export function checkItem(
  what: string,
  t: TypecodeInfo,
  value: unknown,
): number | bigint {
  if (t.kind === 0) {
    if (typeof value === "number") return value;
  } else if (t.kind === 1) {
    if (typeof value === "number" && Number.isInteger(value)) {
      if (value < (t.min as number) || value > (t.max as number)) {
        throw rangeError(what, t, value);
      }
      return value;
    }
  } else if (typeof value === "bigint") {
    if (value < (t.min as bigint) || value > (t.max as bigint)) {
      throw rangeError(what, t, value);
    }
    return value;
  }
  throw new TypeError(
    `${what}: typecode "${t.code}" needs ${needs(t)}, received ${
      describe(value)
    }`,
  );
}

/**
 * Checks an operand of an atomic operation (`add`, `sub`): any integer of
 * the right JavaScript type; the result wraps around as C integers do.
 */
export function checkDelta(
  what: string,
  t: TypecodeInfo,
  value: unknown,
): number | bigint {
  if (
    t.kind === 1 && typeof value === "number" && Number.isSafeInteger(value)
  ) {
    return value;
  }
  if (t.kind === 2 && typeof value === "bigint") return value;
  throw new TypeError(
    `${what}: typecode "${t.code}" needs ${
      t.kind === 2 ? "a bigint" : "a safe integer"
    }, received ${describe(value)}`,
  );
}

/** Throws unless the typecode is an integer type (atomics need one). */
export function checkAtomic(what: string, t: TypecodeInfo): void {
  if (t.kind === 0) {
    throw new TypeError(
      `${what}: atomic operations need an integer typecode, received "${t.code}"`,
    );
  }
}

function needs(t: TypecodeInfo): string {
  if (t.kind === 0) return "a number";
  if (t.kind === 2) return "a bigint";
  return "an integer number";
}

function rangeError(
  what: string,
  t: TypecodeInfo,
  value: number | bigint,
): RangeError {
  return new RangeError(
    `${what}: typecode "${t.code}" holds integers from ${t.min} to ${t.max}, received ${value}`,
  );
}

/** The zero of a typecode (`0` or `0n`). */
export function zeroOf(t: TypecodeInfo): number | bigint {
  return t.kind === 2 ? 0n : 0;
}

/**
 * Normalises an index with Python's negative indices; a `TypeError` for a
 * non-integer, a `RangeError` when out of range.
 */
export function checkIndex(
  what: string,
  index: unknown,
  length: number,
): number {
  if (typeof index !== "number" || !Number.isInteger(index)) {
    throw new TypeError(
      `${what}: index must be an integer, received ${describe(index)}`,
    );
  }
  const i = index < 0 ? index + length : index;
  if (i < 0 || i >= length) {
    throw new RangeError(
      `${what}: index must be from ${-length} to ${
        length - 1
      }, received ${index}`,
    );
  }
  return i;
}
