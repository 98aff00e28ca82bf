// Copyright 2026 the denomp authors. MIT license.
// The one registry through which shared objects cross into workers.
//
// A shared object (Value, Lock, Queue, a Manager proxy, ...) implements
// `[SHARE]()`, returning a descriptor `{ kind, module, data }`: `data` must be
// structured-cloneable (SharedArrayBuffers inside it are shared, not copied),
// `module` is the URL of the module that defines the kind. On the other side
// the worker imports `module` (which registers the kind as a side effect of
// loading) and calls the kind's reviver with `data`. No kind is special-cased
// here. Private.
//
// Kinds with handles (Queue, Pipe's Connection, SharedMemory: see
// lib/_handles.ts) also get a `ShareContext` saying who the receiver is: a
// Process whose pid is known (its handle is counted for it at once), or a
// pool task (the handle is lent: the sender holds it until the pool calls
// `releaseShared` on the encoded value, once the task is over).

/** The method a shared object implements to describe itself. */
export const SHARE: unique symbol = Symbol.for(
  "@denomp/multiprocessing/share",
) as never;

/** What a shared object turns into when it crosses a boundary. */
export interface SharedDescriptor {
  /** The registered kind, such as `"Value"`. */
  kind: string;
  /** URL of the module that registers the kind. */
  module: string;
  /** Structured-cloneable state; SharedArrayBuffers stay shared. */
  data: unknown;
  /**
   * Gives back what the sender holds for a lent handle (never sent; called
   * by `releaseShared`).
   */
  release?: (() => void) | undefined;
}

/**
 * Who receives a shared object, for kinds that count handles. Without a
 * context, `[SHARE]()` only describes the object (nothing is counted).
 */
export interface ShareContext {
  /**
   * The pid of the Process that receives it (its handle is counted for that
   * pid), or `null` for a pool task (the sender holds the handle until
   * `releaseShared`).
   */
  owner: number | null;
}

/** An object that can cross into a worker as a live instance. */
export interface Shareable {
  [SHARE](context?: ShareContext): SharedDescriptor;
}

/** Marks a descriptor inside encoded arguments. */
const MARK = "__denomp_shared__";

interface Marked {
  [MARK]: true;
  kind: string;
  module: string;
  data: unknown;
}

const revivers = new Map<string, (data: unknown) => unknown>();
/** What the sender holds for each lent descriptor it made. */
const holds = new WeakMap<object, () => void>();

/**
 * Registers how to rebuild a kind from its descriptor's `data`. Called at the
 * top level of the module that defines the kind.
 */
export function registerShareable(
  kind: string,
  revive: (data: unknown) => unknown,
): void {
  revivers.set(kind, revive);
}

/** Whether a value is a shared object. */
export function isShareable(value: unknown): value is Shareable {
  return typeof value === "object" && value !== null &&
    typeof (value as Partial<Shareable>)[SHARE] === "function";
}

/**
 * Rebuilds a descriptor whose kind is already registered on this thread
 * (used by kinds that nest others, such as a Value carrying its lock).
 */
export function reviveDescriptor(descriptor: SharedDescriptor): unknown {
  const revive = revivers.get(descriptor.kind);
  if (revive === undefined) {
    throw new TypeError(
      `Cannot revive shared object: kind ${descriptor.kind} is not registered`,
    );
  }
  return revive(descriptor.data);
}

/** The result of {@linkcode encodeShared}. */
export interface Encoded {
  /** The value with every shared object replaced by its descriptor. */
  value: unknown;
  /** Whether any shared object was found (so the decoder can skip walking). */
  shared: boolean;
  /** The descriptors found, in copy mode (else empty). */
  descriptors: SharedDescriptor[];
}

/** Who receives an encoded value. */
export interface EncodeOptions {
  /** The receiving Process's pid, when there is one (handles are its own). */
  owner?: number | undefined;
  /**
   * The value is copied into another OS process, where shared memory
   * cannot follow.
   */
  copy?: boolean | undefined;
}

interface EncodeState {
  shared: boolean;
  seen: Set<object>;
  /** What `[SHARE]` is told; `undefined` in copy mode (nothing is counted). */
  context: ShareContext | undefined;
  releases: (() => void)[];
  /** In copy mode, the descriptors found; else null. */
  copy: SharedDescriptor[] | null;
}

