// Copyright 2026 the denomp authors. MIT license.
/**
 * `Process`: run an exported function in parallel on its own Web Worker, as
 * Python's `multiprocessing.Process` runs it in a child process, plus
 * `currentProcess()`, `parentProcess()`, `activeChildren()`, `cpuCount()` and
 * `exit()`.
 *
 * @module
 */

import {
  allocatePid,
  assertLive,
  isWorkerThread,
  markPidEnded,
  parentOfSelf,
  processTable,
  selfProcess,
} from "./_context.ts";
import { deserializeError, serializeError } from "./_error_wire.ts";
import { PROC_STATE, PROC_STATE_ENDED } from "./_layout.ts";
import {
  type ChildMessage,
  ExitSignal,
  finishSelf,
  onSelfFinish,
  type StartMessage,
} from "./process/wire.ts";
import {
  endProcess,
  errorOf,
  exitCodeOf,
  hasEnded,
  newStatus,
  stateOf,
} from "./process/status.ts";
import { encodeShared } from "./_registry.ts";
import { type TargetRef, targetRef } from "./_target.ts";
import {
  checkSignal,
  checkTimeout,
  describe,
  park,
  parkSync,
} from "./_wait.ts";
import { retireWorker, spawnWorker } from "./_workers.ts";

/**
 * Deno permissions for a worker, as in Deno's `WorkerOptions`:
 * `"inherit"`, `"none"`, or an object naming each permission. A key left out
 * of the object means "none".
 */
export type ProcessPermissions =
  | "inherit"
  | "none"
  | Deno.PermissionOptionsObject;

/**
 * Options for {@linkcode Process}.
 *
 * @typeParam A The target's parameter types, checked against `args`.
 */
export interface ProcessOptions<A extends unknown[] = unknown[]> {
  /**
   * The function to run: an exported function of `module`, or the name of
   * such an export. It crosses by reference (module URL and export name),
   * never as source text.
   */
  target: ((...args: A) => unknown) | string;
  /**
   * Arguments for the target. They are structured-cloned; shared objects
   * (`Value`, `Lock`, `Queue`, manager proxies, ...) arrive as live objects,
   * also inside arrays and plain objects.
   *
   * @default {[]}
   */
  args?: A;
  /**
   * The process's name.
   *
   * @default {"Process-N"}
   */
  name?: string;
  /**
   * Python's daemon flag, kept and reported. A daemonic Process is terminated
   * when the Process that started it ends (so is any other child still
   * running then: Deno stops a worker's nested workers with it, where Python
   * would join the non-daemonic ones; join them before the target returns).
   * On the main thread a running daemon keeps the program alive like any
   * other (Deno cannot unref a Web Worker), so terminate it when done.
   *
   * @default {false}
   */
  daemon?: boolean;
  /**
   * URL of the module that exports `target`; pass `import.meta.url` when the
   * target is not in the program's main module.
   *
   * @default {Deno.mainModule}
   */
  module?: string | URL;
  /**
   * Deno permissions of the worker, at most the parent's. Needs Deno's
   * `--unstable-worker-options` flag. The worker needs read access to the
   * target's module.
   *
   * @default {"inherit"}
   */
  permissions?: ProcessPermissions;
}

/** Options for {@linkcode Process.prototype.join}. */
export interface JoinOptions {
  /**
   * Milliseconds to wait at most. When it runs out `join()` returns with the
   * process still alive, as Python's does; check {@linkcode Process.exitcode}.
   *
   * @default {Infinity}
   */
  timeout?: number;
  /** Aborting rejects the wait with `signal.reason`. */
  signal?: AbortSignal;
}

/** Options for {@linkcode Process.prototype.joinSync}. */
export interface JoinSyncOptions {
  /**
   * Milliseconds to block at most.
   *
   * @default {Infinity}
   */
  timeout?: number;
}

