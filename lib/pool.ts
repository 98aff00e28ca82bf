// Copyright 2026 the denomp authors. MIT license.
/**
 * `Pool`: a set of long-lived workers that run exported functions over many
 * inputs, as Python's `multiprocessing.Pool` does: `map`, `imap`,
 * `imapUnordered`, `starmap`, `apply`, `close`, `terminate`, `join`.
 *
 * @module
 */

import {
  type Chunk,
  type ChunkOwner,
  type ChunkRun,
  ChunkState,
  FLAG_SHARED,
  FLAG_STAR,
  type PoolCore,
  type RunOwner,
  terminatedError,
} from "./pool/core.ts";
import { checkSignal, describe } from "./_wait.ts";
import type { AsyncResult } from "./async_result.ts";
// Loads AsyncResult, whose static block installs `results`.
import "./async_result.ts";
import { buildCore, taskTimeout } from "./pool/options.ts";
import { type ResultCallback, results } from "./pool/result_control.ts";
import type { ProcessPermissions } from "./process.ts";
import type { StartMethod } from "./_start_method.ts";

/** Options for {@linkcode Pool}. */
export interface PoolOptions {
  /**
   * Number of workers.
   *
   * @default {cpuCount()}
   */
  processes?: number;
  /**
   * An exported function (or its name) run once in each worker before its
   * first task, with `initargs`.
   *
   * @default {undefined}
   */
  initializer?: ((...args: never[]) => unknown) | string;
  /**
   * Arguments for `initializer`. Shared objects arrive live.
   *
   * @default {[]}
   */
  initargs?: unknown[];
  /**
   * Replace a worker after it has run this many tasks (chunks); `undefined`
   * keeps workers for the pool's whole life.
   *
   * @default {undefined}
   */
  maxTasksPerChild?: number;
  /**
   * URL of the module that exports the task functions; pass
   * `import.meta.url` when they are not in the program's main module.
   *
   * @default {Deno.mainModule}
   */
  module?: string | URL;
  /**
   * Deno permissions of the workers, at most the parent's. With the thread
   * start method this needs Deno's `--unstable-worker-options` flag; with
   * `"spawn"` they become each child's `--allow-*` flags (see
   * {@linkcode ProcessOptions.permissions}).
   *
   * @default {"inherit"}
   */
  permissions?: ProcessPermissions;
  /**
   * How workers run: `"thread"` (Web Workers in this OS process) or
   * `"spawn"` (`deno run` subprocesses: a task `timeout` kills its worker
   * for real, and a crash or out-of-memory fails only the task it held).
   *
   * @default {getStartMethod()}
   */
  startMethod?: StartMethod;
  /**
   * Start method `"spawn"` only: V8's heap limit for each worker, in MiB.
   *
   * @default {undefined}
   */
  maxHeapMb?: number;
}

/** Options for {@linkcode Pool.prototype.map} and its kin. */
export interface MapOptions {
  /**
   * Items per task. `map` and `starmap` default to Python's rule
   * (`ceil(n / (4 * processes))`); `imap` and `imapUnordered` to 1.
   *
   * @default {Python's rule, or 1 for imap}
   */
  chunksize?: number;
  /** Aborting cancels the tasks not yet started and rejects with `signal.reason`. */
  signal?: AbortSignal;
  /**
   * Milliseconds each task (each chunk) may run, counted from when it
   * starts. A task that runs out fails with `TimeoutError` and its worker is
   * replaced without waiting for it.
   *
   * @default {Infinity}
   */
  timeout?: number;
}

/** Options for {@linkcode Pool.prototype.apply}. */
export interface ApplyOptions {
  /** Aborting cancels the task if not yet started and rejects with `signal.reason`. */
  signal?: AbortSignal;
  /**
   * Milliseconds the task may run, counted from when it starts.
   *
   * @default {Infinity}
   */
  timeout?: number;
}

/**
 * Options for {@linkcode Pool.prototype.applyAsync}: those of `apply`, and
 * Python's callbacks.
 *
 * @typeParam R The task's result type.
 */
export interface ApplyAsyncOptions<R> extends ApplyOptions {
  /**
   * Called once with the result, in this thread, before any `get()` of the
   * {@linkcode AsyncResult} returns. It should return quickly (other results
   * wait for it). An error it throws is reported as uncaught
   * (`reportError`) and does not touch the pool.
   *
   * @default {undefined}
   */
  callback?: (result: R) => void;
  /**
   * Called once with the error instead, when the task fails (its own error,
   * `TimeoutError`, `WorkerCrashedError`, `CancelledError` on terminate, or
   * the signal's reason).
   *
   * @default {undefined}
   */
  errorCallback?: (error: unknown) => void;
}

/**
 * Options for {@linkcode Pool.prototype.mapAsync} and `starmapAsync`: those
 * of `map`, and Python's callbacks.
 *
 * @typeParam R The function's result type; `callback` gets an array of them.
 */
