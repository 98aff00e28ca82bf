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
  type RpcClient,
} from "./manager/client.ts";
import { encodeValue } from "./manager/codec.ts";
import {
  registerShareable,
  SHARE,
  type SharedDescriptor,
} from "./_registry.ts";
import { checkSignal, checkTimeout, describe } from "./_wait.ts";
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

/** The kinds of object a manager serves. */
export type ProxyKind =
  | "dict"
  | "list"
  | "namespace"
  | "value"
  | "lock"
  | "rlock"
  | "semaphore"
  | "event"
  | "queue";

const KIND = "ManagerProxy";

interface ProxyData {
  kind: ProxyKind;
  id: string;
  address: ManagerAddress;
  authkey: string;
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
  return { kind: KIND, module: import.meta.url, data };
}

function inspect(name: string, ref: ProxyRef): string {
  const where = typeof ref.address === "string"
    ? ref.address
    : `${ref.address.hostname}:${ref.address.port}`;
  return `${name} { id: "${ref.id}", manager: "${where}" }`;
}

function enc(value: unknown, what: string): unknown {
  return encodeValue(value, what);
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
 * A `dict` on the manager: string keys, values of type `V`.
 *
 * @typeParam V The type of the values.
 *
 * @example Usage
 * ```ts
 * import { Manager } from "@denomp/multiprocessing";
 * import assert from "node:assert/strict";
 *
 * await using manager = await Manager.start();
 * const d = await manager.dict<number>({ a: 1 });
 * await d.set("b", 2);
 * assert.equal(await d.get("b"), 2);
 * assert.deepEqual(await d.toObject(), { a: 1, b: 2 });
 * ```
 */
export class DictProxy<V = unknown> {
  #ref: ProxyRef;

  /** @ignore Made by {@linkcode Manager.dict}. */
  constructor(ref: ProxyRef) {
    this.#ref = ref;
  }

  /**
   * The value at `key`, or `fallback` (default `undefined`) when absent.
   *
   * @param k The key.
   * @param fallback What to return when the key is absent.
   * @returns A copy of the value.
   */
  async get(k: string, fallback?: V): Promise<V | undefined> {
    const ref = this.#ref;
    return await ref.call(
      "dict.get",
      arguments.length > 1
        ? [ref.id, key(k, "Cannot get key"), enc(fallback, "Cannot get key")]
        : [ref.id, key(k, "Cannot get key")],
    ) as V | undefined;
  }

  /**
   * Sets `key` to `value`.
   *
   * @param k The key.
   * @param value The value, copied to the manager.
   * @throws {TypeError} when the value cannot be encoded (nothing is sent).
   */
  async set(k: string, value: V): Promise<void> {
    const ref = this.#ref;
    await ref.call("dict.set", [
      ref.id,
      key(k, "Cannot set key"),
      enc(value, "Cannot set key"),
    ]);
  }

  /**
   * Whether `key` is present.
   *
   * @param k The key.
   * @returns `true` when present.
   */
  async has(k: string): Promise<boolean> {
    const ref = this.#ref;
    return await ref.call("dict.has", [
      ref.id,
      key(k, "Cannot check key"),
    ]) as boolean;
  }

  /**
   * Removes `key`.
   *
   * @param k The key.
   * @returns Whether it was present.
   */
  async delete(k: string): Promise<boolean> {
    const ref = this.#ref;
    return await ref.call("dict.delete", [
      ref.id,
      key(k, "Cannot delete key"),
    ]) as boolean;
  }

  /**
   * The keys, in insertion order.
   *
   * @returns A copy of the keys.
   */
  async keys(): Promise<string[]> {
    return await this.#ref.call("dict.keys", [this.#ref.id]) as string[];
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
  async entries(): Promise<[string, V][]> {
    return await this.#ref.call("dict.entries", [this.#ref.id]) as [
      string,
      V,
    ][];
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
   * Sets every key of `other`.
   *
   * @param other A plain object, a Map with string keys, or pairs.
   * @throws {TypeError} when a key is not a string or a value cannot be
   * encoded (nothing is sent).
   */
  async update(
    other: Record<string, V> | Map<string, V> | Iterable<[string, V]>,
  ): Promise<void> {
    const what = "Cannot update dict";
    const out = Object.create(null) as Record<string, unknown>;
    const pairs: Iterable<[unknown, unknown]> = other instanceof Map ||
        Symbol.iterator in Object(other)
      ? other as Iterable<[unknown, unknown]>
      : Object.entries(other);
    for (const pair of pairs) {
      if (!Array.isArray(pair) || pair.length !== 2) {
        throw new TypeError(`${what}: each entry must be a [key, value] pair`);
      }
      out[key(pair[0], what)] = pair[1];
    }
    await this.#ref.call("dict.update", [this.#ref.id, enc(out, what)]);
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
  async pop(k: string, fallback?: V): Promise<V> {
    const ref = this.#ref;
    return await ref.call(
      "dict.pop",
      arguments.length > 1
        ? [ref.id, key(k, "Cannot pop key"), enc(fallback, "Cannot pop key")]
        : [ref.id, key(k, "Cannot pop key")],
    ) as V;
  }

  /**
   * Sets `key` to `value` unless present; returns the value now there.
   *
   * @param k The key.
   * @param value The default.
   * @returns The value at `key` afterwards.
   */
  async setdefault(k: string, value: V): Promise<V> {
    const ref = this.#ref;
    return await ref.call("dict.setdefault", [
      ref.id,
      key(k, "Cannot set default"),
      enc(value, "Cannot set default"),
    ]) as V;
  }

  /**
   * A copy of the whole dict as a plain object (Python's `dict(d)`).
   *
   * @returns The copy.
   */
  async toObject(): Promise<Record<string, V>> {
    return await this.#ref.call("dict.toObject", [this.#ref.id]) as Record<
      string,
      V
    >;
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
   * A short description for `console.log`.
   *
   * @returns The description.
   */
  [Symbol.for("Deno.customInspect")](): string {
    return inspect("DictProxy", this.#ref);
  }
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
export class ListProxy<T = unknown> {
  #ref: ProxyRef;

  /** @ignore Made by {@linkcode Manager.list}. */
  constructor(ref: ProxyRef) {
    this.#ref = ref;
  }

  /**
   * Appends one item.
   *
   * @param item The item.
   */
  async append(item: T): Promise<void> {
    const ref = this.#ref;
    await ref.call("list.append", [ref.id, enc(item, "Cannot append item")]);
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
      enc([...items], "Cannot extend list"),
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
      enc(item, "Cannot set item"),
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
      enc(item, "Cannot insert item"),
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
    await ref.call("list.remove", [ref.id, enc(item, "Cannot remove item")]);
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
      enc(item, what),
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
      enc(item, "Cannot count items"),
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
      enc([...items], "Cannot replace items"),
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
   * A short description for `console.log`.
   *
   * @returns The description.
   */
  [Symbol.for("Deno.customInspect")](): string {
    return inspect("ListProxy", this.#ref);
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
> {
  #ref: ProxyRef;

  /** @ignore Made by {@linkcode Manager.namespace}. */
  constructor(ref: ProxyRef) {
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
      enc(value, "Cannot set attribute"),
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
   * A short description for `console.log`.
   *
   * @returns The description.
   */
  [Symbol.for("Deno.customInspect")](): string {
    return inspect("NamespaceProxy", this.#ref);
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
export class ValueProxy<T = unknown> {
  #ref: ProxyRef;

  /** @ignore Made by {@linkcode Manager.value}. */
  constructor(ref: ProxyRef) {
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
    await ref.call("value.set", [ref.id, enc(value, "Cannot set value")]);
  }

  /**
   * The typecode given at creation.
   *
   * @returns The typecode.
   */
  async typecode(): Promise<string> {
    return await this.#ref.call("value.typecode", [this.#ref.id]) as string;
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
   * A short description for `console.log`.
   *
   * @returns The description.
   */
  [Symbol.for("Deno.customInspect")](): string {
    return inspect("ValueProxy", this.#ref);
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
export class LockProxy {
  #ref: ProxyRef;

  /** @ignore Made by {@linkcode Manager.lock}. */
  constructor(ref: ProxyRef) {
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
   * A short description for `console.log`.
   *
   * @returns The description.
   */
  [Symbol.for("Deno.customInspect")](): string {
    return inspect("LockProxy", this.#ref);
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
export class RLockProxy {
  #ref: ProxyRef;

  /** @ignore Made by {@linkcode Manager.rlock}. */
  constructor(ref: ProxyRef) {
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
   * A short description for `console.log`.
   *
   * @returns The description.
   */
  [Symbol.for("Deno.customInspect")](): string {
    return inspect("RLockProxy", this.#ref);
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
export class SemaphoreProxy {
  #ref: ProxyRef;

  /** @ignore Made by {@linkcode Manager.semaphore}. */
  constructor(ref: ProxyRef) {
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
   * A short description for `console.log`.
   *
   * @returns The description.
   */
  [Symbol.for("Deno.customInspect")](): string {
    return inspect("SemaphoreProxy", this.#ref);
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
export class EventProxy {
  #ref: ProxyRef;

  /** @ignore Made by {@linkcode Manager.event}. */
  constructor(ref: ProxyRef) {
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
   * A short description for `console.log`.
   *
   * @returns The description.
   */
  [Symbol.for("Deno.customInspect")](): string {
    return inspect("EventProxy", this.#ref);
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
export class QueueProxy<T = unknown> {
  #ref: ProxyRef;

  /** @ignore Made by {@linkcode Manager.queue}. */
  constructor(ref: ProxyRef) {
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
    const encoded = enc(item, what);
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
   * A short description for `console.log`.
   *
   * @returns The description.
   */
  [Symbol.for("Deno.customInspect")](): string {
    return inspect("QueueProxy", this.#ref);
  }
}

/** Any proxy. */
export type AnyProxy =
  | DictProxy
  | ListProxy
  | NamespaceProxy
  | ValueProxy
  | LockProxy
  | RLockProxy
  | SemaphoreProxy
  | EventProxy
  | QueueProxy;

/**
 * Wraps a ref in the proxy class of its kind.
 *
 * @ignore Internal: used by {@linkcode Manager} and the registry.
 */
export function proxyOf(ref: ProxyRef): AnyProxy {
  switch (ref.kind as ProxyKind) {
    case "dict":
      return new DictProxy(ref);
    case "list":
      return new ListProxy(ref);
    case "namespace":
      return new NamespaceProxy(ref);
    case "value":
      return new ValueProxy(ref);
    case "lock":
      return new LockProxy(ref);
    case "rlock":
      return new RLockProxy(ref);
    case "semaphore":
      return new SemaphoreProxy(ref);
    case "event":
      return new EventProxy(ref);
    case "queue":
      return new QueueProxy(ref);
  }
}

registerShareable(KIND, (data) => {
  const { kind, id, address, authkey } = data as ProxyData;
  const ref = new ProxyRef(
    id,
    kind,
    address,
    authkey,
    null as RpcClient | null,
  );
  const proxy = proxyOf(ref);
  ref.own(proxy);
  return proxy;
});