/** The identity of a process: what `currentProcess()` gives. */
export interface ProcessInfo {
  /** The process's name (`"MainProcess"` for the program itself). */
  readonly name: string;
  /**
   * Unique per Process. Every Process lives in the one OS process of the
   * program, on its own thread, so this is not an OS pid; the main program's
   * is its OS pid (`Deno.pid`) and children count up from there.
   */
  readonly pid: number;
}

const WORKER_URL = new URL("../workers/process_worker.ts", import.meta.url);
const children = new Set<Process>();
let nameCounter = 0;

// Python terminates a process's daemonic children when it exits (and joins
// the others). Deno stops every nested worker when its parent's worker
// closes, so children still running when this Process ends are ended here,
// daemonic or not: recorded as terminated, so that the handles and locks
// they hold are released rather than held by a pid that looks alive.
onSelfFinish(() => {
  for (const child of children) {
    if (child.isAlive()) child.terminate();
  }
});

/**
 * A function run in parallel on its own Web Worker (a V8 isolate on its own
 * thread), with Python's `Process` lifecycle: `start()`, `join()`,
 * `isAlive()`, `exitcode`, `terminate()`, `kill()`.
 *
 * The target must be exported from `module` (by default the program's main
 * module), just as Python's spawn re-imports `__main__`: put the code that
 * starts processes under `if (import.meta.main)`.
 *
 * `terminate()` and `kill()` end the Process at once (exit code `-15` and
 * `-9`). Deno 2.9 cannot stop a thread that is running synchronous code, so
 * such a thread may go on computing, but every toolkit call it makes fails
 * with `ProcessEndedError`: it can take no message and hold no lock.
 *
 * @typeParam A The target's parameter types.
 *
 * @example Usage
 * ```ts
 * import { Process } from "@denomp/multiprocessing";
 * import assert from "node:assert/strict";
 *
 * // A target must be exported; this one lives in a test fixture module.
 * const module = new URL("../tests/fixtures/targets.ts", import.meta.url);
 * const p = new Process({ target: "exitWith", args: [3], module });
 * await p.start();
 * await p.join();
 * assert.equal(p.exitcode, 3);
 * assert.equal(p.isAlive(), false);
 * ```
 */
export class Process<A extends unknown[] = unknown[]> {
  #name: string;
  #daemon: boolean;
  #target: TargetRef;
  #args: unknown[];
  #permissions: ProcessPermissions | undefined;
  #status: Int32Array | null = null;
  #pid: number | null = null;
  #worker: Worker | null = null;
  #closed = false;
  #started: Promise<void> | null = null;

  /**
   * Creates a process; it runs once {@linkcode Process.prototype.start} is
   * called.
   *
   * @param options What to run and how.
   * @throws {TypeError} If `target`, `args`, `name`, `daemon`, `module` or
   * `permissions` has the wrong type.
   */
  constructor(options: ProcessOptions<A>) {
    const what = "Cannot create process";
    if (typeof options !== "object" || options === null) {
      throw new TypeError(
        `${what}: options must be an object with a target, received ${
          describe(options)
        }`,
      );
    }
    const {
      target,
      args = [] as unknown as A,
      name,
      daemon = false,
      module,
      permissions,
    } = options;
    if (target === undefined) {
      throw new TypeError(`${what}: options.target is required`);
    }
    this.#target = targetRef(what, target, module);
    if (!Array.isArray(args)) {
      throw new TypeError(
        `${what}: args must be an array, received ${describe(args)}`,
      );
    }
    if (name !== undefined && typeof name !== "string") {
      throw new TypeError(
        `${what}: name must be a string, received ${describe(name)}`,
      );
    }
    if (typeof daemon !== "boolean") {
      throw new TypeError(
        `${what}: daemon must be a boolean, received ${describe(daemon)}`,
      );
    }
    if (
      permissions !== undefined && permissions !== "inherit" &&
      permissions !== "none" &&
      (typeof permissions !== "object" || permissions === null)
    ) {
      throw new TypeError(
        `${what}: permissions must be "inherit", "none" or an object, received ${
          describe(permissions)
        }`,
      );
    }
    this.#args = args.slice();
    this.#daemon = daemon;
    this.#permissions = permissions;
    this.#name = name ?? defaultName();
  }

