// Copyright 2026 the denomp authors. MIT license.
// What the parent and a Process's worker say to each other, and how `exit()`
// reaches the code that ends the Process. Kept apart from lib/process/child.ts,
// which needs the worker's globals, so that lib/process.ts can import these
// without them. Private.

import type { WorkerContextInit } from "../_context.ts";
import type { TargetRef } from "../_target.ts";
import type { SerializedError } from "../errors.ts";

/** The first (and only) message a Process worker receives. */
export interface StartMessage {
  type: "start";
  target: TargetRef;
  args: unknown[];
  shared: boolean;
  /** Who the worker is (a thread's; a subprocess learns it at boot). */
  context: WorkerContextInit | null;
}

/** What a Process worker tells its parent. */
export type ChildMessage =
  | { type: "started" }
  | { type: "failed"; error: SerializedError }
  | { type: "exit"; code: number; error: SerializedError | null };

/** Thrown by `exit()` to unwind the target; never reaches user code. */
export class ExitSignal {
  /** The exit code asked for. */
  readonly code: number;
  /** Creates the signal. */
  constructor(code: number) {
    this.code = code;
  }
}

let finishHook: ((code: number) => void) | null = null;
const finishListeners: (() => void)[] = [];

/** Installs (or clears) how this thread's Process ends; worker side only. */
export function setFinishHook(hook: ((code: number) => void) | null): void {
  finishHook = hook;
}

/** Runs the work registered with {@linkcode onSelfFinish}; errors ignored. */
export function runFinishListeners(): void {
  for (const listener of finishListeners) {
    try {
      listener();
    } catch {
      // Cleanup must not change how the process ended.
    }
  }
}

/** Registers work to do when this thread's Process ends normally. */
export function onSelfFinish(listener: () => void): void {
  finishListeners.push(listener);
}

/**
 * Ends this Process with a code; used by `exit()` and the patched
 * `Deno.exit`. Returns whether a Process worker was running here.
 */
export function finishSelf(code: number): boolean {
  if (finishHook === null) return false;
  finishHook(code);
  return true;
}
