// Copyright 2026 the denomp authors. MIT license.
// How values stored in the Manager are written in JSON: plain JSON, plus a
// few tagged objects for what JSON cannot say. This is the one place that
// turns values into wire trees and back, so it can be swapped for the
// toolkit's shared codec later. Private.
//
// A tagged object is an object with an own key "$" naming the tag:
//   {"$":"u"}                    undefined
//   {"$":"i","v":"123"}          bigint (decimal string)
//   {"$":"f","v":"NaN"}          NaN, "Infinity" or "-Infinity"
//   {"$":"d","v":1700000000000}  Date (epoch ms; null for an invalid date)
//   {"$":"m","v":[[k,v],...]}    Map (keys and values encoded)
//   {"$":"s","v":[v,...]}        Set
//   {"$":"b","v":"AAEC"}         Uint8Array (base64)
//   {"$":"o","v":{...}}          a plain object that itself has a key "$"
// Objects without a "$" key and arrays are themselves. The server stores
// these trees as they are and never needs to understand the tags.

import { fromBase64, toBase64 } from "../net/frame.ts";

const UNDEFINED_TAG = Object.freeze({ $: "u" });

/**
 * Sets an own data property, even for the key `"__proto__"` (a plain
 * assignment would set the prototype instead).
 */
export function setOwn(
  target: Record<string, unknown>,
  key: string,
  value: unknown,
): void {
  if (key === "__proto__") {
    Object.defineProperty(target, key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  } else {
    target[key] = value;
  }
}

/**
 * Turns a value into its JSON-ready tree. Returns the value itself when
 * nothing in it needs a tag.
 *
 * @throws {TypeError} for a function, a symbol, a cycle, a class instance or
 * a shared object, naming where it was found; nothing is sent then.
 */
export function encodeValue(value: unknown, what: string): unknown {
  switch (typeof value) {
    case "string":
    case "boolean":
      return value;
    case "number":
      return Number.isFinite(value) ? value : { $: "f", v: String(value) };
    case "undefined":
      return UNDEFINED_TAG;
    default:
      return encodeDeep(value, what, "value", new Set());
  }
}

function encodeDeep(
  value: unknown,
  what: string,
  path: string,
  stack: Set<object>,
): unknown {
  switch (typeof value) {
    case "string":
    case "boolean":
      return value;
    case "number":
      return Number.isFinite(value) ? value : { $: "f", v: String(value) };
    case "undefined":
      return UNDEFINED_TAG;
    case "bigint":
      return { $: "i", v: value.toString() };
    case "function":
    case "symbol":
      throw new TypeError(
        `${what}: ${path} of type ${typeof value} cannot be stored in the manager`,
      );
  }
  if (value === null) return null;
  const object = value as object;
  if (stack.has(object)) {
    throw new TypeError(
      `${what}: ${path} is a circular reference and cannot be stored in the manager`,
    );
  }
  stack.add(object);
  try {
    if (Array.isArray(object)) {
      let copy: unknown[] | null = null;
      for (let i = 0; i < object.length; i++) {
        const item = object[i];
        const next = encodeDeep(item, what, `${path}[${i}]`, stack);
        if (next !== item || !(i in object)) {
          copy ??= object.slice();
          copy[i] = next;
        }
      }
      return copy ?? object;
    }
    const proto = Object.getPrototypeOf(object);
    if (proto === Object.prototype || proto === null) {
      const record = object as Record<string, unknown>;
      if (Object.getOwnPropertySymbols(record).length > 0) {
        throw new TypeError(
          `${what}: ${path} has a symbol key and cannot be stored in the manager`,
        );
      }
      let copy: Record<string, unknown> | null = null;
      for (const key of Object.keys(record)) {
        const item = record[key];
        const next = encodeDeep(item, what, `${path}.${key}`, stack);
        if (next !== item) {
          copy ??= { ...record };
          setOwn(copy, key, next);
        }
      }
      const out = copy ?? record;
      return Object.hasOwn(out, "$") ? { $: "o", v: out } : out;
    }
    if (object instanceof Date) {
      const time = object.getTime();
      return { $: "d", v: Number.isNaN(time) ? null : time };
    }
    if (object instanceof Map) {
      const entries: unknown[] = [];
      let i = 0;
      for (const [k, v] of object) {
        entries.push([
          encodeDeep(k, what, `${path} key ${i}`, stack),
          encodeDeep(v, what, `${path} value ${i}`, stack),
        ]);
        i++;
      }
      return { $: "m", v: entries };
    }
    if (object instanceof Set) {
      const items: unknown[] = [];
      let i = 0;
      for (const v of object) {
        items.push(encodeDeep(v, what, `${path} item ${i++}`, stack));
      }
      return { $: "s", v: items };
    }
    if (object instanceof Uint8Array) {
      return { $: "b", v: toBase64(object) };
    }
    const name = (proto as { constructor?: { name?: string } })?.constructor
      ?.name ?? "object";
    throw new TypeError(
      `${what}: ${path} is a ${name}, which cannot be stored in the manager (use plain objects, arrays, Map, Set, Date, Uint8Array and primitives)`,
    );
  } finally {
    stack.delete(object);
  }
}

/** Turns a wire tree back into a value (in place where it can). */
export function decodeValue(tree: unknown): unknown {
  if (typeof tree !== "object" || tree === null) return tree;
  if (Array.isArray(tree)) {
    for (let i = 0; i < tree.length; i++) {
      const item = tree[i];
      if (typeof item === "object" && item !== null) {
        tree[i] = decodeValue(item);
      }
    }
    return tree;
  }
  const record = tree as Record<string, unknown>;
  if (Object.hasOwn(record, "$")) return decodeTagged(record);
  decodeFields(record);
  return record;
}

function decodeFields(record: Record<string, unknown>): void {
  for (const key of Object.keys(record)) {
    const item = record[key];
    if (typeof item === "object" && item !== null) {
      setOwn(record, key, decodeValue(item));
    }
  }
}

function decodeTagged(record: Record<string, unknown>): unknown {
  const v = record.v;
  switch (record.$) {
    case "u":
      return undefined;
    case "i":
      return BigInt(v as string);
    case "f":
      return Number(v);
    case "d":
      return new Date(v === null ? NaN : v as number);
    case "m":
      return new Map(
        (v as [unknown, unknown][]).map(([k, x]) => [
          decodeValue(k),
          decodeValue(x),
        ]),
      );
    case "s":
      return new Set((v as unknown[]).map(decodeValue));
    case "b":
      return fromBase64(v as string);
    case "o":
      decodeFields(v as Record<string, unknown>);
      return v;
    default:
      // Not one of ours: leave it as data.
      decodeFields(record);
      return record;
  }
}
