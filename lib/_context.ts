// Copyright 2026 the denomp authors. MIT license.
// Who "we" are on this thread: the process table shared by every Process of
// the program, this thread's own name and pid, its parent, and whether this
// thread has been terminated (a stale thread that Deno could not stop).
// Private.

import { ProcessEndedError } from "./errors.ts";
import { ARENA_MAX_BYTES } from "./shm/layout.ts";
import {
  chosenStartMethod,
  inheritStartMethod,
  type StartMethod,
} from "./_start_method.ts";
import {
  PROC_STATE,
  PROC_STATE_ENDED,
  TABLE_DEATHS,
  TABLE_HEADER,
  TABLE_INTS,
  TABLE_NEXT_PID,
  TABLE_SLOT_ALIVE,
  TABLE_SLOT_ENDED,
  TABLE_SLOT_FREE,
  TABLE_SLOT_INTS,
  TABLE_SLOT_PID,
  TABLE_SLOT_RESERVED,
  TABLE_SLOT_STATE,
  TABLE_SLOTS,
} from "./_layout.ts";

/** A process's public identity. */
export interface ProcessIdentity {
  name: string;
  pid: number;
}

/** What every child (thread or subprocess) is told about its program. */
export interface ProgramInit {
  /** The program's main module: where targets are looked up by default. */
  main: string;
  /** The start method the program chose, if any. */
  startMethod: StartMethod | null;
}

/** What a worker is told about itself when it starts. */
export interface WorkerContextInit extends ProgramInit {
  table: SharedArrayBuffer;
  self: ProcessIdentity;
  parent: ProcessIdentity;
  status: SharedArrayBuffer;
}

/**
 * True on a thread started by the toolkit (a Process or a pool worker), and
 * on the main thread of a spawned child process.
 */
export let isWorkerThread = false;
/** The program's main module, as the parent told it (see `programMain`). */
let programMainModule: string | null = null;

let table: Int32Array | null = null;
const MAIN_PID = mainPid();
let selfIdentity: ProcessIdentity = { name: "MainProcess", pid: MAIN_PID };
let parentIdentity: ProcessIdentity | null = null;
let ownStatus: Int32Array | null = null;

function mainPid(): number {
  try {
    return Deno.pid;
  } catch {
    return 1;
  }
}

/**
 * The process table, created on first use by the main thread. Its buffer is
 * growable: the shared-memory arena (lib/shm/arena.ts) follows the table in
 * the same buffer, so every worker, which is handed the table when it
 * starts, can reach every SharedMemory block by name, synchronously.
 */
export function processTable(): Int32Array {
  if (table === null) {
    table = new Int32Array(
      // Only the table at first: V8 commits (and zeroes) a growable
      // buffer's initial bytes at once, but not what it grows by later.
      new SharedArrayBuffer(TABLE_INTS * 4, { maxByteLength: ARENA_MAX_BYTES }),
      0,
      TABLE_INTS,
    );
    // Child pids follow the program's own OS pid, so that no child shares
    // the main process's pid.
    Atomics.store(table, TABLE_NEXT_PID, selfIdentity.pid + 1);
  }
  return table;
}

/** Installs what a worker was told about itself. Called once per worker. */
export function installWorkerContext(init: WorkerContextInit): void {
  installChildContext(init.self, init.parent, init);
  // A fixed-length view: the buffer grows with the arena behind the table.
  table = new Int32Array(init.table, 0, TABLE_INTS);
  ownStatus = new Int32Array(init.status);
}

/**
 * Installs who this child is: a worker thread, or the main thread of a
 * spawned subprocess (which has its own process table and no status word).
 */
export function installChildContext(
  self: ProcessIdentity,
  parent: ProcessIdentity,
  program: ProgramInit,
): void {
  isWorkerThread = true;
  selfIdentity = self;
  parentIdentity = parent;
  programMainModule = program.main;
  inheritStartMethod(program.startMethod);
}

/**
 * The program's main module: `Deno.mainModule` on the main thread, and the
 * parent's inside a Process or pool worker (where Deno's own is not the
 * program's), as Python's spawn re-imports the parent's `__main__`.
 */
export function programMain(): string {
  return programMainModule ?? Deno.mainModule;
}

/** What a child is told about the program (see {@linkcode ProgramInit}). */
export function programInit(): ProgramInit {
  return { main: programMain(), startMethod: chosenStartMethod() };
}

/** This thread's name and pid. */
export function selfProcess(): ProcessIdentity {
  return selfIdentity;
}

/** The parent's name and pid, or `null` on the main thread. */
export function parentOfSelf(): ProcessIdentity | null {
  return parentIdentity;
}

/**
 * Takes a fresh pid and marks it alive. Slots of the table are reused round
 * robin, skipping any whose process is still alive, so that a long-lived
 * process never loses its slot to a newer one.
 */
