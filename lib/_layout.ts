// Copyright 2026 the denomp authors. MIT license.
// Named slots of every shared-memory structure. Only `Atomics.*` touches
// these slots. Private.

// ---- The process table (one per program, Int32 slots) ----
/** Next pid to hand out. */
export const TABLE_NEXT_PID = 0;
/** Processes ever marked ended: a change tells handle holders to look. */
export const TABLE_DEATHS = 1;
/** Ints before the first slot. */
export const TABLE_HEADER = 4;
/** Number of slots; pids map onto slots modulo this. */
export const TABLE_SLOTS = 4096;
/** Ints per slot. */
export const TABLE_SLOT_INTS = 2;
/** Offset of the pid in a slot. */
export const TABLE_SLOT_PID = 0;
/** Offset of the state in a slot. */
export const TABLE_SLOT_STATE = 1;
export const TABLE_SLOT_FREE = 0;
export const TABLE_SLOT_RESERVED = 1;
export const TABLE_SLOT_ALIVE = 2;
export const TABLE_SLOT_ENDED = 3;
/** Int32 slots of the table; the shared-memory arena follows it. */
export const TABLE_INTS = TABLE_HEADER + TABLE_SLOTS * TABLE_SLOT_INTS;

// ---- A Process's status word (one small SAB per Process, Int32 slots) ----
/** Lifecycle state; waiters `Atomics.wait` on this slot. */
export const PROC_STATE = 0;
/** Exit code, valid once the state is ENDED. */
export const PROC_EXITCODE = 1;
/** Byte length of the JSON error record that follows the header. */
export const PROC_ERROR_LENGTH = 2;
/** A spawned Process's OS pid, written by its broker once it is known. */
export const PROC_OS_PID = 3;
/** Ints in the header; the error record's bytes follow. */
export const PROC_HEADER_INTS = 4;
/** Room for the error record (name, message, stack as JSON). */
export const PROC_ERROR_BYTES = 16 * 1024;
export const PROC_STATE_RUNNING = 1;
export const PROC_STATE_ENDED = 2;