export interface MapAsyncOptions<R> extends MapOptions {
  /**
   * Called once with every result, in input order, in this thread, before
   * any `get()` of the {@linkcode AsyncResult} returns. An error it throws is
   * reported as uncaught (`reportError`) and does not touch the pool.
   *
   * @default {undefined}
   */
  callback?: (results: R[]) => void;
  /**
   * Called once with the first error instead (a task's error, the input's
   * error when an async input throws, ...).
   *
   * @default {undefined}
   */
  errorCallback?: (error: unknown) => void;
}

/** Where a pool is in its life. */
export type PoolState = "running" | "closed" | "terminated";

/**
 * Python's default chunk size for `map`: the items spread over four chunks
 * per worker.
 */
function defaultChunksize(n: number, processes: number): number {
  if (n === 0) return 1;
  return Math.ceil(n / (processes * 4));
}

/**
 * A pool of long-lived workers (Web Workers), each with its own `pid`, that
 * run exported functions over many inputs.
 *
 * Tasks travel to workers in batches of chunks, so dispatch costs little;
 * a worker that dies while running a task (`Deno.exit`, an uncaught error in
 * a callback) fails only that task with `WorkerCrashedError` and is
 * replaced; errors thrown by tasks arrive with their name, message and the
 * worker's stack.
 *
 * `await using` terminates the pool on leaving the scope, as Python's `with`
 * does: await your results inside it.
 *
 * @example Usage
 * ```ts
 * import { Pool } from "@denomp/multiprocessing";
 * import assert from "node:assert/strict";
 * // square is exported by the fixture module: x => x * x
 * import { square } from "../tests/fixtures/pool_targets.ts";
 *
 * const module = new URL("../tests/fixtures/pool_targets.ts", import.meta.url);
 * await using pool = new Pool({ processes: 2, module });
 * const squares: number[] = await pool.map(square, [1, 2, 3, 4]);
 * assert.deepEqual(squares, [1, 4, 9, 16]);
 * ```
 */
export class Pool {
  #core: PoolCore;
  #processes: number;
  #state: PoolState = "running";
  /** Async inputs of mapAsync calls still being read. */
  #reading = new Set<Promise<void>>();

  /**
   * Creates a pool and starts its workers, as Python's `Pool` does: their
   * start-up overlaps whatever the program does before its first call.
   * Idle workers do not keep the program alive.
   *
   * @param options Size, initializer, module and permissions.
   * @throws {TypeError} If an option has the wrong type.
   * @throws {RangeError} If `processes` or `maxTasksPerChild` is not a
   * positive integer.
   */
  constructor(options?: PoolOptions) {
    const what = "Cannot create pool";
    if (options === undefined) options = {};
    else if (typeof options !== "object" || options === null) {
      throw new TypeError(
        `${what}: options must be an object, received ${describe(options)}`,
      );
    }
    const core = buildCore(what, options, "processes", "PoolWorker");
    this.#core = core;
    this.#processes = core.size;
    // As Python's Pool: the workers start now, not with the first task.
    core.start();
  }

  /** The number of workers. */
  get processes(): number {
    return this.#processes;
  }

  /** `"running"`, `"closed"` (no new tasks) or `"terminated"`. */
  get state(): PoolState {
    return this.#state;
  }

