// Copyright 2026 the denomp authors. MIT license.
// The Manager server's object table: the objects it holds (by id, with a
// reference count), the kinds they can be, the proxies stored inside
// values, the parameter checks every method uses, and parked calls
// (waiters). Private.
//
// Reference counting: an object lives while anything holds it - a proxy in
// some program (each proxy holds one reference, given back when it is
// garbage-collected), a name given with manager.register, or another object
// that stores a proxy of it inside a value (a dict of lists). Values are
// stored as wire trees (lib/manager/codec.ts); a proxy inside one is the
// tag {"$":"p","v":...}. Storing a value takes a reference for every tag in
// it, removing it gives them back, and every answer that carries tags takes
// one for each: the client turns each into a proxy that owns it. When the
// count reaches 0 the object is deleted and the values it held give back
// theirs. (Two objects that hold each other are never deleted, as in
// Python's managers.)

import type { RpcId } from "./rpc.ts";
import type { Conn } from "./server.ts";

/** Parameters that do not fit the method (JSON-RPC -32602). */
export class ParamsError extends Error {}
/** An object id that is not in the table (-32001). */
export class UnknownObjectError extends Error {}
/** A wait cancelled with manager.cancel (-32002). */
export class CancelledWait extends Error {}

/** An error with a chosen name, as the client rebuilds it. */
export function named(name: string, message: string): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}

/** The wire tree of `undefined`. */
export const UNDEFINED = { $: "u" };

// ---------------------------------------------------------------------------
// Kinds and the table

/** An object the server holds. */
export interface Entry {
  /** The kind, such as `"dict"`, or `"custom"` for a registered type. */
  kind: string;
  refs: number;
  // deno-lint-ignore no-explicit-any
  state: any;
  /** A registered type's name. */
  typeid?: string;
  /** A registered type's methods that clients may call. */
  exposed?: string[];
}

/** What the server knows about a kind of object. */
export interface KindSpec {
  /** Builds the state from the arguments of `manager.create`. */
  create(args: unknown[]): unknown;
  /** The stored values, whose proxies are given back on delete. */
  held?(state: unknown): Iterable<unknown>;
  /** Drops a closed connection's waits and what it holds. */
  disconnect?(state: unknown, conn: Conn): void;
}

/** Every kind, by name. */
export const kinds = new Map<string, KindSpec>();

/** Every object, by id. */
export const objects = new Map<string, Entry>();

/** A fresh object id: 16 hex digits. */
export function newId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(8));
  let s = "";
  for (const b of bytes) s += b.toString(16).padStart(2, "0");
  return s;
}

/** Puts a new object in the table, holding one reference; its id. */
export function insert(entry: Entry): string {
  const id = newId();
  objects.set(id, entry);
  return id;
}

/** The object `id` of kind `kind` (any kind when `null`). */
export function entryOf(id: unknown, kind: string | null): Entry {
  if (typeof id !== "string") {
    throw new ParamsError(`object id must be a string, received ${typeof id}`);
  }
  const entry = objects.get(id);
  if (entry === undefined) throw new UnknownObjectError(`No object ${id}`);
  if (kind !== null && entry.kind !== kind) {
    throw new ParamsError(
      `object ${id} is a ${entry.typeid ?? entry.kind}, not a ${kind}`,
    );
  }
  return entry;
}

/** Gives back one reference; at 0 the object goes, and what it held. */
export function decref(id: string): void {
  const entry = objects.get(id);
  if (entry === undefined || --entry.refs > 0) return;
  objects.delete(id);
  const held = kinds.get(entry.kind)?.held?.(entry.state);
  if (held !== undefined) { for (const value of held) releaseTree(value); }
}

// ---------------------------------------------------------------------------
// Proxies inside values

/** The canonical tag of a proxy of `entry`, as stored and answered. */
function tagOf(id: string, entry: Entry): Record<string, unknown> {
  const v: Record<string, unknown> = { id, kind: entry.kind };
  if (entry.typeid !== undefined) {
    v.typeid = entry.typeid;
    v.exposed = entry.exposed;
  }
  return { $: "p", v };
}

/** The id a proxy tag names (as a client sends it, or canonical). */
function tagId(tag: Record<string, unknown>): string {
  const v = tag.v;
  if (typeof v === "string") return v;
  if (
    typeof v === "object" && v !== null &&
    typeof (v as Record<string, unknown>).id === "string"
  ) {
    return (v as { id: string }).id;
  }
  throw new ParamsError("a proxy tag must name an object id");
}

/**
 * Calls `fn` with every proxy tag in a wire tree (objects with "$": "p"),
 * and its container and key, so it can be replaced.
 */
