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
//   {"$":"p","v":"<id>"}         a proxy of this manager (the server answers
//                                {"$":"p","v":{"id","kind",...}})
// Objects without a "$" key and arrays are themselves. The server stores
// these trees as they are: it only looks for proxies (to count references)
// and, for registered types, decodes what user code receives.

import { fromBase64, toBase64 } from "../net/frame.ts";

const UNDEFINED_TAG = Object.freeze({ $: "u" });

/** What the codec knows of a proxy: its object and its manager. */
export interface ProxyIdentity {
  /** The object's id on its manager. */
  readonly id: string;
  /** Identifies the manager (address and authkey). */
  readonly manager: string;
}

const proxies = new WeakMap<object, ProxyIdentity>();

/** Marks `holder` as a proxy, so that values holding it encode it as one. */
export function markProxy(holder: object, identity: ProxyIdentity): void {
  proxies.set(holder, identity);
}

/** The identity of a proxy, or `undefined` for anything else. */
export function proxyIdentity(value: unknown): ProxyIdentity | undefined {
  return typeof value === "object" && value !== null
    ? proxies.get(value)
    : undefined;
}

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
export function encodeValue(
  value: unknown,
  what: string,
  manager?: string,
): unknown {
  switch (typeof value) {
    case "string":
    case "boolean":
      return value;
    case "number":
      return Number.isFinite(value) ? value : { $: "f", v: String(value) };
    case "undefined":
      return UNDEFINED_TAG;
    default:
      return encodeDeep(value, what, "value", new Set(), manager);
  }
}

function encodeDeep(
  value: unknown,
  what: string,
  path: string,
  stack: Set<object>,
  manager: string | undefined,
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
  const proxy = proxies.get(object);
  if (proxy !== undefined) {
    if (manager !== undefined && proxy.manager !== manager) {
      throw new TypeError(
        `${what}: ${path} is a proxy of another manager; only proxies of this manager can be stored in it`,
      );
    }
    return { $: "p", v: proxy.id };
  }
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
        const next = encodeDeep(item, what, `${path}[${i}]`, stack, manager);
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
        const next = encodeDeep(item, what, `${path}.${key}`, stack, manager);
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
          encodeDeep(k, what, `${path} key ${i}`, stack, manager),
          encodeDeep(v, what, `${path} value ${i}`, stack, manager),
        ]);
        i++;
      }
      return { $: "m", v: entries };
    }
    if (object instanceof Set) {
      const items: unknown[] = [];
      let i = 0;
      for (const v of object) {
        items.push(encodeDeep(v, what, `${path} item ${i++}`, stack, manager));
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

/** Turns a proxy tag's `v` into a live value (a proxy, or its object). */
export type ProxyReviver = (v: unknown) => unknown;

/**
 * Turns a wire tree back into a value (in place where it can). Proxy tags
 * go through `proxy`; without one they stay as they are.
 */
export function decodeValue(tree: unknown, proxy?: ProxyReviver): unknown {
  if (typeof tree !== "object" || tree === null) return tree;
  if (Array.isArray(tree)) {
    for (let i = 0; i < tree.length; i++) {
      const item = tree[i];
      if (typeof item === "object" && item !== null) {
        tree[i] = decodeValue(item, proxy);
      }
    }
    return tree;
  }
  const record = tree as Record<string, unknown>;
  if (Object.hasOwn(record, "$")) return decodeTagged(record, proxy);
  decodeFields(record, proxy);
  return record;
}

function decodeFields(
  record: Record<string, unknown>,
  proxy: ProxyReviver | undefined,
): void {
  for (const key of Object.keys(record)) {
    const item = record[key];
    if (typeof item === "object" && item !== null) {
      setOwn(record, key, decodeValue(item, proxy));
    }
  }
}

function decodeTagged(
  record: Record<string, unknown>,
  proxy: ProxyReviver | undefined,
): unknown {
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
          decodeValue(k, proxy),
          decodeValue(x, proxy),
        ]),
      );
    case "s":
      return new Set((v as unknown[]).map((x) => decodeValue(x, proxy)));
    case "b":
      return fromBase64(v as string);
    case "o":
      decodeFields(v as Record<string, unknown>, proxy);
      return v;
    case "p":
      return proxy === undefined ? record : proxy(v);
    default:
      // Not one of ours: leave it as data.
      decodeFields(record, proxy);
      return record;
  }
}
