// Copyright 2026 the denomp authors. MIT license.
/**
 * `AsyncResult`: the result of `Pool.applyAsync`, `Pool.mapAsync` and
 * `Pool.starmapAsync`, as Python's `multiprocessing.pool.AsyncResult`:
 * `get({ timeout })`, `wait({ timeout })`, `ready()`, `successful()`.
 *
 * @module
 */

import { type InspectFn, inspectOutcome } from "./_inspect.ts";
import { checkSignal, checkTimeout, waitFor } from "./_wait.ts";
import { TimeoutError } from "./errors.ts";
import {
  installResultControl,
  type ResultCallback,
} from "./pool/result_control.ts";

/** Options for {@linkcode AsyncResult.prototype.get} and `wait`. */
export interface AsyncResultWaitOptions {
  /**
   * Milliseconds to wait at most (Python's `timeout` is in seconds). Then
   * `get()` throws `TimeoutError` and `wait()` just returns; the task goes on
   * and can be waited for again.
   *
   * @default {Infinity}
   */
  timeout?: number;
  /** Aborting rejects the wait (not the task) with `signal.reason`. */
  signal?: AbortSignal;
}

const PENDING = 0;
const SUCCEEDED = 1;
const FAILED = 2;

/**
 * The eventual result of a task given to a {@linkcode Pool} with
 * `applyAsync`, `mapAsync` or `starmapAsync`, as Python's
 * `multiprocessing.pool.AsyncResult`. The pool makes them; there is no
 * public constructor.
 *
 * The `callback` given to the pool runs once, in the thread that owns the
 * pool, with the result; `errorCallback` with the error instead. They run
 * before any `get()` or `wait()` returns. An error thrown by a callback
 * does not touch the pool or the result: it is reported as an uncaught
 * error is (`reportError`: the global `error` event, which ends the program
 * unless a listener calls `preventDefault()`), as Python's pool would leave
 * its result thread broken instead.
 *
 * Like {@linkcode Future}, it is deliberately not a thenable: await
 * `result.get()`.
 *
 * @typeParam T The result type: the function's return type for
 * `applyAsync`, an array of them for `mapAsync` and `starmapAsync`.
 *
 * @example Usage
 * ```ts
 * import { type AsyncResult, Pool } from "@denomp/multiprocessing";
 * import assert from "node:assert/strict";
 * import { square } from "../tests/fixtures/pool_targets.ts";
 *
 * const module = new URL("../tests/fixtures/pool_targets.ts", import.meta.url);
 * await using pool = new Pool({ processes: 2, module });
 * const result: AsyncResult<number> = pool.applyAsync(square, [7]);
 * assert.equal(await result.get(), 49);
 * assert.equal(result.ready(), true);
 * assert.equal(result.successful(), true);
 * ```
 */
export class AsyncResult<T> {
  #state: typeof PENDING | typeof SUCCEEDED | typeof FAILED = PENDING;
  #value: T | undefined = undefined;
  #error: unknown = undefined;
  #callback: ResultCallback | undefined = undefined;
  #errorCallback: ((error: unknown) => void) | undefined = undefined;
  #listeners: (() => void)[] = [];
  #settling = false;

  static {
    installResultControl({
      create: (callback, errorCallback) => {
        const result = new AsyncResult<unknown>();
        result.#callback = callback;
        result.#errorCallback = errorCallback;
        return result;
      },
      resolve: (result, value) => result.#settle(SUCCEEDED, value),
      reject: (result, error) => result.#settle(FAILED, error),
    });
  }

  /** Only the pool makes AsyncResults. */
  private constructor() {}

  /**
   * Whether the task has finished (succeeded or failed).
   *
   * @returns `true` once the result or the error is there.
   *
   * @example Usage
   * ```ts
   * import { Pool } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   *
   * const module = new URL("../tests/fixtures/pool_targets.ts", import.meta.url);
   * await using pool = new Pool({ processes: 1, module });
   * const result = pool.applyAsync("square", [3]);
   * await result.wait();
   * assert.equal(result.ready(), true);
   * ```
   */
  ready(): boolean {
    return this.#state !== PENDING;
  }

  /**
   * Whether the task finished without an error.
   *
   * @returns `true` if it succeeded, `false` if it failed.
   * @throws {Error} If the result is not ready yet, as Python's raises
   * `ValueError`: asking is a mistake in the caller's order of calls (a
   * plain `Error`, as for the toolkit's other calls made in the wrong
   * state), not a bad argument (`TypeError`/`RangeError`) or a condition
   * to catch.
   *
   * @example Usage
   * ```ts
   * import { Pool } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   *
   * const module = new URL("../tests/fixtures/pool_targets.ts", import.meta.url);
   * await using pool = new Pool({ processes: 1, module });
   * const result = pool.applyAsync("failOn", [1, 1]); // throws RangeError
   * await result.wait();
   * assert.equal(result.successful(), false);
   * ```
   */
  successful(): boolean {
    if (this.#state === PENDING) {
      throw new Error(
        "Cannot tell whether the task succeeded: the result is not ready",
      );
    }
    return this.#state === SUCCEEDED;
  }

