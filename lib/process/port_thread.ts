// Copyright 2026 the denomp authors. MIT license.
// A Process's port on a Web Worker: messages by postMessage, the end
// recorded in the Process's status word in shared memory (where a
// terminate() from the parent may have got first), self.close() to leave.
// Private; entered from workers/process_worker.ts.

/// <reference lib="deno.worker" />

import { installWorkerContext } from "../_context.ts";
import { endProcess } from "./status.ts";
import { runProcess } from "./child.ts";
import type { StartMessage } from "./wire.ts";

/** Runs a Process on this Web Worker once its start message arrives. */
export function runThreadProcessChild(): void {
  self.onmessage = (event: MessageEvent<StartMessage>) => {
    self.onmessage = null;
    const message = event.data;
    const context = message.context!;
    installWorkerContext(context);
    const status = new Int32Array(context.status);
    const { name, pid } = context.self;
    // A worker made ready in advance (process/spare.ts) was created before
    // its Process had a name: it gets the name a Process's worker has.
    if (self.name !== name) {
      Object.defineProperty(self, "name", {
        value: name,
        configurable: true,
        enumerable: true,
      });
    }
    const realClose = self.close.bind(self);
    void runProcess(message, name, {
      post: (m) => self.postMessage(m),
      end: (code, error) => endProcess(status, pid, code, error),
      close: () => realClose(),
    });
  };
}