/** Where a kind held in shared memory can live instead, for errors. */
const MANAGER_HINTS: Record<string, string> = {
  Value: "manager.value()",
  RawValue: "manager.value()",
  SharedArray: "manager.list()",
  RawArray: "manager.list()",
  Lock: "manager.lock()",
  RLock: "manager.rlock()",
  Semaphore: "manager.semaphore()",
  BoundedSemaphore: "manager.semaphore()",
  Event: "manager.event()",
  Queue: "manager.queue()",
  SimpleQueue: "manager.queue()",
  JoinableQueue: "manager.queue()",
  Connection: "manager.queue()",
  SharedMemory: "manager.array()",
  ShareableList: "manager.list()",
};

/**
 * Prepares a value for `postMessage`: shared objects found in it (at any
 * depth of arrays and plain objects) become descriptors, and a function or a
 * symbol anywhere fails with a `TypeError` naming where it was found. The
 * input is never modified; containers are copied only where something inside
 * them was replaced.
 *
 * Handles (Queue, Connection, SharedMemory) found in it are granted to
 * `owner`, the pid of the Process that receives the value; without an
 * owner they are lent, and the caller must call {@linkcode releaseShared}
 * on the result once the receiver is done with it. When encoding fails,
 * whatever it had granted is given back.
 *
 * With `copy`, the value is going to another OS process, where shared
 * memory cannot follow: a kind whose descriptor holds a SharedArrayBuffer
 * (Value, Lock, Queue, SharedMemory, ...), or a SharedArrayBuffer itself,
 * fails with a `TypeError` that names it and points to a Manager; the
 * descriptors found (Manager proxies) are returned, and no handle is
 * counted.
 *
 * @param value The value to send.
 * @param what The sentence start for errors, as `"Cannot start process"`.
 * @param path Where the value sits, as `"argument 0"`.
 * @param options Who receives it: `owner`, `copy`.
 */
export function encodeShared(
  value: unknown,
  what: string,
  path: string,
  options?: EncodeOptions,
): Encoded {
  const copy = options?.copy === true;
  const state: EncodeState = {
    shared: false,
    seen: new Set<object>(),
    context: copy ? undefined : { owner: options?.owner ?? null },
    releases: [],
    copy: copy ? [] : null,
  };
  try {
    const out = walkEncode(value, what, path, state);
    return {
      value: out,
      shared: state.shared,
      descriptors: state.copy ?? [],
    };
  } catch (error) {
    for (const release of state.releases) release();
    throw error;
  }
}

/**
 * Gives back the holds of the lent handles in a value that
 * {@linkcode encodeShared} produced without an owner (idempotent).
 */
export function releaseShared(value: unknown): void {
  walkRelease(value, new Set());
}

function walkRelease(value: unknown, seen: Set<object>): void {
  if (typeof value !== "object" || value === null || seen.has(value)) return;
  seen.add(value);
  if (isMarked(value)) {
    const release = holds.get(value);
    if (release !== undefined) {
      holds.delete(value);
      release();
    }
    return;
  }
  if (Array.isArray(value)) {
    for (const item of value) walkRelease(item, seen);
  } else if (Object.getPrototypeOf(value) === Object.prototype) {
    for (const item of Object.values(value)) walkRelease(item, seen);
  }
}

/** Whether a descriptor's data holds shared memory. */
function holdsSharedMemory(data: unknown, seen = new Set<unknown>()): boolean {
  if (typeof data !== "object" || data === null || seen.has(data)) {
    return false;
  }
  seen.add(data);
  if (data instanceof SharedArrayBuffer) return true;
  if (ArrayBuffer.isView(data)) return data.buffer instanceof SharedArrayBuffer;
  if (Array.isArray(data)) {
    return data.some((item) => holdsSharedMemory(item, seen));
  }
  return Object.values(data).some((item) => holdsSharedMemory(item, seen));
}

function notCopyable(what: string, path: string, kind: string): TypeError {
  const hint = MANAGER_HINTS[kind] ?? "a Manager proxy";
  return new TypeError(
    `${what}: ${path} is a ${kind}, which lives in shared memory and cannot cross into another process (start method "spawn"); share it through a Manager instead (await ${hint}), or use the "thread" start method`,
  );
}

