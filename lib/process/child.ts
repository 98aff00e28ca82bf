// Copyright 2026 the denomp authors. MIT license.
// What runs inside a Process, whatever its start method: import the target
// by reference, revive shared arguments, run the target, record how it
// ended (printing the traceback of an uncaught error, as Python does), then
// leave. The runner talks to its parent through a small port: a Web
// Worker's (port_thread.ts) or a subprocess's (spawn/child.ts). Private.

import { serializeError } from "../_error_wire.ts";
import type { SerializedError } from "../errors.ts";
import {
  type ChildMessage,
  ExitSignal,
  runFinishListeners,
  setFinishHook,
  type StartMessage,
} from "./wire.ts";
import { decodeShared } from "../_registry.ts";
import { loadTarget } from "../_target.ts";
import { setBootstrapping } from "../_context.ts";

/** How the runner talks to its parent. */
export interface ProcessPort {
  /** Sends a message to the parent. */
  post(message: ChildMessage): void;
  /**
   * Records how the Process ended. Returns false when it had already ended
   * (the parent terminated it first).
   */
  end(code: number, error: SerializedError | undefined): boolean;
  /** Leaves with `code`: closes the worker, or exits the subprocess. */
  close(code: number): void;
}

/** Runs a Process's target as `name` and ends the Process. */
export async function runProcess(
  message: StartMessage,
  name: string,
  port: ProcessPort,
): Promise<void> {
  let closed = false;
  const finish = (code: number, error?: unknown): void => {
    if (closed) return;
    closed = true;
    setFinishHook(null);
    runFinishListeners();
    const serialized = error === undefined ? undefined : serializeError(error);
    if (port.end(code, serialized) && serialized) {
      // Python prints the traceback of a process that died of an exception.
      writeStderr(
        `Process ${name}:\n${serialized.stack ?? serialized.message}\n`,
      );
    }
    port.post({ type: "exit", code, error: serialized ?? null });
    port.close(code);
  };
  setFinishHook(finish);

  // A target may end its Process the Deno way, too.
  Deno.exit = ((code?: number) => {
    finish(code ?? 0);
    throw new ExitSignal(code ?? 0);
  }) as typeof Deno.exit;
  const global = globalThis as { close?: () => void };
  if (typeof global.close === "function") global.close = () => finish(0);

  globalThis.addEventListener("error", (event) => {
    event.preventDefault();
    if (event.error instanceof ExitSignal) return;
    finish(1, event.error ?? new Error(event.message));
  });
  globalThis.addEventListener("unhandledrejection", (event) => {
    event.preventDefault();
    if (event.reason instanceof ExitSignal) return;
    finish(1, event.reason);
  });

  let target: (...args: unknown[]) => unknown;
  let args: unknown[];
  try {
    setBootstrapping(true);
    try {
      target = await loadTarget("Cannot start process", message.target);
    } finally {
      setBootstrapping(false);
    }
    args = await decodeShared(message.args, message.shared) as unknown[];
  } catch (error) {
    const serialized = serializeError(error);
    closed = true;
    port.end(1, serialized);
    port.post({ type: "failed", error: serialized });
    port.post({ type: "exit", code: 1, error: serialized });
    port.close(1);
    return;
  }
  port.post({ type: "started" });
  try {
    await target(...args);
    finish(0);
  } catch (error) {
    if (error instanceof ExitSignal) finish(error.code);
    else finish(1, error);
  }
}

function writeStderr(text: string): void {
  try {
    Deno.stderr.writeSync(new TextEncoder().encode(text));
  } catch {
    // stderr closed: nothing to report to.
  }
}
