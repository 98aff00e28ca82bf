// Copyright 2026 the denomp authors. MIT license.
// The pool runner's port on a Web Worker: messages by postMessage (shared
// objects stay live), the worker's status word in shared memory, and
// self.close() to end. Private; entered from workers/pool_worker.ts.

/// <reference lib="deno.worker" />

import { installWorkerContext } from "../_context.ts";
import { endProcess } from "../process/status.ts";
import { runPoolChild } from "./child.ts";
import type { ParentMessage, WorkerMessage } from "./wire.ts";

/** Runs a pool worker on this Web Worker. */
export function runThreadPoolChild(): void {
  const realClose = self.close.bind(self);
  let status: Int32Array | null = null;
  let pid = 0;
  let loaded: Int32Array | null = null;
  const deliver = runPoolChild({
    post: (message: WorkerMessage) => self.postMessage(message),
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
      if (loaded === null) return;
      Atomics.add(loaded, 0, 1);
      Atomics.notify(loaded, 0);
    },
  });
  self.onmessage = (event: MessageEvent<ParentMessage>) => {
    const message = event.data;
    if (message.t === "init" && message.context !== null) {
      installWorkerContext(message.context);
      status = new Int32Array(message.context.status);
      pid = message.context.self.pid;
      if (message.loaded !== null) loaded = new Int32Array(message.loaded);
    }
    deliver(message);
  };
}