function walkEncode(
  value: unknown,
  what: string,
  path: string,
  state: EncodeState,
): unknown {
  switch (typeof value) {
    case "function":
    case "symbol":
      throw new TypeError(
        `${what}: ${path} of type ${typeof value} cannot be sent to a worker`,
      );
    case "object":
      break;
    default:
      return value;
  }
  if (value === null) return value;
  if (isShareable(value)) {
    state.shared = true;
    const descriptor = value[SHARE](state.context);
    if (state.copy !== null) {
      if (holdsSharedMemory(descriptor.data)) {
        throw notCopyable(what, path, descriptor.kind);
      }
      state.copy.push(descriptor);
    }
    const marked: Marked = {
      [MARK]: true,
      kind: descriptor.kind,
      module: descriptor.module,
      data: descriptor.data,
    };
    if (descriptor.release !== undefined) {
      state.releases.push(descriptor.release);
      holds.set(marked, descriptor.release);
    }
    return marked;
  }
  if (state.seen.has(value)) return value;
  state.seen.add(value);
  if (Array.isArray(value)) {
    let copy: unknown[] | null = null;
    for (let i = 0; i < value.length; i++) {
      const item = value[i];
      const next = walkEncode(item, what, `${path}[${i}]`, state);
      if (next !== item) {
        copy ??= value.slice();
        copy[i] = next;
      }
    }
    return copy ?? value;
  }
  const proto = Object.getPrototypeOf(value);
  if (proto === Object.prototype || proto === null) {
    let copy: Record<string, unknown> | null = null;
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      const item = record[key];
      const next = walkEncode(item, what, `${path}.${key}`, state);
      if (next !== item) {
        copy ??= { ...record };
        copy[key] = next;
      }
    }
    for (const key of Object.getOwnPropertySymbols(record)) {
      throw new TypeError(
        `${what}: ${path} has a symbol key ${
          String(key)
        } that cannot be sent to a worker`,
      );
    }
    return copy ?? value;
  }
  if (value instanceof Map || value instanceof Set) {
    for (const item of value.values()) walkEncode(item, what, path, state);
    if (value instanceof Map) {
      for (const key of value.keys()) walkEncode(key, what, path, state);
    }
    return value;
  }
  if (
    state.copy !== null &&
    (value instanceof SharedArrayBuffer ||
      (ArrayBuffer.isView(value) && value.buffer instanceof SharedArrayBuffer))
  ) {
    throw new TypeError(
      `${what}: ${path} is a SharedArrayBuffer (or a view of one), whose memory cannot be shared with another process (start method "spawn"); pass a copy in ordinary memory (a view's .slice(), as new Uint8Array(sab).slice(): SharedArrayBuffer.prototype.slice() returns shared memory again), share state through a Manager, or use the "thread" start method`,
    );
  }
  // Anything else (Date, typed arrays, class instances...) is left to the
  // structured clone; it fails there with DataCloneError if it cannot cross.
  return value;
}

/**
 * Rebuilds what {@linkcode encodeShared} produced: imports the module of
 * every kind found, then revives each descriptor into a live instance.
 */
export async function decodeShared(
  value: unknown,
  shared: boolean,
): Promise<unknown> {
  if (!shared) return value;
  const modules = new Set<string>();
  collectModules(value, modules, new Set());
  await Promise.all([...modules].map((url) => import(url)));
  return walkDecode(value, new Set());
}

function isMarked(value: object): value is Marked {
  return (value as Partial<Marked>)[MARK] === true;
}

function collectModules(
  value: unknown,
  modules: Set<string>,
  seen: Set<object>,
): void {
  if (typeof value !== "object" || value === null || seen.has(value)) return;
  seen.add(value);
  if (isMarked(value)) {
    modules.add(value.module);
    return;
  }
  if (Array.isArray(value)) {
    for (const item of value) collectModules(item, modules, seen);
  } else if (Object.getPrototypeOf(value) === Object.prototype) {
    for (const item of Object.values(value)) {
      collectModules(item, modules, seen);
    }
  }
}

function walkDecode(value: unknown, seen: Set<object>): unknown {
  if (typeof value !== "object" || value === null || seen.has(value)) {
    return value;
  }
  if (isMarked(value)) {
    return reviveDescriptor({
      kind: value.kind,
      module: value.module,
      data: value.data,
    });
  }
  seen.add(value);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      value[i] = walkDecode(value[i], seen);
    }
  } else if (Object.getPrototypeOf(value) === Object.prototype) {
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      record[key] = walkDecode(record[key], seen);
    }
  }
  return value;
}
