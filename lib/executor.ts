// Copyright 2026 the denomp authors. MIT license.
/**
 * `ProcessPoolExecutor`, `Future`, `asCompleted` and `wait`: Python's
 * `concurrent.futures` over a set of long-lived workers.
 *
 * @module
 */

import {
  type Chunk,
  type ChunkOwner,
  ChunkState,
  FLAG_STAR,
  type PoolCore,
} from "./pool/core.ts";
import { buildCore, taskTimeout } from "./pool/options.ts";
import { checkSignal, checkTimeout, describe } from "./_wait.ts";
import { type InspectFn, inspectOutcome } from "./_inspect.ts";
import { CancelledError, TimeoutError } from "./errors.ts";
import type { ProcessPermissions } from "./process.ts";
import type { StartMethod } from "./_start_method.ts";
import type { Context } from "./start_method.ts";

/** Options for {@linkcode ProcessPoolExecutor}. */
export interface ProcessPoolExecutorOptions {
  /**
   * Number of workers.
   *
   * @default {cpuCount()}
   */
  maxWorkers?: number;
  /**
   * An exported function (or its name) run once in each worker before its
   * first task, with `initargs`. If it throws, the executor is broken: every
   * pending future fails and new submissions are refused.
   *
   * @default {undefined}
   */
  initializer?: ((...args: never[]) => unknown) | string;
  /**
   * Arguments for `initializer`.
   *
   * @default {[]}
   */
  initargs?: unknown[];
  /**
   * Replace a worker after it has run this many tasks.
   *
   * @default {undefined}
   */
  maxTasksPerChild?: number;
  /**
   * URL of the module that exports the task functions.
   *
   * @default {Deno.mainModule}
   */
  module?: string | URL;
  /**
   * Deno permissions of the workers. With the thread start method this
   * needs `--unstable-worker-options`; with `"spawn"` they become each
   * child's `--allow-*` flags.
   *
   * @default {"inherit"}
   */
  permissions?: ProcessPermissions;
  /**
   * How workers run: `"thread"` or `"spawn"` (see {@linkcode Pool}'s
   * option).
   *
   * @default {getStartMethod()}
   */
  startMethod?: StartMethod;
  /**
   * The start method as Python's `mp_context`: a {@linkcode getContext}
   * result.
   *
   * @default {undefined}
   */
  mpContext?: Context;
  /**
   * Start method `"spawn"` only: V8's heap limit for each worker, in MiB.
   *
   * @default {undefined}
   */
  maxHeapMb?: number;
}

/** Options for {@linkcode ProcessPoolExecutor.prototype.submitWith}. */
export interface SubmitOptions {
  /** Aborting cancels the task if it has not started (the future is cancelled). */
  signal?: AbortSignal;
  /**
   * Milliseconds the task may run, counted from when it starts; then it
   * fails with `TimeoutError` and its worker is replaced.
   *
   * @default {Infinity}
   */
  timeout?: number;
}

/** Options for {@linkcode ProcessPoolExecutor.prototype.map}. */
export interface ExecutorMapOptions {
  /**
   * Milliseconds, counted from the call, after which iterating throws
   * `TimeoutError` for a result not yet ready.
   *
   * @default {Infinity}
   */
  timeout?: number;
  /**
   * Items per task.
   *
   * @default {1}
   */
  chunksize?: number;
  /** Aborting cancels the tasks not yet started and rejects with `signal.reason`. */
  signal?: AbortSignal;
}

/** Options for {@linkcode ProcessPoolExecutor.prototype.shutdown}. */
export interface ShutdownOptions {
  /**
   * Wait for the pending futures to finish and the workers to exit.
   *
   * @default {true}
   */
  wait?: boolean;
  /**
   * Cancel the futures that have not started.
   *
   * @default {false}
   */
  cancelFutures?: boolean;
}

/** Options for {@linkcode Future.prototype.result} and `exception`. */
export interface FutureWaitOptions {
  /**
   * Milliseconds to wait; then the call rejects with `TimeoutError`.
   *
   * @default {Infinity}
   */
  timeout?: number;
  /** Aborting rejects the wait (not the task) with `signal.reason`. */
  signal?: AbortSignal;
}

/** Options for {@linkcode asCompleted}. */
export interface AsCompletedOptions {
  /**
   * Milliseconds from the call; then iterating throws `TimeoutError`.
   *
   * @default {Infinity}
   */
  timeout?: number;
}

/** When {@linkcode wait} returns. */
export type ReturnWhen =
  | "FIRST_COMPLETED"
  | "FIRST_EXCEPTION"
  | "ALL_COMPLETED";

/** {@linkcode wait} returns as soon as any future finishes or is cancelled. */
export const FIRST_COMPLETED: ReturnWhen = "FIRST_COMPLETED";
/** {@linkcode wait} returns when any future fails, or when all are done. */
export const FIRST_EXCEPTION: ReturnWhen = "FIRST_EXCEPTION";
/** {@linkcode wait} returns when every future is done. */
export const ALL_COMPLETED: ReturnWhen = "ALL_COMPLETED";

