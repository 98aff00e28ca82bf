// Copyright 2026 the denomp authors. MIT license.
// The Manager server's data kinds: dict, list, namespace, value and array.
// Values are kept as wire trees (never decoded), with the proxies inside
// them counted (lib/manager/objects.ts). Private.
//
// Dict keys are any key the client can encode - strings, numbers, bigints,
// booleans, null, undefined, Dates, bytes and arrays of those (Python's
// tuples) - kept distinct by type: 1, "1", 1n and true are four keys. A
// key's wire tree is turned into one Map key string: a string stands for
// itself (unless it starts with "\0", then "\0s" + it), anything else is
// "\0" + the JSON of its normalised tree. Plain strings, the common case,
// cost nothing.

import { loadTarget, type TargetRef } from "../_target.ts";
import { checkItem, type TypecodeInfo, typecodeInfo } from "../_typecode.ts";
import { decodeValue, encodeValue } from "./codec.ts";
import { MAX_ARRAY_LENGTH } from "./rpc.ts";
import {
  adoptTree,
  arr,
  deepEqual,
  detach,
  hold,
  index,
  int,
  kinds,
  lend,
  lendTree,
  type Method,
  named,
  on,
  ParamsError,
  record,
  str,
  type Tagged,
  UNDEFINED,
  unhold,
} from "./objects.ts";

// ---------------------------------------------------------------------------
// Keys

const KEY_SHAPES =
  "a string, number, bigint, boolean, null, undefined, Date, Uint8Array or an array of those";

function normalizeKey(tree: unknown, depth: number): unknown {
  switch (typeof tree) {
    case "string":
    case "boolean":
      return tree;
    case "number":
      return tree === 0 ? 0 : tree; // -0 and 0 are one key
    case "object":
      break;
    default:
      throw new ParamsError(`a key must be ${KEY_SHAPES}`);
  }
  if (tree === null) return null;
  if (depth > 100) throw new ParamsError("a key is nested too deeply");
  if (Array.isArray(tree)) return tree.map((t) => normalizeKey(t, depth + 1));
  const t = tree as Record<string, unknown>;
  const v = t.v;
  switch (t.$) {
    case "u":
      return { $: "u" };
    case "i":
      if (typeof v === "string" && /^-?\d{1,10000}$/.test(v)) {
        return { $: "i", v: BigInt(v).toString() };
      }
      break;
    case "f":
      if (v === "NaN" || v === "Infinity" || v === "-Infinity") {
        return { $: "f", v };
      }
      break;
    case "d":
      if (v === null || (typeof v === "number" && Number.isFinite(v))) {
        return { $: "d", v };
      }
      break;
    case "b":
      if (typeof v === "string" && /^[A-Za-z0-9+/]*={0,2}$/.test(v)) {
        return { $: "b", v };
      }
      break;
  }
  throw new ParamsError(`a key must be ${KEY_SHAPES}`);
}

/** The Map key standing for a dict key's wire tree. */
export function keyOf(tree: unknown): string {
  if (typeof tree === "string") {
    return tree.charCodeAt(0) === 0 ? `\0s${tree}` : tree;
  }
  return `\0${JSON.stringify(normalizeKey(tree, 0))}`;
}

/** The wire tree of the dict key a Map key stands for. */
export function keyTree(key: string): unknown {
  if (key.charCodeAt(0) !== 0) return key;
  if (key.charCodeAt(1) === 0x73) return key.slice(2);
  return JSON.parse(key.slice(1));
}

// ---------------------------------------------------------------------------
// Ordering (list.sort)

function rank(tree: unknown): string {
  switch (typeof tree) {
    case "number":
    case "boolean":
      return "number";
    case "string":
      return "string";
  }
  if (Array.isArray(tree)) return "array";
  if (typeof tree === "object" && tree !== null) {
    switch ((tree as Record<string, unknown>).$) {
      case "i":
      case "f":
        return "number";
      case "d":
        return "Date";
      case "b":
        return "Uint8Array";
    }
  }
  return typeName(tree);
}

