// Copyright 2026 the denomp authors. MIT license.
// A Process's status word: who ended it, with which exit code and error.
// Written by whichever side ends the process first (the worker when the
// target returns, throws or calls exit(); the parent on terminate()/kill()
// or a crash); read by join(), exitcode and isAlive() on any thread. Private.

import {
  PROC_ERROR_BYTES,
  PROC_ERROR_LENGTH,
  PROC_EXITCODE,
  PROC_HEADER_INTS,
  PROC_STATE,
  PROC_STATE_ENDED,
  PROC_STATE_RUNNING,
} from "../_layout.ts";
import { markPidEnded } from "../_context.ts";
import type { SerializedError } from "../errors.ts";

/** Transient state: one side has claimed the end and is writing it. */
const PROC_STATE_ENDING = 3;

/** Allocates a status word, already in the running state. */
export function newStatus(): Int32Array {
  const status = new Int32Array(
    new SharedArrayBuffer(PROC_HEADER_INTS * 4 + PROC_ERROR_BYTES),
  );
  Atomics.store(status, PROC_STATE, PROC_STATE_RUNNING);
  return status;
}

/**
 * Ends the process once: the first caller wins and later ones change
 * nothing (a natural exit racing a terminate() keeps whichever came first).
 *
 * @returns whether this call ended it.
 */
export function endProcess(
  status: Int32Array,
  pid: number,
  exitCode: number,
  error?: SerializedError,
): boolean {
  // Claim first so that the exit code and error are written by one side
  // only, and are complete before any reader sees ENDED.
  if (
    Atomics.compareExchange(
      status,
      PROC_STATE,
      PROC_STATE_RUNNING,
      PROC_STATE_ENDING,
    ) !== PROC_STATE_RUNNING
  ) return false;
  Atomics.store(status, PROC_EXITCODE, exitCode);
  if (error !== undefined) writeError(status, error);
  markPidEnded(pid);
  Atomics.store(status, PROC_STATE, PROC_STATE_ENDED);
  Atomics.notify(status, PROC_STATE);
  return true;
}

/** Whether the process has ended (ENDING counts as not yet). */
export function hasEnded(status: Int32Array): boolean {
  return Atomics.load(status, PROC_STATE) === PROC_STATE_ENDED;
}

/** The exit code, or `null` while the process runs. */
export function exitCodeOf(status: Int32Array): number | null {
  return hasEnded(status) ? Atomics.load(status, PROC_EXITCODE) : null;
}

/** The error recorded at the end, if any. */
export function errorOf(status: Int32Array): SerializedError | null {
  if (!hasEnded(status)) return null;
  const length = Atomics.load(status, PROC_ERROR_LENGTH);
  if (length === 0) return null;
  const bytes = new Uint8Array(
    status.buffer,
    PROC_HEADER_INTS * 4,
    length,
  ).slice();
  return JSON.parse(new TextDecoder().decode(bytes)) as SerializedError;
}

function writeError(status: Int32Array, error: SerializedError): void {
  const encoder = new TextEncoder();
  let bytes = encoder.encode(JSON.stringify(error));
  // Too long: keep the start of each field (the stack's start is where the
  // error was thrown), shorter and shorter until it fits. A character takes
  // up to 6 bytes in JSON ("\u0001"), so 1024 of message and stack and 256
  // of name always fit.
  for (let chars = PROC_ERROR_BYTES / 4; bytes.length > PROC_ERROR_BYTES;) {
    const record: SerializedError = {
      name: String(error.name).slice(0, 256),
      message: String(error.message).slice(0, Math.min(chars, 1024)),
    };
    if (error.stack !== undefined) {
      record.stack = String(error.stack).slice(0, chars);
    }
    bytes = encoder.encode(JSON.stringify(record));
    chars = Math.max(1024, chars >> 1);
  }
  new Uint8Array(status.buffer, PROC_HEADER_INTS * 4, bytes.length).set(bytes);
  Atomics.store(status, PROC_ERROR_LENGTH, bytes.length);
}

/** The current state value, for parking on it. */
export function stateOf(status: Int32Array): number {
  return Atomics.load(status, PROC_STATE);
}
