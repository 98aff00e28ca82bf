// Copyright 2026 the denomp authors. MIT license.
// The Manager server's object table: the objects it holds (by id, with a
// reference count), their states, the parameter checks every method uses,
// and parked calls (waiters). Private.

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

export const UNDEFINED = { $: "u" };

// ---------------------------------------------------------------------------
// Shared objects

export type Kind =
  | "dict"
  | "list"
  | "namespace"
  | "value"
  | "lock"
  | "rlock"
  | "semaphore"
  | "event"
  | "queue";

export interface Entry {
  kind: Kind;
  refs: number;
  // deno-lint-ignore no-explicit-any
  state: any;
}

/** A call parked on the server (lock, semaphore, event, queue). */
export interface Waiter {
  conn: Conn;
  id: RpcId;
  /** Completes the call with a result. */
  done(result: unknown): void;
  /** Ends the wait: removes it from its object and clears its timer. */
  drop(): void;
  timer: ReturnType<typeof setTimeout> | undefined;
}

export interface LockState {
  locked: boolean;
  owner: Conn | null;
  waiters: Waiter[];
}
export interface RLockState {
  owner: Conn | null;
  count: number;
  waiters: Waiter[];
}
export interface SemaphoreState {
  value: number;
  waiters: Waiter[];
}
export interface EventState {
  flag: boolean;
  waiters: Waiter[];
}
export interface QueueState {
  items: unknown[];
  maxsize: number;
  getters: Waiter[];
  putters: (Waiter & { item: unknown })[];
}

export const objects = new Map<string, Entry>();

export function newId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(8));
  let s = "";
  for (const b of bytes) s += b.toString(16).padStart(2, "0");
  return s;
}

export function entryOf(id: unknown, kind: Kind | null): Entry {
  if (typeof id !== "string") {
    throw new ParamsError(`object id must be a string, received ${typeof id}`);
  }
  const entry = objects.get(id);
  if (entry === undefined) throw new UnknownObjectError(`No object ${id}`);
  if (kind !== null && entry.kind !== kind) {
    throw new ParamsError(`object ${id} is a ${entry.kind}, not a ${kind}`);
  }
  return entry;
}

export function str(value: unknown, what: string): string {
  if (typeof value !== "string") {
    throw new ParamsError(`${what} must be a string, received ${typeof value}`);
  }
  return value;
}

export function int(value: unknown, what: string): number {
  if (!Number.isSafeInteger(value)) {
    throw new ParamsError(`${what} must be an integer, received ${value}`);
  }
  return value as number;
}

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

/** Builds an object from a map; null prototype so "__proto__" is data. */
export function objectOf(map: Map<string, unknown>): unknown {
  const out = Object.create(null) as Record<string, unknown>;
  for (const [k, v] of map) out[k] = v;
  return map.has("$") ? { $: "o", v: out } : out;
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
export function index(list: unknown[], i: unknown, what: string): number {
  const n = int(i, "index");
  const at = n < 0 ? list.length + n : n;
  if (at < 0 || at >= list.length) {
    throw named("RangeError", `Cannot ${what}: list index ${n} out of range`);
  }
  return at;
}

/** Parks a call until `done()` or its timeout (which completes with `onTimeout`). */
export function park(
  conn: Conn,
  id: RpcId,
  queue: Waiter[],
  timeout: number | null,
  onTimeout: () => unknown,
  extra: Record<string, unknown> = {},
): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const waiter = Object.assign(extra, {
      conn,
      id,
      timer: undefined as ReturnType<typeof setTimeout> | undefined,
      done(result: unknown) {
        waiter.drop();
        resolve(result);
      },
      drop() {
        const at = queue.indexOf(waiter);
        if (at >= 0) queue.splice(at, 1);
        if (waiter.timer !== undefined) clearTimeout(waiter.timer);
        conn.waiters.delete(id);
      },
      cancel() {
        waiter.drop();
        reject(new CancelledWait("The call was cancelled"));
      },
    });
    if (timeout !== null) {
      waiter.timer = setTimeout(() => {
        waiter.drop();
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

export function lockRelease(state: LockState): void {
  if (!state.locked) {
    throw named("Error", "Cannot release lock: the lock is not held");
  }
  const next = state.waiters[0];
  if (next) {
    // Hand over directly: no acquirer can slip in between.
    state.owner = next.conn;
    next.done(true);
  } else {
    state.locked = false;
    state.owner = null;
  }
}

export function rlockRelease(state: RLockState, conn: Conn): void {
  if (state.owner !== conn || state.count === 0) {
    throw named(
      "Error",
      "Cannot release rlock: the rlock is not held by this connection",
    );
  }
  if (--state.count > 0) return;
  const next = state.waiters[0];
  if (next) {
    state.owner = next.conn;
    state.count = 1;
    next.done(true);
  } else {
    state.owner = null;
  }
}

export function semaphoreRelease(state: SemaphoreState, n: number): void {
  state.value += n;
  while (state.value > 0 && state.waiters.length > 0) {
    state.value--;
    state.waiters[0]!.done(true);
  }
}

export function queueShift(state: QueueState): unknown {
  const item = state.items.shift();
  const putter = state.putters[0];
  if (putter) {
    state.items.push(putter.item);
    putter.done(null);
  }
  return item;
}

export function queuePush(state: QueueState, item: unknown): void {
  const getter = state.getters[0];
  if (getter) {
    getter.done(item);
  } else {
    state.items.push(item);
  }
}

/** A method: receives the call's connection, params and id. */
export type Method = (conn: Conn, params: unknown[], id: RpcId) => unknown;

/** Wraps an object method: `params[0]` is the object id, the rest args. */
export function on<S>(
  kind: Kind,
  fn: (state: S, args: unknown[], conn: Conn, id: RpcId) => unknown,
): Method {
  return (conn, params, id) =>
    fn(entryOf(params[0], kind).state as S, params.slice(1), conn, id);
}