function typeName(tree: unknown): string {
  if (tree === null) return "null";
  if (typeof tree !== "object") return typeof tree;
  if (Array.isArray(tree)) return "array";
  const tag = (tree as Record<string, unknown>).$;
  switch (tag) {
    case "u":
      return "undefined";
    case "m":
      return "Map";
    case "s":
      return "Set";
    case "p":
      return "proxy";
  }
  return "object";
}

function numberOf(tree: unknown): number | bigint {
  if (typeof tree === "number") return tree;
  if (typeof tree === "boolean") return tree ? 1 : 0;
  const t = tree as { $: string; v: unknown };
  return t.$ === "i" ? BigInt(t.v as string) : Number(t.v);
}

function bytesOf(tree: unknown): string {
  return atob((tree as { v: string }).v);
}

/**
 * Orders two wire trees as Python orders values: numbers (bigints and
 * booleans among them) by value, strings by UTF-16 code units, Dates by
 * time, bytes by bytes, arrays item by item; anything else, or two values
 * of different kinds, cannot be ordered (a `TypeError`, as Python's).
 */
export function compareTrees(a: unknown, b: unknown): number {
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb || !ORDERED.has(ra)) {
    throw named(
      "TypeError",
      `Cannot sort: '<' is not supported between ${typeName(a)} and ${
        typeName(b)
      }`,
    );
  }
  switch (ra) {
    case "number": {
      const x = numberOf(a);
      const y = numberOf(b);
      return x < y ? -1 : x > y ? 1 : 0;
    }
    case "string":
      return (a as string) < (b as string)
        ? -1
        : (a as string) > (b as string)
        ? 1
        : 0;
    case "Date": {
      const x = (a as { v: number | null }).v ?? NaN;
      const y = (b as { v: number | null }).v ?? NaN;
      return x < y ? -1 : x > y ? 1 : 0;
    }
    case "Uint8Array": {
      const x = bytesOf(a);
      const y = bytesOf(b);
      return x < y ? -1 : x > y ? 1 : 0;
    }
    default: {
      const x = a as unknown[];
      const y = b as unknown[];
      const n = Math.min(x.length, y.length);
      for (let i = 0; i < n; i++) {
        const c = compareTrees(x[i], y[i]);
        if (c !== 0) return c;
      }
      return x.length - y.length;
    }
  }
}

const ORDERED = new Set(["number", "string", "Date", "Uint8Array", "array"]);

/** Follows a key path (property names and indexes) into a wire tree. */
function atPath(tree: unknown, path: (string | number)[], i: number): unknown {
  let at = tree;
  for (const step of path) {
    if (typeof at === "object" && at !== null && !Array.isArray(at)) {
      const r = at as Record<string, unknown>;
      if (r.$ === "o") at = r.v;
    }
    if (typeof step === "number" && Array.isArray(at)) {
      const n = step < 0 ? at.length + step : step;
      if (n >= 0 && n < at.length) {
        at = at[n];
        continue;
      }
    } else if (
      typeof step === "string" && typeof at === "object" && at !== null &&
      !Array.isArray(at) && !Object.hasOwn(at, "$") && Object.hasOwn(at, step)
    ) {
      at = (at as Record<string, unknown>)[step];
      continue;
    }
    throw named(
      "RangeError",
      `Cannot sort: item ${i} has nothing at key ${JSON.stringify(path)}`,
    );
  }
  return at;
}

/** A sort key as the client sends it: a path, or a function by reference. */
type SortKey = null | { path: (string | number)[] } | { fn: TargetRef };

function sortKey(value: unknown): SortKey {
  if (value === null || value === undefined) return null;
  if (typeof value === "object" && !Array.isArray(value)) {
    const v = value as Record<string, unknown>;
    if (Array.isArray(v.path)) {
      for (const step of v.path) {
        if (typeof step !== "string" && !Number.isSafeInteger(step)) {
          throw new ParamsError("a key path holds property names and indexes");
        }
      }
      return { path: v.path as (string | number)[] };
    }
    const fn = v.fn as Record<string, unknown> | undefined;
    if (
      typeof fn === "object" && fn !== null && typeof fn.module === "string" &&
      typeof fn.name === "string" &&
      (fn.source === null || typeof fn.source === "string")
    ) {
      return { fn: fn as unknown as TargetRef };
    }
  }
  throw new ParamsError("key must be null, { path } or { fn }");
}

