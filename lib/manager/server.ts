// Copyright 2026 the denomp authors. MIT license.
// The Manager's server, run in its own subprocess by
// workers/manager_server.ts. It reads its configuration from stdin, listens
// on a Unix socket (in a private directory it creates) or on TCP, then
// serves JSON-RPC 2.0 on every authenticated connection and on its own
// stdin/stdout (the parent's private channel). When stdin reaches end of
// file - the parent shut it down, exited or was killed - it exits.
// docs/PROTOCOL.md describes the wire. Private.

import {
  CANCELLED,
  FRAME_TOO_LARGE,
  INTERNAL_ERROR,
  INVALID_PARAMS,
  INVALID_REQUEST,
  METHOD_ERROR,
  METHOD_NOT_FOUND,
  PARSE_ERROR,
  PROTOCOL,
  type RpcId,
  UNKNOWN_OBJECT,
} from "./rpc.ts";
import {
  type ByteLink,
  FrameReader,
  FrameTooLargeError,
  FrameWriter,
  fromBase64,
  readUtf8,
} from "../net/frame.ts";
import { importHmacKey } from "../_auth.ts";
import {
  HANDSHAKE_MAX_FRAME_BYTES,
  linkChannel,
  serveHandshake,
} from "../net/handshake.ts";

/** The first frame the parent writes to the server's stdin. */
export interface ServerConfig {
  /** Base64 of the authkey. */
  authkey: string;
  /** Where to listen. */
  address: { path: string; dir: string } | { hostname: string; port: number };
  /** Largest frame accepted after the handshake. */
  maxFrameBytes: number;
}

/** What the server writes to stdout once it is listening. */
export interface ReadyFrame {
  ready: true;
  /** A Unix socket path, or the bound TCP address. */
  address: string | { hostname: string; port: number };
  pid: number;
}

/** Parameters that do not fit the method (JSON-RPC -32602). */
class ParamsError extends Error {}
/** An object id that is not in the table (-32001). */
class UnknownObjectError extends Error {}
/** A wait cancelled with manager.cancel (-32002). */
class CancelledWait extends Error {}

/** An error with a chosen name, as the client rebuilds it. */
function named(name: string, message: string): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}

const UNDEFINED = { $: "u" };

// ---------------------------------------------------------------------------
// Shared objects

type Kind =
  | "dict"
  | "list"
  | "namespace"
  | "value"
  | "lock"
  | "rlock"
  | "semaphore"
  | "event"
  | "queue";

interface Entry {
  kind: Kind;
  refs: number;
  // deno-lint-ignore no-explicit-any
  state: any;
}

/** A call parked on the server (lock, semaphore, event, queue). */
interface Waiter {
  conn: Conn;
  id: RpcId;
  /** Completes the call with a result. */
  done(result: unknown): void;
  /** Ends the wait: removes it from its object and clears its timer. */
  drop(): void;
  timer: ReturnType<typeof setTimeout> | undefined;
}

interface LockState {
  locked: boolean;
  owner: Conn | null;
  waiters: Waiter[];
}
interface RLockState {
  owner: Conn | null;
  count: number;
  waiters: Waiter[];
}
interface SemaphoreState {
  value: number;
  waiters: Waiter[];
}
interface EventState {
  flag: boolean;
  waiters: Waiter[];
}
interface QueueState {
  items: unknown[];
  maxsize: number;
  getters: Waiter[];
  putters: (Waiter & { item: unknown })[];
}

const objects = new Map<string, Entry>();

function newId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(8));
  let s = "";
  for (const b of bytes) s += b.toString(16).padStart(2, "0");
  return s;
}