  /**
   * Runs `fn` on every item, in parallel, and resolves with the results in
   * input order. The input is read in full first (as Python's `map` does);
   * use {@linkcode Pool.prototype.imap} for long or endless inputs. If the
   * input throws, the call rejects with that error and nothing runs. The
   * first task that throws rejects the whole call with that error, and the
   * tasks not yet started are dropped.
   *
   * @typeParam T The item type.
   * @typeParam R The function's return type.
   * @param fn An exported function of the pool's module, or its name.
   * @param iterable The items.
   * @param options `chunksize`, `signal`, `timeout`.
   * @returns The results, in input order.
   * @throws {TypeError} If `fn` is not an exported function or `iterable`
   * is not iterable.
   * @throws {RangeError} If `chunksize` is not a positive integer.
   *
   * @example Usage
   * ```ts
   * import { Pool } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   *
   * const module = new URL("../tests/fixtures/pool_targets.ts", import.meta.url);
   * await using pool = new Pool({ processes: 2, module });
   * // A function can also be named by its export.
   * assert.deepEqual(await pool.map("square", [5, 6]), [25, 36]);
   * ```
   */
  map<T, R>(
    fn: ((item: T) => R) | string,
    iterable: Iterable<T> | AsyncIterable<T>,
    options?: MapOptions,
  ): Promise<Awaited<R>[]> {
    try {
      return this.#mapAsync("Cannot map", fn, iterable, options, 0)
        .get() as Promise<Awaited<R>[]>;
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /**
   * Like {@linkcode Pool.prototype.map}, but each item is an argument list
   * spread into `fn`, as Python's `starmap`.
   *
   * @typeParam A The function's parameter types.
   * @typeParam R The function's return type.
   * @param fn An exported function of the pool's module, or its name.
   * @param iterable Argument lists.
   * @param options `chunksize`, `signal`, `timeout`.
   * @returns The results, in input order.
   *
   * @example Usage
   * ```ts
   * import { Pool } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   * import { add } from "../tests/fixtures/pool_targets.ts";
   *
   * const module = new URL("../tests/fixtures/pool_targets.ts", import.meta.url);
   * await using pool = new Pool({ processes: 2, module });
   * assert.deepEqual(await pool.starmap(add, [[1, 2], [3, 4]]), [3, 7]);
   * ```
   */
  starmap<A extends unknown[], R>(
    fn: ((...args: A) => R) | string,
    iterable: Iterable<A> | AsyncIterable<A>,
    options?: MapOptions,
  ): Promise<Awaited<R>[]> {
    try {
      return this.#mapAsync("Cannot starmap", fn, iterable, options, FLAG_STAR)
        .get() as Promise<Awaited<R>[]>;
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /**
   * Runs `fn(...args)` in a worker and resolves with its result.
   *
   * @typeParam A The function's parameter types, checked against `args`.
   * @typeParam R The function's return type.
   * @param fn An exported function of the pool's module, or its name.
   * @param args The arguments.
   * @param options `signal`, `timeout`.
   * @returns The result.
   *
   * @example Usage
   * ```ts
   * import { Pool } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   * import { add } from "../tests/fixtures/pool_targets.ts";
   *
   * const module = new URL("../tests/fixtures/pool_targets.ts", import.meta.url);
   * await using pool = new Pool({ processes: 1, module });
   * const sum: number = await pool.apply(add, [2, 3]);
   * assert.equal(sum, 5);
   * ```
   */
  apply<A extends unknown[], R>(
    fn: ((...args: A) => R) | string,
    args: A,
    options?: ApplyOptions,
  ): Promise<Awaited<R>> {
    try {
      return this.#applyAsync("Cannot apply", fn, args, options)
        .get() as Promise<Awaited<R>>;
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /**
   * Runs `fn(...args)` in a worker, as Python's `apply_async`: returns at
   * once with an {@linkcode AsyncResult}, and calls `callback` with the
   * result (or `errorCallback` with the error) when the task ends.
   *
   * What can be checked at the call is: a bad argument, an argument that
   * cannot be sent, or a pool that is not running throw here, as `submit()`
   * of the executor does; everything that happens later (the task's error,
   * a crash, a timeout, an abort, `terminate()`) fails the result.
   *
   * @typeParam A The function's parameter types, checked against `args`.
   * @typeParam R The function's return type.
   * @param fn An exported function of the pool's module, or its name.
   * @param args The arguments.
   * @param options `callback`, `errorCallback`, `signal`, `timeout`.
   * @returns The result, to wait for with `get()`.
   * @throws {Error} If the pool is closed or terminated.
   * @throws {TypeError} If `fn` is not an exported function, `args` is not
   * an array, an argument cannot be sent to a worker, or an option has the
   * wrong type.
   * @throws {RangeError} If `timeout` is negative.
   *
   * @example Usage
   * ```ts
   * import { type AsyncResult, Pool } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   * import { add } from "../tests/fixtures/pool_targets.ts";
   *
   * const module = new URL("../tests/fixtures/pool_targets.ts", import.meta.url);
   * await using pool = new Pool({ processes: 1, module });
   * const seen: number[] = [];
   * const result: AsyncResult<number> = pool.applyAsync(add, [2, 3], {
   *   callback: (sum) => seen.push(sum),
   * });
   * assert.equal(await result.get({ timeout: 10_000 }), 5);
   * assert.deepEqual(seen, [5]); // the callback ran before get() returned
   * ```
   */
  applyAsync<A extends unknown[], R>(
    fn: ((...args: A) => R) | string,
    args: A,
    options?: ApplyAsyncOptions<Awaited<R>>,
  ): AsyncResult<Awaited<R>> {
    return this.#applyAsync(
      "Cannot applyAsync",
      fn,
      args,
      options,
    ) as AsyncResult<Awaited<R>>;
  }

  /**
   * Like {@linkcode Pool.prototype.map}, as Python's `map_async`: returns at
   * once with an {@linkcode AsyncResult} for the list of results, and calls
   * `callback` with that list (or `errorCallback` with the first error).
   *
   * A synchronous input is read in full at the call (as Python's does), so
   * an input that throws throws here, as do bad arguments, an item that
   * cannot be sent and a pool that is not running. An async input is read
   * in the background; if it throws, the result fails with its error.
   *
   * @typeParam T The item type.
   * @typeParam R The function's return type.
   * @param fn An exported function of the pool's module, or its name.
   * @param iterable The items (sync or async).
   * @param options `chunksize`, `callback`, `errorCallback`, `signal`,
   * `timeout`.
   * @returns The result: every value, in input order.
   * @throws {Error} If the pool is closed or terminated.
   * @throws {TypeError} If `fn` is not an exported function, `iterable` is
   * not iterable, an item cannot be sent, or an option has the wrong type.
   * @throws {RangeError} If `chunksize` is not a positive integer or
   * `timeout` is negative.
   *
   * @example Usage
   * ```ts
   * import { Pool } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   * import { square } from "../tests/fixtures/pool_targets.ts";
   *
   * const module = new URL("../tests/fixtures/pool_targets.ts", import.meta.url);
   * await using pool = new Pool({ processes: 2, module });
   * const result = pool.mapAsync(square, [1, 2, 3], { chunksize: 1 });
   * const squares: number[] = await result.get();
   * assert.deepEqual(squares, [1, 4, 9]);
   * ```
   */
  mapAsync<T, R>(
    fn: ((item: T) => R) | string,
    iterable: Iterable<T> | AsyncIterable<T>,
    options?: MapAsyncOptions<Awaited<R>>,
  ): AsyncResult<Awaited<R>[]> {
    return this.#mapAsync(
      "Cannot mapAsync",
      fn,
      iterable,
      options,
      0,
    ) as AsyncResult<Awaited<R>[]>;
  }

  /**
   * Like {@linkcode Pool.prototype.mapAsync}, but each item is an argument
   * list spread into `fn`, as Python's `starmap_async`.
   *
   * @typeParam A The function's parameter types.
   * @typeParam R The function's return type.
   * @param fn An exported function of the pool's module, or its name.
   * @param iterable Argument lists (sync or async).
   * @param options `chunksize`, `callback`, `errorCallback`, `signal`,
   * `timeout`.
   * @returns The result: every value, in input order.
   * @throws {Error} If the pool is closed or terminated.
   * @throws {TypeError} If an item is not an array, or as for `mapAsync`.
   * @throws {RangeError} As for `mapAsync`.
   *
   * @example Usage
   * ```ts
   * import { Pool } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   * import { add } from "../tests/fixtures/pool_targets.ts";
   *
   * const module = new URL("../tests/fixtures/pool_targets.ts", import.meta.url);
   * await using pool = new Pool({ processes: 2, module });
   * const result = pool.starmapAsync(add, [[1, 2], [3, 4]]);
   * assert.deepEqual(await result.get(), [3, 7]);
   * ```
   */
  starmapAsync<A extends unknown[], R>(
    fn: ((...args: A) => R) | string,
    iterable: Iterable<A> | AsyncIterable<A>,
    options?: MapAsyncOptions<Awaited<R>>,
  ): AsyncResult<Awaited<R>[]> {
    return this.#mapAsync(
      "Cannot starmapAsync",
      fn,
      iterable,
      options,
      FLAG_STAR,
    ) as AsyncResult<Awaited<R>[]>;
  }

  /**
   * Runs `fn` over the items and yields the results in input order as they
   * become ready. The input is pulled lazily (an endless generator works)
   * and only a bounded number of chunks is in flight at a time; results
   * are yielded while an async input waits for its next item. Leaving the
   * loop early drops the tasks not yet started.
   *
   * A task that throws ends the loop with its error when the loop reaches
   * its result. If the input itself throws, the results of the items read
   * before are yielded first, then the loop throws the input's error; as in
   * CPython, a chunk the input failed in the middle of is not run (with
   * `chunksize` 1, every item read before the failure gets its result). An
   * item that cannot be sent to a worker counts as such a failure: the
   * input is read no further, and the loop throws a `TypeError` naming the
   * item by its index.
   *
   * The loop pulls the input as it goes, so `join()` waits only for the
   * tasks already taken from it: once the pool is joined or terminated, the
   * loop throws instead of taking more (a `CancelledError` after
   * `terminate()`). Finish the loop before `close()` and `join()`.
   *
   * @typeParam T The item type.
   * @typeParam R The function's return type.
   * @param fn An exported function of the pool's module, or its name.
   * @param iterable The items (sync or async).
   * @param options `chunksize` (default 1), `signal`, `timeout`.
   * @returns An async iterator over the results.
   *
   * @example Usage
   * ```ts
   * import { Pool } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   * import { square } from "../tests/fixtures/pool_targets.ts";
   *
   * function* naturals() {
   *   for (let i = 0; ; i++) yield i;
   * }
   * const module = new URL("../tests/fixtures/pool_targets.ts", import.meta.url);
   * await using pool = new Pool({ processes: 2, module });
   * const out: number[] = [];
   * for await (const y of pool.imap(square, naturals())) {
   *   out.push(y);
   *   if (out.length === 4) break;
   * }
   * assert.deepEqual(out, [0, 1, 4, 9]);
   * ```
   */
  imap<T, R>(
    fn: ((item: T) => R) | string,
    iterable: Iterable<T> | AsyncIterable<T>,
    options?: MapOptions,
  ): AsyncIterableIterator<Awaited<R>> {
    options ??= {};
    return this.#imap(
      "Cannot imap",
      fn,
      iterable,
      options,
      true,
    ) as AsyncIterableIterator<
      Awaited<R>
    >;
  }

  /**
   * Like {@linkcode Pool.prototype.imap}, but yields results in the order
   * they complete. If the input throws, its error comes after every result
   * of the chunks read before it.
   *
   * @typeParam T The item type.
   * @typeParam R The function's return type.
   * @param fn An exported function of the pool's module, or its name.
   * @param iterable The items (sync or async).
   * @param options `chunksize` (default 1), `signal`, `timeout`.
   * @returns An async iterator over the results.
   *
   * @example Usage
   * ```ts
   * import { Pool } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   * import { square } from "../tests/fixtures/pool_targets.ts";
   *
   * const module = new URL("../tests/fixtures/pool_targets.ts", import.meta.url);
   * await using pool = new Pool({ processes: 2, module });
   * const out = await Array.fromAsync(pool.imapUnordered(square, [1, 2, 3]));
   * assert.deepEqual(out.sort(), [1, 4, 9]);
   * ```
   */
  imapUnordered<T, R>(
    fn: ((item: T) => R) | string,
    iterable: Iterable<T> | AsyncIterable<T>,
    options?: MapOptions,
  ): AsyncIterableIterator<Awaited<R>> {
    options ??= {};
    return this.#imap(
      "Cannot imapUnordered",
      fn,
      iterable,
      options,
      false,
    ) as AsyncIterableIterator<Awaited<R>>;
  }

  /**
   * Stops accepting tasks; the tasks already given still run. Then
   * {@linkcode Pool.prototype.join} waits for them. Idempotent.
   */
  close(): void {
    if (this.#state === "running") this.#state = "closed";
  }

  /**
   * Stops every worker now. Tasks not finished reject with
   * `CancelledError`. A worker busy in synchronous code cannot be stopped by
   * Deno; it is abandoned and its toolkit calls fail. Idempotent.
   */
  terminate(): void {
    if (this.#state === "terminated") return;
    this.#state = "terminated";
    this.#core.terminate(terminatedError("Cannot finish task"));
  }

  /**
   * Waits until every task has finished and the workers have exited.
   *
   * @throws {Error} If the pool is still running: call `close()` or
   * `terminate()` first, as in Python.
   */
  async join(): Promise<void> {
    if (this.#state === "running") {
      throw new Error(
        "Cannot join pool: it is still running; call close() or terminate() first",
      );
    }
    // Maps given before close() whose async input is still being read
    // queue their tasks first.
    while (this.#reading.size > 0) await Promise.all(this.#reading);
    await this.#core.shutdown();
  }

  /** Terminates the pool (as Python's `with` does). */
  [Symbol.dispose](): void {
    this.terminate();
  }

  /** Terminates the pool and waits for its workers to go. */
  async [Symbol.asyncDispose](): Promise<void> {
    this.terminate();
    await this.#core.shutdown();
  }

  /** A short description, for `console.log`. */
  [Symbol.for("Deno.customInspect")](): string {
    return `Pool { state: ${
      JSON.stringify(this.#state)
    }, processes: ${this.#processes}, workers: ${this.#core.workers}, pending: ${this.#core.outstanding} }`;
  }

  #assertRunning(what: string): void {
    if (this.#state !== "running") {
      throw new Error(`${what}: the pool is ${this.#state}`);
    }
  }

  #applyAsync(
    what: string,
    fn: unknown,
    args: unknown,
    options: ApplyAsyncOptions<never> | undefined,
  ): AsyncResult<unknown> {
    this.#assertRunning(what);
    if (!Array.isArray(args)) {
      throw new TypeError(
        `${what}: args must be an array, received ${describe(args)}`,
      );
    }
    const { signal, callback, errorCallback } = options ?? {};
    checkSignal(what, signal);
    const timeout = taskTimeout(what, options?.timeout);
    checkCallbacks(what, callback, errorCallback);
    const core = this.#core;
    const fnId = core.fnId(what, fn);
    const result = results.create(
      callback as ResultCallback | undefined,
      errorCallback,
    );
    const job = new MapJob(core, 1, signal, result, true);
    // Already aborted: fail before encoding, which would hold the handles
    // of the arguments' shared objects.
    if (signal?.aborted) {
      job.start([]);
      return result;
    }
    const items = [args.slice()];
    const flags = FLAG_STAR | core.encodeItems(what, items, "argument list");
    job.start([{
      fn: fnId,
      flags,
      items,
      timeout,
      owner: job,
      tag: 0,
      state: ChunkState.Queued,
    }]);
    return result;
  }

  #mapAsync(
    what: string,
    fn: unknown,
    iterable: Iterable<unknown> | AsyncIterable<unknown>,
    options: MapAsyncOptions<never> | undefined,
    flags: number,
  ): AsyncResult<unknown> {
    this.#assertRunning(what);
    const fnId = this.#core.fnId(what, fn);
    checkIterable(what, iterable);
    const { signal, callback, errorCallback } = options ?? {};
    checkSignal(what, signal);
    const timeout = taskTimeout(what, options?.timeout);
    const chunksize = checkChunksize(what, options?.chunksize);
    checkCallbacks(what, callback, errorCallback);
    // A sync input is read in full now, as Python's map_async does: an input
    // that throws throws here.
    const items = Symbol.iterator in Object(iterable)
      ? Array.from(iterable as Iterable<unknown>)
      : null;
    const result = results.create(
      callback as ResultCallback | undefined,
      errorCallback,
    );
    const job = (items: unknown[]) =>
      this.#startMap(
        what,
        fnId,
        items,
        flags,
        chunksize,
        timeout,
        signal,
        result,
      );
    if (items !== null) {
      job(items);
      return result;
    }
    // An async input is read in the background; join() waits for it.
    const reading = Array.fromAsync(iterable as AsyncIterable<unknown>).then(
      (items) => {
        try {
          job(items);
        } catch (error) {
          results.reject(result, error);
        }
      },
      (error) => results.reject(result, error),
    ).finally(() => this.#reading.delete(reading));
    this.#reading.add(reading);
    return result;
  }

  /**
   * Queues the items of one map as one run of chunks (see `ChunkRun`), or,
   * when they hold shared objects whose handles each task holds while it
   * runs, as chunk records made now.
   */
  #startMap(
    what: string,
    fnId: number,
    items: unknown[],
    flags: number,
    chunksize: number | undefined,
    timeout: number,
    signal: AbortSignal | undefined,
    result: AsyncResult<unknown>,
  ): void {
    const n = items.length;
    const core = this.#core;
    const job = new MapJob(core, n, signal, result, false);
    if (this.#state === "terminated") return job.start([], true);
    // Already aborted (perhaps while an async input was read): fail before
    // encoding, which would hold the handles of the items' shared objects.
    if (signal?.aborted) return job.start([]);
    const size = chunksize ?? defaultChunksize(n, this.#processes);
    if (flags & FLAG_STAR) checkArgLists(what, items, 0);
    flags |= core.encodeItems(what, items, "item", 0, false);
    if ((flags & FLAG_SHARED) === 0) {
      return job.start({
        fn: fnId,
        flags,
        items,
        size,
        timeout,
        owner: job,
        next: 0,
        count: Math.ceil(n / size),
      });
    }
    const chunks: Chunk[] = [];
    for (let base = 0; base < n; base += size) {
      const slice = items.slice(base, base + size);
      core.lend(slice);
      chunks.push({
        fn: fnId,
        flags,
        items: slice,
        timeout,
        owner: job,
        tag: base,
        state: ChunkState.Queued,
      });
    }
    job.start(chunks);
  }

  #imap(
    what: string,
    fn: unknown,
    iterable: Iterable<unknown> | AsyncIterable<unknown>,
    options: MapOptions,
    ordered: boolean,
  ): AsyncIterableIterator<unknown> {
    this.#assertRunning(what);
    const fnId = this.#core.fnId(what, fn);
    checkIterable(what, iterable);
    const { signal } = options;
    checkSignal(what, signal);
    const timeout = taskTimeout(what, options.timeout);
    const chunksize = checkChunksize(what, options.chunksize) ?? 1;
    return imapGenerator(
      this.#core,
      what,
      fnId,
      iterable,
      chunksize,
      timeout,
      ordered,
      signal,
      this.#processes * 32,
    );
  }
}

function checkChunksize(what: string, chunksize: unknown): number | undefined {
  if (chunksize === undefined) return undefined;
  if (typeof chunksize !== "number") {
    throw new TypeError(
      `${what}: chunksize must be a number, received ${describe(chunksize)}`,
    );
  }
  if (!Number.isInteger(chunksize) || chunksize < 1) {
    throw new RangeError(
      `${what}: chunksize must be a positive integer, received ${chunksize}`,
    );
  }
  return chunksize;
}

function checkIterable(what: string, iterable: unknown): void {
  const o = Object(iterable);
  if (
    iterable === null || iterable === undefined ||
    (typeof o[Symbol.iterator] !== "function" &&
      typeof o[Symbol.asyncIterator] !== "function")
  ) {
    throw new TypeError(
      `${what}: iterable must be iterable, received ${describe(iterable)}`,
    );
  }
}

function checkArgLists(what: string, items: unknown[], base: number): void {
  for (let i = 0; i < items.length; i++) {
    if (!Array.isArray(items[i])) {
      throw new TypeError(
        `${what}: item ${base + i} must be an array of arguments, received ${
          describe(items[i])
        }`,
      );
    }
  }
}

function checkCallbacks(
  what: string,
  callback: unknown,
  errorCallback: unknown,
): void {
  for (
    const [name, value] of [["callback", callback], [
      "errorCallback",
      errorCallback,
    ]]
  ) {
    if (value !== undefined && typeof value !== "function") {
      throw new TypeError(
        `${what}: ${name} must be a function, received ${describe(value)}`,
      );
    }
  }
}

/**
 * Collects every chunk of one map (or the one chunk of an apply) into its
 * AsyncResult: the values in input order, or the first error (the chunks
 * not yet started are then dropped).
 */
class MapJob implements RunOwner {
  #core: PoolCore;
  #result: AsyncResult<unknown>;
  #single: boolean;
  #values: unknown[];
  #remaining = 0;
  #chunks: Chunk[] = [];
  #run: ChunkRun | null = null;
  #settled = false;
  #signal: AbortSignal | undefined;
  #onAbort: (() => void) | null = null;