/** Options for {@linkcode wait}. */
export interface WaitOptions {
  /**
   * Milliseconds to wait at most; then `wait` resolves with what is done.
   *
   * @default {Infinity}
   */
  timeout?: number;
  /**
   * When to return.
   *
   * @default {"ALL_COMPLETED"}
   */
  returnWhen?: ReturnWhen;
}

/** What {@linkcode wait} resolves with. */
export interface WaitResult<T> {
  /** The futures that finished or were cancelled. */
  done: Set<Future<T>>;
  /** The others. */
  notDone: Set<Future<T>>;
}

/** Where a future is in its life. */
export type FutureState = "pending" | "running" | "cancelled" | "finished";

/**
 * Called when a future is done, with that future. Internal waits register
 * one such function on many futures (asCompleted, wait, a signal's group),
 * so that watching a future costs a slot, not a closure.
 */
type Listener = (future: Future<never>) => void;

/** No listener, one, or several: most futures have none or one. */
type Listeners = Listener | Listener[] | null;

let control: {
  running<T>(future: Future<T>): boolean;
  resolve<T>(future: Future<T>, value: unknown): void;
  reject<T>(future: Future<T>, error: unknown): void;
  bind<T>(future: Future<T>, core: PoolCore, chunk: Chunk): void;
  /** Calls `fn(future)` once the future is done (at once if it is). */
  listen<T>(future: Future<T>, fn: Listener): void;
  /**
   * Adds `fn` to a future not yet done, unless it is there already. Returns
   * whether it was added (so one listener can deduplicate many futures).
   */
  watch<T>(future: Future<T>, fn: Listener): boolean;
  /** Removes a listener added with `listen` that has not run yet. */
  unlisten<T>(future: Future<T>, fn: Listener): void;
  failed<T>(future: Future<T>): boolean;
};

/**
 * The eventual result of a task submitted to a
 * {@linkcode ProcessPoolExecutor}. It is deliberately not a thenable (so
 * that `asCompleted` can yield the futures themselves): await
 * `future.result()`.
 *
 * A future is one small record until somebody waits for it: no promise,
 * closure or list is made before `result()`, `exception()`,
 * `addDoneCallback()`, `asCompleted()` or `wait()` asks for one.
 *
 * @typeParam T The result type.
 *
 * @example Usage
 * ```ts
 * import { Future } from "@denomp/multiprocessing";
 * import assert from "node:assert/strict";
 *
 * const future = new Future<number>();
 * assert.equal(future.done(), false);
 * assert.equal(future.cancel(), true);
 * assert.equal(future.cancelled(), true);
 * ```
 */
export class Future<T> {
  #state: FutureState = "pending";
  #value: T | undefined = undefined;
  #error: unknown = undefined;
  #failed = false;
  // Typed with `never` so that Future<T> stays covariant in T.
  #callbacks: Listeners = null;
  #listeners: Listeners = null;
  #core: PoolCore | null = null;
  #chunk: Chunk | null = null;

