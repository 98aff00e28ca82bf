// Copyright 2026 the denomp authors. MIT license.
// The Manager server's methods, by wire name: the allow-list of everything
// a client may call. The kinds' own methods live with them (data.ts,
// sync.ts, custom.ts); the manager.* methods are here. Private.

import type { RpcId } from "./rpc.ts";
import { createCustom, CUSTOM_METHODS } from "./custom.ts";
import { DATA_METHODS } from "./data.ts";
import {
  decref,
  type Entry,
  entryOf,
  insert,
  kinds,
  type Method,
  named,
  objects,
  ParamsError,
  str,
  type Waiter,
} from "./objects.ts";
import { SYNC_METHODS } from "./sync.ts";

/** Names given with manager.register: each holds a reference. */
const names = new Map<string, string>();
/** Counters `manager.ping` reports. */
export const stats = { accepted: 0, open: 0 };

/** What `manager.lookup` and `manager.create` answer for an object. */
function describeEntry(id: string, entry: Entry): unknown[] {
  return entry.typeid === undefined
    ? [id, entry.kind]
    : [id, entry.kind, entry.typeid, entry.exposed];
}

const MANAGER_METHODS: [string, Method][] = [
  [
    "manager.ping",
    () => ({ pid: Deno.pid, ...stats, objects: objects.size }),
  ],
  ["manager.register", (_c, params) => {
    const name = str(params[0], "name");
    const entry = entryOf(params[1], null);
    entry.refs++;
    const old = names.get(name);
    names.set(name, params[1] as string);
    if (old !== undefined) decref(old);
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
    return describeEntry(id!, entry);
  }],
  ["manager.create", (_c, params) => {
    const kind = params[0];
    const spec = typeof kind === "string" ? kinds.get(kind) : undefined;
    if (spec === undefined) {
      throw new ParamsError(`unknown kind ${String(kind).slice(0, 100)}`);
    }
    return insert({
      kind: kind as string,
      refs: 1,
      state: spec.create(params.slice(1)),
    });
  }],
  ["manager.createCustom", async (_c, params) => {
    const entry = await createCustom(str(params[0], "typeid"), params.slice(1));
    return describeEntry(insert(entry), entry);
  }],
  ["manager.incref", (_c, params) => {
    entryOf(params[0], null).refs++;
    return null;
  }],
  ["manager.release", (_c, params) => {
    entryOf(params[0], null);
    decref(params[0] as string);
    return null;
  }],
  ["manager.cancel", (conn, params) => {
    const waiter = conn.waiters.get(params[0] as RpcId) as Waiter | undefined;
    if (waiter === undefined) return false;
    waiter.cancel();
    return true;
  }],
];

/**
 * The allow-list: every callable method, by wire name. A `Map`, so names
 * such as "constructor" or "__proto__" can never reach anything inherited.
 */
export const METHODS: Map<string, Method> = new Map([
  ...MANAGER_METHODS,
  ...DATA_METHODS,
  ...SYNC_METHODS,
  ...CUSTOM_METHODS,
]);