  /**
   * Waits for the task and returns its result, or throws its error.
   *
   * @param options `timeout` in milliseconds, `signal`.
   * @returns The result.
   * @throws {TimeoutError} If the result is not ready within `timeout`; the
   * task goes on and `get()` can be called again.
   * @throws {Error} The task's own error (rebuilt with its name, message and
   * the worker's stack), `CancelledError` when the pool was terminated
   * first, `WorkerCrashedError` when the worker died, `TimeoutError` when
   * the task ran past its own `timeout`, or `signal.reason` of the task's
   * signal.
   * @throws {TypeError} If `timeout` is not a number or `signal` is not an
   * AbortSignal.
   * @throws {RangeError} If `timeout` is negative.
   *
   * @example Usage
   * ```ts
   * import { Pool, TimeoutError } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   *
   * const module = new URL("../tests/fixtures/pool_targets.ts", import.meta.url);
   * await using pool = new Pool({ processes: 1, module });
   * const flag = new Int32Array(new SharedArrayBuffer(4));
   * // blockUntil waits on flag for up to 5 s.
   * const result = pool.applyAsync("blockUntil", [flag, 5000]);
   * await assert.rejects(result.get({ timeout: 10 }), TimeoutError);
   * Atomics.store(flag, 0, 1);
   * Atomics.notify(flag, 0);
   * assert.equal(await result.get(), "released");
   * ```
   */
  async get(options?: AsyncResultWaitOptions): Promise<T> {
    if (this.#state === PENDING) {
      const what = "Cannot get result";
      if (!await this.#wait(what, options)) {
        throw new TimeoutError(
          `${what}: not ready after ${options!.timeout} ms`,
        );
      }
    } else if (options !== undefined) {
      // Bad options are refused even when no wait is needed.
      checkTimeout("Cannot get result", options.timeout);
      checkSignal("Cannot get result", options.signal);
    }
    if (this.#state === FAILED) throw this.#error;
    return this.#value as T;
  }

  /**
   * Waits until the result is ready or `timeout` runs out, whichever comes
   * first; then returns, as Python's does (check
   * {@linkcode AsyncResult.prototype.ready}). It never throws the task's
   * error.
   *
   * @param options `timeout` in milliseconds, `signal`.
   * @throws {TypeError} If `timeout` is not a number or `signal` is not an
   * AbortSignal.
   * @throws {RangeError} If `timeout` is negative.
   *
   * @example Usage
   * ```ts
   * import { Pool } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   *
   * const module = new URL("../tests/fixtures/pool_targets.ts", import.meta.url);
   * await using pool = new Pool({ processes: 1, module });
   * const flag = new Int32Array(new SharedArrayBuffer(4));
   * const result = pool.applyAsync("blockUntil", [flag, 5000]);
   * await result.wait({ timeout: 10 });
   * assert.equal(result.ready(), false);
   * Atomics.store(flag, 0, 1);
   * Atomics.notify(flag, 0);
   * await result.wait();
   * assert.equal(result.ready(), true);
   * ```
   */
  async wait(options?: AsyncResultWaitOptions): Promise<void> {
    if (this.#state === PENDING) {
      await this.#wait("Cannot wait for result", options);
    } else if (options !== undefined) {
      checkTimeout("Cannot wait for result", options.timeout);
      checkSignal("Cannot wait for result", options.signal);
    }
  }

  /**
   * A short description, for `console.log`: the state, and the value or the
   * error once there.
   *
   * @param inspect Deno's inspect function, for the value.
   * @param options Deno's inspect options.
   * @returns The description.
   */
  [Symbol.for("Deno.customInspect")](
    inspect?: InspectFn,
    options?: Deno.InspectOptions,
  ): string {
    if (this.#state === PENDING) return 'AsyncResult { state: "pending" }';
    return this.#state === SUCCEEDED
      ? `AsyncResult { state: "succeeded", value: ${
        inspectOutcome(this.#value, inspect, options)
      } }`
      : `AsyncResult { state: "failed", error: ${
        inspectOutcome(this.#error, inspect, options)
      } }`;
  }

  /** Resolves true when settled, false on timeout; validates the options. */
  #wait(
    what: string,
    options: AsyncResultWaitOptions | undefined,
  ): Promise<boolean> {
    const timeout = checkTimeout(what, options?.timeout);
    const signal = options?.signal;
    checkSignal(what, signal);
    return waitFor(
      (wake) => {
        this.#listeners.push(wake);
        return () => {
          const i = this.#listeners.indexOf(wake);
          if (i >= 0) this.#listeners.splice(i, 1);
        };
      },
      timeout,
      signal,
    );
  }

  #settle(state: typeof SUCCEEDED | typeof FAILED, outcome: unknown): void {
    if (this.#state !== PENDING || this.#settling) return;
    const callback = state === SUCCEEDED ? this.#callback : this.#errorCallback;
    this.#callback = undefined;
    this.#errorCallback = undefined;
    if (callback === undefined) {
      this.#commit(state, outcome);
      return;
    }
    // The callback runs out of the pool's own bookkeeping (it may call the
    // pool), and the result becomes ready just before it: no get() or
    // wait() can return before it has run, as in Python.
    this.#settling = true;
    queueMicrotask(() => {
      this.#commit(state, outcome, callback as (value: unknown) => void);
    });
  }

  #commit(
    state: typeof SUCCEEDED | typeof FAILED,
    outcome: unknown,
    callback?: (value: unknown) => void,
  ): void {
    this.#state = state;
    if (state === SUCCEEDED) this.#value = outcome as T;
    else this.#error = outcome;
    if (callback !== undefined) {
      try {
        callback(outcome);
      } catch (error) {
        reportError(error);
      }
    }
    const listeners = this.#listeners;
    this.#listeners = [];
    for (const wake of listeners) wake();
  }
}