  constructor(
    core: PoolCore,
    n: number,
    signal: AbortSignal | undefined,
    result: AsyncResult<unknown>,
    single: boolean,
  ) {
    this.#core = core;
    this.#values = new Array(n);
    this.#signal = signal;
    this.#result = result;
    this.#single = single;
  }

  /**
   * Queues the chunks (records, or a run); `terminated` fails the job
   * instead.
   */
  start(chunks: Chunk[] | ChunkRun, terminated = false): void {
    const signal = this.#signal;
    if (terminated) return this.#fail(terminatedError("Cannot map"));
    if (signal?.aborted) return this.#fail(signal.reason);
    const count = Array.isArray(chunks) ? chunks.length : chunks.count;
    if (count === 0) return this.#done();
    this.#remaining = count;
    if (signal !== undefined) {
      this.#onAbort = () => this.#fail(signal.reason);
      signal.addEventListener("abort", this.#onAbort, { once: true });
    }
    if (Array.isArray(chunks)) {
      this.#chunks = chunks;
      for (const chunk of chunks) this.#core.enqueue(chunk);
    } else {
      this.#run = chunks;
      this.#core.enqueueRun(chunks);
    }
  }

  chunkDone(chunk: Chunk, values: unknown[], offset: number): void {
    if (this.#settled) return;
    const out = this.#values;
    const base = chunk.tag;
    const n = chunk.items.length;
    for (let i = 0; i < n; i++) out[base + i] = values[offset + i];
    if (--this.#remaining === 0) this.#done();
  }

  chunkFailed(_chunk: Chunk, error: Error): void {
    this.#fail(error);
  }

  runDone(run: ChunkRun, from: number, to: number, values: unknown[]): void {
    if (this.#settled) return;
    const out = this.#values;
    const base = from * run.size;
    const n = Math.min(to * run.size, out.length) - base;
    for (let i = 0; i < n; i++) out[base + i] = values[i];
    if ((this.#remaining -= to - from) === 0) this.#done();
  }

  #done(): void {
    this.#settled = true;
    this.#cleanup();
    results.resolve(
      this.#result,
      this.#single ? this.#values[0] : this.#values,
    );
  }

  #fail(error: unknown): void {
    if (this.#settled) return;
    this.#settled = true;
    this.#cleanup();
    for (const chunk of this.#chunks) this.#core.cancel(chunk);
    if (this.#run !== null) this.#core.cancelRun(this.#run);
    results.reject(this.#result, error);
  }

  #cleanup(): void {
    if (this.#onAbort !== null) {
      this.#signal?.removeEventListener("abort", this.#onAbort);
      this.#onAbort = null;
    }
  }
}

type Outcome = { values: unknown[] } | { error: unknown };

/** Feeds a lazily read input through the pool, a window of chunks at a time. */
async function* imapGenerator(
  core: PoolCore,
  what: string,
  fnId: number,
  iterable: Iterable<unknown> | AsyncIterable<unknown>,
  chunksize: number,
  timeout: number,
  ordered: boolean,
  signal: AbortSignal | undefined,
  window: number,
): AsyncGenerator<unknown> {
  const sync = typeof Object(iterable)[Symbol.asyncIterator] !== "function";
  const iterator = sync
    ? (iterable as Iterable<unknown>)[Symbol.iterator]()
    : (iterable as AsyncIterable<unknown>)[Symbol.asyncIterator]();
  const ready = new Map<number, Outcome>();
  const readyOrder: number[] = [];
  const live = new Set<Chunk>();
  let wake: (() => void) | null = null;
  let nextSeq = 0;
  let nextOut = 0;
  // Items read (and queued) so far: names an item that fails to encode.
  let read = 0;
  // No more reading: the input ended, threw, or gave an item that cannot be
  // encoded (then `ended` stays false, and the input is closed at the end).
  let exhausted = false;
  let ended = false;
  // Set when the input itself throws, or gives an item that cannot be
  // encoded. As CPython does, every chunk read in full before that still
  // runs and is yielded first; the chunk being filled is dropped, and the
  // error comes in its place (after every result, for imapUnordered).
  let inputError: { error: unknown } | null = null;
  const owner: ChunkOwner = {
    chunkDone(chunk, values, offset) {
      live.delete(chunk);
      ready.set(chunk.tag, {
        values: values.slice(offset, offset + chunk.items.length),
      });
      if (!ordered) readyOrder.push(chunk.tag);
      wake?.();
    },
    chunkFailed(chunk, error) {
      live.delete(chunk);
      ready.set(chunk.tag, { error });
      if (!ordered) readyOrder.push(chunk.tag);
      wake?.();
    },
  };
  let aborted = false;
  const onAbort = () => {
    aborted = true;
    wake?.();
  };
  // The next result to yield is there.
  const due = () => ordered ? ready.has(nextOut) : readyOrder.length > 0;
  // An async input's read in progress, kept across yields: results that
  // come while the input is slow are yielded meanwhile, as CPython's imap
  // yields while its task handler waits for the input. `settled` resolves
  // (never rejects) once the read has.
  let pending: {
    step: Promise<IteratorResult<unknown>>;
    settled: Promise<true>;
  } | null = null;
  // The chunk being filled (kept when a result is yielded midway).
  let slice: unknown[] = [];
  signal?.addEventListener("abort", onAbort, { once: true });
  try {
    if (signal?.aborted) throw signal.reason;
    while (true) {
      // Top up the window.
      fill: while (!exhausted && live.size + ready.size < window) {
        while (slice.length < chunksize) {
          let step: IteratorResult<unknown>;
          if (!sync && pending === null) {
            const next = (iterator as AsyncIterator<unknown>).next();
            pending = {
              step: next,
              settled: next.then(() => true as const, () => true as const),
            };
          }
          // A slow input: yield the results that come first.
          while (pending !== null && live.size > 0 && !due() && !aborted) {
            const read = await Promise.race([
              pending.settled,
              new Promise<false>((resolve) => wake = () => resolve(false)),
            ]);
            wake = null;
            if (read) break;
          }
          if (aborted) throw signal!.reason;
          if (pending !== null && due()) break fill;
          try {
            if (pending === null) step = (iterator as Iterator<unknown>).next();
            else {
              const next = pending.step;
              pending = null;
              step = await next;
            }
          } catch (error) {
            inputError = { error };
            exhausted = ended = true;
            slice.length = 0;
            break;
          }
          if (step.done) {
            exhausted = ended = true;
            break;
          }
          slice.push(step.value);
        }
        if (aborted) throw signal!.reason;
        if (slice.length === 0) break;
        let flags: number;
        try {
          flags = core.encodeItems(what, slice, "item", read);
        } catch (error) {
          inputError = { error };
          exhausted = true;
          break;
        }
        read += slice.length;
        const chunk: Chunk = {
          fn: fnId,
          flags,
          items: slice,
          timeout,
          owner,
          tag: nextSeq++,
          state: ChunkState.Queued,
        };
        live.add(chunk);
        slice = [];
        core.enqueue(chunk);
      }
      if (exhausted && live.size === 0 && ready.size === 0) {
        // Every result before the input's failure has been yielded.
        if (inputError !== null) throw inputError.error;
        return;
      }
      // Wait for the next result we may yield.
      let seq: number | undefined;
      while (true) {
        if (aborted) throw signal!.reason;
        if (ordered) {
          if (ready.has(nextOut)) seq = nextOut++;
        } else if (readyOrder.length > 0) seq = readyOrder.shift();
        if (seq !== undefined) break;
        await new Promise<void>((resolve) => wake = resolve);
        wake = null;
      }
      const outcome = ready.get(seq)!;
      ready.delete(seq);
      if ("error" in outcome) throw outcome.error;
      for (const value of outcome.values) yield value;
    }
  } finally {
    signal?.removeEventListener("abort", onAbort);
    for (const chunk of live) core.cancel(chunk);
    if (!ended) {
      const close = async () => {
        try {
          await iterator.return?.();
        } catch {
          // The input's own cleanup failed; the loop is over anyway.
        }
      };
      // A read still in progress may never end: the input is closed once
      // it has, without waiting for it here.
      if (pending === null) await close();
      else void pending.settled.then(close);
    }
  }
}