function entryOf(id: unknown, kind: Kind | null): Entry {
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

function str(value: unknown, what: string): string {
  if (typeof value !== "string") {
    throw new ParamsError(`${what} must be a string, received ${typeof value}`);
  }
  return value;
}

function int(value: unknown, what: string): number {
  if (!Number.isSafeInteger(value)) {
    throw new ParamsError(`${what} must be an integer, received ${value}`);
  }
  return value as number;
}

function arr(value: unknown, what: string): unknown[] {
  if (!Array.isArray(value)) {
    throw new ParamsError(`${what} must be an array`);
  }
  return value;
}

/** `null` (wait for ever) or a non-negative number of milliseconds. */
function timeoutOf(value: unknown): number | null {
  if (value === null || value === undefined) return null;
  if (typeof value !== "number" || !(value >= 0)) {
    throw new ParamsError(`timeout must be null or a non-negative number`);
  }
  return value;
}

/** A plain-data record (a JSON object that is not a tagged value). */
function record(value: unknown, what: string): Record<string, unknown> {
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
function objectOf(map: Map<string, unknown>): unknown {
  const out = Object.create(null) as Record<string, unknown>;
  for (const [k, v] of map) out[k] = v;
  return map.has("$") ? { $: "o", v: out } : out;
}

/** Structural equality of two wire trees (object key order ignored). */
function deepEqual(a: unknown, b: unknown): boolean {
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
function index(list: unknown[], i: unknown, what: string): number {
  const n = int(i, "index");
  const at = n < 0 ? list.length + n : n;
  if (at < 0 || at >= list.length) {
    throw named("RangeError", `Cannot ${what}: list index ${n} out of range`);
  }
  return at;
}

/** Parks a call until `done()` or its timeout (which completes with `onTimeout`). */
function park(
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

function lockRelease(state: LockState): void {
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

function rlockRelease(state: RLockState, conn: Conn): void {
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

function semaphoreRelease(state: SemaphoreState, n: number): void {
  state.value += n;
  while (state.value > 0 && state.waiters.length > 0) {
    state.value--;
    state.waiters[0]!.done(true);
  }
}

function queueShift(state: QueueState): unknown {
  const item = state.items.shift();
  const putter = state.putters[0];
  if (putter) {
    state.items.push(putter.item);
    putter.done(null);
  }
  return item;
}

function queuePush(state: QueueState, item: unknown): void {
  const getter = state.getters[0];
  if (getter) {
    getter.done(item);
  } else {
    state.items.push(item);
  }
}

/** A method: receives the call's connection, params and id. */
type Method = (conn: Conn, params: unknown[], id: RpcId) => unknown;

/** Wraps an object method: `params[0]` is the object id, the rest args. */
function on<S>(
  kind: Kind,
  fn: (state: S, args: unknown[], conn: Conn, id: RpcId) => unknown,
): Method {
  return (conn, params, id) =>
    fn(entryOf(params[0], kind).state as S, params.slice(1), conn, id);
}

function createState(kind: unknown, args: unknown[]): Entry {
  switch (kind) {
    case "dict": {
      const map = new Map<string, unknown>();
      if (args[0] !== undefined) {
        const init = record(args[0], "init");
        for (const k of Object.keys(init)) map.set(k, init[k]);
      }
      return { kind, refs: 1, state: map };
    }
    case "list":
      return {
        kind,
        refs: 1,
        state: args[0] === undefined ? [] : arr(args[0], "init").slice(),
      };
    case "namespace": {
      const map = new Map<string, unknown>();
      if (args[0] !== undefined) {
        const init = record(args[0], "init");
        for (const k of Object.keys(init)) map.set(k, init[k]);
      }
      return { kind, refs: 1, state: map };
    }
    case "value":
      return {
        kind,
        refs: 1,
        state: { typecode: str(args[0], "typecode"), value: args[1] ?? 0 },
      };
    case "lock":
      return {
        kind,
        refs: 1,
        state: { locked: false, owner: null, waiters: [] } as LockState,
      };
    case "rlock":
      return {
        kind,
        refs: 1,
        state: { owner: null, count: 0, waiters: [] } as RLockState,
      };
    case "semaphore": {
      const value = args[0] === undefined ? 1 : int(args[0], "value");
      if (value < 0) throw new ParamsError("value must be non-negative");
      return { kind, refs: 1, state: { value, waiters: [] } };
    }
    case "event":
      return { kind, refs: 1, state: { flag: false, waiters: [] } };
    case "queue": {
      const maxsize = args[0] === undefined ? 0 : int(args[0], "maxsize");
      return {
        kind,
        refs: 1,
        state: { items: [], maxsize, getters: [], putters: [] } as QueueState,
      };
    }
    default:
      throw new ParamsError(`unknown kind ${String(kind)}`);
  }
}

/**
 * The allow-list: every callable method, by wire name. A `Map`, so names
 * such as "constructor" or "__proto__" can never reach anything inherited.
 */
const names = new Map<string, string>();
let accepted = 0;
let open = 0;

function releaseId(id: string): void {
  const entry = objects.get(id);
  if (entry !== undefined && --entry.refs <= 0) objects.delete(id);
}

const METHODS = new Map<string, Method>([
  ["manager.ping", () => ({ pid: Deno.pid, accepted, open })],
  ["manager.register", (_c, params) => {
    const name = str(params[0], "name");
    const entry = entryOf(params[1], null);
    entry.refs++;
    const old = names.get(name);
    names.set(name, params[1] as string);
    if (old !== undefined) releaseId(old);
    return null;
  }],
  ["manager.lookup", (_c, params) => {
    const name = str(params[0], "name");
    const id = names.get(name);
    const entry = id === undefined ? undefined : objects.get(id);
    if (entry === undefined) {
      throw named(
        "RangeError",
        `Cannot look up object: no object is registered as ${
          JSON.stringify(name.slice(0, 100))
        }`,
      );
    }
    entry.refs++;
    return [id, entry.kind];
  }],
  ["manager.create", (_c, params) => {
    const entry = createState(params[0], params.slice(1));
    const id = newId();
    objects.set(id, entry);
    return id;
  }],
  ["manager.incref", (_c, params) => {
    entryOf(params[0], null).refs++;
    return null;
  }],
  ["manager.release", (_c, params) => {
    entryOf(params[0], null);
    releaseId(params[0] as string);
    return null;
  }],
  ["manager.cancel", (conn, params) => {
    const waiter = conn.waiters.get(params[0] as RpcId) as
      | (Waiter & { cancel(): void })
      | undefined;
    if (waiter === undefined) return false;
    waiter.cancel();
    return true;
  }],

  // dict: a Map, so any string key ("__proto__" included) is plain data.
  [
    "dict.get",
    on<Map<string, unknown>>("dict", (m, a) => {
      const key = str(a[0], "key");
      return m.has(key) ? m.get(key) : a.length > 1 ? a[1] : UNDEFINED;
    }),
  ],
  [
    "dict.set",
    on<Map<string, unknown>>("dict", (m, a) => {
      m.set(str(a[0], "key"), a.length > 1 ? a[1] : UNDEFINED);
      return null;
    }),
  ],
  [
    "dict.has",
    on<Map<string, unknown>>("dict", (m, a) => m.has(str(a[0], "key"))),
  ],
  [
    "dict.delete",
    on<Map<string, unknown>>("dict", (m, a) => m.delete(str(a[0], "key"))),
  ],
  ["dict.keys", on<Map<string, unknown>>("dict", (m) => [...m.keys()])],
  ["dict.values", on<Map<string, unknown>>("dict", (m) => [...m.values()])],
  ["dict.entries", on<Map<string, unknown>>("dict", (m) => [...m.entries()])],
  ["dict.size", on<Map<string, unknown>>("dict", (m) => m.size)],
  [
    "dict.update",
    on<Map<string, unknown>>("dict", (m, a) => {
      const init = record(a[0], "update");
      for (const k of Object.keys(init)) m.set(k, init[k]);
      return null;
    }),
  ],
  [
    "dict.clear",
    on<Map<string, unknown>>("dict", (m) => {
      m.clear();
      return null;
    }),
  ],
  [
    "dict.pop",
    on<Map<string, unknown>>("dict", (m, a) => {
      const key = str(a[0], "key");
      if (m.has(key)) {
        const value = m.get(key);
        m.delete(key);
        return value;
      }
      if (a.length > 1) return a[1];
      throw named(
        "RangeError",
        `Cannot pop key: ${JSON.stringify(key)} is not in the dict`,
      );
    }),
  ],
  [
    "dict.setdefault",
    on<Map<string, unknown>>("dict", (m, a) => {
      const key = str(a[0], "key");
      if (!m.has(key)) m.set(key, a.length > 1 ? a[1] : UNDEFINED);
      return m.get(key);
    }),
  ],
  ["dict.toObject", on<Map<string, unknown>>("dict", (m) => objectOf(m))],

  // list
  [
    "list.append",
    on<unknown[]>("list", (l, a) => {
      l.push(a.length > 0 ? a[0] : UNDEFINED);
      return null;
    }),
  ],
  [
    "list.extend",
    on<unknown[]>("list", (l, a) => {
      for (const item of arr(a[0], "items")) l.push(item);
      return null;
    }),
  ],
  ["list.get", on<unknown[]>("list", (l, a) => l[index(l, a[0], "get item")])],
  [
    "list.set",
    on<unknown[]>("list", (l, a) => {
      l[index(l, a[0], "set item")] = a.length > 1 ? a[1] : UNDEFINED;
      return null;
    }),
  ],
  ["list.length", on<unknown[]>("list", (l) => l.length)],
  [
    "list.pop",
    on<unknown[]>("list", (l, a) => {
      if (l.length === 0) {
        throw named("RangeError", "Cannot pop: list is empty");
      }
      const at = a[0] === undefined || a[0] === null
        ? l.length - 1
        : index(l, a[0], "pop");
      return l.splice(at, 1)[0];
    }),
  ],
  [
    "list.insert",
    on<unknown[]>("list", (l, a) => {
      const n = int(a[0], "index");
      const at = n < 0 ? Math.max(0, l.length + n) : Math.min(n, l.length);
      l.splice(at, 0, a.length > 1 ? a[1] : UNDEFINED);
      return null;
    }),
  ],
  [
    "list.remove",
    on<unknown[]>("list", (l, a) => {
      const at = l.findIndex((x) => deepEqual(x, a[0]));
      if (at < 0) {
        throw named(
          "RangeError",
          "Cannot remove item: the value is not in the list",
        );
      }
      l.splice(at, 1);
      return null;
    }),
  ],
  [
    "list.index",
    on<unknown[]>("list", (l, a) => {
      const start = a[1] === undefined || a[1] === null
        ? 0
        : int(a[1], "start");
      const stop = a[2] === undefined || a[2] === null
        ? l.length
        : int(a[2], "stop");
      const from = start < 0 ? Math.max(0, l.length + start) : start;
      const to = stop < 0 ? l.length + stop : Math.min(stop, l.length);
      for (let i = from; i < to; i++) if (deepEqual(l[i], a[0])) return i;
      throw named(
        "RangeError",
        "Cannot find index: the value is not in the list",
      );
    }),
  ],
  [
    "list.count",
    on<unknown[]>("list", (l, a) => {
      let n = 0;
      for (const x of l) if (deepEqual(x, a[0])) n++;
      return n;
    }),
  ],
  [
    "list.slice",
    on<unknown[]>("list", (l, a) =>
      l.slice(
        a[0] === undefined || a[0] === null ? undefined : int(a[0], "start"),
        a[1] === undefined || a[1] === null ? undefined : int(a[1], "end"),
      )),
  ],
  [
    "list.replace",
    on<unknown[]>("list", (l, a) => {
      const items = arr(a[0], "items");
      l.length = 0;
      for (const item of items) l.push(item);
      return null;
    }),
  ],
  ["list.toArray", on<unknown[]>("list", (l) => l)],

  // namespace
  [
    "namespace.get",
    on<Map<string, unknown>>("namespace", (m, a) => {
      const name = str(a[0], "name");
      return m.has(name) ? m.get(name) : UNDEFINED;
    }),
  ],
  [
    "namespace.set",
    on<Map<string, unknown>>("namespace", (m, a) => {
      m.set(str(a[0], "name"), a.length > 1 ? a[1] : UNDEFINED);
      return null;
    }),
  ],
  [
    "namespace.has",
    on<Map<string, unknown>>("namespace", (m, a) => m.has(str(a[0], "name"))),
  ],
  [
    "namespace.delete",
    on<Map<string, unknown>>(
      "namespace",
      (m, a) => m.delete(str(a[0], "name")),
    ),
  ],
  [
    "namespace.toObject",
    on<Map<string, unknown>>("namespace", (m) => objectOf(m)),
  ],

  // value
  ["value.get", on<{ value: unknown }>("value", (s) => s.value)],
  [
    "value.set",
    on<{ value: unknown }>("value", (s, a) => {
      s.value = a.length > 0 ? a[0] : UNDEFINED;
      return null;
    }),
  ],
  ["value.typecode", on<{ typecode: string }>("value", (s) => s.typecode)],

  // lock: handed over in FIFO order; released if its holder disconnects.
  [
    "lock.acquire",
    on<LockState>("lock", (s, a, conn, id) => {
      if (!s.locked) {
        s.locked = true;
        s.owner = conn;
        return true;
      }
      const timeout = timeoutOf(a[0]);
      if (timeout === 0) return false;
      return park(conn, id, s.waiters, timeout, () => false);
    }),
  ],
  [
    "lock.release",
    on<LockState>("lock", (s) => {
      lockRelease(s);
      return null;
    }),
  ],
  ["lock.locked", on<LockState>("lock", (s) => s.locked)],

  // rlock: owned by a connection (one per thread on the client side).
  [
    "rlock.acquire",
    on<RLockState>("rlock", (s, a, conn, id) => {
      if (s.owner === null || s.owner === conn) {
        s.owner = conn;
        s.count++;
        return true;
      }
      const timeout = timeoutOf(a[0]);
      if (timeout === 0) return false;
      return park(conn, id, s.waiters, timeout, () => false);
    }),
  ],
  [
    "rlock.release",
    on<RLockState>("rlock", (s, _a, conn) => {
      rlockRelease(s, conn);
      return null;
    }),
  ],
  ["rlock.locked", on<RLockState>("rlock", (s) => s.owner !== null)],

  // semaphore
  [
    "semaphore.acquire",
    on<SemaphoreState>("semaphore", (s, a, conn, id) => {
      if (s.value > 0 && s.waiters.length === 0) {
        s.value--;
        return true;
      }
      const timeout = timeoutOf(a[0]);
      if (timeout === 0) return false;
      return park(conn, id, s.waiters, timeout, () => false);
    }),
  ],
  [
    "semaphore.release",
    on<SemaphoreState>("semaphore", (s, a) => {
      const n = a[0] === undefined ? 1 : int(a[0], "n");
      if (n < 1) throw new ParamsError("n must be at least 1");
      semaphoreRelease(s, n);
      return null;
    }),
  ],
  ["semaphore.getValue", on<SemaphoreState>("semaphore", (s) => s.value)],

  // event
  [
    "event.set",
    on<EventState>("event", (s) => {
      s.flag = true;
      for (const w of s.waiters.slice()) w.done(true);
      return null;
    }),
  ],
  [
    "event.clear",
    on<EventState>("event", (s) => {
      s.flag = false;
      return null;
    }),
  ],
  ["event.isSet", on<EventState>("event", (s) => s.flag)],
  [
    "event.wait",
    on<EventState>("event", (s, a, conn, id) => {
      if (s.flag) return true;
      const timeout = timeoutOf(a[0]);
      if (timeout === 0) return false;
      return park(conn, id, s.waiters, timeout, () => false);
    }),
  ],

  // queue
  [
    "queue.put",
    on<QueueState>("queue", (s, a, conn, id) => {
      const item = a[0];
      if (s.maxsize <= 0 || s.items.length < s.maxsize) {
        queuePush(s, item);
        return null;
      }
      const timeout = timeoutOf(a[1]);
      if (timeout === 0) throw named("QueueFullError", "The queue is full");
      return park(conn, id, s.putters, timeout, () => {
        throw named("QueueFullError", "The queue is full");
      }, { item });
    }),
  ],
  [
    "queue.get",
    on<QueueState>("queue", (s, a, conn, id) => {
      if (s.items.length > 0) return queueShift(s);
      const timeout = timeoutOf(a[0]);
      if (timeout === 0) throw named("QueueEmptyError", "The queue is empty");
      return park(conn, id, s.getters, timeout, () => {
        throw named("QueueEmptyError", "The queue is empty");
      });
    }),
  ],
  ["queue.qsize", on<QueueState>("queue", (s) => s.items.length)],
  ["queue.empty", on<QueueState>("queue", (s) => s.items.length === 0)],
  [
    "queue.full",
    on<QueueState>(
      "queue",
      (s) => s.maxsize > 0 && s.items.length >= s.maxsize,
    ),
  ],
]);

// ---------------------------------------------------------------------------
// Connections

let nextConnId = 1;

/** One client connection (or the parent's stdio channel). */
class Conn {
  readonly id = nextConnId++;
  readonly waiters = new Map<RpcId, Waiter>();
  /** The largest frame accepted after the handshake. */
  maxFrameBytes = 0;
  #link: ByteLink;
  #reader: FrameReader;
  #writer: FrameWriter;
  #closed = false;

  constructor(link: ByteLink, reader: FrameReader) {
    this.#link = link;
    this.#reader = reader;
    this.#writer = new FrameWriter(link, () => this.close(), true);
  }

  get closed(): boolean {
    return this.#closed;
  }

  send(message: unknown): void {
    if (this.#closed) return;
    this.#writer.sendText(JSON.stringify(message));
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    try {
      this.#link.close();
    } catch {
      // Already closed.
    }
    // Drop this connection's parked calls; give back what it holds.
    for (const waiter of [...this.waiters.values()]) waiter.drop();
    for (const entry of objects.values()) {
      if (entry.kind === "lock") {
        const s = entry.state as LockState;
        for (const w of s.waiters.filter((w) => w.conn === this)) w.drop();
        if (s.locked && s.owner === this) lockRelease(s);
      } else if (entry.kind === "rlock") {
        const s = entry.state as RLockState;
        for (const w of s.waiters.filter((w) => w.conn === this)) w.drop();
        if (s.owner === this) {
          s.count = 1;
          rlockRelease(s, this);
        }
      } else if (
        entry.kind === "semaphore" || entry.kind === "event" ||
        entry.kind === "queue"
      ) {
        const s = entry.state as {
          waiters?: Waiter[];
          getters?: Waiter[];
          putters?: Waiter[];
        };
        for (const list of [s.waiters, s.getters, s.putters]) {
          if (list) {
            for (const w of list.filter((w) => w.conn === this)) w.drop();
          }
        }
      }
    }
  }

  /** Reads frames until end of stream; returns when the connection ends. */
  async serve(
    onFrame: (frame: Uint8Array) => void,
  ): Promise<void> {
    const buf = new Uint8Array(64 * 1024);
    try {
      while (!this.#closed) {
        const n = await this.#link.read(buf);
        if (n === null) break;
        this.#reader.push(buf.subarray(0, n));
        for (;;) {
          let frame: Uint8Array | null;
          try {
            frame = this.#reader.next();
          } catch (error) {
            if (error instanceof FrameTooLargeError) {
              this.send({
                jsonrpc: "2.0",
                id: null,
                error: { code: FRAME_TOO_LARGE, message: error.message },
              });
              // Let the error frame go out before closing.
              await new Promise((r) => setTimeout(r, 10));
            }
            this.close();
            return;
          }
          if (frame === null) break;
          onFrame(frame);
          if (this.#closed) return;
        }
        // The answers to this read go out now, before the next read is
        // issued: one write for all of them, first on the critical path.
        this.#writer.flush();
      }
    } catch {
      // A reset connection ends like a closed one.
    }
    this.close();
  }

  /** Handles one request frame; never throws. */
  handle(frame: Uint8Array): void {
    let message: unknown;
    try {
      message = JSON.parse(readUtf8(frame, true));
    } catch {
      this.#fail(null, PARSE_ERROR, "Parse error: invalid UTF-8 or JSON");
      return;
    }
    if (typeof message !== "object" || message === null) {
      this.#fail(null, INVALID_REQUEST, "Invalid request: not an object");
      return;
    }
    if (Array.isArray(message)) {
      this.#fail(
        null,
        INVALID_REQUEST,
        "Invalid request: batches are not supported",
      );
      return;
    }
    const req = message as Record<string, unknown>;
    const hasId = Object.hasOwn(req, "id");
    const id = req.id;
    if (
      hasId && id !== null && typeof id !== "string" &&
      !(typeof id === "number" && Number.isFinite(id))
    ) {
      this.#fail(null, INVALID_REQUEST, "Invalid request: bad id");
      return;
    }
    const rid = hasId ? id as RpcId : undefined;
    const replyId = rid ?? null;
    if (req.jsonrpc !== "2.0" || typeof req.method !== "string") {
      this.#fail(
        replyId,
        INVALID_REQUEST,
        'Invalid request: jsonrpc must be "2.0" and method a string',
      );
      return;
    }
    const params = req.params ?? [];
    if (!Array.isArray(params)) {
      this.#fail(
        replyId,
        INVALID_PARAMS,
        "Invalid params: params must be an array",
      );
      return;
    }
    const method = METHODS.get(req.method);
    if (method === undefined) {
      if (rid !== undefined) {
        this.#fail(
          rid,
          METHOD_NOT_FOUND,
          `Method not found: ${req.method.slice(0, 100)}`,
        );
      }
      return;
    }
    let result: unknown;
    try {
      result = method(this, params, rid as RpcId);
    } catch (error) {
      if (rid !== undefined) this.#error(rid, error);
      return;
    }
    if (result instanceof Promise) {
      result.then(
        (value) => {
          if (rid !== undefined) this.#ok(rid, value);
        },
        (error) => {
          if (rid !== undefined) this.#error(rid, error);
        },
      );
    } else if (rid !== undefined) {
      this.#ok(rid, result);
    }
  }

  #ok(id: RpcId, result: unknown): void {
    if (this.#closed) return;
    let text: string;
    try {
      text = `{"jsonrpc":"2.0","id":${JSON.stringify(id)},"result":${
        JSON.stringify(result)
      }}`;
    } catch (error) {
      this.#error(id, error);
      return;
    }
    this.#writer.sendText(text);
  }

  #error(id: RpcId, error: unknown): void {
    if (error instanceof ParamsError) {
      this.#fail(id, INVALID_PARAMS, `Invalid params: ${error.message}`);
    } else if (error instanceof UnknownObjectError) {
      this.#fail(id, UNKNOWN_OBJECT, error.message);
    } else if (error instanceof CancelledWait) {
      this.#fail(id, CANCELLED, error.message);
    } else if (error instanceof Error) {
      const internal = error instanceof RangeError &&
        /call stack/i.test(error.message);
      this.#fail(
        id,
        internal ? INTERNAL_ERROR : METHOD_ERROR,
        error.message,
        { name: error.name },
      );
    } else {
      this.#fail(id, INTERNAL_ERROR, "Internal error");
    }
  }

  #fail(
    id: RpcId,
    code: number,
    message: string,
    data?: { name: string },
  ): void {
    const error = data ? { code, message, data } : { code, message };
    this.send({ jsonrpc: "2.0", id, error });
  }
}

function connLink(c: Deno.Conn): ByteLink {
  return {
    read: (p) => c.read(p),
    write: (p) => c.write(p),
    close: () => c.close(),
  };
}

async function serveSocket(
  socket: Deno.Conn,
  key: CryptoKey,
  maxFrameBytes: number,
): Promise<void> {
  if ("setNoDelay" in socket) {
    try {
      (socket as Deno.TcpConn).setNoDelay(true);
    } catch {
      // Not a TCP socket.
    }
  }
  const link = connLink(socket);
  const reader = new FrameReader(HANDSHAKE_MAX_FRAME_BYTES);
  const conn = new Conn(link, reader);
  conn.maxFrameBytes = maxFrameBytes;
  const passed = await serveHandshake(linkChannel(link, reader), {
    key,
    protocol: PROTOCOL,
    extra: { maxFrameBytes },
  });
  if (!passed) {
    conn.close();
    return;
  }
  reader.limit = maxFrameBytes;
  accepted++;
  open++;
  // Bytes sent after the handshake frame but in the same read are kept.
  await conn.serve((frame) => conn.handle(frame));
  open--;
}

/** Entry point of the manager subprocess. */
export async function runManagerServer(): Promise<void> {
  // One bad connection or a bug in a method must never end the server.
  globalThis.addEventListener("unhandledrejection", (e) => e.preventDefault());
  globalThis.addEventListener("error", (e) => e.preventDefault());

  const stdio: ByteLink = {
    read: (p) => Deno.stdin.read(p),
    write: (p) => Deno.stdout.write(p),
    close: () => {},
  };
  const reader = new FrameReader(64 * 1024);
  const buf = new Uint8Array(64 * 1024);
  let first: Uint8Array | null = null;
  while (first === null) {
    const n = await Deno.stdin.read(buf);
    if (n === null) Deno.exit(0);
    reader.push(buf.subarray(0, n));
    first = reader.next();
  }
  const config = JSON.parse(readUtf8(first, true)) as ServerConfig;
  const key = await importHmacKey(fromBase64(config.authkey));
  let listener: Deno.Listener;
  let address: ReadyFrame["address"];
  let dir: string | null = null;
  if ("path" in config.address) {
    dir = config.address.dir;
    // The private directory is what keeps other users out: nobody else can
    // reach the socket inside it, even in the instant before its chmod.
    await Deno.mkdir(dir, { mode: 0o700 });
    await Deno.chmod(dir, 0o700);
    listener = Deno.listen({ transport: "unix", path: config.address.path });
    await Deno.chmod(config.address.path, 0o600);
    address = config.address.path;
  } else {
    listener = Deno.listen({
      transport: "tcp",
      hostname: config.address.hostname,
      port: config.address.port,
    });
    const bound = listener.addr as Deno.NetAddr;
    address = { hostname: bound.hostname, port: bound.port };
  }
  const socketDir = dir;
  const exit = () => {
    try {
      listener.close();
    } catch {
      // Already closed.
    }
    if (socketDir !== null) {
      try {
        Deno.removeSync(socketDir, { recursive: true });
      } catch {
        // Nothing to clean.
      }
    }
    Deno.exit(0);
  };

  const parent = new Conn(stdio, reader);
  reader.limit = Math.max(config.maxFrameBytes, 64 * 1024);
  const ready: ReadyFrame = { ready: true, address, pid: Deno.pid };
  parent.send(ready);

  (async () => {
    try {
      for await (const socket of listener) {
        void serveSocket(socket, key, config.maxFrameBytes);
      }
    } catch {
      // Listener closed.
    }
  })();

  // The parent's channel: its end of file means the parent is gone.
  await parent.serve((frame) => parent.handle(frame));
  exit();
}
