// Copyright 2026 the denomp authors. MIT license.
/**
 * The proxies a {@linkcode Manager} hands out: `DictProxy`, `ListProxy`,
 * `NamespaceProxy`, `ValueProxy`, `LockProxy`, `RLockProxy`,
 * `SemaphoreProxy`, `EventProxy` and `QueueProxy`. Every method is one
 * JSON-RPC call to the manager, atomic there, and returns a Promise. A value
 * read through a proxy is a copy: changing a nested object locally changes
 * nothing on the manager until it is set back (as in Python).
 *
 * Proxies cross into Processes and Pool tasks as arguments and reconnect
 * there, one connection per worker thread, shared by every proxy of the
 * same manager.
 *
 * @module
 */

import {
  type ManagerAddress,
  mayConnect,
  ProxyRef,
  refOf,
  type RpcClient,
  setProxyFactory,
} from "./manager/client.ts";
import { encodeValue } from "./manager/codec.ts";
import { dictKey, pairsFor } from "./manager/wire.ts";
import {
  registerShareable,
  SHARE,
  type SharedDescriptor,
} from "./_registry.ts";
import { checkSignal, checkTimeout, describe } from "./_wait.ts";
import { targetRef } from "./_target.ts";
import { TimeoutError } from "./errors.ts";

/** Options of a proxy call that can wait on the manager. */
export interface ProxyWaitOptions {
  /**
   * Milliseconds to wait; `0` does not wait at all (Python's
   * `block=False`).
   *
   * @default {Infinity}
   */
  timeout?: number;
  /** Aborting rejects the call with `signal.reason`. */
  signal?: AbortSignal;
}

/** The kinds of object a manager serves (`"custom"`: a registered type). */
export type ProxyKind =
  | "dict"
  | "list"
  | "namespace"
  | "value"
  | "array"
  | "lock"
  | "rlock"
  | "semaphore"
  | "boundedSemaphore"
  | "event"
  | "condition"
  | "barrier"
  | "queue"
  | "custom";

const KIND = "ManagerProxy";

interface ProxyData {
  kind: ProxyKind;
  id: string;
  address: ManagerAddress;
  authkey: string;
  typeid?: string;
  exposed?: string[];
}

function share(ref: ProxyRef): SharedDescriptor {
  // A worker has at most this thread's permissions: if this thread may not
  // reach the socket, fail here, clearly, rather than in the worker.
  if (!mayConnect(ref.address)) {
    const where = typeof ref.address === "string"
      ? `the Unix socket ${ref.address}: grant --allow-read, --allow-write and --allow-net=unix:<path> on it, or start the manager with address { hostname: "127.0.0.1", port: 0 } and grant --allow-net=127.0.0.1`
      : `${ref.address.hostname}:${ref.address.port}: grant --allow-net=${ref.address.hostname}`;
    throw new Deno.errors.NotCapable(
      `Cannot share a ${ref.kind} proxy with a worker: this program may not connect to the manager at ${where}`,
    );
  }
  // The copy that arrives in the worker owns one reference of its own.
  ref.incref();
  const data: ProxyData = {
    kind: ref.kind as ProxyKind,
    id: ref.id,
    address: ref.address,
    authkey: ref.authkey,
  };
  if (ref.typeid !== undefined) {
    data.typeid = ref.typeid;
    data.exposed = ref.exposed;
  }
  return { kind: KIND, module: import.meta.url, data };
}

/**
 * Python's `repr()` of a proxy (`<DictProxy object, typeid 'dict' at
 * 0x...>`) in Deno's style: the class, the typeid, the referent's id and
 * the manager's address, all known here; nothing is fetched (the value of
 * a `ValueProxy` is not shown).
 */
function inspect(proxy: object, ref: ProxyRef): string {
  const where = typeof ref.address === "string"
    ? ref.address
    : `${ref.address.hostname}:${ref.address.port}`;
  const name = (proxy.constructor as { name?: string }).name ?? "Proxy";
  const typeid = ref.typeid ?? ref.kind;
  return `${name} { typeid: "${typeid}", id: "${ref.id}", manager: "${where}" }`;
}

function enc(ref: ProxyRef, value: unknown, what: string): unknown {
  return encodeValue(value, what, ref.manager);
}

function key(value: unknown, what: string): string {
  if (typeof value !== "string") {
    throw new TypeError(
      `${what}: key must be a string, received ${describe(value)}`,
    );
  }
  return value;
}

function int(value: unknown, what: string, name: string): number {
  if (!Number.isSafeInteger(value)) {
    throw new TypeError(
      `${what}: ${name} must be an integer, received ${describe(value)}`,
    );
  }
  return value as number;
}

/** `null` on the wire for "wait for ever". */
function waitParams(
  what: string,
  options: ProxyWaitOptions,
): { timeout: number | null; signal: AbortSignal | undefined } {
  const timeout = checkTimeout(what, options.timeout);
  checkSignal(what, options.signal);
  options.signal?.throwIfAborted();
  return {
    timeout: timeout === Infinity ? null : timeout,
    signal: options.signal,
  };
}

/**
 * What every manager proxy is (Python's `BaseProxy`): a handle on an
 * object that lives in the manager, which crosses into Processes as a live
 * proxy, and which `Deno.inspect` shows as Python's `repr()` does - class,
 * typeid, the object's id and the manager's address - without a call to
 * the manager. It has no string-named members of its own.
 *
 * @example Usage
 * ```ts
 * import { BaseProxy, Manager } from "@denomp/multiprocessing";
 * import assert from "node:assert/strict";
 *
 * await using manager = await Manager.start();
 * const d = await manager.dict();
 * assert.ok(d instanceof BaseProxy);
 * assert.match(Deno.inspect(d), /^DictProxy \{ typeid: "dict", id: "[0-9a-f]+"/);
 * ```
 */
export class BaseProxy {
  #ref: ProxyRef;

  /** @ignore Made by the manager's methods. */
  constructor(ref: ProxyRef) {
    this.#ref = ref;
  }

