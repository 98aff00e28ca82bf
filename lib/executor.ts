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

let control: {
  running<T>(future: Future<T>): boolean;
  resolve<T>(future: Future<T>, value: unknown): void;
  reject<T>(future: Future<T>, error: unknown): void;
  bind<T>(future: Future<T>, core: PoolCore, chunk: Chunk): void;
  listen<T>(future: Future<T>, fn: () => void): void;
  failed<T>(future: Future<T>): boolean;
};

/**
 * The eventual result of a task submitted to a
 * {@linkcode ProcessPoolExecutor}. It is deliberately not a thenable (so
 * that `asCompleted` can yield the futures themselves): await
 * `future.result()`.
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
  #callbacks: ((future: never) => void)[] = [];
  #listeners: (() => void)[] = [];
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
        if (f.done()) fn();
        else f.#listeners.push(fn);
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
  async result(options?: FutureWaitOptions): Promise<T> {
    options ??= {};
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
    options ??= {};
    await this.#wait("Cannot get exception", options);
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
    else this.#callbacks.push(callback);
  }

  /** A short description, for `console.log`. */
  [Symbol.for("Deno.customInspect")](): string {
    return `Future { state: ${JSON.stringify(this.#state)}${
      this.#state === "finished" ? this.#failed ? ", raised" : ", returned" : ""
    } }`;
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
        const i = this.#listeners.indexOf(listener);
        if (i >= 0) this.#listeners.splice(i, 1);
        if (error === undefined) resolve();
        else reject(error);
      };
      const listener = () => finish();
      this.#listeners.push(listener);
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
    const listeners = this.#listeners;
    this.#listeners = [];
    for (const listener of listeners) listener();
    const callbacks = this.#callbacks;
    this.#callbacks = [];
    for (const callback of callbacks) {
      runCallback(callback as (future: Future<T>) => void, this);
    }
  }
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

/** Connects a future to its chunk. */
class FutureOwner implements ChunkOwner {
  future: Future<unknown>;
  constructor(future: Future<unknown>) {
    this.future = future;
  }
  chunkDispatched(): void {
    control.running(this.future);
  }
  chunkDone(_chunk: Chunk, values: unknown[], offset: number): void {
    control.resolve(this.future, values[offset]);
  }
  chunkFailed(_chunk: Chunk, error: Error): void {
    control.reject(this.future, error);
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
  #pending = new Set<Future<unknown>>();

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
    const items: unknown[] = [args];
    const flags = FLAG_STAR | core.encodeItems(what, items, "argument list");
    const future = new Future<R>();
    const owner = new FutureOwner(future as unknown as Future<unknown>);
    const chunk: Chunk = {
      fn: fnId,
      flags,
      items,
      timeout,
      owner,
      tag: 0,
      state: ChunkState.Queued,
    };
    if (signal?.aborted) {
      // Never queued: cancel the future alone.
      future.cancel();
      return future;
    }
    control.bind(future, core, chunk);
    if (signal !== undefined) {
      const onAbort = () => future.cancel();
      signal.addEventListener("abort", onAbort, { once: true });
      control.listen(
        future,
        () => signal.removeEventListener("abort", onAbort),
      );
    }
    this.#track(future as unknown as Future<unknown>);
    core.enqueue(chunk);
    return future;
  }

  /** Remembers a future until it is done, for `shutdown({ cancelFutures })`. */
  #track(future: Future<unknown>): void {
    const pending = this.#pending;
    pending.add(future);
    control.listen(future, () => pending.delete(future));
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
      const chunk: Chunk = {
        fn: fnId,
        flags,
        items: slice,
        timeout: 0,
        owner: {
          chunkDispatched: () => control.running(future),
          chunkDone: (c, values, offset) =>
            control.resolve(
              future,
              values.slice(offset, offset + c.items.length),
            ),
          chunkFailed: (_c, error) => control.reject(future, error),
        },
        tag: base,
        state: ChunkState.Queued,
      };
      control.bind(future, core, chunk);
      futures.push(future);
      this.#track(future as unknown as Future<unknown>);
      core.enqueue(chunk);
    }
    return mapResults(futures, timeout, signal) as AsyncIterableIterator<
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
      for (const future of [...this.#pending]) future.cancel();
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
  signal: AbortSignal | undefined,
): AsyncGenerator<unknown> {
  const deadline = performance.now() + timeout;
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
export async function* asCompleted<T>(
  futures: Iterable<Future<T>>,
  options?: AsCompletedOptions,
): AsyncGenerator<Future<T>> {
  options ??= {};
  const what = "Cannot iterate as completed";
  const timeout = checkTimeout(what, options.timeout);
  const all = checkFutures<T>(what, futures);
  const deadline = performance.now() + timeout;
  const finished: Future<T>[] = [];
  let wake: (() => void) | null = null;
  let left = all.size;
  for (const future of all) {
    control.listen(future, () => {
      finished.push(future);
      wake?.();
    });
  }
  let timer: ReturnType<typeof setTimeout> | undefined;
  let timedOut = false;
  try {
    let i = 0;
    while (left > 0) {
      if (i < finished.length) {
        left--;
        const future = finished[i]!;
        finished[i++] = undefined as unknown as Future<T>;
        yield future;
        continue;
      }
      if (timedOut || performance.now() >= deadline) {
        throw new TimeoutError(
          `${what}: ${left} of ${all.size} futures unfinished after ${timeout} ms`,
        );
      }
      await new Promise<void>((resolve) => {
        wake = resolve;
        if (timeout !== Infinity && timer === undefined) {
          timer = setTimeout(() => {
            timedOut = true;
            wake?.();
          }, Math.max(0, deadline - performance.now()));
        }
      });
      wake = null;
    }
  } finally {
    if (timer !== undefined) clearTimeout(timer);
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
      let settled = false;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const finish = () => {
        if (settled) return;
        settled = true;
        if (timer !== undefined) clearTimeout(timer);
        resolve(result());
      };
      const waiting = [...all].filter((f) => !f.done());
      let remaining = waiting.length;
      const satisfiedOne = (f: Future<T>): boolean => {
        remaining--;
        if (returnWhen === FIRST_COMPLETED) return true;
        if (returnWhen === FIRST_EXCEPTION && control.failed(f)) return true;
        return remaining === 0;
      };
      for (const f of waiting) {
        control.listen(f, () => {
          if (!settled && satisfiedOne(f)) finish();
        });
      }
      if (timeout !== Infinity) timer = setTimeout(finish, timeout);
    });
  } catch (error) {
    return Promise.reject(error);
  }
}

function checkFutures<T>(what: string, futures: unknown): Set<Future<T>> {
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
  const all = new Set<Future<T>>();
  for (const f of futures as Iterable<unknown>) {
    if (!(f instanceof Future)) {
      throw new TypeError(
        `${what}: every item must be a Future, received ${describe(f)}`,
      );
    }
    all.add(f as Future<T>);
  }
  return all;
}