  /** The process's name (`Process-N` unless given). */
  get name(): string {
    return this.#name;
  }

  /** Whether the process is daemonic (see {@linkcode ProcessOptions.daemon}). */
  get daemon(): boolean {
    return this.#daemon;
  }

  /**
   * Sets the daemon flag; only before `start()`, as in Python.
   *
   * @throws {Error} If the process has been started.
   */
  set daemon(value: boolean) {
    if (this.#status !== null) {
      throw new Error(
        "Cannot set daemon: the process has already been started",
      );
    }
    if (typeof value !== "boolean") {
      throw new TypeError(
        `Cannot set daemon: value must be a boolean, received ${
          describe(value)
        }`,
      );
    }
    this.#daemon = value;
  }

  /**
   * Unique id of the started process, `null` before `start()`. See
   * {@linkcode ProcessInfo.pid}.
   */
  get pid(): number | null {
    return this.#pid;
  }

  /**
   * `null` while running (or before start), `0` after the target returned,
   * `1` after it threw or rejected, `n` after `exit(n)`, `-15` after
   * `terminate()`, `-9` after `kill()`.
   */
  get exitcode(): number | null {
    return this.#status === null ? null : exitCodeOf(this.#status);
  }

  /**
   * The error that ended the process (exit code 1), rebuilt with its name,
   * message and the worker's stack; `null` otherwise.
   */
  get error(): Error | null {
    if (this.#status === null) return null;
    const error = errorOf(this.#status);
    return error === null ? null : deserializeError(error);
  }

  /**
   * Starts the process. The returned promise resolves once the target has
   * been found and is running, and rejects with a `TypeError` when the
   * target is not exported by its module (the process then ends with exit
   * code 1). Awaiting it is optional: `join()` works either way.
   *
   * @returns A promise that settles when the target starts running.
   * @throws {Error} If the process was already started or closed.
   * @throws {TypeError} If an argument cannot be sent to a worker (a
   * function or a symbol), naming its position.
   */
  start(): Promise<void> {
    const what = "Cannot start process";
    assertLive();
    if (this.#closed) throw new Error(`${what}: the process is closed`);
    if (this.#status !== null) {
      throw new Error(`${what}: a process can only be started once`);
    }
    // The pid first: handles (queues, pipe ends) in the arguments are
    // counted for this Process from here on, so the parent may close its
    // own copies as soon as start() returns. If starting fails before the
    // worker exists, the pid is marked ended and those handles go with it.
    const pid = allocatePid();
    let shared = false;
    let args: unknown[];
    try {
      args = this.#args.map((arg, i) => {
        const encoded = encodeShared(arg, what, `argument ${i}`, pid);
        shared ||= encoded.shared;
        return encoded.value;
      });
    } catch (error) {
      markPidEnded(pid);
      throw error;
    }
    let resolveStarted!: () => void;
    let rejectStarted!: (error: unknown) => void;
    const started = new Promise<void>((resolve, reject) => {
      resolveStarted = resolve;
      rejectStarted = reject;
    });
    let worker: Worker;
    try {
      worker = spawnWorker(WORKER_URL, {
        name: this.#name,
        permissions: this.#permissions,
        what,
        onError: (event) => {
          // The worker died outside the target's reach (its error handler
          // usually records the end first; this covers the rest).
          if (status !== null && pid !== null) {
            endProcess(
              status,
              pid,
              1,
              serializeError(event.error ?? new Error(event.message)),
            );
          }
          rejectStarted(
            this.error ?? new Error(`${what}: the worker failed to start`),
          );
          this.#release(false);
        },
      });
    } catch (error) {
      markPidEnded(pid);
      throw error;
    }
    const status = newStatus();
    this.#pid = pid;
    this.#status = status;
    this.#worker = worker;
    this.#started = started;
    children.add(this);
    worker.onmessage = (event: MessageEvent<ChildMessage>) => {
      const message = event.data;
      if (message.type === "started") resolveStarted();
      else if (message.type === "failed") {
        rejectStarted(deserializeError(message.error));
      } else if (message.type === "exit") {
        resolveStarted();
        this.#release(false);
      }
    };
    const start: StartMessage = {
      type: "start",
      target: this.#target,
      args,
      shared,
      context: {
        table: processTable().buffer as SharedArrayBuffer,
        self: { name: this.#name, pid },
        parent: { ...selfProcess() },
        status: status.buffer as SharedArrayBuffer,
      },
    };
    try {
      worker.postMessage(start);
    } catch (error) {
      endProcess(status, pid, 1, serializeError(error));
      this.#release(false);
      throw new TypeError(
        `${what}: an argument cannot be sent to a worker: ${
          error instanceof Error ? error.message : String(error)
        }`,
        { cause: error },
      );
    }
    return started;
  }

  /**
   * Waits until the process ends, or until `timeout` runs out (then it just
   * returns; check {@linkcode Process.exitcode}). A process can be joined
   * many times.
   *
   * @param options `timeout` in milliseconds, `signal` to abort.
   * @throws {Error} If the process has not been started.
   * @throws {RangeError} If `timeout` is negative.
   */
  async join(options?: JoinOptions): Promise<void> {
    options ??= {};
    const what = "Cannot join process";
    const status = this.#requireStarted(what);
    const timeout = checkTimeout(what, options.timeout);
    checkSignal(what, options.signal);
    const deadline = performance.now() + timeout;
    while (true) {
      // Read the state once: parking on a value read after the end was
      // written would wait for a change that never comes.
      const state = stateOf(status);
      if (state === PROC_STATE_ENDED) return;
      const remaining = deadline - performance.now();
      if (remaining <= 0) return;
      await park(status, PROC_STATE, state, {
        timeout: remaining,
        signal: options.signal,
      });
    }
  }

  /**
   * Blocks the calling thread until the process ends or `timeout` runs out.
   * On the main thread this freezes the event loop while it waits; inside a
   * worker it is the cheap way to wait.
   *
   * @param options `timeout` in milliseconds.
   * @throws {Error} If the process has not been started.
   */
  joinSync(options?: JoinSyncOptions): void {
    options ??= {};
    const what = "Cannot join process";
    const status = this.#requireStarted(what);
    const timeout = checkTimeout(what, options.timeout);
    const deadline = performance.now() + timeout;
    while (true) {
      const state = stateOf(status);
      if (state === PROC_STATE_ENDED) return;
      const remaining = deadline - performance.now();
      if (remaining <= 0) return;
      parkSync(status, PROC_STATE, state, remaining);
    }
  }

  /**
   * Whether the process has started and not yet ended. Agrees with
   * {@linkcode Process.exitcode} at every moment.
   */
  isAlive(): boolean {
    return this.#status !== null && !hasEnded(this.#status);
  }

  /**
   * Ends the process now with exit code `-15`, as SIGTERM does. No-op if it
   * has already ended.
   *
   * @throws {Error} If the process has not been started.
   */
  terminate(): void {
    this.#stop(-15, "Cannot terminate process");
  }

  /**
   * Ends the process now with exit code `-9`, as SIGKILL does.
   *
   * @throws {Error} If the process has not been started.
   */
  kill(): void {
    this.#stop(-9, "Cannot kill process");
  }

  /**
   * Releases the process object; further use throws. Idempotent.
   *
   * @throws {Error} If the process is still running, as Python's does.
   */
  close(): void {
    if (this.#closed) return;
    if (this.isAlive()) {
      throw new Error(
        "Cannot close process: it is still running; join or terminate it first",
      );
    }
    this.#closed = true;
    this.#release(false);
  }

  /** Terminates the process if it is running. */
  [Symbol.dispose](): void {
    if (this.isAlive()) this.terminate();
    this.#closed = true;
  }

  /** Terminates the process if it is running, then joins it. */
  async [Symbol.asyncDispose](): Promise<void> {
    if (this.isAlive()) this.terminate();
    if (this.#status !== null) await this.join();
    this.#closed = true;
  }

  /** A short description, for `console.log`. */
  [Symbol.for("Deno.customInspect")](): string {
    const state = this.#status === null
      ? "initial"
      : this.isAlive()
      ? "started"
      : `stopped exitcode=${this.exitcode}`;
    return `Process { name: ${
      JSON.stringify(this.#name)
    }, pid: ${this.#pid}, ${state}${this.#daemon ? ", daemon" : ""} }`;
  }

  #requireStarted(what: string): Int32Array {
    if (this.#closed) throw new Error(`${what}: the process is closed`);
    if (this.#status === null) {
      throw new Error(`${what}: the process has not been started`);
    }
    return this.#status;
  }

  #stop(code: number, what: string): void {
    const status = this.#requireStarted(what);
    if (this.#pid !== null && endProcess(status, this.#pid, code)) {
      this.#release(true);
    }
  }

  #release(busy: boolean): void {
    children.delete(this);
    const worker = this.#worker;
    if (worker === null) return;
    this.#worker = null;
    worker.onmessage = null;
    retireWorker(worker, busy);
  }
}

function defaultName(): string {
  nameCounter++;
  return isWorkerThread
    ? `${selfProcess().name}:${nameCounter}`
    : `Process-${nameCounter}`;
}

/**
 * The identity of the process this code runs in: `"MainProcess"` and the OS
 * pid on the main thread, the Process's own name and pid inside a target.
 *
 * @returns The current process's name and pid.
 *
 * @example Usage
 * ```ts
 * import { currentProcess } from "@denomp/multiprocessing";
 * import assert from "node:assert/strict";
 *
 * assert.equal(currentProcess().name, "MainProcess");
 * assert.equal(currentProcess().pid, Deno.pid);
 * ```
 */
export function currentProcess(): ProcessInfo {
  return selfProcess();
}

/**
 * The identity of the process that started this one, or `null` on the main
 * thread.
 *
 * @returns The parent's name and pid, or `null`.
 *
 * @example Usage
 * ```ts
 * import { parentProcess } from "@denomp/multiprocessing";
 * import assert from "node:assert/strict";
 *
 * assert.equal(parentProcess(), null);
 * ```
 */
export function parentProcess(): ProcessInfo | null {
  return parentOfSelf();
}

/**
 * The Processes started from this thread that are still alive.
 *
 * @returns The live children, in start order.
 *
 * @example Usage
 * ```ts
 * import { activeChildren } from "@denomp/multiprocessing";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(activeChildren(), []);
 * ```
 */
export function activeChildren(): Process[] {
  return [...children].filter((p) => p.isAlive()) as Process[];
}

/**
 * The number of logical CPUs, as `navigator.hardwareConcurrency`.
 *
 * @returns The CPU count (at least 1).
 *
 * @example Usage
 * ```ts
 * import { cpuCount } from "@denomp/multiprocessing";
 * import assert from "node:assert/strict";
 *
 * assert.ok(cpuCount() >= 1);
 * ```
 */
export function cpuCount(): number {
  return Math.max(1, navigator.hardwareConcurrency || 1);
}

/**
 * Ends the current process with `code`, as Python's `sys.exit()`: inside a
 * Process target the Process ends (its `exitcode` becomes `code`) and the
 * program goes on; on the main thread the program exits.
 *
 * @param code The exit code.
 * @returns Never returns.
 *
 * @example Usage
 * ```ts ignore
 * import { exit } from "@denomp/multiprocessing";
 *
 * export function worker(): void {
 *   exit(3); // the Process's exitcode becomes 3
 * }
 * ```
 */
export function exit(code?: number): never {
  if (code === undefined) code = 0;
  if (!Number.isInteger(code)) {
    throw new TypeError(
      `Cannot exit: code must be an integer, received ${describe(code)}`,
    );
  }
  if (finishSelf(code)) throw new ExitSignal(code);
  Deno.exit(code);
}