/** Sorts the list in place, atomically; `fn` is a loaded key function. */
function sortItems(
  s: ListState,
  key: SortKey,
  fn: ((item: unknown) => unknown) | null,
  reverse: boolean,
): null {
  const items = s.items;
  let keys: unknown[] = items;
  if (fn !== null) {
    // The function gets a copy of each item, decoded; its answer is
    // encoded back so that one ordering rule applies.
    keys = items.map((item) =>
      encodeValue(fn(decodeValue(structuredClone(item))), "Cannot sort")
    );
  } else if (key !== null && "path" in key) {
    keys = items.map((item, i) => atPath(item, key.path, i));
  }
  // Sorts positions, so that a comparison that throws leaves the list as
  // it was; V8's sort is stable, and so is the reversed order.
  const order = items.map((_, i) => i);
  order.sort((i, j) =>
    reverse ? compareTrees(keys[j], keys[i]) : compareTrees(keys[i], keys[j])
  );
  s.items = order.map((i) => items[i]);
  return null;
}

// ---------------------------------------------------------------------------
// The kinds

interface DictState extends Tagged {
  map: Map<string, unknown>;
}

interface ListState extends Tagged {
  items: unknown[];
}

interface ValueState extends Tagged {
  typecode: string;
  value: unknown;
}

interface ArrayState {
  info: TypecodeInfo;
  data: ArrayLike<number | bigint> & { [i: number]: number | bigint };
}

/** Sets `key` in a dict, giving back what the old value held. */
function dictSet(s: DictState, key: string, value: unknown): void {
  const old = s.map.get(key);
  s.map.set(key, hold(s, value));
  if (old !== undefined) unhold(s, old);
}

/** Entries from an `init`/`update` argument: an object, or key/value pairs. */
function* pairsOf(value: unknown, what: string): Iterable<[string, unknown]> {
  if (Array.isArray(value)) {
    for (const pair of value) {
      if (!Array.isArray(pair) || pair.length !== 2) {
        throw new ParamsError(`${what} pairs must be [key, value] arrays`);
      }
      yield [keyOf(pair[0]), pair[1]];
    }
    return;
  }
  const r = record(value, what);
  for (const k of Object.keys(r)) yield [keyOf(k), r[k]];
}

/**
 * Stores every pair, after checking them all (a bad one stores none). The
 * new values take their references before the old ones give theirs back,
 * so an object moving from one key to another never goes in between.
 */
function dictUpdate(s: DictState, value: unknown, what: string): void {
  const pairs = [...pairsOf(value, what)];
  adoptTree(pairs.map((p) => p[1]), false);
  const held = pairs.map(([k, v]) => [k, hold(s, v)] as const);
  const old: unknown[] = [];
  for (const [k, v] of held) {
    const before = s.map.get(k);
    if (before !== undefined) old.push(before);
    s.map.set(k, v);
  }
  for (const v of old) unhold(s, v);
}

/** Builds an object from a map; null prototype so "__proto__" is data. */
function objectOf(map: Map<string, unknown>, what: string): unknown {
  const out = Object.create(null) as Record<string, unknown>;
  for (const [k, v] of map) {
    const key = keyTree(k);
    if (typeof key !== "string") {
      throw named(
        "TypeError",
        `${what}: the key ${
          JSON.stringify(key)
        } is not a string; use entries() or toMap()`,
      );
    }
    out[key] = v;
  }
  return Object.hasOwn(out, "$") ? { $: "o", v: out } : out;
}

/** Stores many items, after checking them all (a bad one stores none). */
function holdEach(s: Tagged, items: unknown[]): unknown[] {
  adoptTree(items, false);
  return items.map((item) => hold(s, item));
}

/** A default sent by the client, answered as it is (with its proxies). */
function fallback(value: unknown): unknown {
  const { value: out, tags } = adoptTree(value, false);
  if (tags > 0) lendTree(out);
  return out;
}

