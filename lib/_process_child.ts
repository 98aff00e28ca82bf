// Copyright 2026 the denomp authors. MIT license.
// What runs inside a Process's worker: install the context, import the
// target by reference, revive shared arguments, run the target, record how it
// ended, then close. Private; entered from workers/process_worker.ts.

/// <reference lib="deno.worker" />

import { installWorkerContext, type WorkerContextInit } from "./_context.ts";
import { serializeError } from "./_error_wire.ts";
import { endProcess } from "./_process_status.ts";
import { decodeShared } from "./_registry.ts";
import { loadTarget, type TargetRef } from "./_target.ts";
import type { SerializedError } from "./errors.ts";

/** The first (and only) message a Process worker receives. */
export interface StartMessage {
  type: "start";
  target: TargetRef;
  args: unknown[];
  shared: boolean;
  context: WorkerContextInit;
}

/** What a Process worker tells its parent. */
export type ChildMessage =
  | { type: "started" }
  | { type: "failed"; error: SerializedError }
  | { type: "exit" };

/** Thrown by `exit()` to unwind the target; never reaches user code. */
export class ExitSignal {
  /** The exit code asked for. */
  readonly code: number;
  /** Creates the signal. */
  constructor(code: number) {
    this.code = code;
  }
}

let finishHook: ((code: number, error?: unknown) => void) | null = null;
const finishListeners: (() => void)[] = [];

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

/** Runs the worker side of a Process. */
export function runProcessChild(): void {
  self.onmessage = (event: MessageEvent<StartMessage>) => {
    self.onmessage = null;
    void start(event.data);
  };
}

async function start(message: StartMessage): Promise<void> {
  installWorkerContext(message.context);
  const status = new Int32Array(message.context.status);
  const { name, pid } = message.context.self;
  let closed = false;

  const finish = (code: number, error?: unknown): void => {
    if (closed) return;
    closed = true;
    finishHook = null;
    for (const listener of finishListeners) {
      try {
        listener();
      } catch {
        // Cleanup must not change how the process ended.
      }
    }
    const serialized = error === undefined ? undefined : serializeError(error);
    if (endProcess(status, pid, code, serialized) && serialized) {
      // Python prints the traceback of a process that died of an exception.
      writeStderr(
        `Process ${name}:\n${serialized.stack ?? serialized.message}\n`,
      );
    }
    post({ type: "exit" });
    realClose();
  };
  finishHook = finish;

  // A target may end its Process the Deno way, too.
  const realClose = self.close.bind(self);
  Deno.exit = ((code?: number) => {
    finish(code ?? 0);
    throw new ExitSignal(code ?? 0);
  }) as typeof Deno.exit;
  self.close = () => finish(0);

  self.addEventListener("error", (event) => {
    if (event.error instanceof ExitSignal) {
      event.preventDefault();
      return;
    }
    finish(1, event.error ?? new Error(event.message));
  });
  self.addEventListener("unhandledrejection", (event) => {
    if (event.reason instanceof ExitSignal) {
      event.preventDefault();
      return;
    }
    event.preventDefault();
    finish(1, event.reason);
  });

  let target: (...args: unknown[]) => unknown;
  let args: unknown[];
  try {
    target = await loadTarget("Cannot start process", message.target);
    args = await decodeShared(message.args, message.shared) as unknown[];
  } catch (error) {
    const serialized = serializeError(error);
    endProcess(status, pid, 1, serialized);
    closed = true;
    post({ type: "failed", error: serialized });
    post({ type: "exit" });
    realClose();
    return;
  }
  post({ type: "started" });
  try {
    await target(...args);
    finish(0);
  } catch (error) {
    if (error instanceof ExitSignal) finish(error.code);
    else finish(1, error);
  }
}

function post(message: ChildMessage): void {
  self.postMessage(message);
}

function writeStderr(text: string): void {
  try {
    Deno.stderr.writeSync(new TextEncoder().encode(text));
  } catch {
    // stderr closed: nothing to report to.
  }
}
