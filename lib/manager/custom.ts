// Copyright 2026 the denomp authors. MIT license.
// Registered types on the Manager's server (Python's BaseManager.register):
// the server imports each type's module at start, builds instances on
// `manager.createCustom`, and runs their exposed methods on
// `custom.call`. A method that is not exposed is refused here, whatever a
// client sends. Private.

import { loadTarget, type TargetRef } from "../_target.ts";
import { decodeValue, encodeValue } from "./codec.ts";
import {
  type Entry,
  entryOf,
  insert,
  kinds,
  type Method,
  ParamsError,
  str,
} from "./objects.ts";

/** A registered type, as the parent sends it in the server's config. */
export interface TypeSpec {
  /** The name clients create it by. */
  typeid: string;
  /** The exported class or factory, by reference. */
  callable: TargetRef;
  /** The methods clients may call; `null`: every public method. */
  exposed: string[] | null;
  /** Methods whose result is kept on the server and answered as a proxy. */
  methodToTypeid: Record<string, string>;
}

/** A method a client may not call (JSON-RPC -32601). */
export class NotExposedError extends Error {}

/**
 * An error thrown by user code (a registered type's constructor or
 * method): answered with its name, message and stack (-32005).
 */
export class UserError extends Error {
  /** What the user code threw. */
  readonly thrown: unknown;
  /** Wraps `thrown`. */
  constructor(thrown: unknown) {
    super(thrown instanceof Error ? thrown.message : String(thrown));
    this.thrown = thrown;
  }
}

interface Loaded {
  spec: TypeSpec;
  fn: (...args: unknown[]) => unknown;
  isClass: boolean;
}

const types = new Map<string, Loaded>();

/**
 * Imports every registered type's module; throws (and the server exits
 * with the message) when one cannot be loaded.
 */
export async function loadTypes(specs: TypeSpec[]): Promise<void> {
  for (const spec of specs) {
    const what = `Cannot load the registered type ${spec.typeid}`;
    const fn = await loadTarget(what, spec.callable);
    const source = Function.prototype.toString.call(fn);
    types.set(spec.typeid, { spec, fn, isClass: /^class\b/.test(source) });
  }
}

/**
 * Python's `public_methods`: the callable members not starting with `_`,
 * own or inherited (up to `Object.prototype`), without `constructor` and
 * `then` (a proxy with `then` would be mistaken for a promise).
 */
export function publicMethods(object: object): string[] {
  const out = new Set<string>();
  for (
    let o: object | null = object;
    o !== null && o !== Object.prototype;
    o = Object.getPrototypeOf(o)
  ) {
    for (const name of Object.getOwnPropertyNames(o)) {
      if (
        name === "constructor" || name === "then" || name.startsWith("_")
      ) continue;
      const d = Object.getOwnPropertyDescriptor(o, name);
      if (d !== undefined && typeof d.value === "function") out.add(name);
    }
  }
  return [...out];
}

/** Decodes arguments for user code: a registered type's proxy arrives as its object. */
function decodeArgs(args: unknown[]): unknown[] {
  return args.map((arg) =>
    decodeValue(arg, (v) => {
      const id = typeof v === "string" ? v : (v as { id?: unknown })?.id;
      const entry = entryOf(id, null);
      if (entry.kind !== "custom") {
        throw new ParamsError(
          `a ${entry.kind} proxy cannot be passed to a registered type's method (only proxies of registered types arrive as their objects)`,
        );
      }
      return entry.state;
    })
  );
}

/** A new entry of a registered type, holding `instance`. */
function entryFor(loaded: Loaded, instance: unknown): Entry {
  if (
    (typeof instance !== "object" && typeof instance !== "function") ||
    instance === null
  ) {
    throw new UserError(
      new TypeError(
        `The callable of ${loaded.spec.typeid} returned ${
          instance === null ? "null" : typeof instance
        }, not an object`,
      ),
    );
  }
  return {
    kind: "custom",
    refs: 1,
    state: instance,
    typeid: loaded.spec.typeid,
    exposed: loaded.spec.exposed ?? publicMethods(instance as object),
  };
}

function loadedOf(typeid: string): Loaded {
  const loaded = types.get(typeid);
  if (loaded === undefined) {
    throw new ParamsError(
      `no type is registered as ${JSON.stringify(typeid.slice(0, 100))}`,
    );
  }
  return loaded;
}

/** Runs user code, turning what it throws into a {@linkcode UserError}. */
async function run(fn: () => unknown): Promise<unknown> {
  try {
    return await fn();
  } catch (error) {
    throw new UserError(error);
  }
}

/**
 * The answer of a method: its result encoded, or, for a method of
 * `methodToTypeid`, a proxy of a new object holding it.
 */
function answer(entry: Entry, method: string, result: unknown): unknown {
  const target = types.get(entry.typeid!)?.spec.methodToTypeid[method];
  if (target !== undefined) {
    // Kept on the server: the client gets a proxy owning the reference it
    // was created with.
    const made = entryFor(loadedOf(target), result);
    const madeId = insert(made);
    return {
      $: "p",
      v: {
        id: madeId,
        kind: "custom",
        typeid: made.typeid,
        exposed: made.exposed,
      },
    };
  }
  return encodeValue(result, `Cannot return from ${entry.typeid}.${method}`);
}

/** Builds an instance of a registered type (`manager.createCustom`). */
export async function createCustom(
  typeid: string,
  args: unknown[],
): Promise<Entry> {
  const loaded = loadedOf(typeid);
  const decoded = decodeArgs(args);
  const instance = await run(() =>
    loaded.isClass
      ? Reflect.construct(loaded.fn, decoded)
      : loaded.fn(...decoded)
  );
  return entryFor(loaded, instance);
}

kinds.set("custom", {
  create() {
    throw new ParamsError("create a registered type with manager.createCustom");
  },
});

/** The registered types' methods. */
export const CUSTOM_METHODS: [string, Method][] = [
  ["custom.call", (_conn, params) => {
    const id = params[0];
    const entry = entryOf(id, "custom");
    const method = str(params[1], "method");
    if (!entry.exposed!.includes(method)) {
      throw new NotExposedError(
        `Method not exposed: ${entry.typeid}.${method.slice(0, 100)}`,
      );
    }
    const instance = entry.state as Record<string, unknown>;
    const args = decodeArgs(params.slice(2));
    const finish = (result: unknown) => answer(entry, method, result);
    let result: unknown;
    try {
      result = (instance[method] as (...a: unknown[]) => unknown).apply(
        instance,
        args,
      );
    } catch (error) {
      throw new UserError(error);
    }
    // A method that answers at once is answered in this same step; an
    // async one when it settles.
    if (result instanceof Promise) {
      return result.then(finish, (error) => {
        throw new UserError(error);
      });
    }
    return finish(result);
  }],
];