function arrayItem(
  s: ArrayState,
  tree: unknown,
  what: string,
): number | bigint {
  let value: unknown = tree;
  if (typeof tree === "object" && tree !== null) {
    const t = tree as Record<string, unknown>;
    if (t.$ === "i" && typeof t.v === "string") value = BigInt(t.v);
    else if (t.$ === "f" && typeof t.v === "string") value = Number(t.v);
  }
  return checkItem(what, s.info, value);
}

function arrayTree(value: number | bigint): unknown {
  return encodeValue(value, "Cannot read array");
}

function bound(value: unknown, what: string): number | undefined {
  return value === undefined || value === null ? undefined : int(value, what);
}

kinds.set("dict", {
  create(args) {
    const s: DictState = { map: new Map(), tagged: 0 };
    if (args[0] !== undefined) dictUpdate(s, args[0], "init");
    return s;
  },
  held: (s) => (s as DictState).map.values(),
});

kinds.set("list", {
  create(args) {
    const s: ListState = { items: [], tagged: 0 };
    if (args[0] !== undefined) s.items = holdEach(s, arr(args[0], "init"));
    return s;
  },
  held: (s) => (s as ListState).items,
});

kinds.set("namespace", {
  create(args) {
    const s: DictState = { map: new Map(), tagged: 0 };
    if (args[0] !== undefined) dictUpdate(s, record(args[0], "init"), "init");
    return s;
  },
  held: (s) => (s as DictState).map.values(),
});

kinds.set("value", {
  create(args) {
    const s: ValueState = {
      typecode: str(args[0], "typecode"),
      value: 0,
      tagged: 0,
    };
    s.value = hold(s, args.length > 1 ? args[1] : 0);
    return s;
  },
  held: (s) => [(s as ValueState).value],
});

kinds.set("array", {
  create(args) {
    let info: TypecodeInfo;
    try {
      info = typecodeInfo("Cannot create array", args[0]);
    } catch (error) {
      throw new ParamsError((error as Error).message);
    }
    const init = args[1];
    const s: ArrayState = {
      info,
      data: new info.ctor(new ArrayBuffer(0), 0, 0),
    };
    if (typeof init === "number") {
      const n = int(init, "size");
      if (n < 0 || n > MAX_ARRAY_LENGTH) {
        throw new ParamsError("size is out of range");
      }
      s.data = new info.ctor(new ArrayBuffer(n * info.size), 0, n);
    } else {
      const items = arr(init, "init");
      s.data = new info.ctor(
        new ArrayBuffer(items.length * info.size),
        0,
        items.length,
      );
      items.forEach((item, i) => {
        s.data[i] = arrayItem(s, item, "Cannot create array");
      });
    }
    return s;
  },
});

