// Copyright 2026 the denomp authors. MIT license.
// What runs inside a Process's worker: install the context, import the
// target by reference, revive shared arguments, run the target, record how it
// ended, then close. Private; entered from workers/process_worker.ts.

/// <reference lib="deno.worker" />

import { installWorkerContext } from "../_context.ts";
import { serializeError } from "../_error_wire.ts";
import {
  type ChildMessage,
  ExitSignal,
  runFinishListeners,
  setFinishHook,
  type StartMessage,
} from "./wire.ts";
import { endProcess } from "./status.ts";
import { decodeShared } from "../_registry.ts";
import { loadTarget } from "../_target.ts";

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
    setFinishHook(null);
    runFinishListeners();
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
  setFinishHook(finish);

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