function eachTag(
  tree: unknown,
  fn: (
    tag: Record<string, unknown>,
    parent: Record<string, unknown> | unknown[] | null,
    key: string | number,
  ) => void,
  parent: Record<string, unknown> | unknown[] | null = null,
  key: string | number = 0,
  depth = 0,
): void {
  if (typeof tree !== "object" || tree === null) return;
  if (depth > 1000) throw new ParamsError("a value is nested too deeply");
  if (Array.isArray(tree)) {
    for (let i = 0; i < tree.length; i++) {
      const item = tree[i];
      if (typeof item === "object" && item !== null) {
        eachTag(item, fn, tree, i, depth + 1);
      }
    }
    return;
  }
  const record = tree as Record<string, unknown>;
  if (Object.hasOwn(record, "$")) {
    switch (record.$) {
      case "p":
        fn(record, parent, key);
        return;
      case "m":
      case "s":
      case "o":
        eachTag(record.v, fn, record, "v", depth + 1);
        return;
      default:
        return;
    }
  }
  for (const k of Object.keys(record)) {
    const item = record[k];
    if (typeof item === "object" && item !== null) {
      eachTag(item, fn, record, k, depth + 1);
    }
  }
}

function replace(
  parent: Record<string, unknown> | unknown[] | null,
  key: string | number,
  value: unknown,
): unknown {
  if (parent === null) return value;
  (parent as Record<string | number, unknown>)[key] = value;
  return undefined;
}

/**
 * Checks every proxy in a value a client sent and rewrites each into its
 * canonical tag; with `hold`, takes a reference for each. Nothing is held
 * when a tag names no object (the call fails whole). Returns the value
 * (replaced when the value itself is a tag) and how many tags it has.
 */
export function adoptTree(
  tree: unknown,
  hold: boolean,
): { value: unknown; tags: number } {
  if (typeof tree !== "object" || tree === null) {
    return { value: tree, tags: 0 };
  }
  const found: [
    Record<string, unknown> | unknown[] | null,
    string | number,
    string,
    Entry,
  ][] = [];
  eachTag(tree, (tag, parent, key) => {
    const id = tagId(tag);
    found.push([parent, key, id, entryOf(id, null)]);
  });
  let value: unknown = tree;
  for (const [parent, key, id, entry] of found) {
    if (hold) entry.refs++;
    const out = replace(parent, key, tagOf(id, entry));
    if (parent === null) value = out;
  }
  return { value, tags: found.length };
}

/** How many proxy tags a wire tree holds. */
export function countTags(tree: unknown): number {
  if (typeof tree !== "object" || tree === null) return 0;
  let n = 0;
  eachTag(tree, () => n++);
  return n;
}

/** Gives back the references a stored value held; how many tags it had. */
export function releaseTree(tree: unknown): number {
  if (typeof tree !== "object" || tree === null) return 0;
  const ids: string[] = [];
  eachTag(tree, (tag) => ids.push(tagId(tag)));
  for (const id of ids) decref(id);
  return ids.length;
}

/**
 * Takes a reference for every tag in an answer: the client's proxy for it
 * will own that one. A tag whose object is gone (a cycle's leftovers
 * cannot be; this is defensive) is answered as it is.
 */
export function lendTree(tree: unknown): void {
  if (typeof tree !== "object" || tree === null) return;
  eachTag(tree, (tag) => {
    const entry = objects.get(tagId(tag));
    if (entry !== undefined) entry.refs++;
  });
}

/** Counts of stored values that hold proxies, per container. */
export interface Tagged {
  /** How many stored values hold at least one proxy tag. */
  tagged: number;
}

/** Stores a client's value in a container: checked, held, counted. */
export function hold(container: Tagged, tree: unknown): unknown {
  if (typeof tree !== "object" || tree === null) return tree;
  const { value, tags } = adoptTree(tree, true);
  if (tags > 0) container.tagged++;
  return value;
}

/** Removes a stored value from a container: its references given back. */
export function unhold(container: Tagged, tree: unknown): void {
  if (container.tagged === 0) return;
  if (releaseTree(tree) > 0) container.tagged--;
}

/**
 * Removes a value from a container without giving back its references:
 * they go to the client it is answered to.
 */
export function detach(container: Tagged, tree: unknown): unknown {
  if (container.tagged > 0 && countTags(tree) > 0) container.tagged--;
  return tree;
}

/** An answer of stored values: a reference taken for each proxy in it. */
export function lend<T>(container: Tagged, tree: T): T {
  if (container.tagged > 0) lendTree(tree);
  return tree;
}

// ---------------------------------------------------------------------------
// Checks

/** A string parameter. */
export function str(value: unknown, what: string): string {
  if (typeof value !== "string") {
    throw new ParamsError(`${what} must be a string, received ${typeof value}`);
  }
  return value;
}

/** A safe-integer parameter. */
export function int(value: unknown, what: string): number {
  if (!Number.isSafeInteger(value)) {
    throw new ParamsError(`${what} must be an integer, received ${value}`);
  }
  return value as number;
}

/** An array parameter. */
export function arr(value: unknown, what: string): unknown[] {
  if (!Array.isArray(value)) {
    throw new ParamsError(`${what} must be an array`);
  }
  return value;
}

/** `null` (wait for ever) or a non-negative number of milliseconds. */
export function timeoutOf(value: unknown): number | null {
  if (value === null || value === undefined) return null;
  if (typeof value !== "number" || !(value >= 0)) {
    throw new ParamsError(`timeout must be null or a non-negative number`);
  }
  return value;
}