/** The data kinds' methods. */
export const DATA_METHODS: [string, Method][] = [
  // dict: a Map, so any key ("__proto__" included) is plain data.
  [
    "dict.get",
    on<DictState>("dict", (s, a) => {
      const value = s.map.get(keyOf(a[0]));
      if (value !== undefined) return lend(s, value);
      return a.length > 1 ? fallback(a[1]) : UNDEFINED;
    }),
  ],
  [
    "dict.set",
    on<DictState>("dict", (s, a) => {
      dictSet(s, keyOf(a[0]), a.length > 1 ? a[1] : UNDEFINED);
      return null;
    }),
  ],
  ["dict.has", on<DictState>("dict", (s, a) => s.map.has(keyOf(a[0])))],
  [
    "dict.delete",
    on<DictState>("dict", (s, a) => {
      const key = keyOf(a[0]);
      const old = s.map.get(key);
      if (old === undefined) return false;
      s.map.delete(key);
      unhold(s, old);
      return true;
    }),
  ],
  ["dict.keys", on<DictState>("dict", (s) => [...s.map.keys()].map(keyTree))],
  ["dict.values", on<DictState>("dict", (s) => lend(s, [...s.map.values()]))],
  [
    "dict.entries",
    on<DictState>(
      "dict",
      (s) => lend(s, [...s.map].map(([k, v]) => [keyTree(k), v])),
    ),
  ],
  ["dict.size", on<DictState>("dict", (s) => s.map.size)],
  [
    "dict.update",
    on<DictState>("dict", (s, a) => {
      dictUpdate(s, a[0], "update");
      return null;
    }),
  ],
  [
    "dict.clear",
    on<DictState>("dict", (s) => {
      const old = [...s.map.values()];
      s.map.clear();
      for (const value of old) unhold(s, value);
      return null;
    }),
  ],
  [
    "dict.pop",
    on<DictState>("dict", (s, a) => {
      const key = keyOf(a[0]);
      const value = s.map.get(key);
      if (value !== undefined) {
        s.map.delete(key);
        return detach(s, value);
      }
      if (a.length > 1) return fallback(a[1]);
      throw named(
        "RangeError",
        `Cannot pop key: ${JSON.stringify(keyTree(key))} is not in the dict`,
      );
    }),
  ],
  [
    "dict.popitem",
    on<DictState>("dict", (s) => {
      let last: [string, unknown] | undefined;
      for (const entry of s.map) last = entry;
      if (last === undefined) {
        throw named("RangeError", "Cannot pop item: the dict is empty");
      }
      s.map.delete(last[0]);
      return [keyTree(last[0]), detach(s, last[1])];
    }),
  ],
  [
    "dict.setdefault",
    on<DictState>("dict", (s, a) => {
      const key = keyOf(a[0]);
      if (!s.map.has(key)) dictSet(s, key, a.length > 1 ? a[1] : UNDEFINED);
      return lend(s, s.map.get(key));
    }),
  ],
  [
    "dict.toObject",
    on<DictState>("dict", (s) => lend(s, objectOf(s.map, "Cannot copy dict"))),
  ],

  // list
  [
    "list.append",
    on<ListState>("list", (s, a) => {
      s.items.push(hold(s, a.length > 0 ? a[0] : UNDEFINED));
      return null;
    }),
  ],
  [
    "list.extend",
    on<ListState>("list", (s, a) => {
      for (const item of holdEach(s, arr(a[0], "items"))) s.items.push(item);
      return null;
    }),
  ],
  [
    "list.get",
    on<ListState>(
      "list",
      (s, a) => lend(s, s.items[index(s.items, a[0], "get item")]),
    ),
  ],
  [
    "list.set",
    on<ListState>("list", (s, a) => {
      const at = index(s.items, a[0], "set item");
      const old = s.items[at];
      s.items[at] = hold(s, a.length > 1 ? a[1] : UNDEFINED);
      unhold(s, old);
      return null;
    }),
  ],
  ["list.length", on<ListState>("list", (s) => s.items.length)],
  [
    "list.pop",
    on<ListState>("list", (s, a) => {
      const l = s.items;
      if (l.length === 0) {
        throw named("RangeError", "Cannot pop: list is empty");
      }
      const at = a[0] === undefined || a[0] === null
        ? l.length - 1
        : index(l, a[0], "pop");
      return detach(s, l.splice(at, 1)[0]);
    }),
  ],
  [
    "list.insert",
    on<ListState>("list", (s, a) => {
      const l = s.items;
      const n = int(a[0], "index");
      const at = n < 0 ? Math.max(0, l.length + n) : Math.min(n, l.length);
      l.splice(at, 0, hold(s, a.length > 1 ? a[1] : UNDEFINED));
      return null;
    }),
  ],
  [
    "list.remove",
    on<ListState>("list", (s, a) => {
      const item = adoptTree(a[0], false).value;
      const at = s.items.findIndex((x) => deepEqual(x, item));
      if (at < 0) {
        throw named(
          "RangeError",
          "Cannot remove item: the value is not in the list",
        );
      }
      unhold(s, s.items.splice(at, 1)[0]);
      return null;
    }),
  ],
  [
    "list.index",
    on<ListState>("list", (s, a) => {
      const l = s.items;
      const item = adoptTree(a[0], false).value;
      const start = bound(a[1], "start") ?? 0;
      const stop = bound(a[2], "stop") ?? l.length;
      const from = start < 0 ? Math.max(0, l.length + start) : start;
      const to = stop < 0 ? l.length + stop : Math.min(stop, l.length);
      for (let i = from; i < to; i++) if (deepEqual(l[i], item)) return i;
      throw named(
        "RangeError",
        "Cannot find index: the value is not in the list",
      );
    }),
  ],
  [
    "list.count",
    on<ListState>("list", (s, a) => {
      const item = adoptTree(a[0], false).value;
      let n = 0;
      for (const x of s.items) if (deepEqual(x, item)) n++;
      return n;
    }),
  ],
  [
    "list.slice",
    on<ListState>("list", (s, a) =>
      lend(
        s,
        s.items.slice(bound(a[0], "start"), bound(a[1], "end")),
      )),
  ],
  [
    "list.replace",
    on<ListState>("list", (s, a) => {
      const items = holdEach(s, arr(a[0], "items"));
      const old = s.items;
      s.items = items;
      for (const item of old) unhold(s, item);
      return null;
    }),
  ],
  ["list.toArray", on<ListState>("list", (s) => lend(s, s.items))],
  [
    "list.reverse",
    on<ListState>("list", (s) => {
      s.items.reverse();
      return null;
    }),
  ],
  [
    "list.sort",
    on<ListState>("list", (s, a) => {
      const key = sortKey(a[0]);
      const reverse = a[1] === true;
      if (key === null || !("fn" in key)) {
        return sortItems(s, key, null, reverse);
      }
      // Loading the key's module is the only wait; the sort itself runs in
      // one go after it, so no other call sees it half done.
      return loadTarget("Cannot sort", key.fn).then((fn) =>
        sortItems(s, key, fn as (item: unknown) => unknown, reverse)
      );
    }),
  ],

  // namespace
  [
    "namespace.get",
    on<DictState>("namespace", (s, a) => {
      const value = s.map.get(keyOf(str(a[0], "name")));
      return value === undefined ? UNDEFINED : lend(s, value);
    }),
  ],
  [
    "namespace.set",
    on<DictState>("namespace", (s, a) => {
      dictSet(s, keyOf(str(a[0], "name")), a.length > 1 ? a[1] : UNDEFINED);
      return null;
    }),
  ],
  [
    "namespace.has",
    on<DictState>(
      "namespace",
      (s, a) => s.map.has(keyOf(str(a[0], "name"))),
    ),
  ],
  [
    "namespace.delete",
    on<DictState>("namespace", (s, a) => {
      const key = keyOf(str(a[0], "name"));
      const old = s.map.get(key);
      if (old === undefined) return false;
      s.map.delete(key);
      unhold(s, old);
      return true;
    }),
  ],
  [
    "namespace.toObject",
    on<DictState>(
      "namespace",
      (s) => lend(s, objectOf(s.map, "Cannot copy namespace")),
    ),
  ],

  // value
  ["value.get", on<ValueState>("value", (s) => lend(s, s.value))],
  [
    "value.set",
    on<ValueState>("value", (s, a) => {
      const old = s.value;
      s.value = hold(s, a.length > 0 ? a[0] : UNDEFINED);
      unhold(s, old);
      return null;
    }),
  ],
  ["value.typecode", on<ValueState>("value", (s) => s.typecode)],

  // array: a typed array of its typecode, checked as Array's items are.
  [
    "array.get",
    on<ArrayState>(
      "array",
      (s, a) => arrayTree(s.data[index(s.data, a[0], "get item")]!),
    ),
  ],
  [
    "array.set",
    on<ArrayState>("array", (s, a) => {
      const at = index(s.data, a[0], "set item");
      s.data[at] = arrayItem(s, a[1], "Cannot set item");
      return null;
    }),
  ],
  ["array.length", on<ArrayState>("array", (s) => s.data.length)],
  [
    "array.slice",
    on<ArrayState>("array", (s, a) =>
      Array.from(
        (s.data as unknown as Int8Array).slice(
          bound(a[0], "start"),
          bound(a[1], "end"),
        ),
        (v) => arrayTree(v),
      )),
  ],
  [
    "array.toArray",
    on<ArrayState>("array", (s) => Array.from(s.data, (v) => arrayTree(v))),
  ],
  ["array.typecode", on<ArrayState>("array", (s) => s.info.code)],
];