  /**
   * The descriptor used when this proxy crosses into a worker.
   *
   * @returns The descriptor.
   *
   * @ignore Internal: the shared-object registry calls it.
   */
  [SHARE](): SharedDescriptor {
    return share(this.#ref);
  }

  /**
   * What Python's `repr()` shows, from what is known here (no call).
   *
   * @returns The description.
   */
  [Symbol.for("Deno.customInspect")](): string {
    return inspect(this, this.#ref);
  }
}

/**
 * What a dict key may be: Python's hashable values, as JavaScript has them.
 * Keys of different types stay distinct (`1`, `"1"`, `1n` and `true` are
 * four keys); an array is compared by its items, as Python's tuple; a
 * `Date` by its time; a `Uint8Array` by its bytes.
 */
export type DictKey =
  | string
  | number
  | bigint
  | boolean
  | null
  | undefined
  | Date
  | Uint8Array
  | readonly DictKey[];

/**
 * A `dict` on the manager: keys of any {@linkcode DictKey} type, kept
 * distinct by type as Python keeps `1` and `"1"` apart, and values of type
 * `V` (which may hold other proxies of the same manager: they come back
 * as live proxies, as in Python).
 *
 * @typeParam V The type of the values.
 * @typeParam K The type of the keys.
 *
 * @example Usage
 * ```ts
 * import { Manager } from "@denomp/multiprocessing";
 * import assert from "node:assert/strict";
 *
 * await using manager = await Manager.start();
 * const d = await manager.dict<unknown>();
 * await d.set(1, "1");
 * await d.set("2", 2);
 * await d.set(0.25, null);
 * assert.deepEqual(await d.keys(), [1, "2", 0.25]);
 * assert.deepEqual(await d.toMap(), new Map<unknown, unknown>([[1, "1"], ["2", 2], [0.25, null]]));
 * ```
 */
export class DictProxy<V = unknown, K extends DictKey = DictKey>
  extends BaseProxy {
  #ref: ProxyRef;

  /** @ignore Made by {@linkcode Manager.dict}. */
  constructor(ref: ProxyRef) {
    super(ref);
    this.#ref = ref;
  }

  /**
   * The value at `key`, or `fallback` (default `undefined`) when absent.
   *
   * @param k The key.
   * @param fallback What to return when the key is absent.
   * @returns A copy of the value.
   * @throws {TypeError} when the key is not a {@linkcode DictKey}.
   */
  async get(k: K, fallback?: V): Promise<V | undefined> {
    const ref = this.#ref;
    const what = "Cannot get key";
    return await ref.call(
      "dict.get",
      arguments.length > 1
        ? [ref.id, dictKey(k, what), enc(ref, fallback, what)]
        : [ref.id, dictKey(k, what)],
    ) as V | undefined;
  }

  /**
   * Sets `key` to `value`.
   *
   * @param k The key.
   * @param value The value, copied to the manager (a proxy in it stays a
   *   proxy).
   * @throws {TypeError} when the key or value cannot be encoded (nothing is
   *   sent).
   */
  async set(k: K, value: V): Promise<void> {
    const ref = this.#ref;
    const what = "Cannot set key";
    await ref.call("dict.set", [
      ref.id,
      dictKey(k, what),
      enc(ref, value, what),
    ]);
  }

  /**
   * Whether `key` is present (Python's `k in d`).
   *
   * @param k The key.
   * @returns `true` when present.
   */
  async has(k: K): Promise<boolean> {
    const ref = this.#ref;
    return await ref.call("dict.has", [
      ref.id,
      dictKey(k, "Cannot check key"),
    ]) as boolean;
  }

  /**
   * Removes `key` (Python's `del d[k]`).
   *
   * @param k The key.
   * @returns Whether it was present.
   */
  async delete(k: K): Promise<boolean> {
    const ref = this.#ref;
    return await ref.call("dict.delete", [
      ref.id,
      dictKey(k, "Cannot delete key"),
    ]) as boolean;
  }

  /**
   * The keys, in insertion order, each of its own type.
   *
   * @returns A copy of the keys.
   */
  async keys(): Promise<K[]> {
    return await this.#ref.call("dict.keys", [this.#ref.id]) as K[];
  }

  /**
   * The values, in insertion order.
   *
   * @returns Copies of the values.
   */
  async values(): Promise<V[]> {
    return await this.#ref.call("dict.values", [this.#ref.id]) as V[];
  }

  /**
   * The `[key, value]` pairs, in insertion order (Python's `items()`).
   *
   * @returns Copies of the entries.
   */
  async entries(): Promise<[K, V][]> {
    return await this.#ref.call("dict.entries", [this.#ref.id]) as [K, V][];
  }

  /**
   * The number of keys (Python's `len(d)`).
   *
   * @returns The size.
   */
  async size(): Promise<number> {
    return await this.#ref.call("dict.size", [this.#ref.id]) as number;
  }

  /**
   * Sets every key of `other`, all at once.
   *
   * @param other A plain object, a Map, or `[key, value]` pairs.
   * @throws {TypeError} when a key or value cannot be encoded (nothing is
   *   sent).
   */
  async update(
    other: Record<string, V> | Map<K, V> | Iterable<readonly [K, V]>,
  ): Promise<void> {
    const ref = this.#ref;
    await ref.call("dict.update", [
      ref.id,
      pairsFor(ref.manager, "Cannot update dict", other),
    ]);
  }

  /** Removes every key. */
  async clear(): Promise<void> {
    await this.#ref.call("dict.clear", [this.#ref.id]);
  }

  /**
   * Removes `key` and returns its value, or `fallback` when absent.
   *
   * @param k The key.
   * @param fallback What to return when the key is absent.
   * @returns The removed value.
   * @throws {RangeError} when the key is absent and no fallback was given.
   */
  async pop(k: K, fallback?: V): Promise<V> {
    const ref = this.#ref;
    const what = "Cannot pop key";
    return await ref.call(
      "dict.pop",
      arguments.length > 1
        ? [ref.id, dictKey(k, what), enc(ref, fallback, what)]
        : [ref.id, dictKey(k, what)],
    ) as V;
  }

  /**
   * Removes and returns the last inserted `[key, value]` pair (Python's
   * `popitem()`).
   *
   * @returns The pair.
   * @throws {RangeError} when the dict is empty.
   */
  async popitem(): Promise<[K, V]> {
    return await this.#ref.call("dict.popitem", [this.#ref.id]) as [K, V];
  }

  /**
   * Sets `key` to `value` unless present; returns the value now there.
   *
   * @param k The key.
   * @param value The default.
   * @returns The value at `key` afterwards.
   */
  async setdefault(k: K, value: V): Promise<V> {
    const ref = this.#ref;
    const what = "Cannot set default";
    return await ref.call("dict.setdefault", [
      ref.id,
      dictKey(k, what),
      enc(ref, value, what),
    ]) as V;
  }

  /**
   * A copy of the whole dict as a plain object (Python's `dict(d)`), for a
   * dict whose keys are all strings.
   *
   * @returns The copy.
   * @throws {TypeError} when a key is not a string (use
   *   {@linkcode DictProxy.prototype.toMap}).
   */
  async toObject(): Promise<Record<string, V>> {
    return await this.#ref.call("dict.toObject", [this.#ref.id]) as Record<
      string,
      V
    >;
  }

  /**
   * A copy of the whole dict as a `Map`, keys of every type kept (an
   * array key is a new array: look it up by iterating).
   *
   * @returns The copy.
   */
  async toMap(): Promise<Map<K, V>> {
    return new Map(await this.entries());
  }
}

/** Options of {@linkcode ListProxy.prototype.sort}. */
export interface ListSortOptions<T = unknown> {
  /**
   * What to sort by: a property name or index of each item, a path of
   * those, or an exported function (by reference, run on the manager).
   *
   * @default {undefined}
   */
  key?:
    | string
    | number
    | readonly (string | number)[]
    | ((item: T) => unknown);
  /**
   * Largest first (the order of equal items is kept, as in Python).
   *
   * @default {false}
   */
  reverse?: boolean;
  /**
   * The module that exports a function `key`.
   *
   * @default {Deno.mainModule}
   */
  module?: string | URL;
}

function pathStep(what: string, step: unknown): string | number {
  if (typeof step === "string" || Number.isSafeInteger(step)) {
    return step as string | number;
  }
  throw new TypeError(
    `${what}: a key path holds property names and integer indexes, received ${
      describe(step)
    }`,
  );
}

/**
 * A `list` on the manager.
 *
 * @typeParam T The type of the items.
 *
 * @example Usage
 * ```ts
 * import { Manager } from "@denomp/multiprocessing";
 * import assert from "node:assert/strict";
 *
 * await using manager = await Manager.start();
 * const l = await manager.list<number>([1, 2]);
 * await l.append(3);
 * assert.equal(await l.length(), 3);
 * await l.replace([9]); // Python's l[:] = [9]
 * assert.deepEqual(await l.toArray(), [9]);
 * ```
 */
export class ListProxy<T = unknown> extends BaseProxy {
  #ref: ProxyRef;

  /** @ignore Made by {@linkcode Manager.list}. */
  constructor(ref: ProxyRef) {
    super(ref);
    this.#ref = ref;
  }

  /**
   * Appends one item.
   *
   * @param item The item.
   */
  async append(item: T): Promise<void> {
    const ref = this.#ref;
    await ref.call("list.append", [
      ref.id,
      enc(this.#ref, item, "Cannot append item"),
    ]);
  }

  /**
   * Appends every item of `items`.
   *
   * @param items The items.
   */
  async extend(items: Iterable<T>): Promise<void> {
    const ref = this.#ref;
    await ref.call("list.extend", [
      ref.id,
      enc(this.#ref, [...items], "Cannot extend list"),
    ]);
  }

  /**
   * The item at `index` (negative counts from the end).
   *
   * @param index The index.
   * @returns A copy of the item.
   * @throws {RangeError} when the index is out of range.
   */
  async get(index: number): Promise<T> {
    const ref = this.#ref;
    return await ref.call("list.get", [
      ref.id,
      int(index, "Cannot get item", "index"),
    ]) as T;
  }

  /**
   * Replaces the item at `index`.
   *
   * @param index The index (negative counts from the end).
   * @param item The new item.
   * @throws {RangeError} when the index is out of range.
   */
  async set(index: number, item: T): Promise<void> {
    const ref = this.#ref;
    await ref.call("list.set", [
      ref.id,
      int(index, "Cannot set item", "index"),
      enc(this.#ref, item, "Cannot set item"),
    ]);
  }

  /**
   * The number of items (Python's `len(l)`).
   *
   * @returns The length.
   */
  async length(): Promise<number> {
    return await this.#ref.call("list.length", [this.#ref.id]) as number;
  }

  /**
   * Removes and returns the item at `index` (the last by default).
   *
   * @param index The index.
   * @returns The item.
   * @throws {RangeError} when the list is empty or the index out of range.
   */
  async pop(index?: number): Promise<T> {
    const ref = this.#ref;
    return await ref.call(
      "list.pop",
      index === undefined
        ? [ref.id]
        : [ref.id, int(index, "Cannot pop item", "index")],
    ) as T;
  }

  /**
   * Inserts `item` before `index` (clamped, as in Python).
   *
   * @param index The index.
   * @param item The item.
   */
  async insert(index: number, item: T): Promise<void> {
    const ref = this.#ref;
    await ref.call("list.insert", [
      ref.id,
      int(index, "Cannot insert item", "index"),
      enc(this.#ref, item, "Cannot insert item"),
    ]);
  }

  /**
   * Removes the first item equal to `item` (deep equality).
   *
   * @param item The item.
   * @throws {RangeError} when no item is equal.
   */
  async remove(item: T): Promise<void> {
    const ref = this.#ref;
    await ref.call("list.remove", [
      ref.id,
      enc(this.#ref, item, "Cannot remove item"),
    ]);
  }

  /**
   * The index of the first item equal to `item`, within `[start, stop)`.
   *
   * @param item The item.
   * @param start The first index searched.
   * @param stop One past the last index searched.
   * @returns The index.
   * @throws {RangeError} when no item is equal.
   */
  async index(item: T, start?: number, stop?: number): Promise<number> {
    const ref = this.#ref;
    const what = "Cannot find index";
    return await ref.call("list.index", [
      ref.id,
      enc(this.#ref, item, what),
      start === undefined ? null : int(start, what, "start"),
      stop === undefined ? null : int(stop, what, "stop"),
    ]) as number;
  }

  /**
   * How many items equal `item`.
   *
   * @param item The item.
   * @returns The count.
   */
  async count(item: T): Promise<number> {
    const ref = this.#ref;
    return await ref.call("list.count", [
      ref.id,
      enc(this.#ref, item, "Cannot count items"),
    ]) as number;
  }

  /**
   * A copy of `[start, end)`, as `Array.prototype.slice`.
   *
   * @param start The first index.
   * @param end One past the last index.
   * @returns The items.
   */
  async slice(start?: number, end?: number): Promise<T[]> {
    const ref = this.#ref;
    const what = "Cannot slice list";
    return await ref.call("list.slice", [
      ref.id,
      start === undefined ? null : int(start, what, "start"),
      end === undefined ? null : int(end, what, "end"),
    ]) as T[];
  }

  /**
   * Replaces every item at once (Python's `l[:] = items`).
   *
   * @param items The new items.
   */
  async replace(items: Iterable<T>): Promise<void> {
    const ref = this.#ref;
    await ref.call("list.replace", [
      ref.id,
      enc(this.#ref, [...items], "Cannot replace items"),
    ]);
  }

  /**
   * A copy of the whole list (Python's `list(l)`).
   *
   * @returns The items.
   */
  async toArray(): Promise<T[]> {
    return await this.#ref.call("list.toArray", [this.#ref.id]) as T[];
  }

  /**
   * Reverses the list in place, on the manager, in one step (no other
   * call sees it half done).
   */
  async reverse(): Promise<void> {
    await this.#ref.call("list.reverse", [this.#ref.id]);
  }

  /**
   * Sorts the list in place, on the manager, in one step, as Python's
   * `list.sort(key=..., reverse=...)`: stable, numbers (bigints and
   * booleans among them) by value, strings by UTF-16 code units, Dates by
   * time, bytes by bytes, arrays item by item. Items that cannot be
   * ordered against each other (a string and a number, `null`, objects)
   * fail with a `TypeError` and leave the list as it was.
   *
   * @param options `key`: a property name, an index, a path of those
   *   (`["address", "city"]`), or an exported function of `module` (it
   *   runs on the manager, which imports its module: the manager needs
   *   read access to it); `reverse`: largest first.
   * @throws {TypeError} when items cannot be ordered, or for a bad key.
   * @throws {RangeError} when an item has nothing at the key path.
   *
   * @example Usage
   * ```ts
   * import { Manager } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   *
   * await using manager = await Manager.start();
   * const people = await manager.list([{ name: "b", age: 30 }, { name: "a", age: 20 }]);
   * await people.sort({ key: "age", reverse: true });
   * assert.deepEqual((await people.toArray()).map((p) => p.name), ["b", "a"]);
   * ```
   */
  async sort(options?: ListSortOptions<T>): Promise<void> {
    const what = "Cannot sort list";
    const { key, reverse = false, module } = options ?? {};
    if (typeof reverse !== "boolean") {
      throw new TypeError(
        `${what}: reverse must be a boolean, received ${describe(reverse)}`,
      );
    }
    let wire: unknown = null;
    if (typeof key === "function") {
      wire = { fn: targetRef(what, key, module) };
    } else if (typeof key === "string" || typeof key === "number") {
      wire = { path: [pathStep(what, key)] };
    } else if (Array.isArray(key)) {
      wire = { path: key.map((step) => pathStep(what, step)) };
    } else if (key !== undefined) {
      throw new TypeError(
        `${what}: key must be a property name, an index, a path or an exported function, received ${
          describe(key)
        }`,
      );
    }
    const ref = this.#ref;
    await ref.call("list.sort", [ref.id, wire, reverse]);
  }
}

/**
 * A `Namespace` on the manager: named attributes.
 *
 * @typeParam T The attributes and their types.
 *
 * @example Usage
 * ```ts
 * import { Manager } from "@denomp/multiprocessing";
 * import assert from "node:assert/strict";
 *
 * await using manager = await Manager.start();
 * const ns = await manager.namespace({ x: 1, label: "a" });
 * await ns.set("x", 2);
 * assert.equal(await ns.get("x"), 2);
 * ```
 */
export class NamespaceProxy<
  T extends Record<string, unknown> = Record<string, unknown>,
> extends BaseProxy {
  #ref: ProxyRef;

  /** @ignore Made by {@linkcode Manager.namespace}. */
  constructor(ref: ProxyRef) {
    super(ref);
    this.#ref = ref;
  }

  /**
   * The attribute `name` (`undefined` when unset).
   *
   * @param name The attribute.
   * @returns A copy of its value.
   */
  async get<K extends keyof T & string>(name: K): Promise<T[K]> {
    const ref = this.#ref;
    return await ref.call("namespace.get", [
      ref.id,
      key(name, "Cannot get attribute"),
    ]) as T[K];
  }

  /**
   * Sets the attribute `name`.
   *
   * @param name The attribute.
   * @param value Its new value.
   */
  async set<K extends keyof T & string>(name: K, value: T[K]): Promise<void> {
    const ref = this.#ref;
    await ref.call("namespace.set", [
      ref.id,
      key(name, "Cannot set attribute"),
      enc(this.#ref, value, "Cannot set attribute"),
    ]);
  }

  /**
   * Whether the attribute `name` is set.
   *
   * @param name The attribute.
   * @returns `true` when set.
   */
  async has(name: keyof T & string): Promise<boolean> {
    const ref = this.#ref;
    return await ref.call("namespace.has", [
      ref.id,
      key(name, "Cannot check attribute"),
    ]) as boolean;
  }

  /**
   * Deletes the attribute `name`.
   *
   * @param name The attribute.
   * @returns Whether it was set.
   */
  async delete(name: keyof T & string): Promise<boolean> {
    const ref = this.#ref;
    return await ref.call("namespace.delete", [
      ref.id,
      key(name, "Cannot delete attribute"),
    ]) as boolean;
  }

  /**
   * A copy of every attribute.
   *
   * @returns The attributes.
   */
  async toObject(): Promise<T> {
    return await this.#ref.call("namespace.toObject", [this.#ref.id]) as T;
  }
}

/**
 * A `Value` on the manager (Python's `manager.Value(typecode, v)`): one
 * value, read and written whole. The typecode is kept for reference only.
 *
 * @typeParam T The type of the value.
 *
 * @example Usage
 * ```ts
 * import { Manager } from "@denomp/multiprocessing";
 * import assert from "node:assert/strict";
 *
 * await using manager = await Manager.start();
 * const v = await manager.value("i", 0);
 * await v.set(41);
 * assert.equal(await v.get(), 41);
 * ```
 */
export class ValueProxy<T = unknown> extends BaseProxy {
  #ref: ProxyRef;

  /** @ignore Made by {@linkcode Manager.value}. */
  constructor(ref: ProxyRef) {
    super(ref);
    this.#ref = ref;
  }

  /**
   * The value.
   *
   * @returns A copy of the value.
   */
  async get(): Promise<T> {
    return await this.#ref.call("value.get", [this.#ref.id]) as T;
  }

  /**
   * Replaces the value.
   *
   * @param value The new value.
   */
  async set(value: T): Promise<void> {
    const ref = this.#ref;
    await ref.call("value.set", [
      ref.id,
      enc(this.#ref, value, "Cannot set value"),
    ]);
  }

  /**
   * The typecode given at creation.
   *
   * @returns The typecode.
   */
  async typecode(): Promise<string> {
    return await this.#ref.call("value.typecode", [this.#ref.id]) as string;
  }
}

/** Acquire, compensating when an abort lost the race with a grant. */
async function acquireOn(
  ref: ProxyRef,
  kind: string,
  what: string,
  options: ProxyWaitOptions,
): Promise<boolean> {
  const { timeout, signal } = waitParams(what, options);
  const got = await ref.call(`${kind}.acquire`, [ref.id, timeout], signal);
  if (signal?.aborted) {
    // The grant crossed our cancel on the wire: give it back.
    if (got === true) await ref.call(`${kind}.release`, [ref.id]);
    throw signal.reason;
  }
  return got as boolean;
}

async function holdOn(
  ref: ProxyRef,
  kind: string,
  what: string,
  options: ProxyWaitOptions,
): Promise<AsyncDisposable> {
  if (!await acquireOn(ref, kind, what, options)) {
    throw new TimeoutError(`${what}: timed out after ${options.timeout} ms`);
  }
  let released = false;
  return {
    async [Symbol.asyncDispose]() {
      if (released) return;
      released = true;
      await ref.call(`${kind}.release`, [ref.id]);
    },
  };
}

/**
 * A `Lock` on the manager. Any holder may release it, as in Python. If the
 * connection that acquired it closes (its Process ended), the manager
 * releases it.
 *
 * @example Usage
 * ```ts
 * import { Manager } from "@denomp/multiprocessing";
 * import assert from "node:assert/strict";
 *
 * await using manager = await Manager.start();
 * const lock = await manager.lock();
 * {
 *   await using _ = await lock.hold();
 *   assert.equal(await lock.acquire({ timeout: 0 }), false);
 * }
 * assert.equal(await lock.locked(), false);
 * ```
 */
export class LockProxy extends BaseProxy {
  #ref: ProxyRef;

  /** @ignore Made by {@linkcode Manager.lock}. */
  constructor(ref: ProxyRef) {
    super(ref);
    this.#ref = ref;
  }

  /**
   * Acquires the lock.
   *
   * @param options `timeout` (ms; `0` tries once) and `signal`.
   * @returns Whether it was acquired (`false` when the timeout ran out).
   * @throws {TypeError} for a bad option; rejects with `signal.reason` when
   * aborted.
   */
  async acquire(options?: ProxyWaitOptions): Promise<boolean> {
    options ??= {};
    return await acquireOn(this.#ref, "lock", "Cannot acquire lock", options);
  }

  /**
   * Releases the lock.
   *
   * @throws {RemoteError} when it is not locked.
   */
  async release(): Promise<void> {
    await this.#ref.call("lock.release", [this.#ref.id]);
  }

  /**
   * Whether the lock is held.
   *
   * @returns `true` when held.
   */
  async locked(): Promise<boolean> {
    return await this.#ref.call("lock.locked", [this.#ref.id]) as boolean;
  }

  /**
   * Acquires the lock and returns a guard that releases it:
   * `await using _ = await lock.hold()`.
   *
   * @param options `timeout` and `signal`.
   * @returns The guard.
   * @throws {TimeoutError} when the timeout ran out.
   */
  async hold(options?: ProxyWaitOptions): Promise<AsyncDisposable> {
    options ??= {};
    return await holdOn(this.#ref, "lock", "Cannot hold lock", options);
  }
}

/**
 * An `RLock` on the manager, owned by the connection that acquired it (each
 * thread has its own connection, so each Process is its own owner).
 *
 * @example Usage
 * ```ts
 * import { Manager } from "@denomp/multiprocessing";
 * import assert from "node:assert/strict";
 *
 * await using manager = await Manager.start();
 * const rlock = await manager.rlock();
 * assert.equal(await rlock.acquire(), true);
 * assert.equal(await rlock.acquire(), true); // re-entrant
 * await rlock.release();
 * await rlock.release();
 * assert.equal(await rlock.locked(), false);
 * ```
 */
export class RLockProxy extends BaseProxy {
  #ref: ProxyRef;

  /** @ignore Made by {@linkcode Manager.rlock}. */
  constructor(ref: ProxyRef) {
    super(ref);
    this.#ref = ref;
  }

  /**
   * Acquires the lock (again, if this thread holds it).
   *
   * @param options `timeout` and `signal`.
   * @returns Whether it was acquired.
   */
  async acquire(options?: ProxyWaitOptions): Promise<boolean> {
    options ??= {};
    return await acquireOn(this.#ref, "rlock", "Cannot acquire rlock", options);
  }

  /**
   * Releases one level.
   *
   * @throws {RemoteError} when this thread does not hold it.
   */
  async release(): Promise<void> {
    await this.#ref.call("rlock.release", [this.#ref.id]);
  }

  /**
   * Whether anyone holds the lock.
   *
   * @returns `true` when held.
   */
  async locked(): Promise<boolean> {
    return await this.#ref.call("rlock.locked", [this.#ref.id]) as boolean;
  }

  /**
   * Acquires and returns a guard that releases one level.
   *
   * @param options `timeout` and `signal`.
   * @returns The guard.
   * @throws {TimeoutError} when the timeout ran out.
   */
  async hold(options?: ProxyWaitOptions): Promise<AsyncDisposable> {
    options ??= {};
    return await holdOn(this.#ref, "rlock", "Cannot hold rlock", options);
  }
}

/**
 * A `Semaphore` on the manager.
 *
 * @example Usage
 * ```ts
 * import { Manager } from "@denomp/multiprocessing";
 * import assert from "node:assert/strict";
 *
 * await using manager = await Manager.start();
 * const sem = await manager.semaphore(2);
 * await sem.acquire();
 * assert.equal(await sem.getValue(), 1);
 * await sem.release();
 * assert.equal(await sem.getValue(), 2);
 * ```
 */
export class SemaphoreProxy extends BaseProxy {
  #ref: ProxyRef;

  /** @ignore Made by {@linkcode Manager.semaphore}. */
  constructor(ref: ProxyRef) {
    super(ref);
    this.#ref = ref;
  }

  /**
   * Takes one unit, waiting while there is none.
   *
   * @param options `timeout` and `signal`.
   * @returns Whether a unit was taken.
   */
  async acquire(options?: ProxyWaitOptions): Promise<boolean> {
    options ??= {};
    return await acquireOn(
      this.#ref,
      "semaphore",
      "Cannot acquire semaphore",
      options,
    );
  }

  /**
   * Gives back `n` units.
   *
   * @param n How many.
   * @throws {RangeError} when `n` is not a positive integer.
   */
  async release(n?: number): Promise<void> {
    if (n === undefined) n = 1;
    if (!Number.isSafeInteger(n) || n < 1) {
      throw new RangeError(
        `Cannot release semaphore: n must be a positive integer, received ${n}`,
      );
    }
    await this.#ref.call("semaphore.release", [this.#ref.id, n]);
  }

  /**
   * The current count.
   *
   * @returns The count.
   */
  async getValue(): Promise<number> {
    return await this.#ref.call("semaphore.getValue", [this.#ref.id]) as number;
  }

  /**
   * Takes a unit and returns a guard that gives it back.
   *
   * @param options `timeout` and `signal`.
   * @returns The guard.
   * @throws {TimeoutError} when the timeout ran out.
   */
  async hold(options?: ProxyWaitOptions): Promise<AsyncDisposable> {
    options ??= {};
    return await holdOn(
      this.#ref,
      "semaphore",
      "Cannot hold semaphore",
      options,
    );
  }
}

/**
 * An `Event` on the manager.
 *
 * @example Usage
 * ```ts
 * import { Manager } from "@denomp/multiprocessing";
 * import assert from "node:assert/strict";
 *
 * await using manager = await Manager.start();
 * const event = await manager.event();
 * assert.equal(await event.wait({ timeout: 0 }), false);
 * await event.set();
 * assert.equal(await event.wait(), true);
 * ```
 */
export class EventProxy extends BaseProxy {
  #ref: ProxyRef;

  /** @ignore Made by {@linkcode Manager.event}. */
  constructor(ref: ProxyRef) {
    super(ref);
    this.#ref = ref;
  }

  /** Sets the flag and wakes every waiter. */
  async set(): Promise<void> {
    await this.#ref.call("event.set", [this.#ref.id]);
  }

  /** Clears the flag. */
  async clear(): Promise<void> {
    await this.#ref.call("event.clear", [this.#ref.id]);
  }

  /**
   * Whether the flag is set.
   *
   * @returns The flag.
   */
  async isSet(): Promise<boolean> {
    return await this.#ref.call("event.isSet", [this.#ref.id]) as boolean;
  }

  /**
   * Waits until the flag is set.
   *
   * @param options `timeout` and `signal`.
   * @returns `true` when set, `false` when the timeout ran out.
   */
  async wait(options?: ProxyWaitOptions): Promise<boolean> {
    options ??= {};
    const ref = this.#ref;
    const { timeout, signal } = waitParams("Cannot wait for event", options);
    const set = await ref.call("event.wait", [ref.id, timeout], signal);
    if (signal?.aborted) throw signal.reason;
    return set as boolean;
  }
}

/**
 * A `Queue` on the manager.
 *
 * @typeParam T The type of the items.
 *
 * @example Usage
 * ```ts
 * import { Manager, QueueEmptyError } from "@denomp/multiprocessing";
 * import assert from "node:assert/strict";
 *
 * await using manager = await Manager.start();
 * const q = await manager.queue<string>();
 * await q.put("a");
 * assert.equal(await q.get(), "a");
 * await assert.rejects(q.getNowait(), QueueEmptyError);
 * ```
 */
export class QueueProxy<T = unknown> extends BaseProxy {
  #ref: ProxyRef;

  /** @ignore Made by {@linkcode Manager.queue}. */
  constructor(ref: ProxyRef) {
    super(ref);
    this.#ref = ref;
  }

  /**
   * Puts an item, waiting while the queue is full.
   *
   * @param item The item.
   * @param options `timeout` and `signal`.
   * @throws {QueueFullError} when the timeout ran out.
   */
  async put(item: T, options?: ProxyWaitOptions): Promise<void> {
    options ??= {};
    const ref = this.#ref;
    const what = "Cannot put item";
    const encoded = enc(this.#ref, item, what);
    const { timeout, signal } = waitParams(what, options);
    // If the put completed before our cancel arrived, the item is in the
    // queue and the call resolves: nothing is lost or duplicated.
    await ref.call("queue.put", [ref.id, encoded, timeout], signal);
  }

  /**
   * Puts an item without waiting.
   *
   * @param item The item.
   * @throws {QueueFullError} when the queue is full.
   */
  async putNowait(item: T): Promise<void> {
    return await this.put(item, { timeout: 0 });
  }

  /**
   * Takes the next item, waiting while the queue is empty.
   *
   * @param options `timeout` and `signal`.
   * @returns The item. If the item was already taken when an abort reached
   * the manager, the call resolves with it so that nothing is lost.
   * @throws {QueueEmptyError} when the timeout ran out.
   */
  async get(options?: ProxyWaitOptions): Promise<T> {
    options ??= {};
    const ref = this.#ref;
    const { timeout, signal } = waitParams("Cannot get item", options);
    return await ref.call("queue.get", [ref.id, timeout], signal) as T;
  }

  /**
   * Takes the next item without waiting.
   *
   * @returns The item.
   * @throws {QueueEmptyError} when the queue is empty.
   */
  async getNowait(): Promise<T> {
    return await this.get({ timeout: 0 });
  }

  /**
   * The number of items.
   *
   * @returns The size.
   */
  async qsize(): Promise<number> {
    return await this.#ref.call("queue.qsize", [this.#ref.id]) as number;
  }

  /**
   * Whether the queue is empty.
   *
   * @returns `true` when empty.
   */
  async empty(): Promise<boolean> {
    return await this.#ref.call("queue.empty", [this.#ref.id]) as boolean;
  }

  /**
   * Whether the queue is full.
   *
   * @returns `true` when full.
   */
  async full(): Promise<boolean> {
    return await this.#ref.call("queue.full", [this.#ref.id]) as boolean;
  }
}

/**
 * An `Array` on the manager (Python's `manager.Array(typecode, sequence)`):
 * a fixed-length array of numbers of one typecode (`bigint` for `q`/`Q`),
 * checked on every write as {@linkcode SharedArray}'s items are.
 *
 * @typeParam T `number`, or `bigint` for the typecodes `q` and `Q`.
 *
 * @example Usage
 * ```ts
 * import { Manager } from "@denomp/multiprocessing";
 * import assert from "node:assert/strict";
 *
 * await using manager = await Manager.start();
 * const a = await manager.array("i", [1, 2, 3]);
 * await a.set(-1, 30);
 * assert.deepEqual(await a.toArray(), [1, 2, 30]);
 * await assert.rejects(a.set(0, 1.5), TypeError);
 * ```
 */
export class ArrayProxy<T extends number | bigint = number> extends BaseProxy {
  #ref: ProxyRef;

  /** @ignore Made by {@linkcode Manager.array}. */
  constructor(ref: ProxyRef) {
    super(ref);
    this.#ref = ref;
  }

  /**
   * The item at `index` (negative counts from the end).
   *
   * @param index The index.
   * @returns The item.
   * @throws {RangeError} when the index is out of range.
   */
  async get(index: number): Promise<T> {
    const ref = this.#ref;
    return await ref.call("array.get", [
      ref.id,
      int(index, "Cannot get item", "index"),
    ]) as T;
  }

  /**
   * Replaces the item at `index`.
   *
   * @param index The index (negative counts from the end).
   * @param value The new item.
   * @throws {TypeError} when the value does not fit the typecode's type.
   * @throws {RangeError} when the index or value is out of range.
   */
  async set(index: number, value: T): Promise<void> {
    const ref = this.#ref;
    const what = "Cannot set item";
    await ref.call("array.set", [
      ref.id,
      int(index, what, "index"),
      enc(ref, value, what),
    ]);
  }

  /**
   * The number of items (Python's `len(a)`).
   *
   * @returns The length.
   */
  async length(): Promise<number> {
    return await this.#ref.call("array.length", [this.#ref.id]) as number;
  }

  /**
   * A copy of `[start, end)`, as `Array.prototype.slice`.
   *
   * @param start The first index.
   * @param end One past the last index.
   * @returns The items.
   */
  async slice(start?: number, end?: number): Promise<T[]> {
    const ref = this.#ref;
    const what = "Cannot slice array";
    return await ref.call("array.slice", [
      ref.id,
      start === undefined ? null : int(start, what, "start"),
      end === undefined ? null : int(end, what, "end"),
    ]) as T[];
  }

  /**
   * A copy of every item (Python's `a[:]`).
   *
   * @returns The items.
   */
  async toArray(): Promise<T[]> {
    return await this.#ref.call("array.toArray", [this.#ref.id]) as T[];
  }

  /**
   * The typecode.
   *
   * @returns The typecode.
   */
  async typecode(): Promise<string> {
    return await this.#ref.call("array.typecode", [this.#ref.id]) as string;
  }
}

/**
 * A `BoundedSemaphore` on the manager: a {@linkcode SemaphoreProxy} whose
 * `release()` fails with a `RangeError` rather than go over its initial
 * value.
 *
 * @example Usage
 * ```ts
 * import { Manager } from "@denomp/multiprocessing";
 * import assert from "node:assert/strict";
 *
 * await using manager = await Manager.start();
 * const sem = await manager.boundedSemaphore(1);
 * await sem.acquire();
 * await sem.release();
 * await assert.rejects(sem.release(), RangeError);
 * ```
 */
export class BoundedSemaphoreProxy extends SemaphoreProxy {
  /** @ignore Made by {@linkcode Manager.boundedSemaphore}. */
  constructor(ref: ProxyRef) {
    super(ref);
  }
}

/**
 * A `Condition` on the manager, over its own rlock or over the lock or
 * rlock proxy it was made with. The lock belongs to a connection (each
 * thread has its own), so each Process is its own owner: acquire it (or
 * `hold()` it) before `wait`, `notify` and `notifyAll`, as in Python.
 *
 * @example Usage
 * ```ts
 * import { Manager } from "@denomp/multiprocessing";
 * import assert from "node:assert/strict";
 *
 * await using manager = await Manager.start();
 * const cond = await manager.condition();
 * await using _ = await cond.hold();
 * assert.equal(await cond.wait({ timeout: 10 }), false); // nobody notified
 * await cond.notifyAll(); // nobody waits: a no-op
 * ```
 */
export class ConditionProxy extends BaseProxy {
  #ref: ProxyRef;

  /** @ignore Made by {@linkcode Manager.condition}. */
  constructor(ref: ProxyRef) {
    super(ref);
    this.#ref = ref;
  }

  /**
   * Acquires the condition's lock.
   *
   * @param options `timeout` and `signal`.
   * @returns Whether it was acquired.
   */
  async acquire(options?: ProxyWaitOptions): Promise<boolean> {
    options ??= {};
    return await acquireOn(
      this.#ref,
      "condition",
      "Cannot acquire condition",
      options,
    );
  }

  /**
   * Releases the condition's lock.
   *
   * @throws {RemoteError} when this thread does not hold it.
   */
  async release(): Promise<void> {
    await this.#ref.call("condition.release", [this.#ref.id]);
  }

  /**
   * Acquires the lock and returns a guard that releases it.
   *
   * @param options `timeout` and `signal`.
   * @returns The guard.
   * @throws {TimeoutError} when the timeout ran out.
   */
  async hold(options?: ProxyWaitOptions): Promise<AsyncDisposable> {
    options ??= {};
    return await holdOn(
      this.#ref,
      "condition",
      "Cannot hold condition",
      options,
    );
  }

  /**
   * Releases the lock, waits until notified (or until `timeout`), and
   * takes the lock back before returning, as Python's `wait`. Even when
   * aborted, the lock is held again when the call rejects.
   *
   * @param options `timeout` and `signal`.
   * @returns `true` when notified, `false` when the timeout ran out.
   * @throws {RemoteError} when this thread does not hold the lock.
   */
  async wait(options?: ProxyWaitOptions): Promise<boolean> {
    options ??= {};
    const ref = this.#ref;
    const { timeout, signal } = waitParams("Cannot wait on condition", options);
    const notified = await ref.call(
      "condition.wait",
      [ref.id, timeout],
      signal,
    );
    if (signal?.aborted) throw signal.reason;
    return notified as boolean;
  }

  /**
   * Waits until `predicate` returns a truthy value, as Python's
   * `wait_for`: the predicate runs here, with the lock held, before each
   * wait and after each wake-up.
   *
   * @typeParam R What the predicate returns.
   * @param predicate A function (it may be async) of the shared state.
   * @param options `timeout` (for all the waits together) and `signal`.
   * @returns The predicate's last value (falsy when the timeout ran out).
   */
  async waitFor<R>(
    predicate: () => R | Promise<R>,
    options?: ProxyWaitOptions,
  ): Promise<R> {
    options ??= {};
    if (typeof predicate !== "function") {
      throw new TypeError(
        `Cannot wait on condition: predicate must be a function, received ${
          describe(predicate)
        }`,
      );
    }
    const timeout = checkTimeout("Cannot wait on condition", options.timeout);
    const deadline = performance.now() + timeout;
    let result = await predicate();
    while (!result) {
      const remaining = deadline - performance.now();
      if (remaining <= 0) break;
      const wait: ProxyWaitOptions = remaining === Infinity
        ? {}
        : { timeout: remaining };
      if (options.signal !== undefined) wait.signal = options.signal;
      await this.wait(wait);
      result = await predicate();
    }
    return result;
  }

  /**
   * Wakes up to `n` waiters (they take the lock back in turn).
   *
   * @param n How many.
   * @throws {RemoteError} when this thread does not hold the lock.
   */
  async notify(n?: number): Promise<void> {
    if (n === undefined) n = 1;
    const ref = this.#ref;
    await ref.call("condition.notify", [
      ref.id,
      int(n, "Cannot notify", "n"),
    ]);
  }

  /**
   * Wakes every waiter.
   *
   * @throws {RemoteError} when this thread does not hold the lock.
   */
  async notifyAll(): Promise<void> {
    await this.#ref.call("condition.notifyAll", [this.#ref.id]);
  }
}

/**
 * A `Barrier` on the manager for `parties` parties. A party whose
 * connection closes while waiting (its Process ended) breaks it, so the
 * others get `BrokenBarrierError` rather than wait for ever.
 *
 * @example Usage
 * ```ts
 * import { Manager } from "@denomp/multiprocessing";
 * import assert from "node:assert/strict";
 *
 * await using manager = await Manager.start();
 * const barrier = await manager.barrier(2);
 * const [a, b] = await Promise.all([barrier.wait(), barrier.wait()]);
 * assert.deepEqual([a, b].sort(), [0, 1]);
 * assert.equal(await barrier.parties(), 2);
 * ```
 */
export class BarrierProxy extends BaseProxy {
  #ref: ProxyRef;

  /** @ignore Made by {@linkcode Manager.barrier}. */
  constructor(ref: ProxyRef) {
    super(ref);
    this.#ref = ref;
  }

  /**
   * Waits until every party has arrived.
   *
   * @param options `timeout` (the barrier's own by default; running out
   *   breaks the barrier, as in Python) and `signal`.
   * @returns This party's arrival index, from `0` to `parties - 1`.
   * @throws {BrokenBarrierError} when the barrier is or becomes broken.
   */
  async wait(options?: ProxyWaitOptions): Promise<number> {
    options ??= {};
    const ref = this.#ref;
    const what = "Cannot wait at barrier";
    const { timeout, signal } = waitParams(what, options);
    const params = options.timeout === undefined ? [ref.id] : [ref.id, timeout];
    const index = await ref.call("barrier.wait", params, signal);
    if (signal?.aborted) throw signal.reason;
    return index as number;
  }

  /** Breaks the barrier: waiting and later parties get `BrokenBarrierError`. */
  async abort(): Promise<void> {
    await this.#ref.call("barrier.abort", [this.#ref.id]);
  }

  /** Mends the barrier; parties waiting now get `BrokenBarrierError`. */
  async reset(): Promise<void> {
    await this.#ref.call("barrier.reset", [this.#ref.id]);
  }

  /**
   * How many parties must arrive.
   *
   * @returns The count.
   */
  async parties(): Promise<number> {
    return (await this.#state()).parties;
  }

  /**
   * How many parties are waiting now (Python's `n_waiting`).
   *
   * @returns The count.
   */
  async nWaiting(): Promise<number> {
    return (await this.#state()).nWaiting;
  }

  /**
   * Whether the barrier is broken.
   *
   * @returns `true` when broken.
   */
  async broken(): Promise<boolean> {
    return (await this.#state()).broken;
  }

  async #state(): Promise<
    { parties: number; nWaiting: number; broken: boolean }
  > {
    return await this.#ref.call("barrier.state", [this.#ref.id]) as {
      parties: number;
      nWaiting: number;
      broken: boolean;
    };
  }
}

/**
 * The methods of `T` as a proxy of it offers them: each one async, with
 * the same parameters (Python's exposed methods). Members that are not
 * methods and methods starting with `_` are left out.
 *
 * @typeParam T The registered type's instance type.
 */
export type RemoteMethods<T> = {
  [
    K in keyof T as K extends `_${string}` ? never : T[K] extends (
      ...args: never[]
    ) => unknown ? K
    : never
  ]: T[K] extends (...args: infer A) => infer R
    ? (...args: A) => Promise<Awaited<R>>
    : never;
};

/**
 * A proxy of a registered type's object: its exposed methods, each async.
 *
 * @typeParam T The registered type's instance type.
 */
export type CustomProxy<T> = AutoProxy & RemoteMethods<T>;

/**
 * The proxy of an object of a type registered with
 * {@linkcode Manager.register} (Python's `AutoProxy`): one async method
 * per exposed method, each a call to the manager, where the object lives.
 * Arguments and results cross as values (copies); a proxy of a registered
 * type passed as an argument arrives as its object. The class itself has
 * no string-named members, so an exposed method can be called anything
 * but `then`.
 *
 * @example Usage
 * ```ts ignore
 * import { Manager } from "@denomp/multiprocessing";
 *
 * export class Maths {
 *   add(a: number, b: number): number {
 *     return a + b;
 *   }
 * }
 * const MathsType = Manager.register("Maths", Maths);
 * if (import.meta.main) {
 *   await using manager = await Manager.start();
 *   const maths = await manager.create(MathsType);
 *   console.log(await maths.add(1, 2)); // 3
 * }
 * ```
 */
export class AutoProxy extends BaseProxy {
  /** @ignore Made by {@linkcode Manager.create}. */
  constructor(ref: ProxyRef) {
    super(ref);
  }
}

/** One prototype per registered type and exposed list, made once. */
const customPrototypes = new Map<string, object>();

/** The proxy of a registered type's object: an AutoProxy with its methods. */
function customProxy(ref: ProxyRef): AutoProxy {
  const cacheKey = `${ref.typeid}\n${ref.exposed.join(",")}`;
  let proto = customPrototypes.get(cacheKey);
  if (proto === undefined) {
    // Plain methods on a prototype, one per exposed name, rather than a
    // JavaScript Proxy: cheaper per call, and `Deno.inspect`, `in` and
    // `Object.keys` behave as on any object.
    proto = Object.create(AutoProxy.prototype) as object;
    for (const name of ref.exposed) {
      if (name === "then") continue;
      const what = `Cannot call ${ref.typeid}.${name}`;
      Object.defineProperty(proto, name, {
        value: function (this: AutoProxy, ...args: unknown[]) {
          const r = refOf(this)!;
          return r.call("custom.call", [
            r.id,
            name,
            ...args.map((arg) => encodeValue(arg, what, r.manager)),
          ]);
        },
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    customPrototypes.set(cacheKey, proto);
  }
  const proxy = new AutoProxy(ref);
  Object.setPrototypeOf(proxy, proto);
  return proxy;
}

/** Any proxy. */
export type AnyProxy =
  | DictProxy
  | ListProxy
  | NamespaceProxy
  | ValueProxy
  | ArrayProxy
  | LockProxy
  | RLockProxy
  | SemaphoreProxy
  | BoundedSemaphoreProxy
  | EventProxy
  | ConditionProxy
  | BarrierProxy
  | QueueProxy
  | AutoProxy;

/** Wraps a ref in the proxy class of its kind. */
function proxyOf(ref: ProxyRef): AnyProxy {
  switch (ref.kind as ProxyKind) {
    case "dict":
      return new DictProxy(ref);
    case "list":
      return new ListProxy(ref);
    case "namespace":
      return new NamespaceProxy(ref);
    case "value":
      return new ValueProxy(ref);
    case "array":
      return new ArrayProxy(ref);
    case "lock":
      return new LockProxy(ref);
    case "rlock":
      return new RLockProxy(ref);
    case "semaphore":
      return new SemaphoreProxy(ref);
    case "boundedSemaphore":
      return new BoundedSemaphoreProxy(ref);
    case "event":
      return new EventProxy(ref);
    case "condition":
      return new ConditionProxy(ref);
    case "barrier":
      return new BarrierProxy(ref);
    case "queue":
      return new QueueProxy(ref);
    case "custom":
      return customProxy(ref);
  }
  throw new TypeError(`Cannot make a proxy: unknown kind ${ref.kind}`);
}

setProxyFactory(proxyOf);

registerShareable(KIND, (data) => {
  const { kind, id, address, authkey, typeid, exposed } = data as ProxyData;
  const ref = new ProxyRef(
    id,
    kind,
    address,
    authkey,
    null as RpcClient | null,
  );
  if (typeid !== undefined) {
    ref.typeid = typeid;
    ref.exposed = exposed ?? [];
  }
  const proxy = proxyOf(ref);
  ref.own(proxy);
  return proxy;
});
