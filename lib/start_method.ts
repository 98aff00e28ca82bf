// Copyright 2026 the denomp authors. MIT license.
/**
 * Start methods, as Python's `multiprocessing` has them: how a `Process` or
 * pool worker is run. `"thread"` (the default) runs it on a Web Worker in
 * this OS process: fast to start, and every shared object (Value, Lock,
 * Queue, ...) crosses live. `"spawn"` runs it as a `deno run` subprocess:
 * a real pid, real exit codes, a `terminate()`/`kill()` or task `timeout`
 * that stops it for real, an out-of-memory that fails it alone, and
 * permissions as `--allow-*` flags; values cross by copy and Manager proxies
 * work, SharedArrayBuffer kinds do not.
 *
 * `getAllStartMethods()`, `getStartMethod()`, `setStartMethod()` and
 * `getContext()`; every `Process`, `Pool` and `ProcessPoolExecutor` also
 * takes a `startMethod` option.
 *
 * @module
 */

import {
  checkStartMethod,
  chooseStartMethod,
  currentStartMethod,
  resolveStartMethod,
  START_METHODS,
  type StartMethod,
} from "./_start_method.ts";
import { describe } from "./_wait.ts";
import { ProcessPoolExecutor } from "./executor.ts";
import type { ProcessPoolExecutorOptions } from "./executor.ts";
import { Pool, type PoolOptions } from "./pool.ts";
import { Process, type ProcessOptions } from "./process.ts";

export type { StartMethod } from "./_start_method.ts";

/** Options for {@linkcode setStartMethod}. */
export interface SetStartMethodOptions {
  /**
   * Change the start method even when it was already set or used, as
   * Python's `force=True`.
   *
   * @default {false}
   */
  force?: boolean;
}

/**
 * `Process`, `Pool` and `ProcessPoolExecutor` bound to one start method, as
 * Python's `multiprocessing.get_context()` gives. A `startMethod` passed to
 * one of its constructors still wins.
 */
export interface Context {
  /** The start method these classes use. */
  readonly startMethod: StartMethod;
  /** {@linkcode Process}, starting its processes with this method. */
  readonly Process: typeof Process;
  /** {@linkcode Pool}, starting its workers with this method. */
  readonly Pool: typeof Pool;
  /** {@linkcode ProcessPoolExecutor}, starting its workers with this method. */
  readonly ProcessPoolExecutor: typeof ProcessPoolExecutor;
}

/**
 * The start methods this platform supports, the default first.
 *
 * @returns `["thread", "spawn"]`.
 *
 * @example Usage
 * ```ts
 * import { getAllStartMethods } from "@denomp/multiprocessing";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(getAllStartMethods(), ["thread", "spawn"]);
 * ```
 */
export function getAllStartMethods(): StartMethod[] {
  return [...START_METHODS];
}

/**
 * The program's start method: the one given to
 * {@linkcode setStartMethod}, else `"thread"`. Inside a Process or pool
 * worker it is the parent's. As Python's `get_start_method()`, asking
 * fixes it: a later {@linkcode setStartMethod} needs `force`.
 *
 * @returns The start method in force.
 *
 * @example Usage
 * ```ts
 * import { getStartMethod, setStartMethod } from "@denomp/multiprocessing";
 * import assert from "node:assert/strict";
 *
 * assert.equal(getStartMethod(), "thread");
 * // Now fixed, as in Python: changing it needs force.
 * assert.throws(() => setStartMethod("spawn"), Error);
 * setStartMethod("spawn", { force: true });
 * assert.equal(getStartMethod(), "spawn");
 * setStartMethod(null, { force: true }); // back to the default
 * ```
 */
export function getStartMethod(): StartMethod {
  return resolveStartMethod("Cannot get start method", undefined);
}