export function allocatePid(): number {
  const t = processTable();
  for (let tries = 0; tries < TABLE_SLOTS * 2; tries++) {
    const pid = Atomics.add(t, TABLE_NEXT_PID, 1);
    const base = slotBase(pid);
    const state = Atomics.load(t, base + TABLE_SLOT_STATE);
    if (state !== TABLE_SLOT_FREE && state !== TABLE_SLOT_ENDED) continue;
    // Reserve first so that a reader never sees a new pid marked with the
    // previous owner's state.
    if (
      Atomics.compareExchange(
        t,
        base + TABLE_SLOT_STATE,
        state,
        TABLE_SLOT_RESERVED,
      ) !== state
    ) continue;
    Atomics.store(t, base + TABLE_SLOT_PID, pid);
    Atomics.store(t, base + TABLE_SLOT_STATE, TABLE_SLOT_ALIVE);
    return pid;
  }
  throw new RangeError(
    `Cannot start process: more than ${TABLE_SLOTS} processes are alive`,
  );
}

/**
 * Marks a pid as ended in the process table (idempotent). Pid 0 is not in
 * the table (a spawned Process, whose OS pid the table does not hold).
 */
export function markPidEnded(pid: number): void {
  if (pid <= 0) return;
  const t = processTable();
  const base = slotBase(pid);
  if (Atomics.load(t, base + TABLE_SLOT_PID) !== pid) return;
  if (
    Atomics.compareExchange(
      t,
      base + TABLE_SLOT_STATE,
      TABLE_SLOT_ALIVE,
      TABLE_SLOT_ENDED,
    ) === TABLE_SLOT_ALIVE
  ) {
    // After the state: a handle holder that sees the new count and then
    // scans finds this pid dead.
    Atomics.add(t, TABLE_DEATHS, 1);
  }
}

/**
 * Whether the process with this pid is alive. The main process is alive for
 * as long as anything can ask. Used by robust locks to find abandoned owners.
 */
export function isPidAlive(pid: number): boolean {
  if (pid === mainProcessPid()) return true;
  const t = processTable();
  const base = slotBase(pid);
  const state = Atomics.load(t, base + TABLE_SLOT_STATE);
  if (state === TABLE_SLOT_RESERVED) return true;
  return state === TABLE_SLOT_ALIVE &&
    Atomics.load(t, base + TABLE_SLOT_PID) === pid;
}

/** The pid of the program's main thread (the OS pid all threads share). */
export function mainProcessPid(): number {
  return MAIN_PID;
}

function slotBase(pid: number): number {
  return TABLE_HEADER + (pid % TABLE_SLOTS) * TABLE_SLOT_INTS;
}

/**
 * Whether this thread belongs to a Process that has been terminated or
 * killed. Cheap: one atomic load, and none at all on the main thread.
 */
export function isSelfEnded(): boolean {
  return ownStatus !== null &&
    Atomics.load(ownStatus, PROC_STATE) === PROC_STATE_ENDED;
}

/**
 * Throws `ProcessEndedError` when called from a thread whose Process has
 * ended. Every toolkit call that takes a message, holds a lock or changes
 * shared state calls this first, so that a stale thread which Deno could not
 * stop can do no harm.
 */
export function assertLive(): void {
  if (
    ownStatus !== null &&
    Atomics.load(ownStatus, PROC_STATE) === PROC_STATE_ENDED
  ) {
    throw new ProcessEndedError(selfIdentity.name);
  }
}

/**
 * This thread's status word, or `null` on the main thread. The hottest
 * write paths (the `.value` setter of Value/RawValue, `set()` and `view` of
 * the arrays) keep it in a field of each object and test it inline instead
 * of calling {@linkcode assertLive}, so that the main thread pays nothing
 * (measured: any call, even to an empty-bodied check, or a read of this
 * module's variable, costs 0.3-0.9 ns on a 2-ns write; a field of the
 * object costs 0). An object never changes threads (crossing rebuilds it
 * on the other side), so the field stays right.
 *
 * The test reads the word plainly, not with `Atomics.load` (a builtin call
 * V8 does not inline: 15-20 ns per write in a worker, against 2-3 ns). That
 * is enough for a fence: the ending side writes the state with
 * `Atomics.store`, the CPU makes it visible to the next load, and V8
 * reloads a typed-array element on every pass (it does not hoist such a load
 * out of a loop; tests/value_test.ts checks that a tight
 * `v.value = v.value + 1` loop stops).
 */
export function selfStatus(): Int32Array | null {
  return ownStatus;
}

/**
 * Set while this child imports its task module as it starts (Python's
 * "bootstrapping phase"): a Process or pool worker importing the program's
 * main module, or a spawned child evaluating its entry.
 */
let bootstrapping = false;

/** Marks the start and the end of the bootstrapping phase. */
export function setBootstrapping(on: boolean): void {
  bootstrapping = on;
}

/**
 * Throws while this child is still importing its task module, as Python's
 * spawn does: a module that starts processes at its top level, outside
 * `if (import.meta.main)`, would otherwise start them in every child it is
 * imported by, without end.
 */
export function assertNotBootstrapping(what: string): void {
  if (bootstrapping) {
    throw new Error(
      `${what}: a new process was started while this one was still importing its task module (the bootstrapping phase); start processes under if (import.meta.main) in a module that workers import`,
    );
  }
}

/** Throws the `ProcessEndedError` of this thread's ended Process. */
export function throwEnded(): never {
  throw new ProcessEndedError(selfIdentity.name);
}
