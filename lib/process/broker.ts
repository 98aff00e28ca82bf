// Copyright 2026 the denomp authors. MIT license.
// The broker of spawned Processes (see broker_wire.ts): a Web Worker that
// starts each child, relays whether its target started, and records how it
// ended (its real exit code, -N for signal N, and the error it reported)
// in the Process's status word. Private; entered from
// workers/process_broker.ts.

/// <reference lib="deno.worker" />

import { serializeError } from "../_error_wire.ts";
import { PROC_OS_PID } from "../_layout.ts";
import type { SerializedError } from "../errors.ts";
import { ChildLink } from "../spawn/link.ts";
import { keepReaper } from "../spawn/reaper.ts";
import type { BrokerEvent, BrokerRequest } from "./broker_wire.ts";
import { endProcess } from "./status.ts";
import type { ChildMessage } from "./wire.ts";

interface Child {
  link: ChildLink;
  status: Int32Array;
  started: boolean;
  error: SerializedError | null;
}

/** Runs the broker on this Web Worker. */
export function runBroker(): void {
  keepReaper();
  const children = new Map<number, Child>();
  const post = (event: BrokerEvent) => self.postMessage(event);
  self.onmessage = (event: MessageEvent<BrokerRequest>) => {
    const request = event.data;
    if (request.t === "kill") {
      children.get(request.id)?.link.kill(request.signal);
      return;
    }
    const { id } = request;
    const status = new Int32Array(request.status);
    let link: ChildLink;
    try {
      link = new ChildLink(request.command, {
        message(message) {
          const child = children.get(id);
          if (child === undefined) return;
          const m = message as ChildMessage;
          if (m.type === "started") {
            child.started = true;
            post({ t: "started", id });
          } else if (m.type === "failed") {
            child.error = m.error;
            post({ t: "failed", id, error: m.error });
          } else if (m.type === "exit") {
            child.error = m.error;
          }
        },
        exit(code, tail) {
          const child = children.get(id);
          children.delete(id);
          let error = child?.error ?? null;
          if (error === null && child !== undefined && !child.started) {
            // It died before its target could start: what Deno printed
            // (a module that failed to load, ...) says why.
            error = serializeError(
              new Error(
                `Cannot start process: the child exited with code ${code}${
                  tail.trim() ? `: ${tail.trim().slice(-2048)}` : ""
                }`,
              ),
            );
          }
          endProcess(status, 0, code, error ?? undefined);
          post({ t: "exited", id });
        },
      });
    } catch (error) {
      endProcess(status, 0, 1, serializeError(error));
      post({ t: "failed", id, error: serializeError(error) });
      post({ t: "exited", id });
      return;
    }
    children.set(id, { link, status, started: false, error: null });
    Atomics.store(status, PROC_OS_PID, link.pid);
    Atomics.notify(status, PROC_OS_PID);
    link.sendEncoded(request.frame);
  };
}
