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
  programInit,
  selfProcess,
} from "./_context.ts";
import { deserializeError, serializeError } from "./_error_wire.ts";
import { signalName } from "./_inspect.ts";
import { entryUrl } from "./_entries.ts";
import { PROC_OS_PID, PROC_STATE, PROC_STATE_ENDED } from "./_layout.ts";
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
import { encodeShared, type SharedDescriptor } from "./_registry.ts";
import {
  currentStartMethod,
  resolveStartMethod,
  type StartMethod,
} from "./_start_method.ts";
import { type TargetRef, targetRef } from "./_target.ts";
import { checkEncodable } from "./channel/codec.ts";
import {
  assertBrokerLoadable,
  signalSpawned,
  startSpawned,
} from "./process/spawn.ts";
import { dropSpare, prepareSpare, takeSpare } from "./process/spare.ts";
import { assertMaySpawn, checkMaxHeap, childCommand } from "./spawn/launch.ts";
import { checkPermissions, neededFor } from "./_permission_flags.ts";
import { stdinMessage } from "./spawn/wire.ts";
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
 * of the object means "none". With the spawn start method they become the
 * child's `--allow-*` flags.
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
   * Deno permissions of the worker, at most the parent's. With the thread
   * start method this needs Deno's `--unstable-worker-options` flag, and the
   * worker needs read access to the target's module. With `"spawn"` they
   * become the child's `--allow-*` flags: `"inherit"` gives it what this
   * program can show it holds (every permission held in full; of scoped
   * ones, the working directory and the main module's directory, loopback
   * hosts, sys APIs, Deno itself), and a list is checked against this
   * program's grants.
   *
   * @default {"inherit"}
   */
  permissions?: ProcessPermissions;
  /**
   * How the process runs: `"thread"`, a Web Worker in this OS process, or
   * `"spawn"`, a `deno run` subprocess with a real pid, exit code and kill
   * (see {@linkcode setStartMethod}).
   *
   * @default {getStartMethod()}
   */
  startMethod?: StartMethod;
  /**
   * Start method `"spawn"` only: V8's heap limit for the child, in MiB
   * (`--max-old-space-size`), so that a task that eats memory fails alone
   * and soon.
   *
   * @default {undefined}
   */
  maxHeapMb?: number;
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
   * Unique per Process. A thread Process lives in the one OS process of the
   * program, on its own thread, so its pid is not an OS pid: the main
   * program's is its OS pid (`Deno.pid`) and thread children count up from
   * there. A spawned Process's pid is its OS pid.
   */
  readonly pid: number;
}

