// Copyright 2026 the denomp authors. MIT license.
// The Manager server's methods, by wire name: the allow-list of everything
// a client may call, and how each kind of object is created. Private.

import type { RpcId } from "./rpc.ts";
import {
  arr,
  deepEqual,
  type Entry,
  entryOf,
  type EventState,
  index,
  int,
  lockRelease,
  type LockState,
  type Method,
  named,
  newId,
  objectOf,
  objects,
  on,
  ParamsError,
  park,
  queuePush,
  queueShift,
  type QueueState,
  record,
  rlockRelease,
  type RLockState,
  semaphoreRelease,
  type SemaphoreState,
  str,
  timeoutOf,
  UNDEFINED,
  type Waiter,
} from "./objects.ts";

export function createState(kind: unknown, args: unknown[]): Entry {
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
export const names = new Map<string, string>();
/** Counters `manager.ping` reports. */
export const stats = { accepted: 0, open: 0 };

export function releaseId(id: string): void {
  const entry = objects.get(id);
  if (entry !== undefined && --entry.refs <= 0) objects.delete(id);
}

export const METHODS = new Map<string, Method>([
  ["manager.ping", () => ({ pid: Deno.pid, ...stats })],
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
