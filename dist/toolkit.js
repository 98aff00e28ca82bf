var __defProp = Object.defineProperty;
var __name = (target, value) => __defProp(target, "name", { value, configurable: true });
var __export = (target, all) => {
  for (var name in all)
    __defProp(target, name, { get: all[name], enumerable: true });
};

// lib/_inspect.ts
function inspectOutcome(value, inspect2, options) {
  if (value instanceof Error) return `${value.name}: ${value.message}`;
  return inspect2 !== void 0 && options !== void 0 ? inspect2(value, options) : Deno.inspect(value);
}
__name(inspectOutcome, "inspectOutcome");
var SIGNALS = {
  1: "SIGHUP",
  2: "SIGINT",
  3: "SIGQUIT",
  4: "SIGILL",
  5: "SIGTRAP",
  6: "SIGABRT",
  7: "SIGBUS",
  8: "SIGFPE",
  9: "SIGKILL",
  10: "SIGUSR1",
  11: "SIGSEGV",
  12: "SIGUSR2",
  13: "SIGPIPE",
  14: "SIGALRM",
  15: "SIGTERM"
};
function signalName(exitcode) {
  if (exitcode === null || exitcode >= 0) return null;
  return SIGNALS[-exitcode] ?? `SIG${-exitcode}`;
}
__name(signalName, "signalName");

// lib/errors.ts
var TimeoutError = class extends Error {
  static {
    __name(this, "TimeoutError");
  }
  /**
   * Constructs a new instance.
   *
   * @param message The error message.
   * @param options Standard error options, such as `cause`.
   */
  constructor(message, options) {
    super(message, options);
    this.name = "TimeoutError";
  }
};
var RemoteError = class _RemoteError extends Error {
  static {
    __name(this, "RemoteError");
  }
  /** The `name` of the error as it was thrown on the remote side. */
  remoteName;
  /** The stack as printed on the remote side, or `""` when there was none. */
  remoteStack;
  /**
   * Constructs a new instance.
   *
   * @param message The error message.
   * @param remoteName The remote error's name.
   * @param remoteStack The remote error's stack.
   * @param options Standard error options, such as `cause`.
   */
  constructor(message, remoteName, remoteStack, options) {
    super(message, options);
    this.name = "RemoteError";
    this.remoteName = remoteName ?? "Error";
    this.remoteStack = remoteStack ?? "";
    if (remoteStack) {
      this.stack = `${this.stack ?? ""}
    [remote] ${remoteStack}`;
    }
  }
  /**
   * Rebuilds a serialized error as a `RemoteError`.
   *
   * @param error The serialized error.
   * @returns The rebuilt error.
   */
  static from(error) {
    return new _RemoteError(error.message, error.name, error.stack ?? "");
  }
};
var WorkerCrashedError = class extends Error {
  static {
    __name(this, "WorkerCrashedError");
  }
  /** The exit code of the worker that died. */
  exitCode;
  /**
   * Constructs a new instance.
   *
   * @param message The error message.
   * @param exitCode The exit code of the worker.
   * @param options Standard error options, such as `cause`.
   */
  constructor(message, exitCode2, options) {
    super(message, options);
    this.name = "WorkerCrashedError";
    this.exitCode = exitCode2;
  }
};
var CancelledError = class extends Error {
  static {
    __name(this, "CancelledError");
  }
  /**
   * Constructs a new instance.
   *
   * @param message The error message.
   * @param options Standard error options, such as `cause`.
   */
  constructor(message, options) {
    super(message ?? "The task was cancelled", options);
    this.name = "CancelledError";
  }
};
var QueueEmptyError = class extends Error {
  static {
    __name(this, "QueueEmptyError");
  }
  /**
   * Constructs a new instance.
   *
   * @param message The error message.
   * @param options Standard error options, such as `cause`.
   */
  constructor(message, options) {
    super(message ?? "The queue is empty", options);
    this.name = "QueueEmptyError";
  }
};
var QueueFullError = class extends Error {
  static {
    __name(this, "QueueFullError");
  }
  /**
   * Constructs a new instance.
   *
   * @param message The error message.
   * @param options Standard error options, such as `cause`.
   */
  constructor(message, options) {
    super(message ?? "The queue is full", options);
    this.name = "QueueFullError";
  }
};
var QueueClosedError = class extends Error {
  static {
    __name(this, "QueueClosedError");
  }
  /** The value that could not be put. */
  value;
  /**
   * Constructs a new instance.
   *
   * @param value The value that could not be put.
   * @param message The error message.
   * @param options Standard error options, such as `cause`.
   */
  constructor(value, message, options) {
    super(message ?? "Cannot put to queue: this handle of the queue is closed", options);
    this.name = "QueueClosedError";
    this.value = value;
  }
};
var BrokenBarrierError = class extends Error {
  static {
    __name(this, "BrokenBarrierError");
  }
  /**
   * Constructs a new instance.
   *
   * @param message The error message.
   * @param options Standard error options, such as `cause`.
   */
  constructor(message, options) {
    super(message ?? "The barrier is broken", options);
    this.name = "BrokenBarrierError";
  }
};
var EOFError = class extends Error {
  static {
    __name(this, "EOFError");
  }
  /**
   * Constructs a new instance.
   *
   * @param message The error message.
   * @param options Standard error options, such as `cause`.
   */
  constructor(message, options) {
    super(message ?? "Cannot receive: the other end is closed", options);
    this.name = "EOFError";
  }
};
var ManagerError = class extends Error {
  static {
    __name(this, "ManagerError");
  }
  /**
   * Constructs a new instance.
   *
   * @param message The error message.
   * @param options Standard error options, such as `cause`.
   */
  constructor(message, options) {
    super(message, options);
    this.name = "ManagerError";
  }
};
var AuthenticationError = class extends Error {
  static {
    __name(this, "AuthenticationError");
  }
  /**
   * Constructs a new instance.
   *
   * @param message The error message.
   * @param options Standard error options, such as `cause`.
   */
  constructor(message, options) {
    super(message, options);
    this.name = "AuthenticationError";
  }
};
var ProcessEndedError = class extends Error {
  static {
    __name(this, "ProcessEndedError");
  }
  /**
   * Constructs a new instance.
   *
   * @param processName The name of the process that has ended.
   * @param options Standard error options, such as `cause`.
   */
  constructor(processName, options) {
    super(`Cannot continue: process ${processName} has been terminated`, options);
    this.name = "ProcessEndedError";
  }
};

// lib/shm/layout.ts
var ARENA_BASE = 64 * 1024;
var ARENA_LOCK = 0;
var ARENA_LOCK_OWNER = 1;
var ARENA_TOP = 2;
var ARENA_DIRTY = 3;
var ARENA_ENTRIES_USED = 4;
var ARENA_HANDLES_USED = 5;
var ARENA_EXTENTS = 6;
var ARENA_REAPED = 7;
var ARENA_RETIRED = 8;
var ARENA_HEADER_INTS = 16;
var ENTRIES = 4096;
var ENTRY_INTS = 16;
var E_STATE = 0;
var E_GEN = 1;
var E_OFFSET = 2;
var E_UNITS = 3;
var E_SIZE_LO = 4;
var E_SIZE_HI = 5;
var E_HASH = 6;
var E_NAME_LENGTH = 7;
var E_OPEN = 8;
var E_TAINTED = 9;
var STATE_FREE = 0;
var STATE_LINKED = 1;
var STATE_UNLINKED = 2;
var HANDLES = 16384;
var HANDLE_INTS = 4;
var H_ENTRY = 0;
var H_PID = 1;
var H_COUNT = 2;
var EXTENTS = ENTRIES + 1;
var UNIT = 64;
var MAX_NAME_BYTES = 255;
var DIRECTORY_AT = ARENA_HEADER_INTS;
var HANDLES_AT = DIRECTORY_AT + ENTRIES * ENTRY_INTS;
var EXTENTS_AT = HANDLES_AT + HANDLES * HANDLE_INTS;
var ARENA_META_INTS = EXTENTS_AT + EXTENTS * 2;
var ARENA_DATA = Math.ceil((ARENA_BASE + ARENA_META_INTS * 4) / 65536) * 65536;
var ARENA_MAX_BYTES = 64 * 1024 ** 3;

// lib/_start_method.ts
var START_METHODS = [
  "thread",
  "spawn"
];
var DEFAULT = "thread";
var chosen = null;
var fixed = false;
function checkStartMethod(what, value, name = "startMethod") {
  if (value === "thread" || value === "spawn") return value;
  const supported = START_METHODS.map((m) => JSON.stringify(m)).join(" or ");
  if (value === "fork" || value === "forkserver") {
    throw new TypeError(`${what}: ${name} ${JSON.stringify(value)} is not available: a Deno program cannot fork itself; use ${supported}`);
  }
  if (typeof value !== "string") {
    throw new TypeError(`${what}: ${name} must be ${supported}, received ${describe(value)}`);
  }
  throw new TypeError(`${what}: ${name} must be ${supported}, received ${JSON.stringify(value)}`);
}
__name(checkStartMethod, "checkStartMethod");
function currentStartMethod() {
  return chosen ?? DEFAULT;
}
__name(currentStartMethod, "currentStartMethod");
function chosenStartMethod() {
  return chosen;
}
__name(chosenStartMethod, "chosenStartMethod");
function resolveStartMethod(what, option) {
  if (option !== void 0) return checkStartMethod(what, option);
  fixed = true;
  return currentStartMethod();
}
__name(resolveStartMethod, "resolveStartMethod");
function chooseStartMethod(what, method, force) {
  if (fixed && !force) {
    throw new Error(`${what}: the start method is already ${chosen === null ? "in use" : `set to ${JSON.stringify(chosen)}`}; pass { force: true } to change it`);
  }
  chosen = method;
  fixed = method !== null;
}
__name(chooseStartMethod, "chooseStartMethod");
function inheritStartMethod(method) {
  chosen = method;
  fixed = method !== null;
}
__name(inheritStartMethod, "inheritStartMethod");

// lib/_layout.ts
var TABLE_NEXT_PID = 0;
var TABLE_DEATHS = 1;
var TABLE_HEADER = 4;
var TABLE_SLOTS = 4096;
var TABLE_SLOT_INTS = 2;
var TABLE_SLOT_PID = 0;
var TABLE_SLOT_STATE = 1;
var TABLE_SLOT_FREE = 0;
var TABLE_SLOT_RESERVED = 1;
var TABLE_SLOT_ALIVE = 2;
var TABLE_SLOT_ENDED = 3;
var TABLE_INTS = TABLE_HEADER + TABLE_SLOTS * TABLE_SLOT_INTS;
var PROC_STATE = 0;
var PROC_EXITCODE = 1;
var PROC_ERROR_LENGTH = 2;
var PROC_OS_PID = 3;
var PROC_HEADER_INTS = 4;
var PROC_ERROR_BYTES = 16 * 1024;
var PROC_STATE_RUNNING = 1;
var PROC_STATE_ENDED = 2;

// lib/_context.ts
var isWorkerThread = false;
var programMainModule = null;
var table = null;
var MAIN_PID = mainPid();
var selfIdentity = {
  name: "MainProcess",
  pid: MAIN_PID
};
var parentIdentity = null;
var ownStatus = null;
function mainPid() {
  try {
    return Deno.pid;
  } catch {
    return 1;
  }
}
__name(mainPid, "mainPid");
function processTable() {
  if (table === null) {
    table = new Int32Array(
      // buffer's initial bytes at once, but not what it grows by later.
      new SharedArrayBuffer(TABLE_INTS * 4, {
        maxByteLength: ARENA_MAX_BYTES
      }),
      0,
      TABLE_INTS
    );
    Atomics.store(table, TABLE_NEXT_PID, selfIdentity.pid + 1);
  }
  return table;
}
__name(processTable, "processTable");
function installWorkerContext(init2) {
  installChildContext(init2.self, init2.parent, init2);
  table = new Int32Array(init2.table, 0, TABLE_INTS);
  ownStatus = new Int32Array(init2.status);
}
__name(installWorkerContext, "installWorkerContext");
function installChildContext(self2, parent, program) {
  isWorkerThread = true;
  selfIdentity = self2;
  parentIdentity = parent;
  programMainModule = program.main;
  inheritStartMethod(program.startMethod);
}
__name(installChildContext, "installChildContext");
function programMain() {
  return programMainModule ?? Deno.mainModule;
}
__name(programMain, "programMain");
function programInit() {
  return {
    main: programMain(),
    startMethod: chosenStartMethod()
  };
}
__name(programInit, "programInit");
function selfProcess() {
  return selfIdentity;
}
__name(selfProcess, "selfProcess");
function parentOfSelf() {
  return parentIdentity;
}
__name(parentOfSelf, "parentOfSelf");
function allocatePid() {
  const t = processTable();
  for (let tries = 0; tries < TABLE_SLOTS * 2; tries++) {
    const pid = Atomics.add(t, TABLE_NEXT_PID, 1);
    const base = slotBase(pid);
    const state = Atomics.load(t, base + TABLE_SLOT_STATE);
    if (state !== TABLE_SLOT_FREE && state !== TABLE_SLOT_ENDED) continue;
    if (Atomics.compareExchange(t, base + TABLE_SLOT_STATE, state, TABLE_SLOT_RESERVED) !== state) continue;
    Atomics.store(t, base + TABLE_SLOT_PID, pid);
    Atomics.store(t, base + TABLE_SLOT_STATE, TABLE_SLOT_ALIVE);
    return pid;
  }
  throw new RangeError(`Cannot start process: more than ${TABLE_SLOTS} processes are alive`);
}
__name(allocatePid, "allocatePid");
function markPidEnded(pid) {
  if (pid <= 0) return;
  const t = processTable();
  const base = slotBase(pid);
  if (Atomics.load(t, base + TABLE_SLOT_PID) !== pid) return;
  if (Atomics.compareExchange(t, base + TABLE_SLOT_STATE, TABLE_SLOT_ALIVE, TABLE_SLOT_ENDED) === TABLE_SLOT_ALIVE) {
    Atomics.add(t, TABLE_DEATHS, 1);
  }
}
__name(markPidEnded, "markPidEnded");
function isPidAlive(pid) {
  if (pid === mainProcessPid()) return true;
  const t = processTable();
  const base = slotBase(pid);
  const state = Atomics.load(t, base + TABLE_SLOT_STATE);
  if (state === TABLE_SLOT_RESERVED) return true;
  return state === TABLE_SLOT_ALIVE && Atomics.load(t, base + TABLE_SLOT_PID) === pid;
}
__name(isPidAlive, "isPidAlive");
function mainProcessPid() {
  return MAIN_PID;
}
__name(mainProcessPid, "mainProcessPid");
function slotBase(pid) {
  return TABLE_HEADER + pid % TABLE_SLOTS * TABLE_SLOT_INTS;
}
__name(slotBase, "slotBase");
function assertLive() {
  if (ownStatus !== null && Atomics.load(ownStatus, PROC_STATE) === PROC_STATE_ENDED) {
    throw new ProcessEndedError(selfIdentity.name);
  }
}
__name(assertLive, "assertLive");
function selfStatus() {
  return ownStatus;
}
__name(selfStatus, "selfStatus");
var bootstrapping = false;
function setBootstrapping(on2) {
  bootstrapping = on2;
}
__name(setBootstrapping, "setBootstrapping");
function assertNotBootstrapping(what) {
  if (bootstrapping) {
    throw new Error(`${what}: a new process was started while this one was still importing its task module (the bootstrapping phase); start processes under if (import.meta.main) in a module that workers import`);
  }
}
__name(assertNotBootstrapping, "assertNotBootstrapping");
function throwEnded() {
  throw new ProcessEndedError(selfIdentity.name);
}
__name(throwEnded, "throwEnded");

// lib/_wait.ts
var WAIT_SLICE_MS = 50;
function checkTimeout(what, timeout) {
  if (timeout === void 0) return Infinity;
  if (typeof timeout !== "number" || Number.isNaN(timeout)) {
    throw new TypeError(`${what}: timeout must be a number of milliseconds, received ${describe(timeout)}`);
  }
  if (timeout < 0) {
    throw new RangeError(`${what}: timeout must be non-negative, received ${timeout}`);
  }
  return timeout;
}
__name(checkTimeout, "checkTimeout");
function checkSignal(what, signal) {
  if (signal !== void 0 && !(signal instanceof AbortSignal)) {
    throw new TypeError(`${what}: signal must be an AbortSignal, received ${describe(signal)}`);
  }
}
__name(checkSignal, "checkSignal");
function describe(value) {
  if (value === null) return "null";
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "function") return "a function";
  if (typeof value === "object") {
    const name = value.constructor?.name;
    return name ? `an instance of ${name}` : "an object";
  }
  return `${String(value)} (${typeof value})`;
}
__name(describe, "describe");
function parkSync(i32, index2, value, timeout = Infinity, check2) {
  if (!isWorkerThread && check2 === void 0) {
    return Atomics.wait(i32, index2, value, timeout);
  }
  const deadline = performance.now() + timeout;
  while (true) {
    if (isWorkerThread) assertLive();
    check2?.();
    const remaining = deadline - performance.now();
    if (remaining <= 0) {
      return Atomics.load(i32, index2) === value ? "timed-out" : "not-equal";
    }
    const result = Atomics.wait(i32, index2, value, Math.min(remaining, WAIT_SLICE_MS));
    if (result !== "timed-out") {
      if (isWorkerThread) assertLive();
      return result;
    }
  }
}
__name(parkSync, "parkSync");
var keepAliveCount = 0;
var keepAliveTimer;
function holdEventLoop() {
  if (keepAliveCount++ === 0) {
    keepAliveTimer = setInterval(() => {
    }, 1 << 30);
  }
}
__name(holdEventLoop, "holdEventLoop");
function releaseEventLoop() {
  if (--keepAliveCount === 0) {
    clearInterval(keepAliveTimer);
    keepAliveTimer = void 0;
  }
}
__name(releaseEventLoop, "releaseEventLoop");
async function park(i32, index2, value, options = {}) {
  const { timeout = Infinity, signal, check: check2 } = options;
  signal?.throwIfAborted();
  if (isWorkerThread) assertLive();
  check2?.();
  const slice = check2 ? WAIT_SLICE_MS : WAIT_SLICE_MS * 20;
  const first = Atomics.waitAsync(i32, index2, value, Math.min(timeout, slice));
  if (!first.async) return first.value;
  const deadline = performance.now() + timeout;
  holdEventLoop();
  let onAbort;
  const aborted = signal ? new Promise((_, reject) => {
    onAbort = /* @__PURE__ */ __name(() => reject(signal.reason), "onAbort");
    signal.addEventListener("abort", onAbort, {
      once: true
    });
  }) : void 0;
  try {
    let pending = first.value;
    while (true) {
      const result = aborted ? await Promise.race([
        pending,
        aborted
      ]) : await pending;
      if (isWorkerThread) assertLive();
      if (result === "ok") return "ok";
      check2?.();
      const remaining = deadline - performance.now();
      if (remaining <= 0) {
        return Atomics.load(i32, index2) === value ? "timed-out" : "not-equal";
      }
      const next = Atomics.waitAsync(i32, index2, value, Math.min(remaining, slice));
      if (!next.async) return next.value;
      pending = next.value;
    }
  } finally {
    if (onAbort) signal?.removeEventListener("abort", onAbort);
    releaseEventLoop();
  }
}
__name(park, "park");
function waitFor(subscribe, timeout, signal) {
  if (signal?.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    let timer;
    let done = false;
    let unsubscribe = void 0;
    const finish3 = /* @__PURE__ */ __name(() => {
      if (done) return false;
      done = true;
      unsubscribe?.();
      if (timer !== void 0) clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      return true;
    }, "finish");
    const onAbort = /* @__PURE__ */ __name(() => {
      if (finish3()) reject(signal.reason);
    }, "onAbort");
    const off = subscribe(() => {
      if (finish3()) resolve(true);
    });
    if (done) {
      off();
      return;
    }
    unsubscribe = off;
    if (timeout !== Infinity) {
      timer = setTimeout(() => {
        if (finish3()) resolve(false);
      }, timeout);
    }
    signal?.addEventListener("abort", onAbort, {
      once: true
    });
  });
}
__name(waitFor, "waitFor");

// lib/pool/result_control.ts
var results;
function installResultControl(control2) {
  results = control2;
}
__name(installResultControl, "installResultControl");

// lib/async_result.ts
var PENDING = 0;
var SUCCEEDED = 1;
var FAILED = 2;
var AsyncResult = class _AsyncResult {
  static {
    __name(this, "AsyncResult");
  }
  #state = PENDING;
  #value = void 0;
  #error = void 0;
  #callback = void 0;
  #errorCallback = void 0;
  #listeners = [];
  #settling = false;
  static {
    installResultControl({
      create: /* @__PURE__ */ __name((callback, errorCallback) => {
        const result = new _AsyncResult();
        result.#callback = callback;
        result.#errorCallback = errorCallback;
        return result;
      }, "create"),
      resolve: /* @__PURE__ */ __name((result, value) => result.#settle(SUCCEEDED, value), "resolve"),
      reject: /* @__PURE__ */ __name((result, error) => result.#settle(FAILED, error), "reject")
    });
  }
  /** Only the pool makes AsyncResults. */
  constructor() {
  }
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
  ready() {
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
  successful() {
    if (this.#state === PENDING) {
      throw new Error("Cannot tell whether the task succeeded: the result is not ready");
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
  async get(options) {
    if (this.#state === PENDING) {
      const what = "Cannot get result";
      if (!await this.#wait(what, options)) {
        throw new TimeoutError(`${what}: not ready after ${options.timeout} ms`);
      }
    } else if (options !== void 0) {
      checkTimeout("Cannot get result", options.timeout);
      checkSignal("Cannot get result", options.signal);
    }
    if (this.#state === FAILED) throw this.#error;
    return this.#value;
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
  async wait(options) {
    if (this.#state === PENDING) {
      await this.#wait("Cannot wait for result", options);
    } else if (options !== void 0) {
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
  [Symbol.for("Deno.customInspect")](inspect2, options) {
    if (this.#state === PENDING) return 'AsyncResult { state: "pending" }';
    return this.#state === SUCCEEDED ? `AsyncResult { state: "succeeded", value: ${inspectOutcome(this.#value, inspect2, options)} }` : `AsyncResult { state: "failed", error: ${inspectOutcome(this.#error, inspect2, options)} }`;
  }
  /** Resolves true when settled, false on timeout; validates the options. */
  #wait(what, options) {
    const timeout = checkTimeout(what, options?.timeout);
    const signal = options?.signal;
    checkSignal(what, signal);
    return waitFor((wake) => {
      this.#listeners.push(wake);
      return () => {
        const i = this.#listeners.indexOf(wake);
        if (i >= 0) this.#listeners.splice(i, 1);
      };
    }, timeout, signal);
  }
  #settle(state, outcome) {
    if (this.#state !== PENDING || this.#settling) return;
    const callback = state === SUCCEEDED ? this.#callback : this.#errorCallback;
    this.#callback = void 0;
    this.#errorCallback = void 0;
    if (callback === void 0) {
      this.#commit(state, outcome);
      return;
    }
    this.#settling = true;
    queueMicrotask(() => {
      this.#commit(state, outcome, callback);
    });
  }
  #commit(state, outcome, callback) {
    this.#state = state;
    if (state === SUCCEEDED) this.#value = outcome;
    else this.#error = outcome;
    if (callback !== void 0) {
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
};

// lib/_registry.ts
var SHARE = Symbol.for("@denomp/multiprocessing/share");
var MARK = "__denomp_shared__";
var revivers = /* @__PURE__ */ new Map();
var holds = /* @__PURE__ */ new WeakMap();
function registerShareable(kind, revive) {
  revivers.set(kind, revive);
}
__name(registerShareable, "registerShareable");
function isShareable(value) {
  return typeof value === "object" && value !== null && typeof value[SHARE] === "function";
}
__name(isShareable, "isShareable");
function reviveDescriptor(descriptor2) {
  const revive = revivers.get(descriptor2.kind);
  if (revive === void 0) {
    throw new TypeError(`Cannot revive shared object: kind ${descriptor2.kind} is not registered`);
  }
  return revive(descriptor2.data);
}
__name(reviveDescriptor, "reviveDescriptor");
var MANAGER_HINTS = {
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
  ShareableList: "manager.list()"
};
function encodeShared(value, what, path, options) {
  const copy = options?.copy === true;
  const state = {
    shared: false,
    seen: /* @__PURE__ */ new Set(),
    context: copy ? void 0 : {
      owner: options?.owner ?? null
    },
    releases: [],
    copy: copy ? [] : null
  };
  try {
    const out2 = walkEncode(value, what, path, state);
    return {
      value: out2,
      shared: state.shared,
      descriptors: state.copy ?? []
    };
  } catch (error) {
    for (const release2 of state.releases) release2();
    throw error;
  }
}
__name(encodeShared, "encodeShared");
function releaseShared(value) {
  walkRelease(value, /* @__PURE__ */ new Set());
}
__name(releaseShared, "releaseShared");
function walkRelease(value, seen) {
  if (typeof value !== "object" || value === null || seen.has(value)) return;
  seen.add(value);
  if (isMarked(value)) {
    const release2 = holds.get(value);
    if (release2 !== void 0) {
      holds.delete(value);
      release2();
    }
    return;
  }
  if (Array.isArray(value)) {
    for (const item of value) walkRelease(item, seen);
  } else if (Object.getPrototypeOf(value) === Object.prototype) {
    for (const item of Object.values(value)) walkRelease(item, seen);
  }
}
__name(walkRelease, "walkRelease");
function holdsSharedMemory(data, seen = /* @__PURE__ */ new Set()) {
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
__name(holdsSharedMemory, "holdsSharedMemory");
function notCopyable(what, path, kind) {
  const hint = MANAGER_HINTS[kind] ?? "a Manager proxy";
  return new TypeError(`${what}: ${path} is a ${kind}, which lives in shared memory and cannot cross into another process (start method "spawn"); share it through a Manager instead (await ${hint}), or use the "thread" start method`);
}
__name(notCopyable, "notCopyable");
function walkEncode(value, what, path, state) {
  switch (typeof value) {
    case "function":
    case "symbol":
      throw new TypeError(`${what}: ${path} of type ${typeof value} cannot be sent to a worker`);
    case "object":
      break;
    default:
      return value;
  }
  if (value === null) return value;
  if (isShareable(value)) {
    state.shared = true;
    const descriptor2 = value[SHARE](state.context);
    if (state.copy !== null) {
      if (holdsSharedMemory(descriptor2.data)) {
        throw notCopyable(what, path, descriptor2.kind);
      }
      state.copy.push(descriptor2);
    }
    const marked = {
      [MARK]: true,
      kind: descriptor2.kind,
      module: descriptor2.module,
      data: descriptor2.data
    };
    if (descriptor2.release !== void 0) {
      state.releases.push(descriptor2.release);
      holds.set(marked, descriptor2.release);
    }
    return marked;
  }
  if (state.seen.has(value)) return value;
  state.seen.add(value);
  if (Array.isArray(value)) {
    let copy = null;
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
    let copy = null;
    const record2 = value;
    for (const key2 of Object.keys(record2)) {
      const item = record2[key2];
      const next = walkEncode(item, what, `${path}.${key2}`, state);
      if (next !== item) {
        copy ??= {
          ...record2
        };
        copy[key2] = next;
      }
    }
    for (const key2 of Object.getOwnPropertySymbols(record2)) {
      throw new TypeError(`${what}: ${path} has a symbol key ${String(key2)} that cannot be sent to a worker`);
    }
    return copy ?? value;
  }
  if (value instanceof Map || value instanceof Set) {
    for (const item of value.values()) walkEncode(item, what, path, state);
    if (value instanceof Map) {
      for (const key2 of value.keys()) walkEncode(key2, what, path, state);
    }
    return value;
  }
  if (state.copy !== null && (value instanceof SharedArrayBuffer || ArrayBuffer.isView(value) && value.buffer instanceof SharedArrayBuffer)) {
    throw new TypeError(`${what}: ${path} is a SharedArrayBuffer (or a view of one), whose memory cannot be shared with another process (start method "spawn"); pass a copy in ordinary memory (a view's .slice(), as new Uint8Array(sab).slice(): SharedArrayBuffer.prototype.slice() returns shared memory again), share state through a Manager, or use the "thread" start method`);
  }
  return value;
}
__name(walkEncode, "walkEncode");
async function decodeShared(value, shared) {
  if (!shared) return value;
  const modules = /* @__PURE__ */ new Set();
  collectModules(value, modules, /* @__PURE__ */ new Set());
  await Promise.all([
    ...modules
  ].map((url) => import(url)));
  return walkDecode(value, /* @__PURE__ */ new Set());
}
__name(decodeShared, "decodeShared");
function isMarked(value) {
  return value[MARK] === true;
}
__name(isMarked, "isMarked");
function collectModules(value, modules, seen) {
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
__name(collectModules, "collectModules");
function walkDecode(value, seen) {
  if (typeof value !== "object" || value === null || seen.has(value)) {
    return value;
  }
  if (isMarked(value)) {
    return reviveDescriptor({
      kind: value.kind,
      module: value.module,
      data: value.data
    });
  }
  seen.add(value);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      value[i] = walkDecode(value[i], seen);
    }
  } else if (Object.getPrototypeOf(value) === Object.prototype) {
    const record2 = value;
    for (const key2 of Object.keys(record2)) {
      record2[key2] = walkDecode(record2[key2], seen);
    }
  }
  return value;
}
__name(walkDecode, "walkDecode");

// lib/sync/layout.ts
var SEM_VALUE = 0;
var SEM_WAITERS = 1;
var SEM_BOUND = 2;
var SEM_ROBUST = 3;
var SEM_HOLDERS = 4;
var SEM_HOLDER_SLOTS = 32;
var SEM_INTS = SEM_HOLDERS + SEM_HOLDER_SLOTS;
var EVENT_STATE = 0;
var EVENT_INTS = 2;
var BAR_MUTEX = 0;
var BAR_SEQ = 1;
var BAR_GEN = 2;
var BAR_COUNT = 3;
var BAR_BROKEN = 4;
var BAR_COMPLETE = 5;
var BAR_PARTIES = 6;
var BAR_OUTCOMES = 8;
var BAR_OUTCOME_RING = 64;
var BAR_SLOTS = BAR_OUTCOMES + BAR_OUTCOME_RING;
var BAR_OUTCOME_PASSED = 1;
var BAR_OUTCOME_BROKEN = 2;
var COND_MUTEX = 0;
var COND_TICKET = 1;
var COND_COUNT = 2;
var COND_SLOTS = 4;
var COND_MAX_WAITERS = 128;
var COND_SLOT_INTS = 3;
var COND_SLOT_STATE = 0;
var COND_SLOT_PID = 1;
var COND_SLOT_TICKET = 2;
var COND_FREE = 0;
var COND_WAITING = 1;
var COND_NOTIFIED = 2;
var COND_INTS = COND_SLOTS + COND_MAX_WAITERS * COND_SLOT_INTS;
function lockMutex(i32, index2) {
  let c = Atomics.compareExchange(i32, index2, 0, 1);
  if (c === 0) return;
  for (let spin2 = 0; spin2 < 64; spin2++) {
    c = Atomics.compareExchange(i32, index2, 0, 1);
    if (c === 0) return;
  }
  if (c !== 2) c = Atomics.exchange(i32, index2, 2);
  while (c !== 0) {
    Atomics.wait(i32, index2, 2);
    c = Atomics.exchange(i32, index2, 2);
  }
}
__name(lockMutex, "lockMutex");
function unlockMutex(i32, index2) {
  if (Atomics.sub(i32, index2, 1) !== 1) {
    Atomics.store(i32, index2, 0);
    Atomics.notify(i32, index2, 1);
  }
}
__name(unlockMutex, "unlockMutex");
var SPIN_MAX = 1024;
var SPIN_MIN = 8;
var spinBudget = SPIN_MAX / 4;
function spinWhileEqual(i32, index2, value) {
  const budget = spinBudget;
  for (let i = 0; i < budget; i++) {
    if (Atomics.load(i32, index2) !== value) {
      if (budget < SPIN_MAX) spinBudget = budget * 2;
      return true;
    }
  }
  if (budget > SPIN_MIN) spinBudget = budget >> 1;
  return false;
}
__name(spinWhileEqual, "spinWhileEqual");

// lib/_target.ts
function targetModule(what, module) {
  if (module === void 0) return programMain();
  if (module instanceof URL) return module.href;
  if (typeof module === "string") {
    try {
      return new URL(module).href;
    } catch {
      throw new TypeError(`${what}: module must be a URL such as import.meta.url, received ${JSON.stringify(module)}`);
    }
  }
  throw new TypeError(`${what}: module must be a URL or a string, received ${typeof module}`);
}
__name(targetModule, "targetModule");
function targetRef(what, target, module) {
  const url = targetModule(what, module);
  if (typeof target === "string") {
    if (target === "") {
      throw new TypeError(`${what}: target must not be an empty string`);
    }
    return {
      module: url,
      name: target,
      source: null
    };
  }
  if (typeof target !== "function") {
    throw new TypeError(`${what}: target must be an exported function or its name, received ${target === null ? "null" : typeof target}`);
  }
  if (target.name === "") {
    throw new TypeError(`${what}: target is an anonymous function; export it from ${url} under a name, or pass module`);
  }
  return {
    module: url,
    name: target.name,
    source: Function.prototype.toString.call(target)
  };
}
__name(targetRef, "targetRef");
async function loadTarget(what, ref) {
  const namespace = await import(ref.module);
  let found = Object.hasOwn(namespace, ref.name) ? namespace[ref.name] : void 0;
  if (ref.source !== null && !sameSource(found, ref.source)) {
    found = Object.values(namespace).find((v) => sameSource(v, ref.source));
  }
  if (typeof found !== "function") {
    throw new TypeError(`${what}: function ${ref.name} is not exported by ${ref.module}; export it from that module, or pass module: import.meta.url from the module that exports it`);
  }
  return found;
}
__name(loadTarget, "loadTarget");
function sameSource(value, source) {
  return typeof value === "function" && Function.prototype.toString.call(value) === source;
}
__name(sameSource, "sameSource");

// lib/_entries.ts
var BUNDLED = import.meta.url.endsWith(".js");
function entryUrl(entry) {
  return BUNDLED ? new URL(`./${entry}.js`, import.meta.url) : new URL(`../${entry}.ts`, import.meta.url);
}
__name(entryUrl, "entryUrl");
function toolkitDirs() {
  return BUNDLED ? [
    new URL("./", import.meta.url)
  ] : [
    new URL("./", import.meta.url),
    new URL("../workers/", import.meta.url)
  ];
}
__name(toolkitDirs, "toolkitDirs");

// lib/sync/barrier_action.ts
var namespaces = /* @__PURE__ */ new Map();
function rememberActionModule(url, namespace) {
  namespaces.set(url, namespace);
}
__name(rememberActionModule, "rememberActionModule");
function preloadUrl(module) {
  const url = entryUrl("lib/sync/barrier_preload");
  url.searchParams.set("module", module);
  return url.href;
}
__name(preloadUrl, "preloadUrl");
function resolveAction(ref) {
  const namespace = namespaces.get(ref.module);
  let found = namespace && Object.hasOwn(namespace, ref.name) ? namespace[ref.name] : void 0;
  if (namespace && ref.source !== null && !sameSource2(found, ref.source)) {
    found = Object.values(namespace).find((v) => sameSource2(v, ref.source));
  }
  if (typeof found !== "function") {
    throw new TypeError(`Cannot run barrier action: function ${ref.name} is not exported by ${ref.module}; export it from that module, or pass module: import.meta.url from the module that exports it`);
  }
  return found;
}
__name(resolveAction, "resolveAction");
function sameSource2(value, source) {
  return typeof value === "function" && Function.prototype.toString.call(value) === source;
}
__name(sameSource2, "sameSource");

// lib/barrier.ts
var MAX_PARTIES = 65535;
var reviving = null;
var Barrier = class _Barrier {
  static {
    __name(this, "Barrier");
  }
  #i32;
  #parties;
  #timeout;
  #action = null;
  #actionRef = null;
  #actionModule;
  #actionError = null;
  /**
   * Creates a barrier for `parties` callers.
   *
   * @param parties How many callers each cycle waits for.
   * @param options `action`, default `timeout`, and the `module` exporting
   * the action.
   * @throws {TypeError} If `parties` is not a number, or an option has the
   * wrong type.
   * @throws {RangeError} If `parties` is not an integer in [1, 65535] or
   * `timeout` is negative.
   */
  constructor(parties, options) {
    if (reviving !== null) {
      const data = reviving;
      reviving = null;
      this.#i32 = new Int32Array(data.buffer);
      this.#parties = Atomics.load(this.#i32, BAR_PARTIES);
      this.#timeout = data.timeout;
      this.#actionRef = data.action;
      if (data.action !== null) {
        try {
          this.#action = resolveAction(data.action);
        } catch (error) {
          this.#actionError = error;
        }
      }
      return;
    }
    const what = "Cannot create barrier";
    if (typeof parties !== "number") {
      throw new TypeError(`${what}: parties must be a number, received ${describe(parties)}`);
    }
    if (!Number.isInteger(parties) || parties < 1 || parties > MAX_PARTIES) {
      throw new RangeError(`${what}: parties must be an integer in [1, ${MAX_PARTIES}], received ${parties}`);
    }
    if (options === void 0) options = {};
    else if (typeof options !== "object" || options === null) {
      throw new TypeError(`${what}: options must be an object, received ${describe(options)}`);
    }
    const { action, timeout, module } = options;
    if (action !== void 0 && typeof action !== "function") {
      throw new TypeError(`${what}: action must be a function, received ${describe(action)}`);
    }
    this.#timeout = checkTimeout(what, timeout);
    if (module !== void 0) {
      targetRef(what, "action", module);
    }
    this.#action = action ?? null;
    this.#actionModule = module;
    this.#parties = parties;
    const i32 = new Int32Array(new SharedArrayBuffer((BAR_SLOTS + parties) * 4));
    i32[BAR_PARTIES] = parties;
    this.#i32 = i32;
  }
  /** The number of callers each cycle waits for. */
  get parties() {
    return this.#parties;
  }
  /** How many parties wait in the current cycle (Python's `n_waiting`). */
  get nWaiting() {
    const i32 = this.#i32;
    return Atomics.load(i32, BAR_BROKEN) === 1 ? 0 : Atomics.load(i32, BAR_COUNT);
  }
  /** Whether the barrier is broken (until `reset()`). */
  get broken() {
    return Atomics.load(this.#i32, BAR_BROKEN) === 1;
  }
  /**
   * Waits until all `parties` have called `wait()` in this cycle.
   *
   * @param options `timeout` in milliseconds (running out breaks the
   * barrier) and `signal` to abort.
   * @returns This party's index in the cycle, distinct per party, in
   * `[0, parties)`.
   * @throws {BrokenBarrierError} If the barrier is or becomes broken
   * (aborted, reset, a timeout, a party died, or the action threw in
   * another party).
   * @throws {TypeError} If `timeout` is not a number or `signal` not an
   * AbortSignal.
   * @throws {RangeError} If `timeout` is negative.
   */
  async wait(options) {
    options ??= {};
    const what = "Cannot wait on barrier";
    const timeout = options?.timeout === void 0 ? this.#timeout : checkTimeout(what, options.timeout);
    const signal = options?.signal;
    checkSignal(what, signal);
    assertLive();
    signal?.throwIfAborted();
    const steps = this.#protocol(timeout, signal);
    let next = steps.next();
    while (!next.done) {
      const step = next.value;
      if (step.type === "action") {
        try {
          this.#runnableAction();
          await this.#action?.();
        } catch (error) {
          next = steps.throw(error);
          continue;
        }
        next = steps.next();
        continue;
      }
      let result;
      try {
        result = await park(this.#i32, BAR_SEQ, step.seq, {
          timeout: step.timeout,
          signal,
          check: step.check
        });
      } catch (error) {
        next = steps.throw(error);
        continue;
      }
      next = steps.next(result);
    }
    return next.value;
  }
  /**
   * Blocks the calling thread until all `parties` have arrived. On the main
   * thread this freezes the event loop while it waits.
   *
   * @param options `timeout` in milliseconds (running out breaks the
   * barrier).
   * @returns This party's index in the cycle.
   * @throws {BrokenBarrierError} If the barrier is or becomes broken.
   * @throws {TypeError} If `timeout` is not a number.
   * @throws {RangeError} If `timeout` is negative.
   */
  waitSync(options) {
    options ??= {};
    const what = "Cannot wait on barrier";
    const timeout = options?.timeout === void 0 ? this.#timeout : checkTimeout(what, options.timeout);
    assertLive();
    const steps = this.#protocol(timeout, void 0);
    let next = steps.next();
    while (!next.done) {
      const step = next.value;
      if (step.type === "action") {
        try {
          this.#runnableAction();
          this.#action?.();
        } catch (error) {
          next = steps.throw(error);
          continue;
        }
        next = steps.next();
        continue;
      }
      let result;
      try {
        result = parkSync(this.#i32, BAR_SEQ, step.seq, step.timeout, step.check);
      } catch (error) {
        next = steps.throw(error);
        continue;
      }
      next = steps.next(result);
    }
    return next.value;
  }
  /**
   * Breaks the barrier: every party waiting now, and every later `wait()`
   * until `reset()`, throws `BrokenBarrierError`.
   */
  abort() {
    assertLive();
    const i32 = this.#i32;
    lockMutex(i32, BAR_MUTEX);
    if (Atomics.load(i32, BAR_BROKEN) === 0) breakLocked(i32);
    unlockMutex(i32, BAR_MUTEX);
    Atomics.notify(i32, BAR_SEQ);
  }
  /**
   * Returns the barrier to its empty, unbroken state. Parties waiting now
   * get `BrokenBarrierError`, as in Python.
   */
  reset() {
    assertLive();
    const i32 = this.#i32;
    lockMutex(i32, BAR_MUTEX);
    const gen = Atomics.load(i32, BAR_GEN);
    if (Atomics.load(i32, BAR_COUNT) > 0 || Atomics.load(i32, BAR_BROKEN)) {
      Atomics.store(i32, outcomeSlot(gen), BAR_OUTCOME_BROKEN);
    }
    startGeneration(i32, gen, this.#parties);
    Atomics.store(i32, BAR_BROKEN, 0);
    Atomics.add(i32, BAR_SEQ, 1);
    unlockMutex(i32, BAR_MUTEX);
    Atomics.notify(i32, BAR_SEQ);
  }
  /** A short description, for `console.log`. */
  [Symbol.for("Deno.customInspect")]() {
    return `Barrier { parties: ${this.#parties}, nWaiting: ${this.nWaiting}, broken: ${this.broken} }`;
  }
  /**
   * Describes the barrier for a worker (used by `Process` args).
   *
   * @returns The descriptor; its buffer is shared, not copied.
   * @throws {TypeError} If the action is not a named function (it must be
   * exported from its module to cross).
   *
   * @ignore Internal: the shared-object registry calls it.
   */
  [SHARE]() {
    let action = this.#actionRef;
    if (action === null && this.#action !== null) {
      action = targetRef("Cannot share barrier", this.#action, this.#actionModule);
    }
    const data = {
      buffer: this.#i32.buffer,
      timeout: this.#timeout,
      action
    };
    const module = action === null ? import.meta.url : preloadUrl(action.module);
    return {
      kind: "Barrier",
      module,
      data
    };
  }
  #runnableAction() {
    if (this.#actionError !== null) throw this.#actionError;
  }
  /**
   * The wait protocol, shared by `wait()` and `waitSync()`. It yields what
   * to do (park on the sequence word, or run the action) and gets the
   * result back; errors of those steps are thrown into it. All shared state
   * changes happen under the internal mutex, in synchronous code.
   */
  *#protocol(timeout, signal) {
    const i32 = this.#i32;
    const parties = this.#parties;
    const deadline = performance.now() + timeout;
    const pid = selfProcess().pid;
    let gen = 0;
    let index2 = -1;
    while (true) {
      lockMutex(i32, BAR_MUTEX);
      if (Atomics.load(i32, BAR_BROKEN) === 1) {
        unlockMutex(i32, BAR_MUTEX);
        throw new BrokenBarrierError();
      }
      gen = Atomics.load(i32, BAR_GEN);
      if (Atomics.load(i32, BAR_COMPLETE) === 0) {
        for (let i = 0; i < parties; i++) {
          if (Atomics.load(i32, BAR_SLOTS + i) === 0) {
            index2 = i;
            break;
          }
        }
        Atomics.store(i32, BAR_SLOTS + index2, pid);
        const count = Atomics.add(i32, BAR_COUNT, 1) + 1;
        if (count === parties && !this.#hasAction()) {
          Atomics.store(i32, outcomeSlot(gen), BAR_OUTCOME_PASSED);
          startGeneration(i32, gen, parties);
          Atomics.add(i32, BAR_SEQ, 1);
          unlockMutex(i32, BAR_MUTEX);
          Atomics.notify(i32, BAR_SEQ);
          return index2;
        }
        if (count === parties) Atomics.store(i32, BAR_COMPLETE, 1);
        unlockMutex(i32, BAR_MUTEX);
        if (count === parties) return yield* this.#complete(gen, index2);
        break;
      }
      const seq = Atomics.load(i32, BAR_SEQ);
      unlockMutex(i32, BAR_MUTEX);
      const remaining = deadline - performance.now();
      if (remaining <= 0) return this.#timedOut(gen, -1);
      const result = yield {
        type: "park",
        seq,
        timeout: remaining,
        check: /* @__PURE__ */ __name(() => this.#checkParties(gen), "check")
      };
      if (result === "timed-out" && deadline - performance.now() <= 0) {
        return this.#timedOut(gen, -1);
      }
    }
    const check2 = /* @__PURE__ */ __name(() => this.#checkParties(gen), "check");
    while (true) {
      const seq = Atomics.load(i32, BAR_SEQ);
      const outcome = this.#outcomeLocked(gen);
      if (outcome === BAR_OUTCOME_PASSED) return index2;
      if (outcome === BAR_OUTCOME_BROKEN) throw new BrokenBarrierError();
      if (spinWhileEqual(i32, BAR_SEQ, seq)) continue;
      const remaining = deadline - performance.now();
      if (remaining <= 0) return this.#timedOut(gen, index2);
      let result;
      try {
        result = yield {
          type: "park",
          seq,
          timeout: remaining,
          check: check2
        };
      } catch (error) {
        if (signal?.aborted && error === signal.reason) this.#leave(gen, index2);
        throw error;
      }
      if (result === "timed-out" && deadline - performance.now() <= 0) {
        return this.#timedOut(gen, index2);
      }
    }
  }
  /** The last party to arrive: runs the action, then releases the cycle. */
  *#complete(gen, index2) {
    const i32 = this.#i32;
    if (this.#hasAction()) {
      try {
        yield {
          type: "action"
        };
      } catch (error) {
        lockMutex(i32, BAR_MUTEX);
        if (this.#outcomeLocked(gen) === 0) breakLocked(i32);
        unlockMutex(i32, BAR_MUTEX);
        Atomics.notify(i32, BAR_SEQ);
        throw error;
      }
    }
    lockMutex(i32, BAR_MUTEX);
    if (this.#outcomeLocked(gen) !== 0) {
      unlockMutex(i32, BAR_MUTEX);
      throw new BrokenBarrierError();
    }
    Atomics.store(i32, outcomeSlot(gen), BAR_OUTCOME_PASSED);
    startGeneration(i32, gen, this.#parties);
    Atomics.add(i32, BAR_SEQ, 1);
    unlockMutex(i32, BAR_MUTEX);
    Atomics.notify(i32, BAR_SEQ);
    return index2;
  }
  #hasAction() {
    return this.#action !== null || this.#actionRef !== null;
  }
  /**
   * The outcome of generation `gen`: 0 while it is current and unbroken,
   * else passed or broken. Called with the mutex held, or (by a waiter)
   * after reading SEQ, which orders it after the transition's writes.
   */
  #outcomeLocked(gen) {
    const i32 = this.#i32;
    if (Atomics.load(i32, BAR_GEN) === gen) {
      return Atomics.load(i32, BAR_BROKEN) === 1 ? BAR_OUTCOME_BROKEN : 0;
    }
    return Atomics.load(i32, outcomeSlot(gen));
  }
  /** A wait ran out of time: break the cycle unless it passed meanwhile. */
  #timedOut(gen, index2) {
    const i32 = this.#i32;
    lockMutex(i32, BAR_MUTEX);
    const outcome = this.#outcomeLocked(gen);
    if (outcome === 0) breakLocked(i32);
    unlockMutex(i32, BAR_MUTEX);
    Atomics.notify(i32, BAR_SEQ);
    if (outcome === BAR_OUTCOME_PASSED && index2 >= 0) return index2;
    throw new BrokenBarrierError("The barrier is broken: a wait timed out");
  }
  /** An aborted party leaves a cycle that is still filling. */
  #leave(gen, index2) {
    const i32 = this.#i32;
    lockMutex(i32, BAR_MUTEX);
    if (this.#outcomeLocked(gen) === 0 && Atomics.load(i32, BAR_COMPLETE) === 0) {
      Atomics.store(i32, BAR_SLOTS + index2, 0);
      Atomics.sub(i32, BAR_COUNT, 1);
    }
    unlockMutex(i32, BAR_MUTEX);
  }
  /** Breaks the current cycle if one of its parties has died. */
  #checkParties(gen) {
    const i32 = this.#i32;
    let broke = false;
    lockMutex(i32, BAR_MUTEX);
    if (this.#outcomeLocked(gen) === 0) {
      for (let i = 0; i < this.#parties; i++) {
        const pid = Atomics.load(i32, BAR_SLOTS + i);
        if (pid !== 0 && !isPidAlive(pid)) {
          breakLocked(i32);
          broke = true;
          break;
        }
      }
    }
    unlockMutex(i32, BAR_MUTEX);
    if (broke) Atomics.notify(i32, BAR_SEQ);
  }
  static {
    registerShareable("Barrier", (data) => {
      reviving = data;
      return new _Barrier(1);
    });
  }
};
function outcomeSlot(gen) {
  return BAR_OUTCOMES + (gen >>> 0) % BAR_OUTCOME_RING;
}
__name(outcomeSlot, "outcomeSlot");
function breakLocked(i32) {
  const gen = Atomics.load(i32, BAR_GEN);
  Atomics.store(i32, outcomeSlot(gen), BAR_OUTCOME_BROKEN);
  Atomics.store(i32, BAR_BROKEN, 1);
  Atomics.store(i32, BAR_COMPLETE, 0);
  Atomics.add(i32, BAR_SEQ, 1);
}
__name(breakLocked, "breakLocked");
function startGeneration(i32, gen, parties) {
  for (let i = 0; i < parties; i++) Atomics.store(i32, BAR_SLOTS + i, 0);
  Atomics.store(i32, BAR_COUNT, 0);
  Atomics.store(i32, BAR_COMPLETE, 0);
  Atomics.store(i32, outcomeSlot(gen + 1), 0);
  Atomics.store(i32, BAR_GEN, gen + 1);
}
__name(startGeneration, "startGeneration");

// lib/sync/lock_layout.ts
var LOCK_STATE = 0;
var LOCK_CONTENDED = 1073741824;
var LOCK_OWNER = 1073741823;
var LOCK_WAITERS = 1;
var LOCK_COUNT = 2;
var LOCK_HEIR = 3;
var LOCK_INTS = 4;
var LOCK_SPIN = 100;
var LOCK_SLICE_MS = 50;
var LOCK_STARVE_MS = 5;

// lib/sync/lock_core.ts
var FAILED2 = 0;
var ACQUIRED = 1;
var ABANDONED = 2;
var heirBusy = false;
function taken(i32, me, waiters) {
  return Atomics.load(i32, LOCK_WAITERS) > waiters ? me | LOCK_CONTENDED : me;
}
__name(taken, "taken");
function tryTake(i32, me) {
  const s = Atomics.load(i32, LOCK_STATE);
  if (s === 0) {
    return Atomics.compareExchange(i32, LOCK_STATE, 0, taken(i32, me, 1)) === 0 ? ACQUIRED : FAILED2;
  }
  const owner = s & LOCK_OWNER;
  if (!isPidAlive(owner)) {
    if (Atomics.compareExchange(i32, LOCK_STATE, s, me | s & LOCK_CONTENDED) === s) {
      Atomics.store(i32, LOCK_COUNT, 0);
      return ABANDONED;
    }
  }
  return FAILED2;
}
__name(tryTake, "tryTake");
function spin(i32, me) {
  for (let i = 0; i < LOCK_SPIN; i++) {
    if (Atomics.load(i32, LOCK_STATE) === 0 && Atomics.compareExchange(i32, LOCK_STATE, 0, taken(i32, me, 0)) === 0) return true;
  }
  return false;
}
__name(spin, "spin");
function flag(i32) {
  const s = Atomics.load(i32, LOCK_STATE);
  if (s === 0) return 0;
  if ((s & LOCK_CONTENDED) !== 0) return s;
  const flagged = s | LOCK_CONTENDED;
  return Atomics.compareExchange(i32, LOCK_STATE, s, flagged) === s ? flagged : 0;
}
__name(flag, "flag");
function unflag(i32) {
  if (Atomics.load(i32, LOCK_WAITERS) !== 0) return;
  const s = Atomics.load(i32, LOCK_STATE);
  if ((s & LOCK_CONTENDED) === 0 || Atomics.load(i32, LOCK_HEIR) !== 0) return;
  Atomics.compareExchange(i32, LOCK_STATE, s, s & ~LOCK_CONTENDED);
}
__name(unflag, "unflag");
function becomeHeir(i32, me) {
  if (heirBusy) return false;
  const h = Atomics.load(i32, LOCK_HEIR);
  if (h > 0 && !isPidAlive(h)) Atomics.compareExchange(i32, LOCK_HEIR, h, 0);
  if (Atomics.compareExchange(i32, LOCK_HEIR, 0, me) === 0) {
    heirBusy = true;
    return true;
  }
  return false;
}
__name(becomeHeir, "becomeHeir");
function handedOver(i32, me) {
  if (Atomics.load(i32, LOCK_HEIR) === me) return false;
  for (let n = 1; Atomics.load(i32, LOCK_HEIR) === -me; n++) {
    if ((n & 4095) !== 0) continue;
    const s = Atomics.load(i32, LOCK_STATE);
    const owner = s & LOCK_OWNER;
    if (owner !== me && !isPidAlive(owner)) {
      if (Atomics.compareExchange(i32, LOCK_HEIR, -me, 0) === -me) {
        Atomics.compareExchange(i32, LOCK_STATE, s, me | LOCK_CONTENDED);
      }
    } else if (n >= 1048576) {
      Atomics.compareExchange(i32, LOCK_HEIR, -me, 0);
    }
  }
  return (Atomics.load(i32, LOCK_STATE) & LOCK_OWNER) === me;
}
__name(handedOver, "handedOver");
function leaveHeir(i32, me) {
  heirBusy = false;
  if (Atomics.compareExchange(i32, LOCK_HEIR, me, 0) === me) return false;
  return handedOver(i32, me);
}
__name(leaveHeir, "leaveHeir");
function releaseHeld(i32) {
  const heir = Atomics.load(i32, LOCK_HEIR);
  if (heir > 0) {
    if (!isPidAlive(heir)) {
      Atomics.compareExchange(i32, LOCK_HEIR, heir, 0);
    } else if (Atomics.compareExchange(i32, LOCK_HEIR, heir, -heir) === heir) {
      Atomics.store(i32, LOCK_STATE, heir | LOCK_CONTENDED);
      Atomics.store(i32, LOCK_HEIR, 0);
      Atomics.notify(i32, LOCK_STATE);
      return;
    }
  }
  Atomics.store(i32, LOCK_STATE, 0);
  if (Atomics.load(i32, LOCK_WAITERS) !== 0) {
    Atomics.notify(i32, LOCK_STATE, 1);
  }
}
__name(releaseHeld, "releaseHeld");
function passOn(i32) {
  unflag(i32);
  if (Atomics.load(i32, LOCK_STATE) === 0 && Atomics.load(i32, LOCK_WAITERS) !== 0) {
    Atomics.notify(i32, LOCK_STATE, 1);
  }
}
__name(passOn, "passOn");
function acquireContendedSync(i32, me, timeout) {
  if (Atomics.load(i32, LOCK_STATE) === 0 && Atomics.compareExchange(i32, LOCK_STATE, 0, taken(i32, me, 0)) === 0) return ACQUIRED;
  if (timeout !== 0 && spin(i32, me)) return ACQUIRED;
  const start = performance.now();
  const deadline = start + timeout;
  let heir = false;
  let result = FAILED2;
  Atomics.add(i32, LOCK_WAITERS, 1);
  try {
    while (true) {
      if (heir && handedOver(i32, me)) {
        heir = false;
        heirBusy = false;
        return result = ACQUIRED;
      }
      result = tryTake(i32, me);
      if (result !== FAILED2) return result;
      const now = performance.now();
      const remaining = deadline - now;
      if (remaining <= 0) return FAILED2;
      if (!heir && now - start >= LOCK_STARVE_MS) heir = becomeHeir(i32, me);
      const s = flag(i32);
      if (s === 0) continue;
      parkSync(i32, LOCK_STATE, s, Math.min(remaining, LOCK_SLICE_MS));
    }
  } finally {
    Atomics.sub(i32, LOCK_WAITERS, 1);
    if (heir && leaveHeir(i32, me) && result === FAILED2) releaseHeld(i32);
    if (result === FAILED2) passOn(i32);
  }
}
__name(acquireContendedSync, "acquireContendedSync");
async function acquireContended(i32, me, timeout, signal) {
  if (Atomics.load(i32, LOCK_STATE) === 0 && Atomics.compareExchange(i32, LOCK_STATE, 0, taken(i32, me, 0)) === 0) return ACQUIRED;
  if (timeout !== 0 && spin(i32, me)) return ACQUIRED;
  const start = performance.now();
  const deadline = start + timeout;
  let heir = false;
  let result = FAILED2;
  Atomics.add(i32, LOCK_WAITERS, 1);
  try {
    while (true) {
      if (heir && handedOver(i32, me)) {
        heir = false;
        heirBusy = false;
        return result = ACQUIRED;
      }
      result = tryTake(i32, me);
      if (result !== FAILED2) return result;
      const now = performance.now();
      const remaining = deadline - now;
      if (remaining <= 0) return FAILED2;
      if (!heir && now - start >= LOCK_STARVE_MS) heir = becomeHeir(i32, me);
      const s = flag(i32);
      if (s === 0) continue;
      await park(i32, LOCK_STATE, s, {
        timeout: Math.min(remaining, LOCK_SLICE_MS),
        signal
      });
    }
  } finally {
    Atomics.sub(i32, LOCK_WAITERS, 1);
    if (heir && leaveHeir(i32, me) && result === FAILED2) releaseHeld(i32);
    if (result === FAILED2) passOn(i32);
  }
}
__name(acquireContended, "acquireContended");
var Guard = class {
  static {
    __name(this, "Guard");
  }
  #lock;
  abandoned;
  constructor(lock, abandoned2) {
    this.#lock = lock;
    this.abandoned = abandoned2;
  }
  release() {
    const lock = this.#lock;
    if (lock === null) return;
    this.#lock = null;
    lock.release();
  }
  [Symbol.dispose]() {
    this.release();
  }
};
function makeGuard(lock, abandoned2) {
  return new Guard(lock, abandoned2);
}
__name(makeGuard, "makeGuard");
function lockOptions(what, options, async) {
  if (options === void 0) return {
    timeout: Infinity,
    signal: void 0
  };
  if (typeof options !== "object" || options === null) {
    throw new TypeError(`${what}: options must be an object, received ${describe(options)}`);
  }
  const { timeout, signal } = options;
  const ms = checkTimeout(what, timeout);
  if (async) checkSignal(what, signal);
  return {
    timeout: ms,
    signal: async ? signal : void 0
  };
}
__name(lockOptions, "lockOptions");

// lib/lock.ts
var adopt = null;
var Lock = class {
  static {
    __name(this, "Lock");
  }
  #i32;
  #abandoned = false;
  /**
   * The status word of this thread's Process (`selfStatus()`), read plainly
   * to fence a terminated thread, and this thread's pid: an object never
   * changes threads (crossing rebuilds it on the other side), and a field
   * costs less than a call on the hot path.
   */
  #fence = selfStatus();
  #me = selfProcess().pid;
  /** Creates an unlocked lock in a new `SharedArrayBuffer`. */
  constructor() {
    const buffer = adopt ?? new SharedArrayBuffer(LOCK_INTS * 4);
    adopt = null;
    this.#i32 = new Int32Array(buffer);
  }
  /**
   * Whether the most recent successful acquire through this object took the
   * lock over from a Process that ended while holding it.
   *
   * @example Usage
   * ```ts
   * import { Lock } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   *
   * const lock = new Lock();
   * lock.acquireSync();
   * assert.equal(lock.abandoned, false);
   * lock.release();
   * ```
   */
  get abandoned() {
    return this.#abandoned;
  }
  /**
   * Acquires the lock, waiting without blocking the event loop.
   *
   * @param options `timeout` (ms) and `signal`.
   * @returns `true` once acquired, `false` when `timeout` ran out.
   * @throws {TypeError} If an option has the wrong type.
   * @throws {RangeError} If `timeout` is negative.
   * @throws {ProcessEndedError} If this Process has been terminated.
   *
   * @example Usage
   * ```ts
   * import { Lock } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   *
   * const lock = new Lock();
   * await lock.acquire();
   * assert.equal(await lock.acquire({ timeout: 10 }), false);
   * lock.release();
   * ```
   */
  async acquire(options) {
    const fence = this.#fence;
    if (fence !== null && fence[PROC_STATE] === PROC_STATE_ENDED) throwEnded();
    const me = this.#me;
    if (options === void 0 && Atomics.compareExchange(this.#i32, LOCK_STATE, 0, me) === 0) {
      this.#abandoned = false;
      return true;
    }
    const { timeout, signal } = lockOptions("Cannot acquire lock", options, true);
    signal?.throwIfAborted();
    const result = await acquireContended(this.#i32, me, timeout, signal);
    if (result === FAILED2) return false;
    this.#abandoned = result === ABANDONED;
    return true;
  }
  /**
   * Acquires the lock, parking this thread while it waits. On the main
   * thread this freezes the event loop until the lock is free: prefer
   * {@linkcode Lock.acquire} there.
   *
   * @param options `timeout` (ms).
   * @returns `true` once acquired, `false` when `timeout` ran out.
   * @throws {TypeError} If an option has the wrong type.
   * @throws {RangeError} If `timeout` is negative.
   * @throws {ProcessEndedError} If this Process has been terminated.
   *
   * @example Usage
   * ```ts
   * import { Lock } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   *
   * const lock = new Lock();
   * assert.equal(lock.acquireSync(), true);
   * assert.equal(lock.acquireSync({ timeout: 0 }), false);
   * lock.release();
   * ```
   */
  acquireSync(options) {
    const fence = this.#fence;
    if (fence !== null && fence[PROC_STATE] === PROC_STATE_ENDED) throwEnded();
    const me = this.#me;
    if (options === void 0 && Atomics.compareExchange(this.#i32, LOCK_STATE, 0, me) === 0) {
      this.#abandoned = false;
      return true;
    }
    const { timeout } = lockOptions("Cannot acquire lock", options, false);
    const result = acquireContendedSync(this.#i32, me, timeout);
    if (result === FAILED2) return false;
    this.#abandoned = result === ABANDONED;
    return true;
  }
  /**
   * Releases the lock. Any Process may release it, as in Python.
   *
   * @throws {Error} If the lock is not locked.
   * @throws {ProcessEndedError} If this Process has been terminated.
   *
   * @example Usage
   * ```ts
   * import { Lock } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   *
   * const lock = new Lock();
   * assert.throws(() => lock.release(), Error);
   * ```
   */
  release() {
    const fence = this.#fence;
    if (fence !== null && fence[PROC_STATE] === PROC_STATE_ENDED) throwEnded();
    const i32 = this.#i32;
    const s = i32[LOCK_STATE];
    if (s !== 0 && (s & LOCK_CONTENDED) === 0 && Atomics.compareExchange(i32, LOCK_STATE, s, 0) === s) return;
    if (Atomics.load(i32, LOCK_STATE) === 0) {
      throw new Error("Cannot release lock: it is not locked");
    }
    releaseHeld(i32);
  }
  /**
   * Whether the lock is held by anyone (a snapshot).
   *
   * @returns `true` while some Process holds the lock.
   *
   * @example Usage
   * ```ts
   * import { Lock } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   *
   * const lock = new Lock();
   * assert.equal(lock.locked(), false);
   * ```
   */
  locked() {
    return Atomics.load(this.#i32, LOCK_STATE) !== 0;
  }
  /**
   * Acquires the lock and returns a guard that releases it when disposed:
   * `using _ = await lock.hold();`.
   *
   * @param options `timeout` (ms) and `signal`.
   * @returns The guard; its `abandoned` tells whether the previous holder
   * ended while holding the lock.
   * @throws {TimeoutError} If `timeout` ran out.
   * @throws {TypeError} If an option has the wrong type.
   * @throws {RangeError} If `timeout` is negative.
   *
   * @example Usage
   * ```ts
   * import { Lock } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   *
   * const lock = new Lock();
   * {
   *   using guard = await lock.hold();
   *   assert.equal(guard.abandoned, false);
   *   assert.equal(lock.locked(), true);
   * }
   * assert.equal(lock.locked(), false);
   * ```
   */
  async hold(options) {
    if (!await this.acquire(options)) {
      throw new TimeoutError(`Cannot hold lock: timed out after ${options?.timeout} ms`);
    }
    return makeGuard(this, this.#abandoned);
  }
  /**
   * Acquires the lock, parking this thread, and returns a guard that
   * releases it when disposed: `using _ = lock.holdSync();`.
   *
   * @param options `timeout` (ms).
   * @returns The guard.
   * @throws {TimeoutError} If `timeout` ran out.
   * @throws {TypeError} If an option has the wrong type.
   * @throws {RangeError} If `timeout` is negative.
   *
   * @example Usage
   * ```ts
   * import { Lock } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   *
   * const lock = new Lock();
   * const guard = lock.holdSync();
   * assert.throws(() => lock.holdSync({ timeout: 0 }), { name: "TimeoutError" });
   * guard.release();
   * ```
   */
  holdSync(options) {
    if (!this.acquireSync(options)) {
      throw new TimeoutError(`Cannot hold lock: timed out after ${options?.timeout} ms`);
    }
    return makeGuard(this, this.#abandoned);
  }
  /**
   * The descriptor this lock crosses into a worker as. Internal.
   *
   * @returns The descriptor.
   *
   * @ignore Internal: the shared-object registry calls it.
   */
  [SHARE]() {
    return {
      kind: "Lock",
      module: import.meta.url,
      data: this.#i32.buffer
    };
  }
  /**
   * Custom inspect for `console.log` / `Deno.inspect`.
   *
   * @returns A short description.
   */
  [Symbol.for("Deno.customInspect")]() {
    const owner = Atomics.load(this.#i32, LOCK_STATE) & LOCK_OWNER;
    return owner === 0 ? "Lock { unlocked }" : `Lock { locked by pid ${owner} }`;
  }
};
registerShareable("Lock", (data) => {
  adopt = data;
  return new Lock();
});

// lib/rlock.ts
var adopt2 = null;
var RLock = class {
  static {
    __name(this, "RLock");
  }
  #i32;
  #abandoned = false;
  /**
   * The status word of this thread's Process (`selfStatus()`), read plainly
   * to fence a terminated thread, and this thread's pid: an object never
   * changes threads (crossing rebuilds it on the other side), and a field
   * costs less than a call on the hot path.
   */
  #fence = selfStatus();
  #me = selfProcess().pid;
  /** Creates an unlocked recursive lock in a new `SharedArrayBuffer`. */
  constructor() {
    const buffer = adopt2 ?? new SharedArrayBuffer(LOCK_INTS * 4);
    adopt2 = null;
    this.#i32 = new Int32Array(buffer);
  }
  /**
   * Whether the most recent outermost acquire through this object took the
   * lock over from a Process that ended while holding it.
   *
   * @example Usage
   * ```ts
   * import { RLock } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   *
   * const lock = new RLock();
   * lock.acquireSync();
   * assert.equal(lock.abandoned, false);
   * lock.release();
   * ```
   */
  get abandoned() {
    return this.#abandoned;
  }
  /**
   * Acquires the lock (again, if this Process holds it), waiting without
   * blocking the event loop.
   *
   * @param options `timeout` (ms) and `signal`.
   * @returns `true` once acquired, `false` when `timeout` ran out.
   * @throws {TypeError} If an option has the wrong type.
   * @throws {RangeError} If `timeout` is negative.
   * @throws {ProcessEndedError} If this Process has been terminated.
   *
   * @example Usage
   * ```ts
   * import { RLock } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   *
   * const lock = new RLock();
   * assert.equal(await lock.acquire(), true);
   * assert.equal(await lock.acquire({ timeout: 0 }), true);
   * lock.release();
   * lock.release();
   * ```
   */
  async acquire(options) {
    const fence = this.#fence;
    if (fence !== null && fence[PROC_STATE] === PROC_STATE_ENDED) throwEnded();
    const i32 = this.#i32;
    const me = this.#me;
    if (options === void 0) {
      const s = Atomics.compareExchange(i32, LOCK_STATE, 0, me);
      if (s === 0) {
        this.#abandoned = false;
        return true;
      }
      if ((s & LOCK_OWNER) === me) {
        i32[LOCK_COUNT]++;
        return true;
      }
    }
    const { timeout, signal } = lockOptions("Cannot acquire lock", options, true);
    signal?.throwIfAborted();
    if ((Atomics.load(i32, LOCK_STATE) & LOCK_OWNER) === me) {
      i32[LOCK_COUNT]++;
      return true;
    }
    const result = await acquireContended(i32, me, timeout, signal);
    if (result === FAILED2) return false;
    this.#abandoned = result === ABANDONED;
    return true;
  }
  /**
   * Acquires the lock (again, if this Process holds it), parking this thread
   * while it waits (on the main thread this freezes the event loop).
   *
   * @param options `timeout` (ms).
   * @returns `true` once acquired, `false` when `timeout` ran out.
   * @throws {TypeError} If an option has the wrong type.
   * @throws {RangeError} If `timeout` is negative.
   * @throws {ProcessEndedError} If this Process has been terminated.
   *
   * @example Usage
   * ```ts
   * import { RLock } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   *
   * const lock = new RLock();
   * assert.equal(lock.acquireSync(), true);
   * assert.equal(lock.acquireSync({ timeout: 0 }), true);
   * lock.release();
   * lock.release();
   * assert.equal(lock.locked(), false);
   * ```
   */
  acquireSync(options) {
    const fence = this.#fence;
    if (fence !== null && fence[PROC_STATE] === PROC_STATE_ENDED) throwEnded();
    const i32 = this.#i32;
    const me = this.#me;
    if (options === void 0) {
      const s = Atomics.compareExchange(i32, LOCK_STATE, 0, me);
      if (s === 0) {
        this.#abandoned = false;
        return true;
      }
      if ((s & LOCK_OWNER) === me) {
        i32[LOCK_COUNT]++;
        return true;
      }
    }
    const { timeout } = lockOptions("Cannot acquire lock", options, false);
    if ((Atomics.load(i32, LOCK_STATE) & LOCK_OWNER) === me) {
      i32[LOCK_COUNT]++;
      return true;
    }
    const result = acquireContendedSync(i32, me, timeout);
    if (result === FAILED2) return false;
    this.#abandoned = result === ABANDONED;
    return true;
  }
  /**
   * Releases one level of the lock; the last release frees it.
   *
   * @throws {Error} If this Process does not hold the lock.
   * @throws {ProcessEndedError} If this Process has been terminated.
   *
   * @example Usage
   * ```ts
   * import { RLock } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   *
   * const lock = new RLock();
   * assert.throws(() => lock.release(), /not held by this process/);
   * ```
   */
  release() {
    const fence = this.#fence;
    if (fence !== null && fence[PROC_STATE] === PROC_STATE_ENDED) throwEnded();
    const i32 = this.#i32;
    const me = this.#me;
    const s = i32[LOCK_STATE];
    if ((s & LOCK_OWNER) !== me) {
      throw new Error("Cannot release lock: it is not held by this process");
    }
    const depth = i32[LOCK_COUNT];
    if (depth > 0) {
      i32[LOCK_COUNT] = depth - 1;
      return;
    }
    if (s === me && Atomics.compareExchange(i32, LOCK_STATE, me, 0) === me) {
      return;
    }
    releaseHeld(i32);
  }
  /**
   * Whether the lock is held by anyone (a snapshot).
   *
   * @returns `true` while some Process holds the lock.
   *
   * @example Usage
   * ```ts
   * import { RLock } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   *
   * assert.equal(new RLock().locked(), false);
   * ```
   */
  locked() {
    return Atomics.load(this.#i32, LOCK_STATE) !== 0;
  }
  /**
   * Whether this Process holds the lock.
   *
   * @returns `true` when this Process is the owner.
   *
   * @example Usage
   * ```ts
   * import { RLock } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   *
   * const lock = new RLock();
   * using _ = lock.holdSync();
   * assert.equal(lock.isOwned(), true);
   * ```
   */
  isOwned() {
    return (Atomics.load(this.#i32, LOCK_STATE) & LOCK_OWNER) === this.#me;
  }
  /**
   * Acquires the lock and returns a guard that releases one level when
   * disposed: `using _ = await lock.hold();`.
   *
   * @param options `timeout` (ms) and `signal`.
   * @returns The guard.
   * @throws {TimeoutError} If `timeout` ran out.
   * @throws {TypeError} If an option has the wrong type.
   * @throws {RangeError} If `timeout` is negative.
   *
   * @example Usage
   * ```ts
   * import { RLock } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   *
   * const lock = new RLock();
   * {
   *   using _ = await lock.hold();
   *   assert.equal(lock.isOwned(), true);
   * }
   * assert.equal(lock.locked(), false);
   * ```
   */
  async hold(options) {
    if (!await this.acquire(options)) {
      throw new TimeoutError(`Cannot hold lock: timed out after ${options?.timeout} ms`);
    }
    return makeGuard(this, this.#abandoned);
  }
  /**
   * Acquires the lock, parking this thread, and returns a guard that
   * releases one level when disposed: `using _ = lock.holdSync();`.
   *
   * @param options `timeout` (ms).
   * @returns The guard.
   * @throws {TimeoutError} If `timeout` ran out.
   * @throws {TypeError} If an option has the wrong type.
   * @throws {RangeError} If `timeout` is negative.
   *
   * @example Usage
   * ```ts
   * import { RLock } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   *
   * const lock = new RLock();
   * {
   *   using _ = lock.holdSync();
   *   assert.equal(lock.locked(), true);
   * }
   * assert.equal(lock.locked(), false);
   * ```
   */
  holdSync(options) {
    if (!this.acquireSync(options)) {
      throw new TimeoutError(`Cannot hold lock: timed out after ${options?.timeout} ms`);
    }
    return makeGuard(this, this.#abandoned);
  }
  /**
   * The descriptor this lock crosses into a worker as. Internal.
   *
   * @returns The descriptor.
   *
   * @ignore Internal: the shared-object registry calls it.
   */
  [SHARE]() {
    return {
      kind: "RLock",
      module: import.meta.url,
      data: this.#i32.buffer
    };
  }
  /**
   * Custom inspect for `console.log` / `Deno.inspect`.
   *
   * @returns A short description.
   */
  [Symbol.for("Deno.customInspect")]() {
    const owner = Atomics.load(this.#i32, LOCK_STATE) & LOCK_OWNER;
    return owner === 0 ? "RLock { unlocked }" : `RLock { locked by pid ${owner}, depth ${this.#i32[LOCK_COUNT] + 1} }`;
  }
};
registerShareable("RLock", (data) => {
  adopt2 = data;
  return new RLock();
});

// lib/condition.ts
var reviving2 = null;
var Condition = class _Condition {
  static {
    __name(this, "Condition");
  }
  #i32;
  #lock;
  /**
   * Creates a condition over `lock`, or over a new {@linkcode RLock}.
   *
   * @param lock The lock to use.
   * @throws {TypeError} If `lock` is neither a `Lock` nor an `RLock`.
   */
  constructor(lock) {
    if (reviving2 !== null) {
      this.#i32 = reviving2.i32;
      this.#lock = reviving2.lock;
      reviving2 = null;
      return;
    }
    if (lock !== void 0 && !(lock instanceof Lock) && !(lock instanceof RLock)) {
      throw new TypeError(`Cannot create condition: lock must be a Lock or an RLock, received ${describe(lock)}`);
    }
    this.#lock = lock ?? new RLock();
    this.#i32 = new Int32Array(new SharedArrayBuffer(COND_INTS * 4));
  }
  /**
   * Acquires the underlying lock (see {@linkcode Lock.prototype.acquire}).
   *
   * @param options `timeout` and `signal`.
   * @returns `true` once held, `false` if `timeout` ran out.
   */
  acquire(options) {
    return this.#lock.acquire(options);
  }
  /**
   * Blocking twin of {@linkcode Condition.prototype.acquire}.
   *
   * @param options `timeout`.
   * @returns `true` once held, `false` if `timeout` ran out.
   */
  acquireSync(options) {
    return this.#lock.acquireSync(options);
  }
  /** Releases the underlying lock (one level of an `RLock`). */
  release() {
    this.#lock.release();
  }
  /**
   * Acquires the underlying lock and returns a guard releasing it:
   * `using _ = await cond.hold()`, Python's `with cond:`.
   *
   * @param options `timeout` and `signal`.
   * @returns The guard.
   */
  hold(options) {
    return this.#lock.hold(options);
  }
  /**
   * Blocking twin of {@linkcode Condition.prototype.hold}.
   *
   * @param options `timeout`.
   * @returns The guard.
   */
  holdSync(options) {
    return this.#lock.holdSync(options);
  }
  /**
   * Releases the lock, waits for a notification, and takes the lock back.
   *
   * @param options `timeout` in milliseconds and `signal` to abort.
   * @returns `true` if notified, `false` if `timeout` ran out first.
   * @throws {Error} If the lock is not held by this Process.
   * @throws {TypeError} If `timeout` is not a number or `signal` not an
   * AbortSignal.
   * @throws {RangeError} If `timeout` is negative, or too many callers wait.
   */
  async wait(options) {
    options ??= {};
    const what = "Cannot wait on condition";
    const timeout = checkTimeout(what, options?.timeout);
    const signal = options?.signal;
    checkSignal(what, signal);
    assertLive();
    this.#requireHeld(what);
    signal?.throwIfAborted();
    const slot = this.#register(what);
    const depth = this.#releaseFully();
    let failure = null;
    try {
      const deadline = performance.now() + timeout;
      while (Atomics.load(this.#i32, slot + COND_SLOT_STATE) === COND_WAITING) {
        const remaining = deadline - performance.now();
        if (remaining <= 0) break;
        await park(this.#i32, slot + COND_SLOT_STATE, COND_WAITING, {
          timeout: remaining,
          signal
        });
      }
    } catch (error) {
      failure = {
        error
      };
    }
    await this.#lock.acquire();
    for (let i = 1; i < depth; i++) this.#lock.acquireSync();
    return this.#settle(slot, failure);
  }
  /**
   * Blocking twin of {@linkcode Condition.prototype.wait}. On the main
   * thread this freezes the event loop while it waits.
   *
   * @param options `timeout` in milliseconds.
   * @returns `true` if notified, `false` if `timeout` ran out first.
   * @throws {Error} If the lock is not held by this Process.
   * @throws {TypeError} If `timeout` is not a number.
   * @throws {RangeError} If `timeout` is negative, or too many callers wait.
   */
  waitSync(options) {
    options ??= {};
    const what = "Cannot wait on condition";
    const timeout = checkTimeout(what, options?.timeout);
    assertLive();
    this.#requireHeld(what);
    const slot = this.#register(what);
    const depth = this.#releaseFully();
    let failure = null;
    try {
      const deadline = performance.now() + timeout;
      while (Atomics.load(this.#i32, slot + COND_SLOT_STATE) === COND_WAITING) {
        const remaining = deadline - performance.now();
        if (remaining <= 0) break;
        parkSync(this.#i32, slot + COND_SLOT_STATE, COND_WAITING, remaining);
      }
    } catch (error) {
      failure = {
        error
      };
    }
    for (let i = 0; i < depth; i++) this.#lock.acquireSync();
    return this.#settle(slot, failure);
  }
  /**
   * Waits until `predicate()` is truthy, as Python's `wait_for`: the
   * predicate is called with the lock held, first before any wait and then
   * after each notification.
   *
   * @typeParam T The predicate's result.
   * @param predicate Called with the lock held.
   * @param options `timeout` in milliseconds for the whole call, `signal`.
   * @returns The predicate's last result (falsy when `timeout` ran out).
   * @throws {Error} If the lock is not held by this Process.
   * @throws {TypeError} If `predicate` is not a function.
   */
  async waitFor(predicate, options) {
    options ??= {};
    const what = "Cannot wait on condition";
    checkPredicate(what, predicate);
    const timeout = checkTimeout(what, options?.timeout);
    const signal = options?.signal;
    checkSignal(what, signal);
    const deadline = performance.now() + timeout;
    let result = predicate();
    while (!result) {
      const remaining = deadline - performance.now();
      if (remaining <= 0) break;
      await this.wait({
        timeout: remaining,
        ...signal ? {
          signal
        } : {}
      });
      result = predicate();
    }
    return result;
  }
  /**
   * Blocking twin of {@linkcode Condition.prototype.waitFor}.
   *
   * @typeParam T The predicate's result.
   * @param predicate Called with the lock held.
   * @param options `timeout` in milliseconds for the whole call.
   * @returns The predicate's last result (falsy when `timeout` ran out).
   * @throws {Error} If the lock is not held by this Process.
   * @throws {TypeError} If `predicate` is not a function.
   */
  waitForSync(predicate, options) {
    options ??= {};
    const what = "Cannot wait on condition";
    checkPredicate(what, predicate);
    const timeout = checkTimeout(what, options?.timeout);
    const deadline = performance.now() + timeout;
    let result = predicate();
    while (!result) {
      const remaining = deadline - performance.now();
      if (remaining <= 0) break;
      this.waitSync({
        timeout: remaining
      });
      result = predicate();
    }
    return result;
  }
  /**
   * Wakes up to `n` waiters, longest waiting first. The woken take the lock
   * back only after the caller releases it.
   *
   * @param n How many waiters to wake; `0` wakes none.
   * @throws {Error} If the lock is not held by this Process.
   * @throws {TypeError} If `n` is not a number.
   * @throws {RangeError} If `n` is not a non-negative integer.
   */
  notify(n) {
    if (n === void 0) n = 1;
    const what = "Cannot notify condition";
    if (typeof n !== "number") {
      throw new TypeError(`${what}: n must be a number, received ${describe(n)}`);
    }
    if (!(Number.isInteger(n) || n === Infinity) || n < 0) {
      throw new RangeError(`${what}: n must be a non-negative integer, received ${n}`);
    }
    assertLive();
    this.#requireHeld(what);
    this.#notify(n);
  }
  /**
   * Wakes every waiter.
   *
   * @throws {Error} If the lock is not held by this Process.
   */
  notifyAll() {
    this.notify(Infinity);
  }
  /** A short description, for `console.log`. */
  [Symbol.for("Deno.customInspect")]() {
    let waiting = 0;
    for (let i = 0; i < COND_MAX_WAITERS; i++) {
      const slot = COND_SLOTS + i * COND_SLOT_INTS;
      if (Atomics.load(this.#i32, slot + COND_SLOT_STATE) === COND_WAITING) {
        waiting++;
      }
    }
    return `Condition { lock: ${this.#lock.constructor.name}, locked: ${this.#lock.locked()}, waiting: ${waiting} }`;
  }
  /**
   * Describes the condition for a worker (used by `Process` args).
   *
   * @returns The descriptor; its buffers are shared, not copied.
   *
   * @ignore Internal: the shared-object registry calls it.
   */
  [SHARE]() {
    const data = {
      buffer: this.#i32.buffer,
      lock: this.#lock[SHARE]()
    };
    return {
      kind: "Condition",
      module: import.meta.url,
      data
    };
  }
  #requireHeld(what) {
    const lock = this.#lock;
    const held = lock instanceof RLock ? lock.isOwned() : lock.locked();
    if (!held) {
      throw new Error(`${what}: its lock is not held by this process`);
    }
  }
  /** Releases every level of the lock; returns how many there were. */
  #releaseFully() {
    const lock = this.#lock;
    if (!(lock instanceof RLock)) {
      lock.release();
      return 1;
    }
    let depth = 0;
    while (lock.isOwned()) {
      lock.release();
      depth++;
    }
    return depth;
  }
  /** Takes a waiter slot (with the lock held). */
  #register(what) {
    const i32 = this.#i32;
    const pid = selfProcess().pid;
    lockMutex(i32, COND_MUTEX);
    try {
      for (let i = 0; i < COND_MAX_WAITERS; i++) {
        const slot = COND_SLOTS + i * COND_SLOT_INTS;
        const state = Atomics.load(i32, slot + COND_SLOT_STATE);
        const owner = Atomics.load(i32, slot + COND_SLOT_PID);
        if (state === COND_FREE || !isPidAlive(owner)) {
          if (state === COND_FREE) Atomics.add(i32, COND_COUNT, 1);
          Atomics.store(i32, slot + COND_SLOT_PID, pid);
          Atomics.store(i32, slot + COND_SLOT_TICKET, Atomics.add(i32, COND_TICKET, 1));
          Atomics.store(i32, slot + COND_SLOT_STATE, COND_WAITING);
          return slot;
        }
      }
    } finally {
      unlockMutex(i32, COND_MUTEX);
    }
    throw new RangeError(`${what}: more than ${COND_MAX_WAITERS} callers are waiting`);
  }
  /**
   * Frees a waiter's slot once the lock is held again, and tells whether it
   * was notified. An aborted or failed waiter that had been notified passes
   * the notification on before it throws.
   */
  #settle(slot, failure) {
    const i32 = this.#i32;
    lockMutex(i32, COND_MUTEX);
    const notified = Atomics.load(i32, slot + COND_SLOT_STATE) === COND_NOTIFIED;
    Atomics.store(i32, slot + COND_SLOT_STATE, COND_FREE);
    Atomics.sub(i32, COND_COUNT, 1);
    unlockMutex(i32, COND_MUTEX);
    if (failure !== null) {
      if (notified) this.#notify(1);
      throw failure.error;
    }
    return notified;
  }
  #notify(n) {
    const i32 = this.#i32;
    if (n === 0 || Atomics.load(i32, COND_COUNT) === 0) return;
    const woken = [];
    lockMutex(i32, COND_MUTEX);
    while (woken.length < n) {
      let best = -1;
      let bestTicket = 0;
      for (let i = 0; i < COND_MAX_WAITERS; i++) {
        const slot = COND_SLOTS + i * COND_SLOT_INTS;
        if (Atomics.load(i32, slot + COND_SLOT_STATE) !== COND_WAITING) {
          continue;
        }
        if (!isPidAlive(Atomics.load(i32, slot + COND_SLOT_PID))) {
          Atomics.store(i32, slot + COND_SLOT_STATE, COND_FREE);
          Atomics.sub(i32, COND_COUNT, 1);
          continue;
        }
        const ticket = Atomics.load(i32, slot + COND_SLOT_TICKET);
        if (best < 0 || (ticket - bestTicket | 0) < 0) {
          best = slot;
          bestTicket = ticket;
        }
      }
      if (best < 0) break;
      Atomics.store(i32, best + COND_SLOT_STATE, COND_NOTIFIED);
      woken.push(best);
    }
    unlockMutex(i32, COND_MUTEX);
    for (const slot of woken) Atomics.notify(i32, slot + COND_SLOT_STATE);
  }
  static {
    registerShareable("Condition", (data) => {
      const { buffer, lock } = data;
      reviving2 = {
        i32: new Int32Array(buffer),
        lock: reviveDescriptor(lock)
      };
      return new _Condition();
    });
  }
};
function checkPredicate(what, predicate) {
  if (typeof predicate !== "function") {
    throw new TypeError(`${what}: predicate must be a function, received ${describe(predicate)}`);
  }
}
__name(checkPredicate, "checkPredicate");

// lib/event.ts
var reviving3 = null;
var Event = class _Event {
  static {
    __name(this, "Event");
  }
  #i32;
  /** Creates an event whose flag is down. */
  constructor() {
    if (reviving3 !== null) {
      this.#i32 = reviving3;
      reviving3 = null;
      return;
    }
    this.#i32 = new Int32Array(new SharedArrayBuffer(EVENT_INTS * 4));
  }
  /**
   * Whether the flag is up (Python's `is_set()`).
   *
   * @returns The flag.
   */
  isSet() {
    return (Atomics.load(this.#i32, EVENT_STATE) & 1) === 1;
  }
  /**
   * Raises the flag and wakes every waiter, in every Process. No-op when it
   * is already up.
   */
  set() {
    assertLive();
    const i32 = this.#i32;
    let s = Atomics.load(i32, EVENT_STATE);
    while ((s & 1) === 0) {
      const seen = Atomics.compareExchange(i32, EVENT_STATE, s, s + 2 | 1);
      if (seen === s) {
        Atomics.notify(i32, EVENT_STATE);
        return;
      }
      s = seen;
    }
  }
  /** Lowers the flag. Waiters already released stay released. */
  clear() {
    assertLive();
    Atomics.and(this.#i32, EVENT_STATE, ~1);
  }
  /**
   * Waits until the flag is raised.
   *
   * @param options `timeout` in milliseconds and `signal` to abort.
   * @returns `true` if the flag was up or got raised, `false` if `timeout`
   * ran out first.
   * @throws {TypeError} If `timeout` is not a number or `signal` not an
   * AbortSignal.
   * @throws {RangeError} If `timeout` is negative.
   */
  async wait(options) {
    options ??= {};
    const what = "Cannot wait for event";
    const timeout = checkTimeout(what, options?.timeout);
    const signal = options?.signal;
    checkSignal(what, signal);
    assertLive();
    signal?.throwIfAborted();
    const i32 = this.#i32;
    const s = Atomics.load(i32, EVENT_STATE);
    if ((s & 1) === 1) return true;
    if (timeout === 0) return false;
    const deadline = performance.now() + timeout;
    while (Atomics.load(i32, EVENT_STATE) === s) {
      const remaining = deadline - performance.now();
      if (remaining <= 0) return false;
      await park(i32, EVENT_STATE, s, {
        timeout: remaining,
        signal
      });
    }
    return true;
  }
  /**
   * Blocks the calling thread until the flag is raised. On the main thread
   * this freezes the event loop while it waits.
   *
   * @param options `timeout` in milliseconds.
   * @returns `true` if the flag was up or got raised, `false` if `timeout`
   * ran out first.
   * @throws {TypeError} If `timeout` is not a number.
   * @throws {RangeError} If `timeout` is negative.
   */
  waitSync(options) {
    options ??= {};
    const what = "Cannot wait for event";
    const timeout = checkTimeout(what, options?.timeout);
    assertLive();
    const i32 = this.#i32;
    const s = Atomics.load(i32, EVENT_STATE);
    if ((s & 1) === 1) return true;
    if (timeout === 0) return false;
    if (spinWhileEqual(i32, EVENT_STATE, s)) return true;
    const deadline = performance.now() + timeout;
    while (Atomics.load(i32, EVENT_STATE) === s) {
      const remaining = deadline - performance.now();
      if (remaining <= 0) return false;
      parkSync(i32, EVENT_STATE, s, remaining);
    }
    return true;
  }
  /** A short description, for `console.log`. */
  [Symbol.for("Deno.customInspect")]() {
    return `Event { set: ${this.isSet()} }`;
  }
  /**
   * Describes the event for a worker (used by `Process` args).
   *
   * @returns The descriptor; its buffer is shared, not copied.
   *
   * @ignore Internal: the shared-object registry calls it.
   */
  [SHARE]() {
    return {
      kind: "Event",
      module: import.meta.url,
      data: this.#i32.buffer
    };
  }
  static {
    registerShareable("Event", (data) => {
      reviving3 = new Int32Array(data);
      return new _Event();
    });
  }
};

// lib/_error_wire.ts
function serializeError(error) {
  if (error instanceof Error) {
    const out2 = {
      name: error.name,
      message: error.message
    };
    if (error.stack !== void 0) out2.stack = error.stack;
    return out2;
  }
  return {
    name: "Error",
    message: String(error)
  };
}
__name(serializeError, "serializeError");
var BUILT_IN_ERRORS = {
  Error,
  TypeError,
  RangeError,
  SyntaxError,
  ReferenceError,
  EvalError,
  URIError
};
function builtInErrorClass(name) {
  return Object.hasOwn(BUILT_IN_ERRORS, name) ? BUILT_IN_ERRORS[name] : void 0;
}
__name(builtInErrorClass, "builtInErrorClass");
function deserializeError(error) {
  const Ctor = builtInErrorClass(error.name);
  if (Ctor) {
    const rebuilt = new Ctor(error.message, {
      cause: RemoteError.from(error)
    });
    if (error.stack) rebuilt.stack = error.stack;
    return rebuilt;
  }
  return RemoteError.from(error);
}
__name(deserializeError, "deserializeError");

// lib/pool/wire.ts
var FLAG_STAR = 1;
var FLAG_SHARED = 2;
var FLAG_EACH = 4;

// lib/pool/core.ts
var MAX_INFLIGHT = 2;
var BATCH_CHUNKS = 1024;
var FIRST_BATCH_CHUNKS = 64;
var BATCH_MS = 4;
var LOAD_WAIT_MS = 250;
var BATCH_ITEMS = 1024;
var ChunkState = {
  Queued: 0,
  Dispatched: 1,
  Done: 2,
  Cancelled: 3
};
var workerCounter = 0;
var PoolCore = class {
  static {
    __name(this, "PoolCore");
  }
  size;
  #options;
  #slots = [];
  #queue = [];
  #head = 0;
  /** Chunks in `#queue` from `#head` on (a run counts those not yet cut). */
  #queued = 0;
  #retry = [];
  #fnIds = /* @__PURE__ */ new Map();
  #fnRefs = [];
  #batchId = 0;
  #outstanding = 0;
  #pumpScheduled = false;
  #started = false;
  #stopped = false;
  #broken = null;
  /**
   * Why the pool takes no more chunks once its workers were stopped
   * (terminated, or closed and joined): a chunk queued then would wait for
   * ever.
   */
  #refused = null;
  #idleWaiters = [];
  #rr = 0;
  #initargs = null;
  /** Chunks that may have killed a worker: each runs alone. */
  #suspects = /* @__PURE__ */ new Set();
  /** Stopped workers not yet gone. */
  #exits = /* @__PURE__ */ new Set();
  /** Batches a link may hold unanswered (the transport's, or the default). */
  #inflight;
  /** Encoded items holding lent handles, until their chunk settles. */
  #lent = /* @__PURE__ */ new Set();
  /** How long a chunk takes in a worker, in ms (a running estimate). */
  #chunkMs = null;
  /** The URL of the module the tasks come from by default. */
  #module = null;
  constructor(options) {
    this.#options = options;
    this.size = options.size;
    this.#inflight = options.transport.inflight ?? MAX_INFLIGHT;
  }
  /** Outstanding (queued or running) chunks. */
  get outstanding() {
    return this.#outstanding;
  }
  /** Live workers. */
  get workers() {
    return this.#slots.length;
  }
  /** The pids of the live workers. */
  get pids() {
    return this.#slots.map((slot) => slot.pid);
  }
  /**
   * Validates the initializer's arguments up front. Handles in them (queues,
   * pipe ends) are held by the pool for its workers until it stops.
   */
  encodeInitargs(what) {
    let shared = false;
    const transport = this.#options.transport;
    const value = this.#options.initargs.map((arg, i) => {
      const encoded = transport.encode(arg, what, `initargs[${i}]`);
      shared ||= encoded.shared;
      return encoded.value;
    });
    this.#initargs = {
      value,
      shared
    };
  }
  /** The id of a function (or export name), resolving it once. */
  fnId(what, fn) {
    let id = this.#fnIds.get(fn);
    if (id === void 0) {
      const ref = targetRef(what, fn, this.#options.module);
      id = this.#fnRefs.length;
      this.#fnRefs.push(ref);
      this.#fnIds.set(fn, id);
    }
    return id;
  }
  /**
   * The id of a ready-made reference: a cluster worker host receives its
   * tasks' references whole, for modules other than the core's own.
   */
  refId(ref) {
    const key2 = `${ref.module}\0${ref.name}\0${ref.source ?? ""}`;
    let id = this.#fnIds.get(key2);
    if (id === void 0) {
      id = this.#fnRefs.length;
      this.#fnRefs.push(ref);
      this.#fnIds.set(key2, id);
    }
    return id;
  }
  /**
   * Encodes the items of a chunk: primitives pass as they are; objects are
   * walked for shared objects. Returns the flags to OR into the chunk's.
   * Errors name an item as `${path} ${base + i}`. Handles in the items are
   * lent to the task: held until the chunk is settled, given back at once if
   * an item fails to encode, and at the latest when the pool stops (items
   * encoded for a chunk that was never queued). With `lend` false the
   * caller lends them, by {@linkcode PoolCore.prototype.lend}, in the
   * arrays its chunks will hold.
   */
  encodeItems(what, items, path, base = 0, lend2 = true) {
    const transport = this.#options.transport;
    let flags = 0;
    let i = 0;
    try {
      for (; i < items.length; i++) {
        const item = items[i];
        const type = typeof item;
        if (type === "number" || type === "string" || type === "boolean" || type === "undefined" || type === "bigint" || item === null) continue;
        const encoded = transport.encode(item, what, `${path} ${base + i}`);
        if (encoded.shared) flags |= FLAG_SHARED;
        items[i] = encoded.value;
      }
    } catch (error) {
      if (flags & FLAG_SHARED) releaseShared(items.slice(0, i));
      throw error;
    }
    if (lend2 && flags & FLAG_SHARED) this.#lent.add(items);
    return flags;
  }
  /** Lends the handles in a chunk's items (see `encodeItems`). */
  lend(items) {
    this.#lent.add(items);
  }
  /** Queues a chunk. Fails it at once when the pool is broken or stopped. */
  enqueue(chunk) {
    const refused = this.#broken ?? this.#refused;
    if (refused !== null) {
      chunk.state = ChunkState.Done;
      this.#releaseHandles(chunk);
      chunk.owner.chunkFailed(chunk, refused);
      return;
    }
    this.#queue.push(chunk);
    this.#queued++;
    if (this.#outstanding++ === 0) this.#keepAlive(true);
    this.#schedulePump();
  }
  /**
   * Queues the chunks of a run (items that hold no shared object). Fails
   * them at once when the pool is broken or stopped.
   */
  enqueueRun(run2) {
    if (run2.next >= run2.count) return;
    const refused = this.#broken ?? this.#refused;
    if (refused !== null) {
      for (const chunk of spend(run2)) this.#fail(chunk, refused);
      return;
    }
    this.#queue.push(run2);
    this.#queued += run2.count - run2.next;
    if (this.#outstanding === 0) this.#keepAlive(true);
    this.#outstanding += run2.count - run2.next;
    this.#schedulePump();
  }
  /**
   * Drops the chunks of a run that have not been dispatched, and those of
   * its owner waiting to run again after a crash.
   */
  cancelRun(run2) {
    for (const chunk of this.#retry) {
      if (chunk.owner === run2.owner) this.cancel(chunk);
    }
    const left = run2.count - run2.next;
    if (left <= 0) return;
    run2.next = run2.count;
    this.#queued -= left;
    this.#finished(left);
  }
  /** Removes a chunk that has not been dispatched. Returns whether it was. */
  cancel(chunk) {
    if (chunk.state !== ChunkState.Queued) return false;
    chunk.state = ChunkState.Cancelled;
    this.#releaseHandles(chunk);
    this.#finished();
    return true;
  }
  /**
   * Stops a chunk wherever it is: a queued chunk is dropped (as by
   * `cancel`); a dispatched one fails with `error`, and the worker that
   * holds it is stopped for real (as after a timeout) and replaced, its
   * other chunks going back to the queue. A cluster worker host calls this
   * when a task it runs was cancelled by its client. Returns whether the
   * chunk was stopped (false when it had already settled).
   */
  abort(chunk, error) {
    if (this.cancel(chunk)) return true;
    if (chunk.state !== ChunkState.Dispatched) return false;
    const slot = this.#slots.find((s) => s.inflight.some((batch) => chunksOf(batch).includes(chunk)));
    if (slot === void 0) {
      this.#failOne(chunk, error);
      return true;
    }
    this.#stopBusy(slot, [
      chunk
    ], () => error);
    return true;
  }
  /**
   * Starts every worker now instead of at the first task, as Python's Pool
   * does in its constructor: their start-up then overlaps whatever the
   * program does before its first call. Idle workers keep nothing alive.
   */
  start() {
    if (this.#started || this.#stopped || this.#broken !== null) return;
    assertNotBootstrapping("Cannot create pool");
    this.#start();
    if (this.#broken === null) {
      this.#options.transport.waitLoaded?.(LOAD_WAIT_MS);
    }
  }
  /** Resolves once nothing is queued or running. */
  idle() {
    if (this.#outstanding === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }
  /**
   * Stops every worker at once. Chunks not yet done fail with `reason`.
   * Workers that may be busy are abandoned (their status word is ended so
   * their toolkit calls fail).
   */
  terminate(reason) {
    this.#stopped = true;
    this.#refused ??= reason;
    const inflight = this.#slots.flatMap((slot) => slot.inflight);
    for (const slot of [
      ...this.#slots
    ]) {
      this.#retire(slot, -15, slot.inflight.length > 0);
    }
    for (const batch of inflight) {
      for (const chunk of chunksOf(batch)) this.#failOne(chunk, reason);
    }
    this.#failQueued(reason);
    this.#releaseAll();
  }
  /**
   * Lets idle workers go once every chunk is done, and resolves once they
   * (and every worker stopped before) are gone.
   */
  async shutdown() {
    await this.idle();
    this.#stopped = true;
    this.#refused ??= new Error("Cannot run task: the pool was closed and its workers have exited (joined)");
    for (const slot of [
      ...this.#slots
    ]) this.#retire(slot, 0, false);
    this.#releaseAll();
    while (this.#exits.size > 0) await Promise.all([
      ...this.#exits
    ]);
  }
  /**
   * Gives back the handles held for the workers' initializer, and those of
   * any items never settled.
   */
  #releaseAll() {
    if (this.#initargs?.shared) releaseShared(this.#initargs.value);
    for (const items of this.#lent) releaseShared(items);
    this.#lent.clear();
  }
  /**
   * Gives back the handles lent to a settled chunk's task (the task is over,
   * or will never run).
   */
  #releaseHandles(chunk) {
    if ((chunk.flags & FLAG_SHARED) === 0) return;
    this.#lent.delete(chunk.items);
    releaseShared(chunk.items);
  }
  /** Fails every chunk not yet dispatched. */
  #failQueued(reason) {
    const entries = [
      ...this.#retry,
      ...this.#queue.slice(this.#head)
    ];
    this.#retry = [];
    this.#queue = [];
    this.#head = 0;
    this.#queued = 0;
    for (const entry of entries) {
      if (isRun(entry)) {
        for (const chunk of spend(entry)) this.#failOne(chunk, reason);
      } else this.#failOne(entry, reason);
    }
  }
  #schedulePump() {
    if (this.#pumpScheduled) return;
    this.#pumpScheduled = true;
    queueMicrotask(() => {
      this.#pumpScheduled = false;
      this.#pump();
    });
  }
  #start() {
    this.#started = true;
    for (let i = 0; i < this.size && this.#broken === null; i++) this.#spawn();
  }
  #spawn() {
    try {
      this.#spawnOne();
    } catch (error) {
      this.#breakPool(null, error instanceof Error ? error : new Error(String(error)));
    }
  }
  #spawnOne() {
    const name = `${this.#options.namePrefix}-${++workerCounter}`;
    let slot = null;
    const link = this.#options.transport.start({
      name,
      // Validated with the options (buildCore).
      module: this.#module ??= targetModule("Cannot start pool worker", this.#options.module),
      initializer: this.#options.initializer,
      initargs: this.#initargs?.value ?? [],
      shared: this.#initargs?.shared ?? false
    }, {
      message: /* @__PURE__ */ __name((message) => {
        if (slot !== null) this.#onMessage(slot, message);
      }, "message"),
      lost: /* @__PURE__ */ __name((code, cause) => {
        if (slot === null || slot.gone) return;
        if (slot.ready) this.#lost(slot, code, cause);
        else this.#breakPool(slot, startError(cause, code));
      }, "lost")
    });
    slot = {
      link,
      pid: link.pid,
      inflight: [],
      assigned: 0,
      known: /* @__PURE__ */ new Set(),
      retiring: false,
      gone: false,
      ready: false
    };
    if (this.#outstanding === 0) link.ref(false);
    this.#slots.push(slot);
  }
  #pump() {
    if (this.#stopped || this.#broken !== null) return;
    if (this.#pending() === 0) return;
    if (!this.#started) this.#start();
    if (this.#broken !== null) return;
    const slots = this.#slots;
    const n = slots.length;
    let progress2 = true;
    while (progress2 && this.#pending() > 0) {
      progress2 = false;
      for (let j = 0; j < n; j++) {
        const slot = slots[(this.#rr + j) % n];
        if (slot.retiring || slot.inflight.length >= this.#inflight) continue;
        if (this.#dispatch(slot)) progress2 = true;
        if (this.#pending() === 0) break;
      }
      this.#rr = (this.#rr + 1) % Math.max(1, n);
    }
  }
  #pending() {
    return this.#retry.length + this.#queued;
  }
  /**
   * Takes the next queued chunk (cut from its run), after `#peek()` found
   * one.
   */
  #next() {
    if (this.#retry.length > 0) return this.#retry.shift();
    const entry = this.#queue[this.#head];
    this.#queued--;
    if (!isRun(entry)) {
      this.#advance();
      return entry;
    }
    const chunk = cut(entry);
    if (entry.next === entry.count) this.#advance();
    return chunk;
  }
  /**
   * The next queued chunk, or the run it will be cut from; skips cancelled
   * chunks and spent runs, so that the batch rules see a real one.
   */
  #peek() {
    while (this.#retry.length > 0) {
      const chunk = this.#retry[0];
      if (chunk.state === ChunkState.Queued) return chunk;
      this.#retry.shift();
    }
    while (this.#head < this.#queue.length) {
      const entry = this.#queue[this.#head];
      if (isRun(entry)) {
        if (entry.next < entry.count) return entry;
      } else if (entry.state === ChunkState.Queued) return entry;
      else this.#queued--;
      this.#advance();
    }
    return void 0;
  }
  #advance() {
    if (++this.#head > 4096 && this.#head * 2 > this.#queue.length) {
      this.#queue = this.#queue.slice(this.#head);
      this.#head = 0;
    }
  }
  /** Posts one batch to a slot; returns whether one was posted. */
  #dispatch(slot) {
    const max = this.#options.maxTasksPerChild;
    const chunkMs = this.#chunkMs;
    let room = chunkMs === null ? FIRST_BATCH_CHUNKS : Math.max(1, Math.min(BATCH_CHUNKS, Math.floor(BATCH_MS / Math.max(chunkMs, 1e-6))));
    if (max > 0) {
      room = Math.min(room, max - slot.assigned);
      if (room <= 0) {
        slot.retiring = true;
        if (slot.inflight.length === 0) this.#replace(slot);
        return false;
      }
    }
    const share2 = Math.ceil(this.#pending() / (this.#slots.length * this.#inflight));
    room = Math.max(1, Math.min(room, share2));
    const first = this.#peek();
    if (first === void 0) return false;
    if (isRun(first) && first.timeout === 0) {
      return this.#dispatchRun(slot, first, room);
    }
    const chunks = [];
    const c = [];
    let defs = null;
    let items = 0;
    const suspects = this.#suspects;
    const timed = first.timeout > 0;
    const alone = timed || suspects.size > 0 && suspects.has(first);
    const packs = this.#options.transport.packs === true;
    let each = null;
    while (chunks.length < room && items < BATCH_ITEMS) {
      const next = this.#peek();
      if (next === void 0) break;
      if (chunks.length > 0 && (alone || next.timeout > 0 || suspects.size > 0 && suspects.has(next))) break;
      const chunk = this.#next();
      chunk.state = ChunkState.Dispatched;
      chunks.push(chunk);
      if (packs && chunk.items.length === 1) {
        if (each !== null && c[c.length - 3] === chunk.fn && c[c.length - 2] === (chunk.flags | FLAG_EACH)) each.push(chunk.items[0]);
        else {
          each = [
            chunk.items[0]
          ];
          c.push(chunk.fn, chunk.flags | FLAG_EACH, each);
        }
      } else {
        each = null;
        c.push(chunk.fn, chunk.flags, chunk.items);
      }
      items += chunk.items.length;
      if (!slot.known.has(chunk.fn)) {
        slot.known.add(chunk.fn);
        (defs ??= []).push([
          chunk.fn,
          this.#fnRefs[chunk.fn]
        ]);
      }
      chunk.owner.chunkDispatched?.(chunk);
      if (alone) break;
    }
    if (chunks.length === 0) return false;
    const batch = {
      id: ++this.#batchId,
      chunks,
      span: null,
      count: chunks.length,
      timer: void 0,
      settled: 0
    };
    this.#send(slot, batch, {
      t: "run",
      id: batch.id,
      defs,
      c,
      timed
    });
    return true;
  }
  /**
   * Posts the next chunks of a run as one batch, without a record per
   * chunk: chunks of one item travel as one item list (`FLAG_EACH`) where
   * the transport takes it.
   */
  #dispatchRun(slot, run2, room) {
    const { fn, size, items } = run2;
    const from = run2.next;
    const to = Math.min(run2.count, from + Math.min(room, Math.ceil(BATCH_ITEMS / size)));
    run2.next = to;
    this.#queued -= to - from;
    if (to === run2.count) this.#advance();
    let c;
    if (size === 1 && this.#options.transport.packs === true) {
      c = [
        fn,
        run2.flags | FLAG_EACH,
        items.slice(from, to)
      ];
    } else {
      c = [];
      for (let k = from; k < to; k++) {
        const base = k * size;
        c.push(fn, run2.flags, size === 1 ? [
          items[base]
        ] : items.slice(base, base + size));
      }
    }
    let defs = null;
    if (!slot.known.has(fn)) {
      slot.known.add(fn);
      defs = [
        [
          fn,
          this.#fnRefs[fn]
        ]
      ];
    }
    const batch = {
      id: ++this.#batchId,
      chunks: [],
      span: {
        run: run2,
        from,
        to
      },
      count: to - from,
      timer: void 0,
      settled: 0
    };
    this.#send(slot, batch, {
      t: "run",
      id: batch.id,
      defs,
      c,
      timed: false
    });
    return true;
  }
  #send(slot, batch, message) {
    slot.inflight.push(batch);
    slot.assigned += batch.count;
    try {
      slot.link.send(message);
    } catch (error) {
      slot.inflight.pop();
      slot.assigned -= batch.count;
      const failure = error instanceof Error ? error : new Error(String(error));
      for (const chunk of chunksOf(batch)) this.#failOne(chunk, failure);
    }
  }
  #onMessage(slot, message) {
    if (slot.gone) return;
    switch (message.t) {
      case "ready":
        slot.ready = true;
        break;
      case "part": {
        const batch = slot.inflight[0]?.id === message.id ? slot.inflight[0] : slot.inflight.find((b) => b.id === message.id);
        if (batch === void 0) return;
        this.#settle(batch, message.k, message.r, message.e);
        break;
      }
      case "done": {
        const i = slot.inflight[0]?.id === message.id ? 0 : slot.inflight.findIndex((batch2) => batch2.id === message.id);
        if (i < 0) return;
        const batch = slot.inflight.splice(i, 1)[0];
        if (batch.timer !== void 0) clearTimeout(batch.timer);
        if (message.ms !== void 0 && batch.count > 0) {
          const ms = message.ms / batch.count;
          this.#chunkMs = this.#chunkMs === null ? ms : (this.#chunkMs + ms) / 2;
        }
        this.#settle(batch, batch.count, message.r, message.e);
        if (slot.retiring && slot.inflight.length === 0) this.#replace(slot);
        else if (this.#options.maxTasksPerChild > 0 && slot.assigned >= this.#options.maxTasksPerChild) {
          slot.retiring = true;
          if (slot.inflight.length === 0) this.#replace(slot);
        }
        this.#pump();
        break;
      }
      case "start": {
        const batch = slot.inflight.find((b) => b.id === message.id);
        if (batch === void 0 || batch.timer !== void 0) return;
        const timeout = chunksOf(batch)[0].timeout;
        batch.timer = setTimeout(() => this.#timedOut(slot, batch), timeout);
        break;
      }
      case "crash":
        this.#crashed(slot, message, null);
        break;
      case "initfail":
        this.#breakPool(slot, message.error);
        break;
    }
  }
  /**
   * Settles the chunks of a batch from where the last message left off up
   * to (not including) `to`, from a result message.
   */
  #settle(batch, to, values, errors2) {
    const span = batch.span;
    if (span !== null && errors2 === null && to === batch.count && batch.settled === 0) {
      batch.settled = to;
      span.run.owner.runDone(span.run, span.from, span.to, values);
      this.#finished(to);
      return;
    }
    const chunks = chunksOf(batch);
    const from = batch.settled;
    if (to > from) batch.settled = to;
    let offset = 0;
    let e = 0;
    for (let k = from; k < to; k++) {
      const chunk = chunks[k];
      if (errors2 !== null && e < errors2.length && errors2[e][0] === k) {
        const error = errors2[e][1];
        this.#failOne(chunk, error instanceof Error ? error : deserializeError(error));
        e++;
        continue;
      }
      const n = chunk.items.length;
      if (chunk.state === ChunkState.Dispatched) {
        chunk.state = ChunkState.Done;
        this.#releaseHandles(chunk);
        chunk.owner.chunkDone(chunk, values, offset);
        this.#finished();
      }
      offset += n;
    }
  }
  #failOne(chunk, error) {
    if (chunk.state === ChunkState.Done || chunk.state === ChunkState.Cancelled) {
      return;
    }
    this.#fail(chunk, error);
    this.#finished();
  }
  /** Whether workers keep the program alive: only while there is work. */
  #keepAlive(on2) {
    for (const slot of this.#slots) slot.link.ref(on2);
  }
  #fail(chunk, error) {
    chunk.state = ChunkState.Done;
    this.#releaseHandles(chunk);
    chunk.owner.chunkFailed(chunk, error);
  }
  #finished(n = 1) {
    if ((this.#outstanding -= n) === 0) {
      this.#suspects.clear();
      this.#keepAlive(false);
      this.#notifyIdle();
    }
  }
  #notifyIdle() {
    const waiters = this.#idleWaiters;
    this.#idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
  #crashed(slot, message, cause) {
    if (slot.gone) return;
    const inflight = slot.inflight;
    slot.inflight = [];
    this.#retire(slot, message.code, false);
    const requeue = [];
    for (const batch of inflight) {
      if (batch.timer !== void 0) clearTimeout(batch.timer);
      const chunks = chunksOf(batch);
      if (batch.id !== message.id) {
        requeue.push(...chunks);
        continue;
      }
      this.#settle(batch, message.k, message.r, message.e);
      const held = chunks[message.k];
      if (held !== void 0) {
        const remote = message.error === null ? cause : deserializeError(message.error);
        this.#failOne(held, crashError(slot.pid, message.code, remote));
      }
      requeue.push(...chunks.slice(message.k + 1));
    }
    this.#requeue(requeue);
  }
  /**
   * A worker died without saying which chunk it was running. The chunks of
   * the batch it was running that it did not report finished are in doubt:
   * one alone is the culprit; several run again one per batch.
   */
  #lost(slot, code, cause) {
    const inflight = slot.inflight;
    slot.inflight = [];
    this.#retire(slot, code, false);
    const requeue = [];
    for (let b = 0; b < inflight.length; b++) {
      const batch = inflight[b];
      if (batch.timer !== void 0) clearTimeout(batch.timer);
      if (b > 0) {
        requeue.push(...chunksOf(batch));
        continue;
      }
      const doubt = chunksOf(batch).slice(batch.settled).filter((chunk) => chunk.state === ChunkState.Dispatched);
      if (doubt.length === 1) {
        this.#suspects.delete(doubt[0]);
        this.#failOne(doubt[0], crashError(slot.pid, code, cause));
        continue;
      }
      for (const chunk of doubt) this.#suspects.add(chunk);
      requeue.push(...doubt);
    }
    this.#requeue(requeue);
  }
  /** Puts dispatched chunks back at the front of the queue; replaces the worker. */
  #requeue(chunks) {
    const requeue = chunks.filter((chunk) => chunk.state === ChunkState.Dispatched);
    for (const chunk of requeue) chunk.state = ChunkState.Queued;
    this.#retry = [
      ...requeue,
      ...this.#retry
    ];
    if (!this.#stopped) this.#spawnReplacement();
    this.#pump();
  }
  #timedOut(slot, batch) {
    if (slot.gone) return;
    this.#stopBusy(slot, chunksOf(batch), (chunk) => new TimeoutError(`Cannot finish task: it timed out after ${chunk.timeout} ms; its worker was ${this.#options.transport.name === "thread" ? 'replaced, but a thread busy in synchronous code may still run (Deno cannot stop it): use startMethod: "spawn" for tasks that must really stop' : "killed and replaced"}`));
  }
  /**
   * Stops a worker that may be busy, for real (a timeout, an abort): it is
   * retired and replaced, the `failing` chunks fail with `errorFor(chunk)`,
   * and its other dispatched chunks go back to the front of the queue.
   */
  #stopBusy(slot, failing, errorFor) {
    const inflight = slot.inflight;
    slot.inflight = [];
    this.#retire(slot, -9, true);
    const requeue = [];
    for (const batch of inflight) {
      if (batch.timer !== void 0) clearTimeout(batch.timer);
      for (const chunk of chunksOf(batch)) {
        if (chunk.state !== ChunkState.Dispatched || failing.includes(chunk)) continue;
        chunk.state = ChunkState.Queued;
        requeue.push(chunk);
      }
    }
    for (const chunk of failing) this.#failOne(chunk, errorFor(chunk));
    this.#retry = [
      ...requeue,
      ...this.#retry
    ];
    if (!this.#stopped) this.#spawnReplacement();
    this.#pump();
  }
  #breakPool(slot, error) {
    if (this.#broken !== null) return;
    if (error instanceof Error) {
      this.#broken = error;
    } else {
      const remote = deserializeError(error);
      this.#broken = new Error(`Cannot run task: the pool's initializer failed: ${remote.message}`, {
        cause: remote
      });
    }
    this.#stopped = true;
    const inflight = [
      ...this.#slots
    ].flatMap((s) => s.inflight);
    for (const s of [
      ...this.#slots
    ]) {
      this.#retire(s, s === slot ? 1 : -15, s.inflight.length > 0);
    }
    for (const batch of inflight) {
      if (batch.timer !== void 0) clearTimeout(batch.timer);
      for (const chunk of chunksOf(batch)) this.#failOne(chunk, this.#broken);
    }
    this.#failQueued(this.#broken);
    this.#releaseAll();
  }
  /** The error that broke the pool (a failed initializer), if any. */
  get broken() {
    return this.#broken;
  }
  #replace(slot) {
    this.#retire(slot, 0, false);
    if (!this.#stopped) this.#spawnReplacement();
    this.#pump();
  }
  #spawnReplacement() {
    if (this.#slots.length < this.size) this.#spawn();
  }
  #retire(slot, code, busy) {
    if (slot.gone) return;
    slot.gone = true;
    for (const batch of slot.inflight) {
      if (batch.timer !== void 0) clearTimeout(batch.timer);
    }
    const exit2 = slot.link.stop(code, busy);
    this.#exits.add(exit2);
    exit2.then(() => this.#exits.delete(exit2));
    const i = this.#slots.indexOf(slot);
    if (i >= 0) this.#slots.splice(i, 1);
  }
};
function isRun(entry) {
  return "count" in entry;
}
__name(isRun, "isRun");
function cut(run2) {
  return chunkAt(run2, run2.next++, ChunkState.Queued);
}
__name(cut, "cut");
function spend(run2) {
  const from = run2.next;
  run2.next = run2.count;
  const chunks = [];
  for (let k = from; k < run2.count; k++) {
    chunks.push(chunkAt(run2, k, ChunkState.Queued));
  }
  return chunks;
}
__name(spend, "spend");
function chunkAt(run2, k, state) {
  const base = k * run2.size;
  return {
    fn: run2.fn,
    flags: run2.flags,
    items: run2.size === 1 ? [
      run2.items[base]
    ] : run2.items.slice(base, base + run2.size),
    timeout: run2.timeout,
    owner: run2.owner,
    tag: base,
    state
  };
}
__name(chunkAt, "chunkAt");
function chunksOf(batch) {
  const span = batch.span;
  if (span !== null) {
    batch.span = null;
    for (let k = span.from; k < span.to; k++) {
      batch.chunks.push(chunkAt(span.run, k, ChunkState.Dispatched));
    }
  }
  return batch.chunks;
}
__name(chunksOf, "chunksOf");
function crashError(pid, code, cause) {
  const signal = code < 0 ? ` (signal ${-code})` : "";
  return new WorkerCrashedError(`Worker ${pid} exited with code ${code}${signal} while running a task`, code, cause === null || cause === void 0 ? void 0 : {
    cause
  });
}
__name(crashError, "crashError");
function startError(cause, code) {
  let text = cause instanceof Error ? cause.message : String(cause ?? "");
  text = text.replace(/^Uncaught \(in worker "[^"]*"\)\s*/, "").trim();
  if (text === "") {
    text = `the worker exited with code ${code} before it was ready`;
  }
  const what = `Cannot start pool worker: ${text}`;
  if (cause instanceof Deno.errors.NotCapable || /Requires \S+ access/.test(text)) {
    return new Deno.errors.NotCapable(what, {
      cause
    });
  }
  return new Error(what, {
    cause
  });
}
__name(startError, "startError");
function terminatedError(what) {
  return new CancelledError(`${what}: the pool was terminated`);
}
__name(terminatedError, "terminatedError");

// lib/channel/codec.ts
var TAG_UNDEFINED = 0;
var TAG_NULL = 1;
var TAG_TRUE = 2;
var TAG_FALSE = 3;
var TAG_INT32 = 4;
var TAG_FLOAT64 = 5;
var TAG_STRING = 6;
var TAG_BYTES = 7;
var TAG_JSON = 8;
var TAG_RICH = 9;
var R_UNDEFINED = 0;
var R_NULL = 1;
var R_TRUE = 2;
var R_FALSE = 3;
var R_FLOAT64 = 4;
var R_STRING = 5;
var R_BIGINT = 6;
var R_DATE = 7;
var R_ARRAY = 8;
var R_OBJECT = 9;
var R_MAP = 10;
var R_SET = 11;
var R_ARRAY_BUFFER = 12;
var R_TYPED_ARRAY = 13;
var R_ERROR = 14;
var R_HOLE = 15;
var TYPED_ARRAYS = [
  Int8Array,
  Uint8Array,
  Uint8ClampedArray,
  Int16Array,
  Uint16Array,
  Int32Array,
  Uint32Array,
  Float32Array,
  Float64Array,
  BigInt64Array,
  BigUint64Array
];
var DATA_VIEW_ID = 255;
var encoder = new TextEncoder();
var decoder = new TextDecoder();
var MAX_KEPT_SCRATCH = 1 << 20;
var scratch = new Uint8Array(4096);
var scratchView = new DataView(scratch.buffer);
function ensure(size) {
  if (size <= scratch.length) return;
  let next = scratch.length * 2;
  while (next < size) next *= 2;
  const grown = new Uint8Array(next);
  grown.set(scratch);
  scratch = grown;
  scratchView = new DataView(scratch.buffer);
}
__name(ensure, "ensure");
function encode(value, what = "Cannot encode value") {
  return encodeScratch(value, what).slice();
}
__name(encode, "encode");
function decode(bytes) {
  if (bytes.length === 0) {
    throw new TypeError("Cannot decode value: the encoding is empty");
  }
  const tag = bytes[0];
  switch (tag) {
    case TAG_UNDEFINED:
      return void 0;
    case TAG_NULL:
      return null;
    case TAG_TRUE:
      return true;
    case TAG_FALSE:
      return false;
    case TAG_INT32:
      return bytes[1] | bytes[2] << 8 | bytes[3] << 16 | bytes[4] << 24;
    case TAG_FLOAT64:
      return viewOf(bytes).getFloat64(1, true);
    case TAG_STRING:
      return decodeString(bytes, 1, bytes.length);
    case TAG_BYTES:
      return bytes.slice(1);
    case TAG_JSON:
      return JSON.parse(decodeString(bytes, 1, bytes.length));
    case TAG_RICH: {
      const reader = {
        bytes,
        view: viewOf(bytes),
        offset: 1
      };
      return readNode(reader);
    }
    default:
      throw new TypeError(`Cannot decode value: unknown encoding tag ${tag}`);
  }
}
__name(decode, "decode");
function checkEncodable(value, what, path) {
  if (!isJsonSafe(value, 0)) validate(value, what, path, /* @__PURE__ */ new Set());
}
__name(checkEncodable, "checkEncodable");
function encodeScratch(value, what) {
  if (scratch.length > MAX_KEPT_SCRATCH) {
    scratch = new Uint8Array(4096);
    scratchView = new DataView(scratch.buffer);
  }
  switch (typeof value) {
    case "number": {
      if ((value | 0) === value && (value !== 0 || 1 / value > 0)) {
        scratch[0] = TAG_INT32;
        scratch[1] = value;
        scratch[2] = value >> 8;
        scratch[3] = value >> 16;
        scratch[4] = value >> 24;
        return scratch.subarray(0, 5);
      }
      scratch[0] = TAG_FLOAT64;
      scratchView.setFloat64(1, value, true);
      return scratch.subarray(0, 9);
    }
    case "string": {
      const length = encodeString(value, 1);
      if (length >= 0) {
        scratch[0] = TAG_STRING;
        return scratch.subarray(0, 1 + length);
      }
      const writer = {
        offset: 1
      };
      scratch[0] = TAG_RICH;
      writeNode(writer, value);
      return scratch.subarray(0, writer.offset);
    }
    case "boolean":
      scratch[0] = value ? TAG_TRUE : TAG_FALSE;
      return scratch.subarray(0, 1);
    case "undefined":
      scratch[0] = TAG_UNDEFINED;
      return scratch.subarray(0, 1);
    case "object": {
      if (value === null) {
        scratch[0] = TAG_NULL;
        return scratch.subarray(0, 1);
      }
      if (value instanceof Uint8Array && value.constructor === Uint8Array) {
        ensure(1 + value.length);
        scratch[0] = TAG_BYTES;
        scratch.set(value, 1);
        return scratch.subarray(0, 1 + value.length);
      }
      if (isJsonSafe(value, 0)) {
        const length = encodeString(JSON.stringify(value), 1);
        scratch[0] = TAG_JSON;
        return scratch.subarray(0, 1 + length);
      }
      validate(value, what, "value", /* @__PURE__ */ new Set());
      const writer = {
        offset: 1
      };
      scratch[0] = TAG_RICH;
      writeNode(writer, value);
      return scratch.subarray(0, writer.offset);
    }
    case "bigint": {
      validate(value, what, "value", /* @__PURE__ */ new Set());
      const writer = {
        offset: 1
      };
      scratch[0] = TAG_RICH;
      writeNode(writer, value);
      return scratch.subarray(0, writer.offset);
    }
    default:
      throw new TypeError(`${what}: value of type ${typeof value} cannot be encoded`);
  }
}
__name(encodeScratch, "encodeScratch");
function viewOf(bytes) {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
__name(viewOf, "viewOf");
function encodeString(text, offset) {
  const length = text.length;
  if (length <= 64) {
    ensure(offset + length);
    let i = 0;
    for (; i < length; i++) {
      const code = text.charCodeAt(i);
      if (code >= 128) break;
      scratch[offset + i] = code;
    }
    if (i === length) return length;
  }
  if (!text.isWellFormed()) return -1;
  ensure(offset + length * 3);
  return encoder.encodeInto(text, scratch.subarray(offset)).written;
}
__name(encodeString, "encodeString");
function decodeString(bytes, start, end) {
  const length = end - start;
  if (length <= 32) {
    let text = "";
    for (let i = start; i < end; i++) {
      const code = bytes[i];
      if (code >= 128) return decoder.decode(bytes.subarray(start, end));
      text += String.fromCharCode(code);
    }
    return text;
  }
  return decoder.decode(bytes.subarray(start, end));
}
__name(decodeString, "decodeString");
function isJsonSafe(value, depth) {
  switch (typeof value) {
    case "string":
    case "boolean":
      return true;
    case "number":
      return Number.isFinite(value) && (value !== 0 || 1 / value > 0);
    case "object": {
      if (value === null) return true;
      if (depth > 64) return false;
      if (Array.isArray(value)) {
        const length = value.length;
        for (let i = 0; i < length; i++) {
          if (!isJsonSafe(value[i], depth + 1)) return false;
        }
        return true;
      }
      const proto = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) return false;
      for (const key2 in value) {
        if (!isJsonSafe(value[key2], depth + 1)) {
          return false;
        }
      }
      return true;
    }
    default:
      return false;
  }
}
__name(isJsonSafe, "isJsonSafe");
function hasMethods(proto) {
  while (proto !== null && proto !== Object.prototype) {
    for (const key2 of Reflect.ownKeys(proto)) {
      if (key2 === "constructor") continue;
      const descriptor2 = Object.getOwnPropertyDescriptor(proto, key2);
      if (descriptor2 !== void 0 && (typeof descriptor2.value === "function" || descriptor2.get !== void 0)) return true;
    }
    proto = Object.getPrototypeOf(proto);
  }
  return false;
}
__name(hasMethods, "hasMethods");
function validate(value, what, path, ancestors) {
  switch (typeof value) {
    case "function":
    case "symbol":
      throw new TypeError(`${what}: ${path} of type ${typeof value} cannot be encoded`);
    case "object":
      break;
    default:
      return;
  }
  if (value === null) return;
  if (ancestors.has(value)) {
    throw new TypeError(`${what}: ${path} is a circular reference and cannot be encoded`);
  }
  if (value instanceof Date || value instanceof ArrayBuffer || value instanceof SharedArrayBuffer || ArrayBuffer.isView(value)) return;
  ancestors.add(value);
  try {
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        validate(value[i], what, `${path}[${i}]`, ancestors);
      }
      return;
    }
    if (value instanceof Map) {
      for (const [k, v] of value) {
        validate(k, what, `${path} (a Map key)`, ancestors);
        validate(v, what, `${path}.get(${describeKey(k)})`, ancestors);
      }
      return;
    }
    if (value instanceof Set) {
      for (const v of value) {
        validate(v, what, `${path} (a Set item)`, ancestors);
      }
      return;
    }
    if (value instanceof Error) {
      if ("cause" in value) {
        validate(value.cause, what, `${path}.cause`, ancestors);
      }
      return;
    }
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null && hasMethods(proto)) {
      const name = proto.constructor?.name ?? "object";
      throw new TypeError(`${what}: ${path} of type ${name} cannot be encoded (a class instance with methods)`);
    }
    for (const key2 of Object.keys(value)) {
      validate(value[key2], what, `${path}.${key2}`, ancestors);
    }
  } finally {
    ancestors.delete(value);
  }
}
__name(validate, "validate");
function describeKey(key2) {
  return typeof key2 === "string" ? JSON.stringify(key2) : String(key2);
}
__name(describeKey, "describeKey");
function writeByte(w, byte) {
  ensure(w.offset + 1);
  scratch[w.offset++] = byte;
}
__name(writeByte, "writeByte");
function writeU32(w, n) {
  ensure(w.offset + 4);
  scratchView.setUint32(w.offset, n, true);
  w.offset += 4;
}
__name(writeU32, "writeU32");
var UTF16_FLAG = 2147483648;
function writeString(w, text) {
  const at = w.offset;
  ensure(at + 4);
  const length = encodeString(text, at + 4);
  if (length >= 0) {
    scratchView.setUint32(at, length, true);
    w.offset = at + 4 + length;
    return;
  }
  const units = text.length;
  ensure(at + 4 + units * 2);
  scratchView.setUint32(at, UTF16_FLAG | units, true);
  for (let i = 0; i < units; i++) {
    scratchView.setUint16(at + 4 + i * 2, text.charCodeAt(i), true);
  }
  w.offset = at + 4 + units * 2;
}
__name(writeString, "writeString");
function writeBytes(w, bytes) {
  writeU32(w, bytes.length);
  ensure(w.offset + bytes.length);
  scratch.set(bytes, w.offset);
  w.offset += bytes.length;
}
__name(writeBytes, "writeBytes");
function writeNode(w, value) {
  switch (typeof value) {
    case "undefined":
      writeByte(w, R_UNDEFINED);
      return;
    case "boolean":
      writeByte(w, value ? R_TRUE : R_FALSE);
      return;
    case "number":
      writeByte(w, R_FLOAT64);
      ensure(w.offset + 8);
      scratchView.setFloat64(w.offset, value, true);
      w.offset += 8;
      return;
    case "string":
      writeByte(w, R_STRING);
      writeString(w, value);
      return;
    case "bigint":
      writeByte(w, R_BIGINT);
      writeString(w, value.toString(16));
      return;
    default:
      break;
  }
  if (value === null) {
    writeByte(w, R_NULL);
    return;
  }
  const object = value;
  if (object instanceof Date) {
    writeByte(w, R_DATE);
    ensure(w.offset + 8);
    scratchView.setFloat64(w.offset, object.getTime(), true);
    w.offset += 8;
    return;
  }
  if (Array.isArray(object)) {
    writeByte(w, R_ARRAY);
    writeU32(w, object.length);
    for (let i = 0; i < object.length; i++) {
      if (i in object) writeNode(w, object[i]);
      else writeByte(w, R_HOLE);
    }
    return;
  }
  if (object instanceof Map) {
    writeByte(w, R_MAP);
    writeU32(w, object.size);
    for (const [k, v] of object) {
      writeNode(w, k);
      writeNode(w, v);
    }
    return;
  }
  if (object instanceof Set) {
    writeByte(w, R_SET);
    writeU32(w, object.size);
    for (const v of object) writeNode(w, v);
    return;
  }
  if (object instanceof ArrayBuffer || object instanceof SharedArrayBuffer) {
    writeByte(w, R_ARRAY_BUFFER);
    writeBytes(w, new Uint8Array(object));
    return;
  }
  if (ArrayBuffer.isView(object)) {
    writeByte(w, R_TYPED_ARRAY);
    const id = object instanceof DataView ? DATA_VIEW_ID : TYPED_ARRAYS.indexOf(object.constructor);
    writeByte(w, id < 0 ? 1 : id);
    writeBytes(w, new Uint8Array(object.buffer, object.byteOffset, object.byteLength));
    return;
  }
  if (object instanceof Error) {
    writeByte(w, R_ERROR);
    writeString(w, object.name);
    writeString(w, object.message);
    writeNode(w, object.stack);
    writeNode(w, "cause" in object ? object.cause : void 0);
    return;
  }
  writeByte(w, R_OBJECT);
  const keys = Object.keys(object);
  writeU32(w, keys.length);
  for (const key2 of keys) {
    writeString(w, key2);
    writeNode(w, object[key2]);
  }
}
__name(writeNode, "writeNode");
function readU32(r) {
  const n = r.view.getUint32(r.offset, true);
  r.offset += 4;
  return n;
}
__name(readU32, "readU32");
function readString(r) {
  const length = readU32(r);
  if (length & UTF16_FLAG) {
    const units = length ^ UTF16_FLAG;
    const codes = new Array(units);
    for (let i = 0; i < units; i++) {
      codes[i] = r.view.getUint16(r.offset + i * 2, true);
    }
    r.offset += units * 2;
    let text2 = "";
    for (let i = 0; i < units; i += 8192) {
      text2 += String.fromCharCode(...codes.slice(i, i + 8192));
    }
    return text2;
  }
  const text = decodeString(r.bytes, r.offset, r.offset + length);
  r.offset += length;
  return text;
}
__name(readString, "readString");
function readBytes(r) {
  const length = readU32(r);
  const bytes = r.bytes.slice(r.offset, r.offset + length);
  r.offset += length;
  return bytes;
}
__name(readBytes, "readBytes");
var HOLE = Symbol("hole");
function readNode(r) {
  const tag = r.bytes[r.offset++];
  switch (tag) {
    case R_UNDEFINED:
      return void 0;
    case R_NULL:
      return null;
    case R_TRUE:
      return true;
    case R_FALSE:
      return false;
    case R_FLOAT64: {
      const n = r.view.getFloat64(r.offset, true);
      r.offset += 8;
      return n;
    }
    case R_STRING:
      return readString(r);
    case R_BIGINT: {
      const hex = readString(r);
      return hex.startsWith("-") ? -BigInt(`0x${hex.slice(1)}`) : BigInt(`0x${hex}`);
    }
    case R_DATE: {
      const time = r.view.getFloat64(r.offset, true);
      r.offset += 8;
      return new Date(time);
    }
    case R_ARRAY: {
      const length = readU32(r);
      const array = new Array(length);
      for (let i = 0; i < length; i++) {
        const item = readNode(r);
        if (item !== HOLE) array[i] = item;
      }
      return array;
    }
    case R_HOLE:
      return HOLE;
    case R_MAP: {
      const size = readU32(r);
      const map = /* @__PURE__ */ new Map();
      for (let i = 0; i < size; i++) {
        const key2 = readNode(r);
        map.set(key2, readNode(r));
      }
      return map;
    }
    case R_SET: {
      const size = readU32(r);
      const set = /* @__PURE__ */ new Set();
      for (let i = 0; i < size; i++) set.add(readNode(r));
      return set;
    }
    case R_ARRAY_BUFFER:
      return readBytes(r).buffer;
    case R_TYPED_ARRAY: {
      const id = r.bytes[r.offset++];
      const bytes = readBytes(r);
      if (id === DATA_VIEW_ID) return new DataView(bytes.buffer);
      const Ctor = TYPED_ARRAYS[id] ?? Uint8Array;
      return new Ctor(bytes.buffer, 0, bytes.byteLength / Ctor.BYTES_PER_ELEMENT);
    }
    case R_ERROR: {
      const name = readString(r);
      const message = readString(r);
      const stack = readNode(r);
      const cause = readNode(r);
      const Ctor = builtInErrorClass(name) ?? Error;
      const error = cause === void 0 ? new Ctor(message) : new Ctor(message, {
        cause
      });
      if (error.name !== name) {
        Object.defineProperty(error, "name", {
          value: name,
          writable: true,
          configurable: true
        });
      }
      if (typeof stack === "string") {
        Object.defineProperty(error, "stack", {
          value: stack,
          writable: true,
          configurable: true
        });
      }
      return error;
    }
    case R_OBJECT: {
      const count = readU32(r);
      const object = {};
      for (let i = 0; i < count; i++) {
        const key2 = readString(r);
        const item = readNode(r);
        if (key2 === "__proto__") {
          Object.defineProperty(object, key2, {
            value: item,
            writable: true,
            enumerable: true,
            configurable: true
          });
        } else {
          object[key2] = item;
        }
      }
      return object;
    }
    default:
      throw new TypeError(`Cannot decode value: unknown node tag ${tag}`);
  }
}
__name(readNode, "readNode");

// lib/_permission_flags.ts
var NAMES = [
  "read",
  "write",
  "net",
  "env",
  "sys",
  "run",
  "ffi",
  "import"
];
function neededFor(descriptors) {
  const needed = {
    read: [],
    write: [],
    net: []
  };
  for (const { data } of descriptors) {
    const address = data?.address;
    if (typeof address === "string") {
      needed.read.push(address);
      needed.write.push(address);
      needed.net.push(`unix:${address}`);
    } else if (typeof address === "object" && address !== null && "hostname" in address && "port" in address) {
      needed.net.push(`${address.hostname}:${address.port}`);
    }
  }
  return needed;
}
__name(neededFor, "neededFor");
function mergeNeeded(a, b) {
  return {
    read: [
      ...a.read ?? [],
      ...b.read ?? []
    ],
    write: [
      ...a.write ?? [],
      ...b.write ?? []
    ],
    net: [
      ...a.net ?? [],
      ...b.net ?? []
    ]
  };
}
__name(mergeNeeded, "mergeNeeded");
var SYS_KINDS = [
  "loadavg",
  "hostname",
  "systemMemoryInfo",
  "networkInterfaces",
  "osRelease",
  "osUptime",
  "uid",
  "gid",
  "username",
  "cpus",
  "homedir",
  "statfs",
  "getPriority",
  "setPriority",
  "ca",
  "umask"
];
function granted(descriptor2) {
  try {
    return Deno.permissions.querySync(descriptor2).state === "granted";
  } catch {
    return false;
  }
}
__name(granted, "granted");
function descriptor(name, value) {
  switch (name) {
    case "read":
    case "write":
    case "ffi":
      return {
        name,
        path: value
      };
    case "net":
    case "import":
      return {
        name,
        host: value
      };
    case "env":
      return {
        name,
        variable: value
      };
    case "sys":
      return {
        name,
        kind: value
      };
    case "run":
      return {
        name,
        command: value
      };
  }
}
__name(descriptor, "descriptor");
function pathOf(value) {
  const url = value instanceof URL ? value : value.startsWith("file:") ? new URL(value) : null;
  if (url === null) return value;
  const path = decodeURIComponent(url.pathname);
  return /^\/[A-Za-z]:\//.test(path) ? path.slice(1) : path;
}
__name(pathOf, "pathOf");
function candidates(name, needed) {
  switch (name) {
    case "read":
    case "write": {
      const list = [
        ".",
        ...needed[name] ?? []
      ];
      const main = programMain();
      if (main.startsWith("file:")) list.push(pathOf(new URL(".", main)));
      return list;
    }
    case "net":
      return [
        "127.0.0.1",
        "localhost",
        "0.0.0.0",
        "[::1]",
        ...needed.net ?? []
      ];
    case "sys":
      return SYS_KINDS;
    case "run":
      return [
        Deno.execPath()
      ];
    default:
      return [];
  }
}
__name(candidates, "candidates");
function inherited(name, needed) {
  if (granted({
    name
  })) return true;
  const list = candidates(name, needed).filter((value) => !value.includes(",") && granted(descriptor(name, value)));
  return list.length > 0 ? [
    ...new Set(list)
  ] : null;
}
__name(inherited, "inherited");
function takesUrls(name) {
  return name === "read" || name === "write" || name === "run" || name === "ffi";
}
__name(takesUrls, "takesUrls");
function checkValue(what, name, value) {
  if (value === void 0 || value === "inherit" || typeof value === "boolean") {
    return;
  }
  if (!Array.isArray(value)) {
    throw new TypeError(`${what}: permissions.${name} must be "inherit", a boolean or an array, received ${describe(value)}`);
  }
  for (const item of value) {
    if (typeof item !== "string" && !(takesUrls(name) && item instanceof URL)) {
      throw new TypeError(`${what}: permissions.${name} must list strings${takesUrls(name) ? " or URLs" : ""}, received ${describe(item)}`);
    }
  }
}
__name(checkValue, "checkValue");
function explicit(what, name, value) {
  if (value === void 0 || value === false) return null;
  if (value === true) {
    if (!granted({
      name
    })) {
      throw new Deno.errors.NotCapable(`${what}: permissions.${name} asks for all ${name} access, which this program does not hold; run it with --allow-${name}, or list what the child needs`);
    }
    return true;
  }
  const list = [];
  for (const item of value) {
    const entry = pathOf(item);
    if (entry.includes(",")) {
      throw new TypeError(`${what}: permissions.${name} entry ${JSON.stringify(entry)} contains a comma, which an --allow-${name} flag cannot carry`);
    }
    if (!granted(descriptor(name, entry))) {
      throw new Deno.errors.NotCapable(`${what}: permissions.${name} lists ${JSON.stringify(entry)}, which this program may not access; run it with --allow-${name}=${entry}`);
    }
    list.push(entry);
  }
  return list.length > 0 ? list : null;
}
__name(explicit, "explicit");
function checkPermissions(what, permissions) {
  if (permissions === void 0 || permissions === "inherit" || permissions === "none") {
    return;
  }
  if (typeof permissions !== "object" || permissions === null) {
    throw new TypeError(`${what}: permissions must be "inherit", "none" or an object, received ${describe(permissions)}`);
  }
  const object = permissions;
  for (const key2 of Object.keys(object)) {
    if (!NAMES.includes(key2)) {
      throw new TypeError(`${what}: permissions has an unknown key ${JSON.stringify(key2)}; the keys are ${NAMES.join(", ")}`);
    }
    checkValue(what, key2, object[key2]);
  }
}
__name(checkPermissions, "checkPermissions");
function permissionFlags(what, permissions, needed, always) {
  checkPermissions(what, permissions);
  const grants = /* @__PURE__ */ new Map();
  if (permissions === void 0 || permissions === "inherit") {
    for (const name of NAMES) {
      const grant = inherited(name, needed);
      if (grant !== null) grants.set(name, grant);
    }
  } else if (permissions !== "none") {
    const object = permissions;
    for (const name of NAMES) {
      const value = object[name];
      const grant = value === "inherit" ? inherited(name, needed) : explicit(what, name, value);
      if (grant !== null) grants.set(name, grant);
    }
  }
  const read = grants.get("read");
  if (read !== true && always.read.length > 0) {
    grants.set("read", [
      .../* @__PURE__ */ new Set([
        ...read ?? [],
        ...always.read
      ])
    ]);
  }
  const flags = [];
  for (const [name, grant] of grants) {
    if (grant === true) flags.push(`--allow-${name}`);
    else if (grant.length > 0) flags.push(`--allow-${name}=${grant.join(",")}`);
  }
  return flags;
}
__name(permissionFlags, "permissionFlags");

// lib/spawn/wire.ts
var inheritedConfig;
function setInheritedConfig(path) {
  inheritedConfig = path;
}
__name(setInheritedConfig, "setInheritedConfig");
function getInheritedConfig() {
  return inheritedConfig;
}
__name(getInheritedConfig, "getInheritedConfig");
function stdinMessage(message, what) {
  return encodeScratch(message, what).slice();
}
__name(stdinMessage, "stdinMessage");
var PIPE_BUF = 4096;
var PIECE_HEADER = 8;
var PIECE_MAX = PIPE_BUF - PIECE_HEADER;
var M0 = 255;
var M1 = 254;
var M2 = 109;
var M3 = 112;
var LAST = 1;
function check(flags, lo, hi) {
  return 165 ^ flags ^ lo ^ hi;
}
__name(check, "check");
var piece = new Uint8Array(PIPE_BUF);
piece[0] = M0;
piece[1] = M1;
piece[2] = M2;
piece[3] = M3;
function writeMessage(message, what) {
  forEachPiece(encodeScratch(message, what), writeAllStderr);
}
__name(writeMessage, "writeMessage");
function forEachPiece(body, write2) {
  let at = 0;
  do {
    const n = Math.min(PIECE_MAX, body.length - at);
    const flags = at + n === body.length ? LAST : 0;
    const lo = n & 255;
    const hi = n >> 8;
    piece[4] = flags;
    piece[5] = lo;
    piece[6] = hi;
    piece[7] = check(flags, lo, hi);
    piece.set(body.subarray(at, at + n), PIECE_HEADER);
    write2(piece.subarray(0, PIECE_HEADER + n));
    at += n;
  } while (at < body.length);
}
__name(forEachPiece, "forEachPiece");
function writeAllStderr(bytes) {
  let off = 0;
  while (off < bytes.length) off += Deno.stderr.writeSync(bytes.subarray(off));
}
__name(writeAllStderr, "writeAllStderr");
async function readStdin(onChunk) {
  const buf = new Uint8Array(64 * 1024);
  while (true) {
    let n;
    try {
      n = await Deno.stdin.read(buf);
    } catch {
      n = null;
    }
    if (n === null) return;
    onChunk(buf.subarray(0, n));
  }
}
__name(readStdin, "readStdin");
var TAIL_BYTES = 4096;
var StderrDemux = class {
  static {
    __name(this, "StderrDemux");
  }
  #pending = new Uint8Array(0);
  #message = [];
  #messageBytes = 0;
  #onMessage;
  #onText;
  #tail = new Uint8Array(0);
  /**
   * @param onMessage Called with each whole message's bytes (a view valid
   * during the call).
   * @param onText Called with the child's own output, in order.
   */
  constructor(onMessage, onText) {
    this.#onMessage = onMessage;
    this.#onText = onText;
  }
  /** The last few KiB of the child's own stderr output. */
  get tail() {
    return new TextDecoder().decode(this.#tail);
  }
  /** Feeds bytes read from the child's stderr. */
  push(chunk) {
    let buf = chunk;
    if (this.#pending.length > 0) {
      buf = new Uint8Array(this.#pending.length + chunk.length);
      buf.set(this.#pending);
      buf.set(chunk, this.#pending.length);
      this.#pending = new Uint8Array(0);
    }
    let i = 0;
    const n = buf.length;
    while (i < n) {
      const j = buf.indexOf(M0, i);
      if (j < 0) {
        this.#text(buf.subarray(i));
        return;
      }
      if (j > i) this.#text(buf.subarray(i, j));
      if (n - j < PIECE_HEADER) {
        this.#pending = buf.slice(j);
        return;
      }
      const flags = buf[j + 4];
      const lo = buf[j + 5];
      const hi = buf[j + 6];
      if (buf[j + 1] !== M1 || buf[j + 2] !== M2 || buf[j + 3] !== M3 || buf[j + 7] !== check(flags, lo, hi) || (flags & ~LAST) !== 0) {
        this.#text(buf.subarray(j, j + 1));
        i = j + 1;
        continue;
      }
      const length = lo | hi << 8;
      const end = j + PIECE_HEADER + length;
      if (end > n) {
        this.#pending = buf.slice(j);
        return;
      }
      this.#piece(buf.subarray(j + PIECE_HEADER, end), (flags & LAST) !== 0);
      i = end;
    }
  }
  #piece(payload, last) {
    if (last && this.#message.length === 0) {
      this.#onMessage(payload);
      return;
    }
    this.#message.push(payload.slice());
    this.#messageBytes += payload.length;
    if (!last) return;
    const whole = new Uint8Array(this.#messageBytes);
    let at = 0;
    for (const part of this.#message) {
      whole.set(part, at);
      at += part.length;
    }
    this.#message = [];
    this.#messageBytes = 0;
    this.#onMessage(whole);
  }
  #text(bytes) {
    this.#onText(bytes);
    const keep = Math.min(TAIL_BYTES, this.#tail.length + bytes.length);
    const tail = new Uint8Array(keep);
    const fromBytes = Math.min(keep, bytes.length);
    tail.set(this.#tail.subarray(this.#tail.length - (keep - fromBytes)), 0);
    tail.set(bytes.subarray(bytes.length - fromBytes), keep - fromBytes);
    this.#tail = tail;
  }
  /** Flushes a header-like leftover as text at end of stream. */
  end() {
    if (this.#pending.length > 0) this.#text(this.#pending);
    this.#pending = new Uint8Array(0);
  }
};

// lib/spawn/launch.ts
function spawnDeno(options) {
  const { entry, flags, args = [], stdout, stderr } = options;
  return new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--no-prompt",
      ...flags,
      entry,
      ...args
    ],
    stdin: "piped",
    stdout,
    stderr
  }).spawn();
}
__name(spawnDeno, "spawnDeno");
function checkMaxHeap(what, value, method) {
  if (value === void 0) return void 0;
  if (typeof value !== "number") {
    throw new TypeError(`${what}: maxHeapMb must be a number, received ${describe(value)}`);
  }
  if (!Number.isInteger(value) || value < 8) {
    throw new RangeError(`${what}: maxHeapMb must be an integer of at least 8, received ${value}`);
  }
  if (method !== "spawn") {
    throw new TypeError(`${what}: maxHeapMb needs startMethod "spawn" (a thread's heap cannot be capped)`);
  }
  return value;
}
__name(checkMaxHeap, "checkMaxHeap");
function assertMaySpawn(what) {
  let state;
  try {
    state = Deno.permissions.querySync({
      name: "run",
      command: Deno.execPath()
    }).state;
  } catch {
    return;
  }
  if (state !== "granted") {
    throw new Deno.errors.NotCapable(`${what}: the spawn start method runs Deno itself and needs --allow-run (or --allow-run=${Deno.execPath()})`);
  }
}
__name(assertMaySpawn, "assertMaySpawn");
var CHILD_ENTRY = entryUrl("workers/spawn_child");
var TOOLKIT_DIRS = toolkitDirs();
function childCommand(what, spec) {
  assertNotBootstrapping(what);
  const flags = permissionFlags(what, spec.permissions, spec.needed, {
    read: TOOLKIT_DIRS.filter((dir) => dir.protocol === "file:").map(pathOf)
  });
  const boot2 = {
    role: spec.role,
    name: spec.name,
    parent: {
      ...selfProcess()
    },
    main: programMain(),
    startMethod: chosenStartMethod(),
    config: configFile()
  };
  if (boot2.config !== null) flags.push(`--config=${boot2.config}`);
  if (spec.maxHeapMb !== void 0) {
    flags.push(`--v8-flags=--max-old-space-size=${spec.maxHeapMb}`);
  }
  const imports = [
    `import { start } from ${JSON.stringify(CHILD_ENTRY.href)};`,
    ...[
      ...new Set(spec.modules)
    ].map((url) => `import ${JSON.stringify(url)};`),
    "start();"
  ].join("\n");
  return {
    entry: `data:application/javascript,${encodeURIComponent(imports)}`,
    flags,
    args: [
      JSON.stringify(boot2),
      ...Deno.args
    ]
  };
}
__name(childCommand, "childCommand");
var config;
function configFile() {
  const inherited2 = getInheritedConfig();
  if (inherited2 !== void 0) return inherited2;
  if (config !== void 0) return config;
  config = null;
  const main = programMain();
  if (!main.startsWith("file:")) return config;
  let dir = new URL(".", main);
  while (true) {
    for (const name of [
      "deno.json",
      "deno.jsonc"
    ]) {
      const path = pathOf(new URL(name, dir));
      try {
        if (Deno.permissions.querySync({
          name: "read",
          path
        }).state === "granted" && Deno.statSync(path).isFile) {
          config = path;
          return config;
        }
      } catch {
      }
    }
    const parent = new URL("..", dir);
    if (parent.href === dir.href) return config;
    dir = parent;
  }
}
__name(configFile, "configFile");

// lib/net/frame.ts
var HEADER_BYTES = 4;
var RAW_FLAG = 2147483648;
var encoder2 = new TextEncoder();
var fatalDecoder = new TextDecoder("utf-8", {
  fatal: true
});
var lenientDecoder = new TextDecoder();
function writeUtf8(text, out2, at) {
  const n = text.length;
  if (n < 512) {
    let i = 0;
    for (; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c > 127) break;
      out2[at + i] = c;
    }
    if (i === n) return n;
    return i + encoder2.encodeInto(text.slice(i), out2.subarray(at + i)).written;
  }
  return encoder2.encodeInto(text, out2.subarray(at)).written;
}
__name(writeUtf8, "writeUtf8");
function readUtf8(bytes, fatal) {
  const n = bytes.length;
  if (n < 256) {
    let ascii = true;
    for (let i = 0; i < n; i++) {
      if (bytes[i] > 127) {
        ascii = false;
        break;
      }
    }
    if (ascii) {
      return String.fromCharCode.apply(null, bytes);
    }
  }
  return (fatal ? fatalDecoder : lenientDecoder).decode(bytes);
}
__name(readUtf8, "readUtf8");
function encodeFrame(text) {
  const out2 = new Uint8Array(HEADER_BYTES + text.length * 3);
  const written = writeUtf8(text, out2, HEADER_BYTES);
  new DataView(out2.buffer).setUint32(0, written);
  return out2.subarray(0, HEADER_BYTES + written);
}
__name(encodeFrame, "encodeFrame");
var FrameTooLargeError = class extends Error {
  static {
    __name(this, "FrameTooLargeError");
  }
  /** The announced length. */
  length;
  /** Builds the error. */
  constructor(length, limit) {
    super(`Frame of ${length} bytes exceeds the limit of ${limit} bytes`);
    this.name = "FrameTooLargeError";
    this.length = length;
  }
};
var FrameReader = class {
  static {
    __name(this, "FrameReader");
  }
  #buf = new Uint8Array(64 * 1024);
  #start = 0;
  #end = 0;
  #flagged;
  /** The largest payload accepted; may be changed between frames. */
  limit;
  /** Whether the frame last returned by `next()` had the raw flag. */
  raw = false;
  /**
   * Creates a reader that rejects frames longer than `limit`. A `flagged`
   * reader takes the top bit of each length as {@linkcode RAW_FLAG}.
   */
  constructor(limit, flagged = false) {
    this.limit = limit;
    this.#flagged = flagged;
  }
  /** Bytes received and not yet returned as frames. */
  get buffered() {
    return this.#end - this.#start;
  }
  /** Appends received bytes (copied). */
  push(chunk) {
    const need = this.#end + chunk.length;
    if (need > this.#buf.length) {
      const live3 = this.#end - this.#start;
      if (live3 + chunk.length <= this.#buf.length && this.#start > 0) {
        this.#buf.copyWithin(0, this.#start, this.#end);
      } else {
        let size = this.#buf.length * 2;
        while (size < live3 + chunk.length) size *= 2;
        const next = new Uint8Array(size);
        next.set(this.#buf.subarray(this.#start, this.#end));
        this.#buf = next;
      }
      this.#start = 0;
      this.#end = live3;
    }
    this.#buf.set(chunk, this.#end);
    this.#end += chunk.length;
  }
  /**
   * The payload of the next complete frame (a view valid until the next
   * `push()`), or `null` when more bytes are needed.
   *
   * @throws {FrameTooLargeError} when the announced length is over `limit`.
   */
  next() {
    const avail = this.#end - this.#start;
    if (avail < HEADER_BYTES) {
      if (avail === 0) {
        this.#start = this.#end = 0;
        if (this.#buf.length > KEPT_BUFFER_BYTES) {
          this.#buf = new Uint8Array(64 * 1024);
        }
      }
      return null;
    }
    const b = this.#buf;
    const s = this.#start;
    let length = (b[s] << 24 | b[s + 1] << 16 | b[s + 2] << 8 | b[s + 3]) >>> 0;
    let raw = false;
    if (this.#flagged && length >= RAW_FLAG) {
      raw = true;
      length -= RAW_FLAG;
    }
    if (length > this.limit) throw new FrameTooLargeError(length, this.limit);
    if (avail < HEADER_BYTES + length) return null;
    this.#start = s + HEADER_BYTES + length;
    this.raw = raw;
    return b.subarray(s + HEADER_BYTES, s + HEADER_BYTES + length);
  }
};
var KEPT_BUFFER_BYTES = 1024 * 1024;
function connLink(conn) {
  return {
    read: /* @__PURE__ */ __name((p) => conn.read(p), "read"),
    write: /* @__PURE__ */ __name((p) => conn.write(p), "write"),
    close: /* @__PURE__ */ __name(() => conn.close(), "close")
  };
}
__name(connLink, "connLink");
var FrameWriter = class {
  static {
    __name(this, "FrameWriter");
  }
  #link;
  #buf = new Uint8Array(64 * 1024);
  #spare = new Uint8Array(64 * 1024);
  #end = 0;
  #inFlight = 0;
  #writing = false;
  #scheduled = false;
  #failed = false;
  #deferred;
  #onError;
  #onMoved;
  #flushLater = /* @__PURE__ */ __name(() => {
    this.#scheduled = false;
    if (!this.#writing && this.#end > 0) void this.#flush();
  }, "#flushLater");
  /** Bytes ever queued, and ever written: for `drained()`. */
  #total = 0;
  #written = 0;
  #drainers = [];
  /**
   * Writes to `link`; a failed write is reported once to `onError`. With
   * `deferred`, the first write waits for the end of the current job, so
   * that every frame queued by one synchronous run (say, the answers to
   * all the requests of one read) goes out in one write: on loopback a
   * write costs the sender the receiver's wake-up too, so fewer is cheaper.
   * `onMoved` hears each time the {@linkcode FrameWriter.backlog} went into
   * a write (it is then 0, or the frames `onMoved` itself queued).
   */
  constructor(link, onError, deferred = false, onMoved) {
    this.#link = link;
    this.#onError = onError;
    this.#deferred = deferred;
    this.#onMoved = onMoved;
  }
  /** Bytes queued and not yet written (the write in flight included). */
  get queued() {
    return this.#end + this.#inFlight;
  }
  /**
   * Bytes waiting behind the write in flight: what piles up when the peer
   * stops reading (the write in flight itself may be one large answer).
   */
  get backlog() {
    return this.#end;
  }
  #room(bytes) {
    const at = this.#end;
    if (at + bytes > this.#buf.length) {
      let size = this.#buf.length * 2;
      while (size < at + bytes) size *= 2;
      const next = new Uint8Array(size);
      next.set(this.#buf.subarray(0, at));
      this.#buf = next;
    }
    return at;
  }
  /**
   * Queues one frame holding the UTF-8 of `text`, unless that is longer
   * than `limit` bytes (then nothing is queued). Returns the payload's
   * length in bytes either way.
   */
  sendText(text, limit = Infinity) {
    const at = this.#room(HEADER_BYTES + text.length * 3);
    const buf = this.#buf;
    const n = writeUtf8(text, buf, at + HEADER_BYTES);
    if (n > limit) return n;
    buf[at] = n >>> 24;
    buf[at + 1] = n >>> 16;
    buf[at + 2] = n >>> 8;
    buf[at + 3] = n;
    this.#queue(HEADER_BYTES + n);
    return n;
  }
  /** Queues one frame holding `payload` (copied), with the raw flag if asked. */
  sendBytes(payload, raw = false) {
    const n = payload.length;
    const at = this.#room(HEADER_BYTES + n);
    const buf = this.#buf;
    const length = raw ? n + RAW_FLAG >>> 0 : n;
    buf[at] = length >>> 24;
    buf[at + 1] = length >>> 16;
    buf[at + 2] = length >>> 8;
    buf[at + 3] = length;
    buf.set(payload, at + HEADER_BYTES);
    this.#queue(HEADER_BYTES + n);
  }
  #queue(bytes) {
    this.#end += bytes;
    this.#total += bytes;
    if (this.#writing || this.#scheduled || this.#failed) return;
    if (this.#deferred) {
      this.#scheduled = true;
      queueMicrotask(this.#flushLater);
    } else {
      void this.#flush();
    }
  }
  /**
   * Starts writing what is queued now instead of at the end of the job
   * (a no-op while a write is in flight: the queue goes out after it).
   */
  flush() {
    if (!this.#writing && this.#end > 0 && !this.#failed) void this.#flush();
  }
  /** Resolves once every frame queued so far has been written. */
  drained() {
    if (this.#failed) {
      return Promise.reject(new Deno.errors.BrokenPipe("the link failed"));
    }
    if (this.#written === this.#total) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.#drainers.push({
        upto: this.#total,
        resolve,
        reject
      });
    });
  }
  async #flush() {
    this.#writing = true;
    try {
      while (this.#end > 0 && !this.#failed) {
        const chunk = this.#buf.subarray(0, this.#end);
        this.#buf = this.#spare;
        this.#spare = chunk.buffer.byteLength > KEPT_BUFFER_BYTES ? new Uint8Array(64 * 1024) : new Uint8Array(chunk.buffer);
        this.#inFlight = chunk.length;
        this.#end = 0;
        this.#onMoved?.();
        let off = 0;
        while (off < chunk.length) {
          off += await this.#link.write(off ? chunk.subarray(off) : chunk);
        }
        this.#inFlight = 0;
        this.#written += chunk.length;
        if (this.#drainers.length > 0) this.#settleDrainers();
      }
    } catch (error) {
      this.#failed = true;
      this.#end = 0;
      this.#inFlight = 0;
      for (const d of this.#drainers.splice(0)) d.reject(error);
      this.#onError(error);
    } finally {
      this.#writing = false;
    }
  }
  #settleDrainers() {
    const done = this.#written;
    let i = 0;
    while (i < this.#drainers.length && this.#drainers[i].upto <= done) i++;
    for (const d of this.#drainers.splice(0, i)) d.resolve();
  }
};
function toBase64(bytes) {
  let s = "";
  for (let i = 0; i < bytes.length; i += 32768) {
    s += String.fromCharCode(...bytes.subarray(i, i + 32768));
  }
  return btoa(s);
}
__name(toBase64, "toBase64");
function fromBase64(text) {
  const s = atob(text);
  const out2 = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out2[i] = s.charCodeAt(i);
  return out2;
}
__name(fromBase64, "fromBase64");

// lib/spawn/reaper.ts
var REAPER_URL = entryUrl("workers/spawn_reaper");
var encoder3 = new TextEncoder();
var reaper = null;
var pids = /* @__PURE__ */ new Set();
var persistent = false;
function keepReaper() {
  persistent = true;
}
__name(keepReaper, "keepReaper");
function watchChild(pid) {
  if (reaper === null) {
    try {
      const child = spawnDeno({
        entry: REAPER_URL.href,
        flags: [
          "--allow-run"
        ],
        stdout: "null",
        stderr: "inherit"
      });
      child.unref();
      reaper = {
        child,
        writer: child.stdin.getWriter()
      };
    } catch {
      return;
    }
  }
  pids.add(pid);
  write(`+${pid}
`);
}
__name(watchChild, "watchChild");
function unwatchChild(pid) {
  if (!pids.delete(pid) || reaper === null) return Promise.resolve();
  write(`-${pid}
`);
  if (pids.size > 0 || persistent) return Promise.resolve();
  const { child, writer } = reaper;
  reaper = null;
  writer.close().catch(() => {
  });
  child.ref();
  return child.status.then(() => {
  }, () => {
  });
}
__name(unwatchChild, "unwatchChild");
function write(line) {
  reaper?.writer.write(encoder3.encode(line)).catch(() => {
  });
}
__name(write, "write");
async function runReaper() {
  const live3 = /* @__PURE__ */ new Set();
  const decoder4 = new TextDecoder();
  let text = "";
  await readStdin((bytes) => {
    text += decoder4.decode(bytes, {
      stream: true
    });
    let end;
    while ((end = text.indexOf("\n")) >= 0) {
      const line = text.slice(0, end);
      text = text.slice(end + 1);
      const pid = Number(line.slice(1));
      if (!Number.isInteger(pid) || pid <= 0) continue;
      if (line[0] === "+") live3.add(pid);
      else live3.delete(pid);
    }
  });
  for (const pid of live3) {
    try {
      Deno.kill(pid, "SIGKILL");
    } catch {
    }
  }
  Deno.exit(0);
}
__name(runReaper, "runReaper");

// lib/spawn/link.ts
var STOP_GRACE_MS = 2e3;
var EXIT_DRAIN_MS = 150;
var ChildLink = class {
  static {
    __name(this, "ChildLink");
  }
  /** The child's OS pid. */
  pid;
  /** Settles once the child has exited and its stderr is drained. */
  exited;
  #child;
  #writer;
  #frames;
  #closed = false;
  #gone = false;
  #ref = true;
  #killTimer;
  /**
   * Starts the child.
   *
   * @throws {Deno.errors.NotCapable} Without run permission for Deno.
   */
  constructor(command, events) {
    const child = spawnDeno({
      ...command,
      stdout: "inherit",
      stderr: "piped"
    });
    this.#child = child;
    this.pid = child.pid;
    watchChild(child.pid);
    this.#writer = child.stdin.getWriter();
    const writer = this.#writer;
    const link = {
      read: /* @__PURE__ */ __name(() => Promise.resolve(null), "read"),
      write: /* @__PURE__ */ __name(async (p) => {
        await writer.write(p);
        return p.length;
      }, "write"),
      close: /* @__PURE__ */ __name(() => {
      }, "close")
    };
    this.#frames = new FrameWriter(link, () => {
    });
    const demux = new StderrDemux((bytes) => events.message(decode(bytes)), copyToStderr);
    const reader = child.stderr.getReader();
    const drained = (async () => {
      try {
        while (true) {
          const { done, value } = await reader.read();
          if (done) break;
          demux.push(value);
        }
      } catch {
      }
      demux.end();
    })();
    this.exited = (async () => {
      const status = await child.status;
      await drainWithin(drained, reader, EXIT_DRAIN_MS, this.#ref);
      this.#gone = true;
      if (this.#killTimer !== void 0) clearTimeout(this.#killTimer);
      this.#closeStdin();
      const unwatched = unwatchChild(child.pid);
      try {
        events.exit(exitCode(status), demux.tail);
      } catch {
      }
      await unwatched;
    })();
  }
  /**
   * Sends a message.
   *
   * @throws {TypeError} When it holds a value the codec cannot carry
   * (nothing was sent).
   */
  send(message, what) {
    if (this.#closed) return;
    this.#frames.sendBytes(encodeScratch(message, what));
  }
  /** Sends an already encoded message (see `stdinMessage`). */
  sendEncoded(message) {
    if (!this.#closed) this.#frames.sendBytes(message);
  }
  /**
   * Ends the child: gracefully (its stdin is closed and it exits), or with a
   * signal. A child that is still there after a grace period is killed.
   */
  stop(signal) {
    if (!this.#gone) {
      if (signal !== null) this.kill(signal);
      this.#closeStdin();
      if (signal !== "SIGKILL" && this.#killTimer === void 0) {
        this.#killTimer = setTimeout(() => this.kill("SIGKILL"), STOP_GRACE_MS);
      }
      this.ref(true);
    }
    return this.exited;
  }
  /** Sends the child a signal, unless it is already gone. */
  kill(signal) {
    if (this.#gone) return;
    try {
      this.#child.kill(signal);
    } catch {
    }
  }
  /** Whether the child keeps this program alive. */
  ref(keepAlive) {
    if (this.#ref === keepAlive) return;
    this.#ref = keepAlive;
    if (keepAlive) this.#child.ref();
    else this.#child.unref();
  }
  #closeStdin() {
    if (this.#closed) return;
    this.#closed = true;
    this.#writer.close().catch(() => {
    });
  }
};
async function drainWithin(drained, reader, ms, keepAlive) {
  let timer;
  const late = new Promise((resolve) => {
    timer = setTimeout(resolve, ms);
    if (!keepAlive) Deno.unrefTimer(timer);
  });
  const finished = await Promise.race([
    drained.then(() => true),
    late
  ]);
  clearTimeout(timer);
  if (finished !== true) {
    reader.cancel().catch(() => {
    });
    await drained;
  }
}
__name(drainWithin, "drainWithin");
function exitCode(status) {
  if (status.signal === null) return status.code;
  return status.code > 128 ? -(status.code - 128) : -1;
}
__name(exitCode, "exitCode");
function copyToStderr(bytes) {
  try {
    writeAllStderr(bytes);
  } catch {
  }
}
__name(copyToStderr, "copyToStderr");

// lib/pool/transport_spawn.ts
var SpawnTransport = class {
  static {
    __name(this, "SpawnTransport");
  }
  name = "spawn";
  packs = true;
  #options;
  /** What the values sent so far need (a Manager's socket), for new workers. */
  #needed = {};
  /** Modules of the shared kinds sent so far, loaded by new workers. */
  #modules = /* @__PURE__ */ new Set();
  constructor(options) {
    this.#options = options;
  }
  encode(value, what, path) {
    const encoded = encodeShared(value, what, path, {
      copy: true
    });
    checkEncodable(encoded.value, what, path);
    if (encoded.descriptors.length > 0) this.#adopt(encoded.descriptors);
    return {
      value: encoded.value,
      shared: encoded.shared
    };
  }
  #adopt(descriptors) {
    this.#needed = mergeNeeded(this.#needed, neededFor(descriptors));
    for (const { module } of descriptors) this.#modules.add(module);
  }
  start(spec, events) {
    const what = "Cannot start pool worker";
    assertMaySpawn(what);
    const command = childCommand(what, {
      role: "pool",
      name: spec.name,
      modules: [
        this.#options.module,
        ...this.#modules
      ],
      permissions: this.#options.permissions,
      needed: this.#needed,
      maxHeapMb: this.#options.maxHeapMb
    });
    return new SpawnLink(command, spec, events);
  }
};
var SpawnLink = class {
  static {
    __name(this, "SpawnLink");
  }
  pid;
  #link;
  #stopped = false;
  constructor(command, spec, events) {
    this.#link = new ChildLink(command, {
      message: /* @__PURE__ */ __name((message) => {
        if (!this.#stopped) events.message(message);
      }, "message"),
      exit: /* @__PURE__ */ __name((code, tail) => {
        if (this.#stopped) return;
        this.#stopped = true;
        events.lost(code, deathCause(code, tail));
      }, "exit")
    });
    this.pid = this.#link.pid;
    const init2 = {
      t: "init",
      context: null,
      // The child imported its modules as it started.
      preload: null,
      loaded: null,
      initializer: spec.initializer,
      initargs: spec.initargs,
      shared: spec.shared
    };
    this.#link.send(init2, "Cannot start pool worker");
  }
  send(message) {
    this.#link.send(message, "Cannot run task");
  }
  stop(code, busy) {
    this.#stopped = true;
    const signal = !busy ? null : code === -9 ? "SIGKILL" : "SIGTERM";
    return this.#link.stop(signal);
  }
  ref(keepAlive) {
    this.#link.ref(keepAlive);
  }
};
function deathCause(code, tail) {
  const text = tail.trim();
  if (/out of memory/i.test(text)) {
    return new RangeError(`The worker ran out of memory (exit code ${code})`, {
      cause: new Error(text.slice(-2048))
    });
  }
  return new Error(text === "" ? `exit code ${code}` : text.slice(-2048));
}
__name(deathCause, "deathCause");

// lib/_workers.ts
var live = 0;
var abandoned = 0;
var counted = /* @__PURE__ */ new WeakSet();
var unrefd = /* @__PURE__ */ new WeakSet();
var loaded = false;
var guardTimer;
var quietTicks = 0;
var QUIET_TICKS_TO_EXIT = 10;
if (typeof globalThis.addEventListener === "function") {
  globalThis.addEventListener("load", () => {
    loaded = true;
  });
}
function spawnWorker(url, options) {
  const { name, permissions, onError, what } = options;
  assertNotBootstrapping(what);
  const workerOptions = {
    type: "module"
  };
  if (name !== void 0) workerOptions.name = name;
  if (permissions !== void 0) {
    assertWorkerOptionsEnabled(what);
    workerOptions.deno = {
      permissions
    };
  }
  const worker = new Worker(url, workerOptions);
  worker.addEventListener("error", (event) => {
    event.preventDefault();
    onError?.(event);
  });
  live++;
  counted.add(worker);
  return worker;
}
__name(spawnWorker, "spawnWorker");
var workerRef = (() => {
  if (typeof Worker !== "function") return void 0;
  const proto = Worker.prototype;
  return Object.getOwnPropertySymbols(proto).find((key2) => key2.description === void 0 && typeof proto[key2] === "function" && proto[key2].length === 1);
})();
function setWorkerRef(worker, on2) {
  if (workerRef === void 0) return false;
  worker[workerRef](on2);
  if (counted.has(worker)) {
    if (!on2 && !unrefd.has(worker)) {
      unrefd.add(worker);
      live--;
    } else if (on2 && unrefd.delete(worker)) {
      live++;
    }
  }
  return true;
}
__name(setWorkerRef, "setWorkerRef");
function canUnrefWorkers() {
  return workerRef !== void 0;
}
__name(canUnrefWorkers, "canUnrefWorkers");
function retireWorker(worker, busy) {
  worker.terminate();
  if (!unrefd.delete(worker)) live--;
  counted.delete(worker);
  if (busy) {
    abandoned++;
    startGuard();
  }
}
__name(retireWorker, "retireWorker");
var activeResources;
function startGuard() {
  if (guardTimer !== void 0) return;
  const timer = setInterval(guardTick, 100);
  Deno.unrefTimer(timer);
  guardTimer = timer;
  import("node:process").then(({ default: process }) => {
    activeResources = /* @__PURE__ */ __name(() => process.getActiveResourcesInfo(), "activeResources");
  }, () => {
  });
}
__name(startGuard, "startGuard");
function guardTick() {
  if (live > 0 || abandoned === 0 || !loaded || !mainThreadIsQuiet()) {
    quietTicks = 0;
    return;
  }
  if (++quietTicks >= QUIET_TICKS_TO_EXIT) {
    Deno.exit(Deno.exitCode);
  }
}
__name(guardTick, "guardTick");
function mainThreadIsQuiet() {
  if (activeResources === void 0 || activeResources().length > 0) {
    return false;
  }
  const internal = Deno[Deno.internal];
  const resources = internal?.core?.resources?.();
  if (resources === void 0) return false;
  return Object.values(resources).every((kind) => kind === "stdin" || kind === "stdout" || kind === "stderr");
}
__name(mainThreadIsQuiet, "mainThreadIsQuiet");
function assertWorkerOptionsEnabled(what) {
  let cmdline;
  try {
    if (Deno.permissions.querySync({
      name: "read",
      path: "/proc/self/cmdline"
    }).state !== "granted") return;
    cmdline = Deno.readTextFileSync("/proc/self/cmdline");
  } catch {
    return;
  }
  const args = cmdline.split("\0");
  if (args.includes("--unstable-worker-options") || args.includes("--unstable")) return;
  if (configEnablesWorkerOptions(args)) return;
  throw new TypeError(`${what}: the permissions option needs Deno's --unstable-worker-options flag (or "unstable": ["worker-options"] in deno.json)`);
}
__name(assertWorkerOptionsEnabled, "assertWorkerOptionsEnabled");
function configEnablesWorkerOptions(args) {
  for (const file of configCandidates(args)) {
    try {
      if (Deno.permissions.querySync({
        name: "read",
        path: file
      }).state !== "granted") continue;
      if (/"worker-options"/.test(Deno.readTextFileSync(file))) return true;
    } catch {
    }
  }
  return false;
}
__name(configEnablesWorkerOptions, "configEnablesWorkerOptions");
function configCandidates(args) {
  if (args.includes("--no-config")) return [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if ((arg === "--config" || arg === "-c") && i + 1 < args.length) {
      return [
        args[i + 1]
      ];
    }
    if (arg.startsWith("--config=")) return [
      arg.slice("--config=".length)
    ];
  }
  const dirs = [];
  try {
    dirs.push(Deno.cwd());
  } catch {
  }
  if (Deno.mainModule.startsWith("file:")) {
    dirs.push(decodeURIComponent(new URL(".", Deno.mainModule).pathname));
  }
  const out2 = /* @__PURE__ */ new Set();
  for (const start of dirs) {
    const parts = start.split("/").filter((part) => part !== "");
    for (let n = parts.length; n >= 0; n--) {
      const dir = `/${parts.slice(0, n).join("/")}`.replace(/\/$/, "");
      out2.add(`${dir}/deno.json`);
      out2.add(`${dir}/deno.jsonc`);
    }
  }
  return [
    ...out2
  ];
}
__name(configCandidates, "configCandidates");

// lib/process/status.ts
var PROC_STATE_ENDING = 3;
function newStatus() {
  const status = new Int32Array(new SharedArrayBuffer(PROC_HEADER_INTS * 4 + PROC_ERROR_BYTES));
  Atomics.store(status, PROC_STATE, PROC_STATE_RUNNING);
  return status;
}
__name(newStatus, "newStatus");
function endProcess(status, pid, exitCode2, error) {
  if (Atomics.compareExchange(status, PROC_STATE, PROC_STATE_RUNNING, PROC_STATE_ENDING) !== PROC_STATE_RUNNING) return false;
  Atomics.store(status, PROC_EXITCODE, exitCode2);
  if (error !== void 0) writeError(status, error);
  markPidEnded(pid);
  Atomics.store(status, PROC_STATE, PROC_STATE_ENDED);
  Atomics.notify(status, PROC_STATE);
  return true;
}
__name(endProcess, "endProcess");
function hasEnded(status) {
  return Atomics.load(status, PROC_STATE) === PROC_STATE_ENDED;
}
__name(hasEnded, "hasEnded");
function exitCodeOf(status) {
  return hasEnded(status) ? Atomics.load(status, PROC_EXITCODE) : null;
}
__name(exitCodeOf, "exitCodeOf");
function errorOf(status) {
  if (!hasEnded(status)) return null;
  const length = Atomics.load(status, PROC_ERROR_LENGTH);
  if (length === 0) return null;
  const bytes = new Uint8Array(status.buffer, PROC_HEADER_INTS * 4, length).slice();
  return JSON.parse(new TextDecoder().decode(bytes));
}
__name(errorOf, "errorOf");
function writeError(status, error) {
  const encoder7 = new TextEncoder();
  let bytes = encoder7.encode(JSON.stringify(error));
  for (let chars = PROC_ERROR_BYTES / 4; bytes.length > PROC_ERROR_BYTES; ) {
    const record2 = {
      name: String(error.name).slice(0, 256),
      message: String(error.message).slice(0, Math.min(chars, 1024))
    };
    if (error.stack !== void 0) {
      record2.stack = String(error.stack).slice(0, chars);
    }
    bytes = encoder7.encode(JSON.stringify(record2));
    chars = Math.max(1024, chars >> 1);
  }
  new Uint8Array(status.buffer, PROC_HEADER_INTS * 4, bytes.length).set(bytes);
  Atomics.store(status, PROC_ERROR_LENGTH, bytes.length);
}
__name(writeError, "writeError");
function stateOf(status) {
  return Atomics.load(status, PROC_STATE);
}
__name(stateOf, "stateOf");

// lib/pool/transport_thread.ts
var WORKER_URL = entryUrl("workers/pool_worker");
var ThreadTransport = class {
  static {
    __name(this, "ThreadTransport");
  }
  name = "thread";
  packs = true;
  #permissions;
  /** How many workers have loaded their task module (they count it here). */
  #loaded = new Int32Array(new SharedArrayBuffer(4));
  #started = 0;
  constructor(permissions) {
    this.#permissions = permissions;
  }
  encode(value, what, path) {
    return encodeShared(value, what, path);
  }
  start(spec, events) {
    const link = new ThreadLink(spec, events, this.#permissions, this.#loaded);
    this.#started++;
    return link;
  }
  waitLoaded(ms) {
    const deadline = performance.now() + ms;
    while (true) {
      const loaded2 = Atomics.load(this.#loaded, 0);
      if (loaded2 >= this.#started) return;
      const left = deadline - performance.now();
      if (left <= 0) return;
      Atomics.wait(this.#loaded, 0, loaded2, left);
    }
  }
};
var ThreadLink = class {
  static {
    __name(this, "ThreadLink");
  }
  pid;
  #worker;
  #status;
  #stopped = false;
  #ref = true;
  constructor(spec, events, permissions, loaded2) {
    this.#worker = spawnWorker(WORKER_URL, {
      name: spec.name,
      permissions,
      what: "Cannot start pool worker",
      onError: /* @__PURE__ */ __name((event) => {
        if (!this.#stopped) {
          events.lost(1, event.error ?? new Error(event.message));
        }
      }, "onError")
    });
    this.pid = allocatePid();
    this.#status = newStatus();
    this.#worker.onmessage = (event) => {
      if (!this.#stopped) events.message(event.data);
    };
    const init2 = {
      t: "init",
      context: {
        ...programInit(),
        table: processTable().buffer,
        self: {
          name: spec.name,
          pid: this.pid
        },
        parent: {
          ...selfProcess()
        },
        status: this.#status.buffer
      },
      preload: spec.module,
      loaded: loaded2.buffer,
      initializer: spec.initializer,
      initargs: spec.initargs,
      shared: spec.shared
    };
    this.#worker.postMessage(init2);
  }
  send(message) {
    try {
      this.#worker.postMessage(message);
    } catch (error) {
      throw new TypeError(`Cannot run task: an argument cannot be sent to a worker: ${error instanceof Error ? error.message : String(error)}`, {
        cause: error
      });
    }
  }
  stop(code, busy) {
    if (this.#stopped) return Promise.resolve();
    this.#stopped = true;
    endProcess(this.#status, this.pid, code);
    this.#worker.onmessage = null;
    retireWorker(this.#worker, busy);
    return Promise.resolve();
  }
  ref(keepAlive) {
    if (this.#stopped || this.#ref === keepAlive) return;
    this.#ref = keepAlive;
    setWorkerRef(this.#worker, keepAlive);
  }
};

// lib/process/wire.ts
var ExitSignal = class {
  static {
    __name(this, "ExitSignal");
  }
  /** The exit code asked for. */
  code;
  /** Creates the signal. */
  constructor(code) {
    this.code = code;
  }
};
var finishHook = null;
var finishListeners = [];
function setFinishHook(hook) {
  finishHook = hook;
}
__name(setFinishHook, "setFinishHook");
function runFinishListeners() {
  for (const listener of finishListeners) {
    try {
      listener();
    } catch {
    }
  }
}
__name(runFinishListeners, "runFinishListeners");
function onSelfFinish(listener) {
  finishListeners.push(listener);
}
__name(onSelfFinish, "onSelfFinish");
function finishSelf(code) {
  if (finishHook === null) return false;
  finishHook(code);
  return true;
}
__name(finishSelf, "finishSelf");

// lib/process/spawn.ts
var BROKER_URL = entryUrl("workers/process_broker");
var broker = null;
var brokerRef = true;
var nextId = 0;
var handles = /* @__PURE__ */ new Map();
var keepingAlive = 0;
function startSpawned(command, frame, handle) {
  const worker = getBroker();
  const id = ++nextId;
  handles.set(id, handle);
  if (handle.keepAlive) keepingAlive++;
  updateRef();
  const request = {
    t: "spawn",
    id,
    command,
    frame,
    status: handle.status.buffer
  };
  worker.postMessage(request, [
    frame.buffer
  ]);
  return id;
}
__name(startSpawned, "startSpawned");
function assertBrokerLoadable(what) {
  if (broker !== null) return;
  for (const url of [
    BROKER_URL,
    new URL(import.meta.url)
  ]) {
    if (url.protocol !== "file:") continue;
    const path = pathOf(url);
    if (Deno.permissions.querySync({
      name: "read",
      path
    }).state !== "granted") {
      const dirs = toolkitDirs().filter((dir) => dir.protocol === "file:").map(pathOf).join(",");
      throw new Deno.errors.NotCapable(`${what}: the spawn start method starts its children from a worker of the toolkit's own modules, which this program may not read (${path}); run it with --allow-read=${dirs}`);
    }
  }
}
__name(assertBrokerLoadable, "assertBrokerLoadable");
function signalSpawned(id, signal) {
  if (broker === null || !handles.has(id)) return;
  const request = {
    t: "kill",
    id,
    signal
  };
  broker.postMessage(request);
}
__name(signalSpawned, "signalSpawned");
function getBroker() {
  if (broker !== null) return broker;
  const worker = new Worker(BROKER_URL, {
    type: "module",
    name: "process broker"
  });
  broker = worker;
  brokerRef = true;
  worker.addEventListener("error", (event) => {
    event.preventDefault();
    brokerFailed(event.error ?? new Error(event.message));
  });
  worker.onmessage = (event) => {
    const message = event.data;
    const handle = handles.get(message.id);
    if (handle === void 0) return;
    if (message.t === "started") handle.started();
    else if (message.t === "failed") handle.failed(message.error);
    else finish(message.id, handle);
  };
  return worker;
}
__name(getBroker, "getBroker");
function finish(id, handle) {
  handles.delete(id);
  if (handle.keepAlive) keepingAlive--;
  handle.exited();
  updateRef();
}
__name(finish, "finish");
function updateRef() {
  if (broker === null) return;
  const want = keepingAlive > 0;
  if (canUnrefWorkers()) {
    if (brokerRef !== want) {
      brokerRef = want;
      setWorkerRef(broker, want);
    }
  } else if (handles.size === 0) {
    broker.terminate();
    broker = null;
  }
}
__name(updateRef, "updateRef");
function brokerFailed(cause) {
  const error = serializeError(new Error("Cannot run process: the broker of spawned processes failed", {
    cause
  }));
  const worker = broker;
  broker = null;
  worker?.terminate();
  for (const [id, handle] of [
    ...handles
  ]) {
    endProcess(handle.status, 0, 1, error);
    handle.failed(error);
    finish(id, handle);
  }
}
__name(brokerFailed, "brokerFailed");

// lib/process/spare.ts
var spare = null;
var LAZY_ENTRY = new URL("data:application/javascript," + encodeURIComponent("self.onmessage = (event) => { self.onmessage = null; import(self.name).then(() => self.onmessage(event)); };"));
var scheduled = false;
var starts = 0;
function takeSpare(onError) {
  const taken2 = spare;
  if (taken2 === null) return null;
  spare = null;
  taken2.owner.onError = onError;
  setWorkerRef(taken2.worker, true);
  return taken2.worker;
}
__name(takeSpare, "takeSpare");
function prepareSpare(url, alone) {
  if (++starts < 2 || !alone || spare !== null || scheduled || !canUnrefWorkers()) return;
  scheduled = true;
  const timer = setTimeout(() => {
    scheduled = false;
    if (spare !== null) return;
    const owner = {
      onError: null
    };
    let worker;
    try {
      worker = spawnWorker(LAZY_ENTRY, {
        name: url.href,
        what: "Cannot start process",
        onError: /* @__PURE__ */ __name((event) => {
          if (owner.onError !== null) return owner.onError(event);
          if (spare?.worker === worker) {
            spare = null;
            retireWorker(worker, false);
          }
        }, "onError")
      });
    } catch {
      return;
    }
    setWorkerRef(worker, false);
    spare = {
      worker,
      owner
    };
  }, 0);
  Deno.unrefTimer(timer);
}
__name(prepareSpare, "prepareSpare");
function dropSpare() {
  const dropped = spare;
  if (dropped === null) return;
  spare = null;
  retireWorker(dropped.worker, false);
}
__name(dropSpare, "dropSpare");

// lib/process.ts
var WORKER_URL2 = entryUrl("workers/process_worker");
var children = /* @__PURE__ */ new Set();
var nameCounter = 0;
onSelfFinish(() => {
  for (const child of children) {
    if (child.isAlive()) child.terminate();
  }
  dropSpare();
});
var Process = class {
  static {
    __name(this, "Process");
  }
  #name;
  #daemon;
  #target;
  #args;
  #permissions;
  #startMethod;
  #maxHeapMb;
  #status = null;
  #pid = null;
  #worker = null;
  /** A spawned Process's id at its broker; 0 for a thread. */
  #spawnId = 0;
  #closed = false;
  #started = null;
  /**
   * Creates a process; it runs once {@linkcode Process.prototype.start} is
   * called.
   *
   * @param options What to run and how.
   * @throws {TypeError} If `target`, `args`, `name`, `daemon`, `module`,
   * `permissions` or `startMethod` has the wrong type.
   */
  constructor(options) {
    const what = "Cannot create process";
    if (typeof options !== "object" || options === null) {
      throw new TypeError(`${what}: options must be an object with a target, received ${describe(options)}`);
    }
    const { target, args = [], name, daemon = false, module, permissions, startMethod, maxHeapMb } = options;
    if (target === void 0) {
      throw new TypeError(`${what}: options.target is required`);
    }
    this.#target = targetRef(what, target, module);
    if (!Array.isArray(args)) {
      throw new TypeError(`${what}: args must be an array, received ${describe(args)}`);
    }
    if (name !== void 0 && typeof name !== "string") {
      throw new TypeError(`${what}: name must be a string, received ${describe(name)}`);
    }
    if (typeof daemon !== "boolean") {
      throw new TypeError(`${what}: daemon must be a boolean, received ${describe(daemon)}`);
    }
    checkPermissions(what, permissions);
    if (startMethod !== void 0) resolveStartMethod(what, startMethod);
    if (maxHeapMb !== void 0) {
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
  get name() {
    return this.#name;
  }
  /** Whether the process is daemonic (see {@linkcode ProcessOptions.daemon}). */
  get daemon() {
    return this.#daemon;
  }
  /**
   * Sets the daemon flag; only before `start()`, as in Python.
   *
   * @throws {Error} If the process has been started.
   */
  set daemon(value) {
    if (this.#status !== null) {
      throw new Error("Cannot set daemon: the process has already been started");
    }
    if (typeof value !== "boolean") {
      throw new TypeError(`Cannot set daemon: value must be a boolean, received ${describe(value)}`);
    }
    this.#daemon = value;
  }
  /**
   * Unique id of the started process, `null` before `start()`: a spawned
   * Process's OS pid, a thread Process's toolkit pid (see
   * {@linkcode ProcessInfo.pid}). Reading a spawned Process's pid right
   * after `start()` waits the few milliseconds its child takes to exist.
   */
  get pid() {
    if (this.#pid === null && this.#spawnId !== 0) {
      this.#pid = osPid(this.#status);
    }
    return this.#pid;
  }
  /**
   * `null` while running (or before start), `0` after the target returned,
   * `1` after it threw or rejected, `n` after `exit(n)`, `-15` after
   * `terminate()`, `-9` after `kill()`.
   */
  get exitcode() {
    return this.#status === null ? null : exitCodeOf(this.#status);
  }
  /**
   * The error that ended the process (exit code 1), rebuilt with its name,
   * message and the worker's stack; `null` otherwise.
   */
  get error() {
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
  start() {
    const what = "Cannot start process";
    assertLive();
    if (this.#closed) throw new Error(`${what}: the process is closed`);
    if (this.#status !== null) {
      throw new Error(`${what}: a process can only be started once`);
    }
    const method = resolveStartMethod(what, this.#startMethod);
    if (method === "spawn") return this.#startSpawned(what);
    if (this.#maxHeapMb !== void 0) {
      checkMaxHeap(what, this.#maxHeapMb, method);
    }
    const pid = allocatePid();
    let shared = false;
    let args;
    try {
      args = this.#args.map((arg, i) => {
        const encoded = encodeShared(arg, what, `argument ${i}`, {
          owner: pid
        });
        shared ||= encoded.shared;
        return encoded.value;
      });
    } catch (error) {
      markPidEnded(pid);
      throw error;
    }
    let resolveStarted;
    let rejectStarted;
    const started = new Promise((resolve, reject) => {
      resolveStarted = resolve;
      rejectStarted = reject;
    });
    started.catch(() => {
    });
    const onError = /* @__PURE__ */ __name((event) => {
      if (status !== null && pid !== null) {
        endProcess(status, pid, 1, serializeError(event.error ?? new Error(event.message)));
      }
      rejectStarted(this.error ?? new Error(`${what}: the worker failed to start`));
      this.#release(false);
    }, "onError");
    let worker;
    const plain = this.#permissions === void 0;
    try {
      worker = (plain ? takeSpare(onError) : null) ?? spawnWorker(WORKER_URL2, {
        name: this.#name,
        permissions: this.#permissions,
        what,
        onError
      });
    } catch (error) {
      markPidEnded(pid);
      throw error;
    }
    if (plain) {
      let alone = true;
      for (const child of children) if (child.isAlive()) alone = false;
      prepareSpare(WORKER_URL2, alone);
    }
    const status = newStatus();
    this.#pid = pid;
    this.#status = status;
    this.#worker = worker;
    this.#started = started;
    children.add(this);
    worker.onmessage = (event) => {
      const message = event.data;
      if (message.type === "started") resolveStarted();
      else if (message.type === "failed") {
        rejectStarted(deserializeError(message.error));
      } else if (message.type === "exit") {
        resolveStarted();
        this.#release(false);
      }
    };
    const start = {
      type: "start",
      target: this.#target,
      args,
      shared,
      context: {
        ...programInit(),
        table: processTable().buffer,
        self: {
          name: this.#name,
          pid
        },
        parent: {
          ...selfProcess()
        },
        status: status.buffer
      }
    };
    try {
      worker.postMessage(start);
    } catch (error) {
      endProcess(status, pid, 1, serializeError(error));
      this.#release(false);
      throw new TypeError(`${what}: an argument cannot be sent to a worker: ${error instanceof Error ? error.message : String(error)}`, {
        cause: error
      });
    }
    return started;
  }
  #startSpawned(what) {
    let shared = false;
    const descriptors = [];
    const args = this.#args.map((arg, i) => {
      const encoded = encodeShared(arg, what, `args[${i}]`, {
        copy: true
      });
      checkEncodable(encoded.value, what, `args[${i}]`);
      shared ||= encoded.shared;
      descriptors.push(...encoded.descriptors);
      return encoded.value;
    });
    assertMaySpawn(what);
    assertBrokerLoadable(what);
    const maxHeapMb = this.#maxHeapMb === void 0 ? void 0 : checkMaxHeap(what, this.#maxHeapMb, "spawn");
    const command = childCommand(what, {
      role: "process",
      name: this.#name,
      modules: [
        this.#target.module,
        ...descriptors.map((descriptor2) => descriptor2.module)
      ],
      permissions: this.#permissions,
      needed: neededFor(descriptors),
      maxHeapMb
    });
    const start = {
      type: "start",
      target: this.#target,
      args,
      shared,
      context: null
    };
    const frame = stdinMessage(start, what);
    const status = newStatus();
    let resolveStarted;
    let rejectStarted;
    const started = new Promise((resolve, reject) => {
      resolveStarted = resolve;
      rejectStarted = reject;
    });
    started.catch(() => {
    });
    this.#status = status;
    this.#started = started;
    children.add(this);
    this.#spawnId = startSpawned(command, frame, {
      keepAlive: !this.#daemon,
      status,
      started: resolveStarted,
      failed: /* @__PURE__ */ __name((error) => rejectStarted(deserializeError(error)), "failed"),
      exited: /* @__PURE__ */ __name(() => {
        children.delete(this);
        rejectStarted(this.error ?? new Error(`${what}: the child exited before its target started`));
      }, "exited")
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
  async join(options) {
    options ??= {};
    const what = "Cannot join process";
    const status = this.#requireStarted(what);
    const timeout = checkTimeout(what, options.timeout);
    checkSignal(what, options.signal);
    const deadline = performance.now() + timeout;
    while (true) {
      const state = stateOf(status);
      if (state === PROC_STATE_ENDED) return;
      const remaining = deadline - performance.now();
      if (remaining <= 0) return;
      await park(status, PROC_STATE, state, {
        timeout: remaining,
        signal: options.signal
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
  joinSync(options) {
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
  isAlive() {
    return this.#status !== null && !hasEnded(this.#status);
  }
  /**
   * Ends the process now with exit code `-15`, as SIGTERM does. No-op if it
   * has already ended.
   *
   * @throws {Error} If the process has not been started.
   */
  terminate() {
    this.#stop(-15, "Cannot terminate process");
  }
  /**
   * Ends the process now with exit code `-9`, as SIGKILL does.
   *
   * @throws {Error} If the process has not been started.
   */
  kill() {
    this.#stop(-9, "Cannot kill process");
  }
  /**
   * Releases the process object; further use throws. Idempotent.
   *
   * @throws {Error} If the process is still running, as Python's does.
   */
  close() {
    if (this.#closed) return;
    if (this.isAlive()) {
      throw new Error("Cannot close process: it is still running; join or terminate it first");
    }
    this.#closed = true;
    this.#release(false);
  }
  /** Terminates the process if it is running. A no-op once closed. */
  [Symbol.dispose]() {
    if (this.#closed) return;
    if (this.isAlive()) this.terminate();
    this.#closed = true;
  }
  /**
   * Terminates the process if it is running, then joins it. A no-op once
   * closed.
   */
  async [Symbol.asyncDispose]() {
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
  [Symbol.for("Deno.customInspect")]() {
    const fields = [
      `name: ${JSON.stringify(this.#name)}`
    ];
    if (this.#pid !== null) fields.push(`pid: ${this.#pid}`);
    fields.push(`parent: ${selfProcess().pid}`);
    const state = this.#closed ? "closed" : this.#status === null ? "initial" : this.isAlive() ? "started" : "stopped";
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
  #requireStarted(what) {
    if (this.#closed) throw new Error(`${what}: the process is closed`);
    if (this.#status === null) {
      throw new Error(`${what}: the process has not been started`);
    }
    return this.#status;
  }
  #stop(code, what) {
    const status = this.#requireStarted(what);
    if (this.#spawnId !== 0) {
      if (!hasEnded(status)) {
        signalSpawned(this.#spawnId, code === -9 ? "SIGKILL" : "SIGTERM");
      }
      return;
    }
    if (this.#pid !== null && endProcess(status, this.#pid, code)) {
      this.#release(true);
    }
  }
  #release(busy) {
    children.delete(this);
    const worker = this.#worker;
    if (worker === null) return;
    this.#worker = null;
    worker.onmessage = null;
    retireWorker(worker, busy);
  }
};
function osPid(status) {
  const deadline = performance.now() + 1e4;
  while (true) {
    const pid = Atomics.load(status, PROC_OS_PID);
    if (pid !== 0) return pid;
    const remaining = deadline - performance.now();
    if (hasEnded(status) || remaining <= 0) return null;
    Atomics.wait(status, PROC_OS_PID, 0, Math.min(remaining, 50));
  }
}
__name(osPid, "osPid");
function defaultName() {
  nameCounter++;
  return isWorkerThread ? `${selfProcess().name}:${nameCounter}` : `Process-${nameCounter}`;
}
__name(defaultName, "defaultName");
function currentProcess() {
  return selfProcess();
}
__name(currentProcess, "currentProcess");
function parentProcess() {
  return parentOfSelf();
}
__name(parentProcess, "parentProcess");
function activeChildren() {
  return [
    ...children
  ].filter((p) => p.isAlive());
}
__name(activeChildren, "activeChildren");
function cpuCount() {
  return Math.max(1, navigator.hardwareConcurrency || 1);
}
__name(cpuCount, "cpuCount");
function exit(code) {
  if (code === void 0) code = 0;
  if (!Number.isInteger(code)) {
    throw new TypeError(`Cannot exit: code must be an integer, received ${describe(code)}`);
  }
  if (finishSelf(code)) throw new ExitSignal(code);
  Deno.exit(code);
}
__name(exit, "exit");

// lib/pool/options.ts
var TRANSPORT = Symbol("denomp.transport");
function buildCore(what, options, sizeKey, namePrefix) {
  const { initializer, initargs = [], maxTasksPerChild, module, permissions } = options;
  const size = options[sizeKey] ?? cpuCount();
  if (typeof size !== "number") {
    throw new TypeError(`${what}: ${sizeKey} must be a number, received ${describe(size)}`);
  }
  if (!Number.isInteger(size) || size < 1) {
    throw new RangeError(`${what}: ${sizeKey} must be a positive integer, received ${size}`);
  }
  if (maxTasksPerChild !== void 0) {
    if (typeof maxTasksPerChild !== "number") {
      throw new TypeError(`${what}: maxTasksPerChild must be a number, received ${describe(maxTasksPerChild)}`);
    }
    if (!Number.isInteger(maxTasksPerChild) || maxTasksPerChild < 1) {
      throw new RangeError(`${what}: maxTasksPerChild must be a positive integer, received ${maxTasksPerChild}`);
    }
  }
  if (!Array.isArray(initargs)) {
    throw new TypeError(`${what}: initargs must be an array, received ${describe(initargs)}`);
  }
  checkPermissions(what, permissions);
  const initRef = initializer === void 0 ? null : targetRef(what, initializer, module);
  const transport = options[TRANSPORT] ?? localTransport(what, options, module, permissions);
  const core = new PoolCore({
    size,
    initializer: initRef,
    initargs: initargs.slice(),
    maxTasksPerChild: maxTasksPerChild ?? 0,
    module,
    namePrefix,
    transport
  });
  targetModule(what, module);
  core.encodeInitargs(what);
  return core;
}
__name(buildCore, "buildCore");
function localTransport(what, options, module, permissions) {
  const method = startMethodOf(what, options);
  const maxHeapMb = checkMaxHeap(what, options.maxHeapMb, method);
  return method === "spawn" ? new SpawnTransport({
    module: targetModule(what, module),
    permissions,
    maxHeapMb
  }) : new ThreadTransport(permissions);
}
__name(localTransport, "localTransport");
function startMethodOf(what, options) {
  const { startMethod, mpContext } = options;
  if (mpContext === void 0) return resolveStartMethod(what, startMethod);
  if (typeof mpContext !== "object" || mpContext === null) {
    throw new TypeError(`${what}: mpContext must be a context from getContext(), received ${describe(mpContext)}`);
  }
  const method = checkStartMethod(what, mpContext.startMethod, "mpContext.startMethod");
  if (startMethod !== void 0 && startMethod !== method) {
    throw new TypeError(`${what}: startMethod ${JSON.stringify(startMethod)} and mpContext (${JSON.stringify(method)}) disagree; pass one of them`);
  }
  return method;
}
__name(startMethodOf, "startMethodOf");
function taskTimeout(what, timeout) {
  const ms = checkTimeout(what, timeout);
  if (ms === Infinity) return 0;
  return ms > 0 ? ms : Number.MIN_VALUE;
}
__name(taskTimeout, "taskTimeout");

// lib/executor.ts
var FIRST_COMPLETED = "FIRST_COMPLETED";
var FIRST_EXCEPTION = "FIRST_EXCEPTION";
var ALL_COMPLETED = "ALL_COMPLETED";
var control;
var Future = class {
  static {
    __name(this, "Future");
  }
  #state = "pending";
  #value = void 0;
  #error = void 0;
  #failed = false;
  // Typed with `never` so that Future<T> stays covariant in T.
  #callbacks = null;
  #listeners = null;
  #core = null;
  #chunk = null;
  static {
    control = {
      running: /* @__PURE__ */ __name((f) => {
        if (f.#state !== "pending") return false;
        f.#state = "running";
        return true;
      }, "running"),
      resolve: /* @__PURE__ */ __name((f, value) => f.#settle("finished", value, void 0, false), "resolve"),
      reject: /* @__PURE__ */ __name((f, error) => f.#settle("finished", void 0, error, true), "reject"),
      bind: /* @__PURE__ */ __name((f, core, chunk) => {
        f.#core = core;
        f.#chunk = chunk;
      }, "bind"),
      failed: /* @__PURE__ */ __name((f) => f.#state === "finished" && f.#failed, "failed"),
      listen: /* @__PURE__ */ __name((f, fn) => {
        if (f.done()) fn(f);
        else f.#listeners = addListener(f.#listeners, fn);
      }, "listen"),
      watch: /* @__PURE__ */ __name((f, fn) => {
        const listeners = f.#listeners;
        if (f.done() || listeners === fn || Array.isArray(listeners) && listeners.includes(fn)) return false;
        f.#listeners = addListener(listeners, fn);
        return true;
      }, "watch"),
      unlisten: /* @__PURE__ */ __name((f, fn) => {
        f.#listeners = removeListener(f.#listeners, fn);
      }, "unlisten")
    };
  }
  /**
   * Cancels the task if it has not started running.
   *
   * @returns `true` if the future is (now) cancelled, `false` if it is
   * running or finished.
   */
  cancel() {
    if (this.#state === "cancelled") return true;
    if (this.#state !== "pending") return false;
    if (this.#core !== null && this.#chunk !== null) {
      this.#core.cancel(this.#chunk);
    }
    this.#settle("cancelled", void 0, new CancelledError(), true);
    return true;
  }
  /** Whether the future was cancelled. */
  cancelled() {
    return this.#state === "cancelled";
  }
  /** Whether the task has been handed to a worker and has not finished. */
  running() {
    return this.#state === "running";
  }
  /** Whether the future finished or was cancelled. */
  done() {
    return this.#state === "finished" || this.#state === "cancelled";
  }
  /** `"pending"`, `"running"`, `"cancelled"` or `"finished"`. */
  get state() {
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
  result(options) {
    if (options === void 0 || options === null || options.timeout === void 0 && options.signal === void 0) {
      if (this.done()) {
        return this.#failed ? Promise.reject(this.#error) : Promise.resolve(this.#value);
      }
      return new Promise((resolve, reject) => {
        this.#listeners = addListener(this.#listeners, () => {
          if (this.#failed) reject(this.#error);
          else resolve(this.#value);
        });
      });
    }
    return this.#resultWith(options);
  }
  async #resultWith(options) {
    await this.#wait("Cannot get result", options);
    if (this.#failed) throw this.#error;
    return this.#value;
  }
  /**
   * Waits for the task and gives its error, or `null` if it succeeded.
   *
   * @param options `timeout` in ms, `signal`.
   * @returns The task's error or `null`.
   * @throws {CancelledError} If the future was cancelled.
   * @throws {TimeoutError} If `timeout` runs out first.
   */
  async exception(options) {
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
  addDoneCallback(callback) {
    if (typeof callback !== "function") {
      throw new TypeError(`Cannot add done callback: callback must be a function, received ${describe(callback)}`);
    }
    if (this.done()) runCallback(callback, this);
    else {
      this.#callbacks = addListener(this.#callbacks, callback);
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
  [Symbol.for("Deno.customInspect")](inspect2, options) {
    const state = `Future { state: ${JSON.stringify(this.#state)}`;
    if (this.#state !== "finished") return `${state} }`;
    return this.#failed ? `${state}, exception: ${inspectOutcome(this.#error, inspect2, options)} }` : `${state}, result: ${inspectOutcome(this.#value, inspect2, options)} }`;
  }
  #wait(what, options) {
    const timeout = checkTimeout(what, options.timeout);
    const { signal } = options;
    checkSignal(what, signal);
    if (this.done()) return Promise.resolve();
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise((resolve, reject) => {
      let timer;
      const onAbort = /* @__PURE__ */ __name(() => finish3(signal.reason), "onAbort");
      const finish3 = /* @__PURE__ */ __name((error) => {
        if (timer !== void 0) clearTimeout(timer);
        signal?.removeEventListener("abort", onAbort);
        this.#listeners = removeListener(this.#listeners, listener);
        if (error === void 0) resolve();
        else reject(error);
      }, "finish");
      const listener = /* @__PURE__ */ __name(() => finish3(), "listener");
      this.#listeners = addListener(this.#listeners, listener);
      if (timeout !== Infinity) {
        timer = setTimeout(() => finish3(new TimeoutError(`${what}: timed out after ${timeout} ms`)), timeout);
      }
      signal?.addEventListener("abort", onAbort, {
        once: true
      });
    });
  }
  #settle(state, value, error, failed) {
    if (this.done()) return;
    this.#state = state;
    this.#value = value;
    this.#error = error;
    this.#failed = failed;
    this.#chunk = null;
    this.#core = null;
    const self2 = this;
    const listeners = this.#listeners;
    if (listeners !== null) {
      this.#listeners = null;
      if (typeof listeners === "function") listeners(self2);
      else for (const listener of listeners) listener(self2);
    }
    const callbacks = this.#callbacks;
    if (callbacks !== null) {
      this.#callbacks = null;
      if (typeof callbacks === "function") runCallback(callbacks, self2);
      else for (const callback of callbacks) runCallback(callback, self2);
    }
  }
};
function addListener(listeners, fn) {
  if (listeners === null) return fn;
  if (typeof listeners === "function") return [
    listeners,
    fn
  ];
  listeners.push(fn);
  return listeners;
}
__name(addListener, "addListener");
function removeListener(listeners, fn) {
  if (listeners === fn) return null;
  if (listeners === null || typeof listeners === "function") return listeners;
  const i = listeners.indexOf(fn);
  if (i >= 0) listeners.splice(i, 1);
  return listeners.length === 0 ? null : listeners;
}
__name(removeListener, "removeListener");
function runCallback(callback, future) {
  try {
    callback(future);
  } catch {
  }
}
__name(runCallback, "runCallback");
function futureChunk(fn, flags, items, timeout, owner, tag, future) {
  return {
    fn,
    flags,
    items,
    timeout,
    owner,
    tag,
    state: ChunkState.Queued,
    future
  };
}
__name(futureChunk, "futureChunk");
var SubmitOwner = class {
  static {
    __name(this, "SubmitOwner");
  }
  chunkDispatched(chunk) {
    control.running(chunk.future);
  }
  chunkDone(chunk, values, offset) {
    control.resolve(chunk.future, values[offset]);
  }
  chunkFailed(chunk, error) {
    control.reject(chunk.future, error);
  }
};
var MapOwner = class extends SubmitOwner {
  static {
    __name(this, "MapOwner");
  }
  chunkDone(chunk, values, offset) {
    control.resolve(chunk.future, values.slice(offset, offset + chunk.items.length));
  }
};
var SUBMIT_OWNER = new SubmitOwner();
var MAP_OWNER = new MapOwner();
function isPlain(value) {
  const type = typeof value;
  return type === "number" || type === "string" || type === "boolean" || type === "undefined" || type === "bigint" || value === null;
}
__name(isPlain, "isPlain");
var SignalGroup = class {
  static {
    __name(this, "SignalGroup");
  }
  #signal;
  #groups;
  #futures = [];
  #pending = 0;
  #onDone = /* @__PURE__ */ __name(() => this.#done(), "#onDone");
  constructor(signal, groups) {
    this.#signal = signal;
    this.#groups = groups;
    groups.set(signal, this);
    signal.addEventListener("abort", this, {
      once: true
    });
  }
  /** Called by the signal: cancels every future of the group not started. */
  handleEvent() {
    for (const future of this.#futures.slice()) future.cancel();
  }
  add(future) {
    let futures = this.#futures;
    if (futures.length >= 1024 && futures.length >= 2 * this.#pending) {
      futures = this.#futures = futures.filter((f) => !f.done());
    }
    futures.push(future);
    this.#pending++;
    control.listen(future, this.#onDone);
  }
  #done() {
    if (--this.#pending > 0) return;
    this.#signal.removeEventListener("abort", this);
    this.#groups.delete(this.#signal);
  }
};
var ProcessPoolExecutor = class {
  static {
    __name(this, "ProcessPoolExecutor");
  }
  #core;
  #shutdown = false;
  /**
   * Chunks that may still be queued, for `shutdown({ cancelFutures })`. A
   * chunk is not removed when it starts or ends; the list is filtered now
   * and then instead (amortised O(1) per task, one slot each).
   */
  #queued = [];
  #compactAt = 4096;
  #signals = /* @__PURE__ */ new Map();
  /**
   * Creates an executor. Workers start with the first task.
   *
   * @param options Size, initializer, module and permissions.
   * @throws {TypeError} If an option has the wrong type.
   * @throws {RangeError} If `maxWorkers` or `maxTasksPerChild` is not a
   * positive integer.
   */
  constructor(options) {
    const what = "Cannot create executor";
    if (options === void 0) options = {};
    else if (typeof options !== "object" || options === null) {
      throw new TypeError(`${what}: options must be an object, received ${describe(options)}`);
    }
    this.#core = buildCore(what, options, "maxWorkers", "PoolWorker");
  }
  /** The number of workers. */
  get maxWorkers() {
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
  submit(fn, ...args) {
    return this.#submit("Cannot submit task", fn, args, 0, void 0);
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
  submitWith(fn, args, options) {
    options ??= {};
    const what = "Cannot submit task";
    if (!Array.isArray(args)) {
      throw new TypeError(`${what}: args must be an array, received ${describe(args)}`);
    }
    checkSignal(what, options.signal);
    const timeout = taskTimeout(what, options.timeout);
    return this.#submit(what, fn, args, timeout, options.signal);
  }
  #submit(what, fn, args, timeout, signal) {
    if (this.#shutdown) {
      throw new Error(`${what}: the executor has been shut down`);
    }
    const core = this.#core;
    if (core.broken !== null) throw core.broken;
    const fnId = core.fnId(what, fn);
    if (signal?.aborted) {
      const future2 = new Future();
      future2.cancel();
      return future2;
    }
    const single = args.length === 1;
    const items = single ? args : [
      args
    ];
    let flags = single ? 0 : FLAG_STAR;
    for (let i = 0; i < args.length; i++) {
      if (!isPlain(args[i])) {
        flags |= core.encodeItems(what, items, single ? "argument" : "argument list");
        break;
      }
    }
    const future = new Future();
    const chunk = futureChunk(fnId, flags, items, timeout, SUBMIT_OWNER, 0, future);
    this.#enqueue(chunk, signal);
    return future;
  }
  /** Binds a chunk's future, remembers the chunk and queues it. */
  #enqueue(chunk, signal) {
    const future = chunk.future;
    control.bind(future, this.#core, chunk);
    if (signal !== void 0) {
      const group = this.#signals.get(signal) ?? new SignalGroup(signal, this.#signals);
      group.add(future);
    }
    let queued = this.#queued;
    if (queued.length >= this.#compactAt) {
      queued = this.#queued = queued.filter((c) => c.state === ChunkState.Queued);
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
  map(fn, iterable, options) {
    options ??= {};
    const what = "Cannot map";
    if (this.#shutdown) {
      throw new Error(`${what}: the executor has been shut down`);
    }
    const core = this.#core;
    if (core.broken !== null) throw core.broken;
    const fnId = core.fnId(what, fn);
    if (iterable === null || iterable === void 0 || typeof Object(iterable)[Symbol.iterator] !== "function") {
      throw new TypeError(`${what}: iterable must be iterable, received ${describe(iterable)}`);
    }
    const timeout = checkTimeout(what, options.timeout);
    const { signal } = options;
    checkSignal(what, signal);
    const chunksize = options.chunksize ?? 1;
    if (!Number.isInteger(chunksize) || chunksize < 1) {
      throw new RangeError(`${what}: chunksize must be a positive integer, received ${describe(chunksize)}`);
    }
    const items = Array.from(iterable);
    const futures = [];
    for (let base = 0; base < items.length; base += chunksize) {
      const slice = items.slice(base, base + chunksize);
      const flags = core.encodeItems(what, slice, "item");
      const future = new Future();
      futures.push(future);
      this.#enqueue(futureChunk(fnId, flags, slice, 0, MAP_OWNER, base, future), void 0);
    }
    const deadline = performance.now() + timeout;
    return mapResults(futures, timeout, deadline, signal);
  }
  /**
   * Stops accepting tasks. With `cancelFutures`, cancels the futures not yet
   * started; with `wait` (the default) resolves once every other future has
   * finished and the workers have exited.
   *
   * @param options `wait`, `cancelFutures`.
   */
  async shutdown(options) {
    const { wait: wait3 = true, cancelFutures = false } = options ?? {};
    this.#shutdown = true;
    if (cancelFutures) {
      const queued = this.#queued;
      this.#queued = [];
      for (const chunk of queued) {
        if (chunk.state === ChunkState.Queued) chunk.future.cancel();
      }
    }
    const done = this.#core.shutdown();
    if (wait3) await done;
  }
  /** Shuts down and waits, as Python's `with` does. */
  async [Symbol.asyncDispose]() {
    await this.shutdown({
      wait: true
    });
  }
  /** A short description, for `console.log`. */
  [Symbol.for("Deno.customInspect")]() {
    return `ProcessPoolExecutor { maxWorkers: ${this.#core.size}, workers: ${this.#core.workers}, pending: ${this.#core.outstanding}${this.#shutdown ? ", shut down" : ""} }`;
  }
};
async function* mapResults(futures, timeout, deadline, signal) {
  try {
    for (const future of futures) {
      const remaining = Math.max(0, deadline - performance.now());
      const values = await future.result(timeout === Infinity ? signal ? {
        signal
      } : {} : signal ? {
        timeout: remaining,
        signal
      } : {
        timeout: remaining
      });
      for (const value of values) yield value;
    }
  } finally {
    for (const future of futures) future.cancel();
  }
}
__name(mapResults, "mapResults");
function asCompleted(futures, options) {
  return new AsCompletedIterator(futures, options);
}
__name(asCompleted, "asCompleted");
var DONE = {
  done: true,
  value: void 0
};
var AsCompletedIterator = class {
  static {
    __name(this, "AsCompletedIterator");
  }
  #input;
  #options;
  /** 0: not started, 1: iterating, 2: ended. */
  #phase = 0;
  /** Done futures not yet yielded are `#finished[#head..]`. */
  #finished = [];
  #head = 0;
  #watched = [];
  #total = 0;
  #left = 0;
  #timeout = Infinity;
  #deadline = Infinity;
  #timer = void 0;
  #timedOut = false;
  /** `next()` calls waiting for a future, in call order. */
  #waiting = [];
  // One listener shared by every future: a completion costs a push.
  #onDone = /* @__PURE__ */ __name((future) => {
    this.#finished.push(future);
    if (this.#waiting.length > 0) this.#serve();
  }, "#onDone");
  constructor(futures, options) {
    this.#input = futures;
    this.#options = options;
  }
  next() {
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
      this.#waiting.push({
        resolve,
        reject
      });
      this.#arm();
    });
  }
  return() {
    this.#end();
    this.#serve();
    return Promise.resolve(DONE);
  }
  throw(error) {
    this.#end();
    this.#serve();
    return Promise.reject(error);
  }
  [Symbol.asyncIterator]() {
    return this;
  }
  async [Symbol.asyncDispose]() {
    await this.return();
  }
  #start() {
    this.#phase = 2;
    const what = "Cannot iterate as completed";
    const options = this.#options ?? {};
    const timeout = checkTimeout(what, options.timeout);
    const list = futureList(what, this.#input);
    this.#input = [];
    this.#phase = 1;
    this.#timeout = timeout;
    this.#deadline = performance.now() + timeout;
    const finished = this.#finished;
    const watched = this.#watched;
    let doneSeen = null;
    for (const future of list) {
      if (future.done()) {
        doneSeen ??= /* @__PURE__ */ new Set();
        if (doneSeen.has(future)) continue;
        doneSeen.add(future);
        finished.push(future);
      } else if (control.watch(future, this.#onDone)) watched.push(future);
    }
    this.#total = this.#left = finished.length + watched.length;
  }
  /** The next step if it is known now, `null` to wait; throws on timeout. */
  #take() {
    if (this.#phase === 2) return DONE;
    if (this.#head < this.#finished.length) {
      const future = this.#finished[this.#head];
      this.#finished[this.#head++] = void 0;
      if (--this.#left === 0) this.#end();
      return {
        done: false,
        value: future
      };
    }
    if (this.#left === 0) {
      this.#end();
      return DONE;
    }
    if (this.#timedOut || performance.now() >= this.#deadline) {
      const left = this.#left;
      this.#end();
      throw new TimeoutError(`Cannot iterate as completed: ${left} of ${this.#total} futures unfinished after ${this.#timeout} ms`);
    }
    return null;
  }
  /** Answers waiting `next()` calls, in order, while there are answers. */
  #serve() {
    const waiting = this.#waiting;
    while (waiting.length > 0) {
      let step;
      try {
        step = this.#take();
      } catch (error) {
        waiting.shift().reject(error);
        continue;
      }
      if (step === null) return;
      waiting.shift().resolve(step);
    }
  }
  #arm() {
    if (this.#timeout === Infinity || this.#timer !== void 0) return;
    this.#timer = setTimeout(() => {
      this.#timer = void 0;
      this.#timedOut = true;
      this.#serve();
    }, Math.max(0, this.#deadline - performance.now()));
  }
  #end() {
    if (this.#phase === 1 && this.#left > 0) {
      for (const future of this.#watched) {
        if (!future.done()) control.unlisten(future, this.#onDone);
      }
    }
    this.#phase = 2;
    if (this.#timer !== void 0) clearTimeout(this.#timer);
    this.#timer = void 0;
    this.#finished = [];
    this.#head = 0;
    this.#watched = [];
  }
};
function wait(futures, options) {
  options ??= {};
  const what = "Cannot wait for futures";
  try {
    const timeout = checkTimeout(what, options.timeout);
    const { returnWhen = ALL_COMPLETED } = options;
    if (returnWhen !== FIRST_COMPLETED && returnWhen !== FIRST_EXCEPTION && returnWhen !== ALL_COMPLETED) {
      throw new TypeError(`${what}: returnWhen must be "FIRST_COMPLETED", "FIRST_EXCEPTION" or "ALL_COMPLETED", received ${describe(returnWhen)}`);
    }
    const all = checkFutures(what, futures);
    const result = /* @__PURE__ */ __name(() => {
      const done = /* @__PURE__ */ new Set();
      const notDone = /* @__PURE__ */ new Set();
      for (const f of all) (f.done() ? done : notDone).add(f);
      return {
        done,
        notDone
      };
    }, "result");
    const satisfied = /* @__PURE__ */ __name(() => {
      let doneCount = 0;
      for (const f of all) {
        if (!f.done()) continue;
        doneCount++;
        if (returnWhen === FIRST_COMPLETED) return true;
        if (returnWhen === FIRST_EXCEPTION && control.failed(f)) return true;
      }
      return doneCount === all.size;
    }, "satisfied");
    if (satisfied()) return Promise.resolve(result());
    return new Promise((resolve) => {
      const waiting = [
        ...all
      ].filter((f) => !f.done());
      let remaining = waiting.length;
      let settled = false;
      let timer;
      const finish3 = /* @__PURE__ */ __name(() => {
        if (settled) return;
        settled = true;
        if (timer !== void 0) clearTimeout(timer);
        for (const f of waiting) {
          if (!f.done()) control.unlisten(f, onDone);
        }
        resolve(result());
      }, "finish");
      const onDone = /* @__PURE__ */ __name((f) => {
        remaining--;
        if (returnWhen === FIRST_COMPLETED || remaining === 0 || returnWhen === FIRST_EXCEPTION && control.failed(f)) finish3();
      }, "onDone");
      for (const f of waiting) control.listen(f, onDone);
      if (timeout !== Infinity && !settled) {
        timer = setTimeout(finish3, timeout);
      }
    });
  } catch (error) {
    return Promise.reject(error);
  }
}
__name(wait, "wait");
function checkFutures(what, futures) {
  return new Set(futureList(what, futures));
}
__name(checkFutures, "checkFutures");
function futureList(what, futures) {
  if (futures === null || futures === void 0 || typeof Object(futures)[Symbol.iterator] !== "function") {
    throw new TypeError(`${what}: futures must be an iterable of Future, received ${describe(futures)}`);
  }
  const list = Array.isArray(futures) ? futures : Array.from(futures);
  for (const f of list) {
    if (!(f instanceof Future)) {
      throw new TypeError(`${what}: every item must be a Future, received ${describe(f)}`);
    }
  }
  return list;
}
__name(futureList, "futureList");

// lib/_short_lock.ts
var STEAL_AFTER_MS = 2e3;
function lockShort(i32, index2, ownerIndex) {
  if (Atomics.compareExchange(i32, index2, 0, 1) !== 0) {
    lockSlow(i32, index2, ownerIndex);
  }
  i32[ownerIndex] = selfProcess().pid;
}
__name(lockShort, "lockShort");
function lockSlow(i32, index2, ownerIndex) {
  for (let spin2 = 0; spin2 < 1e3; spin2++) {
    if (Atomics.load(i32, index2) === 0 && Atomics.compareExchange(i32, index2, 0, 1) === 0) return;
  }
  let owner = -1;
  let since = 0;
  while (Atomics.exchange(i32, index2, 2) !== 0) {
    Atomics.wait(i32, index2, 2, 5);
    const holder = i32[ownerIndex];
    if (holder !== owner) {
      owner = holder;
      since = performance.now();
    } else if (!isPidAlive(holder) && performance.now() - since > STEAL_AFTER_MS) return;
  }
}
__name(lockSlow, "lockSlow");
function unlockShort(i32, index2) {
  if (Atomics.exchange(i32, index2, 0) === 2) Atomics.notify(i32, index2, 1);
}
__name(unlockShort, "unlockShort");

// lib/channel/queue_layout.ts
var RING_PLOCK = 0;
var RING_TAIL = 1;
var RING_PUTS = 2;
var RING_STREAM_WRITER_PID = 3;
var RING_STREAM_WRITER_TOKEN = 4;
var RING_PUT_FRAMES = 6;
var RING_LOCK_OWNER = 5;
var RING_CLOCK = 16;
var RING_HEAD = 17;
var RING_GETS = 18;
var RING_STREAM_READER_PID = 19;
var RING_STREAM_READER_TOKEN = 20;
var RING_TAKE_FRAMES = 22;
var RING_DATA_SEQ = 32;
var RING_DATA_PARKED = 33;
var RING_ROOM_SEQ = 48;
var RING_ROOM_PARKED = 49;
var RING_ROOM_NEED = 50;
var RING_ROOM_ITEMS = 51;
var RING_CAPACITY = 64;
var RING_MAXSIZE = 65;
var RING_JOINABLE = 66;
var RING_CLOSED = 67;
var RING_READER_CLOSED = 68;
var RING_NEXT_TOKEN = 69;
var RING_UNFINISHED = 70;
var RING_HEADER_INTS = 80;
var RING_DATA_OFFSET = RING_HEADER_INTS * 4;
var FRAME_HEADER = 8;
var PIECE_HEADER2 = 8;
var FRAME_WHOLE = 1;
var FRAME_FIRST = 2;
var FRAME_MORE = 3;
var FRAME_LAST = 4;
var FRAME_PAD = 5;
var FRAME_RAW = 16;
var FRAME_KIND_MASK = 15;

// lib/channel/ring.ts
var OK = 0;
var WAIT = 1;
var CLOSED = 2;
var BROKEN = 3;
var TIMED_OUT = 4;
var CONTINUE = 5;
var LOST = 6;
var DEFAULT_CAPACITY = 1 << 20;
var MIN_CAPACITY = 64;
var MAX_CAPACITY = 1 << 30;
var PARK_SLICE_MS = 100;
var SPIN_SYNC = 4e3;
var SPIN_ASYNC = 200;
var EMPTY = new Uint8Array(0);
function align8(n) {
  return n + 7 & ~7;
}
__name(align8, "align8");
function ringCapacity(capacity) {
  return align8(capacity);
}
__name(ringCapacity, "ringCapacity");
var takeScratch = new Uint8Array(4096);
function scratchFor(length) {
  if (takeScratch.length < length) {
    let next = takeScratch.length * 2;
    while (next < length) next *= 2;
    takeScratch = new Uint8Array(next);
  }
  return takeScratch;
}
__name(scratchFor, "scratchFor");
var Deadline = class {
  static {
    __name(this, "Deadline");
  }
  #timeout;
  #end = -1;
  constructor(timeout) {
    this.#timeout = timeout;
  }
  /** Milliseconds left (the full timeout the first time). */
  remaining() {
    if (this.#timeout === Infinity) return Infinity;
    const now = performance.now();
    if (this.#end < 0) this.#end = now + this.#timeout;
    return this.#end - now;
  }
};
function newReadState() {
  return {
    token: 0,
    stream: 0,
    partial: null,
    filled: 0,
    partialRaw: false
  };
}
__name(newReadState, "newReadState");
var Ring = class _Ring {
  static {
    __name(this, "Ring");
  }
  /** The shared memory, to send to another thread. */
  buffer;
  /** Bytes of frames the ring can hold. */
  capacity;
  /** Most items, or 0 for no limit. */
  maxsize;
  /** The payload of the last successful take (valid until the next one). */
  taken = EMPTY;
  /** Whether that payload is raw bytes rather than an encoding. */
  takenRaw = false;
  /**
   * Who holds the handles feeding and draining this ring, when they are
   * counted (lib/_handles.ts). Its `refresh()` runs on every slow path
   * (before a wait and in every wait slice): when a holder died it closes
   * the side the dead one fed, so waiters see EOF or a broken pipe.
   */
  handles = null;
  #i32;
  #u8;
  #span;
  #joinable;
  #waitIndex = 0;
  #waitValue = 0;
  #notifyData = false;
  #notifyRoom = false;
  #pendingPuts = 0;
  // What this thread last saw of the other side (see #headSeen, #tailSeen).
  #head = 0;
  #framesPut = -1;
  #tail = 0;
  #framesTaken = -1;
  #putChain = null;
  /**
   * Allocates a new ring.
   *
   * @param capacity Bytes of frames (rounded up to a multiple of 8).
   * @param maxsize Most items, 0 for no limit.
   * @param joinable Whether to count unfinished tasks.
   */
  static create(capacity, maxsize, joinable2 = false) {
    const cap = ringCapacity(capacity);
    const buffer = new SharedArrayBuffer(RING_DATA_OFFSET + cap);
    const i32 = new Int32Array(buffer, 0, RING_DATA_OFFSET >> 2);
    i32[RING_CAPACITY] = cap;
    i32[RING_MAXSIZE] = maxsize;
    i32[RING_NEXT_TOKEN] = 1;
    i32[RING_JOINABLE] = joinable2 ? 1 : 0;
    return new _Ring(buffer);
  }
  /** Attaches to a ring's shared memory. */
  constructor(buffer) {
    this.buffer = buffer;
    this.#i32 = new Int32Array(buffer);
    this.#u8 = new Uint8Array(buffer);
    this.capacity = Atomics.load(this.#i32, RING_CAPACITY);
    this.maxsize = Atomics.load(this.#i32, RING_MAXSIZE);
    this.#span = this.capacity * 2;
    this.#joinable = Atomics.load(this.#i32, RING_JOINABLE) === 1;
  }
  // ---- counters ----
  /** Whole messages in the ring. */
  items() {
    const gets = Atomics.load(this.#i32, RING_GETS);
    const puts = Atomics.load(this.#i32, RING_PUTS);
    return Math.max(0, puts - gets | 0);
  }
  /** Whether a reader would find nothing at all (not even a piece). */
  isEmpty() {
    return Atomics.load(this.#i32, RING_HEAD) === Atomics.load(this.#i32, RING_TAIL);
  }
  /** Whether the writing side is closed. */
  get closed() {
    return Atomics.load(this.#i32, RING_CLOSED) === 1;
  }
  /** Whether the reading side is closed. */
  get readerClosed() {
    return Atomics.load(this.#i32, RING_READER_CLOSED) === 1;
  }
  /** Items put and not yet marked done. */
  unfinished() {
    return Atomics.load(this.#i32, RING_UNFINISHED);
  }
  /**
   * Marks one item done.
   *
   * @returns false (changing nothing) when no item is unfinished.
   */
  taskDone() {
    const i32 = this.#i32;
    while (true) {
      const current2 = Atomics.load(i32, RING_UNFINISHED);
      if (current2 <= 0) return false;
      if (Atomics.compareExchange(i32, RING_UNFINISHED, current2, current2 - 1) === current2) {
        if (current2 === 1) Atomics.notify(i32, RING_UNFINISHED);
        return true;
      }
    }
  }
  /** Waits until no item is unfinished. */
  async join(options) {
    const i32 = this.#i32;
    const deadline = new Deadline(options.timeout);
    while (true) {
      const current2 = Atomics.load(i32, RING_UNFINISHED);
      if (current2 === 0) return OK;
      const remaining = deadline.remaining();
      if (remaining <= 0) return TIMED_OUT;
      await park(i32, RING_UNFINISHED, current2, {
        timeout: Math.min(remaining, PARK_SLICE_MS),
        signal: options.signal
      });
    }
  }
  /** Blocking twin of {@linkcode Ring.join}. */
  joinSync(timeout) {
    const i32 = this.#i32;
    const deadline = new Deadline(timeout);
    while (true) {
      const current2 = Atomics.load(i32, RING_UNFINISHED);
      if (current2 === 0) return OK;
      const remaining = deadline.remaining();
      if (remaining <= 0) return TIMED_OUT;
      parkSync(i32, RING_UNFINISHED, current2, Math.min(remaining, PARK_SLICE_MS));
    }
  }
  // ---- closing ----
  /** Closes the writing side and wakes every waiter (idempotent). */
  close() {
    this.#setUnderProducerLock(RING_CLOSED);
  }
  /** Closes the reading side and wakes every waiter (idempotent). */
  closeReader() {
    this.#setUnderProducerLock(RING_READER_CLOSED);
  }
  #setUnderProducerLock(index2) {
    this.#lock(RING_PLOCK);
    try {
      Atomics.store(this.#i32, index2, 1);
      this.#bumpData();
      this.#bumpRoom();
    } finally {
      this.#unlock(RING_PLOCK);
    }
  }
  // ---- the locks ----
  // Short futex-style mutexes (lib/_short_lock.ts): taking and releasing one
  // uncontended costs one atomic operation each.
  #lock(index2) {
    lockShort(this.#i32, index2, index2 + RING_LOCK_OWNER);
  }
  #unlock(index2) {
    const i32 = this.#i32;
    unlockShort(i32, index2);
    if (this.#notifyData) {
      this.#notifyData = false;
      Atomics.notify(i32, RING_DATA_SEQ);
    }
    if (this.#notifyRoom) {
      this.#notifyRoom = false;
      Atomics.notify(i32, RING_ROOM_SEQ);
    }
  }
  // ---- wake-ups ----
  /** Wakes every consumer (notified after the lock is released). */
  #bumpData() {
    Atomics.store(this.#i32, RING_DATA_PARKED, 0);
    Atomics.add(this.#i32, RING_DATA_SEQ, 1);
    this.#notifyData = true;
  }
  /** Wakes every producer (notified after the lock is released). */
  #bumpRoom() {
    const i32 = this.#i32;
    Atomics.store(i32, RING_ROOM_PARKED, 0);
    Atomics.store(i32, RING_ROOM_NEED, 0);
    Atomics.store(i32, RING_ROOM_ITEMS, 0);
    Atomics.add(i32, RING_ROOM_SEQ, 1);
    this.#notifyRoom = true;
  }
  /** A consumer is about to park: records where. */
  #announceData() {
    const i32 = this.#i32;
    const seq = Atomics.load(i32, RING_DATA_SEQ);
    Atomics.store(i32, RING_DATA_PARKED, 1);
    this.#waitIndex = RING_DATA_SEQ;
    this.#waitValue = seq;
  }
  /**
   * A producer is about to park: records where and what it waits for
   * (`needBytes` a frame size, or more than the capacity to wait for an
   * explicit wake-up only; `needItems` for the count to drop).
   */
  #announceRoom(needBytes, needItems) {
    const i32 = this.#i32;
    const seq = Atomics.load(i32, RING_ROOM_SEQ);
    if (needBytes > 0) {
      const current2 = Atomics.load(i32, RING_ROOM_NEED);
      if (current2 === 0 || needBytes < current2) {
        Atomics.store(i32, RING_ROOM_NEED, needBytes);
      }
    }
    if (needItems) Atomics.store(i32, RING_ROOM_ITEMS, 1);
    Atomics.store(i32, RING_ROOM_PARKED, 1);
    this.#waitIndex = RING_ROOM_SEQ;
    this.#waitValue = seq;
  }
  /** After TAIL moved: wakes consumers parked at the current number. */
  #dataArrived() {
    if (Atomics.load(this.#i32, RING_DATA_PARKED) === 1) this.#bumpData();
  }
  /** After HEAD moved: wakes parked producers whose wish now holds. */
  #roomFreed() {
    const i32 = this.#i32;
    if (Atomics.load(i32, RING_ROOM_PARKED) !== 1) return;
    let ok = Atomics.load(i32, RING_ROOM_ITEMS) === 1 && this.items() < this.maxsize;
    if (!ok) {
      const need = Atomics.load(i32, RING_ROOM_NEED);
      ok = need > 0 && need <= this.capacity && this.#fit(need, Atomics.load(i32, RING_HEAD), Atomics.load(i32, RING_TAIL)) >= 0;
    }
    if (ok) this.#bumpRoom();
  }
  // ---- geometry ----
  #offset(position) {
    return position >= this.capacity ? position - this.capacity : position;
  }
  #advance(position, bytes) {
    const next = position + bytes;
    return next >= this.#span ? next - this.#span : next;
  }
  #used(head, tail) {
    const used = tail - head;
    return used < 0 ? used + this.#span : used;
  }
  /**
   * Whether a frame of `size` bytes fits now: returns the bytes of padding
   * to write first (0 when it fits at TAIL), or -1.
   */
  #fit(size, head, tail) {
    const free2 = this.capacity - this.#used(head, tail);
    const end = this.capacity - this.#offset(tail);
    if (size <= end) return size <= free2 ? 0 : -1;
    return end + size <= free2 ? end : -1;
  }
  /** The largest frame that fits now (the bigger of the two free runs). */
  #largestFit(head, tail) {
    const free2 = this.capacity - this.#used(head, tail);
    const end = this.capacity - this.#offset(tail);
    if (free2 <= end) return free2;
    return Math.max(end, free2 - end);
  }
  #nextToken() {
    let token = Atomics.add(this.#i32, RING_NEXT_TOKEN, 1);
    if (token === 0) token = Atomics.add(this.#i32, RING_NEXT_TOKEN, 1);
    return token;
  }
  // ---- producing (under the producer lock) ----
  /** Most bytes a single frame may take; larger messages are streamed. */
  get #maxFrame() {
    return this.capacity >> 1 & ~7;
  }
  /** Whether a payload of this length must be streamed in pieces. */
  needsStream(length) {
    return align8(FRAME_HEADER + length) > this.#maxFrame;
  }
  /**
   * Writes a frame at TAIL (after `pad` bytes of padding) and makes it
   * visible. `extra` is the piece header, if any.
   */
  #write(pad, size, kind, payload, w) {
    assertLive();
    const i32 = this.#i32;
    const tail = i32[RING_TAIL];
    let at = RING_DATA_OFFSET + this.#offset(tail);
    if (pad > 0) {
      i32[at >> 2] = pad - FRAME_HEADER;
      i32[(at >> 2) + 1] = FRAME_PAD;
      at = RING_DATA_OFFSET;
    }
    let length = payload.length;
    if (w !== null) {
      i32[(at >> 2) + 2] = w.token;
      i32[(at >> 2) + 3] = w.payload.length;
      this.#u8.set(payload, at + FRAME_HEADER + PIECE_HEADER2);
      length += PIECE_HEADER2;
    } else {
      this.#u8.set(payload, at + FRAME_HEADER);
    }
    i32[at >> 2] = length;
    i32[(at >> 2) + 1] = kind;
    const kindOnly = kind & FRAME_KIND_MASK;
    if (kindOnly === FRAME_WHOLE || kindOnly === FRAME_LAST) {
      i32[RING_PUTS] = i32[RING_PUTS] + 1;
      if (this.#joinable) Atomics.add(i32, RING_UNFINISHED, 1);
    }
    Atomics.store(i32, RING_TAIL, this.#advance(tail, pad + size));
    this.#framesPut = i32[RING_PUT_FRAMES] = i32[RING_PUT_FRAMES] + 1 | 0;
    this.#dataArrived();
  }
  /**
   * HEAD as this thread saw it last, while no other producer has written a
   * frame since (so it is at most one lap behind); else loaded afresh.
   */
  #headSeen() {
    if (this.#framesPut === this.#i32[RING_PUT_FRAMES]) return this.#head;
    return this.#loadHead();
  }
  #loadHead() {
    this.#framesPut = this.#i32[RING_PUT_FRAMES];
    return this.#head = Atomics.load(this.#i32, RING_HEAD);
  }
  /** Whether a producer is streaming (a dead one's stream is abandoned). */
  #streamBusy() {
    const i32 = this.#i32;
    if (i32[RING_STREAM_WRITER_TOKEN] === 0) return false;
    if (isPidAlive(Atomics.load(i32, RING_STREAM_WRITER_PID))) return true;
    this.#abandonStream();
    return false;
  }
  #abandonStream() {
    const i32 = this.#i32;
    Atomics.store(i32, RING_STREAM_WRITER_PID, 0);
    Atomics.store(i32, RING_STREAM_WRITER_TOKEN, 0);
    this.#bumpRoom();
    this.#bumpData();
  }
  /** Checks what every put checks first; WAIT means "announced, park". */
  #admit() {
    const i32 = this.#i32;
    if (i32[RING_CLOSED] === 1) return CLOSED;
    if (i32[RING_READER_CLOSED] === 1) return BROKEN;
    if (this.#streamBusy()) {
      this.#announceRoom(this.capacity + 1, false);
      return WAIT;
    }
    if (this.maxsize > 0) {
      const items = i32[RING_PUTS] - Atomics.load(i32, RING_GETS) | 0;
      if (items >= this.maxsize) {
        this.#announceRoom(0, true);
        if ((i32[RING_PUTS] - Atomics.load(i32, RING_GETS) | 0) >= this.maxsize) {
          return WAIT;
        }
      }
    }
    return OK;
  }
  #tryPut(payload, raw) {
    const admitted = this.#admit();
    if (admitted !== OK) return admitted;
    const i32 = this.#i32;
    const size = align8(FRAME_HEADER + payload.length);
    const tail = i32[RING_TAIL];
    let pad = this.#fit(size, this.#headSeen(), tail);
    if (pad < 0) {
      pad = this.#fit(size, this.#loadHead(), tail);
      if (pad < 0) {
        this.#announceRoom(Math.max(size, Math.min(this.capacity >> 3, this.#maxFrame)), false);
        pad = this.#fit(size, this.#loadHead(), tail);
        if (pad < 0) return WAIT;
      }
    }
    this.#write(pad, size, raw ? FRAME_WHOLE | FRAME_RAW : FRAME_WHOLE, payload, null);
    return OK;
  }
  #tryStreamStart(w) {
    const admitted = this.#admit();
    if (admitted !== OK) return admitted;
    const i32 = this.#i32;
    w.token = this.#nextToken();
    Atomics.store(i32, RING_STREAM_WRITER_PID, selfProcess().pid);
    Atomics.store(i32, RING_STREAM_WRITER_TOKEN, w.token);
    return this.#tryPiece(w);
  }
  #tryPiece(w) {
    const i32 = this.#i32;
    if (Atomics.load(i32, RING_STREAM_WRITER_TOKEN) !== w.token) return LOST;
    if (i32[RING_READER_CLOSED] === 1) {
      this.#abandonStream();
      return BROKEN;
    }
    const total = w.payload.length;
    const remaining = total - w.offset;
    const headers = FRAME_HEADER + PIECE_HEADER2;
    const tail = i32[RING_TAIL];
    const want = Math.min(remaining, Math.max(8, this.capacity >> 3));
    let room = Math.min(this.#largestFit(this.#loadHead(), tail), this.#maxFrame) - headers;
    if (room < want) {
      this.#announceRoom(align8(headers + want), false);
      room = Math.min(this.#largestFit(this.#loadHead(), tail), this.#maxFrame) - headers;
      if (room < want) return WAIT;
    }
    let piece2 = Math.min(remaining, room & ~7);
    if (piece2 <= 0) piece2 = Math.min(remaining, room);
    if (w.offset === 0 && piece2 === remaining) piece2 = remaining - 1;
    const size = align8(headers + piece2);
    const pad = this.#fit(size, this.#loadHead(), tail);
    if (pad < 0) {
      this.#announceRoom(size, false);
      return WAIT;
    }
    const last = w.offset + piece2 === total;
    let kind = w.offset === 0 ? FRAME_FIRST : last ? FRAME_LAST : FRAME_MORE;
    if (w.raw) kind |= FRAME_RAW;
    this.#write(pad, size, kind, w.payload.subarray(w.offset, w.offset + piece2), w);
    w.offset += piece2;
    if (!last) return CONTINUE;
    Atomics.store(i32, RING_STREAM_WRITER_PID, 0);
    Atomics.store(i32, RING_STREAM_WRITER_TOKEN, 0);
    this.#bumpRoom();
    return OK;
  }
  /** Gives up a stream this thread was writing (timeout or abort). */
  #giveUpStream(w) {
    this.#lock(RING_PLOCK);
    try {
      if (Atomics.load(this.#i32, RING_STREAM_WRITER_TOKEN) === w.token) {
        this.#abandonStream();
      }
    } finally {
      this.#unlock(RING_PLOCK);
    }
  }
  #putStep(w, stream) {
    this.#lock(RING_PLOCK);
    try {
      return !stream ? this.#tryPut(w.payload, w.raw) : w.token === 0 ? this.#tryStreamStart(w) : this.#tryPiece(w);
    } finally {
      this.#unlock(RING_PLOCK);
    }
  }
  /**
   * Tries once to put a payload that fits one frame, without waiting.
   * The payload is copied; it may be a scratch view.
   *
   * @returns OK, CLOSED, BROKEN, or TIMED_OUT when there is no room now.
   */
  tryPutNow(payload, raw) {
    this.#lock(RING_PLOCK);
    let status;
    try {
      status = this.#tryPut(payload, raw);
    } finally {
      this.#unlock(RING_PLOCK);
    }
    return status === WAIT ? TIMED_OUT : status;
  }
  /**
   * Puts a payload, waiting for room up to `timeout` ms, parking the thread.
   *
   * @returns OK, CLOSED, BROKEN or TIMED_OUT.
   */
  putSync(payload, raw, timeout) {
    const stream = this.needsStream(payload.length);
    if (!stream) {
      this.#lock(RING_PLOCK);
      let status;
      try {
        status = this.#tryPut(payload, raw);
      } finally {
        this.#unlock(RING_PLOCK);
      }
      if (status !== WAIT) return status;
    }
    const deadline = new Deadline(timeout);
    const w = {
      token: 0,
      payload,
      offset: 0,
      raw
    };
    while (true) {
      assertLive();
      this.handles?.refresh();
      const status = this.#putStep(w, stream);
      if (status === CONTINUE) continue;
      if (status === LOST) {
        assertLive();
        return BROKEN;
      }
      if (status !== WAIT) return status;
      const remaining = deadline.remaining();
      if (remaining <= 0) {
        if (w.token !== 0) this.#giveUpStream(w);
        return TIMED_OUT;
      }
      this.#waitSync(remaining);
    }
  }
  /**
   * Async twin of {@linkcode Ring.putSync}. The payload must not change
   * while this runs (pass a copy, not a scratch view).
   */
  async put(payload, raw, options) {
    const deadline = new Deadline(options.timeout);
    const stream = this.needsStream(payload.length);
    const w = {
      token: 0,
      payload,
      offset: 0,
      raw
    };
    let done = false;
    try {
      while (true) {
        options.signal?.throwIfAborted();
        assertLive();
        this.handles?.refresh();
        const status = this.#putStep(w, stream);
        if (status === CONTINUE) continue;
        if (status === LOST) {
          assertLive();
          done = true;
          return BROKEN;
        }
        if (status !== WAIT) {
          done = true;
          return status;
        }
        const remaining = deadline.remaining();
        if (remaining <= 0) return TIMED_OUT;
        await this.#wait(remaining, options.signal);
      }
    } finally {
      if (!done && w.token !== 0) this.#giveUpStream(w);
    }
  }
  /** Whether this thread has puts still waiting on this ring. */
  get hasPendingPuts() {
    return this.#pendingPuts > 0;
  }
  /**
   * Runs {@linkcode Ring.put} after every earlier pending put of this
   * object, so that puts a thread does not await still keep their order
   * (per-producer FIFO).
   */
  enqueuePut(payload, raw, options) {
    const previous = this.#putChain;
    this.#pendingPuts++;
    const run2 = (async () => {
      try {
        if (previous !== null) await previous;
        return await this.put(payload, raw, options);
      } finally {
        if (--this.#pendingPuts === 0) this.#putChain = null;
      }
    })();
    this.#putChain = run2.then(() => {
    }, () => {
    });
    return run2;
  }
  // ---- consuming (under the consumer lock) ----
  /** Whether a live producer is streaming (optionally: this stream). */
  #writerActive(token) {
    const i32 = this.#i32;
    const current2 = Atomics.load(i32, RING_STREAM_WRITER_TOKEN);
    if (current2 === 0 || token !== 0 && current2 !== token) return false;
    return isPidAlive(Atomics.load(i32, RING_STREAM_WRITER_PID));
  }
  /**
   * TAIL as this thread saw it last, while no other consumer has taken a
   * frame since (so every frame up to it is still there to read); loaded
   * afresh when that is not known, or when it shows nothing more.
   */
  #tailSeen(head) {
    if (this.#framesTaken === this.#i32[RING_TAKE_FRAMES] && this.#tail !== head) return this.#tail;
    this.#framesTaken = this.#i32[RING_TAKE_FRAMES];
    return this.#tail = Atomics.load(this.#i32, RING_TAIL);
  }
  /** Frees `bytes` at HEAD. */
  #release(head, bytes, message) {
    const i32 = this.#i32;
    if (message) i32[RING_GETS] = i32[RING_GETS] + 1;
    Atomics.store(i32, RING_HEAD, this.#advance(head, bytes));
    this.#framesTaken = i32[RING_TAKE_FRAMES] = i32[RING_TAKE_FRAMES] + 1 | 0;
    this.#roomFreed();
  }
  /** A message was discarded: nobody will ever mark it done. */
  #discarded() {
    if (this.#joinable && Atomics.sub(this.#i32, RING_UNFINISHED, 1) === 1) Atomics.notify(this.#i32, RING_UNFINISHED);
  }
  #tryTake(r, nowait, quiet) {
    const i32 = this.#i32;
    const u8 = this.#u8;
    while (true) {
      const reader = i32[RING_STREAM_READER_TOKEN];
      if (reader !== 0 && reader !== r.token) {
        if (isPidAlive(i32[RING_STREAM_READER_PID])) {
          this.#announceData();
          return WAIT;
        }
        this.#clearReader();
      }
      const head = i32[RING_HEAD];
      if (this.#tailSeen(head) === head) {
        if (r.partial !== null) {
          if (this.#writerActive(r.stream)) {
            this.#announceData();
            if (Atomics.load(i32, RING_TAIL) !== head) continue;
            return WAIT;
          }
          this.#dropPartial(r);
        }
        if (Atomics.load(i32, RING_CLOSED) === 1) {
          if (Atomics.load(i32, RING_TAIL) !== head) continue;
          if (!this.#writerActive(0)) return CLOSED;
        }
        if (quiet) {
          this.#waitIndex = RING_TAIL;
          this.#waitValue = head;
          return WAIT;
        }
        this.#announceData();
        if (Atomics.load(i32, RING_TAIL) !== head) continue;
        return WAIT;
      }
      const at = RING_DATA_OFFSET + this.#offset(head);
      const length = i32[at >> 2];
      const flagged = i32[(at >> 2) + 1];
      const kind = flagged & FRAME_KIND_MASK;
      const raw = (flagged & FRAME_RAW) !== 0;
      if (kind === FRAME_PAD) {
        this.#release(head, FRAME_HEADER + length, false);
        continue;
      }
      const size = align8(FRAME_HEADER + length);
      const start = at + FRAME_HEADER;
      assertLive();
      if (kind === FRAME_WHOLE) {
        if (r.partial !== null) this.#dropPartial(r);
        const out2 = scratchFor(length);
        if (length <= 32) {
          for (let i = 0; i < length; i++) out2[i] = u8[start + i];
        } else {
          out2.set(u8.subarray(start, start + length));
        }
        this.taken = out2.subarray(0, length);
        this.takenRaw = raw;
        this.#release(head, size, true);
        return OK;
      }
      const token = i32[(at >> 2) + 2];
      const pieceStart = start + PIECE_HEADER2;
      const pieceLength = length - PIECE_HEADER2;
      if (kind === FRAME_FIRST) {
        if (nowait && this.items() === 0) {
          this.#announceData();
          return WAIT;
        }
        if (r.partial !== null) this.#dropPartial(r);
        const total = i32[(at >> 2) + 3];
        if (r.token === 0) r.token = this.#nextToken();
        r.stream = token;
        r.partial = new Uint8Array(total);
        r.filled = 0;
        r.partialRaw = raw;
        i32[RING_STREAM_READER_PID] = selfProcess().pid;
        Atomics.store(i32, RING_STREAM_READER_TOKEN, r.token);
      } else if (r.partial === null || token !== r.stream) {
        this.#release(head, size, kind === FRAME_LAST);
        if (kind === FRAME_LAST) this.#discarded();
        continue;
      }
      const partial = r.partial;
      if (r.filled + pieceLength > partial.length) {
        this.#release(head, size, kind === FRAME_LAST);
        this.#dropPartial(r);
        if (kind === FRAME_LAST) this.#discarded();
        continue;
      }
      partial.set(u8.subarray(pieceStart, pieceStart + pieceLength), r.filled);
      r.filled += pieceLength;
      if (kind !== FRAME_LAST) {
        this.#release(head, size, false);
        continue;
      }
      const complete = r.filled === partial.length;
      const partialRaw = r.partialRaw;
      this.#dropPartial(r);
      this.#release(head, size, true);
      if (!complete) {
        this.#discarded();
        continue;
      }
      this.taken = partial;
      this.takenRaw = partialRaw;
      return OK;
    }
  }
  #clearReader() {
    const i32 = this.#i32;
    i32[RING_STREAM_READER_PID] = 0;
    Atomics.store(i32, RING_STREAM_READER_TOKEN, 0);
    this.#bumpData();
  }
  #dropPartial(r) {
    r.partial = null;
    r.filled = 0;
    r.stream = 0;
    if (this.#i32[RING_STREAM_READER_TOKEN] === r.token) this.#clearReader();
  }
  #takeStep(r, nowait, quiet) {
    this.#lock(RING_CLOCK);
    try {
      return this.#tryTake(r, nowait, quiet);
    } finally {
      this.#unlock(RING_CLOCK);
    }
  }
  /**
   * Tries once to take a message, without waiting. On OK the payload is in
   * `taken` (valid until the next take on this thread). With `nowait`, a
   * streamed message is only started when it is complete in the ring; else
   * a started one is left in `r` for {@linkcode Ring.take} or
   * {@linkcode Ring.takeSync} to finish.
   *
   * @returns OK, CLOSED (closed and drained) or TIMED_OUT.
   */
  takeOnce(r, nowait = false) {
    let status = this.#takeStep(r, nowait, true);
    if (status === WAIT && this.handles?.refresh()) {
      status = this.#takeStep(r, nowait, true);
    }
    return status === WAIT ? TIMED_OUT : status;
  }
  /**
   * Takes one message, waiting up to `timeout` ms by parking the thread.
   * Once the first piece of a streamed message is taken, the rest is
   * awaited regardless of `timeout` (bounded by the writer staying alive).
   *
   * @returns OK (payload in `taken`), CLOSED (closed and drained) or
   *   TIMED_OUT.
   */
  takeSync(r, timeout) {
    let status = this.#takeStep(r, false, true);
    if (status !== WAIT) return status;
    const deadline = new Deadline(timeout);
    let quiet = true;
    while (true) {
      if (quiet) {
        quiet = this.#spin(SPIN_SYNC);
      } else if (r.partial !== null) {
        this.#waitSync(PARK_SLICE_MS);
        quiet = true;
      } else {
        const remaining = deadline.remaining();
        if (remaining <= 0) return TIMED_OUT;
        this.#waitSync(remaining);
        quiet = true;
      }
      if (!quiet && deadline.remaining() <= 0 && r.partial === null) {
        return TIMED_OUT;
      }
      this.handles?.refresh();
      status = this.#takeStep(r, false, quiet);
      if (status !== WAIT) return status;
      if (this.#waitIndex !== RING_TAIL) quiet = false;
    }
  }
  /**
   * Async twin of {@linkcode Ring.takeSync}; an abort rejects with
   * `signal.reason` and takes nothing. Resolves to the taken message (an
   * owned copy) or to CLOSED or TIMED_OUT.
   */
  async take(r, options) {
    const deadline = new Deadline(options.timeout);
    let quiet = true;
    while (true) {
      if (r.partial === null) options.signal?.throwIfAborted();
      assertLive();
      this.handles?.refresh();
      const status = this.#takeStep(r, false, quiet);
      if (status === OK) {
        const bytes = this.taken.buffer === takeScratch.buffer ? this.taken.slice() : this.taken;
        return {
          bytes,
          raw: this.takenRaw
        };
      }
      if (status !== WAIT) return status;
      if (this.#waitIndex === RING_TAIL) {
        quiet = this.#spin(SPIN_ASYNC);
        if (!quiet && deadline.remaining() <= 0) return TIMED_OUT;
        continue;
      }
      quiet = true;
      if (r.partial !== null) {
        await this.#wait(PARK_SLICE_MS, void 0);
      } else {
        const remaining = deadline.remaining();
        if (remaining <= 0) return TIMED_OUT;
        await this.#wait(remaining, options.signal);
      }
    }
  }
  /**
   * Waits until a take would not block (something to take, or closed and
   * drained), without taking anything.
   *
   * @returns true when a take would not block.
   */
  async poll(options) {
    const deadline = new Deadline(options.timeout);
    while (true) {
      if (this.#readable()) return true;
      const remaining = deadline.remaining();
      if (remaining <= 0) return false;
      await this.#wait(remaining, options.signal);
    }
  }
  /** Blocking twin of {@linkcode Ring.poll}. */
  pollSync(timeout) {
    const deadline = new Deadline(timeout);
    while (true) {
      if (this.#readable()) return true;
      const remaining = deadline.remaining();
      if (remaining <= 0) return false;
      this.#waitSync(remaining);
    }
  }
  #readableNow() {
    const i32 = this.#i32;
    return this.items() > 0 || Atomics.load(i32, RING_CLOSED) === 1 && this.isEmpty() && !this.#writerActive(0);
  }
  #readable() {
    assertLive();
    this.handles?.refresh();
    if (this.#readableNow()) return true;
    this.#announceData();
    return this.#readableNow();
  }
  // ---- waiting ----
  /** Spins while the recorded word is unchanged; true if it changed. */
  #spin(spins) {
    const i32 = this.#i32;
    const index2 = this.#waitIndex;
    const value = this.#waitValue;
    for (let spin2 = 0; spin2 < spins; spin2++) {
      if (Atomics.load(i32, index2) !== value) return true;
    }
    return false;
  }
  #waitSync(remaining) {
    const i32 = this.#i32;
    const index2 = this.#waitIndex;
    const value = this.#waitValue;
    for (let spin2 = 0; spin2 < SPIN_SYNC; spin2++) {
      if (Atomics.load(i32, index2) !== value) return;
    }
    parkSync(i32, index2, value, Math.min(remaining, PARK_SLICE_MS));
  }
  async #wait(remaining, signal) {
    const i32 = this.#i32;
    const index2 = this.#waitIndex;
    const value = this.#waitValue;
    for (let spin2 = 0; spin2 < SPIN_ASYNC; spin2++) {
      if (Atomics.load(i32, index2) !== value) return;
    }
    await park(i32, index2, value, {
      timeout: Math.min(remaining, PARK_SLICE_MS),
      signal
    });
  }
};
var NO_OPTIONS = Object.freeze({
  timeout: Infinity,
  signal: void 0
});
function waitOptions(what, options) {
  if (options === void 0) return NO_OPTIONS;
  if (typeof options !== "object" || options === null) {
    throw new TypeError(`${what}: options must be an object, received ${describe(options)}`);
  }
  const { timeout, signal } = options;
  const ms = checkTimeout(what, timeout);
  checkSignal(what, signal);
  return {
    timeout: ms,
    signal
  };
}
__name(waitOptions, "waitOptions");
function createQueueRing(options, joinable2) {
  if (options === void 0) return Ring.create(DEFAULT_CAPACITY, 0, joinable2);
  if (typeof options !== "object" || options === null) {
    throw new TypeError(`Cannot create queue: options must be an object, received ${describe(options)}`);
  }
  const { maxsize = 0, capacity = DEFAULT_CAPACITY } = options;
  if (typeof maxsize !== "number") {
    throw new TypeError(`Cannot create queue: maxsize must be a number, received ${describe(maxsize)}`);
  }
  if (!Number.isInteger(maxsize) || maxsize > 1073741823) {
    throw new RangeError(`Cannot create queue: maxsize must be an integer up to ${1073741823}, received ${maxsize}`);
  }
  checkCapacity("Cannot create queue", capacity);
  return Ring.create(capacity, maxsize <= 0 ? 0 : maxsize, joinable2);
}
__name(createQueueRing, "createQueueRing");
function checkCapacity(what, capacity) {
  if (typeof capacity !== "number") {
    throw new TypeError(`${what}: capacity must be a number, received ${describe(capacity)}`);
  }
  if (!Number.isInteger(capacity) || capacity < MIN_CAPACITY || capacity > MAX_CAPACITY) {
    throw new RangeError(`${what}: capacity must be an integer from ${MIN_CAPACITY} to ${MAX_CAPACITY} bytes, received ${capacity}`);
  }
}
__name(checkCapacity, "checkCapacity");

// lib/_handles.ts
var live2 = /* @__PURE__ */ new Set();
var Count = class {
  static {
    __name(this, "Count");
  }
  #release;
  /** Remembers a handle already counted; `release` gives the count back. */
  constructor(release2) {
    this.#release = release2;
    if (isWorkerThread) live2.add(this);
  }
  /** Gives the count back (idempotent). */
  close() {
    const release2 = this.#release;
    if (release2 === null) return;
    this.#release = null;
    live2.delete(this);
    release2();
  }
};
onSelfFinish(() => {
  for (const count of [
    ...live2
  ]) count.close();
});
function grantHandle(closed, context, open, hold2) {
  if (closed) return {
    grant: {
      mode: "closed",
      pid: 0
    }
  };
  if (context === void 0) return {
    grant: {
      mode: "lent",
      pid: 0
    }
  };
  if (context.owner !== null) {
    const owner = context.owner;
    return open(owner) ? {
      grant: {
        mode: "owned",
        pid: owner
      }
    } : {
      grant: {
        mode: "closed",
        pid: 0
      }
    };
  }
  const count = hold2();
  if (count === null) return {
    grant: {
      mode: "closed",
      pid: 0
    }
  };
  return {
    grant: {
      mode: "lent",
      pid: 0
    },
    release: /* @__PURE__ */ __name(() => count.close(), "release")
  };
}
__name(grantHandle, "grantHandle");
var T_LOCK = 0;
var T_LOCK_OWNER = 1;
var T_USED = 2;
var T_GONE = 3;
var T_TOTAL = 4;
var T_HEADER = 8;
var SLOT_INTS = 4;
var S_PID = 0;
var S_COUNT = 1;
var FIRST_SLOTS = 4;
var MAX_SLOTS = TABLE_SLOTS + 1;
function tableBytes(slots) {
  return (T_HEADER + slots * SLOT_INTS) * 4;
}
__name(tableBytes, "tableBytes");
var HandleTable = class _HandleTable {
  static {
    __name(this, "HandleTable");
  }
  /** The shared memory, for descriptors. */
  buffer;
  /**
   * Called outside any lock when this thread finds that a role has no
   * handle left; the owner closes the ring sides that role fed.
   */
  onGone = null;
  #i32;
  #deaths;
  #seen = -1;
  /** A new table with no handle yet. */
  static create() {
    return new _HandleTable(new SharedArrayBuffer(tableBytes(FIRST_SLOTS), {
      maxByteLength: tableBytes(MAX_SLOTS)
    }));
  }
  /** Attaches to a table's shared memory. */
  constructor(buffer) {
    this.buffer = buffer;
    this.#i32 = new Int32Array(buffer);
    this.#deaths = processTable();
  }
  /** Whether `role` has no handle left (for good). */
  gone(role) {
    return (Atomics.load(this.#i32, T_GONE) & 1 << role) !== 0;
  }
  /** Open handles of `role` (dead owners included until reaped). */
  total(role) {
    return Atomics.load(this.#i32, T_TOTAL + role);
  }
  /**
   * Counts one more handle of `role` for `pid`.
   *
   * @returns false (counting nothing) when the role is gone.
   */
  open(pid, role) {
    const i32 = this.#i32;
    let opened = false;
    lockShort(i32, T_LOCK, T_LOCK_OWNER);
    try {
      if ((i32[T_GONE] & 1 << role) === 0) {
        let slot = this.#find(pid);
        if (slot < 0) slot = this.#claim(pid);
        if ((i32[T_GONE] & 1 << role) === 0) {
          i32[slot + S_COUNT + role]++;
          Atomics.add(i32, T_TOTAL + role, 1);
          opened = true;
        } else if (i32[slot + S_COUNT] === 0 && i32[slot + S_COUNT + 1] === 0) {
          i32[slot + S_PID] = 0;
        }
      }
    } finally {
      unlockShort(i32, T_LOCK);
    }
    const gone = this.#reaped;
    this.#reaped = 0;
    this.#announce(gone);
    return opened;
  }
  /** Takes away one handle of `role` held by `pid` (none left: no-op). */
  close(pid, role) {
    const i32 = this.#i32;
    let gone = 0;
    lockShort(i32, T_LOCK, T_LOCK_OWNER);
    try {
      const slot = this.#find(pid);
      if (slot < 0 || i32[slot + S_COUNT + role] === 0) return;
      i32[slot + S_COUNT + role]--;
      if (i32[slot + S_COUNT] === 0 && i32[slot + S_COUNT + 1] === 0) {
        i32[slot + S_PID] = 0;
      }
      gone = this.#drop(role, 1);
    } finally {
      unlockShort(i32, T_LOCK);
    }
    this.#announce(gone);
  }
  /**
   * Looks for dead owners if a process has ended since the last look (one
   * atomic load otherwise), and takes their handles away.
   *
   * @returns whether that left a role with no handle (`onGone` has run).
   */
  refresh() {
    const deaths = this.#deaths[TABLE_DEATHS];
    if (deaths === this.#seen) return false;
    this.#seen = deaths;
    const i32 = this.#i32;
    let gone = 0;
    lockShort(i32, T_LOCK, T_LOCK_OWNER);
    try {
      gone = this.#reap();
    } finally {
      unlockShort(i32, T_LOCK);
    }
    this.#announce(gone);
    return gone !== 0;
  }
  #announce(gone) {
    if (gone === 0 || this.onGone === null) return;
    for (let role = 0; role < 2; role++) {
      if ((gone & 1 << role) !== 0) this.onGone(role);
    }
  }
  /** Lowers a role's total; returns its bit when that made it gone. */
  #drop(role, n) {
    const i32 = this.#i32;
    if (Atomics.sub(i32, T_TOTAL + role, n) !== n) return 0;
    Atomics.or(i32, T_GONE, 1 << role);
    return 1 << role;
  }
  /** Frees the slots of dead owners; returns the roles that became gone. */
  #reap() {
    const i32 = this.#i32;
    const used = i32[T_USED];
    let gone = 0;
    for (let s = 0; s < used; s++) {
      const slot = T_HEADER + s * SLOT_INTS;
      const pid = i32[slot + S_PID];
      if (pid === 0 || isPidAlive(pid)) continue;
      for (let role = 0; role < 2; role++) {
        const n = i32[slot + S_COUNT + role];
        if (n === 0) continue;
        i32[slot + S_COUNT + role] = 0;
        gone |= this.#drop(role, n);
      }
      i32[slot + S_PID] = 0;
    }
    return gone;
  }
  #find(pid) {
    const i32 = this.#i32;
    const used = i32[T_USED];
    for (let s = 0; s < used; s++) {
      const slot = T_HEADER + s * SLOT_INTS;
      if (i32[slot + S_PID] === pid) return slot;
    }
    return -1;
  }
  /** A free slot for `pid`: reused, appended, or made by growing. */
  #claim(pid) {
    const i32 = this.#i32;
    for (let pass = 0; pass < 2; pass++) {
      const used = i32[T_USED];
      for (let s = 0; s < used; s++) {
        const slot = T_HEADER + s * SLOT_INTS;
        if (i32[slot + S_PID] === 0) {
          i32[slot + S_PID] = pid;
          return slot;
        }
      }
      const capacity = (i32.length - T_HEADER) / SLOT_INTS;
      if (used < capacity) {
        const slot = T_HEADER + used * SLOT_INTS;
        i32[slot + S_PID] = pid;
        Atomics.store(i32, T_USED, used + 1);
        return slot;
      }
      if (capacity < MAX_SLOTS) {
        this.buffer.grow(tableBytes(Math.min(MAX_SLOTS, capacity * 2)));
        continue;
      }
      this.#reaped |= this.#reap();
    }
    throw new RangeError(`Cannot open handle: more than ${MAX_SLOTS} processes hold it`);
  }
  /** Roles found gone while claiming, announced once the lock is released. */
  #reaped = 0;
};
function tableCount(table2, pid, role) {
  return new Count(() => table2.close(pid, role));
}
__name(tableCount, "tableCount");
var Handle = class _Handle {
  static {
    __name(this, "Handle");
  }
  #table;
  #role;
  #count;
  #open;
  constructor(table2, role, count, open) {
    this.#table = table2;
    this.#role = role;
    this.#count = count;
    this.#open = open;
  }
  /** The first handle of a new object, counted for this thread. */
  static first(table2, role) {
    const pid = selfProcess().pid;
    if (!table2.open(pid, role)) {
      throw new Error("Cannot open handle: the table is already closed");
    }
    return new _Handle(table2, role, tableCount(table2, pid, role), true);
  }
  /** The handle a descriptor grants, on the receiving thread. */
  static revive(table2, role, grant) {
    if (grant.mode === "closed") return new _Handle(table2, role, null, false);
    if (grant.mode === "lent") return new _Handle(table2, role, null, true);
    const count = tableCount(table2, grant.pid, role);
    return new _Handle(table2, role, count, true);
  }
  /** The table this handle is counted in. */
  get table() {
    return this.#table;
  }
  /** Whether this handle has been closed. */
  get closed() {
    return !this.#open;
  }
  /** Grants a handle of the same role to another thread. */
  grant(context) {
    const table2 = this.#table;
    const role = this.#role;
    return grantHandle(!this.#open, context, (pid) => table2.open(pid, role), () => {
      const pid = selfProcess().pid;
      return table2.open(pid, role) ? tableCount(table2, pid, role) : null;
    });
  }
  /**
   * Closes this handle (idempotent).
   *
   * @returns whether this call closed it.
   */
  close() {
    if (!this.#open) return false;
    this.#open = false;
    this.#count?.close();
    this.#count = null;
    return true;
  }
};

// lib/channel/queue_parts.ts
var ROLE = 0;
var partsOf = /* @__PURE__ */ new WeakMap();
var reviving4 = null;
var joinableNext = false;
function reviveNext(data) {
  reviving4 = data;
}
__name(reviveNext, "reviveNext");
function joinableNextQueue() {
  joinableNext = true;
}
__name(joinableNextQueue, "joinableNextQueue");
function wire(ring, table2) {
  ring.handles = table2;
  table2.onGone = () => ring.close();
}
__name(wire, "wire");
function queueParts(owner, options) {
  const data = reviving4;
  const joinable2 = joinableNext;
  reviving4 = null;
  joinableNext = false;
  let parts;
  if (data !== null) {
    const ring = new Ring(data.ring);
    const table2 = new HandleTable(data.handles);
    wire(ring, table2);
    parts = {
      ring,
      handle: Handle.revive(table2, ROLE, data.grant)
    };
  } else {
    const ring = createQueueRing(options, joinable2);
    const table2 = HandleTable.create();
    wire(ring, table2);
    parts = {
      ring,
      handle: Handle.first(table2, ROLE)
    };
  }
  partsOf.set(owner, parts);
  return parts;
}
__name(queueParts, "queueParts");
function shareQueue(kind, module, parts, context) {
  const { grant, release: release2 } = parts.handle.grant(context);
  const data = {
    ring: parts.ring.buffer,
    handles: parts.handle.table.buffer,
    grant
  };
  return {
    kind,
    module,
    data,
    release: release2
  };
}
__name(shareQueue, "shareQueue");
function inspectQueue(name, parts, extra = "") {
  const { ring, handle } = parts;
  return `${name} { maxsize: ${ring.maxsize}, qsize: ${ring.items()}${extra}, closed: ${handle.closed} }`;
}
__name(inspectQueue, "inspectQueue");

// lib/queue.ts
var PUT = "Cannot put to queue";
var GET = "Cannot get from queue";
function decodeTaken(bytes, raw) {
  return raw ? bytes.slice() : decode(bytes);
}
__name(decodeTaken, "decodeTaken");
function throwPut(status, value, timeout) {
  if (status === CLOSED) throw closedHandle(value);
  throw new QueueFullError(timeout === 0 ? "Cannot put to queue: the queue is full" : `Cannot put to queue: still full after ${timeout} ms`);
}
__name(throwPut, "throwPut");
function closedHandle(value) {
  return new QueueClosedError(value, "Cannot put to queue: this handle of the queue is closed");
}
__name(closedHandle, "closedHandle");
function throwGet(status, timeout) {
  if (status === CLOSED) {
    throw new QueueClosedError(void 0, "Cannot get from queue: every handle is closed and the queue is drained");
  }
  throw new QueueEmptyError(timeout === 0 ? "Cannot get from queue: the queue is empty" : `Cannot get from queue: still empty after ${timeout} ms`);
}
__name(throwGet, "throwGet");
var Queue = class {
  static {
    __name(this, "Queue");
  }
  #parts;
  #ring;
  /**
   * Creates a queue, and its first handle.
   *
   * @param options Item limit and byte capacity.
   * @throws {TypeError} When an option has the wrong type.
   * @throws {RangeError} When `maxsize` or `capacity` is out of range.
   */
  constructor(options) {
    this.#parts = queueParts(this, options);
    this.#ring = this.#parts.ring;
  }
  /** Most items the queue holds, `0` for no limit. */
  get maxsize() {
    return this.#ring.maxsize;
  }
  /** Bytes of shared memory for messages in flight. */
  get capacity() {
    return this.#ring.capacity;
  }
  /**
   * Whether this handle is closed ({@linkcode Queue.prototype.close}):
   * it puts no more.
   */
  get closed() {
    return this.#parts.handle.closed;
  }
  /**
   * Puts a value, waiting for room when the queue is full.
   *
   * A message taking more than half the `capacity` (however large, even
   * far larger than the capacity) is streamed through in pieces while
   * consumers take them; other producers wait meanwhile, so it still
   * arrives whole and in order, to one consumer. It is never dropped and
   * never deadlocks as long as some consumer gets. If its producer ends,
   * times out or is aborted mid-way, the pieces already sent are discarded
   * by the consumers: no partial message is ever delivered. Once a consumer
   * has started taking a streamed message, it finishes it regardless of its
   * own timeout or signal (waiting only while the producer is alive).
   *
   * @param value The value to put.
   * @param options A timeout and an abort signal.
   * @returns A promise that resolves once the value is in the queue.
   * @throws {TypeError} When the value cannot be encoded (nothing is put).
   * @throws {QueueClosedError} When this handle is closed.
   * @throws {QueueFullError} When `timeout` runs out.
   *
   * @example Usage
   * ```ts
   * import { Queue, QueueFullError } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   *
   * const q = new Queue({ maxsize: 1 });
   * await q.put({ id: 1, tags: new Set(["a"]) });
   * await assert.rejects(q.put(2, { timeout: 10 }), QueueFullError);
   * assert.deepEqual(await q.get(), { id: 1, tags: new Set(["a"]) });
   * ```
   */
  put(value, options) {
    try {
      const { timeout, signal } = waitOptions(PUT, options);
      assertLive();
      if (this.#parts.handle.closed) throw closedHandle(value);
      signal?.throwIfAborted();
      const ring = this.#ring;
      const bytes = encodeScratch(value, PUT);
      if (!ring.needsStream(bytes.length) && !ring.hasPendingPuts) {
        const status = ring.tryPutNow(bytes, false);
        if (status === OK) return Promise.resolve();
        if (status === CLOSED || timeout === 0) throwPut(status, value, 0);
      }
      return this.#putSlow(bytes.slice(), value, timeout, signal);
    } catch (error) {
      return Promise.reject(error);
    }
  }
  async #putSlow(bytes, value, timeout, signal) {
    const status = await this.#ring.enqueuePut(bytes, false, {
      timeout,
      signal
    });
    if (status !== OK) throwPut(status, value, timeout);
  }
  /**
   * Puts a value, blocking the thread while the queue is full.
   *
   * @param value The value to put.
   * @param options A timeout.
   * @throws {TypeError} When the value cannot be encoded (nothing is put).
   * @throws {QueueClosedError} When this handle is closed.
   * @throws {QueueFullError} When `timeout` runs out.
   *
   * @example Usage
   * ```ts
   * import { Queue } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   *
   * const q = new Queue<string>();
   * q.putSync("a");
   * assert.equal(q.getSync(), "a");
   * ```
   */
  putSync(value, options) {
    const { timeout } = waitOptions(PUT, options);
    if (this.#parts.handle.closed) throw closedHandle(value);
    const bytes = encodeScratch(value, PUT);
    const status = this.#ring.putSync(bytes, false, timeout);
    if (status !== OK) throwPut(status, value, timeout);
  }
  /**
   * Puts a value if there is room now.
   *
   * @param value The value to put.
   * @throws {TypeError} When the value cannot be encoded (nothing is put).
   * @throws {QueueClosedError} When this handle is closed.
   * @throws {QueueFullError} When there is no room now, or the message
   *   takes more than half the capacity (it can only be streamed by
   *   `put()` / `putSync()`).
   *
   * @example Usage
   * ```ts
   * import { Queue, QueueFullError } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   *
   * const q = new Queue({ maxsize: 1 });
   * q.putNowait(1);
   * assert.throws(() => q.putNowait(2), QueueFullError);
   * ```
   */
  putNowait(value) {
    assertLive();
    if (this.#parts.handle.closed) throw closedHandle(value);
    const bytes = encodeScratch(value, PUT);
    if (this.#ring.needsStream(bytes.length)) {
      throw new QueueFullError(`Cannot put to queue: a message of ${bytes.length} bytes is too large to put without waiting; use put()`);
    }
    const status = this.#ring.tryPutNow(bytes, false);
    if (status !== OK) throwPut(status, value, 0);
  }
  /**
   * Takes the oldest item, waiting for one when the queue is empty.
   *
   * @param options A timeout and an abort signal.
   * @returns The item.
   * @throws {QueueEmptyError} When `timeout` runs out.
   * @throws {QueueClosedError} When every handle is closed (or its Process
   *   ended) and the queue is drained.
   *
   * @example Usage
   * ```ts
   * import { Queue, QueueEmptyError } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   *
   * const q = new Queue<number>();
   * await assert.rejects(q.get({ timeout: 5 }), QueueEmptyError);
   * await q.put(7);
   * assert.equal(await q.get(), 7);
   * ```
   */
  get(options) {
    try {
      const { timeout, signal } = waitOptions(GET, options);
      assertLive();
      signal?.throwIfAborted();
      const ring = this.#ring;
      const r = newReadState();
      const status = ring.takeOnce(r);
      if (status === OK) {
        return Promise.resolve(decodeTaken(ring.taken, ring.takenRaw));
      }
      if (status === CLOSED || timeout === 0 && r.partial === null) {
        throwGet(status, 0);
      }
      return this.#getSlow(r, timeout, signal);
    } catch (error) {
      return Promise.reject(error);
    }
  }
  async #getSlow(r, timeout, signal) {
    const result = await this.#ring.take(r, {
      timeout,
      signal
    });
    if (typeof result === "number") throwGet(result, timeout);
    return decodeTaken(result.bytes, result.raw);
  }
  /**
   * Takes the oldest item, blocking the thread while the queue is empty.
   *
   * @param options A timeout.
   * @returns The item.
   * @throws {QueueEmptyError} When `timeout` runs out.
   * @throws {QueueClosedError} When every handle is closed (or its Process
   *   ended) and the queue is drained.
   *
   * @example Usage
   * ```ts
   * import { Queue, QueueEmptyError } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   *
   * const q = new Queue();
   * assert.throws(() => q.getSync({ timeout: 1 }), QueueEmptyError);
   * ```
   */
  getSync(options) {
    const { timeout } = waitOptions(GET, options);
    const ring = this.#ring;
    const status = ring.takeSync(newReadState(), timeout);
    if (status !== OK) throwGet(status, timeout);
    return decodeTaken(ring.taken, ring.takenRaw);
  }
  /**
   * Takes the oldest item if there is one now.
   *
   * @returns The item.
   * @throws {QueueEmptyError} When the queue is empty.
   * @throws {QueueClosedError} When every handle is closed (or its Process
   *   ended) and the queue is drained.
   *
   * @example Usage
   * ```ts
   * import { Queue, QueueEmptyError } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   *
   * const q = new Queue();
   * assert.throws(() => q.getNowait(), QueueEmptyError);
   * ```
   */
  getNowait() {
    assertLive();
    const ring = this.#ring;
    const status = ring.takeOnce(newReadState(), true);
    if (status !== OK) throwGet(status, 0);
    return decodeTaken(ring.taken, ring.takenRaw);
  }
  /**
   * The number of items in the queue now (a snapshot that other Processes
   * may change at once, as in Python).
   *
   * @returns The item count.
   *
   * @example Usage
   * ```ts
   * import { Queue } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   *
   * const q = new Queue();
   * q.putNowait("x");
   * assert.equal(q.qsize(), 1);
   * ```
   */
  qsize() {
    return this.#ring.items();
  }
  /**
   * Whether the queue has no items now (a snapshot).
   *
   * @returns `true` when empty.
   *
   * @example Usage
   * ```ts
   * import { Queue } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   *
   * assert.equal(new Queue().empty(), true);
   * ```
   */
  empty() {
    return this.#ring.items() === 0;
  }
  /**
   * Whether the queue holds `maxsize` items now (a snapshot). A queue
   * without `maxsize` is never full by count (a put may still wait for
   * bytes of room).
   *
   * @returns `true` when full.
   *
   * @example Usage
   * ```ts
   * import { Queue } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   *
   * const q = new Queue({ maxsize: 1 });
   * q.putNowait(1);
   * assert.equal(q.full(), true);
   * ```
   */
  full() {
    return this.maxsize > 0 && this.#ring.items() >= this.maxsize;
  }
  /**
   * Closes this handle (idempotent): it puts no more, as Python's
   * `close()`. Its later puts throw `QueueClosedError`; its gets still
   * drain. Other handles (other Processes' copies) are not affected; once
   * every handle is closed or its Process has ended, gets throw
   * `QueueClosedError` after the last item and `for await` loops end.
   *
   * @example Usage
   * ```ts
   * import { Queue, QueueClosedError } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   *
   * const q = new Queue<number>();
   * await q.put(1);
   * await q.put(2);
   * q.close(); // the only handle: nothing more can be put
   * assert.throws(() => q.putNowait(3), QueueClosedError);
   * const seen = [];
   * for await (const v of q) seen.push(v);
   * assert.deepEqual(seen, [1, 2]);
   * ```
   */
  close() {
    this.#parts.handle.close();
  }
  /**
   * Yields items until every handle is closed (or its Process ended) and
   * the queue is drained. This handle counts too: a consumer that puts
   * nothing closes it first (`q.close()`), or the loop waits for ever.
   *
   * @returns An async iterator over the items.
   *
   * @example Usage
   * ```ts
   * import { Queue } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   *
   * const q = new Queue<string>();
   * q.putNowait("a");
   * q.close();
   * const seen: string[] = [];
   * for await (const v of q) seen.push(v);
   * assert.deepEqual(seen, ["a"]);
   * ```
   */
  async *[Symbol.asyncIterator]() {
    while (true) {
      let value;
      try {
        value = await this.get();
      } catch (error) {
        if (error instanceof QueueClosedError) return;
        throw error;
      }
      yield value;
    }
  }
  /** Closes this handle (see {@linkcode Queue.prototype.close}). */
  [Symbol.dispose]() {
    this.close();
  }
  /**
   * The descriptor this queue crosses into a worker as. Internal.
   *
   * @param context Who receives it.
   * @returns The descriptor.
   * @ignore Internal: the shared-object registry calls it.
   */
  [SHARE](context) {
    return shareQueue("Queue", import.meta.url, this.#parts, context);
  }
  /**
   * What `console.log` / `Deno.inspect` show: `maxsize`, `qsize()` and
   * whether this handle is closed.
   *
   * @returns A short description.
   */
  [Symbol.for("Deno.customInspect")]() {
    return inspectQueue(this.constructor.name, this.#parts);
  }
};
registerShareable("Queue", (data) => {
  reviveNext(data);
  return new Queue();
});

// lib/joinable_queue.ts
var JOIN = "Cannot join queue";
function joinable(options) {
  joinableNextQueue();
  return options;
}
__name(joinable, "joinable");
var JoinableQueue = class extends Queue {
  static {
    __name(this, "JoinableQueue");
  }
  #parts;
  #ring;
  /**
   * Creates a joinable queue.
   *
   * @param options Item limit and byte capacity, as for {@linkcode Queue}.
   * @throws {TypeError} When an option has the wrong type.
   * @throws {RangeError} When `maxsize` or `capacity` is out of range.
   */
  constructor(options) {
    super(joinable(options));
    this.#parts = partsOf.get(this);
    this.#ring = this.#parts.ring;
  }
  /**
   * Marks one item as finished, as Python's `task_done()`.
   *
   * @throws {RangeError} When called more times than items were put (the
   *   count is left unchanged).
   *
   * @example Usage
   * ```ts
   * import { JoinableQueue } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   *
   * const q = new JoinableQueue();
   * q.putNowait("job");
   * q.getNowait();
   * q.taskDone();
   * assert.throws(() => q.taskDone(), RangeError);
   * ```
   */
  taskDone() {
    assertLive();
    if (!this.#ring.taskDone()) {
      throw new RangeError("Cannot mark task done: taskDone() was called more times than items were put");
    }
  }
  /**
   * The number of items put and not yet marked done.
   *
   * @returns The count.
   *
   * @example Usage
   * ```ts
   * import { JoinableQueue } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   *
   * const q = new JoinableQueue();
   * q.putNowait(1);
   * assert.equal(q.unfinishedTasks(), 1);
   * ```
   */
  unfinishedTasks() {
    return this.#ring.unfinished();
  }
  /**
   * Waits until every item put has been marked done.
   *
   * @param options A timeout and an abort signal.
   * @returns `true` when all tasks are done, `false` when `timeout` ran out.
   *
   * @example Usage
   * ```ts
   * import { JoinableQueue } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   *
   * const q = new JoinableQueue();
   * q.putNowait(1);
   * assert.equal(await q.join({ timeout: 5 }), false);
   * await q.get();
   * q.taskDone();
   * assert.equal(await q.join(), true);
   * ```
   */
  async join(options) {
    const { timeout, signal } = waitOptions(JOIN, options);
    assertLive();
    signal?.throwIfAborted();
    return await this.#ring.join({
      timeout,
      signal
    }) === OK;
  }
  /**
   * Blocking twin of {@linkcode JoinableQueue.prototype.join}; on the main
   * thread it freezes the event loop while it waits.
   *
   * @param options A timeout.
   * @returns `true` when all tasks are done, `false` when `timeout` ran out.
   *
   * @example Usage
   * ```ts
   * import { JoinableQueue } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   *
   * assert.equal(new JoinableQueue().joinSync(), true);
   * ```
   */
  joinSync(options) {
    const { timeout } = waitOptions(JOIN, options);
    assertLive();
    return this.#ring.joinSync(timeout) === OK;
  }
  /**
   * The descriptor this queue crosses into a worker as. Internal.
   *
   * @param context Who receives it.
   * @returns The descriptor.
   * @ignore Internal: the shared-object registry calls it.
   */
  [SHARE](context) {
    return shareQueue("JoinableQueue", import.meta.url, this.#parts, context);
  }
  /**
   * What `console.log` / `Deno.inspect` show: `maxsize`, `qsize()`,
   * unfinished tasks and whether this handle is closed.
   *
   * @returns A short description.
   */
  [Symbol.for("Deno.customInspect")]() {
    return inspectQueue("JoinableQueue", this.#parts, `, unfinished: ${this.#ring.unfinished()}`);
  }
};
registerShareable("JoinableQueue", (data) => {
  reviveNext(data);
  return new JoinableQueue();
});

// lib/_auth.ts
var encoder4 = new TextEncoder();
var CLIENT_PROOF = "denomp-client:";
var SERVER_PROOF = "denomp-server:";
var CHALLENGE_BYTES = 32;
function importHmacKey(authkey) {
  return crypto.subtle.importKey("raw", authkey, {
    name: "HMAC",
    hash: "SHA-256"
  }, false, [
    "sign",
    "verify"
  ]);
}
__name(importHmacKey, "importHmacKey");
function proofData(prefix, challenge) {
  const p = encoder4.encode(prefix);
  const out2 = new Uint8Array(p.length + challenge.length);
  out2.set(p);
  out2.set(challenge, p.length);
  return out2;
}
__name(proofData, "proofData");
async function prove(key2, prefix, challenge) {
  return new Uint8Array(await crypto.subtle.sign("HMAC", key2, proofData(prefix, challenge)));
}
__name(prove, "prove");
function verifyProof(key2, prefix, challenge, proof) {
  return crypto.subtle.verify("HMAC", key2, proof, proofData(prefix, challenge));
}
__name(verifyProof, "verifyProof");
function keyBytes(what, authkey) {
  if (typeof authkey === "string") return encoder4.encode(authkey);
  if (authkey instanceof Uint8Array) return authkey.slice();
  throw new TypeError(`${what}: authkey must be a Uint8Array or a string, received ${describe(authkey)}`);
}
__name(keyBytes, "keyBytes");
var SMALL_FRAME = 1024;
var K = new Uint32Array([
  1116352408,
  1899447441,
  3049323471,
  3921009573,
  961987163,
  1508970993,
  2453635748,
  2870763221,
  3624381080,
  310598401,
  607225278,
  1426881987,
  1925078388,
  2162078206,
  2614888103,
  3248222580,
  3835390401,
  4022224774,
  264347078,
  604807628,
  770255983,
  1249150122,
  1555081692,
  1996064986,
  2554220882,
  2821834349,
  2952996808,
  3210313671,
  3336571891,
  3584528711,
  113926993,
  338241895,
  666307205,
  773529912,
  1294757372,
  1396182291,
  1695183700,
  1986661051,
  2177026350,
  2456956037,
  2730485921,
  2820302411,
  3259730800,
  3345764771,
  3516065817,
  3600352804,
  4094571909,
  275423344,
  430227734,
  506948616,
  659060556,
  883997877,
  958139571,
  1322822218,
  1537002063,
  1747873779,
  1955562222,
  2024104815,
  2227730452,
  2361852424,
  2428436474,
  2756734187,
  3204031479,
  3329325298
]);
var IV = new Uint32Array([
  1779033703,
  3144134277,
  1013904242,
  2773480762,
  1359893119,
  2600822924,
  528734635,
  1541459225
]);
var BLOCK = 64;
var schedule = new Uint32Array(64);
function compress(h, bytes, o) {
  const w = schedule;
  for (let i = 0; i < 16; i++, o += 4) {
    w[i] = bytes[o] << 24 | bytes[o + 1] << 16 | bytes[o + 2] << 8 | bytes[o + 3];
  }
  for (let i = 16; i < 64; i++) {
    const a2 = w[i - 15];
    const b2 = w[i - 2];
    const s0 = (a2 >>> 7 | a2 << 25) ^ (a2 >>> 18 | a2 << 14) ^ a2 >>> 3;
    const s1 = (b2 >>> 17 | b2 << 15) ^ (b2 >>> 19 | b2 << 13) ^ b2 >>> 10;
    w[i] = w[i - 16] + s0 + w[i - 7] + s1 | 0;
  }
  let a = h[0];
  let b = h[1];
  let c = h[2];
  let d = h[3];
  let e = h[4];
  let f = h[5];
  let g = h[6];
  let k = h[7];
  for (let i = 0; i < 64; i++) {
    const s1 = (e >>> 6 | e << 26) ^ (e >>> 11 | e << 21) ^ (e >>> 25 | e << 7);
    const t1 = k + s1 + (e & f ^ ~e & g) + K[i] + w[i] | 0;
    const s0 = (a >>> 2 | a << 30) ^ (a >>> 13 | a << 19) ^ (a >>> 22 | a << 10);
    const t2 = s0 + (a & b ^ a & c ^ b & c) | 0;
    k = g;
    g = f;
    f = e;
    e = d + t1 | 0;
    d = c;
    c = b;
    b = a;
    a = t1 + t2 | 0;
  }
  h[0] = h[0] + a;
  h[1] = h[1] + b;
  h[2] = h[2] + c;
  h[3] = h[3] + d;
  h[4] = h[4] + e;
  h[5] = h[5] + f;
  h[6] = h[6] + g;
  h[7] = h[7] + k;
}
__name(compress, "compress");
function finish2(h, before, data) {
  let o = 0;
  for (; o + BLOCK <= data.length; o += BLOCK) compress(h, data, o);
  const rest = data.length - o;
  const tail = new Uint8Array(rest + 9 <= BLOCK ? BLOCK : 2 * BLOCK);
  tail.set(data.subarray(o));
  tail[rest] = 128;
  const bits = (before + data.length) * 8;
  const view2 = new DataView(tail.buffer);
  view2.setUint32(tail.length - 8, Math.floor(bits / 4294967296));
  view2.setUint32(tail.length - 4, bits >>> 0);
  compress(h, tail, 0);
  if (tail.length > BLOCK) compress(h, tail, BLOCK);
}
__name(finish2, "finish");
function digestBytes(h) {
  const out2 = new Uint8Array(32);
  const view2 = new DataView(out2.buffer);
  for (let i = 0; i < 8; i++) view2.setUint32(4 * i, h[i]);
  return out2;
}
__name(digestBytes, "digestBytes");
var padsOf = /* @__PURE__ */ new WeakMap();
function pads(authkey) {
  let p = padsOf.get(authkey);
  if (p !== void 0) return p;
  const block = new Uint8Array(BLOCK);
  if (authkey.length > BLOCK) {
    const h = IV.slice();
    finish2(h, 0, authkey);
    block.set(digestBytes(h));
  } else block.set(authkey);
  for (let i = 0; i < BLOCK; i++) block[i] ^= 54;
  const inner = IV.slice();
  compress(inner, block, 0);
  for (let i = 0; i < BLOCK; i++) block[i] ^= 54 ^ 92;
  const outer = IV.slice();
  compress(outer, block, 0);
  p = {
    inner,
    outer
  };
  padsOf.set(authkey, p);
  return p;
}
__name(pads, "pads");
function hmacSmall(authkey, data) {
  const { inner, outer } = pads(authkey);
  const h = inner.slice();
  finish2(h, BLOCK, data);
  const o = outer.slice();
  finish2(o, BLOCK, digestBytes(h));
  return digestBytes(o);
}
__name(hmacSmall, "hmacSmall");
var nodeCrypto = null;
function loadNodeCrypto() {
  if (nodeCrypto === null) {
    const process = globalThis.process;
    nodeCrypto = process.getBuiltinModule("node:crypto");
  }
  return nodeCrypto;
}
__name(loadNodeCrypto, "loadNodeCrypto");
function signSync(authkey, data) {
  if (data.length <= SMALL_FRAME) return hmacSmall(authkey, data);
  const digest = loadNodeCrypto().createHmac("sha256", authkey).update(data).digest();
  return new Uint8Array(digest.buffer, digest.byteOffset, digest.byteLength);
}
__name(signSync, "signSync");
function verifySync(authkey, data, mac) {
  const expected = signSync(authkey, data);
  if (mac.length !== expected.length) return false;
  let diff = 0;
  for (let i = 0; i < expected.length; i++) diff |= expected[i] ^ mac[i];
  return diff === 0;
}
__name(verifySync, "verifySync");

// lib/_bytes.ts
function toBytes(what, bytes) {
  if (bytes instanceof Uint8Array) return bytes;
  if (ArrayBuffer.isView(bytes)) {
    return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  if (bytes instanceof ArrayBuffer || bytes instanceof SharedArrayBuffer) {
    return new Uint8Array(bytes);
  }
  throw new TypeError(`${what}: bytes must be an ArrayBuffer or a view of one, received ${describe(bytes)}`);
}
__name(toBytes, "toBytes");

// lib/net/address.ts
function checkSocketAddress(what, address) {
  if (typeof address === "object" && address !== null) {
    const a = address;
    if ("path" in a) {
      if (typeof a.path !== "string" || a.path.length === 0) {
        throw new TypeError(`${what}: address.path must be a non-empty string, received ${describe(a.path)}`);
      }
      return {
        path: a.path
      };
    }
    if (typeof a.hostname !== "string" || a.hostname.length === 0) {
      throw new TypeError(`${what}: address.hostname must be a non-empty string, received ${describe(a.hostname)}`);
    }
    const port2 = a.port;
    if (!Number.isInteger(port2) || port2 < 0 || port2 > 65535) {
      throw new RangeError(`${what}: address.port must be an integer from 0 to 65535, received ${describe(port2)}`);
    }
    return {
      hostname: a.hostname,
      port: port2
    };
  }
  throw new TypeError(`${what}: address must be { hostname, port } or { path }, received ${describe(address)}`);
}
__name(checkSocketAddress, "checkSocketAddress");
function socketAddressText(address) {
  return "path" in address ? address.path : `${address.hostname}:${address.port}`;
}
__name(socketAddressText, "socketAddressText");
function fromDenoAddr(addr) {
  if (addr.transport === "tcp" || addr.transport === "udp") {
    return {
      hostname: addr.hostname,
      port: addr.port
    };
  }
  if (addr.transport === "unix" || addr.transport === "unixpacket") {
    return addr.path ? {
      path: addr.path
    } : null;
  }
  return null;
}
__name(fromDenoAddr, "fromDenoAddr");
function listenOn(address) {
  return "path" in address ? Deno.listen({
    transport: "unix",
    path: address.path
  }) : Deno.listen({
    transport: "tcp",
    hostname: address.hostname,
    port: address.port
  });
}
__name(listenOn, "listenOn");
async function connectTo(address) {
  if ("path" in address) {
    return await Deno.connect({
      transport: "unix",
      path: address.path
    });
  }
  const conn = await Deno.connect({
    transport: "tcp",
    hostname: address.hostname,
    port: address.port
  });
  conn.setNoDelay(true);
  return conn;
}
__name(connectTo, "connectTo");
function noDelay(conn) {
  if (conn.localAddr.transport === "tcp") {
    try {
      conn.setNoDelay(true);
    } catch {
    }
  }
}
__name(noDelay, "noDelay");

// lib/net/handshake.ts
var HANDSHAKE_MAX_FRAME_BYTES = 1024;
var HANDSHAKE_TIMEOUT_MS = 1e4;
var decoder2 = new TextDecoder();
var ProtocolError = class extends Error {
  static {
    __name(this, "ProtocolError");
  }
  /** Builds the error. */
  constructor(message, options) {
    super(message, options);
    this.name = "ProtocolError";
  }
};
function linkChannel(link, reader) {
  const buf = new Uint8Array(HANDSHAKE_MAX_FRAME_BYTES + 8);
  return {
    async read() {
      for (; ; ) {
        const frame = reader.next();
        if (frame !== null) return frame.slice();
        const n = await link.read(buf);
        if (n === null) return null;
        reader.push(buf.subarray(0, n));
      }
    },
    async write(frame) {
      let off = 0;
      while (off < frame.length) off += await link.write(frame.subarray(off));
    },
    close() {
      try {
        link.close();
      } catch {
      }
    }
  };
}
__name(linkChannel, "linkChannel");
function writeJson(channel, value) {
  return channel.write(encodeFrame(JSON.stringify(value)));
}
__name(writeJson, "writeJson");
async function readJson(channel) {
  const frame = await channel.read();
  if (frame === null) return null;
  const value = JSON.parse(decoder2.decode(frame));
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new ProtocolError("a handshake frame is not an object");
  }
  return value;
}
__name(readJson, "readJson");
async function serveHandshake(channel, options) {
  const { key: key2, protocol, extra, timeout = HANDSHAKE_TIMEOUT_MS } = options;
  if (key2 === null) {
    try {
      await writeJson(channel, {
        ...extra,
        protocol
      });
      return true;
    } catch {
      return false;
    }
  }
  const challenge = crypto.getRandomValues(new Uint8Array(CHALLENGE_BYTES));
  const timer = setTimeout(() => channel.close(), timeout);
  Deno.unrefTimer(timer);
  try {
    await writeJson(channel, {
      ...extra,
      protocol,
      challenge: toBase64(challenge)
    });
    const hello = await readJson(channel);
    if (hello === null) return false;
    let theirs = null;
    let ok = false;
    try {
      const proof = fromBase64(String(hello.response));
      theirs = fromBase64(String(hello.challenge));
      ok = theirs.length === CHALLENGE_BYTES && await verifyProof(key2, CLIENT_PROOF, challenge, proof);
    } catch {
      ok = false;
    }
    if (!ok || theirs === null) {
      await writeJson(channel, {
        error: {
          name: "AuthenticationError",
          message: "Authentication failed: wrong authkey"
        }
      });
      return false;
    }
    await writeJson(channel, {
      response: toBase64(await prove(key2, SERVER_PROOF, theirs))
    });
    return true;
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}
__name(serveHandshake, "serveHandshake");
async function answerHandshake(channel, options) {
  const { key: key2, protocol, peer } = options;
  const hello = await readJson(channel);
  if (hello === null || hello.protocol !== protocol) {
    throw new ProtocolError(`Cannot connect to ${peer}: it does not speak ${protocol}`);
  }
  const challenge = hello.challenge;
  if (challenge === void 0) {
    if (key2 !== null) {
      throw new AuthenticationError(`Cannot connect to ${peer}: it does not authenticate, so it cannot prove it knows the authkey`);
    }
    return hello;
  }
  if (key2 === null) {
    throw new AuthenticationError(`Cannot connect to ${peer}: it requires an authkey`);
  }
  if (typeof challenge !== "string") {
    throw new ProtocolError(`Cannot connect to ${peer}: a malformed hello`);
  }
  const ours = crypto.getRandomValues(new Uint8Array(CHALLENGE_BYTES));
  const proof = await prove(key2, CLIENT_PROOF, fromBase64(challenge));
  await writeJson(channel, {
    response: toBase64(proof),
    challenge: toBase64(ours)
  });
  const reply = await readJson(channel);
  if (reply === null || reply.error !== void 0) {
    throw new AuthenticationError(`Cannot connect to ${peer}: authentication failed (wrong authkey)`);
  }
  if (typeof reply.response !== "string" || !await verifyProof(key2, SERVER_PROOF, ours, fromBase64(reply.response))) {
    throw new AuthenticationError(`Cannot connect to ${peer}: the server did not prove it knows the authkey`);
  }
  return hello;
}
__name(answerHandshake, "answerHandshake");

// lib/net/limits.ts
var DEFAULT_FRAME_TIMEOUT_MS = 3e4;
var DEFAULT_MAX_TOTAL_BUFFERED_BYTES = 64 * 1024 * 1024;
function checkLimits(what, limits, maxFrameBytes) {
  const { frameTimeout, maxBufferedBytes, maxTotalBufferedBytes } = limits;
  for (const [name, value] of [
    [
      "frameTimeout",
      frameTimeout
    ],
    [
      "maxBufferedBytes",
      maxBufferedBytes
    ],
    [
      "maxTotalBufferedBytes",
      maxTotalBufferedBytes
    ]
  ]) {
    if (typeof value !== "number" || Number.isNaN(value)) {
      throw new TypeError(`${what}: ${name} must be a number, received ${describe(value)}`);
    }
  }
  if (!(frameTimeout > 0) || frameTimeout > 2 ** 31 - 1) {
    throw new RangeError(`${what}: frameTimeout must be from 1 to 2147483647 ms, received ${frameTimeout}`);
  }
  if (!Number.isSafeInteger(maxBufferedBytes) || maxBufferedBytes < maxFrameBytes + HEADER_BYTES) {
    throw new RangeError(`${what}: maxBufferedBytes must be an integer of at least maxFrameBytes + 4 (${maxFrameBytes + HEADER_BYTES}), received ${maxBufferedBytes}`);
  }
  if (!Number.isSafeInteger(maxTotalBufferedBytes) || maxTotalBufferedBytes < 1024) {
    throw new RangeError(`${what}: maxTotalBufferedBytes must be an integer of at least 1024, received ${maxTotalBufferedBytes}`);
  }
}
__name(checkLimits, "checkLimits");
var Budget = class {
  static {
    __name(this, "Budget");
  }
  /** Bytes held now. */
  used = 0;
  /** The most all connections together may hold. */
  total;
  /** A budget of `total` bytes. */
  constructor(total) {
    this.total = total;
  }
};
var Guard2 = class {
  static {
    __name(this, "Guard");
  }
  #limits;
  #budget;
  #held = 0;
  #lastProgress = 0;
  #timer;
  #partial = false;
  #onDrop;
  #released = false;
  /** A guard drawing on `budget`; `onDrop` hears of a stalled frame. */
  constructor(limits, budget, onDrop) {
    this.#limits = limits;
    this.#budget = budget;
    this.#onDrop = onDrop;
  }
  /**
   * Accounts for what the connection holds now: `input` bytes of a frame
   * not yet complete, `output` bytes not yet written. Returns why the
   * connection must be dropped, or `null` when it is within its limits.
   * With `watch` false the owner has stopped reading (it holds a message
   * nobody took yet), so a partial frame is not the peer's stall.
   */
  check(input, output2, watch = true) {
    const why = this.account(input, output2);
    if (why !== null || this.#released) return why;
    this.#partial = watch && input > 0;
    if (this.#partial) {
      this.#lastProgress = performance.now();
      this.#timer ??= this.#arm(this.#limits.frameTimeout);
    }
    return null;
  }
  /**
   * Like {@linkcode Guard.check}, for a change on the output side (an
   * answer queued outside a read, queued bytes gone into a write): the
   * stall timer is left as it is, since no bytes arrived.
   */
  account(input, output2) {
    if (this.#released) return null;
    const held = input + output2;
    const budget = this.#budget;
    budget.used += held - this.#held;
    this.#held = held;
    if (held > this.#limits.maxBufferedBytes) {
      this.release();
      return `it holds ${held} bytes, over the limit of ${this.#limits.maxBufferedBytes} per connection`;
    }
    if (budget.used > budget.total && held > 0) {
      const used = budget.used;
      this.release();
      return `the server holds ${used} bytes, over its limit of ${budget.total}, and this connection holds ${held}`;
    }
    return null;
  }
  #arm(ms) {
    const timer = setTimeout(() => this.#fire(), ms);
    Deno.unrefTimer(timer);
    return timer;
  }
  #fire() {
    this.#timer = void 0;
    if (this.#released || !this.#partial) return;
    const idle = performance.now() - this.#lastProgress;
    const timeout = this.#limits.frameTimeout;
    if (idle >= timeout) {
      this.release();
      this.#onDrop(`a frame stopped arriving for ${Math.round(idle)} ms (the limit is ${timeout} ms)`);
    } else {
      this.#timer = this.#arm(timeout - idle);
    }
  }
  /** Gives the connection's bytes back and stops the timer (idempotent). */
  release() {
    if (this.#released) return;
    this.#released = true;
    this.#budget.used -= this.#held;
    this.#held = 0;
    clearTimeout(this.#timer);
    this.#timer = void 0;
  }
};

// lib/listener.ts
var PROTOCOL = "denomp-connection/1";
var DEFAULT_MAX_FRAME_BYTES = 64 * 1024 * 1024;
var DEFAULT_MAX_TOTAL_BUFFERED_BYTES2 = 256 * 1024 * 1024;
var MAX_MESSAGE_BYTES = RAW_FLAG - 1;
var HIGH_WATER_BYTES = 256 * 1024;
var SEND = "Cannot send";
var RECV = "Cannot receive";
var POLL = "Cannot poll";
var making = null;
function waitOptions2(what, options, timeoutDefault) {
  if (options !== void 0 && (typeof options !== "object" || options === null)) {
    throw new TypeError(`${what}: options must be an object, received ${describe(options)}`);
  }
  const timeout = options?.timeout === void 0 ? timeoutDefault : checkTimeout(what, options.timeout);
  checkSignal(what, options?.signal);
  return {
    timeout,
    signal: options?.signal
  };
}
__name(waitOptions2, "waitOptions");
function cannotWait(what) {
  return new Deno.errors.NotSupported(`${what} synchronously on a socket connection: its bytes arrive through the event loop, which a blocking wait would stop; await the async form, or pass { timeout: 0 } to take only what has already arrived`);
}
__name(cannotWait, "cannotWait");
var SocketConnection = class {
  static {
    __name(this, "SocketConnection");
  }
  #conn;
  #reader;
  #writer;
  #guard;
  #peerLimit;
  #peer;
  #frames = [];
  #waiters = [];
  #reading = false;
  #eof = false;
  #closed = false;
  #failure = null;
  #writeFailure = null;
  #refd = true;
  #closeTimeout;
  /**
   * Not for direct use: connections are made by {@linkcode Listener} and
   * {@linkcode Client}.
   *
   * @throws {TypeError} When called directly.
   */
  constructor() {
    if (making === null) {
      throw new TypeError("Cannot create connection: use Listener.accept() or Client()");
    }
    const { conn, reader, limits, budget, peerLimit, peer } = making;
    making = null;
    this.#conn = conn;
    this.#reader = reader;
    this.#closeTimeout = limits.frameTimeout;
    this.#guard = new Guard2(limits, budget, (why) => this.#fail(new Deno.errors.ConnectionAborted(`${RECV}: the connection to ${peer} was dropped: ${why}`)));
    this.#peerLimit = peerLimit;
    this.#peer = peer;
    this.#writer = new FrameWriter(connLink(conn), (error) => {
      this.#writeFailure = new Deno.errors.BrokenPipe(`${SEND}: the connection to ${this.#peer} is broken`, {
        cause: error
      });
    });
    this.#updateRef();
    this.#pump();
  }
  /** Always `true`: a socket connection is duplex. */
  get readable() {
    return true;
  }
  /** Always `true`: a socket connection is duplex. */
  get writable() {
    return true;
  }
  /** Whether this end has been closed. */
  get closed() {
    return this.#closed;
  }
  // ---- sending ----
  #checkSend() {
    if (this.#closed) {
      throw new Deno.errors.BadResource(`${SEND}: the connection is closed`);
    }
    if (this.#writeFailure !== null) throw this.#writeFailure;
    if (this.#failure !== null) {
      throw new Deno.errors.BrokenPipe(`${SEND}: the connection is broken: ${this.#failure.message}`);
    }
  }
  #checkSize(n) {
    const limit = Math.min(this.#peerLimit, MAX_MESSAGE_BYTES);
    if (n > limit) {
      throw new RangeError(`${SEND}: the message is ${n} bytes, over the ${limit} bytes the other end accepts`);
    }
  }
  #queue(bytes, raw, options) {
    const { timeout, signal } = waitOptions2(SEND, options, Infinity);
    this.#checkSend();
    signal?.throwIfAborted();
    this.#checkSize(bytes.length);
    this.#writer.sendBytes(bytes, raw);
    if (this.#writer.queued <= HIGH_WATER_BYTES) return Promise.resolve();
    return this.#drained(timeout, signal);
  }
  async #drained(timeout, signal) {
    let timer;
    let onAbort;
    const stop = new Promise((_, reject) => {
      if (timeout !== Infinity) {
        timer = setTimeout(() => reject(new TimeoutError(`${SEND}: still not written after ${timeout} ms (the message stays queued and will be sent)`)), timeout);
      }
      if (signal !== void 0) {
        onAbort = /* @__PURE__ */ __name(() => reject(signal.reason), "onAbort");
        signal.addEventListener("abort", onAbort, {
          once: true
        });
      }
    });
    try {
      await Promise.race([
        this.#writer.drained(),
        stop
      ]);
    } catch (error) {
      if (this.#writeFailure !== null) throw this.#writeFailure;
      throw error;
    } finally {
      clearTimeout(timer);
      if (onAbort) signal.removeEventListener("abort", onAbort);
    }
  }
  /**
   * Sends a value (encoded as by {@linkcode Queue}). Resolves once it is
   * handed to the socket, or queued behind less than 256 KiB; with more
   * waiting, once it is written.
   *
   * @param value The value to send.
   * @param options A timeout and an abort signal for that wait (the
   *   message stays queued either way: a stream cannot take it back).
   * @returns A promise that resolves once the value is on its way.
   * @throws {TypeError} When the value cannot be encoded (nothing is sent).
   * @throws {RangeError} When it is larger than the other end accepts. On
   *   a connection from `Client()` that is the listener's `maxFrameBytes`
   *   (its handshake tells it); on one from `Listener.accept()` the
   *   client's is not known (a client without an authkey sends nothing in
   *   the handshake), so the default 64 MiB is assumed: a larger message
   *   is refused, and one over a smaller client limit makes the client
   *   drop the connection.
   * @throws {Deno.errors.BadResource} When this end is closed.
   * @throws {Deno.errors.BrokenPipe} When the connection is broken.
   */
  send(value, options) {
    try {
      return this.#queue(encodeScratch(value, SEND), false, options);
    } catch (error) {
      return Promise.reject(error);
    }
  }
  /**
   * Queues a value; it is written as soon as the event loop runs.
   *
   * @param value The value to send.
   * @param _options Ignored: queueing never waits.
   * @throws {TypeError} When the value cannot be encoded (nothing is sent).
   * @throws {Deno.errors.NotSupported} When 4 MiB already wait to be
   *   written (waiting for room would need the event loop).
   * @throws {Deno.errors.BadResource} When this end is closed.
   * @throws {Deno.errors.BrokenPipe} When the connection is broken.
   */
  sendSync(value, _options) {
    this.#queueSync(encodeScratch(value, SEND), false);
  }
  /**
   * Sends raw bytes (copied). The other end gets them from `recvBytes()`
   * (or as a `Uint8Array` from `recv()`).
   *
   * @param bytes The bytes to send.
   * @param options A timeout and an abort signal, as for `send`.
   * @returns A promise that resolves once the bytes are on their way.
   * @throws {TypeError} When `bytes` is not an ArrayBuffer or a view.
   * @throws {RangeError} When they are more than the other end accepts
   *   (on an accepted connection, the default 64 MiB: see `send`).
   * @throws {Deno.errors.BadResource} When this end is closed.
   * @throws {Deno.errors.BrokenPipe} When the connection is broken.
   */
  sendBytes(bytes, options) {
    try {
      return this.#queue(toBytes(SEND, bytes), true, options);
    } catch (error) {
      return Promise.reject(error);
    }
  }
  /**
   * Queues raw bytes (copied), as `sendSync` queues a value.
   *
   * @param bytes The bytes to send.
   * @param _options Ignored: queueing never waits.
   * @throws {TypeError} When `bytes` is not an ArrayBuffer or a view.
   * @throws {Deno.errors.NotSupported} When 4 MiB already wait.
   * @throws {Deno.errors.BadResource} When this end is closed.
   * @throws {Deno.errors.BrokenPipe} When the connection is broken.
   */
  sendBytesSync(bytes, _options) {
    this.#queueSync(toBytes(SEND, bytes), true);
  }
  #queueSync(bytes, raw) {
    this.#checkSend();
    this.#checkSize(bytes.length);
    if (this.#writer.queued + bytes.length > 16 * HIGH_WATER_BYTES) {
      throw new Deno.errors.NotSupported(`${SEND} synchronously: ${this.#writer.queued} bytes already wait to be written, and waiting for room on a socket needs the event loop; await send() instead`);
    }
    this.#writer.sendBytes(bytes, raw);
  }
  // ---- receiving ----
  /** Keeps the program alive only while someone waits to receive. */
  #updateRef() {
    const want = this.#waiters.length > 0 && !this.#closed;
    if (want === this.#refd) return;
    this.#refd = want;
    try {
      if (want) this.#conn.ref();
      else this.#conn.unref();
    } catch {
    }
  }
  /** Whether a receive would not wait. */
  #ready() {
    return this.#frames.length > 0 || this.#eof || this.#failure !== null;
  }
  /** Starts reading unless a message is already waiting to be taken. */
  #pump() {
    if (this.#reading || this.#eof || this.#closed || this.#failure) return;
    if (this.#frames.length > 0 && this.#waiters.length === 0) return;
    this.#reading = true;
    void this.#readLoop();
  }
  async #readLoop() {
    const buf = new Uint8Array(64 * 1024);
    try {
      for (; ; ) {
        let frame;
        while ((frame = this.#reader.next()) !== null) {
          const raw = this.#reader.raw;
          const first = this.#waiters[0];
          if (this.#frames.length === 0 && first !== void 0 && !first.poll) {
            this.#waiters.shift();
            first.done();
            this.#deliver(first, frame, raw);
          } else {
            this.#frames.push({
              bytes: frame.slice(),
              raw
            });
          }
        }
        const pause = this.#frames.length > 0 && this.#waiters.length === 0;
        const why = this.#guard.check(this.#reader.buffered, 0, !pause);
        if (why !== null) {
          this.#fail(new Deno.errors.ConnectionAborted(`${RECV}: the connection to ${this.#peer} was dropped: ${why}`));
          return;
        }
        this.#settle();
        if (pause || this.#closed) break;
        const n = await this.#conn.read(buf);
        if (n === null) {
          this.#eof = true;
          break;
        }
        this.#reader.push(buf.subarray(0, n));
      }
    } catch (error) {
      if (!this.#closed) {
        if (error instanceof FrameTooLargeError) {
          this.#fail(new Deno.errors.ConnectionAborted(`${RECV}: the connection to ${this.#peer} was dropped: ${error.message}`));
          return;
        }
        if (error instanceof Deno.errors.ConnectionReset) {
          this.#eof = true;
        } else {
          this.#fail(error instanceof Error ? error : new Error(String(error)));
          return;
        }
      }
    } finally {
      this.#reading = false;
    }
    this.#settle();
  }
  #deliver(waiter, bytes, raw) {
    try {
      waiter.resolve(waiter.bytes || raw ? bytes.slice() : decode(bytes));
    } catch (error) {
      waiter.reject(error);
    }
    this.#updateRef();
  }
  /** Answers the waiters that can be answered now, in order. */
  #settle() {
    while (this.#waiters.length > 0) {
      const w = this.#waiters[0];
      if (this.#frames.length > 0) {
        this.#waiters.shift();
        w.done();
        if (w.poll) {
          w.resolve(true);
        } else {
          const f = this.#frames.shift();
          this.#deliver(w, f.bytes, f.raw);
        }
        continue;
      }
      if (this.#failure !== null || this.#eof) {
        this.#waiters.shift();
        w.done();
        if (w.poll) w.resolve(true);
        else w.reject(this.#endError());
        continue;
      }
      break;
    }
    this.#updateRef();
    this.#pump();
  }
  #endError() {
    return this.#failure ?? new EOFError(`${RECV}: the other end is closed`);
  }
  #fail(error) {
    if (this.#failure !== null) return;
    this.#failure = error;
    this.#guard.release();
    try {
      this.#conn.close();
    } catch {
    }
    this.#settle();
  }
  #checkRecv(what) {
    if (this.#closed) {
      throw new Deno.errors.BadResource(`${what}: the connection is closed`);
    }
  }
  #wait(what, poll, bytes, options, timeoutDefault) {
    try {
      const { timeout, signal } = waitOptions2(what, options, timeoutDefault);
      this.#checkRecv(what);
      signal?.throwIfAborted();
      if (this.#frames.length > 0) {
        if (poll) return Promise.resolve(true);
        const f = this.#frames.shift();
        this.#pump();
        return Promise.resolve(bytes || f.raw ? f.bytes.slice() : decode(f.bytes));
      }
      if (this.#failure !== null || this.#eof) {
        if (poll) return Promise.resolve(true);
        throw this.#endError();
      }
      if (timeout === 0) {
        if (poll) return Promise.resolve(false);
        throw new TimeoutError(`${what}: nothing to receive`);
      }
      return new Promise((resolve, reject) => {
        let timer;
        let onAbort;
        const waiter = {
          poll,
          bytes,
          resolve,
          reject,
          done: /* @__PURE__ */ __name(() => {
            clearTimeout(timer);
            if (onAbort) signal.removeEventListener("abort", onAbort);
          }, "done")
        };
        const leave = /* @__PURE__ */ __name(() => {
          const at = this.#waiters.indexOf(waiter);
          if (at >= 0) this.#waiters.splice(at, 1);
          waiter.done();
          this.#updateRef();
        }, "leave");
        if (timeout !== Infinity) {
          timer = setTimeout(() => {
            leave();
            if (poll) resolve(false);
            else {
              reject(new TimeoutError(`${what}: nothing arrived within ${timeout} ms`));
            }
          }, timeout);
        }
        if (signal !== void 0) {
          onAbort = /* @__PURE__ */ __name(() => {
            leave();
            reject(signal.reason);
          }, "onAbort");
          signal.addEventListener("abort", onAbort, {
            once: true
          });
        }
        this.#waiters.push(waiter);
        this.#updateRef();
        this.#pump();
      });
    } catch (error) {
      return Promise.reject(error);
    }
  }
  #takeSync(what, poll, bytes, options) {
    const { timeout } = waitOptions2(what, options, poll ? 0 : Infinity);
    this.#checkRecv(what);
    if (this.#frames.length > 0) {
      if (poll) return true;
      const f = this.#frames.shift();
      this.#pump();
      return bytes || f.raw ? f.bytes.slice() : decode(f.bytes);
    }
    if (this.#failure !== null || this.#eof) {
      if (poll) return true;
      throw this.#endError();
    }
    if (timeout === 0) {
      if (poll) return false;
      throw new TimeoutError(`${what}: nothing to receive`);
    }
    throw cannotWait(what);
  }
  /**
   * Receives the next value, waiting for one.
   *
   * @param options A timeout and an abort signal.
   * @returns The value (raw bytes sent with `sendBytes` come as a
   *   `Uint8Array`).
   * @throws {EOFError} When the other end is closed and everything it sent
   *   has been received.
   * @throws {Deno.errors.ConnectionAborted} When the connection was dropped
   *   (a message over `maxFrameBytes`, one that stopped arriving, a limit).
   * @throws {Deno.errors.BadResource} When this end is closed.
   * @throws {TimeoutError} When `timeout` runs out.
   */
  recv(options) {
    return this.#wait(RECV, false, false, options, Infinity);
  }
  /**
   * Takes a value that has already arrived.
   *
   * @param options `timeout: 0` to throw `TimeoutError` when none has.
   * @returns The value.
   * @throws {EOFError} When the other end is closed and drained.
   * @throws {TimeoutError} With `timeout: 0` when nothing has arrived.
   * @throws {Deno.errors.NotSupported} When nothing has arrived (any other
   *   timeout): waiting needs the event loop.
   */
  recvSync(options) {
    return this.#takeSync(RECV, false, false, options);
  }
  /**
   * Receives the next message as bytes: what `sendBytes` sent, or the
   * encoding of a value sent with `send` (as Python's `recv_bytes`).
   *
   * @param options A timeout and an abort signal.
   * @returns The bytes.
   * @throws {EOFError} When the other end is closed and drained.
   * @throws {Deno.errors.BadResource} When this end is closed.
   * @throws {TimeoutError} When `timeout` runs out.
   */
  recvBytes(options) {
    return this.#wait(RECV, false, true, options, Infinity);
  }
  /**
   * Takes a message that has already arrived, as bytes.
   *
   * @param options `timeout: 0` to throw `TimeoutError` when none has.
   * @returns The bytes.
   * @throws {EOFError} When the other end is closed and drained.
   * @throws {Deno.errors.NotSupported} When nothing has arrived (any other
   *   timeout).
   */
  recvBytesSync(options) {
    return this.#takeSync(RECV, false, true, options);
  }
  /**
   * Whether a receive would not wait: a message is there, or the other end
   * is closed (so `recv` would throw). Waits up to `timeout` for that, as
   * Python's `poll(timeout)`.
   *
   * @param options A timeout (default `0`: just look) and an abort signal.
   * @returns `true` when a receive would not wait.
   * @throws {Deno.errors.BadResource} When this end is closed.
   */
  async poll(options) {
    return await this.#wait(POLL, true, false, options, 0);
  }
  /**
   * Whether a message has already arrived (or the other end is closed).
   *
   * @param options A timeout: `0` (the default) just looks.
   * @returns `true` when a receive would not wait.
   * @throws {Deno.errors.NotSupported} With another timeout when nothing
   *   has arrived: waiting needs the event loop.
   */
  pollSync(options) {
    return this.#takeSync(POLL, true, false, options);
  }
  /**
   * Closes this end (idempotent): what was sent is still written first;
   * waiting receives reject with `Deno.errors.BadResource`, and the other
   * end sees end of file once it has read everything.
   */
  close() {
    if (this.#closed) return;
    this.#closed = true;
    this.#guard.release();
    const waiters = this.#waiters.splice(0);
    for (const w of waiters) {
      w.done();
      w.reject(new Deno.errors.BadResource(`${RECV}: the connection is closed`));
    }
    this.#frames = [];
    const conn = this.#conn;
    const shut = /* @__PURE__ */ __name(() => {
      try {
        conn.close();
      } catch {
      }
    }, "shut");
    if (this.#writer.queued === 0 || this.#writeFailure !== null) {
      shut();
      return;
    }
    const timer = setTimeout(shut, this.#closeTimeout);
    const done = /* @__PURE__ */ __name(() => {
      clearTimeout(timer);
      shut();
    }, "done");
    this.#writer.drained().then(done, done);
  }
  /** Closes this end. */
  [Symbol.dispose]() {
    this.close();
  }
  /**
   * A socket connection cannot cross into a Process.
   *
   * @returns Never.
   * @throws {TypeError} Always: connect from inside the Process instead.
   * @ignore Internal: the shared-object registry calls it.
   */
  [SHARE]() {
    throw new TypeError(`Cannot send a socket connection to a worker: connect to ${this.#peer} from inside it with Client()`);
  }
  /**
   * A short description for `console.log`.
   *
   * @returns The description.
   */
  [Symbol.for("Deno.customInspect")]() {
    const state = this.#closed ? "closed" : this.#failure !== null ? "broken" : this.#eof ? "at end of file" : "open";
    return `SocketConnection { peer: "${this.#peer}", ${state}, ${this.#frames.length} waiting }`;
  }
};
function makeConnection(init2) {
  making = init2;
  return new SocketConnection();
}
__name(makeConnection, "makeConnection");
var Listener = class {
  static {
    __name(this, "Listener");
  }
  #listener;
  #address;
  #key;
  #backlog;
  #maxFrameBytes;
  #limits;
  #budget;
  #waiters = [];
  /** Connections that passed the handshake, with their peers' addresses. */
  #ready = [];
  /** Sockets in their handshake: close() closes them. */
  #handshaking = /* @__PURE__ */ new Set();
  #handshakes = /* @__PURE__ */ new Set();
  #accepting = false;
  #closed = false;
  #lastAccepted = null;
  #unixPath;
  /**
   * Listens on `address`.
   *
   * @param address Where to listen.
   * @param options `authkey`, `backlog` and the limits.
   * @throws {TypeError} For a bad address or option.
   * @throws {RangeError} For a value out of range.
   * @throws {Deno.errors.AddrInUse} When the address is taken.
   * @throws {Deno.errors.NotCapable} Without permission to listen there.
   */
  constructor(address, options) {
    const what = "Cannot listen";
    const where = address === void 0 ? {
      hostname: "127.0.0.1",
      port: 0
    } : checkSocketAddress(what, address);
    const { authkey, backlog = 16, maxFrameBytes = DEFAULT_MAX_FRAME_BYTES, frameTimeout = DEFAULT_FRAME_TIMEOUT_MS, maxTotalBufferedBytes = DEFAULT_MAX_TOTAL_BUFFERED_BYTES2 } = options ?? {};
    if (!Number.isSafeInteger(backlog) || backlog < 1) {
      throw new RangeError(`${what}: backlog must be a positive integer, received ${describe(backlog)}`);
    }
    checkFrameLimit(what, maxFrameBytes);
    const maxBufferedBytes = maxFrameBytes + HEADER_BYTES;
    checkLimits(what, {
      frameTimeout,
      maxBufferedBytes,
      maxTotalBufferedBytes
    }, maxFrameBytes);
    const key2 = authkey === void 0 ? null : keyBytes(what, authkey);
    this.#listener = listenOn(where);
    this.#listener.unref();
    this.#address = fromDenoAddr(this.#listener.addr) ?? where;
    this.#unixPath = "path" in where ? where.path : null;
    this.#key = key2 === null ? null : importHmacKey(key2);
    this.#backlog = backlog;
    this.#maxFrameBytes = maxFrameBytes;
    this.#limits = {
      frameTimeout,
      maxBufferedBytes
    };
    this.#budget = new Budget(maxTotalBufferedBytes);
    void this.#acceptLoop();
  }
  /** Where it listens (the bound port when `port: 0` was asked). */
  get address() {
    const a = this.#address;
    return "path" in a ? {
      path: a.path
    } : {
      hostname: a.hostname,
      port: a.port
    };
  }
  /** The address of the last accepted client, when the socket tells it. */
  get lastAccepted() {
    return this.#lastAccepted;
  }
  /**
   * The next client that passed the handshake.
   *
   * @typeParam T The type of the values the connection carries.
   * @param options A timeout and an abort signal.
   * @returns Its connection.
   * @throws {TimeoutError} When `timeout` runs out.
   * @throws {Deno.errors.BadResource} When the listener is closed.
   */
  accept(options) {
    const what = "Cannot accept";
    try {
      const { timeout, signal } = waitOptions2(what, options, Infinity);
      if (this.#closed) {
        throw new Deno.errors.BadResource(`${what}: the listener is closed`);
      }
      signal?.throwIfAborted();
      const ready2 = this.#ready.shift();
      if (ready2 !== void 0) {
        this.#lastAccepted = ready2.peer;
        void this.#acceptLoop();
        return Promise.resolve(ready2.conn);
      }
      return new Promise((resolve, reject) => {
        let timer;
        let onAbort;
        const waiter = {
          resolve,
          reject,
          done: /* @__PURE__ */ __name(() => {
            clearTimeout(timer);
            if (onAbort) signal.removeEventListener("abort", onAbort);
            const at = this.#waiters.indexOf(waiter);
            if (at >= 0) this.#waiters.splice(at, 1);
            if (this.#waiters.length === 0) this.#unref();
          }, "done")
        };
        if (timeout !== Infinity) {
          timer = setTimeout(() => {
            waiter.done();
            reject(new TimeoutError(`${what}: no client within ${timeout} ms`));
          }, timeout);
        }
        if (signal !== void 0) {
          onAbort = /* @__PURE__ */ __name(() => {
            waiter.done();
            reject(signal.reason);
          }, "onAbort");
          signal.addEventListener("abort", onAbort, {
            once: true
          });
        }
        this.#waiters.push(waiter);
        this.#listener.ref();
      });
    } catch (error) {
      return Promise.reject(error);
    }
  }
  #unref() {
    try {
      this.#listener.unref();
    } catch {
    }
  }
  /**
   * Accepts sockets and runs their handshakes in the background, while
   * fewer than `backlog` connections are in their handshake or waiting to
   * be taken by `accept()`; the rest wait in the kernel's queue.
   */
  async #acceptLoop() {
    if (this.#accepting) return;
    this.#accepting = true;
    try {
      while (!this.#closed && this.#ready.length + this.#handshakes.size < this.#backlog) {
        let socket;
        try {
          socket = await this.#listener.accept();
        } catch (error) {
          if (this.#closed || error instanceof Deno.errors.BadResource) {
            return;
          }
          continue;
        }
        const task = this.#handshake(socket).finally(() => {
          this.#handshakes.delete(task);
          void this.#acceptLoop();
        });
        this.#handshakes.add(task);
      }
    } finally {
      this.#accepting = false;
    }
  }
  async #handshake(socket) {
    noDelay(socket);
    const link = connLink(socket);
    const reader = new FrameReader(HANDSHAKE_MAX_FRAME_BYTES, true);
    this.#handshaking.add(socket);
    let passed;
    try {
      passed = await serveHandshake(linkChannel(link, reader), {
        key: this.#key === null ? null : await this.#key,
        protocol: PROTOCOL,
        extra: {
          maxFrameBytes: this.#maxFrameBytes
        }
      });
    } finally {
      this.#handshaking.delete(socket);
    }
    if (!passed || this.#closed) {
      try {
        socket.close();
      } catch {
      }
      return;
    }
    reader.limit = this.#maxFrameBytes;
    const peer = fromDenoAddr(socket.remoteAddr);
    const conn = makeConnection({
      conn: socket,
      reader,
      peerLimit: DEFAULT_MAX_FRAME_BYTES,
      peer: peer === null ? "a client" : socketAddressText(peer),
      limits: this.#limits,
      budget: this.#budget
    });
    const waiter = this.#waiters[0];
    if (waiter !== void 0) {
      this.#lastAccepted = peer;
      waiter.done();
      waiter.resolve(conn);
    } else {
      this.#ready.push({
        conn,
        peer
      });
    }
  }
  /**
   * Stops listening (idempotent): waiting `accept()` calls reject with
   * `Deno.errors.BadResource`; connections not yet accepted are closed;
   * accepted ones stay open. A Unix socket's file is removed.
   */
  close() {
    if (this.#closed) return;
    this.#closed = true;
    try {
      this.#listener.close();
    } catch {
    }
    for (const waiter of this.#waiters.slice()) {
      waiter.done();
      waiter.reject(new Deno.errors.BadResource("Cannot accept: the listener is closed"));
    }
    for (const { conn } of this.#ready.splice(0)) conn.close();
    for (const socket of this.#handshaking) {
      try {
        socket.close();
      } catch {
      }
    }
    if (this.#unixPath !== null) {
      try {
        Deno.removeSync(this.#unixPath);
      } catch {
      }
    }
  }
  /** Closes the listener. */
  [Symbol.dispose]() {
    this.close();
  }
  /**
   * Closes the listener and waits for handshakes in progress to end.
   *
   * @returns A promise that resolves once they have.
   */
  async [Symbol.asyncDispose]() {
    this.close();
    await Promise.allSettled([
      ...this.#handshakes
    ]);
  }
  /**
   * Accepts connections until the listener is closed:
   * `for await (const conn of listener)`.
   *
   * @returns The connections.
   */
  async *[Symbol.asyncIterator]() {
    while (!this.#closed) {
      try {
        yield await this.accept();
      } catch (error) {
        if (this.#closed) return;
        throw error;
      }
    }
  }
  /**
   * A short description for `console.log`.
   *
   * @returns The description.
   */
  [Symbol.for("Deno.customInspect")]() {
    return `Listener { address: "${socketAddressText(this.#address)}", ${this.#closed ? "closed" : "listening"}, authenticated: ${this.#key !== null} }`;
  }
};
function checkFrameLimit(what, maxFrameBytes) {
  if (!Number.isSafeInteger(maxFrameBytes) || maxFrameBytes < 1024 || maxFrameBytes > MAX_MESSAGE_BYTES) {
    throw new RangeError(`${what}: maxFrameBytes must be an integer from 1024 to ${MAX_MESSAGE_BYTES}, received ${describe(maxFrameBytes)}`);
  }
}
__name(checkFrameLimit, "checkFrameLimit");
async function abortable(promise, signal, late) {
  if (signal === void 0) return await promise;
  let onAbort;
  const aborted = new Promise((_, reject) => {
    onAbort = /* @__PURE__ */ __name(() => reject(signal.reason), "onAbort");
    if (signal.aborted) onAbort();
    else signal.addEventListener("abort", onAbort, {
      once: true
    });
  });
  try {
    return await Promise.race([
      promise,
      aborted
    ]);
  } catch (error) {
    if (signal.aborted) promise.then(late, () => {
    });
    throw error;
  } finally {
    signal.removeEventListener("abort", onAbort);
  }
}
__name(abortable, "abortable");
async function Client(address, options) {
  const what = "Cannot connect";
  const where = checkSocketAddress(what, address);
  const { authkey, maxFrameBytes = DEFAULT_MAX_FRAME_BYTES, frameTimeout = DEFAULT_FRAME_TIMEOUT_MS, signal } = options ?? {};
  checkFrameLimit(what, maxFrameBytes);
  const maxBufferedBytes = maxFrameBytes + HEADER_BYTES;
  checkLimits(what, {
    frameTimeout,
    maxBufferedBytes,
    maxTotalBufferedBytes: maxBufferedBytes
  }, maxFrameBytes);
  checkSignal(what, signal);
  signal?.throwIfAborted();
  const key2 = authkey === void 0 ? null : keyBytes(what, authkey);
  const peer = socketAddressText(where);
  const socket = await abortable(connectTo(where), signal, (late) => late.close());
  const close = /* @__PURE__ */ __name(() => {
    try {
      socket.close();
    } catch {
    }
  }, "close");
  const link = connLink(socket);
  const reader = new FrameReader(HANDSHAKE_MAX_FRAME_BYTES, true);
  let hello;
  try {
    hello = await abortable((async () => answerHandshake(linkChannel(link, reader), {
      key: key2 === null ? null : await importHmacKey(key2),
      protocol: PROTOCOL,
      peer: `the listener at ${peer}`
    }))(), signal, () => {
    });
  } catch (error) {
    close();
    signal?.throwIfAborted();
    if (error instanceof ProtocolError) {
      throw new TypeError(error.message, {
        cause: error
      });
    }
    throw error;
  }
  reader.limit = maxFrameBytes;
  const limit = Number(hello.maxFrameBytes);
  return makeConnection({
    conn: socket,
    reader,
    peerLimit: Number.isSafeInteger(limit) && limit > 0 ? limit : DEFAULT_MAX_FRAME_BYTES,
    peer,
    limits: {
      frameTimeout,
      maxBufferedBytes
    },
    budget: new Budget(maxBufferedBytes)
  });
}
__name(Client, "Client");

// lib/manager/codec.ts
var UNDEFINED_TAG = Object.freeze({
  $: "u"
});
var proxies = /* @__PURE__ */ new WeakMap();
function markProxy(holder, identity) {
  proxies.set(holder, identity);
}
__name(markProxy, "markProxy");
function proxyIdentity(value) {
  return typeof value === "object" && value !== null ? proxies.get(value) : void 0;
}
__name(proxyIdentity, "proxyIdentity");
function setOwn(target, key2, value) {
  if (key2 === "__proto__") {
    Object.defineProperty(target, key2, {
      value,
      enumerable: true,
      writable: true,
      configurable: true
    });
  } else {
    target[key2] = value;
  }
}
__name(setOwn, "setOwn");
function encodeValue(value, what, manager) {
  switch (typeof value) {
    case "string":
    case "boolean":
      return value;
    case "number":
      return Number.isFinite(value) ? value : {
        $: "f",
        v: String(value)
      };
    case "undefined":
      return UNDEFINED_TAG;
    default:
      return encodeDeep(value, what, "value", /* @__PURE__ */ new Set(), manager);
  }
}
__name(encodeValue, "encodeValue");
function encodeDeep(value, what, path, stack, manager) {
  switch (typeof value) {
    case "string":
    case "boolean":
      return value;
    case "number":
      return Number.isFinite(value) ? value : {
        $: "f",
        v: String(value)
      };
    case "undefined":
      return UNDEFINED_TAG;
    case "bigint":
      return {
        $: "i",
        v: value.toString()
      };
    case "function":
    case "symbol":
      throw new TypeError(`${what}: ${path} of type ${typeof value} cannot be stored in the manager`);
  }
  if (value === null) return null;
  const object = value;
  const proxy = proxies.get(object);
  if (proxy !== void 0) {
    if (manager !== void 0 && proxy.manager !== manager) {
      throw new TypeError(`${what}: ${path} is a proxy of another manager; only proxies of this manager can be stored in it`);
    }
    return {
      $: "p",
      v: proxy.id
    };
  }
  if (stack.has(object)) {
    throw new TypeError(`${what}: ${path} is a circular reference and cannot be stored in the manager`);
  }
  stack.add(object);
  try {
    if (Array.isArray(object)) {
      let copy = null;
      for (let i = 0; i < object.length; i++) {
        const item = object[i];
        const next = encodeDeep(item, what, `${path}[${i}]`, stack, manager);
        if (next !== item || !(i in object)) {
          copy ??= object.slice();
          copy[i] = next;
        }
      }
      return copy ?? object;
    }
    const proto = Object.getPrototypeOf(object);
    if (proto === Object.prototype || proto === null) {
      const record2 = object;
      if (Object.getOwnPropertySymbols(record2).length > 0) {
        throw new TypeError(`${what}: ${path} has a symbol key and cannot be stored in the manager`);
      }
      let copy = null;
      for (const key2 of Object.keys(record2)) {
        const item = record2[key2];
        const next = encodeDeep(item, what, `${path}.${key2}`, stack, manager);
        if (next !== item) {
          copy ??= {
            ...record2
          };
          setOwn(copy, key2, next);
        }
      }
      const out2 = copy ?? record2;
      return Object.hasOwn(out2, "$") ? {
        $: "o",
        v: out2
      } : out2;
    }
    if (object instanceof Date) {
      const time = object.getTime();
      return {
        $: "d",
        v: Number.isNaN(time) ? null : time
      };
    }
    if (object instanceof Map) {
      const entries = [];
      let i = 0;
      for (const [k, v] of object) {
        entries.push([
          encodeDeep(k, what, `${path} key ${i}`, stack, manager),
          encodeDeep(v, what, `${path} value ${i}`, stack, manager)
        ]);
        i++;
      }
      return {
        $: "m",
        v: entries
      };
    }
    if (object instanceof Set) {
      const items = [];
      let i = 0;
      for (const v of object) {
        items.push(encodeDeep(v, what, `${path} item ${i++}`, stack, manager));
      }
      return {
        $: "s",
        v: items
      };
    }
    if (object instanceof Uint8Array) {
      return {
        $: "b",
        v: toBase64(object)
      };
    }
    const name = proto?.constructor?.name ?? "object";
    throw new TypeError(`${what}: ${path} is a ${name}, which cannot be stored in the manager (use plain objects, arrays, Map, Set, Date, Uint8Array and primitives)`);
  } finally {
    stack.delete(object);
  }
}
__name(encodeDeep, "encodeDeep");
function decodeValue(tree, proxy) {
  if (typeof tree !== "object" || tree === null) return tree;
  if (Array.isArray(tree)) {
    for (let i = 0; i < tree.length; i++) {
      const item = tree[i];
      if (typeof item === "object" && item !== null) {
        tree[i] = decodeValue(item, proxy);
      }
    }
    return tree;
  }
  const record2 = tree;
  if (Object.hasOwn(record2, "$")) return decodeTagged(record2, proxy);
  decodeFields(record2, proxy);
  return record2;
}
__name(decodeValue, "decodeValue");
function decodeFields(record2, proxy) {
  for (const key2 of Object.keys(record2)) {
    const item = record2[key2];
    if (typeof item === "object" && item !== null) {
      setOwn(record2, key2, decodeValue(item, proxy));
    }
  }
}
__name(decodeFields, "decodeFields");
function decodeTagged(record2, proxy) {
  const v = record2.v;
  switch (record2.$) {
    case "u":
      return void 0;
    case "i":
      return BigInt(v);
    case "f":
      return Number(v);
    case "d":
      return new Date(v === null ? NaN : v);
    case "m":
      return new Map(v.map(([k, x]) => [
        decodeValue(k, proxy),
        decodeValue(x, proxy)
      ]));
    case "s":
      return new Set(v.map((x) => decodeValue(x, proxy)));
    case "b":
      return fromBase64(v);
    case "o":
      decodeFields(v, proxy);
      return v;
    case "p":
      return proxy === void 0 ? record2 : proxy(v);
    default:
      decodeFields(record2, proxy);
      return record2;
  }
}
__name(decodeTagged, "decodeTagged");

// lib/manager/rpc.ts
var PARSE_ERROR = -32700;
var INVALID_REQUEST = -32600;
var METHOD_NOT_FOUND = -32601;
var INVALID_PARAMS = -32602;
var INTERNAL_ERROR = -32603;
var METHOD_ERROR = -32e3;
var UNKNOWN_OBJECT = -32001;
var CANCELLED = -32002;
var FRAME_TOO_LARGE = -32003;
var LIMIT_EXCEEDED = -32004;
var USER_ERROR = -32005;
var DEFAULT_MAX_FRAME_BYTES2 = 16 * 1024 * 1024;
var MAX_ARRAY_LENGTH = 2 ** 28;
var PROTOCOL2 = "denomp-manager/1";

// lib/manager/client.ts
function addressText(address) {
  return typeof address === "string" ? address : `${address.hostname}:${address.port}`;
}
__name(addressText, "addressText");
function mayConnect(address) {
  try {
    if (typeof address === "string") {
      return Deno.permissions.querySync({
        name: "read",
        path: address
      }).state === "granted" && Deno.permissions.querySync({
        name: "write",
        path: address
      }).state === "granted" && Deno.permissions.querySync({
        name: "net",
        host: `unix:${address}`
      }).state === "granted";
    }
    return Deno.permissions.querySync({
      name: "net",
      host: `${address.hostname}:${address.port}`
    }).state === "granted";
  } catch {
    return false;
  }
}
__name(mayConnect, "mayConnect");
function toError(error, method) {
  const name = error?.data?.name;
  if (error?.code === USER_ERROR) {
    return new RemoteError(String(error.message), typeof name === "string" ? name : "Error", typeof error.data?.stack === "string" ? error.data.stack : "");
  }
  if (error?.code === METHOD_ERROR && typeof name === "string") {
    switch (name) {
      case "TypeError":
        return new TypeError(error.message);
      case "RangeError":
        return new RangeError(error.message);
      case "QueueEmptyError":
        return new QueueEmptyError(error.message);
      case "QueueFullError":
        return new QueueFullError(error.message);
      case "BrokenBarrierError":
        return new BrokenBarrierError(error.message);
      default:
        return new RemoteError(String(error.message), name);
    }
  }
  if (error?.code === UNKNOWN_OBJECT) {
    return new ManagerError(`Cannot call ${method}: the manager has no such object (it was released)`);
  }
  if (error?.code === INVALID_PARAMS) {
    return new TypeError(`Cannot call ${method}: ${error.message}`);
  }
  return new ManagerError(`Cannot call ${method}: ${String(error?.message)} (code ${error?.code})`);
}
__name(toError, "toError");
var RpcClient = class {
  static {
    __name(this, "RpcClient");
  }
  #reader;
  #writer;
  #link;
  #pending = /* @__PURE__ */ new Map();
  #nextId = 1;
  #failure = null;
  #onClose = /* @__PURE__ */ new Set();
  /** Describes the peer, for messages. */
  peer;
  /** The server's frame limit: longer requests fail here, unsent. */
  maxFrameBytes;
  /** Turns the proxies in answers into live proxies on this connection. */
  revive;
  #hold;
  constructor(link, source, reader, peer, maxFrameBytes, hold2) {
    this.maxFrameBytes = maxFrameBytes;
    this.#hold = hold2;
    hold2?.unref();
    this.#link = link;
    this.#reader = reader;
    this.peer = peer;
    this.#writer = new FrameWriter(link, (error) => this.fail(new ManagerError(`Lost the connection to the manager at ${peer}`, {
      cause: error
    })), true);
    void this.#readLoop(source);
  }
  /** Whether the connection has failed or been closed. */
  get failed() {
    return this.#failure !== null;
  }
  /** Calls when the connection ends (at once if it already has). */
  onClose(fn) {
    if (this.#failure) fn();
    else this.#onClose.add(fn);
  }
  /**
   * Sends one request. `params` must already be JSON-ready (values
   * encoded). With a signal, an abort asks the server to cancel the call.
   */
  call(method, params, signal) {
    if (this.#failure !== null) {
      return Promise.reject(new ManagerError(this.#failure.message, {
        cause: this.#failure
      }));
    }
    const id = this.#nextId++;
    const text = `{"jsonrpc":"2.0","id":${id},"method":"${method}","params":${JSON.stringify(params)}}`;
    const bytes = this.#writer.sendText(text, this.maxFrameBytes);
    if (bytes > this.maxFrameBytes) {
      return Promise.reject(new RangeError(`Cannot call ${method}: the request is ${bytes} bytes, over the manager's limit of ${this.maxFrameBytes} bytes`));
    }
    return new Promise((resolve, reject) => {
      const pending = {
        resolve,
        reject,
        method
      };
      if (this.#pending.size === 0) this.#hold?.ref();
      this.#pending.set(id, pending);
      if (signal !== void 0) {
        const onAbort = /* @__PURE__ */ __name(() => {
          if (!this.#pending.has(id)) return;
          pending.aborted = signal.reason;
          this.notify("manager.cancel", [
            id
          ]);
        }, "onAbort");
        signal.addEventListener("abort", onAbort, {
          once: true
        });
        pending.resolve = (value) => {
          signal.removeEventListener("abort", onAbort);
          resolve(value);
        };
        pending.reject = (error) => {
          signal.removeEventListener("abort", onAbort);
          reject(error);
        };
      }
    });
  }
  /** Sends a request whose answer nobody waits for (errors are ignored). */
  notify(method, params) {
    this.call(method, params).catch(() => {
    });
  }
  /** Fails every pending and later call with `error`; closes the link. */
  fail(error) {
    if (this.#failure !== null) return;
    this.#failure = error;
    try {
      this.#link.close();
    } catch {
    }
    const pending = [
      ...this.#pending.values()
    ];
    this.#pending.clear();
    this.#hold?.unref();
    for (const p of pending) {
      p.reject(new ManagerError(error.message, {
        cause: error.cause
      }));
    }
    for (const fn of this.#onClose) fn();
    this.#onClose.clear();
  }
  /** Closes the connection; pending calls fail with ManagerError. */
  close() {
    this.fail(new ManagerError(`The connection to the manager is closed`));
  }
  async #readLoop(source) {
    let cause;
    try {
      for (; ; ) {
        let frame;
        while ((frame = this.#reader.next()) !== null) this.#dispatch(frame);
        const chunk = await source();
        if (chunk === null) break;
        this.#reader.push(chunk);
      }
    } catch (error) {
      cause = error;
    }
    this.fail(new ManagerError(`The manager at ${this.peer} is gone: the connection ended`, {
      cause
    }));
  }
  #dispatch(frame) {
    const message = JSON.parse(readUtf8(frame, false));
    const id = message.id;
    const pending = id === null ? void 0 : this.#pending.get(id);
    if (pending === void 0) {
      if (typeof message.result === "object") {
        decodeValue(message.result, this.revive);
      }
      if (message.error !== void 0 && id === null) {
        this.fail(new ManagerError(`The manager at ${this.peer} closed the connection: ${message.error.message}`));
      }
      return;
    }
    this.#pending.delete(id);
    if (this.#pending.size === 0) this.#hold?.unref();
    if (message.error !== void 0) {
      if (message.error.code === CANCELLED && "aborted" in pending) {
        pending.reject(pending.aborted);
      } else {
        pending.reject(toError(message.error, pending.method));
      }
    } else {
      pending.resolve(decodeValue(message.result, this.revive));
    }
  }
};
function connSource(conn) {
  const buf = new Uint8Array(64 * 1024);
  return {
    link: connLink(conn),
    source: /* @__PURE__ */ __name(async () => {
      const n = await conn.read(buf);
      return n === null ? null : buf.subarray(0, n);
    }, "source")
  };
}
__name(connSource, "connSource");
async function connectSocket(address, authkey) {
  const peer = addressText(address);
  let conn;
  try {
    conn = await connectTo(typeof address === "string" ? {
      path: address
    } : address);
  } catch (error) {
    if (error instanceof Deno.errors.NotCapable) throw error;
    throw new ManagerError(`Cannot connect to the manager at ${peer}`, {
      cause: error
    });
  }
  const { link, source } = connSource(conn);
  const reader = new FrameReader(HANDSHAKE_MAX_FRAME_BYTES);
  let hello;
  try {
    hello = await answerHandshake(linkChannel(link, reader), {
      key: await importHmacKey(authkey),
      protocol: PROTOCOL2,
      peer: `the manager at ${peer}`
    });
  } catch (error) {
    try {
      conn.close();
    } catch {
    }
    if (error instanceof AuthenticationError) throw error;
    if (error instanceof ProtocolError) {
      throw new ManagerError(error.message, {
        cause: error
      });
    }
    throw new ManagerError(`Cannot connect to the manager at ${peer}`, {
      cause: error
    });
  }
  reader.limit = 4294967295;
  const limit = Number(hello.maxFrameBytes);
  const client = new RpcClient(link, source, reader, peer, Number.isSafeInteger(limit) && limit > 0 ? limit : DEFAULT_MAX_FRAME_BYTES2, conn);
  client.revive = proxyReviver(address, toBase64(authkey), client);
  return client;
}
__name(connectSocket, "connectSocket");
var sharedClients = /* @__PURE__ */ new Map();
function sharedClient(address, authkey) {
  const cacheKey = `${addressText(address)}
${authkey}`;
  let client = sharedClients.get(cacheKey);
  if (client === void 0) {
    client = connectSocket(address, fromBase64(authkey));
    sharedClients.set(cacheKey, client);
    client.then((c) => c.onClose(() => sharedClients.delete(cacheKey)), () => sharedClients.delete(cacheKey));
  }
  return client;
}
__name(sharedClient, "sharedClient");
function adoptClient(address, authkey, client) {
  const cacheKey = `${addressText(address)}
${authkey}`;
  sharedClients.set(cacheKey, Promise.resolve(client));
  client.onClose(() => sharedClients.delete(cacheKey));
}
__name(adoptClient, "adoptClient");
var finalizer = new FinalizationRegistry((ref) => {
  ref.releaseObject();
});
function refOf(proxy) {
  const identity = proxyIdentity(proxy);
  return identity instanceof ProxyRef ? identity : void 0;
}
__name(refOf, "refOf");
var makeProxy = null;
function setProxyFactory(factory) {
  makeProxy = factory;
}
__name(setProxyFactory, "setProxyFactory");
function newProxy(ref) {
  const proxy = makeProxy(ref);
  ref.own(proxy);
  return proxy;
}
__name(newProxy, "newProxy");
function proxyReviver(address, authkey, client) {
  return (v) => {
    const info2 = v;
    const ref = new ProxyRef(info2.id, info2.kind, address, authkey, client);
    if (info2.typeid !== void 0) {
      ref.typeid = info2.typeid;
      ref.exposed = info2.exposed ?? [];
    }
    const proxy = makeProxy(ref);
    ref.own(proxy);
    return proxy;
  };
}
__name(proxyReviver, "proxyReviver");
var ProxyRef = class {
  static {
    __name(this, "ProxyRef");
  }
  /** The object's id on the manager. */
  id;
  /** The kind, such as `"dict"`. */
  kind;
  /** Where the manager listens (for reconnecting in other threads). */
  address;
  /** Base64 of the authkey. */
  authkey;
  /** A registered type's name (custom proxies). */
  typeid;
  /** A registered type's callable methods (custom proxies). */
  exposed = [];
  #client;
  #connecting = null;
  #owned = false;
  constructor(id, kind, address, authkey, client) {
    this.id = id;
    this.kind = kind;
    this.address = address;
    this.authkey = authkey;
    this.#client = client;
  }
  /** Identifies the manager (for values holding proxies). */
  get manager() {
    return `${addressText(this.address)}
${this.authkey}`;
  }
  /**
   * Makes this ref own one reference to the object, given back when
   * `holder` is garbage-collected.
   */
  own(holder) {
    this.#owned = true;
    markProxy(holder, this);
    finalizer.register(holder, this);
  }
  /** Gives back the owned reference (once). */
  releaseObject() {
    if (!this.#owned) return;
    this.#owned = false;
    const client = this.#client;
    if (client !== null && !client.failed) {
      client.notify("manager.release", [
        this.id
      ]);
    }
  }
  /** Calls a method; `params` start with the object id. */
  call(method, params, signal) {
    assertLive();
    const client = this.#client;
    if (client !== null && !client.failed) {
      return client.call(method, params, signal);
    }
    return this.#slowCall(method, params, signal);
  }
  async #slowCall(method, params, signal) {
    const client = await this.connect();
    return client.call(method, params, signal);
  }
  /** The connection, made (or re-made) on first use in this thread. */
  connect() {
    const client = this.#client;
    if (client !== null && !client.failed) return Promise.resolve(client);
    if (client !== null) {
      return Promise.reject(new ManagerError(`The manager at ${client.peer} is gone`));
    }
    this.#connecting ??= sharedClient(this.address, this.authkey).then((c) => {
      this.#client = c;
      this.#connecting = null;
      return c;
    }, (error) => {
      this.#connecting = null;
      throw error;
    });
    return this.#connecting;
  }
  /** Takes a reference for a copy of this proxy that crosses a boundary. */
  incref() {
    const client = this.#client;
    if (client !== null && !client.failed) {
      client.notify("manager.incref", [
        this.id
      ]);
    } else {
      this.connect().then((c) => c.notify("manager.incref", [
        this.id
      ])).catch(() => {
      });
    }
  }
};

// lib/manager/wire.ts
function isKey(value, depth) {
  switch (typeof value) {
    case "string":
    case "number":
    case "bigint":
    case "boolean":
    case "undefined":
      return true;
    case "object":
      if (value === null || value instanceof Date) return true;
      if (value instanceof Uint8Array) return true;
      return Array.isArray(value) && depth < 100 && value.every((item) => isKey(item, depth + 1));
    default:
      return false;
  }
}
__name(isKey, "isKey");
function dictKey(value, what) {
  if (typeof value === "string") return value;
  if (!isKey(value, 0)) {
    throw new TypeError(`${what}: a key must be a string, number, bigint, boolean, null, undefined, Date, Uint8Array or an array of those, received ${describe(value)}`);
  }
  return encodeValue(value, what);
}
__name(dictKey, "dictKey");
function pairsFor(manager, what, init2) {
  const pairs = [];
  if (init2 instanceof Map || typeof init2 === "object" && init2 !== null && Symbol.iterator in init2) {
    for (const pair of init2) {
      if (!Array.isArray(pair) || pair.length !== 2) {
        throw new TypeError(`${what}: each entry must be a [key, value] pair`);
      }
      pairs.push([
        dictKey(pair[0], what),
        encodeValue(pair[1], what, manager)
      ]);
    }
    return pairs;
  }
  if (typeof init2 === "object" && init2 !== null) {
    const proto = Object.getPrototypeOf(init2);
    if (proto === Object.prototype || proto === null) {
      const record2 = init2;
      for (const k of Object.keys(record2)) {
        pairs.push([
          k,
          encodeValue(record2[k], what, manager)
        ]);
      }
      return pairs;
    }
  }
  throw new TypeError(`${what}: init must be a plain object, a Map or [key, value] pairs, received ${describe(init2)}`);
}
__name(pairsFor, "pairsFor");

// lib/_typecode.ts
function info(code, ctor, kind, min, max) {
  return {
    code,
    ctor,
    size: ctor.BYTES_PER_ELEMENT,
    kind,
    min,
    max
  };
}
__name(info, "info");
var TABLE = {
  b: info("b", Int8Array, 1, -128, 127),
  B: info("B", Uint8Array, 1, 0, 255),
  h: info("h", Int16Array, 1, -32768, 32767),
  H: info("H", Uint16Array, 1, 0, 65535),
  i: info("i", Int32Array, 1, -2147483648, 2147483647),
  I: info("I", Uint32Array, 1, 0, 4294967295),
  // `l`/`L` are 32-bit: a C `long` is 32 bits on Windows (and in Python's
  // `array` module's guaranteed minimum), and a 32-bit value fits a `number`
  // exactly. Use `q`/`Q` for 64 bits.
  l: info("l", Int32Array, 1, -2147483648, 2147483647),
  L: info("L", Uint32Array, 1, 0, 4294967295),
  q: info("q", BigInt64Array, 2, -(2n ** 63n), 2n ** 63n - 1n),
  Q: info("Q", BigUint64Array, 2, 0n, 2n ** 64n - 1n),
  f: info("f", Float32Array, 0, -Infinity, Infinity),
  d: info("d", Float64Array, 0, -Infinity, Infinity)
};
function typecodeInfo(what, typecode) {
  if (typeof typecode === "string" && Object.hasOwn(TABLE, typecode)) {
    return TABLE[typecode];
  }
  throw new TypeError(`${what}: typecode must be one of b B h H i I l L q Q f d, received ${describe(typecode)}`);
}
__name(typecodeInfo, "typecodeInfo");
function checkItem(what, t, value) {
  if (t.kind === 0) {
    if (typeof value === "number") return value;
  } else if (t.kind === 1) {
    if (typeof value === "number" && Number.isInteger(value)) {
      if (value < t.min || value > t.max) {
        throw rangeError(what, t, value);
      }
      return value;
    }
  } else if (typeof value === "bigint") {
    if (value < t.min || value > t.max) {
      throw rangeError(what, t, value);
    }
    return value;
  }
  throw new TypeError(`${what}: typecode "${t.code}" needs ${needs(t)}, received ${describe(value)}`);
}
__name(checkItem, "checkItem");
function checkDelta(what, t, value) {
  if (t.kind === 1 && typeof value === "number" && Number.isSafeInteger(value)) {
    return value;
  }
  if (t.kind === 2 && typeof value === "bigint") return value;
  throw new TypeError(`${what}: typecode "${t.code}" needs ${t.kind === 2 ? "a bigint" : "a safe integer"}, received ${describe(value)}`);
}
__name(checkDelta, "checkDelta");
function checkAtomic(what, t) {
  if (t.kind === 0) {
    throw new TypeError(`${what}: atomic operations need an integer typecode, received "${t.code}"`);
  }
}
__name(checkAtomic, "checkAtomic");
function needs(t) {
  if (t.kind === 0) return "a number";
  if (t.kind === 2) return "a bigint";
  return "an integer number";
}
__name(needs, "needs");
function rangeError(what, t, value) {
  return new RangeError(`${what}: typecode "${t.code}" holds integers from ${t.min} to ${t.max}, received ${value}`);
}
__name(rangeError, "rangeError");
function zeroOf(t) {
  return t.kind === 2 ? 0n : 0;
}
__name(zeroOf, "zeroOf");
function checkIndex(what, index2, length) {
  if (typeof index2 !== "number" || !Number.isInteger(index2)) {
    throw new TypeError(`${what}: index must be an integer, received ${describe(index2)}`);
  }
  const i = index2 < 0 ? index2 + length : index2;
  if (i < 0 || i >= length) {
    throw new RangeError(`${what}: index must be from ${-length} to ${length - 1}, received ${index2}`);
  }
  return i;
}
__name(checkIndex, "checkIndex");

// lib/manager_proxies.ts
var KIND = "ManagerProxy";
function share(ref) {
  if (!mayConnect(ref.address)) {
    const where = typeof ref.address === "string" ? `the Unix socket ${ref.address}: grant --allow-read, --allow-write and --allow-net=unix:<path> on it, or start the manager with address { hostname: "127.0.0.1", port: 0 } and grant --allow-net=127.0.0.1` : `${ref.address.hostname}:${ref.address.port}: grant --allow-net=${ref.address.hostname}`;
    throw new Deno.errors.NotCapable(`Cannot share a ${ref.kind} proxy with a worker: this program may not connect to the manager at ${where}`);
  }
  ref.incref();
  const data = {
    kind: ref.kind,
    id: ref.id,
    address: ref.address,
    authkey: ref.authkey
  };
  if (ref.typeid !== void 0) {
    data.typeid = ref.typeid;
    data.exposed = ref.exposed;
  }
  return {
    kind: KIND,
    module: import.meta.url,
    data
  };
}
__name(share, "share");
function inspect(proxy, ref) {
  const where = typeof ref.address === "string" ? ref.address : `${ref.address.hostname}:${ref.address.port}`;
  const name = proxy.constructor.name ?? "Proxy";
  const typeid = ref.typeid ?? ref.kind;
  return `${name} { typeid: "${typeid}", id: "${ref.id}", manager: "${where}" }`;
}
__name(inspect, "inspect");
function enc(ref, value, what) {
  return encodeValue(value, what, ref.manager);
}
__name(enc, "enc");
function key(value, what) {
  if (typeof value !== "string") {
    throw new TypeError(`${what}: key must be a string, received ${describe(value)}`);
  }
  return value;
}
__name(key, "key");
function int(value, what, name) {
  if (!Number.isSafeInteger(value)) {
    throw new TypeError(`${what}: ${name} must be an integer, received ${describe(value)}`);
  }
  return value;
}
__name(int, "int");
function waitParams(what, options) {
  const timeout = checkTimeout(what, options.timeout);
  checkSignal(what, options.signal);
  options.signal?.throwIfAborted();
  return {
    timeout: timeout === Infinity ? null : timeout,
    signal: options.signal
  };
}
__name(waitParams, "waitParams");
var BaseProxy = class {
  static {
    __name(this, "BaseProxy");
  }
  #ref;
  /** @ignore Made by the manager's methods. */
  constructor(ref) {
    this.#ref = ref;
  }
  /**
   * The descriptor used when this proxy crosses into a worker.
   *
   * @returns The descriptor.
   *
   * @ignore Internal: the shared-object registry calls it.
   */
  [SHARE]() {
    return share(this.#ref);
  }
  /**
   * What Python's `repr()` shows, from what is known here (no call).
   *
   * @returns The description.
   */
  [Symbol.for("Deno.customInspect")]() {
    return inspect(this, this.#ref);
  }
};
var DictProxy = class extends BaseProxy {
  static {
    __name(this, "DictProxy");
  }
  #ref;
  /** @ignore Made by {@linkcode Manager.dict}. */
  constructor(ref) {
    super(ref);
    this.#ref = ref;
  }
  /**
   * The value at `key`, or `fallback` (default `undefined`) when absent.
   *
   * @param k The key.
   * @param fallback What to return when the key is absent.
   * @returns A copy of the value.
   * @throws {TypeError} when the key is not a {@linkcode DictKey}.
   */
  async get(k, fallback2) {
    const ref = this.#ref;
    const what = "Cannot get key";
    return await ref.call("dict.get", arguments.length > 1 ? [
      ref.id,
      dictKey(k, what),
      enc(ref, fallback2, what)
    ] : [
      ref.id,
      dictKey(k, what)
    ]);
  }
  /**
   * Sets `key` to `value`.
   *
   * @param k The key.
   * @param value The value, copied to the manager (a proxy in it stays a
   *   proxy).
   * @throws {TypeError} when the key or value cannot be encoded (nothing is
   *   sent).
   */
  async set(k, value) {
    const ref = this.#ref;
    const what = "Cannot set key";
    await ref.call("dict.set", [
      ref.id,
      dictKey(k, what),
      enc(ref, value, what)
    ]);
  }
  /**
   * Whether `key` is present (Python's `k in d`).
   *
   * @param k The key.
   * @returns `true` when present.
   */
  async has(k) {
    const ref = this.#ref;
    return await ref.call("dict.has", [
      ref.id,
      dictKey(k, "Cannot check key")
    ]);
  }
  /**
   * Removes `key` (Python's `del d[k]`).
   *
   * @param k The key.
   * @returns Whether it was present.
   */
  async delete(k) {
    const ref = this.#ref;
    return await ref.call("dict.delete", [
      ref.id,
      dictKey(k, "Cannot delete key")
    ]);
  }
  /**
   * The keys, in insertion order, each of its own type.
   *
   * @returns A copy of the keys.
   */
  async keys() {
    return await this.#ref.call("dict.keys", [
      this.#ref.id
    ]);
  }
  /**
   * The values, in insertion order.
   *
   * @returns Copies of the values.
   */
  async values() {
    return await this.#ref.call("dict.values", [
      this.#ref.id
    ]);
  }
  /**
   * The `[key, value]` pairs, in insertion order (Python's `items()`).
   *
   * @returns Copies of the entries.
   */
  async entries() {
    return await this.#ref.call("dict.entries", [
      this.#ref.id
    ]);
  }
  /**
   * The number of keys (Python's `len(d)`).
   *
   * @returns The size.
   */
  async size() {
    return await this.#ref.call("dict.size", [
      this.#ref.id
    ]);
  }
  /**
   * Sets every key of `other`, all at once.
   *
   * @param other A plain object, a Map, or `[key, value]` pairs.
   * @throws {TypeError} when a key or value cannot be encoded (nothing is
   *   sent).
   */
  async update(other) {
    const ref = this.#ref;
    await ref.call("dict.update", [
      ref.id,
      pairsFor(ref.manager, "Cannot update dict", other)
    ]);
  }
  /** Removes every key. */
  async clear() {
    await this.#ref.call("dict.clear", [
      this.#ref.id
    ]);
  }
  /**
   * Removes `key` and returns its value, or `fallback` when absent.
   *
   * @param k The key.
   * @param fallback What to return when the key is absent.
   * @returns The removed value.
   * @throws {RangeError} when the key is absent and no fallback was given.
   */
  async pop(k, fallback2) {
    const ref = this.#ref;
    const what = "Cannot pop key";
    return await ref.call("dict.pop", arguments.length > 1 ? [
      ref.id,
      dictKey(k, what),
      enc(ref, fallback2, what)
    ] : [
      ref.id,
      dictKey(k, what)
    ]);
  }
  /**
   * Removes and returns the last inserted `[key, value]` pair (Python's
   * `popitem()`).
   *
   * @returns The pair.
   * @throws {RangeError} when the dict is empty.
   */
  async popitem() {
    return await this.#ref.call("dict.popitem", [
      this.#ref.id
    ]);
  }
  /**
   * Sets `key` to `value` unless present; returns the value now there.
   *
   * @param k The key.
   * @param value The default.
   * @returns The value at `key` afterwards.
   */
  async setdefault(k, value) {
    const ref = this.#ref;
    const what = "Cannot set default";
    return await ref.call("dict.setdefault", [
      ref.id,
      dictKey(k, what),
      enc(ref, value, what)
    ]);
  }
  /**
   * A copy of the whole dict as a plain object (Python's `dict(d)`), for a
   * dict whose keys are all strings.
   *
   * @returns The copy.
   * @throws {TypeError} when a key is not a string (use
   *   {@linkcode DictProxy.prototype.toMap}).
   */
  async toObject() {
    return await this.#ref.call("dict.toObject", [
      this.#ref.id
    ]);
  }
  /**
   * A copy of the whole dict as a `Map`, keys of every type kept (an
   * array key is a new array: look it up by iterating).
   *
   * @returns The copy.
   */
  async toMap() {
    return new Map(await this.entries());
  }
};
function pathStep(what, step) {
  if (typeof step === "string" || Number.isSafeInteger(step)) {
    return step;
  }
  throw new TypeError(`${what}: a key path holds property names and integer indexes, received ${describe(step)}`);
}
__name(pathStep, "pathStep");
var ListProxy = class extends BaseProxy {
  static {
    __name(this, "ListProxy");
  }
  #ref;
  /** @ignore Made by {@linkcode Manager.list}. */
  constructor(ref) {
    super(ref);
    this.#ref = ref;
  }
  /**
   * Appends one item.
   *
   * @param item The item.
   */
  async append(item) {
    const ref = this.#ref;
    await ref.call("list.append", [
      ref.id,
      enc(this.#ref, item, "Cannot append item")
    ]);
  }
  /**
   * Appends every item of `items`.
   *
   * @param items The items.
   */
  async extend(items) {
    const ref = this.#ref;
    await ref.call("list.extend", [
      ref.id,
      enc(this.#ref, [
        ...items
      ], "Cannot extend list")
    ]);
  }
  /**
   * The item at `index` (negative counts from the end).
   *
   * @param index The index.
   * @returns A copy of the item.
   * @throws {RangeError} when the index is out of range.
   */
  async get(index2) {
    const ref = this.#ref;
    return await ref.call("list.get", [
      ref.id,
      int(index2, "Cannot get item", "index")
    ]);
  }
  /**
   * Replaces the item at `index`.
   *
   * @param index The index (negative counts from the end).
   * @param item The new item.
   * @throws {RangeError} when the index is out of range.
   */
  async set(index2, item) {
    const ref = this.#ref;
    await ref.call("list.set", [
      ref.id,
      int(index2, "Cannot set item", "index"),
      enc(this.#ref, item, "Cannot set item")
    ]);
  }
  /**
   * The number of items (Python's `len(l)`).
   *
   * @returns The length.
   */
  async length() {
    return await this.#ref.call("list.length", [
      this.#ref.id
    ]);
  }
  /**
   * Removes and returns the item at `index` (the last by default).
   *
   * @param index The index.
   * @returns The item.
   * @throws {RangeError} when the list is empty or the index out of range.
   */
  async pop(index2) {
    const ref = this.#ref;
    return await ref.call("list.pop", index2 === void 0 ? [
      ref.id
    ] : [
      ref.id,
      int(index2, "Cannot pop item", "index")
    ]);
  }
  /**
   * Inserts `item` before `index` (clamped, as in Python).
   *
   * @param index The index.
   * @param item The item.
   */
  async insert(index2, item) {
    const ref = this.#ref;
    await ref.call("list.insert", [
      ref.id,
      int(index2, "Cannot insert item", "index"),
      enc(this.#ref, item, "Cannot insert item")
    ]);
  }
  /**
   * Removes the first item equal to `item` (deep equality).
   *
   * @param item The item.
   * @throws {RangeError} when no item is equal.
   */
  async remove(item) {
    const ref = this.#ref;
    await ref.call("list.remove", [
      ref.id,
      enc(this.#ref, item, "Cannot remove item")
    ]);
  }
  /**
   * The index of the first item equal to `item`, within `[start, stop)`.
   *
   * @param item The item.
   * @param start The first index searched.
   * @param stop One past the last index searched.
   * @returns The index.
   * @throws {RangeError} when no item is equal.
   */
  async index(item, start, stop) {
    const ref = this.#ref;
    const what = "Cannot find index";
    return await ref.call("list.index", [
      ref.id,
      enc(this.#ref, item, what),
      start === void 0 ? null : int(start, what, "start"),
      stop === void 0 ? null : int(stop, what, "stop")
    ]);
  }
  /**
   * How many items equal `item`.
   *
   * @param item The item.
   * @returns The count.
   */
  async count(item) {
    const ref = this.#ref;
    return await ref.call("list.count", [
      ref.id,
      enc(this.#ref, item, "Cannot count items")
    ]);
  }
  /**
   * A copy of `[start, end)`, as `Array.prototype.slice`.
   *
   * @param start The first index.
   * @param end One past the last index.
   * @returns The items.
   */
  async slice(start, end) {
    const ref = this.#ref;
    const what = "Cannot slice list";
    return await ref.call("list.slice", [
      ref.id,
      start === void 0 ? null : int(start, what, "start"),
      end === void 0 ? null : int(end, what, "end")
    ]);
  }
  /**
   * Replaces every item at once (Python's `l[:] = items`).
   *
   * @param items The new items.
   */
  async replace(items) {
    const ref = this.#ref;
    await ref.call("list.replace", [
      ref.id,
      enc(this.#ref, [
        ...items
      ], "Cannot replace items")
    ]);
  }
  /**
   * A copy of the whole list (Python's `list(l)`).
   *
   * @returns The items.
   */
  async toArray() {
    return await this.#ref.call("list.toArray", [
      this.#ref.id
    ]);
  }
  /**
   * Reverses the list in place, on the manager, in one step (no other
   * call sees it half done).
   */
  async reverse() {
    await this.#ref.call("list.reverse", [
      this.#ref.id
    ]);
  }
  /**
   * Sorts the list in place, on the manager, in one step, as Python's
   * `list.sort(key=..., reverse=...)`: stable, numbers (bigints and
   * booleans among them) by value, strings by UTF-16 code units, Dates by
   * time, bytes by bytes, arrays item by item. Items that cannot be
   * ordered against each other (a string and a number, `null`, objects)
   * fail with a `TypeError` and leave the list as it was.
   *
   * @param options `key`: a property name, an index, a path of those
   *   (`["address", "city"]`), or an exported function of `module` (it
   *   runs on the manager, which imports its module: the manager needs
   *   read access to it); `reverse`: largest first.
   * @throws {TypeError} when items cannot be ordered, or for a bad key.
   * @throws {RangeError} when an item has nothing at the key path.
   *
   * @example Usage
   * ```ts
   * import { Manager } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   *
   * await using manager = await Manager.start();
   * const people = await manager.list([{ name: "b", age: 30 }, { name: "a", age: 20 }]);
   * await people.sort({ key: "age", reverse: true });
   * assert.deepEqual((await people.toArray()).map((p) => p.name), ["b", "a"]);
   * ```
   */
  async sort(options) {
    const what = "Cannot sort list";
    const { key: key2, reverse = false, module } = options ?? {};
    if (typeof reverse !== "boolean") {
      throw new TypeError(`${what}: reverse must be a boolean, received ${describe(reverse)}`);
    }
    let wire2 = null;
    if (typeof key2 === "function") {
      wire2 = {
        fn: targetRef(what, key2, module)
      };
    } else if (typeof key2 === "string" || typeof key2 === "number") {
      wire2 = {
        path: [
          pathStep(what, key2)
        ]
      };
    } else if (Array.isArray(key2)) {
      wire2 = {
        path: key2.map((step) => pathStep(what, step))
      };
    } else if (key2 !== void 0) {
      throw new TypeError(`${what}: key must be a property name, an index, a path or an exported function, received ${describe(key2)}`);
    }
    const ref = this.#ref;
    await ref.call("list.sort", [
      ref.id,
      wire2,
      reverse
    ]);
  }
};
var NamespaceProxy = class extends BaseProxy {
  static {
    __name(this, "NamespaceProxy");
  }
  #ref;
  /** @ignore Made by {@linkcode Manager.namespace}. */
  constructor(ref) {
    super(ref);
    this.#ref = ref;
  }
  /**
   * The attribute `name` (`undefined` when unset).
   *
   * @param name The attribute.
   * @returns A copy of its value.
   */
  async get(name) {
    const ref = this.#ref;
    return await ref.call("namespace.get", [
      ref.id,
      key(name, "Cannot get attribute")
    ]);
  }
  /**
   * Sets the attribute `name`.
   *
   * @param name The attribute.
   * @param value Its new value.
   */
  async set(name, value) {
    const ref = this.#ref;
    await ref.call("namespace.set", [
      ref.id,
      key(name, "Cannot set attribute"),
      enc(this.#ref, value, "Cannot set attribute")
    ]);
  }
  /**
   * Whether the attribute `name` is set.
   *
   * @param name The attribute.
   * @returns `true` when set.
   */
  async has(name) {
    const ref = this.#ref;
    return await ref.call("namespace.has", [
      ref.id,
      key(name, "Cannot check attribute")
    ]);
  }
  /**
   * Deletes the attribute `name`.
   *
   * @param name The attribute.
   * @returns Whether it was set.
   */
  async delete(name) {
    const ref = this.#ref;
    return await ref.call("namespace.delete", [
      ref.id,
      key(name, "Cannot delete attribute")
    ]);
  }
  /**
   * A copy of every attribute.
   *
   * @returns The attributes.
   */
  async toObject() {
    return await this.#ref.call("namespace.toObject", [
      this.#ref.id
    ]);
  }
};
var ValueProxy = class extends BaseProxy {
  static {
    __name(this, "ValueProxy");
  }
  #ref;
  /** @ignore Made by {@linkcode Manager.value}. */
  constructor(ref) {
    super(ref);
    this.#ref = ref;
  }
  /**
   * The value.
   *
   * @returns A copy of the value.
   */
  async get() {
    return await this.#ref.call("value.get", [
      this.#ref.id
    ]);
  }
  /**
   * Replaces the value.
   *
   * @param value The new value.
   */
  async set(value) {
    const ref = this.#ref;
    await ref.call("value.set", [
      ref.id,
      enc(this.#ref, value, "Cannot set value")
    ]);
  }
  /**
   * The typecode given at creation.
   *
   * @returns The typecode.
   */
  async typecode() {
    return await this.#ref.call("value.typecode", [
      this.#ref.id
    ]);
  }
};
async function acquireOn(ref, kind, what, options) {
  const { timeout, signal } = waitParams(what, options);
  const got = await ref.call(`${kind}.acquire`, [
    ref.id,
    timeout
  ], signal);
  if (signal?.aborted) {
    if (got === true) await ref.call(`${kind}.release`, [
      ref.id
    ]);
    throw signal.reason;
  }
  return got;
}
__name(acquireOn, "acquireOn");
async function holdOn(ref, kind, what, options) {
  if (!await acquireOn(ref, kind, what, options)) {
    throw new TimeoutError(`${what}: timed out after ${options.timeout} ms`);
  }
  let released = false;
  return {
    async [Symbol.asyncDispose]() {
      if (released) return;
      released = true;
      await ref.call(`${kind}.release`, [
        ref.id
      ]);
    }
  };
}
__name(holdOn, "holdOn");
var LockProxy = class extends BaseProxy {
  static {
    __name(this, "LockProxy");
  }
  #ref;
  /** @ignore Made by {@linkcode Manager.lock}. */
  constructor(ref) {
    super(ref);
    this.#ref = ref;
  }
  /**
   * Acquires the lock.
   *
   * @param options `timeout` (ms; `0` tries once) and `signal`.
   * @returns Whether it was acquired (`false` when the timeout ran out).
   * @throws {TypeError} for a bad option; rejects with `signal.reason` when
   * aborted.
   */
  async acquire(options) {
    options ??= {};
    return await acquireOn(this.#ref, "lock", "Cannot acquire lock", options);
  }
  /**
   * Releases the lock.
   *
   * @throws {RemoteError} when it is not locked.
   */
  async release() {
    await this.#ref.call("lock.release", [
      this.#ref.id
    ]);
  }
  /**
   * Whether the lock is held.
   *
   * @returns `true` when held.
   */
  async locked() {
    return await this.#ref.call("lock.locked", [
      this.#ref.id
    ]);
  }
  /**
   * Acquires the lock and returns a guard that releases it:
   * `await using _ = await lock.hold()`.
   *
   * @param options `timeout` and `signal`.
   * @returns The guard.
   * @throws {TimeoutError} when the timeout ran out.
   */
  async hold(options) {
    options ??= {};
    return await holdOn(this.#ref, "lock", "Cannot hold lock", options);
  }
};
var RLockProxy = class extends BaseProxy {
  static {
    __name(this, "RLockProxy");
  }
  #ref;
  /** @ignore Made by {@linkcode Manager.rlock}. */
  constructor(ref) {
    super(ref);
    this.#ref = ref;
  }
  /**
   * Acquires the lock (again, if this thread holds it).
   *
   * @param options `timeout` and `signal`.
   * @returns Whether it was acquired.
   */
  async acquire(options) {
    options ??= {};
    return await acquireOn(this.#ref, "rlock", "Cannot acquire rlock", options);
  }
  /**
   * Releases one level.
   *
   * @throws {RemoteError} when this thread does not hold it.
   */
  async release() {
    await this.#ref.call("rlock.release", [
      this.#ref.id
    ]);
  }
  /**
   * Whether anyone holds the lock.
   *
   * @returns `true` when held.
   */
  async locked() {
    return await this.#ref.call("rlock.locked", [
      this.#ref.id
    ]);
  }
  /**
   * Acquires and returns a guard that releases one level.
   *
   * @param options `timeout` and `signal`.
   * @returns The guard.
   * @throws {TimeoutError} when the timeout ran out.
   */
  async hold(options) {
    options ??= {};
    return await holdOn(this.#ref, "rlock", "Cannot hold rlock", options);
  }
};
var SemaphoreProxy = class extends BaseProxy {
  static {
    __name(this, "SemaphoreProxy");
  }
  #ref;
  /** @ignore Made by {@linkcode Manager.semaphore}. */
  constructor(ref) {
    super(ref);
    this.#ref = ref;
  }
  /**
   * Takes one unit, waiting while there is none.
   *
   * @param options `timeout` and `signal`.
   * @returns Whether a unit was taken.
   */
  async acquire(options) {
    options ??= {};
    return await acquireOn(this.#ref, "semaphore", "Cannot acquire semaphore", options);
  }
  /**
   * Gives back `n` units.
   *
   * @param n How many.
   * @throws {RangeError} when `n` is not a positive integer.
   */
  async release(n) {
    if (n === void 0) n = 1;
    if (!Number.isSafeInteger(n) || n < 1) {
      throw new RangeError(`Cannot release semaphore: n must be a positive integer, received ${n}`);
    }
    await this.#ref.call("semaphore.release", [
      this.#ref.id,
      n
    ]);
  }
  /**
   * The current count.
   *
   * @returns The count.
   */
  async getValue() {
    return await this.#ref.call("semaphore.getValue", [
      this.#ref.id
    ]);
  }
  /**
   * Takes a unit and returns a guard that gives it back.
   *
   * @param options `timeout` and `signal`.
   * @returns The guard.
   * @throws {TimeoutError} when the timeout ran out.
   */
  async hold(options) {
    options ??= {};
    return await holdOn(this.#ref, "semaphore", "Cannot hold semaphore", options);
  }
};
var EventProxy = class extends BaseProxy {
  static {
    __name(this, "EventProxy");
  }
  #ref;
  /** @ignore Made by {@linkcode Manager.event}. */
  constructor(ref) {
    super(ref);
    this.#ref = ref;
  }
  /** Sets the flag and wakes every waiter. */
  async set() {
    await this.#ref.call("event.set", [
      this.#ref.id
    ]);
  }
  /** Clears the flag. */
  async clear() {
    await this.#ref.call("event.clear", [
      this.#ref.id
    ]);
  }
  /**
   * Whether the flag is set.
   *
   * @returns The flag.
   */
  async isSet() {
    return await this.#ref.call("event.isSet", [
      this.#ref.id
    ]);
  }
  /**
   * Waits until the flag is set.
   *
   * @param options `timeout` and `signal`.
   * @returns `true` when set, `false` when the timeout ran out.
   */
  async wait(options) {
    options ??= {};
    const ref = this.#ref;
    const { timeout, signal } = waitParams("Cannot wait for event", options);
    const set = await ref.call("event.wait", [
      ref.id,
      timeout
    ], signal);
    if (signal?.aborted) throw signal.reason;
    return set;
  }
};
var QueueProxy = class extends BaseProxy {
  static {
    __name(this, "QueueProxy");
  }
  #ref;
  /** @ignore Made by {@linkcode Manager.queue}. */
  constructor(ref) {
    super(ref);
    this.#ref = ref;
  }
  /**
   * Puts an item, waiting while the queue is full.
   *
   * @param item The item.
   * @param options `timeout` and `signal`.
   * @throws {QueueFullError} when the timeout ran out.
   */
  async put(item, options) {
    options ??= {};
    const ref = this.#ref;
    const what = "Cannot put item";
    const encoded = enc(this.#ref, item, what);
    const { timeout, signal } = waitParams(what, options);
    await ref.call("queue.put", [
      ref.id,
      encoded,
      timeout
    ], signal);
  }
  /**
   * Puts an item without waiting.
   *
   * @param item The item.
   * @throws {QueueFullError} when the queue is full.
   */
  async putNowait(item) {
    return await this.put(item, {
      timeout: 0
    });
  }
  /**
   * Takes the next item, waiting while the queue is empty.
   *
   * @param options `timeout` and `signal`.
   * @returns The item. If the item was already taken when an abort reached
   * the manager, the call resolves with it so that nothing is lost.
   * @throws {QueueEmptyError} when the timeout ran out.
   */
  async get(options) {
    options ??= {};
    const ref = this.#ref;
    const { timeout, signal } = waitParams("Cannot get item", options);
    return await ref.call("queue.get", [
      ref.id,
      timeout
    ], signal);
  }
  /**
   * Takes the next item without waiting.
   *
   * @returns The item.
   * @throws {QueueEmptyError} when the queue is empty.
   */
  async getNowait() {
    return await this.get({
      timeout: 0
    });
  }
  /**
   * The number of items.
   *
   * @returns The size.
   */
  async qsize() {
    return await this.#ref.call("queue.qsize", [
      this.#ref.id
    ]);
  }
  /**
   * Whether the queue is empty.
   *
   * @returns `true` when empty.
   */
  async empty() {
    return await this.#ref.call("queue.empty", [
      this.#ref.id
    ]);
  }
  /**
   * Whether the queue is full.
   *
   * @returns `true` when full.
   */
  async full() {
    return await this.#ref.call("queue.full", [
      this.#ref.id
    ]);
  }
};
var ArrayProxy = class extends BaseProxy {
  static {
    __name(this, "ArrayProxy");
  }
  #ref;
  /** @ignore Made by {@linkcode Manager.array}. */
  constructor(ref) {
    super(ref);
    this.#ref = ref;
  }
  /**
   * The item at `index` (negative counts from the end).
   *
   * @param index The index.
   * @returns The item.
   * @throws {RangeError} when the index is out of range.
   */
  async get(index2) {
    const ref = this.#ref;
    return await ref.call("array.get", [
      ref.id,
      int(index2, "Cannot get item", "index")
    ]);
  }
  /**
   * Replaces the item at `index`.
   *
   * @param index The index (negative counts from the end).
   * @param value The new item.
   * @throws {TypeError} when the value does not fit the typecode's type.
   * @throws {RangeError} when the index or value is out of range.
   */
  async set(index2, value) {
    const ref = this.#ref;
    const what = "Cannot set item";
    await ref.call("array.set", [
      ref.id,
      int(index2, what, "index"),
      enc(ref, value, what)
    ]);
  }
  /**
   * The number of items (Python's `len(a)`).
   *
   * @returns The length.
   */
  async length() {
    return await this.#ref.call("array.length", [
      this.#ref.id
    ]);
  }
  /**
   * A copy of `[start, end)`, as `Array.prototype.slice`.
   *
   * @param start The first index.
   * @param end One past the last index.
   * @returns The items.
   */
  async slice(start, end) {
    const ref = this.#ref;
    const what = "Cannot slice array";
    return await ref.call("array.slice", [
      ref.id,
      start === void 0 ? null : int(start, what, "start"),
      end === void 0 ? null : int(end, what, "end")
    ]);
  }
  /**
   * A copy of every item (Python's `a[:]`).
   *
   * @returns The items.
   */
  async toArray() {
    return await this.#ref.call("array.toArray", [
      this.#ref.id
    ]);
  }
  /**
   * The typecode.
   *
   * @returns The typecode.
   */
  async typecode() {
    return await this.#ref.call("array.typecode", [
      this.#ref.id
    ]);
  }
};
var BoundedSemaphoreProxy = class extends SemaphoreProxy {
  static {
    __name(this, "BoundedSemaphoreProxy");
  }
  /** @ignore Made by {@linkcode Manager.boundedSemaphore}. */
  constructor(ref) {
    super(ref);
  }
};
var ConditionProxy = class extends BaseProxy {
  static {
    __name(this, "ConditionProxy");
  }
  #ref;
  /** @ignore Made by {@linkcode Manager.condition}. */
  constructor(ref) {
    super(ref);
    this.#ref = ref;
  }
  /**
   * Acquires the condition's lock.
   *
   * @param options `timeout` and `signal`.
   * @returns Whether it was acquired.
   */
  async acquire(options) {
    options ??= {};
    return await acquireOn(this.#ref, "condition", "Cannot acquire condition", options);
  }
  /**
   * Releases the condition's lock.
   *
   * @throws {RemoteError} when this thread does not hold it.
   */
  async release() {
    await this.#ref.call("condition.release", [
      this.#ref.id
    ]);
  }
  /**
   * Acquires the lock and returns a guard that releases it.
   *
   * @param options `timeout` and `signal`.
   * @returns The guard.
   * @throws {TimeoutError} when the timeout ran out.
   */
  async hold(options) {
    options ??= {};
    return await holdOn(this.#ref, "condition", "Cannot hold condition", options);
  }
  /**
   * Releases the lock, waits until notified (or until `timeout`), and
   * takes the lock back before returning, as Python's `wait`. Even when
   * aborted, the lock is held again when the call rejects.
   *
   * @param options `timeout` and `signal`.
   * @returns `true` when notified, `false` when the timeout ran out.
   * @throws {RemoteError} when this thread does not hold the lock.
   */
  async wait(options) {
    options ??= {};
    const ref = this.#ref;
    const { timeout, signal } = waitParams("Cannot wait on condition", options);
    const notified = await ref.call("condition.wait", [
      ref.id,
      timeout
    ], signal);
    if (signal?.aborted) throw signal.reason;
    return notified;
  }
  /**
   * Waits until `predicate` returns a truthy value, as Python's
   * `wait_for`: the predicate runs here, with the lock held, before each
   * wait and after each wake-up.
   *
   * @typeParam R What the predicate returns.
   * @param predicate A function (it may be async) of the shared state.
   * @param options `timeout` (for all the waits together) and `signal`.
   * @returns The predicate's last value (falsy when the timeout ran out).
   */
  async waitFor(predicate, options) {
    options ??= {};
    if (typeof predicate !== "function") {
      throw new TypeError(`Cannot wait on condition: predicate must be a function, received ${describe(predicate)}`);
    }
    const timeout = checkTimeout("Cannot wait on condition", options.timeout);
    const deadline = performance.now() + timeout;
    let result = await predicate();
    while (!result) {
      const remaining = deadline - performance.now();
      if (remaining <= 0) break;
      const wait3 = remaining === Infinity ? {} : {
        timeout: remaining
      };
      if (options.signal !== void 0) wait3.signal = options.signal;
      await this.wait(wait3);
      result = await predicate();
    }
    return result;
  }
  /**
   * Wakes up to `n` waiters (they take the lock back in turn).
   *
   * @param n How many.
   * @throws {RemoteError} when this thread does not hold the lock.
   */
  async notify(n) {
    if (n === void 0) n = 1;
    const ref = this.#ref;
    await ref.call("condition.notify", [
      ref.id,
      int(n, "Cannot notify", "n")
    ]);
  }
  /**
   * Wakes every waiter.
   *
   * @throws {RemoteError} when this thread does not hold the lock.
   */
  async notifyAll() {
    await this.#ref.call("condition.notifyAll", [
      this.#ref.id
    ]);
  }
};
var BarrierProxy = class extends BaseProxy {
  static {
    __name(this, "BarrierProxy");
  }
  #ref;
  /** @ignore Made by {@linkcode Manager.barrier}. */
  constructor(ref) {
    super(ref);
    this.#ref = ref;
  }
  /**
   * Waits until every party has arrived.
   *
   * @param options `timeout` (the barrier's own by default; running out
   *   breaks the barrier, as in Python) and `signal`.
   * @returns This party's arrival index, from `0` to `parties - 1`.
   * @throws {BrokenBarrierError} when the barrier is or becomes broken.
   */
  async wait(options) {
    options ??= {};
    const ref = this.#ref;
    const what = "Cannot wait at barrier";
    const { timeout, signal } = waitParams(what, options);
    const params = options.timeout === void 0 ? [
      ref.id
    ] : [
      ref.id,
      timeout
    ];
    const index2 = await ref.call("barrier.wait", params, signal);
    if (signal?.aborted) throw signal.reason;
    return index2;
  }
  /** Breaks the barrier: waiting and later parties get `BrokenBarrierError`. */
  async abort() {
    await this.#ref.call("barrier.abort", [
      this.#ref.id
    ]);
  }
  /** Mends the barrier; parties waiting now get `BrokenBarrierError`. */
  async reset() {
    await this.#ref.call("barrier.reset", [
      this.#ref.id
    ]);
  }
  /**
   * How many parties must arrive.
   *
   * @returns The count.
   */
  async parties() {
    return (await this.#state()).parties;
  }
  /**
   * How many parties are waiting now (Python's `n_waiting`).
   *
   * @returns The count.
   */
  async nWaiting() {
    return (await this.#state()).nWaiting;
  }
  /**
   * Whether the barrier is broken.
   *
   * @returns `true` when broken.
   */
  async broken() {
    return (await this.#state()).broken;
  }
  async #state() {
    return await this.#ref.call("barrier.state", [
      this.#ref.id
    ]);
  }
};
var AutoProxy = class extends BaseProxy {
  static {
    __name(this, "AutoProxy");
  }
  /** @ignore Made by {@linkcode Manager.create}. */
  constructor(ref) {
    super(ref);
  }
};
var customPrototypes = /* @__PURE__ */ new Map();
function customProxy(ref) {
  const cacheKey = `${ref.typeid}
${ref.exposed.join(",")}`;
  let proto = customPrototypes.get(cacheKey);
  if (proto === void 0) {
    proto = Object.create(AutoProxy.prototype);
    for (const name of ref.exposed) {
      if (name === "then") continue;
      const what = `Cannot call ${ref.typeid}.${name}`;
      Object.defineProperty(proto, name, {
        value: /* @__PURE__ */ __name(function(...args) {
          const r = refOf(this);
          return r.call("custom.call", [
            r.id,
            name,
            ...args.map((arg) => encodeValue(arg, what, r.manager))
          ]);
        }, "value"),
        enumerable: true,
        writable: true,
        configurable: true
      });
    }
    customPrototypes.set(cacheKey, proto);
  }
  const proxy = new AutoProxy(ref);
  Object.setPrototypeOf(proxy, proto);
  return proxy;
}
__name(customProxy, "customProxy");
function proxyOf(ref) {
  switch (ref.kind) {
    case "dict":
      return new DictProxy(ref);
    case "list":
      return new ListProxy(ref);
    case "namespace":
      return new NamespaceProxy(ref);
    case "value":
      return new ValueProxy(ref);
    case "array":
      return new ArrayProxy(ref);
    case "lock":
      return new LockProxy(ref);
    case "rlock":
      return new RLockProxy(ref);
    case "semaphore":
      return new SemaphoreProxy(ref);
    case "boundedSemaphore":
      return new BoundedSemaphoreProxy(ref);
    case "event":
      return new EventProxy(ref);
    case "condition":
      return new ConditionProxy(ref);
    case "barrier":
      return new BarrierProxy(ref);
    case "queue":
      return new QueueProxy(ref);
    case "custom":
      return customProxy(ref);
  }
  throw new TypeError(`Cannot make a proxy: unknown kind ${ref.kind}`);
}
__name(proxyOf, "proxyOf");
setProxyFactory(proxyOf);
registerShareable(KIND, (data) => {
  const { kind, id, address, authkey, typeid, exposed } = data;
  const ref = new ProxyRef(id, kind, address, authkey, null);
  if (typeid !== void 0) {
    ref.typeid = typeid;
    ref.exposed = exposed ?? [];
  }
  const proxy = proxyOf(ref);
  ref.own(proxy);
  return proxy;
});

// lib/manager.ts
function checkAddress(what, address) {
  if (typeof address === "string" && address.length > 0) return address;
  const checked = checkSocketAddress(what, address);
  return "path" in checked ? checked.path : checked;
}
__name(checkAddress, "checkAddress");
function checkCount(what, name, value) {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${what}: ${name} must be a non-negative integer, received ${describe(value)}`);
  }
}
__name(checkCount, "checkCount");
var BUILT_IN_KINDS = /* @__PURE__ */ new Set([
  "dict",
  "list",
  "namespace",
  "value",
  "array",
  "lock",
  "rlock",
  "semaphore",
  "boundedSemaphore",
  "event",
  "condition",
  "barrier",
  "queue",
  "custom"
]);
var registry = /* @__PURE__ */ new Map();
function typesForStart(what) {
  const specs = [
    ...registry.values()
  ];
  for (const spec of specs) {
    for (const [method, target] of Object.entries(spec.methodToTypeid)) {
      if (!registry.has(target)) {
        throw new TypeError(`${what}: methodToTypeid.${method} of ${spec.typeid} names ${target}, which is not registered`);
      }
    }
  }
  return specs;
}
__name(typesForStart, "typesForStart");
function typeReadDirs(specs) {
  const dirs = /* @__PURE__ */ new Set();
  for (const spec of specs) {
    const url = new URL(spec.callable.module);
    if (url.protocol === "file:") {
      dirs.add(decodeURIComponent(new URL(".", url).pathname));
    }
  }
  if (dirs.size > 0) {
    for (const dir of toolkitDirs()) {
      if (dir.protocol === "file:") dirs.add(decodeURIComponent(dir.pathname));
    }
  }
  return [
    ...dirs
  ];
}
__name(typeReadDirs, "typeReadDirs");
function tempDir() {
  let dir = "/tmp";
  try {
    if (Deno.permissions.querySync({
      name: "env",
      variable: "TMPDIR"
    }).state === "granted") {
      dir = Deno.env.get("TMPDIR") || dir;
    }
  } catch {
  }
  return dir.length > 1 ? dir.replace(/\/+$/, "") : dir;
}
__name(tempDir, "tempDir");
function randomHex(bytes) {
  let s = "";
  for (const b of crypto.getRandomValues(new Uint8Array(bytes))) {
    s += b.toString(16).padStart(2, "0");
  }
  return s;
}
__name(randomHex, "randomHex");
function recordOf(what, init2) {
  const out2 = /* @__PURE__ */ Object.create(null);
  if (init2 === void 0) return out2;
  if (init2 instanceof Map || typeof init2 === "object" && init2 !== null && Symbol.iterator in init2 && !Array.isArray(init2)) {
    for (const pair of init2) {
      if (!Array.isArray(pair) || pair.length !== 2 || typeof pair[0] !== "string") {
        throw new TypeError(`${what}: each entry must be a [key, value] pair with a string key`);
      }
      out2[pair[0]] = pair[1];
    }
    return out2;
  }
  if (typeof init2 === "object" && init2 !== null && !Array.isArray(init2)) {
    const proto = Object.getPrototypeOf(init2);
    if (proto === Object.prototype || proto === null) {
      for (const k of Object.keys(init2)) {
        out2[k] = init2[k];
      }
      return out2;
    }
  }
  throw new TypeError(`${what}: init must be a plain object, a Map or [key, value] pairs, received ${describe(init2)}`);
}
__name(recordOf, "recordOf");
var Manager = class _Manager {
  static {
    __name(this, "Manager");
  }
  #client;
  #address;
  #authkey;
  #authkeyText;
  #child;
  #pid;
  #stderr;
  #shutdown = null;
  #pipe = null;
  /** The registered types this server knows; `null` when connected. */
  #typeids = null;
  /** Identifies this manager for values holding proxies. */
  get #manager() {
    return `${addressText(this.#address)}
${this.#authkeyText}`;
  }
  constructor(client, address, authkey, child, pid, stderr) {
    this.#client = client;
    this.#address = address;
    this.#authkey = authkey;
    this.#authkeyText = toBase64(authkey);
    this.#child = child;
    this.#pid = pid;
    this.#stderr = stderr;
  }
  /**
   * Starts a manager subprocess and resolves once it answers.
   *
   * @param options Address, authkey and frame limit.
   * @returns The manager.
   * @throws {TypeError} for an option of the wrong type.
   * @throws {RangeError} for an out-of-range port or frame limit.
   * @throws {ManagerError} when the subprocess cannot start.
   */
  static async start(options) {
    const what = "Cannot start manager";
    const { address, authkey, maxFrameBytes = DEFAULT_MAX_FRAME_BYTES2, frameTimeout = DEFAULT_FRAME_TIMEOUT_MS } = options ?? {};
    const key2 = authkey === void 0 ? crypto.getRandomValues(new Uint8Array(32)) : keyBytes(what, authkey);
    if (!Number.isSafeInteger(maxFrameBytes) || maxFrameBytes < 1024 || maxFrameBytes > 4294967295) {
      throw new RangeError(`${what}: maxFrameBytes must be an integer from 1024 to 4294967295, received ${describe(maxFrameBytes)}`);
    }
    const maxBufferedBytes = options?.maxBufferedBytes ?? 2 * maxFrameBytes;
    const maxTotalBufferedBytes = options?.maxTotalBufferedBytes ?? Math.max(DEFAULT_MAX_TOTAL_BUFFERED_BYTES, maxBufferedBytes);
    checkLimits(what, {
      frameTimeout,
      maxBufferedBytes,
      maxTotalBufferedBytes
    }, maxFrameBytes);
    let target;
    let listen;
    const own = {
      read: [],
      write: [],
      net: []
    };
    if (address === void 0 && Deno.build.os === "windows") {
      target = {
        hostname: "127.0.0.1",
        port: 0
      };
    } else if (address === void 0) {
      const dir = `${tempDir()}/denomp-manager-${randomHex(8)}`;
      target = `${dir}/manager.sock`;
      listen = {
        path: target,
        dir
      };
      own.read.push(dir);
      own.write.push(dir);
      own.net.push(`unix:${target}`);
    } else {
      target = checkAddress(what, address);
    }
    if (typeof target === "string") {
      if (listen === void 0) {
        listen = {
          path: target,
          dir: ""
        };
        own.read.push(target);
        own.write.push(target);
        own.net.push(`unix:${target}`);
      }
    } else {
      listen = target;
      own.net.push(`${target.hostname}${target.port ? `:${target.port}` : ""}`);
    }
    const types2 = typesForStart(what);
    own.read.push(...typeReadDirs(types2));
    const flags = options?.permissions === void 0 ? own.read.length > 0 ? [
      `--allow-read=${own.read.join(",")}`
    ] : [] : permissionFlags(what, options.permissions, {}, {
      read: own.read
    });
    for (const name of [
      "write",
      "net"
    ]) {
      if (own[name].length > 0 && !flags.includes(`--allow-${name}`)) {
        flags.push(`--allow-${name}=${own[name].join(",")}`);
      }
    }
    const server = entryUrl("workers/manager_server");
    let child;
    try {
      child = spawnDeno({
        entry: server.href,
        flags: [
          "--quiet",
          // With registered types the server imports the program's own
          // modules: let it resolve them with the program's configuration
          // (import map), found from the working directory as the program
          // found it.
          ...types2.length > 0 ? [] : [
            "--no-config"
          ],
          "--no-lock",
          ...flags
        ],
        stdout: "piped",
        stderr: "piped"
      });
    } catch (error) {
      if (error instanceof Deno.errors.NotCapable) throw error;
      throw new ManagerError(`${what}: the subprocess did not spawn`, {
        cause: error
      });
    }
    const stderr = (async () => {
      let text = "";
      const decoder4 = new TextDecoder();
      try {
        for await (const chunk of child.stderr) {
          text = (text + decoder4.decode(chunk, {
            stream: true
          })).slice(-4096);
        }
      } catch {
      }
      return text;
    })();
    const writer = child.stdin.getWriter();
    const reader = child.stdout.getReader({
      mode: "byob"
    });
    let chunkBuffer = new ArrayBuffer(64 * 1024);
    const source = /* @__PURE__ */ __name(async () => {
      const { done, value } = await reader.read(new Uint8Array(chunkBuffer));
      if (done || value === void 0) return null;
      chunkBuffer = value.buffer;
      return value;
    }, "source");
    let closed = false;
    const link = {
      read: /* @__PURE__ */ __name(() => Promise.resolve(null), "read"),
      write: /* @__PURE__ */ __name(async (p) => {
        await writer.write(p);
        return p.length;
      }, "write"),
      close: /* @__PURE__ */ __name(() => {
        if (closed) return;
        closed = true;
        writer.close().catch(() => {
        });
        reader.cancel().catch(() => {
        });
      }, "close")
    };
    const config2 = {
      authkey: toBase64(key2),
      address: listen,
      maxFrameBytes,
      frameTimeout,
      maxBufferedBytes,
      maxTotalBufferedBytes,
      types: types2
    };
    const frames = new FrameReader(1024 * 1024);
    let ready2 = null;
    let failure;
    try {
      await writer.write(encodeFrame(JSON.stringify(config2)));
      const decoder4 = new TextDecoder();
      while (ready2 === null) {
        const frame = frames.next();
        if (frame !== null) {
          ready2 = JSON.parse(decoder4.decode(frame));
          break;
        }
        const chunk = await source();
        if (chunk === null) break;
        frames.push(chunk);
      }
    } catch (error) {
      failure = error;
    }
    if (ready2 === null || ready2.ready !== true) {
      link.close();
      try {
        child.kill("SIGKILL");
      } catch {
      }
      const status = await child.status;
      const text = (await stderr).trim();
      throw new ManagerError(`${what}: the subprocess exited with code ${status.code}${text ? `: ${text}` : ""}`, {
        cause: failure
      });
    }
    frames.limit = 4294967295;
    const pipe = new RpcClient(link, source, frames, "its subprocess", maxFrameBytes, child);
    pipe.revive = proxyReviver(ready2.address, toBase64(key2), pipe);
    let client = pipe;
    if (mayConnect(ready2.address)) {
      try {
        client = await connectSocket(ready2.address, key2);
      } catch {
        client = pipe;
      }
    }
    const manager = new _Manager(client, ready2.address, key2, child, ready2.pid, stderr);
    manager.#pipe = pipe;
    manager.#typeids = new Set(types2.map((t) => t.typeid));
    if (client !== pipe) adoptClient(ready2.address, toBase64(key2), client);
    child.status.then((status) => {
      const error = new ManagerError(`The manager process ${ready2.pid} exited (code ${status.code}${status.signal ? `, ${status.signal}` : ""})`);
      pipe.fail(error);
      client.fail(error);
      const own2 = listen;
      if ("dir" in own2 && own2.dir !== "") {
        const dir = own2.dir;
        try {
          if (Deno.permissions.querySync({
            name: "write",
            path: dir
          }).state === "granted") Deno.remove(dir, {
            recursive: true
          }).catch(() => {
          });
        } catch {
        }
      }
    });
    return manager;
  }
  /**
   * Connects to a running manager (Python's remote managers): the same
   * proxies, from another program or machine. Needs `--allow-net` for a TCP
   * address, or `--allow-read` and `--allow-write` on a socket path.
   *
   * @param options Address and authkey.
   * @returns A manager whose `shutdown()` only closes this connection.
   * @throws {AuthenticationError} when the authkey is wrong.
   * @throws {ManagerError} when nothing listens there.
   */
  static async connect(options) {
    const what = "Cannot connect to manager";
    if (typeof options !== "object" || options === null) {
      throw new TypeError(`${what}: options must be an object, received ${describe(options)}`);
    }
    const address = checkAddress(what, options.address);
    const key2 = keyBytes(what, options.authkey);
    const client = await connectSocket(address, key2);
    adoptClient(address, toBase64(key2), client);
    return new _Manager(client, address, key2, null, null, Promise.resolve(""));
  }
  /** Where the manager listens: give it to {@linkcode Manager.connect}. */
  get address() {
    const a = this.#address;
    return typeof a === "string" ? a : {
      hostname: a.hostname,
      port: a.port
    };
  }
  /** A copy of the authkey. */
  get authkey() {
    return this.#authkey.slice();
  }
  /** The subprocess's OS pid, or `null` for a connected manager. */
  get pid() {
    return this.#pid;
  }
  async #create(kind, args) {
    const id = await this.#client.call("manager.create", [
      kind,
      ...args
    ]);
    return new ProxyRef(id, kind, this.#address, this.#authkeyText, this.#client);
  }
  /**
   * A new shared `dict`, with keys of any {@linkcode DictKey} type.
   *
   * @typeParam V The type of the values.
   * @typeParam K The type of the keys.
   * @param init Initial entries: a plain object, a Map or pairs.
   * @returns Its proxy.
   * @throws {TypeError} when `init` cannot be encoded.
   */
  async dict(init2) {
    const what = "Cannot create dict";
    const args = init2 === void 0 ? [] : [
      pairsFor(this.#manager, what, init2)
    ];
    const ref = await this.#create("dict", args);
    const proxy = new DictProxy(ref);
    ref.own(proxy);
    return proxy;
  }
  /**
   * A new shared `list`.
   *
   * @typeParam T The type of the items.
   * @param init Initial items.
   * @returns Its proxy.
   * @throws {TypeError} when `init` cannot be encoded.
   */
  async list(init2) {
    const what = "Cannot create list";
    if (init2 !== void 0 && (typeof init2 !== "object" || init2 === null || !(Symbol.iterator in init2))) {
      throw new TypeError(`${what}: init must be iterable, received ${describe(init2)}`);
    }
    const args = init2 === void 0 ? [] : [
      encodeValue([
        ...init2
      ], what, this.#manager)
    ];
    const ref = await this.#create("list", args);
    const proxy = new ListProxy(ref);
    ref.own(proxy);
    return proxy;
  }
  /**
   * A new shared `Namespace`.
   *
   * @typeParam T The attributes and their types.
   * @param init Initial attributes.
   * @returns Its proxy.
   */
  async namespace(init2) {
    const what = "Cannot create namespace";
    const args = init2 === void 0 ? [] : [
      encodeValue(recordOf(what, init2), what, this.#manager)
    ];
    const ref = await this.#create("namespace", args);
    const proxy = new NamespaceProxy(ref);
    ref.own(proxy);
    return proxy;
  }
  /**
   * A new shared value (Python's `manager.Value(typecode, value)`).
   *
   * @typeParam T The type of the value.
   * @param typecode A typecode such as `"i"` or `"d"` (kept for reference).
   * @param value The initial value.
   * @returns Its proxy.
   */
  async value(typecode, value) {
    const what = "Cannot create value";
    if (typeof typecode !== "string" || typecode.length === 0) {
      throw new TypeError(`${what}: typecode must be a non-empty string, received ${describe(typecode)}`);
    }
    const ref = await this.#create("value", [
      typecode,
      encodeValue(value, what, this.#manager)
    ]);
    const proxy = new ValueProxy(ref);
    ref.own(proxy);
    return proxy;
  }
  /**
   * A new shared `Lock`.
   *
   * @returns Its proxy.
   */
  async lock() {
    const ref = await this.#create("lock", []);
    const proxy = new LockProxy(ref);
    ref.own(proxy);
    return proxy;
  }
  /**
   * A new shared `RLock`.
   *
   * @returns Its proxy.
   */
  async rlock() {
    const ref = await this.#create("rlock", []);
    const proxy = new RLockProxy(ref);
    ref.own(proxy);
    return proxy;
  }
  /**
   * A new shared `Semaphore`.
   *
   * @param value The initial count.
   * @returns Its proxy.
   * @throws {RangeError} when `value` is not a non-negative integer.
   */
  async semaphore(value) {
    if (value === void 0) value = 1;
    checkCount("Cannot create semaphore", "value", value);
    const ref = await this.#create("semaphore", [
      value
    ]);
    const proxy = new SemaphoreProxy(ref);
    ref.own(proxy);
    return proxy;
  }
  /**
   * A new shared `Event`.
   *
   * @returns Its proxy.
   */
  async event() {
    const ref = await this.#create("event", []);
    const proxy = new EventProxy(ref);
    ref.own(proxy);
    return proxy;
  }
  /**
   * A new shared `Queue`.
   *
   * @typeParam T The type of the items.
   * @param options `maxsize`.
   * @returns Its proxy.
   * @throws {RangeError} when `maxsize` is not a non-negative integer.
   */
  async queue(options) {
    const { maxsize = 0 } = options ?? {};
    if (!Number.isSafeInteger(maxsize) || maxsize < 0) {
      throw new RangeError(`Cannot create queue: maxsize must be a non-negative integer, received ${describe(maxsize)}`);
    }
    const ref = await this.#create("queue", [
      maxsize
    ]);
    const proxy = new QueueProxy(ref);
    ref.own(proxy);
    return proxy;
  }
  async array(typecode, init2) {
    const what = "Cannot create array";
    const info2 = typecodeInfo(what, typecode);
    let wire2;
    if (typeof init2 === "number") {
      if (!Number.isSafeInteger(init2) || init2 < 0 || init2 > MAX_ARRAY_LENGTH) {
        throw new RangeError(`${what}: size must be an integer from 0 to ${MAX_ARRAY_LENGTH}, received ${init2}`);
      }
      wire2 = init2;
    } else if (typeof init2 === "object" && init2 !== null && Symbol.iterator in init2) {
      const items = [
        ...init2
      ];
      items.forEach((item) => checkItem(what, info2, item));
      wire2 = encodeValue(items, what);
    } else {
      throw new TypeError(`${what}: init must be iterable or a length, received ${describe(init2)}`);
    }
    const ref = await this.#create("array", [
      typecode,
      wire2
    ]);
    const proxy = new ArrayProxy(ref);
    ref.own(proxy);
    return proxy;
  }
  /**
   * A new shared `BoundedSemaphore`: releasing it above `value` fails.
   *
   * @param value The initial (and largest) count.
   * @returns Its proxy.
   * @throws {RangeError} when `value` is not a non-negative integer.
   */
  async boundedSemaphore(value) {
    if (value === void 0) value = 1;
    checkCount("Cannot create bounded semaphore", "value", value);
    const ref = await this.#create("boundedSemaphore", [
      value
    ]);
    const proxy = new BoundedSemaphoreProxy(ref);
    ref.own(proxy);
    return proxy;
  }
  /**
   * A new shared `Condition`, over `lock` (a lock or rlock proxy of this
   * manager) or over a new rlock, as Python's `manager.Condition(lock)`.
   *
   * @param lock The lock to wait with.
   * @returns Its proxy.
   * @throws {TypeError} when `lock` is not a lock or rlock proxy of this
   *   manager.
   */
  async condition(lock) {
    const what = "Cannot create condition";
    const args = [];
    if (lock !== void 0) {
      const ref2 = refOf(lock);
      if (ref2 === void 0 || ref2.kind !== "lock" && ref2.kind !== "rlock" || ref2.manager !== this.#manager) {
        throw new TypeError(`${what}: lock must be a lock or rlock proxy of this manager, received ${describe(lock)}`);
      }
      args.push(ref2.id);
    }
    const ref = await this.#create("condition", args);
    const proxy = new ConditionProxy(ref);
    ref.own(proxy);
    return proxy;
  }
  /**
   * A new shared `Barrier` for `parties` parties.
   *
   * @param parties How many must arrive.
   * @param options `timeout`: the default of every `wait`, in ms.
   * @returns Its proxy.
   * @throws {RangeError} when `parties` is not a positive integer.
   */
  async barrier(parties, options) {
    const what = "Cannot create barrier";
    if (!Number.isSafeInteger(parties) || parties < 1) {
      throw new RangeError(`${what}: parties must be a positive integer, received ${describe(parties)}`);
    }
    const timeout = checkTimeout(what, options?.timeout);
    const ref = await this.#create("barrier", [
      parties,
      timeout === Infinity ? null : timeout
    ]);
    const proxy = new BarrierProxy(ref);
    ref.own(proxy);
    return proxy;
  }
  /**
   * Registers a type the manager can hold (Python's
   * `BaseManager.register(typeid, callable, exposed, method_to_typeid)`):
   * `callable` is an exported class or factory function, found by
   * reference (its module and export name) and imported by the server
   * subprocess, which then runs its code (see
   * {@linkcode ManagerOptions.permissions}). Register before
   * {@linkcode Manager.start}: a manager knows the types registered when
   * it started. Registering a typeid again replaces it.
   *
   * @typeParam C The class or factory.
   * @param typeid The name to create it by.
   * @param callable The exported class or factory function.
   * @param options `module`, `exposed` and `methodToTypeid`.
   * @returns The type: give it to {@linkcode Manager.prototype.create}.
   * @throws {TypeError} for a callable that is not a named function, or a
   *   bad option.
   * @throws {RangeError} for a typeid that names a built-in kind.
   *
   * @example Usage
   * ```ts ignore
   * // main.ts: deno run --allow-read=. --allow-run main.ts
   * import { Manager } from "@denomp/multiprocessing";
   *
   * export class MathsClass {
   *   add(x: number, y: number): number {
   *     return x + y;
   *   }
   *   mul(x: number, y: number): number {
   *     return x * y;
   *   }
   * }
   *
   * const Maths = Manager.register("Maths", MathsClass);
   *
   * if (import.meta.main) {
   *   await using manager = await Manager.start();
   *   const maths = await manager.create(Maths);
   *   console.log(await maths.add(4, 3)); // 7
   *   console.log(await maths.mul(7, 8)); // 56
   * }
   * ```
   */
  static register(typeid, callable, options) {
    const what = "Cannot register type";
    if (typeof typeid !== "string" || typeid.length === 0) {
      throw new TypeError(`${what}: typeid must be a non-empty string, received ${describe(typeid)}`);
    }
    if (BUILT_IN_KINDS.has(typeid)) {
      throw new RangeError(`${what}: ${typeid} is a built-in kind; choose another typeid`);
    }
    if (typeof callable !== "function") {
      throw new TypeError(`${what}: callable must be an exported class or function, received ${describe(callable)}`);
    }
    const { module, exposed, methodToTypeid = {} } = options ?? {};
    const ref = targetRef(what, callable, module);
    let names2 = null;
    if (exposed !== void 0) {
      if (!Array.isArray(exposed) || !exposed.every((n) => typeof n === "string" && n.length > 0)) {
        throw new TypeError(`${what}: exposed must be a list of method names, received ${describe(exposed)}`);
      }
      for (const name of [
        "then",
        "constructor"
      ]) {
        if (exposed.includes(name)) {
          throw new TypeError(`${what}: "${name}" cannot be exposed (a proxy with it would pass for ${name === "then" ? "a promise" : "another class"})`);
        }
      }
      names2 = [
        ...new Set(exposed)
      ];
    }
    if (typeof methodToTypeid !== "object" || methodToTypeid === null) {
      throw new TypeError(`${what}: methodToTypeid must be an object, received ${describe(methodToTypeid)}`);
    }
    const map = {};
    for (const [method, target] of Object.entries(methodToTypeid)) {
      if (typeof target !== "string" || target.length === 0) {
        throw new TypeError(`${what}: methodToTypeid.${method} must be a typeid, received ${describe(target)}`);
      }
      map[method] = target;
    }
    registry.set(typeid, {
      typeid,
      callable: ref,
      exposed: names2,
      methodToTypeid: map
    });
    return Object.freeze({
      typeid,
      callable
    });
  }
  async create(type, ...args) {
    const typeid = typeof type === "string" ? type : type?.typeid;
    const what = `Cannot create ${typeid}`;
    if (typeof typeid !== "string") {
      throw new TypeError(`Cannot create object: type must be a registered type or its typeid, received ${describe(type)}`);
    }
    if (this.#typeids !== null && !this.#typeids.has(typeid)) {
      throw new TypeError(`${what}: no such type was registered when this manager started (call Manager.register() before Manager.start())`);
    }
    const params = args.map((arg) => encodeValue(arg, what, this.#manager));
    let answer2;
    try {
      answer2 = await this.#client.call("manager.createCustom", [
        typeid,
        ...params
      ]);
    } catch (error) {
      if (error instanceof TypeError) {
        throw new TypeError(`${what}: ${error.message}`, {
          cause: error
        });
      }
      throw error;
    }
    return this.#proxyFor(answer2);
  }
  /** A proxy owning the reference an answer `[id, kind, typeid?, exposed?]` took. */
  #proxyFor(answer2) {
    const [id, kind, typeid, exposed] = answer2;
    const ref = new ProxyRef(id, kind, this.#address, this.#authkeyText, this.#client);
    if (typeid !== void 0) {
      ref.typeid = typeid;
      ref.exposed = exposed ?? [];
    }
    return newProxy(ref);
  }
  /**
   * Registers a proxy's object under a name, so that other programs
   * connected with {@linkcode Manager.connect} can find it with
   * {@linkcode Manager.lookup} (Python's `BaseManager.register`). The name
   * keeps the object alive until it is registered again or the manager
   * stops.
   *
   * @param name Any string.
   * @param proxy A proxy of this manager.
   * @throws {TypeError} when `name` is not a string or `proxy` not a proxy.
   */
  async register(name, proxy) {
    const what = "Cannot register object";
    if (typeof name !== "string") {
      throw new TypeError(`${what}: name must be a string, received ${describe(name)}`);
    }
    const ref = refOf(proxy);
    if (ref === void 0) {
      throw new TypeError(`${what}: proxy must be a manager proxy, received ${describe(proxy)}`);
    }
    await this.#client.call("manager.register", [
      name,
      ref.id
    ]);
  }
  /**
   * The proxy of the object registered under `name`.
   *
   * @typeParam P The proxy type expected, such as `DictProxy<number>`.
   * @param name The name given to {@linkcode Manager.register}.
   * @returns A new proxy of that object.
   * @throws {RangeError} when nothing is registered under `name`.
   */
  async lookup(name) {
    if (typeof name !== "string") {
      throw new TypeError(`Cannot look up object: name must be a string, received ${describe(name)}`);
    }
    const answer2 = await this.#client.call("manager.lookup", [
      name
    ]);
    return this.#proxyFor(answer2);
  }
  /**
   * Stops the subprocess (or, for a connected manager, closes the
   * connection). Idempotent. Pending and later calls through this
   * manager's proxies fail with {@linkcode ManagerError}.
   */
  shutdown() {
    this.#shutdown ??= this.#stop();
    return this.#shutdown;
  }
  async #stop() {
    const error = new ManagerError("The manager has been shut down");
    this.#client.fail(error);
    this.#pipe?.fail(error);
    const child = this.#child;
    if (child === null) return;
    const timer = setTimeout(() => {
      try {
        child.kill("SIGKILL");
      } catch {
      }
    }, 2e3);
    await child.status;
    clearTimeout(timer);
    await this.#stderr;
  }
  /** Same as {@linkcode Manager.shutdown}. */
  [Symbol.asyncDispose]() {
    return this.shutdown();
  }
  /**
   * A short description for `console.log`.
   *
   * @returns The description.
   */
  [Symbol.for("Deno.customInspect")]() {
    const a = this.#address;
    const where = typeof a === "string" ? a : `${a.hostname}:${a.port}`;
    const state = this.#shutdown ? "shut down" : "running";
    return `Manager { address: "${where}", pid: ${this.#pid}, ${state} }`;
  }
};

// lib/pipe.ts
var DEFAULT_PIPE_CAPACITY = 256 * 1024;
var SEND2 = "Cannot send";
var RECV2 = "Cannot receive";
var POLL2 = "Cannot poll";
var making2 = null;
var Connection = class {
  static {
    __name(this, "Connection");
  }
  #read;
  #write;
  #handle;
  #role;
  /**
   * Not for direct use: connections are made by {@linkcode Pipe}.
   *
   * @throws {TypeError} When called directly.
   */
  constructor() {
    if (making2 === null) {
      throw new TypeError("Cannot create connection: use Pipe()");
    }
    const { read, write: write2, table: table2, role, grant } = making2;
    making2 = null;
    this.#read = read;
    this.#write = write2;
    this.#role = role;
    if (read !== null) read.handles = table2;
    if (write2 !== null) write2.handles = table2;
    table2.onGone = (gone) => {
      if (gone === role) {
        write2?.close();
        read?.closeReader();
      } else {
        read?.close();
        write2?.closeReader();
      }
    };
    this.#handle = grant === null ? Handle.first(table2, role) : Handle.revive(table2, role, grant);
  }
  /** Whether this end can receive. */
  get readable() {
    return this.#read !== null;
  }
  /** Whether this end can send. */
  get writable() {
    return this.#write !== null;
  }
  /** Whether this handle has been closed. */
  get closed() {
    return this.#handle.closed;
  }
  #writer(what) {
    assertLive();
    const handle = this.#handle;
    if (handle.closed) {
      throw new Deno.errors.BadResource(`${what}: the connection is closed`);
    }
    if (this.#write === null) {
      throw new TypeError(`${what}: this end of the pipe is read-only`);
    }
    handle.table.refresh();
    return this.#write;
  }
  #reader(what) {
    assertLive();
    if (this.#handle.closed) {
      throw new Deno.errors.BadResource(`${what}: the connection is closed`);
    }
    if (this.#read === null) {
      throw new TypeError(`${what}: this end of the pipe is write-only`);
    }
    return this.#read;
  }
  /**
   * Sends a value (encoded as by {@linkcode Queue}), waiting for room.
   *
   * @param value The value to send.
   * @param options A timeout and an abort signal.
   * @returns A promise that resolves once the value is in the pipe.
   * @throws {TypeError} When the value cannot be encoded (nothing is sent),
   *   or this end is read-only.
   * @throws {Deno.errors.BadResource} When this end is closed.
   * @throws {Deno.errors.BrokenPipe} When the other end is closed.
   * @throws {TimeoutError} When `timeout` runs out.
   *
   * @example Usage
   * ```ts
   * import { Pipe } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   *
   * const [a, b] = Pipe();
   * await a.send({ when: new Date(0), ids: [1, 2] });
   * assert.deepEqual(await b.recv(), { when: new Date(0), ids: [1, 2] });
   * ```
   */
  send(value, options) {
    try {
      const { timeout, signal } = waitOptions(SEND2, options);
      this.#writer(SEND2);
      signal?.throwIfAborted();
      return this.#sendBytes(encodeScratch(value, SEND2), false, timeout, signal);
    } catch (error) {
      return Promise.reject(error);
    }
  }
  /**
   * Sends a value, blocking the thread while there is no room.
   *
   * @param value The value to send.
   * @param options A timeout.
   * @throws {TypeError} When the value cannot be encoded (nothing is sent),
   *   or this end is read-only.
   * @throws {Deno.errors.BadResource} When this end is closed.
   * @throws {Deno.errors.BrokenPipe} When the other end is closed.
   * @throws {TimeoutError} When `timeout` runs out.
   *
   * @example Usage
   * ```ts
   * import { Pipe } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   *
   * const [a, b] = Pipe<number>();
   * a.sendSync(1);
   * assert.equal(b.recvSync(), 1);
   * ```
   */
  sendSync(value, options) {
    const { timeout } = waitOptions(SEND2, options);
    const ring = this.#writer(SEND2);
    checkSent(ring.putSync(encodeScratch(value, SEND2), false, timeout), timeout);
  }
  /**
   * Sends raw bytes (copied), waiting for room. The other end gets them
   * from `recvBytes()` (or as a `Uint8Array` from `recv()`).
   *
   * @param bytes The bytes to send.
   * @param options A timeout and an abort signal.
   * @returns A promise that resolves once the bytes are in the pipe.
   * @throws {TypeError} When `bytes` is not an ArrayBuffer or a view of one,
   *   or this end is read-only.
   * @throws {Deno.errors.BadResource} When this end is closed.
   * @throws {Deno.errors.BrokenPipe} When the other end is closed.
   * @throws {TimeoutError} When `timeout` runs out.
   *
   * @example Usage
   * ```ts
   * import { Pipe } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   *
   * const [a, b] = Pipe();
   * await a.sendBytes(new Uint8Array([1, 2, 3]));
   * assert.deepEqual(await b.recvBytes(), new Uint8Array([1, 2, 3]));
   * ```
   */
  sendBytes(bytes, options) {
    try {
      const { timeout, signal } = waitOptions(SEND2, options);
      const view2 = toBytes(SEND2, bytes);
      this.#writer(SEND2);
      signal?.throwIfAborted();
      return this.#sendBytes(view2, true, timeout, signal);
    } catch (error) {
      return Promise.reject(error);
    }
  }
  /**
   * Sends raw bytes (copied), blocking the thread while there is no room.
   *
   * @param bytes The bytes to send.
   * @param options A timeout.
   * @throws {TypeError} When `bytes` is not an ArrayBuffer or a view of one,
   *   or this end is read-only.
   * @throws {Deno.errors.BadResource} When this end is closed.
   * @throws {Deno.errors.BrokenPipe} When the other end is closed.
   * @throws {TimeoutError} When `timeout` runs out.
   *
   * @example Usage
   * ```ts
   * import { Pipe } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   *
   * const [reader, writer] = Pipe(false);
   * writer.sendBytesSync(new Uint8Array([9]));
   * assert.deepEqual(reader.recvBytesSync(), new Uint8Array([9]));
   * ```
   */
  sendBytesSync(bytes, options) {
    const { timeout } = waitOptions(SEND2, options);
    const view2 = toBytes(SEND2, bytes);
    const ring = this.#writer(SEND2);
    checkSent(ring.putSync(view2, true, timeout), timeout);
  }
  #sendBytes(bytes, raw, timeout, signal) {
    const ring = this.#write;
    if (!ring.needsStream(bytes.length) && !ring.hasPendingPuts) {
      const status = ring.tryPutNow(bytes, raw);
      if (status === OK) return Promise.resolve();
      if (status !== TIMED_OUT || timeout === 0) checkSent(status, 0);
    }
    return ring.enqueuePut(bytes.slice(), raw, {
      timeout,
      signal
    }).then((status) => checkSent(status, timeout));
  }
  /**
   * Receives the next value, waiting for one.
   *
   * @param options A timeout and an abort signal.
   * @returns The value (raw bytes sent with `sendBytes` come as a
   *   `Uint8Array`).
   * @throws {EOFError} When the other end is closed and everything it sent
   *   has been received.
   * @throws {TypeError} When this end is write-only.
   * @throws {Deno.errors.BadResource} When this end is closed.
   * @throws {TimeoutError} When `timeout` runs out.
   *
   * @example Usage
   * ```ts
   * import { Pipe } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   *
   * const [a, b] = Pipe<number>();
   * setTimeout(() => b.sendSync(5), 1);
   * assert.equal(await a.recv({ timeout: 1000 }), 5);
   * ```
   */
  recv(options) {
    return this.#recv(options, false);
  }
  /**
   * Receives the next value, blocking the thread while there is none.
   *
   * @param options A timeout.
   * @returns The value.
   * @throws {EOFError} When the other end is closed and drained.
   * @throws {TypeError} When this end is write-only.
   * @throws {Deno.errors.BadResource} When this end is closed.
   * @throws {TimeoutError} When `timeout` runs out.
   *
   * @example Usage
   * ```ts
   * import { Pipe } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   *
   * const [a, b] = Pipe();
   * a.sendSync(null);
   * assert.equal(b.recvSync(), null);
   * assert.throws(() => b.recvSync({ timeout: 1 }), { name: "TimeoutError" });
   * ```
   */
  recvSync(options) {
    return this.#recvSync(options, false);
  }
  /**
   * Receives the next message as bytes: what `sendBytes` sent, or the
   * encoding of a value sent with `send` (as Python's `recv_bytes`).
   *
   * @param options A timeout and an abort signal.
   * @returns The bytes.
   * @throws {EOFError} When the other end is closed and drained.
   * @throws {TypeError} When this end is write-only.
   * @throws {Deno.errors.BadResource} When this end is closed.
   * @throws {TimeoutError} When `timeout` runs out.
   *
   * @example Usage
   * ```ts
   * import { Pipe } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   *
   * const [a, b] = Pipe();
   * a.sendBytesSync(new TextEncoder().encode("hi"));
   * assert.equal(new TextDecoder().decode(await b.recvBytes()), "hi");
   * ```
   */
  recvBytes(options) {
    return this.#recv(options, true);
  }
  /**
   * Blocking twin of {@linkcode Connection.prototype.recvBytes}.
   *
   * @param options A timeout.
   * @returns The bytes.
   * @throws {EOFError} When the other end is closed and drained.
   * @throws {TypeError} When this end is write-only.
   * @throws {Deno.errors.BadResource} When this end is closed.
   * @throws {TimeoutError} When `timeout` runs out.
   *
   * @example Usage
   * ```ts
   * import { Pipe } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   *
   * const [a, b] = Pipe();
   * b.sendBytesSync(new Uint8Array(2));
   * assert.equal(a.recvBytesSync().length, 2);
   * ```
   */
  recvBytesSync(options) {
    return this.#recvSync(options, true);
  }
  #recv(options, bytes) {
    try {
      const { timeout, signal } = waitOptions(RECV2, options);
      const ring = this.#reader(RECV2);
      signal?.throwIfAborted();
      const r = newReadState();
      const status = ring.takeOnce(r);
      if (status === OK) {
        return Promise.resolve(output(ring.taken, ring.takenRaw, bytes));
      }
      if (status === CLOSED || timeout === 0 && r.partial === null) {
        throwRecv(status, 0);
      }
      return this.#recvSlow(ring, r, timeout, signal, bytes);
    } catch (error) {
      return Promise.reject(error);
    }
  }
  async #recvSlow(ring, r, timeout, signal, bytes) {
    const result = await ring.take(r, {
      timeout,
      signal
    });
    if (typeof result === "number") throwRecv(result, timeout);
    const taken2 = result;
    return output(taken2.bytes, taken2.raw, bytes);
  }
  #recvSync(options, bytes) {
    const { timeout } = waitOptions(RECV2, options);
    const ring = this.#reader(RECV2);
    const status = ring.takeSync(newReadState(), timeout);
    if (status !== OK) throwRecv(status, timeout);
    return output(ring.taken, ring.takenRaw, bytes);
  }
  /**
   * Whether a receive would not wait: a message is there, or the other end
   * is closed and drained (so `recv` would throw `EOFError`). Waits up to
   * `timeout` for that, as Python's `poll(timeout)`.
   *
   * @param options A timeout (default `0`: just look) and an abort signal.
   * @returns `true` when a receive would not wait.
   * @throws {TypeError} When this end is write-only.
   * @throws {Deno.errors.BadResource} When this end is closed.
   *
   * @example Usage
   * ```ts
   * import { Pipe } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   *
   * const [a, b] = Pipe();
   * assert.equal(await b.poll(), false);
   * a.sendSync(1);
   * assert.equal(await b.poll({ timeout: 100 }), true);
   * ```
   */
  async poll(options) {
    const { timeout, signal } = waitOptions(POLL2, options);
    const ring = this.#reader(POLL2);
    signal?.throwIfAborted();
    return await ring.poll({
      timeout: options?.timeout === void 0 ? 0 : timeout,
      signal
    });
  }
  /**
   * Blocking twin of {@linkcode Connection.prototype.poll}.
   *
   * @param options A timeout (default `0`: just look).
   * @returns `true` when a receive would not wait.
   * @throws {TypeError} When this end is write-only.
   * @throws {Deno.errors.BadResource} When this end is closed.
   *
   * @example Usage
   * ```ts
   * import { Pipe } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   *
   * const [a, b] = Pipe();
   * a.close();
   * assert.equal(b.pollSync(), true); // recv would throw EOFError now
   * ```
   */
  pollSync(options) {
    const { timeout } = waitOptions(POLL2, options);
    const ring = this.#reader(POLL2);
    return ring.pollSync(options?.timeout === void 0 ? 0 : timeout);
  }
  /**
   * Closes this handle (idempotent). Other handles of this end (other
   * Processes' copies) are not affected; once every handle of this end is
   * closed or its Process has ended, the other end receives what was sent
   * before, then `EOFError`.
   *
   * @example Usage
   * ```ts
   * import { Pipe } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   *
   * const [a, b] = Pipe<number>();
   * a.sendSync(1);
   * a.close();
   * assert.equal(a.closed, true);
   * assert.equal(await b.recv(), 1);
   * await assert.rejects(b.recv(), { name: "EOFError" });
   * ```
   */
  close() {
    this.#handle.close();
  }
  /** Closes this handle. */
  [Symbol.dispose]() {
    this.close();
  }
  /**
   * The descriptor this end crosses into a worker as. Internal.
   *
   * @param context Who receives it.
   * @returns The descriptor.
   * @throws {Deno.errors.BadResource} When this handle is closed.
   * @ignore Internal: the shared-object registry calls it.
   */
  [SHARE](context) {
    if (this.#handle.closed) {
      throw new Deno.errors.BadResource("Cannot send connection to a worker: the connection is closed");
    }
    const { grant, release: release2 } = this.#handle.grant(context);
    const data = {
      read: this.#read?.buffer ?? null,
      write: this.#write?.buffer ?? null,
      handles: this.#handle.table.buffer,
      role: this.#role,
      grant
    };
    return {
      kind: "Connection",
      module: import.meta.url,
      data,
      release: release2
    };
  }
  /**
   * What `console.log` / `Deno.inspect` show: Python's `readable`,
   * `writable` and `closed` of this handle.
   *
   * @returns A short description.
   */
  [Symbol.for("Deno.customInspect")]() {
    return `Connection { readable: ${this.readable}, writable: ${this.writable}, closed: ${this.closed} }`;
  }
};
function checkSent(status, timeout) {
  if (status === OK) return;
  if (status === CLOSED) {
    throw new Deno.errors.BadResource(`${SEND2}: the connection is closed`);
  }
  if (status === BROKEN) {
    throw new Deno.errors.BrokenPipe(`${SEND2}: the other end is closed`);
  }
  throw new TimeoutError(timeout === 0 ? `${SEND2}: the pipe is full` : `${SEND2}: still no room after ${timeout} ms`);
}
__name(checkSent, "checkSent");
function throwRecv(status, timeout) {
  if (status === CLOSED) {
    throw new EOFError(`${RECV2}: the other end is closed`);
  }
  throw new TimeoutError(timeout === 0 ? `${RECV2}: nothing to receive` : `${RECV2}: nothing arrived within ${timeout} ms`);
}
__name(throwRecv, "throwRecv");
function output(bytes, raw, wantBytes) {
  if (wantBytes || raw) return bytes.slice();
  return decode(bytes);
}
__name(output, "output");
function makeConnection2(making_) {
  making2 = making_;
  return new Connection();
}
__name(makeConnection2, "makeConnection");
function Pipe(duplex, options) {
  if (duplex === void 0) duplex = true;
  if (typeof duplex !== "boolean") {
    throw new TypeError(`Cannot create pipe: duplex must be a boolean, received ${describe(duplex)}`);
  }
  if (options !== void 0 && (typeof options !== "object" || options === null)) {
    throw new TypeError(`Cannot create pipe: options must be an object, received ${describe(options)}`);
  }
  const capacity = options?.capacity ?? DEFAULT_PIPE_CAPACITY;
  checkCapacity("Cannot create pipe", capacity);
  const forward = Ring.create(capacity, 0);
  const backward = duplex ? Ring.create(capacity, 0) : null;
  const buffer = HandleTable.create().buffer;
  const end = /* @__PURE__ */ __name((read, write2, role) => makeConnection2({
    read,
    write: write2,
    // One table object per end: each says what its own end's rings do
    // when a role is gone.
    table: new HandleTable(buffer),
    role,
    grant: null
  }), "end");
  if (backward === null) return [
    end(forward, null, 0),
    end(null, forward, 1)
  ];
  return [
    end(backward, forward, 0),
    end(forward, backward, 1)
  ];
}
__name(Pipe, "Pipe");
registerShareable("Connection", (data) => {
  const { read, write: write2, handles: handles2, role, grant } = data;
  return makeConnection2({
    read: read ? new Ring(read) : null,
    write: write2 ? new Ring(write2) : null,
    table: new HandleTable(handles2),
    role,
    grant
  });
});

// lib/pool.ts
function defaultChunksize(n, processes) {
  if (n === 0) return 1;
  return Math.ceil(n / (processes * 4));
}
__name(defaultChunksize, "defaultChunksize");
var Pool = class {
  static {
    __name(this, "Pool");
  }
  #core;
  #processes;
  #state = "running";
  /** Async inputs of mapAsync calls still being read. */
  #reading = /* @__PURE__ */ new Set();
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
  constructor(options) {
    const what = "Cannot create pool";
    if (options === void 0) options = {};
    else if (typeof options !== "object" || options === null) {
      throw new TypeError(`${what}: options must be an object, received ${describe(options)}`);
    }
    const core = buildCore(what, options, "processes", "PoolWorker");
    this.#core = core;
    this.#processes = core.size;
    core.start();
  }
  /** The number of workers. */
  get processes() {
    return this.#processes;
  }
  /** `"running"`, `"closed"` (no new tasks) or `"terminated"`. */
  get state() {
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
  map(fn, iterable, options) {
    try {
      return this.#mapAsync("Cannot map", fn, iterable, options, 0).get();
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
  starmap(fn, iterable, options) {
    try {
      return this.#mapAsync("Cannot starmap", fn, iterable, options, FLAG_STAR).get();
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
  apply(fn, args, options) {
    try {
      return this.#applyAsync("Cannot apply", fn, args, options).get();
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
  applyAsync(fn, args, options) {
    return this.#applyAsync("Cannot applyAsync", fn, args, options);
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
  mapAsync(fn, iterable, options) {
    return this.#mapAsync("Cannot mapAsync", fn, iterable, options, 0);
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
  starmapAsync(fn, iterable, options) {
    return this.#mapAsync("Cannot starmapAsync", fn, iterable, options, FLAG_STAR);
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
  imap(fn, iterable, options) {
    options ??= {};
    return this.#imap("Cannot imap", fn, iterable, options, true);
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
  imapUnordered(fn, iterable, options) {
    options ??= {};
    return this.#imap("Cannot imapUnordered", fn, iterable, options, false);
  }
  /**
   * Stops accepting tasks; the tasks already given still run. Then
   * {@linkcode Pool.prototype.join} waits for them. Idempotent.
   */
  close() {
    if (this.#state === "running") this.#state = "closed";
  }
  /**
   * Stops every worker now. Tasks not finished reject with
   * `CancelledError`. A worker busy in synchronous code cannot be stopped by
   * Deno; it is abandoned and its toolkit calls fail. Idempotent.
   */
  terminate() {
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
  async join() {
    if (this.#state === "running") {
      throw new Error("Cannot join pool: it is still running; call close() or terminate() first");
    }
    while (this.#reading.size > 0) await Promise.all(this.#reading);
    await this.#core.shutdown();
  }
  /** Terminates the pool (as Python's `with` does). */
  [Symbol.dispose]() {
    this.terminate();
  }
  /** Terminates the pool and waits for its workers to go. */
  async [Symbol.asyncDispose]() {
    this.terminate();
    await this.#core.shutdown();
  }
  /** A short description, for `console.log`. */
  [Symbol.for("Deno.customInspect")]() {
    return `Pool { state: ${JSON.stringify(this.#state)}, processes: ${this.#processes}, workers: ${this.#core.workers}, pending: ${this.#core.outstanding} }`;
  }
  #assertRunning(what) {
    if (this.#state !== "running") {
      throw new Error(`${what}: the pool is ${this.#state}`);
    }
  }
  #applyAsync(what, fn, args, options) {
    this.#assertRunning(what);
    if (!Array.isArray(args)) {
      throw new TypeError(`${what}: args must be an array, received ${describe(args)}`);
    }
    const { signal, callback, errorCallback } = options ?? {};
    checkSignal(what, signal);
    const timeout = taskTimeout(what, options?.timeout);
    checkCallbacks(what, callback, errorCallback);
    const core = this.#core;
    const fnId = core.fnId(what, fn);
    const result = results.create(callback, errorCallback);
    const job = new MapJob(core, 1, signal, result, true);
    if (signal?.aborted) {
      job.start([]);
      return result;
    }
    const items = [
      args.slice()
    ];
    const flags = FLAG_STAR | core.encodeItems(what, items, "argument list");
    job.start([
      {
        fn: fnId,
        flags,
        items,
        timeout,
        owner: job,
        tag: 0,
        state: ChunkState.Queued
      }
    ]);
    return result;
  }
  #mapAsync(what, fn, iterable, options, flags) {
    this.#assertRunning(what);
    const fnId = this.#core.fnId(what, fn);
    checkIterable(what, iterable);
    const { signal, callback, errorCallback } = options ?? {};
    checkSignal(what, signal);
    const timeout = taskTimeout(what, options?.timeout);
    const chunksize = checkChunksize(what, options?.chunksize);
    checkCallbacks(what, callback, errorCallback);
    const items = Symbol.iterator in Object(iterable) ? Array.from(iterable) : null;
    const result = results.create(callback, errorCallback);
    const job = /* @__PURE__ */ __name((items2) => this.#startMap(what, fnId, items2, flags, chunksize, timeout, signal, result), "job");
    if (items !== null) {
      job(items);
      return result;
    }
    const reading = Array.fromAsync(iterable).then((items2) => {
      try {
        job(items2);
      } catch (error) {
        results.reject(result, error);
      }
    }, (error) => results.reject(result, error)).finally(() => this.#reading.delete(reading));
    this.#reading.add(reading);
    return result;
  }
  /**
   * Queues the items of one map as one run of chunks (see `ChunkRun`), or,
   * when they hold shared objects whose handles each task holds while it
   * runs, as chunk records made now.
   */
  #startMap(what, fnId, items, flags, chunksize, timeout, signal, result) {
    const n = items.length;
    const core = this.#core;
    const job = new MapJob(core, n, signal, result, false);
    if (this.#state === "terminated") return job.start([], true);
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
        count: Math.ceil(n / size)
      });
    }
    const chunks = [];
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
        state: ChunkState.Queued
      });
    }
    job.start(chunks);
  }
  #imap(what, fn, iterable, options, ordered) {
    this.#assertRunning(what);
    const fnId = this.#core.fnId(what, fn);
    checkIterable(what, iterable);
    const { signal } = options;
    checkSignal(what, signal);
    const timeout = taskTimeout(what, options.timeout);
    const chunksize = checkChunksize(what, options.chunksize) ?? 1;
    return imapGenerator(this.#core, what, fnId, iterable, chunksize, timeout, ordered, signal, this.#processes * 32);
  }
};
function checkChunksize(what, chunksize) {
  if (chunksize === void 0) return void 0;
  if (typeof chunksize !== "number") {
    throw new TypeError(`${what}: chunksize must be a number, received ${describe(chunksize)}`);
  }
  if (!Number.isInteger(chunksize) || chunksize < 1) {
    throw new RangeError(`${what}: chunksize must be a positive integer, received ${chunksize}`);
  }
  return chunksize;
}
__name(checkChunksize, "checkChunksize");
function checkIterable(what, iterable) {
  const o = Object(iterable);
  if (iterable === null || iterable === void 0 || typeof o[Symbol.iterator] !== "function" && typeof o[Symbol.asyncIterator] !== "function") {
    throw new TypeError(`${what}: iterable must be iterable, received ${describe(iterable)}`);
  }
}
__name(checkIterable, "checkIterable");
function checkArgLists(what, items, base) {
  for (let i = 0; i < items.length; i++) {
    if (!Array.isArray(items[i])) {
      throw new TypeError(`${what}: item ${base + i} must be an array of arguments, received ${describe(items[i])}`);
    }
  }
}
__name(checkArgLists, "checkArgLists");
function checkCallbacks(what, callback, errorCallback) {
  for (const [name, value] of [
    [
      "callback",
      callback
    ],
    [
      "errorCallback",
      errorCallback
    ]
  ]) {
    if (value !== void 0 && typeof value !== "function") {
      throw new TypeError(`${what}: ${name} must be a function, received ${describe(value)}`);
    }
  }
}
__name(checkCallbacks, "checkCallbacks");
var MapJob = class {
  static {
    __name(this, "MapJob");
  }
  #core;
  #result;
  #single;
  #values;
  #remaining = 0;
  #chunks = [];
  #run = null;
  #settled = false;
  #signal;
  #onAbort = null;
  constructor(core, n, signal, result, single) {
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
  start(chunks, terminated = false) {
    const signal = this.#signal;
    if (terminated) return this.#fail(terminatedError("Cannot map"));
    if (signal?.aborted) return this.#fail(signal.reason);
    const count = Array.isArray(chunks) ? chunks.length : chunks.count;
    if (count === 0) return this.#done();
    this.#remaining = count;
    if (signal !== void 0) {
      this.#onAbort = () => this.#fail(signal.reason);
      signal.addEventListener("abort", this.#onAbort, {
        once: true
      });
    }
    if (Array.isArray(chunks)) {
      this.#chunks = chunks;
      for (const chunk of chunks) this.#core.enqueue(chunk);
    } else {
      this.#run = chunks;
      this.#core.enqueueRun(chunks);
    }
  }
  chunkDone(chunk, values, offset) {
    if (this.#settled) return;
    const out2 = this.#values;
    const base = chunk.tag;
    const n = chunk.items.length;
    for (let i = 0; i < n; i++) out2[base + i] = values[offset + i];
    if (--this.#remaining === 0) this.#done();
  }
  chunkFailed(_chunk, error) {
    this.#fail(error);
  }
  runDone(run2, from, to, values) {
    if (this.#settled) return;
    const out2 = this.#values;
    const base = from * run2.size;
    const n = Math.min(to * run2.size, out2.length) - base;
    for (let i = 0; i < n; i++) out2[base + i] = values[i];
    if ((this.#remaining -= to - from) === 0) this.#done();
  }
  #done() {
    this.#settled = true;
    this.#cleanup();
    results.resolve(this.#result, this.#single ? this.#values[0] : this.#values);
  }
  #fail(error) {
    if (this.#settled) return;
    this.#settled = true;
    this.#cleanup();
    for (const chunk of this.#chunks) this.#core.cancel(chunk);
    if (this.#run !== null) this.#core.cancelRun(this.#run);
    results.reject(this.#result, error);
  }
  #cleanup() {
    if (this.#onAbort !== null) {
      this.#signal?.removeEventListener("abort", this.#onAbort);
      this.#onAbort = null;
    }
  }
};
async function* imapGenerator(core, what, fnId, iterable, chunksize, timeout, ordered, signal, window) {
  const sync = typeof Object(iterable)[Symbol.asyncIterator] !== "function";
  const iterator = sync ? iterable[Symbol.iterator]() : iterable[Symbol.asyncIterator]();
  const ready2 = /* @__PURE__ */ new Map();
  const readyOrder = [];
  const live3 = /* @__PURE__ */ new Set();
  let wake = null;
  let nextSeq = 0;
  let nextOut = 0;
  let read = 0;
  let exhausted = false;
  let ended = false;
  let inputError = null;
  const owner = {
    chunkDone(chunk, values, offset) {
      live3.delete(chunk);
      ready2.set(chunk.tag, {
        values: values.slice(offset, offset + chunk.items.length)
      });
      if (!ordered) readyOrder.push(chunk.tag);
      wake?.();
    },
    chunkFailed(chunk, error) {
      live3.delete(chunk);
      ready2.set(chunk.tag, {
        error
      });
      if (!ordered) readyOrder.push(chunk.tag);
      wake?.();
    }
  };
  let aborted = false;
  const onAbort = /* @__PURE__ */ __name(() => {
    aborted = true;
    wake?.();
  }, "onAbort");
  const due = /* @__PURE__ */ __name(() => ordered ? ready2.has(nextOut) : readyOrder.length > 0, "due");
  let pending = null;
  let slice = [];
  signal?.addEventListener("abort", onAbort, {
    once: true
  });
  try {
    if (signal?.aborted) throw signal.reason;
    while (true) {
      fill: while (!exhausted && live3.size + ready2.size < window) {
        while (slice.length < chunksize) {
          let step;
          if (!sync && pending === null) {
            const next = iterator.next();
            pending = {
              step: next,
              settled: next.then(() => true, () => true)
            };
          }
          while (pending !== null && live3.size > 0 && !due() && !aborted) {
            const read2 = await Promise.race([
              pending.settled,
              new Promise((resolve) => wake = /* @__PURE__ */ __name(() => resolve(false), "wake"))
            ]);
            wake = null;
            if (read2) break;
          }
          if (aborted) throw signal.reason;
          if (pending !== null && due()) break fill;
          try {
            if (pending === null) step = iterator.next();
            else {
              const next = pending.step;
              pending = null;
              step = await next;
            }
          } catch (error) {
            inputError = {
              error
            };
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
        if (aborted) throw signal.reason;
        if (slice.length === 0) break;
        let flags;
        try {
          flags = core.encodeItems(what, slice, "item", read);
        } catch (error) {
          inputError = {
            error
          };
          exhausted = true;
          break;
        }
        read += slice.length;
        const chunk = {
          fn: fnId,
          flags,
          items: slice,
          timeout,
          owner,
          tag: nextSeq++,
          state: ChunkState.Queued
        };
        live3.add(chunk);
        slice = [];
        core.enqueue(chunk);
      }
      if (exhausted && live3.size === 0 && ready2.size === 0) {
        if (inputError !== null) throw inputError.error;
        return;
      }
      let seq;
      while (true) {
        if (aborted) throw signal.reason;
        if (ordered) {
          if (ready2.has(nextOut)) seq = nextOut++;
        } else if (readyOrder.length > 0) seq = readyOrder.shift();
        if (seq !== void 0) break;
        await new Promise((resolve) => wake = resolve);
        wake = null;
      }
      const outcome = ready2.get(seq);
      ready2.delete(seq);
      if ("error" in outcome) throw outcome.error;
      for (const value of outcome.values) yield value;
    }
  } finally {
    signal?.removeEventListener("abort", onAbort);
    for (const chunk of live3) core.cancel(chunk);
    if (!ended) {
      const close = /* @__PURE__ */ __name(async () => {
        try {
          await iterator.return?.();
        } catch {
        }
      }, "close");
      if (pending === null) await close();
      else void pending.settled.then(close);
    }
  }
}
__name(imapGenerator, "imapGenerator");

// lib/semaphore.ts
var reviving5 = null;
var Semaphore = class _Semaphore {
  static {
    __name(this, "Semaphore");
  }
  #i32;
  /**
   * Creates a semaphore with `value` free permits.
   *
   * @param value The initial number of permits.
   * @param options Whether holders are tracked (see
   * {@linkcode SemaphoreOptions.robust}).
   * @throws {TypeError} If `value` is not a number or `options` is malformed.
   * @throws {RangeError} If `value` is not an integer in [0, 2147483647].
   */
  constructor(value, options) {
    if (value === void 0) value = 1;
    if (reviving5 !== null) {
      this.#i32 = reviving5;
      reviving5 = null;
      return;
    }
    const what = `Cannot create ${this.#kind().toLowerCase()}`;
    checkPermits(what, "value", value);
    if (options === void 0) options = {};
    else if (typeof options !== "object" || options === null) {
      throw new TypeError(`${what}: options must be an object, received ${describe(options)}`);
    }
    const { robust = true } = options;
    if (typeof robust !== "boolean") {
      throw new TypeError(`${what}: robust must be a boolean, received ${describe(robust)}`);
    }
    const i32 = new Int32Array(new SharedArrayBuffer(SEM_INTS * 4));
    i32[SEM_VALUE] = value;
    i32[SEM_BOUND] = this.#bounded() ? value : -1;
    i32[SEM_ROBUST] = robust ? 1 : 0;
    this.#i32 = i32;
  }
  /**
   * Takes a permit, waiting while there is none.
   *
   * @param options `timeout` in milliseconds (`0` does not wait) and
   * `signal` to abort.
   * @returns `true` once a permit is taken, `false` if `timeout` ran out.
   * @throws {TypeError} If `timeout` is not a number or `signal` not an
   * AbortSignal.
   * @throws {RangeError} If `timeout` is negative.
   */
  async acquire(options) {
    options ??= {};
    const what = "Cannot acquire semaphore";
    assertLive();
    const timeout = checkTimeout(what, options?.timeout);
    const signal = options?.signal;
    checkSignal(what, signal);
    signal?.throwIfAborted();
    if (this.#tryTake()) return true;
    const i32 = this.#i32;
    const deadline = performance.now() + timeout;
    const check2 = /* @__PURE__ */ __name(() => this.#reclaim(), "check");
    while (true) {
      if (this.#reclaim() && this.#tryTake()) return true;
      const remaining = deadline - performance.now();
      if (remaining <= 0) return false;
      Atomics.add(i32, SEM_WAITERS, 1);
      try {
        await park(i32, SEM_VALUE, 0, {
          timeout: remaining,
          signal,
          check: check2
        });
      } finally {
        Atomics.sub(i32, SEM_WAITERS, 1);
      }
      if (this.#tryTake()) return true;
    }
  }
  /**
   * Takes a permit, blocking the calling thread while there is none. On the
   * main thread this freezes the event loop while it waits.
   *
   * @param options `timeout` in milliseconds (`0` does not wait).
   * @returns `true` once a permit is taken, `false` if `timeout` ran out.
   * @throws {TypeError} If `timeout` is not a number.
   * @throws {RangeError} If `timeout` is negative.
   */
  acquireSync(options) {
    options ??= {};
    const what = "Cannot acquire semaphore";
    assertLive();
    const timeout = checkTimeout(what, options?.timeout);
    if (this.#tryTake()) return true;
    const i32 = this.#i32;
    const deadline = performance.now() + timeout;
    const check2 = /* @__PURE__ */ __name(() => this.#reclaim(), "check");
    while (true) {
      if (this.#reclaim() && this.#tryTake()) return true;
      const remaining = deadline - performance.now();
      if (remaining <= 0) return false;
      Atomics.add(i32, SEM_WAITERS, 1);
      try {
        parkSync(i32, SEM_VALUE, 0, remaining, check2);
      } finally {
        Atomics.sub(i32, SEM_WAITERS, 1);
      }
      if (this.#tryTake()) return true;
    }
  }
  /**
   * Gives back `n` permits and wakes waiters.
   *
   * @param n How many permits to give back.
   * @throws {TypeError} If `n` is not a number.
   * @throws {RangeError} If `n` is not a positive integer, or (for a
   * {@linkcode BoundedSemaphore}) if the value would exceed its initial
   * value; the semaphore is then left unchanged.
   */
  release(n) {
    if (n === void 0) n = 1;
    const what = "Cannot release semaphore";
    assertLive();
    checkPermits(what, "n", n);
    if (n === 0) {
      throw new RangeError(`${what}: n must be at least 1, received 0`);
    }
    const i32 = this.#i32;
    const bound2 = Atomics.load(i32, SEM_BOUND);
    if (bound2 >= 0) {
      while (true) {
        const v = Atomics.load(i32, SEM_VALUE);
        if (v + n > bound2) {
          throw new RangeError(`${what}: released too many times (value ${v} + ${n} would exceed the bound ${bound2})`);
        }
        if (Atomics.compareExchange(i32, SEM_VALUE, v, v + n) === v) break;
      }
    } else {
      if (Atomics.load(i32, SEM_VALUE) > 2147483647 - n) {
        throw new RangeError(`${what}: the value would overflow`);
      }
      Atomics.add(i32, SEM_VALUE, n);
    }
    this.#forget(n);
    if (Atomics.load(i32, SEM_WAITERS) > 0) {
      Atomics.notify(i32, SEM_VALUE);
    }
  }
  /**
   * Takes a permit and returns a guard that gives it back when disposed:
   * `using _ = await sem.hold()`.
   *
   * @param options `timeout` in milliseconds and `signal` to abort.
   * @returns A guard releasing the permit once.
   * @throws {TimeoutError} If `timeout` ran out.
   */
  async hold(options) {
    options ??= {};
    if (!await this.acquire(options)) {
      throw new TimeoutError(`Cannot hold semaphore: timed out after ${options.timeout} ms`);
    }
    return this.#guard();
  }
  /**
   * Blocking twin of {@linkcode Semaphore.prototype.hold}.
   *
   * @param options `timeout` in milliseconds.
   * @returns A guard releasing the permit once.
   * @throws {TimeoutError} If `timeout` ran out.
   */
  holdSync(options) {
    options ??= {};
    if (!this.acquireSync(options)) {
      throw new TimeoutError(`Cannot hold semaphore: timed out after ${options.timeout} ms`);
    }
    return this.#guard();
  }
  /**
   * The number of free permits now (Python's `get_value()`). It may change
   * at any moment when other Processes use the semaphore.
   *
   * @returns The free permits.
   */
  getValue() {
    return Atomics.load(this.#i32, SEM_VALUE);
  }
  /** A short description, for `console.log`. */
  [Symbol.for("Deno.customInspect")]() {
    const bound2 = Atomics.load(this.#i32, SEM_BOUND);
    return `${this.#kind()} { value: ${this.getValue()}${bound2 >= 0 ? `, bound: ${bound2}` : ""} }`;
  }
  /**
   * Describes the semaphore for a worker (used by `Process` args).
   *
   * @returns The descriptor; its buffer is shared, not copied.
   *
   * @ignore Internal: the shared-object registry calls it.
   */
  [SHARE]() {
    return {
      kind: this.#kind(),
      module: import.meta.url,
      data: this.#i32.buffer
    };
  }
  #kind() {
    return this.#bounded() ? "BoundedSemaphore" : "Semaphore";
  }
  #bounded() {
    return this instanceof BoundedSemaphore;
  }
  #guard() {
    let done = false;
    const release2 = /* @__PURE__ */ __name(() => {
      if (done) return;
      done = true;
      this.release();
    }, "release");
    return {
      release: release2,
      [Symbol.dispose]: release2
    };
  }
  /** Takes a permit if there is one, recording the holder. */
  #tryTake() {
    const i32 = this.#i32;
    let v = Atomics.load(i32, SEM_VALUE);
    while (v > 0) {
      const seen = Atomics.compareExchange(i32, SEM_VALUE, v, v - 1);
      if (seen === v) {
        this.#record();
        return true;
      }
      v = seen;
    }
    return false;
  }
  /** Records this Process as holder of one permit (robust mode). */
  #record() {
    const i32 = this.#i32;
    if (Atomics.load(i32, SEM_ROBUST) === 0) return;
    const pid = selfProcess().pid;
    if (pid === mainProcessPid()) return;
    for (let i = SEM_HOLDERS; i < SEM_HOLDERS + SEM_HOLDER_SLOTS; i++) {
      if (Atomics.load(i32, i) === 0 && Atomics.compareExchange(i32, i, 0, pid) === 0) return;
    }
  }
  /** Forgets up to `n` permits recorded for this Process. */
  #forget(n) {
    const i32 = this.#i32;
    if (Atomics.load(i32, SEM_ROBUST) === 0) return;
    const pid = selfProcess().pid;
    if (pid === mainProcessPid()) return;
    for (let i = SEM_HOLDERS; i < SEM_HOLDERS + SEM_HOLDER_SLOTS && n > 0; i++) {
      if (Atomics.load(i32, i) === pid && Atomics.compareExchange(i32, i, pid, 0) === pid) n--;
    }
  }
  /**
   * Gives back the permits of holders that died. Each slot is cleared with
   * one compare-exchange, so a permit comes back exactly once however many
   * waiters look at the same time.
   *
   * @returns whether any permit came back.
   */
  #reclaim() {
    const i32 = this.#i32;
    if (Atomics.load(i32, SEM_ROBUST) === 0) return false;
    let returned = 0;
    for (let i = SEM_HOLDERS; i < SEM_HOLDERS + SEM_HOLDER_SLOTS; i++) {
      const pid = Atomics.load(i32, i);
      if (pid === 0 || isPidAlive(pid)) continue;
      if (Atomics.compareExchange(i32, i, pid, 0) !== pid) continue;
      const bound2 = Atomics.load(i32, SEM_BOUND);
      while (true) {
        const v = Atomics.load(i32, SEM_VALUE);
        if (bound2 >= 0 && v >= bound2) break;
        if (Atomics.compareExchange(i32, SEM_VALUE, v, v + 1) === v) {
          returned++;
          break;
        }
      }
    }
    if (returned > 0 && Atomics.load(i32, SEM_WAITERS) > 0) {
      Atomics.notify(i32, SEM_VALUE);
    }
    return returned > 0;
  }
  static {
    registerShareable("Semaphore", (data) => {
      reviving5 = new Int32Array(data);
      return new _Semaphore();
    });
  }
};
var BoundedSemaphore = class _BoundedSemaphore extends Semaphore {
  static {
    __name(this, "BoundedSemaphore");
  }
  static {
    registerShareable("BoundedSemaphore", (data) => {
      reviving5 = new Int32Array(data);
      return new _BoundedSemaphore();
    });
  }
};
function checkPermits(what, name, value) {
  if (typeof value !== "number") {
    throw new TypeError(`${what}: ${name} must be a number, received ${describe(value)}`);
  }
  if (!Number.isInteger(value) || value < 0 || value > 2147483647) {
    throw new RangeError(`${what}: ${name} must be an integer in [0, 2147483647], received ${value}`);
  }
}
__name(checkPermits, "checkPermits");

// lib/shm/arena.ts
var GROW_STEP = 1 << 20;
var meta = null;
function arenaBuffer() {
  return processTable().buffer;
}
__name(arenaBuffer, "arenaBuffer");
function header() {
  if (meta === null) {
    const buffer = arenaBuffer();
    if (buffer.byteLength < ARENA_DATA) {
      try {
        buffer.grow(ARENA_DATA);
      } catch (error) {
        if (buffer.byteLength < ARENA_DATA) throw error;
      }
    }
    meta = new Int32Array(buffer, ARENA_BASE, ARENA_META_INTS);
  }
  return meta;
}
__name(header, "header");
function entryAt(entry) {
  return DIRECTORY_AT + entry * ENTRY_INTS;
}
__name(entryAt, "entryAt");
function handleAt(slot) {
  return HANDLES_AT + slot * HANDLE_INTS;
}
__name(handleAt, "handleAt");
function hash(bytes) {
  let h = 2166136261;
  for (let i = 0; i < bytes.length; i++) {
    h ^= bytes[i];
    h = Math.imul(h, 16777619);
  }
  return h | 0;
}
__name(hash, "hash");
function unitsFor(bytes) {
  return Math.ceil(bytes / UNIT);
}
__name(unitsFor, "unitsFor");
function locked(fn) {
  const m = header();
  lockShort(m, ARENA_LOCK, ARENA_LOCK_OWNER);
  try {
    const deaths = Atomics.load(processTable(), TABLE_DEATHS);
    if (m[ARENA_REAPED] !== deaths) {
      m[ARENA_REAPED] = deaths;
      reap(m);
    }
    return fn(m);
  } finally {
    unlockShort(m, ARENA_LOCK);
  }
}
__name(locked, "locked");
function reap(m) {
  const used = m[ARENA_HANDLES_USED];
  for (let s = 0; s < used; s++) {
    const at = handleAt(s);
    const entry = m[at + H_ENTRY] - 1;
    if (entry < 0 || isPidAlive(m[at + H_PID])) continue;
    const e = entryAt(entry);
    m[e + E_OPEN] = m[e + E_OPEN] - m[at + H_COUNT];
    m[e + E_TAINTED] = 1;
    m[at + H_ENTRY] = 0;
    m[at + H_PID] = 0;
    m[at + H_COUNT] = 0;
    if (m[e + E_STATE] === STATE_UNLINKED && m[e + E_OPEN] === 0) {
      free(m, entry);
    }
  }
}
__name(reap, "reap");
function findByName(m, bytes, h) {
  const used = m[ARENA_ENTRIES_USED];
  const buffer = arenaBuffer();
  for (let entry = 0; entry < used; entry++) {
    const e = entryAt(entry);
    if (m[e + E_STATE] !== STATE_LINKED || m[e + E_HASH] !== h || m[e + E_NAME_LENGTH] !== bytes.length) continue;
    const stored = new Uint8Array(buffer, ARENA_DATA + m[e + E_OFFSET] * UNIT, bytes.length);
    let same = true;
    for (let i = 0; i < bytes.length && same; i++) {
      same = stored[i] === bytes[i];
    }
    if (same) return entry;
  }
  return -1;
}
__name(findByName, "findByName");
function blockOf(m, entry, name) {
  const e = entryAt(entry);
  return {
    entry,
    gen: m[e + E_GEN],
    name,
    size: (m[e + E_SIZE_LO] >>> 0) + m[e + E_SIZE_HI] * 2 ** 32,
    offset: ARENA_DATA + (m[e + E_OFFSET] + unitsFor(m[e + E_NAME_LENGTH])) * UNIT
  };
}
__name(blockOf, "blockOf");
function addHandle(m, entry, pid) {
  const used = m[ARENA_HANDLES_USED];
  let free2 = -1;
  for (let s = 0; s < used; s++) {
    const at2 = handleAt(s);
    const held = m[at2 + H_ENTRY];
    if (held === entry + 1 && m[at2 + H_PID] === pid) {
      m[at2 + H_COUNT]++;
      m[entryAt(entry) + E_OPEN]++;
      return;
    }
    if (held === 0 && free2 < 0) free2 = s;
  }
  if (free2 < 0) {
    if (used === HANDLES) {
      throw new RangeError(`Cannot open shared memory: more than ${HANDLES} handles are open`);
    }
    free2 = used;
    m[ARENA_HANDLES_USED] = used + 1;
  }
  const at = handleAt(free2);
  m[at + H_ENTRY] = entry + 1;
  m[at + H_PID] = pid;
  m[at + H_COUNT] = 1;
  m[entryAt(entry) + E_OPEN]++;
}
__name(addHandle, "addHandle");
function removeHandle(m, entry, pid) {
  const used = m[ARENA_HANDLES_USED];
  for (let s = 0; s < used; s++) {
    const at = handleAt(s);
    if (m[at + H_ENTRY] !== entry + 1 || m[at + H_PID] !== pid) continue;
    if (--m[at + H_COUNT] === 0) {
      m[at + H_ENTRY] = 0;
      m[at + H_PID] = 0;
    }
    const e = entryAt(entry);
    m[e + E_OPEN]--;
    if (m[e + E_STATE] === STATE_UNLINKED && m[e + E_OPEN] === 0) {
      free(m, entry);
    }
    return;
  }
}
__name(removeHandle, "removeHandle");
function extentAt(i) {
  return EXTENTS_AT + i * 2;
}
__name(extentAt, "extentAt");
function removeExtent(m, i) {
  const last = --m[ARENA_EXTENTS];
  m[extentAt(i)] = m[extentAt(last)];
  m[extentAt(i) + 1] = m[extentAt(last) + 1];
}
__name(removeExtent, "removeExtent");
function allocate(m, units) {
  let offset = -1;
  const extents = m[ARENA_EXTENTS];
  for (let i = 0; i < extents; i++) {
    const size = m[extentAt(i) + 1];
    if (size < units) continue;
    offset = m[extentAt(i)];
    if (size === units) removeExtent(m, i);
    else {
      m[extentAt(i)] = offset + units;
      m[extentAt(i) + 1] = size - units;
    }
    break;
  }
  const buffer = arenaBuffer();
  if (offset < 0) {
    offset = m[ARENA_TOP];
    const end = ARENA_DATA + (offset + units) * UNIT;
    if (end > ARENA_MAX_BYTES) {
      throw new RangeError(`Cannot create shared memory: the arena holds at most ${ARENA_MAX_BYTES} bytes of blocks at once`);
    }
    if (end > buffer.byteLength) {
      buffer.grow(Math.min(ARENA_MAX_BYTES, Math.ceil(end / GROW_STEP) * GROW_STEP));
    }
    m[ARENA_TOP] = offset + units;
  }
  const dirty = m[ARENA_DIRTY];
  if (offset < dirty) {
    const end = Math.min(offset + units, dirty);
    new Uint8Array(buffer, ARENA_DATA + offset * UNIT, (end - offset) * UNIT).fill(0);
  }
  if (offset + units > dirty) m[ARENA_DIRTY] = offset + units;
  return offset;
}
__name(allocate, "allocate");
function free(m, entry) {
  const e = entryAt(entry);
  let offset = m[e + E_OFFSET];
  let units = m[e + E_UNITS];
  m[e + E_STATE] = STATE_FREE;
  m[e + E_GEN] = m[e + E_GEN] + 1 | 0;
  m[e + E_OPEN] = 0;
  if (m[e + E_TAINTED] === 1) {
    m[e + E_TAINTED] = 0;
    m[ARENA_RETIRED] = m[ARENA_RETIRED] + units;
    return;
  }
  for (let i = 0; i < m[ARENA_EXTENTS]; ) {
    const start = m[extentAt(i)];
    const size = m[extentAt(i) + 1];
    if (start + size === offset) {
      offset = start;
      units += size;
      removeExtent(m, i);
    } else if (offset + units === start) {
      units += size;
      removeExtent(m, i);
    } else i++;
  }
  if (offset + units === m[ARENA_TOP]) {
    m[ARENA_TOP] = offset;
  } else {
    const i = m[ARENA_EXTENTS]++;
    m[extentAt(i)] = offset;
    m[extentAt(i) + 1] = units;
  }
}
__name(free, "free");
function freeEntry(m) {
  const used = m[ARENA_ENTRIES_USED];
  for (let entry = 0; entry < used; entry++) {
    if (m[entryAt(entry) + E_STATE] === STATE_FREE) return entry;
  }
  if (used === ENTRIES) {
    throw new RangeError(`Cannot create shared memory: more than ${ENTRIES} blocks exist at once`);
  }
  return used;
}
__name(freeEntry, "freeEntry");
function createBlock(name, size, nameBytes2) {
  const pid = selfProcess().pid;
  return locked((m) => {
    let chosen2 = name;
    let bytes;
    let h;
    while (true) {
      chosen2 ??= randomName();
      bytes = nameBytes2(chosen2);
      h = hash(bytes);
      if (findByName(m, bytes, h) < 0) break;
      if (name !== null) {
        throw new Deno.errors.AlreadyExists(`Cannot create shared memory: a block named ${JSON.stringify(name)} exists`);
      }
      chosen2 = null;
    }
    const entry = freeEntry(m);
    const units = unitsFor(bytes.length) + Math.max(1, unitsFor(size));
    const offset = allocate(m, units);
    if (entry === m[ARENA_ENTRIES_USED]) m[ARENA_ENTRIES_USED] = entry + 1;
    new Uint8Array(arenaBuffer(), ARENA_DATA + offset * UNIT, bytes.length).set(bytes);
    const e = entryAt(entry);
    m[e + E_OFFSET] = offset;
    m[e + E_UNITS] = units;
    m[e + E_SIZE_LO] = size % 2 ** 32;
    m[e + E_SIZE_HI] = Math.floor(size / 2 ** 32);
    m[e + E_HASH] = h;
    m[e + E_NAME_LENGTH] = bytes.length;
    m[e + E_OPEN] = 0;
    m[e + E_TAINTED] = 0;
    m[e + E_STATE] = STATE_LINKED;
    addHandle(m, entry, pid);
    return blockOf(m, entry, chosen2);
  });
}
__name(createBlock, "createBlock");
function attachBlock(name, bytes) {
  const pid = selfProcess().pid;
  return locked((m) => {
    const entry = findByName(m, bytes, hash(bytes));
    if (entry < 0) {
      throw new Deno.errors.NotFound(`Cannot attach shared memory: no block named ${JSON.stringify(name)}`);
    }
    addHandle(m, entry, pid);
    return blockOf(m, entry, name);
  });
}
__name(attachBlock, "attachBlock");
function openBlock(block, pid) {
  return locked((m) => {
    const e = entryAt(block.entry);
    if (m[e + E_GEN] !== block.gen || m[e + E_STATE] === STATE_FREE) {
      return false;
    }
    addHandle(m, block.entry, pid);
    return true;
  });
}
__name(openBlock, "openBlock");
function closeBlock(block, pid) {
  locked((m) => {
    if (m[entryAt(block.entry) + E_GEN] !== block.gen) return;
    removeHandle(m, block.entry, pid);
  });
}
__name(closeBlock, "closeBlock");
function unlinkBlock(block) {
  locked((m) => {
    const e = entryAt(block.entry);
    if (m[e + E_GEN] !== block.gen || m[e + E_STATE] !== STATE_LINKED) {
      throw new Deno.errors.NotFound(`Cannot unlink shared memory: no block named ${JSON.stringify(block.name)}`);
    }
    m[e + E_STATE] = STATE_UNLINKED;
    if (m[e + E_OPEN] === 0) free(m, block.entry);
  });
}
__name(unlinkBlock, "unlinkBlock");
function arenaStats() {
  return locked((m) => {
    let blocks = 0;
    let linked = 0;
    let usedUnits = 0;
    for (let entry = 0; entry < m[ARENA_ENTRIES_USED]; entry++) {
      const e = entryAt(entry);
      if (m[e + E_STATE] === STATE_FREE) continue;
      blocks++;
      usedUnits += m[e + E_UNITS];
      if (m[e + E_STATE] === STATE_LINKED) linked++;
    }
    return {
      blocks,
      linked,
      usedUnits,
      freeExtents: m[ARENA_EXTENTS],
      retiredUnits: m[ARENA_RETIRED]
    };
  });
}
__name(arenaStats, "arenaStats");
function isLinked(block) {
  const m = header();
  const e = entryAt(block.entry);
  return Atomics.load(m, e + E_GEN) === block.gen && Atomics.load(m, e + E_STATE) === STATE_LINKED;
}
__name(isLinked, "isLinked");
function randomName() {
  const bytes = crypto.getRandomValues(new Uint8Array(4));
  return `psm_${Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("")}`;
}
__name(randomName, "randomName");
function blockCount(block, pid) {
  return new Count(() => closeBlock(block, pid));
}
__name(blockCount, "blockCount");

// lib/shared_memory.ts
var encoder5 = new TextEncoder();
var reviving6 = null;
function nameBytes(name) {
  return encoder5.encode(name);
}
__name(nameBytes, "nameBytes");
function checkName(what, name) {
  if (typeof name !== "string") {
    throw new TypeError(`${what}: name must be a string, received ${describe(name)}`);
  }
  const bare = name.startsWith("/") ? name.slice(1) : name;
  if (bare.length === 0) {
    throw new RangeError(`${what}: name must not be empty`);
  }
  if (bare.includes("/") || bare.includes("\0")) {
    throw new TypeError(`${what}: name must not contain "/" (but a leading one) or NUL, received ${JSON.stringify(name)}`);
  }
  const length = nameBytes(bare).length;
  if (length > MAX_NAME_BYTES) {
    throw new RangeError(`${what}: name must be at most ${MAX_NAME_BYTES} UTF-8 bytes, received ${length}`);
  }
  return bare;
}
__name(checkName, "checkName");
var SharedMemory = class {
  static {
    __name(this, "SharedMemory");
  }
  #block;
  #buf;
  #count;
  /**
   * Creates a block, or attaches to an existing one by name.
   *
   * @param options `name`, `create` and `size`.
   * @throws {TypeError} When an option has the wrong type, or `name` is
   *   missing while `create` is false.
   * @throws {RangeError} When `size` is not a non-negative integer (or is 0
   *   when creating), `name` is empty or too long, or the arena is full.
   * @throws {Deno.errors.NotFound} When attaching to a name no linked block
   *   has.
   * @throws {Deno.errors.AlreadyExists} When creating a name a linked block
   *   has.
   */
  constructor(options) {
    const data = reviving6;
    reviving6 = null;
    if (data !== null) {
      this.#block = data.block;
      const { mode, pid } = data.grant;
      this.#count = mode === "owned" ? blockCount(data.block, pid) : null;
      this.#buf = mode === "closed" ? null : view(data.block);
      return;
    }
    assertLive();
    if (options !== void 0 && (typeof options !== "object" || options === null)) {
      throw new TypeError(`Cannot create shared memory: options must be an object, received ${describe(options)}`);
    }
    const { name, create: create2 = false, size = 0 } = options ?? {};
    if (typeof create2 !== "boolean") {
      throw new TypeError(`Cannot create shared memory: create must be a boolean, received ${describe(create2)}`);
    }
    const what = create2 ? "Cannot create shared memory" : "Cannot attach shared memory";
    if (typeof size !== "number") {
      throw new TypeError(`${what}: size must be a number, received ${describe(size)}`);
    }
    if (!Number.isSafeInteger(size) || size < 0) {
      throw new RangeError(`${what}: size must be a non-negative integer, received ${size}`);
    }
    if (create2 && size === 0) {
      throw new RangeError(`${what}: size must be positive, received 0`);
    }
    if (create2 && size > ARENA_MAX_BYTES - ARENA_DATA) {
      throw new RangeError(`${what}: size must be at most ${ARENA_MAX_BYTES - ARENA_DATA} bytes, received ${size}`);
    }
    if (name === void 0 && !create2) {
      throw new TypeError(`${what}: name is required unless create is true`);
    }
    const bare = name === void 0 ? null : checkName(what, name);
    this.#block = create2 ? createBlock(bare, size, nameBytes) : attachBlock(bare, nameBytes(bare));
    this.#count = blockCount(this.#block, selfProcess().pid);
    this.#buf = view(this.#block);
  }
  /** The block's name (what another Process attaches with). */
  get name() {
    return this.#block.name;
  }
  /** The block's size in bytes, as created. */
  get size() {
    return this.#block.size;
  }
  /**
   * The block's bytes. A view of shared memory: every holder sees every
   * write at once (order them with a `Lock`, an `Event` or `Atomics`).
   *
   * @throws {Deno.errors.BadResource} When this handle is closed.
   */
  get buf() {
    if (this.#buf === null) {
      throw new Deno.errors.BadResource("Cannot access shared memory: this handle is closed");
    }
    return this.#buf;
  }
  /** Whether this handle is closed. */
  get closed() {
    return this.#buf === null;
  }
  /**
   * Closes this handle (idempotent): `buf` can no longer be used here. The
   * block lives on for its other holders, and for new attaches while it is
   * linked.
   *
   * @example Usage
   * ```ts
   * import { SharedMemory } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   *
   * const shm = new SharedMemory({ create: true, size: 4 });
   * shm.close();
   * assert.throws(() => shm.buf, { name: "BadResource" });
   * shm.unlink();
   * ```
   */
  close() {
    this.#buf = null;
    this.#count?.close();
    this.#count = null;
  }
  /**
   * Removes the block's name, as Python's `unlink()`: attaching by that
   * name fails from now on, and the memory is freed once every handle is
   * closed or its Process has ended. Holders keep their memory meanwhile.
   * Call it once, from any holder (a closed one too).
   *
   * @throws {Deno.errors.NotFound} When the block has been unlinked
   *   already.
   *
   * @example Usage
   * ```ts
   * import { SharedMemory } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   *
   * const shm = new SharedMemory({ create: true, size: 8 });
   * shm.unlink();
   * assert.throws(() => new SharedMemory({ name: shm.name }), Deno.errors.NotFound);
   * shm.buf[0] = 1; // still this handle's memory
   * shm.close(); // now it is freed
   * ```
   */
  unlink() {
    assertLive();
    unlinkBlock(this.#block);
  }
  /** Closes this handle (see {@linkcode SharedMemory.prototype.close}). */
  [Symbol.dispose]() {
    this.close();
  }
  /**
   * The descriptor this block crosses into a worker as. Internal.
   *
   * @param context Who receives it.
   * @returns The descriptor.
   * @throws {Deno.errors.NotFound} When the block has been freed.
   * @ignore Internal: the shared-object registry calls it.
   */
  [SHARE](context) {
    const block = this.#block;
    const { grant, release: release2 } = grantHandle(false, context, (pid) => openBlock(block, pid), () => {
      const pid = selfProcess().pid;
      return openBlock(block, pid) ? blockCount(block, pid) : null;
    });
    if (context !== void 0 && grant.mode === "closed") {
      throw new Deno.errors.NotFound(`Cannot send shared memory to a worker: the block ${JSON.stringify(block.name)} has been unlinked and freed`);
    }
    const data = {
      arena: arenaBuffer(),
      block,
      grant
    };
    return {
      kind: "SharedMemory",
      module: import.meta.url,
      data,
      release: release2
    };
  }
  /**
   * What `console.log` / `Deno.inspect` show, as Python's repr: the name
   * and size, and whether this handle is closed or the name unlinked.
   *
   * @returns A short description.
   */
  [Symbol.for("Deno.customInspect")]() {
    const unlinked = isLinked(this.#block) ? "" : ", unlinked";
    return `SharedMemory { name: ${JSON.stringify(this.name)}, size: ${this.size}, closed: ${this.closed}${unlinked} }`;
  }
};
function view(block) {
  return new Uint8Array(arenaBuffer(), block.offset, block.size);
}
__name(view, "view");
registerShareable("SharedMemory", (data) => {
  reviving6 = data;
  return new SharedMemory();
});

// lib/shareable_list.ts
var ALIGN = 8;
var CODE_VALUE = 0;
var CODE_STR = 1;
var CODE_BYTES = 2;
var CODE_NONE = 3;
var FORMAT_BOOL = "xxxxxxx?";
var FORMAT_NONE = "xxxxxx?x";
var CHAR_D = 100;
var CHAR_X = 120;
var SAFE_HIGH = 2 ** 21;
var INT64_MIN = -(2n ** 63n);
var INT64_MAX = 2n ** 63n - 1n;
var encoder6 = new TextEncoder();
var decoder3 = new TextDecoder();
var reviving7 = null;
function pack(what, item) {
  switch (typeof item) {
    case "number":
      return {
        // -0 is a float, or its sign would be lost.
        format: Number.isSafeInteger(item) && !Object.is(item, -0) ? "q" : "d",
        code: CODE_VALUE,
        bytes: null
      };
    case "bigint":
      if (item < INT64_MIN || item > INT64_MAX) {
        throw new RangeError(`${what}: an int item must fit in 64 bits, received ${item}`);
      }
      return {
        format: "q",
        code: CODE_VALUE,
        bytes: null
      };
    case "boolean":
      return {
        format: FORMAT_BOOL,
        code: CODE_VALUE,
        bytes: null
      };
    case "string": {
      const bytes = encoder6.encode(item);
      const python = slotBytes([
        ...item
      ].length);
      const size = bytes.length <= python ? python : slotBytes(bytes.length);
      return {
        format: `${size}s`,
        code: CODE_STR,
        bytes
      };
    }
    case "object":
      if (item === null) {
        return {
          format: FORMAT_NONE,
          code: CODE_NONE,
          bytes: null
        };
      }
      if (item instanceof Uint8Array) {
        return {
          format: `${slotBytes(item.length)}s`,
          code: CODE_BYTES,
          bytes: item
        };
      }
  }
  throw new TypeError(`${what}: an item must be a number, bigint, boolean, string, Uint8Array or null, received ${describe(item)}`);
}
__name(pack, "pack");
function slotBytes(length) {
  return ALIGN * (Math.floor(length / ALIGN) + 1);
}
__name(slotBytes, "slotBytes");
function slotSize(format) {
  return format.endsWith("s") ? Number(format.slice(0, -1)) : ALIGN;
}
__name(slotSize, "slotSize");
function sameItem(a, b) {
  if (a instanceof Uint8Array) {
    if (!(b instanceof Uint8Array) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
    return true;
  }
  const ta = typeof a;
  const tb = typeof b;
  if ((ta === "number" || ta === "bigint") && (tb === "number" || tb === "bigint")) {
    return a == b;
  }
  return a === b;
}
__name(sameItem, "sameItem");
function trimNuls(bytes) {
  let end = bytes.length;
  while (end > 0 && bytes[end - 1] === 0) end--;
  return bytes.slice(0, end);
}
__name(trimNuls, "trimNuls");
var ShareableList = class {
  static {
    __name(this, "ShareableList");
  }
  /** The block holding the list. */
  shm;
  #length;
  #offsets;
  #view;
  #u8;
  /** Byte offsets in the block of the data area, formats and codes. */
  #dataAt;
  #formatsAt;
  #codesAt;
  /**
   * Creates a list in a new block from `sequence` (an empty one without
   * it), or, with `sequence` null or left out and a `name`, attaches to
   * the list in that block.
   *
   * @param sequence The items of a new list.
   * @param options The block's name.
   * @throws {TypeError} When an item has a type the list cannot hold, or
   *   an option has the wrong type.
   * @throws {RangeError} When a `bigint` does not fit 64 bits, or the
   *   block attached to does not hold a list (too small for the header it
   *   has); the handle attached is closed again.
   * @throws {Deno.errors.NotFound} When attaching to an unknown name.
   * @throws {Deno.errors.AlreadyExists} When creating a name that exists.
   */
  constructor(sequence, options) {
    const shm = reviving7;
    reviving7 = null;
    if (shm !== null) {
      this.shm = shm;
    } else {
      if (options !== void 0 && (typeof options !== "object" || options === null)) {
        throw new TypeError(`Cannot create shareable list: options must be an object, received ${describe(options)}`);
      }
      const name = options?.name;
      if (sequence === void 0 || sequence === null) {
        if (name === void 0) {
          this.shm = create([], void 0);
        } else {
          this.shm = new SharedMemory({
            name
          });
        }
      } else {
        this.shm = create(sequence, name);
      }
    }
    const buf = this.shm.buf;
    const view2 = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    let header2;
    try {
      header2 = readHeader(view2, this.shm.name);
    } catch (error) {
      this.shm.close();
      throw error;
    }
    this.#view = view2;
    this.#u8 = buf;
    this.#length = header2.length;
    this.#offsets = header2.offsets;
    this.#dataAt = (this.#length + 2) * 8;
    this.#formatsAt = this.#dataAt + this.#offsets[this.#length];
    this.#codesAt = this.#formatsAt + this.#length * 8;
  }
  /** The block's view, unless its handle was closed. */
  #data() {
    if (this.shm.closed) {
      throw new Deno.errors.BadResource("Cannot use shareable list: its block's handle is closed");
    }
    return this.#view;
  }
  /** The number of items (fixed when the list was made). */
  get length() {
    return this.#length;
  }
  #position(what, index2) {
    if (typeof index2 !== "number" || !Number.isInteger(index2)) {
      throw new TypeError(`${what}: index must be an integer, received ${describe(index2)}`);
    }
    const position = index2 < 0 ? index2 + this.#length : index2;
    if (position < 0 || position >= this.#length) {
      throw new RangeError(`${what}: index out of range, received ${index2} for a list of ${this.#length}`);
    }
    return position;
  }
  #format(position) {
    const u8 = this.#u8;
    const at = this.#formatsAt + position * 8;
    let format = "";
    for (let i = 0; i < 8; i++) {
      const c = u8[at + i];
      if (c === 0) break;
      format += String.fromCharCode(c);
    }
    return format;
  }
  /**
   * The item at `index` (negative counts from the end, as Python's).
   *
   * @param index The position.
   * @returns The item.
   * @throws {RangeError} When `index` is out of range.
   * @throws {Deno.errors.BadResource} When `shm` has been closed.
   *
   * @example Usage
   * ```ts
   * import { ShareableList } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   *
   * const sl = new ShareableList([1, 2.5, "three"]);
   * assert.equal(sl.get(-1), "three");
   * sl.shm.close();
   * sl.shm.unlink();
   * ```
   */
  get(index2) {
    const position = this.#position("Cannot get item", index2);
    const view2 = this.#data();
    return this.#read(view2, position);
  }
  #read(view2, position) {
    const u8 = this.#u8;
    const offsets = this.#offsets;
    const at = this.#dataAt + offsets[position];
    const code = u8[this.#codesAt + position];
    switch (code) {
      case CODE_NONE:
        return null;
      case CODE_STR:
      case CODE_BYTES: {
        const slot = offsets[position + 1] - offsets[position];
        const bytes = trimNuls(u8.subarray(at, at + slot));
        return code === CODE_STR ? decoder3.decode(bytes) : bytes;
      }
    }
    switch (u8[this.#formatsAt + position * 8]) {
      case CHAR_D:
        return view2.getFloat64(at, true);
      case CHAR_X:
        return u8[at + 7] !== 0;
    }
    const high = view2.getInt32(at + 4, true);
    if (high >= -SAFE_HIGH && high < SAFE_HIGH) {
      const int3 = high * 2 ** 32 + view2.getUint32(at, true);
      if (Number.isSafeInteger(int3)) return int3;
    }
    return view2.getBigInt64(at, true);
  }
  /**
   * Replaces the item at `index` (negative counts from the end). A string
   * or bytes must fit the slot: 8 bytes, or the slot of the string or
   * bytes it was made with.
   *
   * @param index The position.
   * @param value The new item.
   * @throws {RangeError} When `index` is out of range, a string or bytes
   *   exceeds the slot, or a `bigint` does not fit 64 bits.
   * @throws {TypeError} When the list cannot hold the value's type.
   * @throws {Deno.errors.BadResource} When `shm` has been closed.
   *
   * @example Usage
   * ```ts
   * import { ShareableList } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   *
   * const sl = new ShareableList([-273.154]);
   * sl.set(0, "dry ice"); // a different type fits the 8-byte slot
   * assert.equal(sl.get(0), "dry ice");
   * assert.throws(() => sl.set(0, "larger than the slot"), RangeError);
   * sl.shm.close();
   * sl.shm.unlink();
   * ```
   */
  set(index2, value) {
    const what = "Cannot set item";
    assertLive();
    const position = this.#position(what, index2);
    const packed = pack(what, value);
    const view2 = this.#data();
    const allocated = this.#offsets[position + 1] - this.#offsets[position];
    if (packed.bytes !== null) {
      if (packed.bytes.length > allocated) {
        throw new RangeError(`${what}: ${packed.bytes.length} bytes exceed the slot of ${allocated} bytes`);
      }
      const current2 = this.#format(position);
      packed.format = current2.endsWith("s") ? current2 : `${allocated}s`;
    }
    writeItem(view2, this.#dataAt + this.#offsets[position], packed, value);
    writeFormat(this.#u8, this.#formatsAt + position * 8, packed.format);
    this.#u8[this.#codesAt + position] = packed.code;
  }
  /**
   * How many items equal `value` (bytes by content; numbers and bigints
   * by value, as Python's `1 == 1.0`).
   *
   * @param value The value to count.
   * @returns The count.
   *
   * @example Usage
   * ```ts
   * import { ShareableList } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   *
   * const sl = new ShareableList([new TextEncoder().encode("HoWdY"), 1, 1]);
   * assert.equal(sl.count(1), 2);
   * assert.equal(sl.count(new TextEncoder().encode("howdy")), 0);
   * sl.shm.close();
   * sl.shm.unlink();
   * ```
   */
  count(value) {
    let n = 0;
    for (const item of this) if (sameItem(item, value)) n++;
    return n;
  }
  /**
   * The position of the first item equal to `value` (as `count` compares).
   *
   * @param value The value to find.
   * @returns Its position.
   * @throws {RangeError} When no item equals it (Python's `ValueError`).
   *
   * @example Usage
   * ```ts
   * import { ShareableList } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   *
   * const sl = new ShareableList(["a", 42]);
   * assert.equal(sl.index(42), 1);
   * assert.throws(() => sl.index(7), RangeError);
   * sl.shm.close();
   * sl.shm.unlink();
   * ```
   */
  index(value) {
    let position = 0;
    for (const item of this) {
      if (sameItem(item, value)) return position;
      position++;
    }
    throw new RangeError(`Cannot find item: ${describe(value)} is not in the list`);
  }
  /** The struct formats of every item, joined, as Python's `format`. */
  get format() {
    this.#data();
    let format = "";
    for (let i = 0; i < this.#length; i++) format += this.#format(i);
    return format;
  }
  /**
   * The items, in order.
   *
   * @returns An iterator over the items.
   */
  *[Symbol.iterator]() {
    const view2 = this.#data();
    for (let i = 0; i < this.#length; i++) yield this.#read(view2, i);
  }
  /**
   * A copy of the items in an array.
   *
   * @returns The items.
   *
   * @example Usage
   * ```ts
   * import { ShareableList } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   *
   * const sl = new ShareableList([1, true, null]);
   * assert.deepEqual(sl.toArray(), [1, true, null]);
   * sl.shm.close();
   * sl.shm.unlink();
   * ```
   */
  toArray() {
    return [
      ...this
    ];
  }
  /** Closes this handle of the list's block (`shm.close()`). */
  [Symbol.dispose]() {
    this.shm.close();
  }
  /**
   * The descriptor this list crosses into a worker as. Internal.
   *
   * @param context Who receives it.
   * @returns The descriptor.
   * @ignore Internal: the shared-object registry calls it.
   */
  [SHARE](context) {
    const shm = this.shm[SHARE](context);
    return {
      kind: "ShareableList",
      module: import.meta.url,
      data: shm.data,
      release: shm.release
    };
  }
  /**
   * What `console.log` / `Deno.inspect` show, as Python's repr: the items
   * and the block's name.
   *
   * @returns A short description.
   */
  [Symbol.for("Deno.customInspect")]() {
    if (this.shm.closed) {
      return `ShareableList { name: ${JSON.stringify(this.shm.name)}, closed }`;
    }
    return `ShareableList { items: ${Deno.inspect(this.toArray())}, name: ${JSON.stringify(this.shm.name)} }`;
  }
};
var formatBytes = /* @__PURE__ */ new Map();
function writeFormat(u8, at, format) {
  let bytes = formatBytes.get(format);
  if (bytes === void 0) {
    bytes = new Uint8Array(8);
    for (let i = 0; i < format.length; i++) bytes[i] = format.charCodeAt(i);
    formatBytes.set(format, bytes);
  }
  u8.set(bytes, at);
}
__name(writeFormat, "writeFormat");
function writeItem(view2, at, packed, value) {
  const size = slotSize(packed.format);
  if (packed.bytes !== null) {
    const slot = new Uint8Array(view2.buffer, view2.byteOffset + at, size);
    slot.fill(0);
    slot.set(packed.bytes);
    return;
  }
  switch (packed.format) {
    case "q":
      if (typeof value === "number") {
        const high = Math.floor(value / 2 ** 32);
        view2.setUint32(at, value - high * 2 ** 32, true);
        view2.setInt32(at + 4, high, true);
      } else view2.setBigInt64(at, value, true);
      return;
    case "d":
      view2.setFloat64(at, value, true);
      return;
  }
  for (let i = 0; i < ALIGN; i++) view2.setUint8(at + i, 0);
  if (packed.format === FORMAT_BOOL) view2.setUint8(at + 7, value ? 1 : 0);
}
__name(writeItem, "writeItem");
function readHeader(view2, name) {
  const size = view2.byteLength;
  const fail = /* @__PURE__ */ __name((reason) => new RangeError(`Cannot attach shareable list: block ${JSON.stringify(name)} of ${size} bytes does not hold one, ${reason}`), "fail");
  if (size < 16) throw fail("too small for a list's header");
  const length = Number(view2.getBigInt64(0, true));
  if (length < 0 || (length + 2) * 8 > size) {
    throw fail(`its header gives a length of ${length}`);
  }
  const offsets = [];
  for (let i = 0; i <= length; i++) {
    const offset = Number(view2.getBigInt64(8 + i * 8, true));
    if (offset < (offsets[i - 1] ?? 0)) {
      throw fail(`its header gives slot offset ${offset} for item ${i}`);
    }
    offsets.push(offset);
  }
  const end = (length + 2) * 8 + offsets[length] + length * 9;
  if (end > size) {
    throw fail(`its header describes ${end} bytes`);
  }
  return {
    length,
    offsets
  };
}
__name(readHeader, "readHeader");
function create(sequence, name) {
  const what = "Cannot create shareable list";
  if (typeof sequence[Symbol.iterator] !== "function") {
    throw new TypeError(`${what}: sequence must be iterable, received ${describe(sequence)}`);
  }
  const items = [
    ...sequence
  ];
  const packed = items.map((item) => pack(what, item));
  const n = items.length;
  const offsets = [
    0
  ];
  for (const p of packed) offsets.push(offsets.at(-1) + slotSize(p.format));
  const dataStart = (n + 2) * 8;
  const size = dataStart + offsets[n] + n * 8 + n;
  const shm = new SharedMemory(name === void 0 ? {
    create: true,
    size
  } : {
    name,
    create: true,
    size
  });
  const buf = shm.buf;
  const view2 = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  view2.setBigInt64(0, BigInt(n), true);
  offsets.forEach((offset, i) => view2.setBigInt64(8 + i * 8, BigInt(offset), true));
  const formatsStart = dataStart + offsets[n];
  packed.forEach((p, i) => {
    writeItem(view2, dataStart + offsets[i], p, items[i]);
    writeFormat(buf, formatsStart + i * 8, p.format);
    buf[formatsStart + n * 8 + i] = p.code;
  });
  return shm;
}
__name(create, "create");
registerShareable("ShareableList", (data) => {
  reviving7 = reviveDescriptor({
    kind: "SharedMemory",
    module: "",
    data
  });
  return new ShareableList();
});

// lib/sync/lock_option.ts
function checkLockOption(what, options) {
  if (options === void 0) return true;
  if (typeof options !== "object" || options === null) {
    throw new TypeError(`${what}: options must be an object, received ${describe(options)}`);
  }
  const { lock = true } = options;
  if (typeof lock === "boolean") return lock;
  if (lock instanceof Lock || lock instanceof RLock) return lock;
  throw new TypeError(`${what}: lock must be a boolean, a Lock or an RLock, received ${describe(lock)}`);
}
__name(checkLockOption, "checkLockOption");
function makeLock(choice) {
  if (choice === true) return new RLock();
  if (choice === false) return null;
  return choice;
}
__name(makeLock, "makeLock");

// lib/shared_array.ts
var adopt3 = null;
var adoptLock = void 0;
var viewOf2;
function checkInit(what, t, sizeOrInit) {
  if (typeof sizeOrInit === "number") {
    if (!Number.isInteger(sizeOrInit)) {
      throw new TypeError(`${what}: size must be an integer, received ${sizeOrInit}`);
    }
    if (sizeOrInit < 0) {
      throw new RangeError(`${what}: size must be non-negative, received ${sizeOrInit}`);
    }
    return {
      length: sizeOrInit,
      items: null
    };
  }
  if (typeof sizeOrInit === "object" && sizeOrInit !== null && typeof sizeOrInit[Symbol.iterator] === "function") {
    const items = [];
    let i = 0;
    for (const item of sizeOrInit) {
      items.push(checkItem(`${what}: item ${i++}`, t, item));
    }
    return {
      length: items.length,
      items
    };
  }
  throw new TypeError(`${what}: size or initializer must be a non-negative integer or an iterable, received ${describe(sizeOrInit)}`);
}
__name(checkInit, "checkInit");
function checkBound(what, bound2, length) {
  if (bound2 === void 0) return -1;
  if (typeof bound2 !== "number" || !Number.isInteger(bound2)) {
    throw new TypeError(`${what}: bounds must be integers, received ${describe(bound2)}`);
  }
  const b = bound2 < 0 ? bound2 + length : bound2;
  return b < 0 ? 0 : b > length ? length : b;
}
__name(checkBound, "checkBound");
var RawArray = class {
  static {
    __name(this, "RawArray");
  }
  #t;
  #view;
  /** The status word of this thread's Process (see `selfStatus()`). */
  #fence = selfStatus();
  static {
    viewOf2 = /* @__PURE__ */ __name((array) => array.#view, "viewOf");
  }
  /**
   * Creates an array in a new `SharedArrayBuffer`.
   *
   * @param typecode One of `b B h H i I l L q Q f d` (see {@linkcode Typecode}).
   * @param sizeOrInit A size (elements start at zero) or an iterable of
   * initial elements.
   * @throws {TypeError} If the typecode is unknown, the size is not an
   * integer, or an element has the wrong type.
   * @throws {RangeError} If the size is negative or an element is out of
   * range.
   */
  constructor(typecode, sizeOrInit) {
    const adopted = adopt3;
    adopt3 = null;
    const what = `Cannot create ${new.target.name}`;
    const t = typecodeInfo(what, typecode);
    this.#t = t;
    if (adopted !== null) {
      const { buffer, byteOffset, length: length2 } = adopted;
      this.#view = new t.ctor(buffer, byteOffset, length2);
      return;
    }
    const { length, items } = checkInit(what, t, sizeOrInit);
    this.#view = new t.ctor(new SharedArrayBuffer(length * t.size), 0, length);
    if (items !== null) {
      for (let i = 0; i < length; i++) this.#view[i] = items[i];
    }
  }
  /**
   * The typecode this array was created with.
   *
   * @example Usage
   * ```ts
   * import { RawArray } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   *
   * assert.equal(new RawArray("d", 2).typecode, "d");
   * ```
   */
  get typecode() {
    return this.#t.code;
  }
  /**
   * The number of elements.
   *
   * @example Usage
   * ```ts
   * import { RawArray } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   *
   * assert.equal(new RawArray("d", 4).length, 4);
   * ```
   */
  get length() {
    return this.#view.length;
  }
  /**
   * The typed array over the shared memory (`Float64Array` for `d`, ...):
   * the fastest way to read and write in a hot loop, unchecked.
   *
   * Writes through a typed array cannot be fenced: a thread whose Process
   * is terminated while it loops over a view it already holds goes on
   * writing until Deno stops it (a thread busy in synchronous code is not
   * stopped in Deno 2.9). Reading `view` itself on such a thread throws
   * `ProcessEndedError`, as `set()` and the atomic operations do; so a loop
   * that must stop writing once terminated takes the view again per batch
   * of writes, or uses `set()`.
   *
   * @throws {ProcessEndedError} When read from the thread of a Process that
   * has been terminated or killed.
   *
   * @example Usage
   * ```ts
   * import { RawArray } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   *
   * const a = new RawArray("d", 3);
   * a.view.fill(1.5);
   * assert.equal(a.get(2), 1.5);
   * ```
   */
  get view() {
    const fence = this.#fence;
    if (fence !== null && fence[PROC_STATE] === PROC_STATE_ENDED) throwEnded();
    return this.#view;
  }
  /**
   * Reads element `index` (negative counts from the end).
   *
   * @param index An integer from `-length` to `length - 1`.
   * @returns The element.
   * @throws {TypeError} If `index` is not an integer.
   * @throws {RangeError} If `index` is out of range.
   *
   * @example Usage
   * ```ts
   * import { RawArray } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   *
   * assert.equal(new RawArray("i", [1, 2]).get(-1), 2);
   * ```
   */
  get(index2) {
    const view2 = this.#view;
    const n = view2.length;
    if ((index2 | 0) === index2) {
      const i = index2 < 0 ? index2 + n : index2;
      if (i >= 0 && i < n) return view2[i];
    }
    return view2[checkIndex("Cannot get item", index2, n)];
  }
  /**
   * Writes element `index` (negative counts from the end), after checking
   * the index and the value; memory is untouched on bad input.
   *
   * @param index An integer from `-length` to `length - 1`.
   * @param value The element's new value.
   * @throws {TypeError} If `index` is not an integer or `value` has the wrong
   * type.
   * @throws {RangeError} If `index` or `value` is out of range.
   * @throws {ProcessEndedError} If called from the thread of a Process that
   * has been terminated or killed.
   *
   * @example Usage
   * ```ts
   * import { RawArray } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   *
   * const a = new RawArray("b", 2);
   * a.set(-2, -5);
   * assert.equal(a.get(0), -5);
   * assert.throws(() => a.set(0, 200), RangeError);
   * ```
   */
  set(index2, value) {
    const fence = this.#fence;
    if (fence !== null && fence[PROC_STATE] === PROC_STATE_ENDED) throwEnded();
    const view2 = this.#view;
    const n = view2.length;
    let i;
    if ((index2 | 0) === index2 && (i = index2 < 0 ? index2 + n : index2) >= 0 && i < n) {
      view2[i] = checkItem("Cannot set item", this.#t, value);
      return;
    }
    i = checkIndex("Cannot set item", index2, n);
    view2[i] = checkItem("Cannot set item", this.#t, value);
  }
  /**
   * Copies elements `start` to `end` (exclusive) into a plain array, as
   * Python's `arr[start:end]`: negative bounds count from the end, bounds
   * past either end are clamped.
   *
   * @param start First index; `0` when left out.
   * @param end Index after the last; `length` when left out.
   * @returns The elements.
   * @throws {TypeError} If a bound is not an integer.
   *
   * @example Usage
   * ```ts
   * import { RawArray } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   *
   * const a = new RawArray("i", [0, 1, 2, 3]);
   * assert.deepEqual(a.slice(-2), [2, 3]);
   * assert.deepEqual(a.slice(1, 99), [1, 2, 3]);
   * ```
   */
  slice(start, end) {
    const view2 = this.#view;
    const length = view2.length;
    const a = checkBound("Cannot slice", start, length);
    const b = checkBound("Cannot slice", end, length);
    const from = a === -1 ? 0 : a;
    const to = b === -1 ? length : b;
    const out2 = [];
    for (let i = from; i < to; i++) out2.push(view2[i]);
    return out2;
  }
  /**
   * Copies every element into a plain array (Python's `arr[:]`).
   *
   * @returns The elements.
   *
   * @example Usage
   * ```ts
   * import { RawArray } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   *
   * assert.deepEqual(new RawArray("d", 2).toArray(), [0, 0]);
   * ```
   */
  toArray() {
    return Array.from(this.#view);
  }
  /**
   * Iterates over the elements.
   *
   * @returns An iterator of the elements.
   *
   * @example Usage
   * ```ts
   * import { RawArray } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   *
   * let sum = 0;
   * for (const x of new RawArray("i", [1, 2, 3])) sum += x;
   * assert.equal(sum, 6);
   * ```
   */
  [Symbol.iterator]() {
    return this.#view[Symbol.iterator]();
  }
  #atomic(what, index2) {
    checkAtomic(what, this.#t);
    assertLive();
    return checkIndex(what, index2, this.#view.length);
  }
  /**
   * Atomically reads element `index` (integer typecodes).
   *
   * @param index An integer from `-length` to `length - 1`.
   * @returns The element.
   * @throws {TypeError} If the typecode is `f` or `d`, or `index` is not an
   * integer.
   * @throws {RangeError} If `index` is out of range.
   *
   * @example Usage
   * ```ts
   * import { RawArray } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   *
   * assert.equal(new RawArray("i", [4, 5]).load(1), 5);
   * ```
   */
  load(index2) {
    const i = this.#atomic("Cannot load", index2);
    return Atomics.load(this.#view, i);
  }
  /**
   * Atomically writes element `index` (integer typecodes).
   *
   * @param index An integer from `-length` to `length - 1`.
   * @param value The new value.
   * @returns The value written.
   * @throws {TypeError} If the typecode is `f` or `d`, or an argument has
   * the wrong type.
   * @throws {RangeError} If `index` or `value` is out of range.
   *
   * @example Usage
   * ```ts
   * import { RawArray } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   *
   * const a = new RawArray("i", 2);
   * a.store(-1, 9);
   * assert.equal(a.get(1), 9);
   * ```
   */
  store(index2, value) {
    const what = "Cannot store";
    const i = this.#atomic(what, index2);
    const v = checkItem(what, this.#t, value);
    return Atomics.store(this.#view, i, v);
  }
  /**
   * Atomically adds `delta` to element `index` (integer typecodes); wraps
   * around on overflow as C integers do.
   *
   * @param index An integer from `-length` to `length - 1`.
   * @param delta An integer (`bigint` for `q`/`Q`).
   * @returns The element before the addition.
   * @throws {TypeError} If the typecode is `f` or `d`, or an argument has
   * the wrong type.
   * @throws {RangeError} If `index` is out of range.
   *
   * @example Usage
   * ```ts
   * import { RawArray } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   *
   * const a = new RawArray("q", 2);
   * a.add(1, 5n);
   * assert.equal(a.get(1), 5n);
   * ```
   */
  add(index2, delta) {
    const what = "Cannot add";
    const i = this.#atomic(what, index2);
    const d = checkDelta(what, this.#t, delta);
    return Atomics.add(this.#view, i, d);
  }
  /**
   * Atomically subtracts `delta` from element `index` (integer typecodes);
   * wraps around on overflow as C integers do.
   *
   * @param index An integer from `-length` to `length - 1`.
   * @param delta An integer (`bigint` for `q`/`Q`).
   * @returns The element before the subtraction.
   * @throws {TypeError} If the typecode is `f` or `d`, or an argument has
   * the wrong type.
   * @throws {RangeError} If `index` is out of range.
   *
   * @example Usage
   * ```ts
   * import { RawArray } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   *
   * const a = new RawArray("i", [10]);
   * assert.equal(a.sub(0, 4), 10);
   * assert.equal(a.get(0), 6);
   * ```
   */
  sub(index2, delta) {
    const what = "Cannot sub";
    const i = this.#atomic(what, index2);
    const d = checkDelta(what, this.#t, delta);
    return Atomics.sub(this.#view, i, d);
  }
  /**
   * Atomically replaces element `index` (integer typecodes).
   *
   * @param index An integer from `-length` to `length - 1`.
   * @param value The new value.
   * @returns The element before.
   * @throws {TypeError} If the typecode is `f` or `d`, or an argument has
   * the wrong type.
   * @throws {RangeError} If `index` or `value` is out of range.
   *
   * @example Usage
   * ```ts
   * import { RawArray } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   *
   * const a = new RawArray("i", [1]);
   * assert.equal(a.exchange(0, 2), 1);
   * ```
   */
  exchange(index2, value) {
    const what = "Cannot exchange";
    const i = this.#atomic(what, index2);
    const v = checkItem(what, this.#t, value);
    return Atomics.exchange(this.#view, i, v);
  }
  /**
   * Atomically replaces element `index` with `replacement` if it equals
   * `expected` (integer typecodes).
   *
   * @param index An integer from `-length` to `length - 1`.
   * @param expected The value expected.
   * @param replacement The value to write when it matches.
   * @returns The element before: equal to `expected` when the write
   * happened.
   * @throws {TypeError} If the typecode is `f` or `d`, or an argument has
   * the wrong type.
   * @throws {RangeError} If `index` or a value is out of range.
   *
   * @example Usage
   * ```ts
   * import { RawArray } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   *
   * const a = new RawArray("i", [1]);
   * assert.equal(a.compareExchange(0, 1, 7), 1);
   * assert.equal(a.get(0), 7);
   * ```
   */
  compareExchange(index2, expected, replacement) {
    const what = "Cannot compareExchange";
    const i = this.#atomic(what, index2);
    const e = checkItem(what, this.#t, expected);
    const r = checkItem(what, this.#t, replacement);
    return Atomics.compareExchange(this.#view, i, e, r);
  }
  /**
   * The descriptor this array crosses into a worker as. Internal.
   *
   * @returns The descriptor.
   *
   * @ignore Internal: the shared-object registry calls it.
   */
  [SHARE]() {
    const data = {
      typecode: this.#t.code,
      buffer: this.#view.buffer,
      byteOffset: this.#view.byteOffset,
      length: this.#view.length
    };
    return {
      kind: "RawArray",
      module: import.meta.url,
      data
    };
  }
  /**
   * Custom inspect for `console.log` / `Deno.inspect`: the typecode, the
   * length and the first ten elements, as `SharedArray("i", 20) [ 0, 1, ...
   * 10 more items ]`.
   *
   * @returns A short description.
   */
  [Symbol.for("Deno.customInspect")]() {
    const view2 = this.#view;
    const n = view2.length;
    const shown = [];
    for (let i = 0; i < Math.min(n, 10); i++) {
      const v = view2[i];
      shown.push(typeof v === "bigint" ? `${v}n` : String(v));
    }
    if (n > 10) shown.push(`... ${n - 10} more item${n === 11 ? "" : "s"}`);
    return `${this.constructor.name}("${this.#t.code}", ${n}) ${n === 0 ? "[]" : `[ ${shown.join(", ")} ]`}`;
  }
};
var SharedArray = class extends RawArray {
  static {
    __name(this, "SharedArray");
  }
  #lock;
  /**
   * Creates an array and its lock.
   *
   * @param typecode One of `b B h H i I l L q Q f d` (see {@linkcode Typecode}).
   * @param sizeOrInit A size (elements start at zero) or an iterable of
   * initial elements.
   * @param options `lock`: `true` (a new RLock), `false`, or a lock to use.
   * @throws {TypeError} If the typecode is unknown, the size is not an
   * integer, an element has the wrong type, or `lock` is not a boolean, Lock
   * or RLock.
   * @throws {RangeError} If the size is negative or an element is out of
   * range.
   */
  constructor(typecode, sizeOrInit, options) {
    const choice = adopt3 === null ? checkLockOption("Cannot create SharedArray", options) : false;
    super(typecode, sizeOrInit);
    if (adoptLock !== void 0) {
      this.#lock = adoptLock;
      adoptLock = void 0;
    } else {
      this.#lock = makeLock(choice);
    }
  }
  /**
   * The lock that guards this array.
   *
   * @returns The `Lock` or `RLock` given in the options, or the RLock made
   * for this array.
   * @throws {TypeError} If the array was created with `lock: false`.
   *
   * @example Usage
   * ```ts
   * import { SharedArray } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   *
   * const arr = new SharedArray("i", 3);
   * assert.equal(arr.getLock().locked(), false);
   * ```
   */
  getLock() {
    if (this.#lock === null) {
      throw new TypeError("Cannot get lock: this SharedArray was created with lock: false");
    }
    return this.#lock;
  }
  /**
   * The raw array underneath: a {@linkcode RawArray} over the same memory,
   * without the lock (Python's `get_obj()`).
   *
   * @returns The raw array.
   *
   * @example Usage
   * ```ts
   * import { SharedArray } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   *
   * const arr = new SharedArray("i", 2);
   * arr.getObj().set(0, 8);
   * assert.equal(arr.get(0), 8);
   * ```
   */
  getObj() {
    const view2 = viewOf2(this);
    adopt3 = {
      typecode: this.typecode,
      buffer: view2.buffer,
      byteOffset: view2.byteOffset,
      length: view2.length
    };
    return new RawArray(this.typecode, 0);
  }
  /**
   * The descriptor this array crosses into a worker as. Internal.
   *
   * @returns The descriptor.
   *
   * @ignore Internal: the shared-object registry calls it.
   */
  [SHARE]() {
    const raw = super[SHARE]().data;
    const data = {
      ...raw,
      lock: this.#lock === null ? null : this.#lock[SHARE]()
    };
    return {
      kind: "SharedArray",
      module: import.meta.url,
      data
    };
  }
};
registerShareable("RawArray", (data) => {
  adopt3 = data;
  return new RawArray(adopt3.typecode, 0);
});
registerShareable("SharedArray", (data) => {
  const d = data;
  const lock = d.lock === null ? null : reviveDescriptor(d.lock);
  adopt3 = d;
  adoptLock = lock;
  return new SharedArray(d.typecode, 0);
});

// lib/simple_queue.ts
var SimpleQueue = class {
  static {
    __name(this, "SimpleQueue");
  }
  #queue;
  #parts;
  /**
   * Creates a simple queue.
   *
   * @param options The byte capacity.
   * @throws {TypeError} When an option has the wrong type.
   * @throws {RangeError} When `capacity` is out of range.
   */
  constructor(options) {
    if (options !== void 0 && (typeof options !== "object" || options === null)) {
      throw new TypeError(`Cannot create queue: options must be an object, received ${options === null ? "null" : typeof options}`);
    }
    this.#queue = new Queue(options?.capacity === void 0 ? {} : {
      capacity: options.capacity
    });
    this.#parts = partsOf.get(this.#queue);
  }
  /**
   * Puts a value, waiting for room (see {@linkcode Queue.prototype.put}).
   *
   * @param value The value to put.
   * @param options A timeout and an abort signal.
   * @returns A promise that resolves once the value is in the queue.
   * @throws {TypeError} When the value cannot be encoded (nothing is put).
   * @throws {QueueClosedError} When the queue is closed.
   * @throws {QueueFullError} When `timeout` runs out.
   *
   * @example Usage
   * ```ts
   * import { SimpleQueue } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   *
   * const q = new SimpleQueue<bigint>();
   * await q.put(2n ** 70n);
   * assert.equal(await q.get(), 2n ** 70n);
   * ```
   */
  put(value, options) {
    return this.#queue.put(value, options);
  }
  /**
   * Puts a value, blocking the thread while there is no room.
   *
   * @param value The value to put.
   * @param options A timeout.
   * @throws {TypeError} When the value cannot be encoded (nothing is put).
   * @throws {QueueClosedError} When the queue is closed.
   * @throws {QueueFullError} When `timeout` runs out.
   *
   * @example Usage
   * ```ts
   * import { SimpleQueue } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   *
   * const q = new SimpleQueue();
   * q.putSync(new Date(0));
   * assert.deepEqual(q.getSync(), new Date(0));
   * ```
   */
  putSync(value, options) {
    this.#queue.putSync(value, options);
  }
  /**
   * Takes the oldest item, waiting for one.
   *
   * @param options A timeout and an abort signal.
   * @returns The item.
   * @throws {QueueEmptyError} When `timeout` runs out.
   * @throws {QueueClosedError} When the queue is closed and drained.
   *
   * @example Usage
   * ```ts
   * import { SimpleQueue } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   *
   * const q = new SimpleQueue<string>();
   * await q.put("x");
   * assert.equal(await q.get(), "x");
   * ```
   */
  get(options) {
    return this.#queue.get(options);
  }
  /**
   * Takes the oldest item, blocking the thread while there is none.
   *
   * @param options A timeout.
   * @returns The item.
   * @throws {QueueEmptyError} When `timeout` runs out.
   * @throws {QueueClosedError} When the queue is closed and drained.
   *
   * @example Usage
   * ```ts
   * import { SimpleQueue } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   *
   * const q = new SimpleQueue<number>();
   * q.putSync(1);
   * assert.equal(q.getSync({ timeout: 100 }), 1);
   * ```
   */
  getSync(options) {
    return this.#queue.getSync(options);
  }
  /**
   * Whether the queue has no items now (a snapshot).
   *
   * @returns `true` when empty.
   *
   * @example Usage
   * ```ts
   * import { SimpleQueue } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   *
   * assert.equal(new SimpleQueue().empty(), true);
   * ```
   */
  empty() {
    return this.#queue.empty();
  }
  /**
   * Closes this handle: it puts no more (see
   * {@linkcode Queue.prototype.close}).
   *
   * @example Usage
   * ```ts
   * import { QueueClosedError, SimpleQueue } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   *
   * const q = new SimpleQueue();
   * q.close();
   * await assert.rejects(q.put(1), QueueClosedError);
   * ```
   */
  close() {
    this.#queue.close();
  }
  /**
   * Yields items until every handle is closed (or its Process ended) and
   * the queue is drained.
   *
   * @returns An async iterator over the items.
   *
   * @example Usage
   * ```ts
   * import { SimpleQueue } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   *
   * const q = new SimpleQueue<number>();
   * q.putSync(1);
   * q.close();
   * const seen: number[] = [];
   * for await (const v of q) seen.push(v);
   * assert.deepEqual(seen, [1]);
   * ```
   */
  [Symbol.asyncIterator]() {
    return this.#queue[Symbol.asyncIterator]();
  }
  /** Closes this handle. */
  [Symbol.dispose]() {
    this.close();
  }
  /**
   * The descriptor this queue crosses into a worker as. Internal.
   *
   * @param context Who receives it.
   * @returns The descriptor.
   * @ignore Internal: the shared-object registry calls it.
   */
  [SHARE](context) {
    return shareQueue("SimpleQueue", import.meta.url, this.#parts, context);
  }
  /**
   * What `console.log` / `Deno.inspect` show: whether the queue is empty
   * and whether this handle is closed.
   *
   * @returns A short description.
   */
  [Symbol.for("Deno.customInspect")]() {
    return `SimpleQueue { empty: ${this.#queue.empty()}, closed: ${this.#parts.handle.closed} }`;
  }
};
registerShareable("SimpleQueue", (data) => {
  reviveNext(data);
  return new SimpleQueue();
});

// lib/start_method.ts
function getAllStartMethods() {
  return [
    ...START_METHODS
  ];
}
__name(getAllStartMethods, "getAllStartMethods");
function getStartMethod() {
  return resolveStartMethod("Cannot get start method", void 0);
}
__name(getStartMethod, "getStartMethod");
function setStartMethod(method, options) {
  const what = "Cannot set start method";
  if (options !== void 0 && (typeof options !== "object" || !options)) {
    throw new TypeError(`${what}: options must be an object, received ${describe(options)}`);
  }
  const { force = false } = options ?? {};
  if (typeof force !== "boolean") {
    throw new TypeError(`${what}: force must be a boolean, received ${describe(force)}`);
  }
  if (method === null) {
    if (!force) {
      throw new TypeError(`${what}: method must be "thread" or "spawn" (null only with { force: true }), received null`);
    }
    chooseStartMethod(what, null, true);
    return;
  }
  chooseStartMethod(what, checkStartMethod(what, method, "method"), force);
}
__name(setStartMethod, "setStartMethod");
var contexts = /* @__PURE__ */ new Map();
function getContext(method) {
  const resolved = method === void 0 || method === null ? currentStartMethod() : checkStartMethod("Cannot get context", method, "method");
  let context = contexts.get(resolved);
  if (context === void 0) {
    context = makeContext(resolved);
    contexts.set(resolved, context);
  }
  return context;
}
__name(getContext, "getContext");
function bind(options, method) {
  if (options === void 0) return {
    startMethod: method
  };
  if (typeof options !== "object" || options === null) return options;
  return {
    ...options,
    startMethod: options.startMethod ?? method
  };
}
__name(bind, "bind");
function makeContext(method) {
  class ContextProcess extends Process {
    static {
      __name(this, "ContextProcess");
    }
    constructor(options) {
      super(bind(options, method));
    }
  }
  class ContextPool extends Pool {
    static {
      __name(this, "ContextPool");
    }
    constructor(options) {
      super(bind(options, method));
    }
  }
  class ContextExecutor extends ProcessPoolExecutor {
    static {
      __name(this, "ContextExecutor");
    }
    constructor(options) {
      super(options?.mpContext === void 0 ? bind(options, method) : options);
    }
  }
  for (const [cls, name] of [
    [
      ContextProcess,
      "Process"
    ],
    [
      ContextPool,
      "Pool"
    ],
    [
      ContextExecutor,
      "ProcessPoolExecutor"
    ]
  ]) Object.defineProperty(cls, "name", {
    value: name
  });
  return Object.freeze({
    startMethod: method,
    Process: ContextProcess,
    Pool: ContextPool,
    ProcessPoolExecutor: ContextExecutor
  });
}
__name(makeContext, "makeContext");

// lib/value.ts
var adopt4 = null;
var VALUE_OFFSET = LOCK_INTS * 4;
var adoptLock2 = void 0;
var viewOf3;
var RawValue = class {
  static {
    __name(this, "RawValue");
  }
  #t;
  #view;
  /** The status word of this thread's Process (see `selfStatus()`). */
  #fence = selfStatus();
  static {
    viewOf3 = /* @__PURE__ */ __name((value) => value.#view, "viewOf");
  }
  /**
   * Creates a value in a new `SharedArrayBuffer`.
   *
   * @param typecode One of `b B h H i I l L q Q f d` (see {@linkcode Typecode}).
   * @param initial The initial value; `0` (`0n` for `q`/`Q`) when left out.
   * @throws {TypeError} If the typecode is unknown or `initial` has the wrong
   * type (a string for `d`, a number for `q`, 1.5 for `i`).
   * @throws {RangeError} If `initial` is out of the typecode's range.
   */
  constructor(typecode, initial) {
    const adopted = adopt4;
    adopt4 = null;
    const what = `Cannot create ${new.target.name}`;
    const t = typecodeInfo(what, typecode);
    this.#t = t;
    if (adopted !== null && adopted.fresh !== true) {
      this.#view = new t.ctor(adopted.buffer, adopted.byteOffset, 1);
      return;
    }
    const value = initial === void 0 ? zeroOf(t) : checkItem(what, t, initial);
    this.#view = adopted === null ? new t.ctor(new SharedArrayBuffer(t.size), 0, 1) : new t.ctor(adopted.buffer, adopted.byteOffset, 1);
    this.#view[0] = value;
  }
  /**
   * The typecode this value was created with.
   *
   * @example Usage
   * ```ts
   * import { RawValue } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   *
   * assert.equal(new RawValue("d").typecode, "d");
   * ```
   */
  get typecode() {
    return this.#t.code;
  }
  /**
   * The value. Setting it checks the type and range first and leaves the
   * memory untouched on bad input. On the thread of a Process that has been
   * terminated or killed (which Deno may not have stopped yet) setting it
   * throws, as every toolkit call that changes shared state does.
   *
   * @throws {TypeError} When set to a value of the wrong type.
   * @throws {RangeError} When set to an integer out of range.
   * @throws {ProcessEndedError} When set from a terminated Process's thread.
   *
   * @example Usage
   * ```ts
   * import { RawValue } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   *
   * const v = new RawValue("q", 1n);
   * v.value *= 2n ** 40n;
   * assert.equal(v.value, 2n ** 40n);
   * ```
   */
  get value() {
    return this.#view[0];
  }
  set value(value) {
    const fence = this.#fence;
    if (fence !== null && fence[PROC_STATE] === PROC_STATE_ENDED) throwEnded();
    this.#view[0] = checkItem("Cannot set value", this.#t, value);
  }
  /**
   * Atomically reads the value (integer typecodes).
   *
   * @returns The value.
   * @throws {TypeError} If the typecode is `f` or `d`.
   *
   * @example Usage
   * ```ts
   * import { RawValue } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   *
   * assert.equal(new RawValue("i", 7).load(), 7);
   * ```
   */
  load() {
    checkAtomic("Cannot load", this.#t);
    return Atomics.load(this.#view, 0);
  }
  /**
   * Atomically writes the value (integer typecodes).
   *
   * @param value The new value.
   * @returns The value written.
   * @throws {TypeError} If the typecode is `f` or `d`, or `value` has the
   * wrong type.
   * @throws {RangeError} If `value` is out of range.
   *
   * @example Usage
   * ```ts
   * import { RawValue } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   *
   * const v = new RawValue("i");
   * v.store(5);
   * assert.equal(v.value, 5);
   * ```
   */
  store(value) {
    const what = "Cannot store";
    checkAtomic(what, this.#t);
    assertLive();
    const checked = checkItem(what, this.#t, value);
    return Atomics.store(this.#view, 0, checked);
  }
  /**
   * Atomically adds `delta` (integer typecodes); wraps around on overflow
   * as C integers do.
   *
   * @param delta An integer (`bigint` for `q`/`Q`).
   * @returns The value before the addition.
   * @throws {TypeError} If the typecode is `f` or `d`, or `delta` has the
   * wrong type.
   *
   * @example Usage
   * ```ts
   * import { RawValue } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   *
   * const v = new RawValue("Q", 1n);
   * assert.equal(v.add(2n), 1n);
   * assert.equal(v.value, 3n);
   * ```
   */
  add(delta) {
    const what = "Cannot add";
    checkAtomic(what, this.#t);
    assertLive();
    const d = checkDelta(what, this.#t, delta);
    return Atomics.add(this.#view, 0, d);
  }
  /**
   * Atomically subtracts `delta` (integer typecodes); wraps around on
   * overflow as C integers do.
   *
   * @param delta An integer (`bigint` for `q`/`Q`).
   * @returns The value before the subtraction.
   * @throws {TypeError} If the typecode is `f` or `d`, or `delta` has the
   * wrong type.
   *
   * @example Usage
   * ```ts
   * import { RawValue } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   *
   * const v = new RawValue("i", 10);
   * assert.equal(v.sub(3), 10);
   * assert.equal(v.value, 7);
   * ```
   */
  sub(delta) {
    const what = "Cannot sub";
    checkAtomic(what, this.#t);
    assertLive();
    const d = checkDelta(what, this.#t, delta);
    return Atomics.sub(this.#view, 0, d);
  }
  /**
   * Atomically replaces the value (integer typecodes).
   *
   * @param value The new value.
   * @returns The value before.
   * @throws {TypeError} If the typecode is `f` or `d`, or `value` has the
   * wrong type.
   * @throws {RangeError} If `value` is out of range.
   *
   * @example Usage
   * ```ts
   * import { RawValue } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   *
   * const v = new RawValue("i", 1);
   * assert.equal(v.exchange(2), 1);
   * assert.equal(v.value, 2);
   * ```
   */
  exchange(value) {
    const what = "Cannot exchange";
    checkAtomic(what, this.#t);
    assertLive();
    const checked = checkItem(what, this.#t, value);
    return Atomics.exchange(this.#view, 0, checked);
  }
  /**
   * Atomically replaces the value with `replacement` if it equals
   * `expected` (integer typecodes).
   *
   * @param expected The value expected.
   * @param replacement The value to write when it matches.
   * @returns The value before: equal to `expected` when the write happened.
   * @throws {TypeError} If the typecode is `f` or `d`, or an argument has
   * the wrong type.
   * @throws {RangeError} If an argument is out of range.
   *
   * @example Usage
   * ```ts
   * import { RawValue } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   *
   * const v = new RawValue("i", 1);
   * assert.equal(v.compareExchange(1, 5), 1);
   * assert.equal(v.compareExchange(1, 9), 5); // no match: unchanged
   * assert.equal(v.value, 5);
   * ```
   */
  compareExchange(expected, replacement) {
    const what = "Cannot compareExchange";
    checkAtomic(what, this.#t);
    assertLive();
    const e = checkItem(what, this.#t, expected);
    const r = checkItem(what, this.#t, replacement);
    return Atomics.compareExchange(this.#view, 0, e, r);
  }
  /**
   * The descriptor this value crosses into a worker as. Internal.
   *
   * @returns The descriptor.
   *
   * @ignore Internal: the shared-object registry calls it.
   */
  [SHARE]() {
    const data = {
      typecode: this.#t.code,
      buffer: this.#view.buffer,
      byteOffset: this.#view.byteOffset
    };
    return {
      kind: "RawValue",
      module: import.meta.url,
      data
    };
  }
  /**
   * Custom inspect for `console.log` / `Deno.inspect`.
   *
   * @returns A short description.
   */
  [Symbol.for("Deno.customInspect")]() {
    const v = this.#view[0];
    return `${this.constructor.name}("${this.#t.code}", ${typeof v === "bigint" ? `${v}n` : v})`;
  }
};
var Value = class extends RawValue {
  static {
    __name(this, "Value");
  }
  #lock;
  /**
   * Creates a value and its lock.
   *
   * @param typecode One of `b B h H i I l L q Q f d` (see {@linkcode Typecode}).
   * @param initial The initial value; `0` (`0n` for `q`/`Q`) when left out.
   * @param options `lock`: `true` (a new RLock), `false`, or a lock to use.
   * @throws {TypeError} If the typecode is unknown, `initial` has the wrong
   * type, or `lock` is not a boolean, Lock or RLock.
   * @throws {RangeError} If `initial` is out of the typecode's range.
   */
  constructor(typecode, initial, options) {
    const choice = adopt4 === null ? checkLockOption("Cannot create Value", options) : false;
    let lock;
    if (adoptLock2 !== void 0) {
      lock = adoptLock2;
      adoptLock2 = void 0;
    } else if (choice === true) {
      const buffer = new SharedArrayBuffer(VALUE_OFFSET + 8);
      lock = reviveDescriptor({
        kind: "RLock",
        module: "",
        data: buffer
      });
      adopt4 = {
        buffer,
        byteOffset: VALUE_OFFSET,
        fresh: true
      };
    } else {
      lock = makeLock(choice);
    }
    super(typecode, initial);
    this.#lock = lock;
  }
  /**
   * The lock that guards this value.
   *
   * @returns The `Lock` or `RLock` given in the options, or the RLock made
   * for this value.
   * @throws {TypeError} If the value was created with `lock: false`.
   *
   * @example Usage
   * ```ts
   * import { Lock, Value } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   *
   * const lock = new Lock();
   * const v = new Value("i", 0, { lock });
   * assert.equal(v.getLock(), lock);
   * ```
   */
  getLock() {
    if (this.#lock === null) {
      throw new TypeError("Cannot get lock: this Value was created with lock: false");
    }
    return this.#lock;
  }
  /**
   * The raw value underneath: a {@linkcode RawValue} over the same memory,
   * without the lock (Python's `get_obj()`).
   *
   * @returns The raw value.
   *
   * @example Usage
   * ```ts
   * import { Value } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   *
   * const v = new Value("i", 3);
   * v.getObj().value = 4;
   * assert.equal(v.value, 4);
   * ```
   */
  getObj() {
    const view2 = viewOf3(this);
    adopt4 = {
      buffer: view2.buffer,
      byteOffset: view2.byteOffset
    };
    return new RawValue(this.typecode);
  }
  /**
   * The descriptor this value crosses into a worker as. Internal.
   *
   * @returns The descriptor.
   *
   * @ignore Internal: the shared-object registry calls it.
   */
  [SHARE]() {
    const raw = super[SHARE]().data;
    const data = {
      ...raw,
      lock: this.#lock === null ? null : this.#lock[SHARE]()
    };
    return {
      kind: "Value",
      module: import.meta.url,
      data
    };
  }
};
registerShareable("RawValue", (data) => {
  const d = data;
  adopt4 = {
    buffer: d.buffer,
    byteOffset: d.byteOffset
  };
  return new RawValue(d.typecode);
});
registerShareable("Value", (data) => {
  const d = data;
  const lock = d.lock === null ? null : reviveDescriptor(d.lock);
  adopt4 = {
    buffer: d.buffer,
    byteOffset: d.byteOffset
  };
  adoptLock2 = lock;
  return new Value(d.typecode);
});

// lib/connection.ts
var connection_exports = {};
__export(connection_exports, {
  Client: () => Client,
  Listener: () => Listener,
  SocketConnection: () => SocketConnection,
  wait: () => wait2
});
var WHAT = "Cannot wait";
function isConnection(value) {
  return typeof value === "object" && value !== null && typeof value.pollSync === "function" && typeof value.poll === "function";
}
__name(isConnection, "isConnection");
function readyNow(object) {
  if (object instanceof Process) return object.exitcode !== null;
  return object.pollSync({
    timeout: 0
  });
}
__name(readyNow, "readyNow");
async function whenReady(object, signal) {
  if (object instanceof Process) {
    await object.join({
      signal
    });
  } else {
    await object.poll({
      timeout: Infinity,
      signal
    });
  }
}
__name(whenReady, "whenReady");
async function wait2(objects2, options) {
  if (typeof objects2 !== "object" || objects2 === null || !(Symbol.iterator in objects2)) {
    throw new TypeError(`${WHAT}: objects must be iterable, received ${describe(objects2)}`);
  }
  const list = [
    ...objects2
  ];
  for (const [i, object] of list.entries()) {
    if (object instanceof Process) {
      if (object.pid === null) {
        throw new TypeError(`${WHAT}: object ${i} is a Process not started`);
      }
    } else if (!isConnection(object)) {
      throw new TypeError(`${WHAT}: object ${i} must be a connection or a Process, received ${describe(object)}`);
    }
  }
  const timeout = checkTimeout(WHAT, options?.timeout);
  checkSignal(WHAT, options?.signal);
  const signal = options?.signal;
  signal?.throwIfAborted();
  const ready2 = /* @__PURE__ */ __name(() => list.filter(readyNow), "ready");
  const now = ready2();
  if (now.length > 0 || timeout === 0) return now;
  const stop = new AbortController();
  const onAbort = /* @__PURE__ */ __name(() => stop.abort(signal.reason), "onAbort");
  signal?.addEventListener("abort", onAbort, {
    once: true
  });
  let timer;
  const waits = list.map((object) => whenReady(object, stop.signal));
  try {
    await Promise.race([
      ...waits,
      new Promise((resolve) => {
        if (timeout !== Infinity) timer = setTimeout(resolve, timeout);
      }),
      new Promise((_, reject) => {
        stop.signal.addEventListener("abort", () => reject(stop.signal.reason), {
          once: true
        });
      })
    ]);
  } catch (error) {
    if (signal?.aborted) throw signal.reason;
    throw error;
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener("abort", onAbort);
    if (!stop.signal.aborted) stop.abort();
    await Promise.allSettled(waits);
  }
  return ready2();
}
__name(wait2, "wait");

// lib/manager/objects.ts
var ParamsError = class extends Error {
  static {
    __name(this, "ParamsError");
  }
};
var UnknownObjectError = class extends Error {
  static {
    __name(this, "UnknownObjectError");
  }
};
var CancelledWait = class extends Error {
  static {
    __name(this, "CancelledWait");
  }
};
function named(name, message) {
  const error = new Error(message);
  error.name = name;
  return error;
}
__name(named, "named");
var UNDEFINED = {
  $: "u"
};
var kinds = /* @__PURE__ */ new Map();
var objects = /* @__PURE__ */ new Map();
function newId() {
  const bytes = crypto.getRandomValues(new Uint8Array(8));
  let s = "";
  for (const b of bytes) s += b.toString(16).padStart(2, "0");
  return s;
}
__name(newId, "newId");
function insert(entry) {
  const id = newId();
  objects.set(id, entry);
  return id;
}
__name(insert, "insert");
function entryOf(id, kind) {
  if (typeof id !== "string") {
    throw new ParamsError(`object id must be a string, received ${typeof id}`);
  }
  const entry = objects.get(id);
  if (entry === void 0) throw new UnknownObjectError(`No object ${id}`);
  if (kind !== null && entry.kind !== kind) {
    throw new ParamsError(`object ${id} is a ${entry.typeid ?? entry.kind}, not a ${kind}`);
  }
  return entry;
}
__name(entryOf, "entryOf");
function decref(id) {
  const entry = objects.get(id);
  if (entry === void 0 || --entry.refs > 0) return;
  objects.delete(id);
  const held = kinds.get(entry.kind)?.held?.(entry.state);
  if (held !== void 0) {
    for (const value of held) releaseTree(value);
  }
}
__name(decref, "decref");
function tagOf(id, entry) {
  const v = {
    id,
    kind: entry.kind
  };
  if (entry.typeid !== void 0) {
    v.typeid = entry.typeid;
    v.exposed = entry.exposed;
  }
  return {
    $: "p",
    v
  };
}
__name(tagOf, "tagOf");
function tagId(tag) {
  const v = tag.v;
  if (typeof v === "string") return v;
  if (typeof v === "object" && v !== null && typeof v.id === "string") {
    return v.id;
  }
  throw new ParamsError("a proxy tag must name an object id");
}
__name(tagId, "tagId");
function eachTag(tree, fn, parent = null, key2 = 0, depth = 0) {
  if (typeof tree !== "object" || tree === null) return;
  if (depth > 1e3) throw new ParamsError("a value is nested too deeply");
  if (Array.isArray(tree)) {
    for (let i = 0; i < tree.length; i++) {
      const item = tree[i];
      if (typeof item === "object" && item !== null) {
        eachTag(item, fn, tree, i, depth + 1);
      }
    }
    return;
  }
  const record2 = tree;
  if (Object.hasOwn(record2, "$")) {
    switch (record2.$) {
      case "p":
        fn(record2, parent, key2);
        return;
      case "m":
      case "s":
      case "o":
        eachTag(record2.v, fn, record2, "v", depth + 1);
        return;
      default:
        return;
    }
  }
  for (const k of Object.keys(record2)) {
    const item = record2[k];
    if (typeof item === "object" && item !== null) {
      eachTag(item, fn, record2, k, depth + 1);
    }
  }
}
__name(eachTag, "eachTag");
function replace(parent, key2, value) {
  if (parent === null) return value;
  parent[key2] = value;
  return void 0;
}
__name(replace, "replace");
function adoptTree(tree, hold2) {
  if (typeof tree !== "object" || tree === null) {
    return {
      value: tree,
      tags: 0
    };
  }
  const found = [];
  eachTag(tree, (tag, parent, key2) => {
    const id = tagId(tag);
    found.push([
      parent,
      key2,
      id,
      entryOf(id, null)
    ]);
  });
  let value = tree;
  for (const [parent, key2, id, entry] of found) {
    if (hold2) entry.refs++;
    const out2 = replace(parent, key2, tagOf(id, entry));
    if (parent === null) value = out2;
  }
  return {
    value,
    tags: found.length
  };
}
__name(adoptTree, "adoptTree");
function countTags(tree) {
  if (typeof tree !== "object" || tree === null) return 0;
  let n = 0;
  eachTag(tree, () => n++);
  return n;
}
__name(countTags, "countTags");
function releaseTree(tree) {
  if (typeof tree !== "object" || tree === null) return 0;
  const ids = [];
  eachTag(tree, (tag) => ids.push(tagId(tag)));
  for (const id of ids) decref(id);
  return ids.length;
}
__name(releaseTree, "releaseTree");
function lendTree(tree) {
  if (typeof tree !== "object" || tree === null) return;
  eachTag(tree, (tag) => {
    const entry = objects.get(tagId(tag));
    if (entry !== void 0) entry.refs++;
  });
}
__name(lendTree, "lendTree");
function hold(container, tree) {
  if (typeof tree !== "object" || tree === null) return tree;
  const { value, tags } = adoptTree(tree, true);
  if (tags > 0) container.tagged++;
  return value;
}
__name(hold, "hold");
function unhold(container, tree) {
  if (container.tagged === 0) return;
  if (releaseTree(tree) > 0) container.tagged--;
}
__name(unhold, "unhold");
function detach(container, tree) {
  if (container.tagged > 0 && countTags(tree) > 0) container.tagged--;
  return tree;
}
__name(detach, "detach");
function lend(container, tree) {
  if (container.tagged > 0) lendTree(tree);
  return tree;
}
__name(lend, "lend");
function str(value, what) {
  if (typeof value !== "string") {
    throw new ParamsError(`${what} must be a string, received ${typeof value}`);
  }
  return value;
}
__name(str, "str");
function int2(value, what) {
  if (!Number.isSafeInteger(value)) {
    throw new ParamsError(`${what} must be an integer, received ${value}`);
  }
  return value;
}
__name(int2, "int");
function arr(value, what) {
  if (!Array.isArray(value)) {
    throw new ParamsError(`${what} must be an array`);
  }
  return value;
}
__name(arr, "arr");
function timeoutOf(value) {
  if (value === null || value === void 0) return null;
  if (typeof value !== "number" || !(value >= 0)) {
    throw new ParamsError(`timeout must be null or a non-negative number`);
  }
  return value;
}
__name(timeoutOf, "timeoutOf");
function record(value, what) {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new ParamsError(`${what} must be an object`);
  }
  const r = value;
  if (Object.hasOwn(r, "$")) {
    if (r.$ === "o" && typeof r.v === "object" && r.v !== null) {
      return r.v;
    }
    throw new ParamsError(`${what} must be a plain object`);
  }
  return r;
}
__name(record, "record");
function deepEqual(a, b) {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || !a || !b) {
    return false;
  }
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) {
      if (!deepEqual(a[i], b[i])) return false;
    }
    return true;
  }
  if (Array.isArray(b)) return false;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  for (const k of ka) {
    if (!Object.hasOwn(b, k)) return false;
    if (!deepEqual(a[k], b[k])) return false;
  }
  return true;
}
__name(deepEqual, "deepEqual");
function index(list, i, what) {
  const n = int2(i, "index");
  const at = n < 0 ? list.length + n : n;
  if (at < 0 || at >= list.length) {
    throw named("RangeError", `Cannot ${what}: index ${n} out of range`);
  }
  return at;
}
__name(index, "index");
function park2(conn, id, queue2, timeout, onTimeout, extra) {
  return new Promise((resolve, reject) => {
    let timer;
    let left = false;
    const leave = /* @__PURE__ */ __name((abandoned2) => {
      if (left) return;
      left = true;
      const at = queue2.indexOf(waiter);
      if (at >= 0) queue2.splice(at, 1);
      if (timer !== void 0) clearTimeout(timer);
      if (id !== null && conn.waiters.get(id) === waiter) {
        conn.waiters.delete(id);
      }
      if (abandoned2) extra?.abandoned?.();
    }, "leave");
    const waiter = Object.assign(extra ?? {}, {
      conn,
      id,
      done(result) {
        leave(false);
        resolve(result);
      },
      fail(error) {
        leave(false);
        reject(error);
      },
      drop() {
        leave(true);
      },
      cancel() {
        leave(true);
        reject(new CancelledWait("The call was cancelled"));
      }
    });
    if (timeout !== null) {
      timer = setTimeout(() => {
        leave(true);
        try {
          resolve(onTimeout());
        } catch (error) {
          reject(error);
        }
      }, timeout);
    }
    queue2.push(waiter);
    if (id !== void 0 && id !== null) conn.waiters.set(id, waiter);
  });
}
__name(park2, "park");
function dropWaits(conn, ...queues) {
  for (const queue2 of queues) {
    for (const w of queue2.filter((w2) => w2.conn === conn)) w.drop();
  }
}
__name(dropWaits, "dropWaits");
function on(kind, fn) {
  if (typeof kind === "string") {
    return (conn, params, id) => fn(entryOf(params[0], kind).state, params.slice(1), conn, id);
  }
  return (conn, params, id) => {
    const entry = entryOf(params[0], null);
    if (!kind.includes(entry.kind)) {
      throw new ParamsError(`object ${params[0]} is a ${entry.kind}, not a ${kind.join(" or ")}`);
    }
    return fn(entry.state, params.slice(1), conn, id);
  };
}
__name(on, "on");

// lib/manager/custom.ts
var NotExposedError = class extends Error {
  static {
    __name(this, "NotExposedError");
  }
};
var UserError = class extends Error {
  static {
    __name(this, "UserError");
  }
  /** What the user code threw. */
  thrown;
  /** Wraps `thrown`. */
  constructor(thrown) {
    super(thrown instanceof Error ? thrown.message : String(thrown));
    this.thrown = thrown;
  }
};
var types = /* @__PURE__ */ new Map();
async function loadTypes(specs) {
  for (const spec of specs) {
    const what = `Cannot load the registered type ${spec.typeid}`;
    const fn = await loadTarget(what, spec.callable);
    const source = Function.prototype.toString.call(fn);
    types.set(spec.typeid, {
      spec,
      fn,
      isClass: /^class\b/.test(source)
    });
  }
}
__name(loadTypes, "loadTypes");
function publicMethods(object) {
  const out2 = /* @__PURE__ */ new Set();
  for (let o = object; o !== null && o !== Object.prototype; o = Object.getPrototypeOf(o)) {
    for (const name of Object.getOwnPropertyNames(o)) {
      if (name === "constructor" || name === "then" || name.startsWith("_")) continue;
      const d = Object.getOwnPropertyDescriptor(o, name);
      if (d !== void 0 && typeof d.value === "function") out2.add(name);
    }
  }
  return [
    ...out2
  ];
}
__name(publicMethods, "publicMethods");
function decodeArgs(args) {
  return args.map((arg) => decodeValue(arg, (v) => {
    const id = typeof v === "string" ? v : v?.id;
    const entry = entryOf(id, null);
    if (entry.kind !== "custom") {
      throw new ParamsError(`a ${entry.kind} proxy cannot be passed to a registered type's method (only proxies of registered types arrive as their objects)`);
    }
    return entry.state;
  }));
}
__name(decodeArgs, "decodeArgs");
function entryFor(loaded2, instance) {
  if (typeof instance !== "object" && typeof instance !== "function" || instance === null) {
    throw new UserError(new TypeError(`The callable of ${loaded2.spec.typeid} returned ${instance === null ? "null" : typeof instance}, not an object`));
  }
  return {
    kind: "custom",
    refs: 1,
    state: instance,
    typeid: loaded2.spec.typeid,
    exposed: loaded2.spec.exposed ?? publicMethods(instance)
  };
}
__name(entryFor, "entryFor");
function loadedOf(typeid) {
  const loaded2 = types.get(typeid);
  if (loaded2 === void 0) {
    throw new ParamsError(`no type is registered as ${JSON.stringify(typeid.slice(0, 100))}`);
  }
  return loaded2;
}
__name(loadedOf, "loadedOf");
async function run(fn) {
  try {
    return await fn();
  } catch (error) {
    throw new UserError(error);
  }
}
__name(run, "run");
function answer(entry, method, result) {
  const target = types.get(entry.typeid)?.spec.methodToTypeid[method];
  if (target !== void 0) {
    const made = entryFor(loadedOf(target), result);
    const madeId = insert(made);
    return {
      $: "p",
      v: {
        id: madeId,
        kind: "custom",
        typeid: made.typeid,
        exposed: made.exposed
      }
    };
  }
  return encodeValue(result, `Cannot return from ${entry.typeid}.${method}`);
}
__name(answer, "answer");
async function createCustom(typeid, args) {
  const loaded2 = loadedOf(typeid);
  const decoded = decodeArgs(args);
  const instance = await run(() => loaded2.isClass ? Reflect.construct(loaded2.fn, decoded) : loaded2.fn(...decoded));
  return entryFor(loaded2, instance);
}
__name(createCustom, "createCustom");
kinds.set("custom", {
  create() {
    throw new ParamsError("create a registered type with manager.createCustom");
  }
});
var CUSTOM_METHODS = [
  [
    "custom.call",
    (_conn, params) => {
      const id = params[0];
      const entry = entryOf(id, "custom");
      const method = str(params[1], "method");
      if (!entry.exposed.includes(method)) {
        throw new NotExposedError(`Method not exposed: ${entry.typeid}.${method.slice(0, 100)}`);
      }
      const instance = entry.state;
      const args = decodeArgs(params.slice(2));
      const finish3 = /* @__PURE__ */ __name((result2) => answer(entry, method, result2), "finish");
      let result;
      try {
        result = instance[method].apply(instance, args);
      } catch (error) {
        throw new UserError(error);
      }
      if (result instanceof Promise) {
        return result.then(finish3, (error) => {
          throw new UserError(error);
        });
      }
      return finish3(result);
    }
  ]
];

// lib/manager/data.ts
var KEY_SHAPES = "a string, number, bigint, boolean, null, undefined, Date, Uint8Array or an array of those";
function normalizeKey(tree, depth) {
  switch (typeof tree) {
    case "string":
    case "boolean":
      return tree;
    case "number":
      return tree === 0 ? 0 : tree;
    // -0 and 0 are one key
    case "object":
      break;
    default:
      throw new ParamsError(`a key must be ${KEY_SHAPES}`);
  }
  if (tree === null) return null;
  if (depth > 100) throw new ParamsError("a key is nested too deeply");
  if (Array.isArray(tree)) return tree.map((t2) => normalizeKey(t2, depth + 1));
  const t = tree;
  const v = t.v;
  switch (t.$) {
    case "u":
      return {
        $: "u"
      };
    case "i":
      if (typeof v === "string" && /^-?\d{1,10000}$/.test(v)) {
        return {
          $: "i",
          v: BigInt(v).toString()
        };
      }
      break;
    case "f":
      if (v === "NaN" || v === "Infinity" || v === "-Infinity") {
        return {
          $: "f",
          v
        };
      }
      break;
    case "d":
      if (v === null || typeof v === "number" && Number.isFinite(v)) {
        return {
          $: "d",
          v
        };
      }
      break;
    case "b":
      if (typeof v === "string" && /^[A-Za-z0-9+/]*={0,2}$/.test(v)) {
        return {
          $: "b",
          v
        };
      }
      break;
  }
  throw new ParamsError(`a key must be ${KEY_SHAPES}`);
}
__name(normalizeKey, "normalizeKey");
function keyOf(tree) {
  if (typeof tree === "string") {
    return tree.charCodeAt(0) === 0 ? `\0s${tree}` : tree;
  }
  return `\0${JSON.stringify(normalizeKey(tree, 0))}`;
}
__name(keyOf, "keyOf");
function keyTree(key2) {
  if (key2.charCodeAt(0) !== 0) return key2;
  if (key2.charCodeAt(1) === 115) return key2.slice(2);
  return JSON.parse(key2.slice(1));
}
__name(keyTree, "keyTree");
function rank(tree) {
  switch (typeof tree) {
    case "number":
    case "boolean":
      return "number";
    case "string":
      return "string";
  }
  if (Array.isArray(tree)) return "array";
  if (typeof tree === "object" && tree !== null) {
    switch (tree.$) {
      case "i":
      case "f":
        return "number";
      case "d":
        return "Date";
      case "b":
        return "Uint8Array";
    }
  }
  return typeName(tree);
}
__name(rank, "rank");
function typeName(tree) {
  if (tree === null) return "null";
  if (typeof tree !== "object") return typeof tree;
  if (Array.isArray(tree)) return "array";
  const tag = tree.$;
  switch (tag) {
    case "u":
      return "undefined";
    case "m":
      return "Map";
    case "s":
      return "Set";
    case "p":
      return "proxy";
  }
  return "object";
}
__name(typeName, "typeName");
function numberOf(tree) {
  if (typeof tree === "number") return tree;
  if (typeof tree === "boolean") return tree ? 1 : 0;
  const t = tree;
  return t.$ === "i" ? BigInt(t.v) : Number(t.v);
}
__name(numberOf, "numberOf");
function bytesOf(tree) {
  return atob(tree.v);
}
__name(bytesOf, "bytesOf");
function compareTrees(a, b) {
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb || !ORDERED.has(ra)) {
    throw named("TypeError", `Cannot sort: '<' is not supported between ${typeName(a)} and ${typeName(b)}`);
  }
  switch (ra) {
    case "number": {
      const x = numberOf(a);
      const y = numberOf(b);
      return x < y ? -1 : x > y ? 1 : 0;
    }
    case "string":
      return a < b ? -1 : a > b ? 1 : 0;
    case "Date": {
      const x = a.v ?? NaN;
      const y = b.v ?? NaN;
      return x < y ? -1 : x > y ? 1 : 0;
    }
    case "Uint8Array": {
      const x = bytesOf(a);
      const y = bytesOf(b);
      return x < y ? -1 : x > y ? 1 : 0;
    }
    default: {
      const x = a;
      const y = b;
      const n = Math.min(x.length, y.length);
      for (let i = 0; i < n; i++) {
        const c = compareTrees(x[i], y[i]);
        if (c !== 0) return c;
      }
      return x.length - y.length;
    }
  }
}
__name(compareTrees, "compareTrees");
var ORDERED = /* @__PURE__ */ new Set([
  "number",
  "string",
  "Date",
  "Uint8Array",
  "array"
]);
function atPath(tree, path, i) {
  let at = tree;
  for (const step of path) {
    if (typeof at === "object" && at !== null && !Array.isArray(at)) {
      const r = at;
      if (r.$ === "o") at = r.v;
    }
    if (typeof step === "number" && Array.isArray(at)) {
      const n = step < 0 ? at.length + step : step;
      if (n >= 0 && n < at.length) {
        at = at[n];
        continue;
      }
    } else if (typeof step === "string" && typeof at === "object" && at !== null && !Array.isArray(at) && !Object.hasOwn(at, "$") && Object.hasOwn(at, step)) {
      at = at[step];
      continue;
    }
    throw named("RangeError", `Cannot sort: item ${i} has nothing at key ${JSON.stringify(path)}`);
  }
  return at;
}
__name(atPath, "atPath");
function sortKey(value) {
  if (value === null || value === void 0) return null;
  if (typeof value === "object" && !Array.isArray(value)) {
    const v = value;
    if (Array.isArray(v.path)) {
      for (const step of v.path) {
        if (typeof step !== "string" && !Number.isSafeInteger(step)) {
          throw new ParamsError("a key path holds property names and indexes");
        }
      }
      return {
        path: v.path
      };
    }
    const fn = v.fn;
    if (typeof fn === "object" && fn !== null && typeof fn.module === "string" && typeof fn.name === "string" && (fn.source === null || typeof fn.source === "string")) {
      return {
        fn
      };
    }
  }
  throw new ParamsError("key must be null, { path } or { fn }");
}
__name(sortKey, "sortKey");
function sortItems(s, key2, fn, reverse) {
  const items = s.items;
  let keys = items;
  if (fn !== null) {
    keys = items.map((item) => encodeValue(fn(decodeValue(structuredClone(item))), "Cannot sort"));
  } else if (key2 !== null && "path" in key2) {
    keys = items.map((item, i) => atPath(item, key2.path, i));
  }
  const order = items.map((_, i) => i);
  order.sort((i, j) => reverse ? compareTrees(keys[j], keys[i]) : compareTrees(keys[i], keys[j]));
  s.items = order.map((i) => items[i]);
  return null;
}
__name(sortItems, "sortItems");
function dictSet(s, key2, value) {
  const old = s.map.get(key2);
  s.map.set(key2, hold(s, value));
  if (old !== void 0) unhold(s, old);
}
__name(dictSet, "dictSet");
function* pairsOf(value, what) {
  if (Array.isArray(value)) {
    for (const pair of value) {
      if (!Array.isArray(pair) || pair.length !== 2) {
        throw new ParamsError(`${what} pairs must be [key, value] arrays`);
      }
      yield [
        keyOf(pair[0]),
        pair[1]
      ];
    }
    return;
  }
  const r = record(value, what);
  for (const k of Object.keys(r)) yield [
    keyOf(k),
    r[k]
  ];
}
__name(pairsOf, "pairsOf");
function dictUpdate(s, value, what) {
  const pairs = [
    ...pairsOf(value, what)
  ];
  adoptTree(pairs.map((p) => p[1]), false);
  const held = pairs.map(([k, v]) => [
    k,
    hold(s, v)
  ]);
  const old = [];
  for (const [k, v] of held) {
    const before = s.map.get(k);
    if (before !== void 0) old.push(before);
    s.map.set(k, v);
  }
  for (const v of old) unhold(s, v);
}
__name(dictUpdate, "dictUpdate");
function objectOf(map, what) {
  const out2 = /* @__PURE__ */ Object.create(null);
  for (const [k, v] of map) {
    const key2 = keyTree(k);
    if (typeof key2 !== "string") {
      throw named("TypeError", `${what}: the key ${JSON.stringify(key2)} is not a string; use entries() or toMap()`);
    }
    out2[key2] = v;
  }
  return Object.hasOwn(out2, "$") ? {
    $: "o",
    v: out2
  } : out2;
}
__name(objectOf, "objectOf");
function holdEach(s, items) {
  adoptTree(items, false);
  return items.map((item) => hold(s, item));
}
__name(holdEach, "holdEach");
function fallback(value) {
  const { value: out2, tags } = adoptTree(value, false);
  if (tags > 0) lendTree(out2);
  return out2;
}
__name(fallback, "fallback");
function arrayItem(s, tree, what) {
  let value = tree;
  if (typeof tree === "object" && tree !== null) {
    const t = tree;
    if (t.$ === "i" && typeof t.v === "string") value = BigInt(t.v);
    else if (t.$ === "f" && typeof t.v === "string") value = Number(t.v);
  }
  return checkItem(what, s.info, value);
}
__name(arrayItem, "arrayItem");
function arrayTree(value) {
  return encodeValue(value, "Cannot read array");
}
__name(arrayTree, "arrayTree");
function bound(value, what) {
  return value === void 0 || value === null ? void 0 : int2(value, what);
}
__name(bound, "bound");
kinds.set("dict", {
  create(args) {
    const s = {
      map: /* @__PURE__ */ new Map(),
      tagged: 0
    };
    if (args[0] !== void 0) dictUpdate(s, args[0], "init");
    return s;
  },
  held: /* @__PURE__ */ __name((s) => s.map.values(), "held")
});
kinds.set("list", {
  create(args) {
    const s = {
      items: [],
      tagged: 0
    };
    if (args[0] !== void 0) s.items = holdEach(s, arr(args[0], "init"));
    return s;
  },
  held: /* @__PURE__ */ __name((s) => s.items, "held")
});
kinds.set("namespace", {
  create(args) {
    const s = {
      map: /* @__PURE__ */ new Map(),
      tagged: 0
    };
    if (args[0] !== void 0) dictUpdate(s, record(args[0], "init"), "init");
    return s;
  },
  held: /* @__PURE__ */ __name((s) => s.map.values(), "held")
});
kinds.set("value", {
  create(args) {
    const s = {
      typecode: str(args[0], "typecode"),
      value: 0,
      tagged: 0
    };
    s.value = hold(s, args.length > 1 ? args[1] : 0);
    return s;
  },
  held: /* @__PURE__ */ __name((s) => [
    s.value
  ], "held")
});
kinds.set("array", {
  create(args) {
    let info2;
    try {
      info2 = typecodeInfo("Cannot create array", args[0]);
    } catch (error) {
      throw new ParamsError(error.message);
    }
    const init2 = args[1];
    const s = {
      info: info2,
      data: new info2.ctor(new ArrayBuffer(0), 0, 0)
    };
    if (typeof init2 === "number") {
      const n = int2(init2, "size");
      if (n < 0 || n > MAX_ARRAY_LENGTH) {
        throw new ParamsError("size is out of range");
      }
      s.data = new info2.ctor(new ArrayBuffer(n * info2.size), 0, n);
    } else {
      const items = arr(init2, "init");
      s.data = new info2.ctor(new ArrayBuffer(items.length * info2.size), 0, items.length);
      items.forEach((item, i) => {
        s.data[i] = arrayItem(s, item, "Cannot create array");
      });
    }
    return s;
  }
});
var DATA_METHODS = [
  // dict: a Map, so any key ("__proto__" included) is plain data.
  [
    "dict.get",
    on("dict", (s, a) => {
      const value = s.map.get(keyOf(a[0]));
      if (value !== void 0) return lend(s, value);
      return a.length > 1 ? fallback(a[1]) : UNDEFINED;
    })
  ],
  [
    "dict.set",
    on("dict", (s, a) => {
      dictSet(s, keyOf(a[0]), a.length > 1 ? a[1] : UNDEFINED);
      return null;
    })
  ],
  [
    "dict.has",
    on("dict", (s, a) => s.map.has(keyOf(a[0])))
  ],
  [
    "dict.delete",
    on("dict", (s, a) => {
      const key2 = keyOf(a[0]);
      const old = s.map.get(key2);
      if (old === void 0) return false;
      s.map.delete(key2);
      unhold(s, old);
      return true;
    })
  ],
  [
    "dict.keys",
    on("dict", (s) => [
      ...s.map.keys()
    ].map(keyTree))
  ],
  [
    "dict.values",
    on("dict", (s) => lend(s, [
      ...s.map.values()
    ]))
  ],
  [
    "dict.entries",
    on("dict", (s) => lend(s, [
      ...s.map
    ].map(([k, v]) => [
      keyTree(k),
      v
    ])))
  ],
  [
    "dict.size",
    on("dict", (s) => s.map.size)
  ],
  [
    "dict.update",
    on("dict", (s, a) => {
      dictUpdate(s, a[0], "update");
      return null;
    })
  ],
  [
    "dict.clear",
    on("dict", (s) => {
      const old = [
        ...s.map.values()
      ];
      s.map.clear();
      for (const value of old) unhold(s, value);
      return null;
    })
  ],
  [
    "dict.pop",
    on("dict", (s, a) => {
      const key2 = keyOf(a[0]);
      const value = s.map.get(key2);
      if (value !== void 0) {
        s.map.delete(key2);
        return detach(s, value);
      }
      if (a.length > 1) return fallback(a[1]);
      throw named("RangeError", `Cannot pop key: ${JSON.stringify(keyTree(key2))} is not in the dict`);
    })
  ],
  [
    "dict.popitem",
    on("dict", (s) => {
      let last;
      for (const entry of s.map) last = entry;
      if (last === void 0) {
        throw named("RangeError", "Cannot pop item: the dict is empty");
      }
      s.map.delete(last[0]);
      return [
        keyTree(last[0]),
        detach(s, last[1])
      ];
    })
  ],
  [
    "dict.setdefault",
    on("dict", (s, a) => {
      const key2 = keyOf(a[0]);
      if (!s.map.has(key2)) dictSet(s, key2, a.length > 1 ? a[1] : UNDEFINED);
      return lend(s, s.map.get(key2));
    })
  ],
  [
    "dict.toObject",
    on("dict", (s) => lend(s, objectOf(s.map, "Cannot copy dict")))
  ],
  // list
  [
    "list.append",
    on("list", (s, a) => {
      s.items.push(hold(s, a.length > 0 ? a[0] : UNDEFINED));
      return null;
    })
  ],
  [
    "list.extend",
    on("list", (s, a) => {
      for (const item of holdEach(s, arr(a[0], "items"))) s.items.push(item);
      return null;
    })
  ],
  [
    "list.get",
    on("list", (s, a) => lend(s, s.items[index(s.items, a[0], "get item")]))
  ],
  [
    "list.set",
    on("list", (s, a) => {
      const at = index(s.items, a[0], "set item");
      const old = s.items[at];
      s.items[at] = hold(s, a.length > 1 ? a[1] : UNDEFINED);
      unhold(s, old);
      return null;
    })
  ],
  [
    "list.length",
    on("list", (s) => s.items.length)
  ],
  [
    "list.pop",
    on("list", (s, a) => {
      const l = s.items;
      if (l.length === 0) {
        throw named("RangeError", "Cannot pop: list is empty");
      }
      const at = a[0] === void 0 || a[0] === null ? l.length - 1 : index(l, a[0], "pop");
      return detach(s, l.splice(at, 1)[0]);
    })
  ],
  [
    "list.insert",
    on("list", (s, a) => {
      const l = s.items;
      const n = int2(a[0], "index");
      const at = n < 0 ? Math.max(0, l.length + n) : Math.min(n, l.length);
      l.splice(at, 0, hold(s, a.length > 1 ? a[1] : UNDEFINED));
      return null;
    })
  ],
  [
    "list.remove",
    on("list", (s, a) => {
      const item = adoptTree(a[0], false).value;
      const at = s.items.findIndex((x) => deepEqual(x, item));
      if (at < 0) {
        throw named("RangeError", "Cannot remove item: the value is not in the list");
      }
      unhold(s, s.items.splice(at, 1)[0]);
      return null;
    })
  ],
  [
    "list.index",
    on("list", (s, a) => {
      const l = s.items;
      const item = adoptTree(a[0], false).value;
      const start = bound(a[1], "start") ?? 0;
      const stop = bound(a[2], "stop") ?? l.length;
      const from = start < 0 ? Math.max(0, l.length + start) : start;
      const to = stop < 0 ? l.length + stop : Math.min(stop, l.length);
      for (let i = from; i < to; i++) if (deepEqual(l[i], item)) return i;
      throw named("RangeError", "Cannot find index: the value is not in the list");
    })
  ],
  [
    "list.count",
    on("list", (s, a) => {
      const item = adoptTree(a[0], false).value;
      let n = 0;
      for (const x of s.items) if (deepEqual(x, item)) n++;
      return n;
    })
  ],
  [
    "list.slice",
    on("list", (s, a) => lend(s, s.items.slice(bound(a[0], "start"), bound(a[1], "end"))))
  ],
  [
    "list.replace",
    on("list", (s, a) => {
      const items = holdEach(s, arr(a[0], "items"));
      const old = s.items;
      s.items = items;
      for (const item of old) unhold(s, item);
      return null;
    })
  ],
  [
    "list.toArray",
    on("list", (s) => lend(s, s.items))
  ],
  [
    "list.reverse",
    on("list", (s) => {
      s.items.reverse();
      return null;
    })
  ],
  [
    "list.sort",
    on("list", (s, a) => {
      const key2 = sortKey(a[0]);
      const reverse = a[1] === true;
      if (key2 === null || !("fn" in key2)) {
        return sortItems(s, key2, null, reverse);
      }
      return loadTarget("Cannot sort", key2.fn).then((fn) => sortItems(s, key2, fn, reverse));
    })
  ],
  // namespace
  [
    "namespace.get",
    on("namespace", (s, a) => {
      const value = s.map.get(keyOf(str(a[0], "name")));
      return value === void 0 ? UNDEFINED : lend(s, value);
    })
  ],
  [
    "namespace.set",
    on("namespace", (s, a) => {
      dictSet(s, keyOf(str(a[0], "name")), a.length > 1 ? a[1] : UNDEFINED);
      return null;
    })
  ],
  [
    "namespace.has",
    on("namespace", (s, a) => s.map.has(keyOf(str(a[0], "name"))))
  ],
  [
    "namespace.delete",
    on("namespace", (s, a) => {
      const key2 = keyOf(str(a[0], "name"));
      const old = s.map.get(key2);
      if (old === void 0) return false;
      s.map.delete(key2);
      unhold(s, old);
      return true;
    })
  ],
  [
    "namespace.toObject",
    on("namespace", (s) => lend(s, objectOf(s.map, "Cannot copy namespace")))
  ],
  // value
  [
    "value.get",
    on("value", (s) => lend(s, s.value))
  ],
  [
    "value.set",
    on("value", (s, a) => {
      const old = s.value;
      s.value = hold(s, a.length > 0 ? a[0] : UNDEFINED);
      unhold(s, old);
      return null;
    })
  ],
  [
    "value.typecode",
    on("value", (s) => s.typecode)
  ],
  // array: a typed array of its typecode, checked as Array's items are.
  [
    "array.get",
    on("array", (s, a) => arrayTree(s.data[index(s.data, a[0], "get item")]))
  ],
  [
    "array.set",
    on("array", (s, a) => {
      const at = index(s.data, a[0], "set item");
      s.data[at] = arrayItem(s, a[1], "Cannot set item");
      return null;
    })
  ],
  [
    "array.length",
    on("array", (s) => s.data.length)
  ],
  [
    "array.slice",
    on("array", (s, a) => Array.from(s.data.slice(bound(a[0], "start"), bound(a[1], "end")), (v) => arrayTree(v)))
  ],
  [
    "array.toArray",
    on("array", (s) => Array.from(s.data, (v) => arrayTree(v)))
  ],
  [
    "array.typecode",
    on("array", (s) => s.info.code)
  ]
];

// lib/manager/sync.ts
function tryAcquire(kind, s, conn) {
  if (kind === "lock") {
    const l = s;
    if (l.locked) return false;
    l.locked = true;
    l.owner = conn;
    return true;
  }
  const r = s;
  if (r.owner !== null && r.owner !== conn) return false;
  r.owner = conn;
  r.count++;
  return true;
}
__name(tryAcquire, "tryAcquire");
function lockRelease(s) {
  if (!s.locked) {
    throw named("Error", "Cannot release lock: the lock is not held");
  }
  const next = s.waiters[0];
  if (next) {
    s.owner = next.conn;
    next.done(true);
  } else {
    s.locked = false;
    s.owner = null;
  }
}
__name(lockRelease, "lockRelease");
function rlockRelease(s, conn) {
  if (s.owner !== conn || s.count === 0) {
    throw named("Error", "Cannot release rlock: the rlock is not held by this connection");
  }
  if (--s.count > 0) return;
  const next = s.waiters[0];
  if (next) {
    s.owner = next.conn;
    s.count = 1;
    next.done(true);
  } else {
    s.owner = null;
  }
}
__name(rlockRelease, "rlockRelease");
function acquire(kind, s, a, conn, id) {
  if (tryAcquire(kind, s, conn)) return true;
  const timeout = timeoutOf(a[0]);
  if (timeout === 0) return false;
  return park2(conn, id, s.waiters, timeout, () => false);
}
__name(acquire, "acquire");
function release(kind, s, conn) {
  if (kind === "lock") lockRelease(s);
  else rlockRelease(s, conn);
  return null;
}
__name(release, "release");
function lockDisconnect(kind, s, conn) {
  dropWaits(conn, s.waiters);
  if (kind === "lock") {
    const l = s;
    if (l.locked && l.owner === conn) lockRelease(l);
  } else {
    const r = s;
    if (r.owner === conn) {
      r.count = 1;
      rlockRelease(r, conn);
    }
  }
}
__name(lockDisconnect, "lockDisconnect");
kinds.set("lock", {
  create: /* @__PURE__ */ __name(() => ({
    locked: false,
    owner: null,
    waiters: []
  }), "create"),
  disconnect: /* @__PURE__ */ __name((s, conn) => lockDisconnect("lock", s, conn), "disconnect")
});
kinds.set("rlock", {
  create: /* @__PURE__ */ __name(() => ({
    owner: null,
    count: 0,
    waiters: []
  }), "create"),
  disconnect: /* @__PURE__ */ __name((s, conn) => lockDisconnect("rlock", s, conn), "disconnect")
});
function semaphoreRelease(s, n) {
  if (s.bound !== null && s.value + n > s.bound) {
    throw named("RangeError", `Cannot release semaphore: released too many times (value ${s.value} + ${n} would exceed the bound ${s.bound})`);
  }
  s.value += n;
  while (s.value > 0 && s.waiters.length > 0) {
    s.value--;
    s.waiters[0].done(true);
  }
}
__name(semaphoreRelease, "semaphoreRelease");
function semaphoreCreate(bounded) {
  return (args) => {
    const value = args[0] === void 0 ? 1 : int2(args[0], "value");
    if (value < 0) throw new ParamsError("value must be non-negative");
    return {
      value,
      bound: bounded ? value : null,
      waiters: []
    };
  };
}
__name(semaphoreCreate, "semaphoreCreate");
kinds.set("semaphore", {
  create: semaphoreCreate(false),
  disconnect: /* @__PURE__ */ __name((s, conn) => dropWaits(conn, s.waiters), "disconnect")
});
kinds.set("boundedSemaphore", {
  create: semaphoreCreate(true),
  disconnect: /* @__PURE__ */ __name((s, conn) => dropWaits(conn, s.waiters), "disconnect")
});
kinds.set("event", {
  create: /* @__PURE__ */ __name(() => ({
    flag: false,
    waiters: []
  }), "create"),
  disconnect: /* @__PURE__ */ __name((s, conn) => dropWaits(conn, s.waiters), "disconnect")
});
function lockOf(s) {
  const entry = entryOf(s.lock, null);
  return {
    kind: entry.kind,
    state: entry.state
  };
}
__name(lockOf, "lockOf");
function owns(kind, s, conn) {
  return kind === "lock" ? s.locked && s.owner === conn : s.owner === conn;
}
__name(owns, "owns");
function requireOwned(what, s, conn) {
  const lock = lockOf(s);
  if (!owns(lock.kind, lock.state, conn)) {
    throw named("Error", `Cannot ${what}: the condition's lock is not held by this connection`);
  }
  return lock;
}
__name(requireOwned, "requireOwned");
async function conditionWait(s, a, conn, id) {
  const { kind, state } = requireOwned("wait", s, conn);
  const timeout = timeoutOf(a[0]);
  const saved = kind === "lock" ? 1 : state.count;
  if (kind === "rlock") state.count = 1;
  release(kind, state, conn);
  let notified = false;
  let failure = null;
  try {
    notified = timeout === 0 ? false : await park2(conn, id, s.waiters, timeout, () => false);
  } catch (error) {
    failure = error;
  }
  if (!tryAcquire(kind, state, conn)) {
    await park2(conn, null, state.waiters, null, () => true);
  }
  if (kind === "rlock") state.count = saved;
  if (failure !== null) throw failure;
  return notified;
}
__name(conditionWait, "conditionWait");
kinds.set("condition", {
  create(args) {
    let lock;
    if (args[0] === void 0 || args[0] === null) {
      lock = insert({
        kind: "rlock",
        refs: 1,
        state: kinds.get("rlock").create([])
      });
    } else {
      const entry = entryOf(args[0], null);
      if (entry.kind !== "lock" && entry.kind !== "rlock") {
        throw new ParamsError(`lock must be a lock or rlock, not a ${entry.kind}`);
      }
      entry.refs++;
      lock = args[0];
    }
    return {
      lock,
      waiters: []
    };
  },
  held: /* @__PURE__ */ __name((s) => [
    {
      $: "p",
      v: s.lock
    }
  ], "held"),
  disconnect: /* @__PURE__ */ __name((s, conn) => dropWaits(conn, s.waiters), "disconnect")
});
function brokenBarrier() {
  return named("BrokenBarrierError", "The barrier is broken");
}
__name(brokenBarrier, "brokenBarrier");
function breakBarrier(s) {
  s.broken = true;
  for (const w of s.waiters.slice()) w.fail(brokenBarrier());
}
__name(breakBarrier, "breakBarrier");
kinds.set("barrier", {
  create(args) {
    const parties = int2(args[0], "parties");
    if (parties < 1) throw new ParamsError("parties must be at least 1");
    return {
      parties,
      timeout: timeoutOf(args[1]),
      broken: false,
      waiters: []
    };
  },
  disconnect(state, conn) {
    const s = state;
    if (s.waiters.some((w) => w.conn === conn)) {
      dropWaits(conn, s.waiters);
      breakBarrier(s);
    }
  }
});
function queueShift(s) {
  const item = s.items.shift();
  const putter = s.putters[0];
  if (putter) {
    s.items.push(putter.item);
    putter.done(null);
  }
  return item;
}
__name(queueShift, "queueShift");
kinds.set("queue", {
  create(args) {
    const maxsize = args[0] === void 0 ? 0 : int2(args[0], "maxsize");
    return {
      items: [],
      maxsize,
      getters: [],
      putters: [],
      tagged: 0
    };
  },
  held: /* @__PURE__ */ __name((s) => [
    ...s.items,
    ...s.putters.map((p) => p.item)
  ], "held"),
  disconnect(state, conn) {
    const s = state;
    dropWaits(conn, s.getters, s.putters);
  }
});
var SEMAPHORES = [
  "semaphore",
  "boundedSemaphore"
];
function lockMethods(kind) {
  return [
    [
      `${kind}.acquire`,
      on(kind, (s, a, conn, id) => acquire(kind, s, a, conn, id))
    ],
    [
      `${kind}.release`,
      on(kind, (s, _a, c) => release(kind, s, c))
    ],
    [
      `${kind}.locked`,
      on(kind, (s) => kind === "lock" ? s.locked : s.owner !== null)
    ]
  ];
}
__name(lockMethods, "lockMethods");
var SYNC_METHODS = [
  // lock: any holder may release it, as in Python; rlock: owned by a
  // connection (one per thread on the client side).
  ...lockMethods("lock"),
  ...lockMethods("rlock"),
  [
    "semaphore.acquire",
    on(SEMAPHORES, (s, a, conn, id) => {
      if (s.value > 0 && s.waiters.length === 0) {
        s.value--;
        return true;
      }
      const timeout = timeoutOf(a[0]);
      if (timeout === 0) return false;
      return park2(conn, id, s.waiters, timeout, () => false);
    })
  ],
  [
    "semaphore.release",
    on(SEMAPHORES, (s, a) => {
      const n = a[0] === void 0 ? 1 : int2(a[0], "n");
      if (n < 1) throw new ParamsError("n must be at least 1");
      semaphoreRelease(s, n);
      return null;
    })
  ],
  [
    "semaphore.getValue",
    on(SEMAPHORES, (s) => s.value)
  ],
  [
    "event.set",
    on("event", (s) => {
      s.flag = true;
      for (const w of s.waiters.slice()) w.done(true);
      return null;
    })
  ],
  [
    "event.clear",
    on("event", (s) => {
      s.flag = false;
      return null;
    })
  ],
  [
    "event.isSet",
    on("event", (s) => s.flag)
  ],
  [
    "event.wait",
    on("event", (s, a, conn, id) => {
      if (s.flag) return true;
      const timeout = timeoutOf(a[0]);
      if (timeout === 0) return false;
      return park2(conn, id, s.waiters, timeout, () => false);
    })
  ],
  [
    "condition.acquire",
    on("condition", (s, a, conn, id) => {
      const { kind, state } = lockOf(s);
      return acquire(kind, state, a, conn, id);
    })
  ],
  [
    "condition.release",
    on("condition", (s, _a, conn) => {
      const { kind, state } = lockOf(s);
      return release(kind, state, conn);
    })
  ],
  [
    "condition.wait",
    on("condition", conditionWait)
  ],
  [
    "condition.notify",
    on("condition", (s, a, conn) => {
      requireOwned("notify", s, conn);
      const n = a[0] === void 0 ? 1 : int2(a[0], "n");
      if (n < 0) throw new ParamsError("n must be non-negative");
      for (const w of s.waiters.slice(0, n)) w.done(true);
      return null;
    })
  ],
  [
    "condition.notifyAll",
    on("condition", (s, _a, conn) => {
      requireOwned("notify", s, conn);
      for (const w of s.waiters.slice()) w.done(true);
      return null;
    })
  ],
  [
    "barrier.wait",
    on("barrier", (s, a, conn, id) => {
      if (s.broken) throw brokenBarrier();
      const index2 = s.waiters.length;
      if (index2 + 1 === s.parties) {
        for (const w of s.waiters.slice()) w.done(w.index);
        return index2;
      }
      const timeout = a[0] === void 0 ? s.timeout : timeoutOf(a[0]);
      return park2(conn, id, s.waiters, timeout, () => {
        breakBarrier(s);
        throw brokenBarrier();
      }, {
        index: index2
      });
    })
  ],
  [
    "barrier.abort",
    on("barrier", (s) => {
      breakBarrier(s);
      return null;
    })
  ],
  [
    "barrier.reset",
    on("barrier", (s) => {
      if (s.waiters.length > 0) breakBarrier(s);
      s.broken = false;
      return null;
    })
  ],
  [
    "barrier.state",
    on("barrier", (s) => ({
      parties: s.parties,
      nWaiting: s.waiters.length,
      broken: s.broken
    }))
  ],
  [
    "queue.put",
    on("queue", (s, a, conn, id) => {
      const item = hold(s, a[0]);
      if (s.maxsize <= 0 || s.items.length < s.maxsize) {
        const getter = s.getters[0];
        if (getter) getter.done(detach(s, item));
        else s.items.push(item);
        return null;
      }
      const timeout = timeoutOf(a[1]);
      const full = /* @__PURE__ */ __name(() => {
        throw named("QueueFullError", "The queue is full");
      }, "full");
      if (timeout === 0) {
        unhold(s, item);
        return full();
      }
      return park2(conn, id, s.putters, timeout, full, {
        item,
        abandoned: /* @__PURE__ */ __name(() => unhold(s, item), "abandoned")
      });
    })
  ],
  [
    "queue.get",
    on("queue", (s, a, conn, id) => {
      if (s.items.length > 0) return detach(s, queueShift(s));
      const timeout = timeoutOf(a[0]);
      if (timeout === 0) throw named("QueueEmptyError", "The queue is empty");
      return park2(conn, id, s.getters, timeout, () => {
        throw named("QueueEmptyError", "The queue is empty");
      });
    })
  ],
  [
    "queue.qsize",
    on("queue", (s) => s.items.length)
  ],
  [
    "queue.empty",
    on("queue", (s) => s.items.length === 0)
  ],
  [
    "queue.full",
    on("queue", (s) => s.maxsize > 0 && s.items.length >= s.maxsize)
  ]
];

// lib/manager/methods.ts
var names = /* @__PURE__ */ new Map();
var stats = {
  accepted: 0,
  open: 0
};
function describeEntry(id, entry) {
  return entry.typeid === void 0 ? [
    id,
    entry.kind
  ] : [
    id,
    entry.kind,
    entry.typeid,
    entry.exposed
  ];
}
__name(describeEntry, "describeEntry");
var MANAGER_METHODS = [
  [
    "manager.ping",
    () => ({
      pid: Deno.pid,
      ...stats,
      objects: objects.size
    })
  ],
  [
    "manager.register",
    (_c, params) => {
      const name = str(params[0], "name");
      const entry = entryOf(params[1], null);
      entry.refs++;
      const old = names.get(name);
      names.set(name, params[1]);
      if (old !== void 0) decref(old);
      return null;
    }
  ],
  [
    "manager.lookup",
    (_c, params) => {
      const name = str(params[0], "name");
      const id = names.get(name);
      const entry = id === void 0 ? void 0 : objects.get(id);
      if (entry === void 0) {
        throw named("RangeError", `Cannot look up object: no object is registered as ${JSON.stringify(name.slice(0, 100))}`);
      }
      entry.refs++;
      return describeEntry(id, entry);
    }
  ],
  [
    "manager.create",
    (_c, params) => {
      const kind = params[0];
      const spec = typeof kind === "string" ? kinds.get(kind) : void 0;
      if (spec === void 0) {
        throw new ParamsError(`unknown kind ${String(kind).slice(0, 100)}`);
      }
      return insert({
        kind,
        refs: 1,
        state: spec.create(params.slice(1))
      });
    }
  ],
  [
    "manager.createCustom",
    async (_c, params) => {
      const entry = await createCustom(str(params[0], "typeid"), params.slice(1));
      return describeEntry(insert(entry), entry);
    }
  ],
  [
    "manager.incref",
    (_c, params) => {
      entryOf(params[0], null).refs++;
      return null;
    }
  ],
  [
    "manager.release",
    (_c, params) => {
      entryOf(params[0], null);
      decref(params[0]);
      return null;
    }
  ],
  [
    "manager.cancel",
    (conn, params) => {
      const waiter = conn.waiters.get(params[0]);
      if (waiter === void 0) return false;
      waiter.cancel();
      return true;
    }
  ]
];
var METHODS = new Map([
  ...MANAGER_METHODS,
  ...DATA_METHODS,
  ...SYNC_METHODS,
  ...CUSTOM_METHODS
]);

// lib/manager/server.ts
var nextConnId = 1;
var Conn = class {
  static {
    __name(this, "Conn");
  }
  id = nextConnId++;
  waiters = /* @__PURE__ */ new Map();
  /** The largest frame accepted after the handshake. */
  maxFrameBytes = 0;
  #link;
  #reader;
  #writer;
  /** A socket connection's limits; the parent's channel has none. */
  #guard;
  /** Inside the frames of one read: they are checked after it, at once. */
  #reading = false;
  #closed = false;
  #left = false;
  #dropping = false;
  constructor(link, reader, guard) {
    this.#link = link;
    this.#reader = reader;
    this.#guard = guard;
    this.#writer = new FrameWriter(
      link,
      () => this.close(),
      true,
      // hears of it now, not at the next read (which may never come).
      guard === void 0 ? void 0 : () => this.#account()
    );
  }
  get closed() {
    return this.#closed;
  }
  send(message) {
    if (this.#closed || this.#dropping) return;
    this.#writer.sendText(JSON.stringify(message));
    if (this.#guard !== void 0 && !this.#reading) this.#account();
  }
  close() {
    if (this.#closed) return;
    this.#closed = true;
    try {
      this.#link.close();
    } catch {
    }
    this.#leave();
  }
  /**
   * Gives back what the connection holds and leaves its waits, kind by
   * kind (a barrier it waited at breaks), then drops any parked call left
   * (idempotent).
   */
  #leave() {
    if (this.#left) return;
    this.#left = true;
    for (const entry of objects.values()) {
      kinds.get(entry.kind)?.disconnect?.(entry.state, this);
    }
    for (const waiter of [
      ...this.waiters.values()
    ]) waiter.drop();
  }
  /**
   * Accounts for what the connection holds now, and drops it when that is
   * over a limit: after an answer queued outside a read (an async method,
   * a parked call), and whenever queued answers go into a write.
   */
  #account() {
    if (this.#closed || this.#dropping) return;
    const why = this.#guard.account(this.#reader.buffered, this.#writer.backlog);
    if (why !== null) {
      void this.drop(LIMIT_EXCEEDED, `Connection dropped: ${why}`);
    }
  }
  /**
   * Reads frames until end of stream; returns when the connection ends.
   * With a guard, a connection over its limits is dropped (told why).
   */
  async serve(onFrame) {
    const buf = new Uint8Array(64 * 1024);
    const guard = this.#guard;
    try {
      let first = true;
      while (!this.#closed && !this.#dropping) {
        if (!first) {
          const n = await this.#link.read(buf);
          if (n === null) break;
          this.#reader.push(buf.subarray(0, n));
        }
        first = false;
        this.#reading = true;
        for (; ; ) {
          let frame;
          try {
            frame = this.#reader.next();
          } catch (error) {
            this.#reading = false;
            await this.drop(FRAME_TOO_LARGE, error instanceof FrameTooLargeError ? error.message : String(error));
            return;
          }
          if (frame === null) break;
          onFrame(frame);
          if (this.#closed || this.#dropping) break;
        }
        this.#reading = false;
        this.#writer.flush();
        if (guard !== void 0 && !this.#dropping) {
          const why = guard.check(this.#reader.buffered, this.#writer.backlog);
          if (why !== null) {
            await this.drop(LIMIT_EXCEEDED, `Connection dropped: ${why}`);
            return;
          }
        }
      }
    } catch {
    }
    this.#reading = false;
    if (!this.#dropping) this.close();
  }
  /**
   * Tells the client why (`id: null`), gives the message a moment to go
   * out, and closes the connection. From the start nothing more is served
   * to it: its parked calls are dropped at once, so that no item goes to a
   * connection on its way out.
   */
  async drop(code, message) {
    if (this.#closed || this.#dropping) return;
    this.#dropping = true;
    this.#guard?.release();
    this.#leave();
    this.#writer.sendText(JSON.stringify({
      jsonrpc: "2.0",
      id: null,
      error: {
        code,
        message
      }
    }));
    let timer;
    await Promise.race([
      this.#writer.drained().catch(() => {
      }),
      new Promise((r) => timer = setTimeout(r, 100))
    ]);
    clearTimeout(timer);
    this.close();
  }
  /** Handles one request frame; never throws. */
  handle(frame) {
    let message;
    try {
      message = JSON.parse(readUtf8(frame, true));
    } catch {
      this.#fail(null, PARSE_ERROR, "Parse error: invalid UTF-8 or JSON");
      return;
    }
    if (typeof message !== "object" || message === null) {
      this.#fail(null, INVALID_REQUEST, "Invalid request: not an object");
      return;
    }
    if (Array.isArray(message)) {
      this.#fail(null, INVALID_REQUEST, "Invalid request: batches are not supported");
      return;
    }
    const req = message;
    const hasId = Object.hasOwn(req, "id");
    const id = req.id;
    if (hasId && id !== null && typeof id !== "string" && !(typeof id === "number" && Number.isFinite(id))) {
      this.#fail(null, INVALID_REQUEST, "Invalid request: bad id");
      return;
    }
    const rid = hasId ? id : void 0;
    const replyId = rid ?? null;
    if (req.jsonrpc !== "2.0" || typeof req.method !== "string") {
      this.#fail(replyId, INVALID_REQUEST, 'Invalid request: jsonrpc must be "2.0" and method a string');
      return;
    }
    const params = req.params ?? [];
    if (!Array.isArray(params)) {
      this.#fail(replyId, INVALID_PARAMS, "Invalid params: params must be an array");
      return;
    }
    const method = METHODS.get(req.method);
    if (method === void 0) {
      if (rid !== void 0) {
        this.#fail(rid, METHOD_NOT_FOUND, `Method not found: ${req.method.slice(0, 100)}`);
      }
      return;
    }
    let result;
    try {
      result = method(this, params, rid);
    } catch (error) {
      if (rid !== void 0) this.#error(rid, error);
      return;
    }
    if (result instanceof Promise) {
      result.then((value) => {
        if (rid !== void 0) this.#ok(rid, value);
      }, (error) => {
        if (rid !== void 0) this.#error(rid, error);
      });
    } else if (rid !== void 0) {
      this.#ok(rid, result);
    }
  }
  #ok(id, result) {
    if (this.#closed || this.#dropping) return;
    let text;
    try {
      text = `{"jsonrpc":"2.0","id":${JSON.stringify(id)},"result":${JSON.stringify(result)}}`;
    } catch (error) {
      this.#error(id, error);
      return;
    }
    this.#writer.sendText(text);
    if (this.#guard !== void 0 && !this.#reading) this.#account();
  }
  #error(id, error) {
    if (error instanceof ParamsError) {
      this.#fail(id, INVALID_PARAMS, `Invalid params: ${error.message}`);
    } else if (error instanceof UnknownObjectError) {
      this.#fail(id, UNKNOWN_OBJECT, error.message);
    } else if (error instanceof CancelledWait) {
      this.#fail(id, CANCELLED, error.message);
    } else if (error instanceof NotExposedError) {
      this.#fail(id, METHOD_NOT_FOUND, error.message);
    } else if (error instanceof UserError) {
      const thrown = error.thrown;
      const data = {
        name: thrown instanceof Error ? thrown.name : "Error"
      };
      if (thrown instanceof Error && thrown.stack !== void 0) {
        data.stack = thrown.stack;
      }
      this.#fail(id, USER_ERROR, error.message, data);
    } else if (error instanceof Error) {
      const internal = error instanceof RangeError && /call stack/i.test(error.message);
      this.#fail(id, internal ? INTERNAL_ERROR : METHOD_ERROR, error.message, {
        name: error.name
      });
    } else {
      this.#fail(id, INTERNAL_ERROR, "Internal error");
    }
  }
  #fail(id, code, message, data) {
    const error = data ? {
      code,
      message,
      data
    } : {
      code,
      message
    };
    this.send({
      jsonrpc: "2.0",
      id,
      error
    });
  }
};
async function serveSocket(socket, key2, config2, budget) {
  noDelay(socket);
  const link = connLink(socket);
  const reader = new FrameReader(HANDSHAKE_MAX_FRAME_BYTES);
  const guard = new Guard2(config2, budget, (why) => void conn.drop(LIMIT_EXCEEDED, `Connection dropped: ${why}`));
  const conn = new Conn(link, reader, guard);
  const { maxFrameBytes } = config2;
  conn.maxFrameBytes = maxFrameBytes;
  const passed = await serveHandshake(linkChannel(link, reader), {
    key: key2,
    protocol: PROTOCOL2,
    extra: {
      maxFrameBytes
    }
  });
  if (!passed) {
    guard.release();
    conn.close();
    return;
  }
  reader.limit = maxFrameBytes;
  stats.accepted++;
  stats.open++;
  await conn.serve((frame) => conn.handle(frame));
  guard.release();
  stats.open--;
}
__name(serveSocket, "serveSocket");
async function runManagerServer() {
  globalThis.addEventListener("unhandledrejection", (e) => e.preventDefault());
  globalThis.addEventListener("error", (e) => e.preventDefault());
  const stdio = {
    read: /* @__PURE__ */ __name((p) => Deno.stdin.read(p), "read"),
    write: /* @__PURE__ */ __name((p) => Deno.stdout.write(p), "write"),
    close: /* @__PURE__ */ __name(() => {
    }, "close")
  };
  const reader = new FrameReader(64 * 1024);
  const buf = new Uint8Array(64 * 1024);
  let first = null;
  while (first === null) {
    const n = await Deno.stdin.read(buf);
    if (n === null) Deno.exit(0);
    reader.push(buf.subarray(0, n));
    first = reader.next();
  }
  const config2 = JSON.parse(readUtf8(first, true));
  const key2 = await importHmacKey(fromBase64(config2.authkey));
  await loadTypes(config2.types);
  let listener;
  let address;
  let dir = null;
  let socketFile = null;
  if ("path" in config2.address) {
    if (config2.address.dir !== "") {
      dir = config2.address.dir;
      await Deno.mkdir(dir, {
        mode: 448
      });
      await Deno.chmod(dir, 448);
    } else {
      socketFile = config2.address.path;
    }
    listener = listenOn({
      path: config2.address.path
    });
    await Deno.chmod(config2.address.path, 384);
    address = config2.address.path;
  } else {
    listener = listenOn(config2.address);
    const bound2 = listener.addr;
    address = {
      hostname: bound2.hostname,
      port: bound2.port
    };
  }
  const socketDir = dir;
  const exit2 = /* @__PURE__ */ __name(() => {
    try {
      listener.close();
    } catch {
    }
    for (const path of [
      socketDir,
      socketFile
    ]) {
      if (path === null) continue;
      try {
        Deno.removeSync(path, {
          recursive: true
        });
      } catch {
      }
    }
    Deno.exit(0);
  }, "exit");
  const parent = new Conn(stdio, reader);
  reader.limit = Math.max(config2.maxFrameBytes, 64 * 1024);
  const ready2 = {
    ready: true,
    address,
    pid: Deno.pid
  };
  parent.send(ready2);
  const budget = new Budget(config2.maxTotalBufferedBytes);
  (async () => {
    try {
      for await (const socket of listener) {
        void serveSocket(socket, key2, config2, budget);
      }
    } catch {
    }
  })();
  await parent.serve((frame) => parent.handle(frame));
  exit2();
}
__name(runManagerServer, "runManagerServer");

// lib/pool/child.ts
var PROGRESS_MS = 5;
var QUICK_MS = 1;
var MAX_STRIDE = 64;
var fns = /* @__PURE__ */ new Map();
var loadErrors = /* @__PURE__ */ new Map();
var queue = [];
var port;
var draining = false;
var dead = false;
var ready = null;
var current = null;
var currentChunk = -1;
var out = [];
var errors = null;
var lastPost = 0;
var lastCheck = 0;
var stride = 1;
var countdown = 1;
function runPoolChild(childPort) {
  port = childPort;
  const crash = /* @__PURE__ */ __name((code, error) => {
    if (dead) return;
    dead = true;
    const message = {
      t: "crash",
      code,
      error: error === void 0 ? null : serializeError(error),
      id: current === null ? -1 : current.id,
      k: currentChunk,
      r: out,
      e: errors
    };
    try {
      port.post(message);
    } catch {
      port.post({
        ...message,
        r: [],
        e: null,
        k: 0
      });
    }
    port.exit(code);
  }, "crash");
  Deno.exit = (code) => {
    crash(code ?? 0);
    throw new ExitSignal(code ?? 0);
  };
  const global = globalThis;
  if (typeof global.close === "function") global.close = () => crash(0);
  globalThis.addEventListener("error", (event) => {
    event.preventDefault();
    if (event.error instanceof ExitSignal) return;
    crash(1, event.error ?? new Error(event.message));
  });
  globalThis.addEventListener("unhandledrejection", (event) => {
    event.preventDefault();
    if (event.reason instanceof ExitSignal) return;
    crash(1, event.reason);
  });
  post({
    t: "ready"
  });
  return (message) => {
    if (message.t === "run") {
      queue.push(message);
      if (!draining) void drain();
    } else if (message.t === "init") {
      ready = init(message);
    }
  };
}
__name(runPoolChild, "runPoolChild");
async function init(message) {
  if (message.preload !== null) {
    setBootstrapping(true);
    try {
      await import(message.preload);
    } catch {
    } finally {
      setBootstrapping(false);
    }
  }
  port.loaded?.();
  if (message.initializer === null) return;
  try {
    const fn = await loadTarget("Cannot run initializer", message.initializer);
    const args = await decodeShared(message.initargs, message.shared);
    await fn(...args);
  } catch (error) {
    if (error instanceof ExitSignal || dead) throw error;
    post({
      t: "initfail",
      error: serializeError(error)
    });
    dead = true;
    throw error;
  }
}
__name(init, "init");
async function drain() {
  draining = true;
  try {
    if (ready !== null) await ready;
    while (queue.length > 0 && !dead) {
      const batch = queue.shift();
      if (batch.defs !== null) await loadDefs(batch.defs);
      await runBatch(batch);
    }
  } catch {
  } finally {
    draining = false;
  }
}
__name(drain, "drain");
async function loadDefs(defs) {
  for (const [id, ref] of defs) {
    if (fns.has(id) || loadErrors.has(id)) continue;
    try {
      fns.set(id, await loadTarget("Cannot run task", ref));
    } catch (error) {
      loadErrors.set(id, error);
    }
  }
}
__name(loadDefs, "loadDefs");
async function runBatch(batch) {
  current = batch;
  out = [];
  errors = null;
  const c = batch.c;
  const began = performance.now();
  if (batch.timed) post({
    t: "start",
    id: batch.id
  });
  let k = 0;
  let from = 0;
  for (let t = 0; t < c.length; t += 3) {
    const fnId = c[t];
    const flags = c[t + 1];
    let items = c[t + 2];
    const fn = fns.get(fnId);
    if (flags & FLAG_EACH) {
      let failure = fn === void 0 ? {
        error: loadErrors.get(fnId)
      } : null;
      if (failure === null && flags & FLAG_SHARED) {
        try {
          items = await decodeShared(items, true);
        } catch (error) {
          if (error instanceof ExitSignal || dead) return;
          failure = {
            error
          };
        }
      }
      const star = (flags & FLAG_STAR) !== 0;
      for (let i = 0; i < items.length; i++, k++) {
        if (--countdown === 0 && (from = progress(batch, k, from)) < 0) return;
        currentChunk = k;
        try {
          if (failure !== null) throw failure.error;
          let value = star ? fn(...items[i]) : fn(items[i]);
          if (value instanceof Promise) value = await value;
          out.push(value);
        } catch (error) {
          if (error instanceof ExitSignal || dead) return;
          (errors ??= []).push([
            k,
            serializeError(error)
          ]);
        }
      }
      continue;
    }
    if (--countdown === 0 && (from = progress(batch, k, from)) < 0) return;
    currentChunk = k;
    const start = out.length;
    try {
      if (fn === void 0) throw loadErrors.get(fnId);
      if (flags & FLAG_SHARED) {
        items = await decodeShared(items, true);
      }
      if (flags & FLAG_STAR) {
        for (let i = 0; i < items.length; i++) {
          let value = fn(...items[i]);
          if (value instanceof Promise) value = await value;
          out.push(value);
        }
      } else {
        for (let i = 0; i < items.length; i++) {
          let value = fn(items[i]);
          if (value instanceof Promise) value = await value;
          out.push(value);
        }
      }
    } catch (error) {
      if (error instanceof ExitSignal || dead) return;
      out.length = start;
      (errors ??= []).push([
        k,
        serializeError(error)
      ]);
    }
    k++;
  }
  const ms = performance.now() - began;
  flush({
    t: "done",
    id: batch.id,
    ms,
    r: out,
    e: errors
  }, from);
  currentChunk = -1;
  current = null;
  out = [];
  errors = null;
}
__name(runBatch, "runBatch");
function progress(batch, k, from) {
  const now = performance.now();
  if (now - lastPost >= PROGRESS_MS) {
    if (!flush({
      t: "part",
      id: batch.id,
      k,
      r: out,
      e: errors
    }, from)) {
      return -1;
    }
    from = k;
    out = [];
    errors = null;
    stride = 1;
  } else {
    stride = now - lastCheck < QUICK_MS ? Math.min(stride * 2, MAX_STRIDE) : 1;
  }
  lastCheck = now;
  countdown = stride;
  return from;
}
__name(progress, "progress");
function flush(message, from) {
  try {
    post(message);
  } catch (error) {
    post(unsendable(message, from, error));
  }
  return !dead;
}
__name(flush, "flush");
function unsendable(message, from, cause) {
  const batch = current;
  const failed = new Set((message.e ?? []).map(([k]) => k));
  const r = [];
  const e = [
    ...message.e ?? []
  ];
  let offset = 0;
  const counts = chunkSizes(batch.c);
  const to = message.t === "part" ? message.k : counts.length;
  for (let k = from; k < to; k++) {
    if (failed.has(k)) continue;
    const count = counts[k];
    const values = message.r.slice(offset, offset + count);
    offset += count;
    if (port.sendable(values)) {
      r.push(...values);
      continue;
    }
    e.push([
      k,
      serializeError(new TypeError(`Cannot return result: a task's result cannot be sent from a worker: ${cause instanceof Error ? cause.message : String(cause)}`))
    ]);
  }
  e.sort((a, b) => a[0] - b[0]);
  return {
    ...message,
    r,
    e
  };
}
__name(unsendable, "unsendable");
function chunkSizes(c) {
  const sizes = [];
  for (let t = 0; t < c.length; t += 3) {
    const items = c[t + 2];
    if (c[t + 1] & FLAG_EACH) {
      for (let i = 0; i < items.length; i++) sizes.push(1);
    } else sizes.push(items.length);
  }
  return sizes;
}
__name(chunkSizes, "chunkSizes");
function post(message) {
  port.post(message);
  lastPost = performance.now();
}
__name(post, "post");

// lib/pool/port_thread.ts
function runThreadPoolChild() {
  const realClose = self.close.bind(self);
  let status = null;
  let pid = 0;
  let loaded2 = null;
  const deliver = runPoolChild({
    post: /* @__PURE__ */ __name((message) => self.postMessage(message), "post"),
    sendable(values) {
      try {
        structuredClone(values);
        return true;
      } catch {
        return false;
      }
    },
    exit(code) {
      if (status !== null) endProcess(status, pid, code);
      realClose();
    },
    loaded() {
      if (loaded2 === null) return;
      Atomics.add(loaded2, 0, 1);
      Atomics.notify(loaded2, 0);
    }
  });
  self.onmessage = (event) => {
    const message = event.data;
    if (message.t === "init" && message.context !== null) {
      installWorkerContext(message.context);
      status = new Int32Array(message.context.status);
      pid = message.context.self.pid;
      if (message.loaded !== null) loaded2 = new Int32Array(message.loaded);
    }
    deliver(message);
  };
}
__name(runThreadPoolChild, "runThreadPoolChild");

// lib/process/broker.ts
function runBroker() {
  keepReaper();
  const children2 = /* @__PURE__ */ new Map();
  const post2 = /* @__PURE__ */ __name((event) => self.postMessage(event), "post");
  self.onmessage = (event) => {
    const request = event.data;
    if (request.t === "kill") {
      children2.get(request.id)?.link.kill(request.signal);
      return;
    }
    const { id } = request;
    const status = new Int32Array(request.status);
    let link;
    try {
      link = new ChildLink(request.command, {
        message(message) {
          const child = children2.get(id);
          if (child === void 0) return;
          const m = message;
          if (m.type === "started") {
            child.started = true;
            post2({
              t: "started",
              id
            });
          } else if (m.type === "failed") {
            child.error = m.error;
            post2({
              t: "failed",
              id,
              error: m.error
            });
          } else if (m.type === "exit") {
            child.error = m.error;
          }
        },
        exit(code, tail) {
          const child = children2.get(id);
          children2.delete(id);
          let error = child?.error ?? null;
          if (error === null && child !== void 0 && !child.started) {
            error = serializeError(new Error(`Cannot start process: the child exited with code ${code}${tail.trim() ? `: ${tail.trim().slice(-2048)}` : ""}`));
          }
          endProcess(status, 0, code, error ?? void 0);
          post2({
            t: "exited",
            id
          });
        }
      });
    } catch (error) {
      endProcess(status, 0, 1, serializeError(error));
      post2({
        t: "failed",
        id,
        error: serializeError(error)
      });
      post2({
        t: "exited",
        id
      });
      return;
    }
    children2.set(id, {
      link,
      status,
      started: false,
      error: null
    });
    Atomics.store(status, PROC_OS_PID, link.pid);
    Atomics.notify(status, PROC_OS_PID);
    link.sendEncoded(request.frame);
  };
}
__name(runBroker, "runBroker");

// lib/process/child.ts
async function runProcess(message, name, port2) {
  let closed = false;
  const finish3 = /* @__PURE__ */ __name((code, error) => {
    if (closed) return;
    closed = true;
    setFinishHook(null);
    runFinishListeners();
    const serialized = error === void 0 ? void 0 : serializeError(error);
    if (port2.end(code, serialized) && serialized) {
      writeStderr(`Process ${name}:
${serialized.stack ?? serialized.message}
`);
    }
    port2.post({
      type: "exit",
      code,
      error: serialized ?? null
    });
    port2.close(code);
  }, "finish");
  setFinishHook(finish3);
  Deno.exit = (code) => {
    finish3(code ?? 0);
    throw new ExitSignal(code ?? 0);
  };
  const global = globalThis;
  if (typeof global.close === "function") global.close = () => finish3(0);
  globalThis.addEventListener("error", (event) => {
    event.preventDefault();
    if (event.error instanceof ExitSignal) return;
    finish3(1, event.error ?? new Error(event.message));
  });
  globalThis.addEventListener("unhandledrejection", (event) => {
    event.preventDefault();
    if (event.reason instanceof ExitSignal) return;
    finish3(1, event.reason);
  });
  let target;
  let args;
  try {
    setBootstrapping(true);
    try {
      target = await loadTarget("Cannot start process", message.target);
    } finally {
      setBootstrapping(false);
    }
    args = await decodeShared(message.args, message.shared);
  } catch (error) {
    const serialized = serializeError(error);
    closed = true;
    port2.end(1, serialized);
    port2.post({
      type: "failed",
      error: serialized
    });
    port2.post({
      type: "exit",
      code: 1,
      error: serialized
    });
    port2.close(1);
    return;
  }
  port2.post({
    type: "started"
  });
  try {
    await target(...args);
    finish3(0);
  } catch (error) {
    if (error instanceof ExitSignal) finish3(error.code);
    else finish3(1, error);
  }
}
__name(runProcess, "runProcess");
function writeStderr(text) {
  try {
    Deno.stderr.writeSync(new TextEncoder().encode(text));
  } catch {
  }
}
__name(writeStderr, "writeStderr");

// lib/process/port_thread.ts
function runThreadProcessChild() {
  self.onmessage = (event) => {
    self.onmessage = null;
    const message = event.data;
    const context = message.context;
    installWorkerContext(context);
    const status = new Int32Array(context.status);
    const { name, pid } = context.self;
    if (self.name !== name) {
      Object.defineProperty(self, "name", {
        value: name,
        configurable: true,
        enumerable: true
      });
    }
    const realClose = self.close.bind(self);
    void runProcess(message, name, {
      post: /* @__PURE__ */ __name((m) => self.postMessage(m), "post"),
      end: /* @__PURE__ */ __name((code, error) => endProcess(status, pid, code, error), "end"),
      close: /* @__PURE__ */ __name(() => realClose(), "close")
    });
  };
}
__name(runThreadProcessChild, "runThreadProcessChild");

// lib/spawn/child.ts
var boot = null;
var realExit = Deno.exit;
function bootSpawnChild() {
  boot = JSON.parse(Deno.args[0]);
  Object.defineProperty(Deno, "args", {
    value: Object.freeze(Deno.args.slice(1)),
    configurable: true,
    enumerable: true
  });
  installChildContext({
    name: boot.name,
    pid: Deno.pid
  }, boot.parent, boot);
  setInheritedConfig(boot.config);
  realExit = Deno.exit;
  setBootstrapping(true);
}
__name(bootSpawnChild, "bootSpawnChild");
function startSpawnChild() {
  setBootstrapping(false);
  const role = boot.role;
  let deliver;
  if (role === "pool") {
    deliver = runPoolChild({
      post: /* @__PURE__ */ __name((message) => send(message), "post"),
      sendable: /* @__PURE__ */ __name((values) => encodable(values), "sendable"),
      exit: /* @__PURE__ */ __name((code) => realExit(code), "exit")
    });
  } else {
    let started = false;
    deliver = /* @__PURE__ */ __name((message) => {
      if (started) return;
      started = true;
      void runProcess(message, boot.name, {
        post: /* @__PURE__ */ __name((m) => send(m), "post"),
        // The parent learns the end from the exit message and the OS.
        end: /* @__PURE__ */ __name(() => true, "end"),
        close: /* @__PURE__ */ __name((code) => realExit(code), "close")
      });
    }, "deliver");
  }
  void readMessages(deliver);
}
__name(startSpawnChild, "startSpawnChild");
function send(message) {
  try {
    writeMessage(message, "Cannot send to the parent");
  } catch (error) {
    if (error instanceof TypeError) throw error;
    realExit(1);
  }
}
__name(send, "send");
function encodable(values) {
  try {
    encodeScratch(values, "Cannot send result");
    return true;
  } catch {
    return false;
  }
}
__name(encodable, "encodable");
async function readMessages(deliver) {
  const frames = new FrameReader(4294967295);
  await readStdin((bytes) => {
    frames.push(bytes);
    let frame;
    while ((frame = frames.next()) !== null) {
      deliver(decode(frame));
    }
  });
  realExit(0);
}
__name(readMessages, "readMessages");
export {
  CLIENT_PROOF as $0_0,
  importHmacKey as $0_1,
  RING_LOCK_OWNER as $0_10,
  RING_PLOCK as $0_11,
  RING_STREAM_READER_TOKEN as $0_12,
  partsOf as $0_13,
  INVALID_PARAMS as $0_14,
  INVALID_REQUEST as $0_15,
  LIMIT_EXCEEDED as $0_16,
  METHOD_NOT_FOUND as $0_17,
  PARSE_ERROR as $0_18,
  PROTOCOL2 as $0_19,
  prove as $0_2,
  UNKNOWN_OBJECT as $0_20,
  USER_ERROR as $0_21,
  refOf as $0_22,
  encodeFrame as $0_23,
  FrameReader as $0_24,
  fromBase64 as $0_25,
  toBase64 as $0_26,
  answerHandshake as $0_27,
  arenaStats as $0_28,
  LOCK_HEIR as $0_29,
  assertLive as $0_3,
  LOCK_OWNER as $0_30,
  LOCK_STATE as $0_31,
  LOCK_WAITERS as $0_32,
  rememberActionModule as $0_33,
  runManagerServer as $0_34,
  runThreadPoolChild as $0_35,
  runBroker as $0_36,
  runThreadProcessChild as $0_37,
  bootSpawnChild as $0_38,
  startSpawnChild as $0_39,
  isPidAlive as $0_4,
  runReaper as $0_40,
  keyBytes as $0_41,
  targetModule as $0_42,
  describe as $0_43,
  ProcessPoolExecutor as $0_44,
  Pool as $0_45,
  TRANSPORT as $0_46,
  cpuCount as $0_47,
  signSync as $0_48,
  verifySync as $0_49,
  SHARE as $0_5,
  serializeError as $0_50,
  entryUrl as $0_51,
  CancelledError as $0_52,
  WorkerCrashedError as $0_53,
  ChunkState as $0_54,
  FLAG_STAR as $0_55,
  buildCore as $0_56,
  RemoteError as $0_57,
  park as $0_6,
  decode as $0_7,
  encode as $0_8,
  encodeScratch as $0_9,
  ALL_COMPLETED,
  SharedArray as Array,
  ArrayProxy,
  AsyncResult,
  AuthenticationError,
  AutoProxy,
  Barrier,
  BarrierProxy,
  BaseProxy,
  BoundedSemaphore,
  BoundedSemaphoreProxy,
  BrokenBarrierError,
  CancelledError,
  Client,
  Condition,
  ConditionProxy,
  Connection,
  DictProxy,
  EOFError,
  Event,
  EventProxy,
  FIRST_COMPLETED,
  FIRST_EXCEPTION,
  Future,
  JoinableQueue,
  ListProxy,
  Listener,
  Lock,
  LockProxy,
  Manager,
  ManagerError,
  NamespaceProxy,
  Pipe,
  Pool,
  Process,
  ProcessEndedError,
  ProcessPoolExecutor,
  Queue,
  QueueClosedError,
  QueueEmptyError,
  QueueFullError,
  QueueProxy,
  RLock,
  RLockProxy,
  RawArray,
  RawValue,
  RemoteError,
  Semaphore,
  SemaphoreProxy,
  ShareableList,
  SharedArray,
  SharedMemory,
  SimpleQueue,
  SocketConnection,
  TimeoutError,
  Value,
  ValueProxy,
  WorkerCrashedError,
  activeChildren,
  asCompleted,
  connection_exports as connection,
  cpuCount,
  currentProcess,
  exit,
  getAllStartMethods,
  getContext,
  getStartMethod,
  parentProcess,
  setStartMethod,
  wait
};
//# sourceMappingURL=toolkit.js.map