const WORKER_URL = entryUrl("workers/process_worker");
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
  dropSpare();
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
 * With the thread start method (the default), `terminate()` and `kill()`
 * end the Process at once (exit code `-15` and `-9`). Deno 2.9 cannot stop
 * a thread that is running synchronous code, so such a thread may go on
 * computing, but every toolkit call it makes fails with
 * `ProcessEndedError`: it can take no message and hold no lock. With
 * `startMethod: "spawn"` the Process is a `deno run` subprocess:
 * `terminate()` and `kill()` send SIGTERM and SIGKILL, which stop any code,
 * and `exitcode` is the real one (`-N` for signal N) once it has ended.
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
  #startMethod: StartMethod | undefined;
  #maxHeapMb: unknown;
  #status: Int32Array | null = null;
  #pid: number | null = null;
  #worker: Worker | null = null;
  /** A spawned Process's id at its broker; 0 for a thread. */
  #spawnId = 0;
  #closed = false;
  #started: Promise<void> | null = null;

  /**
   * Creates a process; it runs once {@linkcode Process.prototype.start} is
   * called.
   *
   * @param options What to run and how.
   * @throws {TypeError} If `target`, `args`, `name`, `daemon`, `module`,
   * `permissions` or `startMethod` has the wrong type.
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
      startMethod,
      maxHeapMb,
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
    checkPermissions(what, permissions);
    if (startMethod !== undefined) resolveStartMethod(what, startMethod);
    if (maxHeapMb !== undefined) {
      checkMaxHeap(what, maxHeapMb, startMethod ?? currentStartMethod());
    }
    this.#args = args.slice();
    this.#daemon = daemon;
    this.#permissions = permissions;
    this.#startMethod = startMethod;
    this.#maxHeapMb = maxHeapMb;
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
   * Unique id of the started process, `null` before `start()`: a spawned
   * Process's OS pid, a thread Process's toolkit pid (see
   * {@linkcode ProcessInfo.pid}). Reading a spawned Process's pid right
   * after `start()` waits the few milliseconds its child takes to exist.
   */
  get pid(): number | null {
    if (this.#pid === null && this.#spawnId !== 0) {
      this.#pid = osPid(this.#status!);
    }
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
   * function or a symbol), naming its position; with the spawn start
   * method, also a SharedArrayBuffer kind (Value, Lock, Queue, ...), which
   * cannot cross into another process: use a Manager.
   * @throws {Deno.errors.NotCapable} With the spawn start method, without
   * `--allow-run`, without read access to the toolkit's own modules, or
   * when `permissions` asks for more than this program holds.
   */
  start(): Promise<void> {
    const what = "Cannot start process";
    assertLive();
    if (this.#closed) throw new Error(`${what}: the process is closed`);
    if (this.#status !== null) {
      throw new Error(`${what}: a process can only be started once`);
    }
    const method = resolveStartMethod(what, this.#startMethod);
    if (method === "spawn") return this.#startSpawned(what);
    if (this.#maxHeapMb !== undefined) {
      checkMaxHeap(what, this.#maxHeapMb, method);
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
        const encoded = encodeShared(arg, what, `argument ${i}`, {
          owner: pid,
        });
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
    // A caller that does not await start() learns of a failure from join().
    started.catch(() => {});
    const onError = (event: ErrorEvent) => {
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
    };
    let worker: Worker;
    // A Process with default options may take the worker made ready for it
    // (see process/spare.ts).
    const plain = this.#permissions === undefined;
    try {
      worker = (plain ? takeSpare(onError) : null) ??
        spawnWorker(WORKER_URL, {
          name: this.#name,
          permissions: this.#permissions,
          what,
          onError,
        });
    } catch (error) {
      markPidEnded(pid);
      throw error;
    }
    // A Process started while others of this thread run is one of a
    // batch: the next start is as likely to be far off.
    if (plain) {
      let alone = true;
      for (const child of children) if (child.isAlive()) alone = false;
      prepareSpare(WORKER_URL, alone);
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
        ...programInit(),
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

  #startSpawned(what: string): Promise<void> {
    let shared = false;
    const descriptors: SharedDescriptor[] = [];
    const args = this.#args.map((arg, i) => {
      const encoded = encodeShared(arg, what, `args[${i}]`, { copy: true });
      checkEncodable(encoded.value, what, `args[${i}]`);
      shared ||= encoded.shared;
      descriptors.push(...encoded.descriptors);
      return encoded.value;
    });
    assertMaySpawn(what);
    assertBrokerLoadable(what);
    const maxHeapMb = this.#maxHeapMb === undefined
      ? undefined
      : checkMaxHeap(what, this.#maxHeapMb, "spawn");
    const command = childCommand(what, {
      role: "process",
      name: this.#name,
      modules: [
        this.#target.module,
        ...descriptors.map((descriptor) => descriptor.module),
      ],
      permissions: this.#permissions,
      needed: neededFor(descriptors),
      maxHeapMb,
    });
    const start: StartMessage = {
      type: "start",
      target: this.#target,
      args,
      shared,
      context: null,
    };
    const frame = stdinMessage(start, what);
    const status = newStatus();
    let resolveStarted!: () => void;
    let rejectStarted!: (error: unknown) => void;
    const started = new Promise<void>((resolve, reject) => {
      resolveStarted = resolve;
      rejectStarted = reject;
    });
    // A caller that does not await start() learns of a failure from join().
    started.catch(() => {});
    this.#status = status;
    this.#started = started;
    children.add(this);
    this.#spawnId = startSpawned(command, frame, {
      keepAlive: !this.#daemon,
      status,
      started: resolveStarted,
      failed: (error) => rejectStarted(deserializeError(error)),
      exited: () => {
        children.delete(this);
        rejectStarted(
          this.error ??
            new Error(`${what}: the child exited before its target started`),
        );
      },
    });
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

  /** Terminates the process if it is running. A no-op once closed. */
  [Symbol.dispose](): void {
    if (this.#closed) return;
    if (this.isAlive()) this.terminate();
    this.#closed = true;
  }

  /**
   * Terminates the process if it is running, then joins it. A no-op once
   * closed.
   */
  async [Symbol.asyncDispose](): Promise<void> {
    if (this.#closed) return;
    if (this.isAlive()) this.terminate();
    if (this.#status !== null) await this.join();
    this.#closed = true;
  }

  /**
   * A short description, for `console.log`: what Python's repr shows (name,
   * pid, parent, state, exit code and the signal it stands for, daemon).
   *
   * @returns The description.
   */
  [Symbol.for("Deno.customInspect")](): string {
    const fields = [`name: ${JSON.stringify(this.#name)}`];
    if (this.#pid !== null) fields.push(`pid: ${this.#pid}`);
    // A Process object stays on the thread that made it: its parent.
    fields.push(`parent: ${selfProcess().pid}`);
    const state = this.#closed
      ? "closed"
      : this.#status === null
      ? "initial"
      : this.isAlive()
      ? "started"
      : "stopped";
    fields.push(`state: "${state}"`);
    if (state === "stopped") {
      const code = this.exitcode;
      fields.push(`exitcode: ${code}`);
      const signal = signalName(code);
      if (signal !== null) fields.push(`signal: "${signal}"`);
    }
    if (this.#daemon) fields.push("daemon: true");
    return `Process { ${fields.join(", ")} }`;
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
    if (this.#spawnId !== 0) {
      // A real signal; the broker records the end once the child is gone.
      if (!hasEnded(status)) {
        signalSpawned(this.#spawnId, code === -9 ? "SIGKILL" : "SIGTERM");
      }
      return;
    }
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

/** A spawned Process's OS pid, waiting briefly for its broker to tell it. */
function osPid(status: Int32Array): number | null {
  const deadline = performance.now() + 10_000;
  while (true) {
    const pid = Atomics.load(status, PROC_OS_PID);
    if (pid !== 0) return pid;
    const remaining = deadline - performance.now();
    // A child that could not be spawned never gets one.
    if (hasEnded(status) || remaining <= 0) return null;
    Atomics.wait(status, PROC_OS_PID, 0, Math.min(remaining, 50));
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