/**
 * Sets the start method that Processes and pools use when they are not
 * given one. As in Python, it can be set once, before the first Process or
 * pool is started without a `startMethod` of its own; after that, only with
 * `force`. `null` with `force` forgets the choice.
 *
 * @param method `"thread"` or `"spawn"` (`null` with `force` to reset).
 * @param options `force`.
 * @throws {TypeError} If `method` is not a supported start method (`"fork"`
 * and `"forkserver"` are not: a Deno program cannot fork itself).
 * @throws {Error} If the start method was already set, or already used by a
 * Process or pool, and `force` is not given.
 *
 * @example Usage
 * ```ts
 * import { getStartMethod, setStartMethod } from "@denomp/multiprocessing";
 * import assert from "node:assert/strict";
 *
 * setStartMethod("spawn", { force: true });
 * assert.equal(getStartMethod(), "spawn");
 * assert.throws(() => setStartMethod("thread"), Error);
 * setStartMethod(null, { force: true }); // back to the default
 * assert.equal(getStartMethod(), "thread");
 * ```
 */
export function setStartMethod(
  method: StartMethod | null,
  options?: SetStartMethodOptions,
): void {
  const what = "Cannot set start method";
  if (options !== undefined && (typeof options !== "object" || !options)) {
    throw new TypeError(
      `${what}: options must be an object, received ${describe(options)}`,
    );
  }
  const { force = false } = options ?? {};
  if (typeof force !== "boolean") {
    throw new TypeError(
      `${what}: force must be a boolean, received ${describe(force)}`,
    );
  }
  if (method === null) {
    if (!force) {
      throw new TypeError(
        `${what}: method must be "thread" or "spawn" (null only with { force: true }), received null`,
      );
    }
    chooseStartMethod(what, null, true);
    return;
  }
  chooseStartMethod(what, checkStartMethod(what, method, "method"), force);
}

const contexts = new Map<StartMethod, Context>();

/**
 * `Process`, `Pool` and `ProcessPoolExecutor` bound to a start method, as
 * Python's `get_context()`. Without a method, the program's current one.
 * The same object is returned for the same method.
 *
 * @param method `"thread"` or `"spawn"`.
 * @returns The context.
 * @throws {TypeError} If `method` is not a supported start method.
 *
 * @example Usage
 * ```ts
 * import { getContext } from "@denomp/multiprocessing";
 * import assert from "node:assert/strict";
 *
 * const ctx = getContext("spawn");
 * const module = new URL("../tests/fixtures/targets.ts", import.meta.url);
 * // A real OS process: its pid is not this program's.
 * await using p = new ctx.Process({ target: "exitWith", args: [3], module });
 * await p.start();
 * await p.join();
 * assert.equal(p.exitcode, 3);
 * assert.notEqual(p.pid, Deno.pid);
 * ```
 */
export function getContext(method?: StartMethod | null): Context {
  const resolved = method === undefined || method === null
    ? currentStartMethod()
    : checkStartMethod("Cannot get context", method, "method");
  let context = contexts.get(resolved);
  if (context === undefined) {
    context = makeContext(resolved);
    contexts.set(resolved, context);
  }
  return context;
}

/** An options object with `startMethod` defaulting to `method`. */
function bind<T extends { startMethod?: StartMethod }>(
  options: T | undefined,
  method: StartMethod,
): T {
  if (options === undefined) return { startMethod: method } as T;
  if (typeof options !== "object" || options === null) return options;
  return { ...options, startMethod: options.startMethod ?? method };
}

function makeContext(method: StartMethod): Context {
  // Built on first use, not at load: the classes they extend must exist.
  class ContextProcess<A extends unknown[] = unknown[]> extends Process<A> {
    constructor(options: ProcessOptions<A>) {
      super(bind(options, method));
    }
  }
  class ContextPool extends Pool {
    constructor(options?: PoolOptions) {
      super(bind(options, method));
    }
  }
  class ContextExecutor extends ProcessPoolExecutor {
    constructor(options?: ProcessPoolExecutorOptions) {
      super(
        options?.mpContext === undefined ? bind(options, method) : options,
      );
    }
  }
  for (
    const [cls, name] of [
      [ContextProcess, "Process"],
      [ContextPool, "Pool"],
      [ContextExecutor, "ProcessPoolExecutor"],
    ] as const
  ) Object.defineProperty(cls, "name", { value: name });
  return Object.freeze({
    startMethod: method,
    Process: ContextProcess as typeof Process,
    Pool: ContextPool as typeof Pool,
    ProcessPoolExecutor: ContextExecutor as typeof ProcessPoolExecutor,
  });
}