/** A plain-data record (a JSON object that is not a tagged value). */
export function record(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new ParamsError(`${what} must be an object`);
  }
  const r = value as Record<string, unknown>;
  if (Object.hasOwn(r, "$")) {
    if (r.$ === "o" && typeof r.v === "object" && r.v !== null) {
      return r.v as Record<string, unknown>;
    }
    throw new ParamsError(`${what} must be a plain object`);
  }
  return r;
}

/** Structural equality of two wire trees (object key order ignored). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || !a || !b) {
    return false;
  }
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) {
      if (!deepEqual(a[i], b[i])) return false;
    }
    return true;
  }
  if (Array.isArray(b)) return false;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  for (const k of ka) {
    if (!Object.hasOwn(b, k)) return false;
    if (
      !deepEqual(
        (a as Record<string, unknown>)[k],
        (b as Record<string, unknown>)[k],
      )
    ) return false;
  }
  return true;
}

/** Python's index normalisation for get/set/pop. */
export function index(
  list: ArrayLike<unknown>,
  i: unknown,
  what: string,
): number {
  const n = int(i, "index");
  const at = n < 0 ? list.length + n : n;
  if (at < 0 || at >= list.length) {
    throw named("RangeError", `Cannot ${what}: index ${n} out of range`);
  }
  return at;
}

// ---------------------------------------------------------------------------
// Parked calls

/** A call parked on the server (lock, semaphore, event, queue...). */
export interface Waiter {
  conn: Conn;
  id: RpcId;
  /** Completes the call with a result. */
  done(result: unknown): void;
  /** Fails the call with an error. */
  fail(error: unknown): void;
  /**
   * Ends the wait without an answer (its connection closed): removes it
   * from its object and clears its timer.
   */
  drop(): void;
  /** Fails the call as cancelled (manager.cancel). */
  cancel(): void;
}

/** What a parked call may add to its waiter. */
export interface ParkExtra {
  /**
   * Called once when the wait ends without `done()` or `fail()`: timed
   * out, cancelled or dropped (a queue's putter gives back its item).
   */
  abandoned?(): void;
}

/**
 * Parks a call until `done()` or its timeout (which completes with
 * `onTimeout`). With `id` null the wait cannot be cancelled.
 */
export function park<W extends Waiter>(
  conn: Conn,
  id: RpcId,
  queue: W[],
  timeout: number | null,
  onTimeout: () => unknown,
  extra?: Omit<W, keyof Waiter> & ParkExtra,
): Promise<unknown> {
  return new Promise((resolve, reject) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let left = false;
    const leave = (abandoned: boolean) => {
      if (left) return;
      left = true;
      const at = queue.indexOf(waiter);
      if (at >= 0) queue.splice(at, 1);
      if (timer !== undefined) clearTimeout(timer);
      if (id !== null && conn.waiters.get(id) === waiter) {
        conn.waiters.delete(id);
      }
      if (abandoned) extra?.abandoned?.();
    };
    const waiter = Object.assign(extra ?? {}, {
      conn,
      id,
      done(result: unknown) {
        leave(false);
        resolve(result);
      },
      fail(error: unknown) {
        leave(false);
        reject(error);
      },
      drop() {
        leave(true);
      },
      cancel() {
        leave(true);
        reject(new CancelledWait("The call was cancelled"));
      },
    }) as unknown as W;
    if (timeout !== null) {
      timer = setTimeout(() => {
        leave(true);
        try {
          resolve(onTimeout());
        } catch (error) {
          reject(error);
        }
      }, timeout);
    }
    queue.push(waiter);
    // Only calls with an id can be cancelled; a notification just waits.
    if (id !== undefined && id !== null) conn.waiters.set(id, waiter);
  });
}

/** Drops the waits of `conn` in each queue. */
export function dropWaits(conn: Conn, ...queues: Waiter[][]): void {
  for (const queue of queues) {
    for (const w of queue.filter((w) => w.conn === conn)) w.drop();
  }
}

// ---------------------------------------------------------------------------
// Methods

/** A method: receives the call's connection, params and id. */
export type Method = (conn: Conn, params: unknown[], id: RpcId) => unknown;

/**
 * Wraps an object method: `params[0]` is the id of an object of `kind`
 * (or of any of several kinds), the rest are the method's arguments.
 */
export function on<S>(
  kind: string | string[],
  fn: (state: S, args: unknown[], conn: Conn, id: RpcId) => unknown,
): Method {
  if (typeof kind === "string") {
    return (conn, params, id) =>
      fn(entryOf(params[0], kind).state as S, params.slice(1), conn, id);
  }
  return (conn, params, id) => {
    const entry = entryOf(params[0], null);
    if (!kind.includes(entry.kind)) {
      throw new ParamsError(
        `object ${params[0]} is a ${entry.kind}, not a ${kind.join(" or ")}`,
      );
    }
    return fn(entry.state as S, params.slice(1), conn, id);
  };
}