  static {
    control = {
      running: (f) => {
        if (f.#state !== "pending") return false;
        f.#state = "running";
        return true;
      },
      resolve: (f, value) =>
        f.#settle("finished", value as never, undefined, false),
      reject: (f, error) => f.#settle("finished", undefined, error, true),
      bind: (f, core, chunk) => {
        f.#core = core;
        f.#chunk = chunk;
      },
      failed: (f) => f.#state === "finished" && f.#failed,
      listen: (f, fn) => {
        if (f.done()) fn(f as unknown as Future<never>);
        else f.#listeners = addListener(f.#listeners, fn);
      },
      watch: (f, fn) => {
        const listeners = f.#listeners;
        if (
          f.done() || listeners === fn ||
          (Array.isArray(listeners) && listeners.includes(fn))
        ) return false;
        f.#listeners = addListener(listeners, fn);
        return true;
      },
      unlisten: (f, fn) => {
        f.#listeners = removeListener(f.#listeners, fn);
      },
    };
  }

  /**
   * Cancels the task if it has not started running.
   *
   * @returns `true` if the future is (now) cancelled, `false` if it is
   * running or finished.
   */
  cancel(): boolean {
    if (this.#state === "cancelled") return true;
    if (this.#state !== "pending") return false;
    if (this.#core !== null && this.#chunk !== null) {
      this.#core.cancel(this.#chunk);
    }
    this.#settle("cancelled", undefined, new CancelledError(), true);
    return true;
  }

  /** Whether the future was cancelled. */
  cancelled(): boolean {
    return this.#state === "cancelled";
  }

  /** Whether the task has been handed to a worker and has not finished. */
  running(): boolean {
    return this.#state === "running";
  }

  /** Whether the future finished or was cancelled. */
  done(): boolean {
    return this.#state === "finished" || this.#state === "cancelled";
  }

  /** `"pending"`, `"running"`, `"cancelled"` or `"finished"`. */
  get state(): FutureState {
    return this.#state;
  }

  /**
   * Waits for the task's result.
   *
   * @param options `timeout` in ms, `signal`.
   * @returns The result.
   * @throws {CancelledError} If the future was cancelled.
   * @throws {TimeoutError} If `timeout` runs out first.
   * @throws {Error} The task's own error (see `RemoteError`).
   */
  result(options?: FutureWaitOptions): Promise<T> {
    if (
      options === undefined || options === null ||
      (options.timeout === undefined && options.signal === undefined)
    ) {
      // The common case: no timeout, no signal. A done future answers with
      // one settled promise; a pending one with one promise and one closure.
      if (this.done()) {
        return this.#failed
          ? Promise.reject(this.#error)
          : Promise.resolve(this.#value as T);
      }
      return new Promise<T>((resolve, reject) => {
        this.#listeners = addListener(this.#listeners, () => {
          if (this.#failed) reject(this.#error);
          else resolve(this.#value as T);
        });
      });
    }
    return this.#resultWith(options);
  }

  async #resultWith(options: FutureWaitOptions): Promise<T> {
    await this.#wait("Cannot get result", options);
    if (this.#failed) throw this.#error;
    return this.#value as T;
  }

  /**
   * Waits for the task and gives its error, or `null` if it succeeded.
   *
   * @param options `timeout` in ms, `signal`.
   * @returns The task's error or `null`.
   * @throws {CancelledError} If the future was cancelled.
   * @throws {TimeoutError} If `timeout` runs out first.
   */
  async exception(options?: FutureWaitOptions): Promise<unknown> {
    await this.#wait("Cannot get exception", options ?? {});
    if (this.#state === "cancelled") throw this.#error;
    return this.#failed ? this.#error : null;
  }

  /**
   * Calls `callback(future)` when the future is done (at once if it is).
   * Errors thrown by the callback are ignored, as Python logs and ignores
   * them.
   *
   * @param callback Called with this future.
   */
  addDoneCallback(callback: (future: Future<T>) => void): void {
    if (typeof callback !== "function") {
      throw new TypeError(
        `Cannot add done callback: callback must be a function, received ${
          describe(callback)
        }`,
      );
    }
    if (this.done()) runCallback(callback, this);
    else {
      this.#callbacks = addListener(this.#callbacks, callback as Listener);
    }
  }

  /**
   * A short description, for `console.log`: the state, and the result or
   * the exception once finished.
   *
   * @param inspect Deno's inspect function, for the result.
   * @param options Deno's inspect options.
   * @returns The description.
   */
  [Symbol.for("Deno.customInspect")](
    inspect?: InspectFn,
    options?: Deno.InspectOptions,
  ): string {
    const state = `Future { state: ${JSON.stringify(this.#state)}`;
    if (this.#state !== "finished") return `${state} }`;
    return this.#failed
      ? `${state}, exception: ${
        inspectOutcome(this.#error, inspect, options)
      } }`
      : `${state}, result: ${inspectOutcome(this.#value, inspect, options)} }`;
  }

  #wait(what: string, options: FutureWaitOptions): Promise<void> {
    const timeout = checkTimeout(what, options.timeout);
    const { signal } = options;
    checkSignal(what, signal);
    if (this.done()) return Promise.resolve();
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise((resolve, reject) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const onAbort = () => finish(signal!.reason);
      const finish = (error?: unknown) => {
        if (timer !== undefined) clearTimeout(timer);
        signal?.removeEventListener("abort", onAbort);
        this.#listeners = removeListener(this.#listeners, listener);
        if (error === undefined) resolve();
        else reject(error);
      };
      const listener = () => finish();
      this.#listeners = addListener(this.#listeners, listener);
      if (timeout !== Infinity) {
        timer = setTimeout(
          () =>
            finish(new TimeoutError(`${what}: timed out after ${timeout} ms`)),
          timeout,
        );
      }
      signal?.addEventListener("abort", onAbort, { once: true });
    });
  }

  #settle(
    state: FutureState,
    value: T | undefined,
    error: unknown,
    failed: boolean,
  ): void {
    if (this.done()) return;
    this.#state = state;
    this.#value = value;
    this.#error = error;
    this.#failed = failed;
    this.#chunk = null;
    this.#core = null;
    // Internal waits first, then the user's callbacks, as Python does.
    const self = this as unknown as Future<never>;
    const listeners = this.#listeners;
    if (listeners !== null) {
      this.#listeners = null;
      if (typeof listeners === "function") listeners(self);
      else for (const listener of listeners) listener(self);
    }
    const callbacks = this.#callbacks;
    if (callbacks !== null) {
      this.#callbacks = null;
      if (typeof callbacks === "function") runCallback(callbacks, self);
      else for (const callback of callbacks) runCallback(callback, self);
    }
  }
}

function addListener(listeners: Listeners, fn: Listener): Listeners {
  if (listeners === null) return fn;
  if (typeof listeners === "function") return [listeners, fn];
  listeners.push(fn);
  return listeners;
}

function removeListener(listeners: Listeners, fn: Listener): Listeners {
  if (listeners === fn) return null;
  if (listeners === null || typeof listeners === "function") return listeners;
  const i = listeners.indexOf(fn);
  if (i >= 0) listeners.splice(i, 1);
  return listeners.length === 0 ? null : listeners;
}

function runCallback<T>(
  callback: (future: Future<T>) => void,
  future: Future<T>,
): void {
  try {
    callback(future);
  } catch {
    // Ignored, as Python's executor logs and ignores callback errors.
  }
}

/**
 * A chunk that settles one future: the chunk record the core needs anyway,
 * with the future it belongs to, so that a task is one future and one chunk
 * and every chunk of an executor shares one owner.
 */
type FutureChunk = Chunk & { readonly future: Future<unknown> };

function futureChunk(
  fn: number,
  flags: number,
  items: unknown[],
  timeout: number,
  owner: ChunkOwner,
  tag: number,
  future: Future<unknown>,
): FutureChunk {
  // Always this shape, so that the core sees one kind of chunk from here.
  return {
    fn,
    flags,
    items,
    timeout,
    owner,
    tag,
    state: ChunkState.Queued,
    future,
  };
}

/** Settles a submitted task's future with its one value. */
class SubmitOwner implements ChunkOwner {
  chunkDispatched(chunk: Chunk): void {
    control.running((chunk as FutureChunk).future);
  }
  chunkDone(chunk: Chunk, values: unknown[], offset: number): void {
    control.resolve((chunk as FutureChunk).future, values[offset]);
  }
  chunkFailed(chunk: Chunk, error: Error): void {
    control.reject((chunk as FutureChunk).future, error);
  }
}

/** Settles a `map()` chunk's future with the chunk's values. */
class MapOwner extends SubmitOwner {
  override chunkDone(chunk: Chunk, values: unknown[], offset: number): void {
    control.resolve(
      (chunk as FutureChunk).future,
      values.slice(offset, offset + chunk.items.length),
    );
  }
}

const SUBMIT_OWNER = new SubmitOwner();
const MAP_OWNER = new MapOwner();

/** Whether a value crosses to a worker as it is (nothing to walk). */
function isPlain(value: unknown): boolean {
  const type = typeof value;
  return type === "number" || type === "string" || type === "boolean" ||
    type === "undefined" || type === "bigint" || value === null;
}

/**
 * The futures submitted with one AbortSignal: one abort listener for all of
 * them (not one per future, which would also make each removal a scan of
 * the signal's listeners), removed once the last of them is done.
 */
class SignalGroup {
  readonly #signal: AbortSignal;
  readonly #groups: Map<AbortSignal, SignalGroup>;
  #futures: Future<unknown>[] = [];
  #pending = 0;
  readonly #onDone: Listener = () => this.#done();

  constructor(signal: AbortSignal, groups: Map<AbortSignal, SignalGroup>) {
    this.#signal = signal;
    this.#groups = groups;
    groups.set(signal, this);
    signal.addEventListener("abort", this, { once: true });
  }

  /** Called by the signal: cancels every future of the group not started. */
  handleEvent(): void {
    for (const future of this.#futures.slice()) future.cancel();
  }

  add(future: Future<unknown>): void {
    let futures = this.#futures;
    // Drop the done ones now and then, so that a long-lived signal does not
    // keep every future it ever covered.
    if (futures.length >= 1024 && futures.length >= 2 * this.#pending) {
      futures = this.#futures = futures.filter((f) => !f.done());
    }
    futures.push(future);
    this.#pending++;
    control.listen(future, this.#onDone);
  }

  #done(): void {
    if (--this.#pending > 0) return;
    this.#signal.removeEventListener("abort", this);
    this.#groups.delete(this.#signal);
  }
}

/**
 * Python's `concurrent.futures.ProcessPoolExecutor` on long-lived workers:
 * `submit()` gives a {@linkcode Future}; `map()`, `shutdown()`. A task
 * costs a small record here until a worker takes it. A worker that dies
 * while running a task fails only that task's future (with
 * `WorkerCrashedError`) and is replaced; the executor is never broken by it.
 *
 * `await using` shuts the executor down and waits, as Python's `with` does.
 *
 * @example Usage
 * ```ts
 * import { asCompleted, ProcessPoolExecutor } from "@denomp/multiprocessing";
 * import assert from "node:assert/strict";
 * import { square } from "../tests/fixtures/pool_targets.ts";
 *
 * const module = new URL("../tests/fixtures/pool_targets.ts", import.meta.url);
 * await using executor = new ProcessPoolExecutor({ maxWorkers: 2, module });
 * const futures = [1, 2, 3].map((x) => executor.submit(square, x));
 * let total = 0;
 * for await (const future of asCompleted(futures)) total += await future.result();
 * assert.equal(total, 14);
 * ```
 */
export class ProcessPoolExecutor {
  #core: PoolCore;
  #shutdown = false;
  /**
   * Chunks that may still be queued, for `shutdown({ cancelFutures })`. A
   * chunk is not removed when it starts or ends; the list is filtered now
   * and then instead (amortised O(1) per task, one slot each).
   */
  #queued: FutureChunk[] = [];
  #compactAt = 4096;
  #signals = new Map<AbortSignal, SignalGroup>();

  /**
   * Creates an executor. Workers start with the first task.
   *
   * @param options Size, initializer, module and permissions.
   * @throws {TypeError} If an option has the wrong type.
   * @throws {RangeError} If `maxWorkers` or `maxTasksPerChild` is not a
   * positive integer.
   */
  constructor(options?: ProcessPoolExecutorOptions) {
    const what = "Cannot create executor";
    if (options === undefined) options = {};
    else if (typeof options !== "object" || options === null) {
      throw new TypeError(
        `${what}: options must be an object, received ${describe(options)}`,
      );
    }
    this.#core = buildCore(
      what,
      options,
      "maxWorkers",
      "PoolWorker",
    );
  }

  /** The number of workers. */
  get maxWorkers(): number {
    return this.#core.size;
  }

  /**
   * Schedules `fn(...args)` on a worker.
   *
   * @typeParam A The function's parameter types, checked against `args`.
   * @typeParam R The function's return type.
   * @param fn An exported function of the executor's module, or its name.
   * @param args The arguments.
   * @returns A future for the result.
   * @throws {Error} If the executor has been shut down.
   * @throws {TypeError} If `fn` is not a named function or an argument
   * cannot be sent.
   */
  submit<A extends unknown[], R>(
    fn: ((...args: A) => R) | string,
    ...args: A
  ): Future<Awaited<R>> {
    return this.#submit("Cannot submit task", fn, args, 0, undefined);
  }

  /**
   * Like {@linkcode ProcessPoolExecutor.prototype.submit}, with options: a
   * `signal` that cancels the task while it has not started, and a per-task
   * `timeout` counted from when it starts.
   *
   * @typeParam A The function's parameter types.
   * @typeParam R The function's return type.
   * @param fn An exported function of the executor's module, or its name.
   * @param args The arguments.
   * @param options `signal`, `timeout`.
   * @returns A future for the result.
   *
   * @example Usage
   * ```ts
   * import { ProcessPoolExecutor, TimeoutError } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   *
   * const module = new URL("../tests/fixtures/pool_targets.ts", import.meta.url);
   * await using executor = new ProcessPoolExecutor({ maxWorkers: 1, module });
   * const flag = new Int32Array(new SharedArrayBuffer(4));
   * // blockUntil waits on flag for up to 5 s; the task may run 20 ms.
   * const future = executor.submitWith("blockUntil", [flag, 5000], { timeout: 20 });
   * await assert.rejects(future.result(), TimeoutError);
   * Atomics.store(flag, 0, 1); // let the abandoned thread finish
   * Atomics.notify(flag, 0);
   * ```
   */
  submitWith<A extends unknown[], R>(
    fn: ((...args: A) => R) | string,
    args: A,
    options?: SubmitOptions,
  ): Future<Awaited<R>> {
    options ??= {};
    const what = "Cannot submit task";
    if (!Array.isArray(args)) {
      throw new TypeError(
        `${what}: args must be an array, received ${describe(args)}`,
      );
    }
    checkSignal(what, options.signal);
    const timeout = taskTimeout(what, options.timeout);
    return this.#submit(what, fn, args, timeout, options.signal);
  }

  #submit<R>(
    what: string,
    fn: unknown,
    args: unknown[],
    timeout: number,
    signal: AbortSignal | undefined,
  ): Future<R> {
    if (this.#shutdown) {
      throw new Error(`${what}: the executor has been shut down`);
    }
    const core = this.#core;
    if (core.broken !== null) throw core.broken;
    const fnId = core.fnId(what, fn);
    if (signal?.aborted) {
      // Never queued, and its arguments never encoded (their shared objects
      // are not held): cancel the future alone.
      const future = new Future<R>();
      future.cancel();
      return future;
    }
    // One argument travels as the chunk's one item (the argument list is
    // that item list already); several as one argument list to spread.
    const single = args.length === 1;
    const items: unknown[] = single ? args : [args];
    let flags = single ? 0 : FLAG_STAR;
    for (let i = 0; i < args.length; i++) {
      // Only arguments that are objects need the walk for shared objects.
      if (!isPlain(args[i])) {
        flags |= core.encodeItems(
          what,
          items,
          single ? "argument" : "argument list",
        );
        break;
      }
    }
    const future = new Future<R>();
    const chunk = futureChunk(
      fnId,
      flags,
      items,
      timeout,
      SUBMIT_OWNER,
      0,
      future as Future<unknown>,
    );
    this.#enqueue(chunk, signal);
    return future;
  }

  /** Binds a chunk's future, remembers the chunk and queues it. */
  #enqueue(chunk: FutureChunk, signal: AbortSignal | undefined): void {
    const future = chunk.future;
    control.bind(future, this.#core, chunk);
    if (signal !== undefined) {
      const group = this.#signals.get(signal) ??
        new SignalGroup(signal, this.#signals);
      group.add(future);
    }
    let queued = this.#queued;
    if (queued.length >= this.#compactAt) {
      queued = this.#queued = queued.filter((c) =>
        c.state === ChunkState.Queued
      );
      this.#compactAt = Math.max(4096, 2 * queued.length);
    }
    queued.push(chunk);
    this.#core.enqueue(chunk);
  }

  /**
   * Runs `fn` on every item and yields the results in input order. The
   * items are submitted at once (as Python's does); `timeout` counts from
   * the call. Leaving the loop early cancels the tasks not yet started.
   *
   * @typeParam T The item type.
   * @typeParam R The function's return type.
   * @param fn An exported function of the executor's module, or its name.
   * @param iterable The items.
   * @param options `timeout`, `chunksize`, `signal`.
   * @returns An async iterator over the results.
   *
   * @example Usage
   * ```ts
   * import { ProcessPoolExecutor } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   * import { square } from "../tests/fixtures/pool_targets.ts";
   *
   * const module = new URL("../tests/fixtures/pool_targets.ts", import.meta.url);
   * await using executor = new ProcessPoolExecutor({ maxWorkers: 2, module });
   * const out = await Array.fromAsync(executor.map(square, [1, 2, 3]));
   * assert.deepEqual(out, [1, 4, 9]);
   * ```
   */
  map<T, R>(
    fn: ((item: T) => R) | string,
    iterable: Iterable<T>,
    options?: ExecutorMapOptions,
  ): AsyncIterableIterator<Awaited<R>> {
    options ??= {};
    const what = "Cannot map";
    if (this.#shutdown) {
      throw new Error(`${what}: the executor has been shut down`);
    }
    const core = this.#core;
    if (core.broken !== null) throw core.broken;
    const fnId = core.fnId(what, fn);
    if (
      iterable === null || iterable === undefined ||
      typeof Object(iterable)[Symbol.iterator] !== "function"
    ) {
      throw new TypeError(
        `${what}: iterable must be iterable, received ${describe(iterable)}`,
      );
    }
    const timeout = checkTimeout(what, options.timeout);
    const { signal } = options;
    checkSignal(what, signal);
    const chunksize = options.chunksize ?? 1;
    if (!Number.isInteger(chunksize) || chunksize < 1) {
      throw new RangeError(
        `${what}: chunksize must be a positive integer, received ${
          describe(chunksize)
        }`,
      );
    }
    const items = Array.from(iterable);
    const futures: Future<unknown[]>[] = [];
    for (let base = 0; base < items.length; base += chunksize) {
      const slice = items.slice(base, base + chunksize);
      const flags = core.encodeItems(what, slice, "item");
      const future = new Future<unknown[]>();
      futures.push(future);
      this.#enqueue(
        futureChunk(
          fnId,
          flags,
          slice,
          0,
          MAP_OWNER,
          base,
          future as Future<unknown>,
        ),
        undefined,
      );
    }
    // The deadline counts from this call (as Python's), not from the first
    // next(): a generator's body runs only then.
    const deadline = performance.now() + timeout;
    return mapResults(
      futures,
      timeout,
      deadline,
      signal,
    ) as AsyncIterableIterator<
      Awaited<R>
    >;
  }

  /**
   * Stops accepting tasks. With `cancelFutures`, cancels the futures not yet
   * started; with `wait` (the default) resolves once every other future has
   * finished and the workers have exited.
   *
   * @param options `wait`, `cancelFutures`.
   */
  async shutdown(options?: ShutdownOptions): Promise<void> {
    const { wait = true, cancelFutures = false } = options ?? {};
    this.#shutdown = true;
    if (cancelFutures) {
      const queued = this.#queued;
      this.#queued = [];
      for (const chunk of queued) {
        if (chunk.state === ChunkState.Queued) chunk.future.cancel();
      }
    }
    const done = this.#core.shutdown();
    if (wait) await done;
  }

  /** Shuts down and waits, as Python's `with` does. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.shutdown({ wait: true });
  }

  /** A short description, for `console.log`. */
  [Symbol.for("Deno.customInspect")](): string {
    return `ProcessPoolExecutor { maxWorkers: ${this.#core.size}, workers: ${this.#core.workers}, pending: ${this.#core.outstanding}${
      this.#shutdown ? ", shut down" : ""
    } }`;
  }
}

async function* mapResults(
  futures: Future<unknown[]>[],
  timeout: number,
  deadline: number,
  signal: AbortSignal | undefined,
): AsyncGenerator<unknown> {
  try {
    for (const future of futures) {
      const remaining = Math.max(0, deadline - performance.now());
      const values = await future.result(
        timeout === Infinity
          ? (signal ? { signal } : {})
          : signal
          ? { timeout: remaining, signal }
          : { timeout: remaining },
      );
      for (const value of values) yield value;
    }
  } finally {
    for (const future of futures) future.cancel();
  }
}

/**
 * Yields the futures as they complete (finished or cancelled), as Python's
 * `as_completed`. Futures already done come first. Duplicates are yielded
 * once.
 *
 * @typeParam T The futures' result type.
 * @param futures The futures to watch.
 * @param options `timeout` in ms from the call.
 * @returns An async iterator over the futures.
 * @throws {TimeoutError} While iterating, when `timeout` runs out before
 * every future is done.
 *
 * @example Usage
 * ```ts
 * import { asCompleted, Future } from "@denomp/multiprocessing";
 * import assert from "node:assert/strict";
 *
 * const f = new Future<number>();
 * f.cancel();
 * const seen = await Array.fromAsync(asCompleted([f]));
 * assert.equal(seen[0], f);
 * ```
 */
export function asCompleted<T>(
  futures: Iterable<Future<T>>,
  options?: AsCompletedOptions,
): AsyncGenerator<Future<T>> {
  return new AsCompletedIterator(futures, options);
}

type Step<T> = IteratorResult<Future<T>, void>;

const DONE: IteratorReturnResult<void> = { done: true, value: undefined };

/**
 * What {@linkcode asCompleted} returns: an async generator written out by
 * hand, because a generator function costs three promise turns per yielded
 * future and this costs one. It behaves as the generator did: the input is
 * read and checked at the first `next()`, calls made while one waits are
 * answered in order, a `TimeoutError` ends it, and `return()` (a `break`)
 * stops listening to the futures not yet done.
 */
class AsCompletedIterator<T> implements AsyncGenerator<Future<T>, void> {
  #input: Iterable<Future<T>>;
  #options: AsCompletedOptions | undefined;
  /** 0: not started, 1: iterating, 2: ended. */
  #phase: 0 | 1 | 2 = 0;
  /** Done futures not yet yielded are `#finished[#head..]`. */
  #finished: Future<T>[] = [];
  #head = 0;
  #watched: Future<T>[] = [];
  #total = 0;
  #left = 0;
  #timeout = Infinity;
  #deadline = Infinity;
  #timer: ReturnType<typeof setTimeout> | undefined = undefined;
  #timedOut = false;
  /** `next()` calls waiting for a future, in call order. */
  #waiting: {
    resolve: (step: Step<T>) => void;
    reject: (error: unknown) => void;
  }[] = [];
  // One listener shared by every future: a completion costs a push.
  readonly #onDone: Listener = (future) => {
    this.#finished.push(future);
    if (this.#waiting.length > 0) this.#serve();
  };

  constructor(futures: Iterable<Future<T>>, options?: AsCompletedOptions) {
    this.#input = futures;
    this.#options = options;
  }

  next(): Promise<Step<T>> {
    try {
      if (this.#phase === 0) this.#start();
      if (this.#waiting.length === 0) {
        const step = this.#take();
        if (step !== null) return Promise.resolve(step);
      }
    } catch (error) {
      return Promise.reject(error);
    }
    return new Promise((resolve, reject) => {
      this.#waiting.push({ resolve, reject });
      this.#arm();
    });
  }

  return(): Promise<Step<T>> {
    this.#end();
    this.#serve();
    return Promise.resolve(DONE);
  }

  throw(error: unknown): Promise<Step<T>> {
    this.#end();
    this.#serve();
    return Promise.reject(error);
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.return();
  }

  #start(): void {
    this.#phase = 2; // until the input is known to be good
    const what = "Cannot iterate as completed";
    const options = this.#options ?? {};
    const timeout = checkTimeout(what, options.timeout);
    const list = futureList<T>(what, this.#input);
    this.#input = [];
    this.#phase = 1;
    this.#timeout = timeout;
    this.#deadline = performance.now() + timeout;
    // Each future once. The listener itself tells a repeated pending future
    // (no Set over every future); only the done ones need a Set.
    const finished = this.#finished;
    const watched = this.#watched;
    let doneSeen: Set<Future<T>> | null = null;
    for (const future of list) {
      if (future.done()) {
        doneSeen ??= new Set();
        if (doneSeen.has(future)) continue;
        doneSeen.add(future);
        finished.push(future);
      } else if (control.watch(future, this.#onDone)) watched.push(future);
    }
    this.#total = this.#left = finished.length + watched.length;
  }

  /** The next step if it is known now, `null` to wait; throws on timeout. */
  #take(): Step<T> | null {
    if (this.#phase === 2) return DONE;
    if (this.#head < this.#finished.length) {
      const future = this.#finished[this.#head]!;
      this.#finished[this.#head++] = undefined as unknown as Future<T>;
      if (--this.#left === 0) this.#end();
      return { done: false, value: future };
    }
    if (this.#left === 0) {
      this.#end();
      return DONE;
    }
    if (this.#timedOut || performance.now() >= this.#deadline) {
      const left = this.#left;
      this.#end();
      throw new TimeoutError(
        `Cannot iterate as completed: ${left} of ${this.#total} futures unfinished after ${this.#timeout} ms`,
      );
    }
    return null;
  }

  /** Answers waiting `next()` calls, in order, while there are answers. */
  #serve(): void {
    const waiting = this.#waiting;
    while (waiting.length > 0) {
      let step: Step<T> | null;
      try {
        step = this.#take();
      } catch (error) {
        waiting.shift()!.reject(error);
        continue;
      }
      if (step === null) return;
      waiting.shift()!.resolve(step);
    }
  }

  #arm(): void {
    if (this.#timeout === Infinity || this.#timer !== undefined) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#timedOut = true;
      this.#serve();
    }, Math.max(0, this.#deadline - performance.now()));
  }

  #end(): void {
    if (this.#phase === 1 && this.#left > 0) {
      // Left early (break, timeout): stop listening to those not done.
      for (const future of this.#watched) {
        if (!future.done()) control.unlisten(future, this.#onDone);
      }
    }
    this.#phase = 2;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#finished = [];
    this.#head = 0;
    this.#watched = [];
  }
}

/**
 * Waits for futures, as Python's `concurrent.futures.wait`: until all are
 * done (`ALL_COMPLETED`, the default), the first is done
 * (`FIRST_COMPLETED`), the first fails or all are done (`FIRST_EXCEPTION`),
 * or `timeout` runs out.
 *
 * @typeParam T The futures' result type.
 * @param futures The futures to wait for.
 * @param options `timeout` in ms, `returnWhen`.
 * @returns The done and not-done futures.
 *
 * @example Usage
 * ```ts
 * import { Future, wait } from "@denomp/multiprocessing";
 * import assert from "node:assert/strict";
 *
 * const a = new Future<number>();
 * const b = new Future<number>();
 * a.cancel();
 * const { done, notDone } = await wait([a, b], { timeout: 10 });
 * assert.deepEqual([...done], [a]);
 * assert.deepEqual([...notDone], [b]);
 * ```
 */
export function wait<T>(
  futures: Iterable<Future<T>>,
  options?: WaitOptions,
): Promise<WaitResult<T>> {
  options ??= {};
  const what = "Cannot wait for futures";
  try {
    const timeout = checkTimeout(what, options.timeout);
    const { returnWhen = ALL_COMPLETED } = options;
    if (
      returnWhen !== FIRST_COMPLETED && returnWhen !== FIRST_EXCEPTION &&
      returnWhen !== ALL_COMPLETED
    ) {
      throw new TypeError(
        `${what}: returnWhen must be "FIRST_COMPLETED", "FIRST_EXCEPTION" or "ALL_COMPLETED", received ${
          describe(returnWhen)
        }`,
      );
    }
    const all = checkFutures<T>(what, futures);
    const result = (): WaitResult<T> => {
      const done = new Set<Future<T>>();
      const notDone = new Set<Future<T>>();
      for (const f of all) (f.done() ? done : notDone).add(f);
      return { done, notDone };
    };
    const satisfied = (): boolean => {
      let doneCount = 0;
      for (const f of all) {
        if (!f.done()) continue;
        doneCount++;
        if (returnWhen === FIRST_COMPLETED) return true;
        if (returnWhen === FIRST_EXCEPTION && control.failed(f)) return true;
      }
      return doneCount === all.size;
    };
    if (satisfied()) return Promise.resolve(result());
    return new Promise((resolve) => {
      const waiting = [...all].filter((f) => !f.done());
      let remaining = waiting.length;
      let settled = false;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const finish = () => {
        if (settled) return;
        settled = true;
        if (timer !== undefined) clearTimeout(timer);
        for (const f of waiting) {
          if (!f.done()) control.unlisten(f, onDone);
        }
        resolve(result());
      };
      // One listener shared by every future: each completion is O(1).
      const onDone = (f: Future<never>) => {
        remaining--;
        if (
          returnWhen === FIRST_COMPLETED || remaining === 0 ||
          (returnWhen === FIRST_EXCEPTION && control.failed(f))
        ) finish();
      };
      for (const f of waiting) control.listen(f, onDone);
      if (timeout !== Infinity && !settled) {
        timer = setTimeout(finish, timeout);
      }
    });
  } catch (error) {
    return Promise.reject(error);
  }
}

function checkFutures<T>(what: string, futures: unknown): Set<Future<T>> {
  return new Set(futureList<T>(what, futures));
}

/** Validates an iterable of futures into an array (duplicates kept). */
function futureList<T>(what: string, futures: unknown): Future<T>[] {
  if (
    futures === null || futures === undefined ||
    typeof Object(futures)[Symbol.iterator] !== "function"
  ) {
    throw new TypeError(
      `${what}: futures must be an iterable of Future, received ${
        describe(futures)
      }`,
    );
  }
  const list = Array.isArray(futures)
    ? futures as unknown[]
    : Array.from(futures as Iterable<unknown>);
  for (const f of list) {
    if (!(f instanceof Future)) {
      throw new TypeError(
        `${what}: every item must be a Future, received ${describe(f)}`,
      );
    }
  }
  return list as Future<T>[];
}
