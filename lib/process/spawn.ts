// Copyright 2026 the denomp authors. MIT license.
// The main thread's side of spawned Processes: one broker Web Worker per
// program (see broker_wire.ts), started on first use, owns every spawned
// child. It keeps the program alive while a non-daemonic spawned Process
// runs (as Python joins those at exit) and not otherwise, so that it can
// stay ready for the next start. Private.

import { serializeError } from "../_error_wire.ts";
import { entryUrl, toolkitDirs } from "../_entries.ts";
import { pathOf } from "../_permission_flags.ts";
import { canUnrefWorkers, setWorkerRef } from "../_workers.ts";
import type { BrokerEvent, BrokerRequest } from "./broker_wire.ts";
import { endProcess } from "./status.ts";
import type { SerializedError } from "../errors.ts";
import type { ChildCommandLine } from "../spawn/launch.ts";

const BROKER_URL = entryUrl("workers/process_broker");

/** What a spawned Process is told about its child. */
export interface SpawnHandle {
  /** Whether it keeps the program alive (a non-daemonic Process). */
  keepAlive: boolean;
  status: Int32Array;
  started(): void;
  failed(error: SerializedError): void;
  exited(): void;
}

let broker: Worker | null = null;
let brokerRef = true;
let nextId = 0;
const handles = new Map<number, SpawnHandle>();
let keepingAlive = 0;

/**
 * Starts a spawned Process's child through the broker. Returns its id, for
 * {@linkcode signalSpawned}.
 */
export function startSpawned(
  command: ChildCommandLine,
  frame: Uint8Array,
  handle: SpawnHandle,
): number {
  const worker = getBroker();
  const id = ++nextId;
  handles.set(id, handle);
  if (handle.keepAlive) keepingAlive++;
  updateRef();
  const request: BrokerRequest = {
    t: "spawn",
    id,
    command,
    frame,
    status: handle.status.buffer as SharedArrayBuffer,
  };
  worker.postMessage(request, [frame.buffer as ArrayBuffer]);
  return id;
}

/**
 * Checks that the broker can be loaded: it is a Web Worker of the
 * toolkit's own modules, which this program must be able to read. Without
 * this check, the broker would fail only after start() returned, with a
 * vague error (and `pid` would wait for it in vain).
 *
 * @throws {Deno.errors.NotCapable} Without read access to the toolkit.
 */
export function assertBrokerLoadable(what: string): void {
  if (broker !== null) return;
  for (const url of [BROKER_URL, new URL(import.meta.url)]) {
    if (url.protocol !== "file:") continue;
    const path = pathOf(url);
    if (
      Deno.permissions.querySync({ name: "read", path }).state !== "granted"
    ) {
      const dirs = toolkitDirs().filter((dir) => dir.protocol === "file:")
        .map(pathOf).join(",");
      throw new Deno.errors.NotCapable(
        `${what}: the spawn start method starts its children from a worker of the toolkit's own modules, which this program may not read (${path}); run it with --allow-read=${dirs}`,
      );
    }
  }
}

/** Sends a spawned Process's child a signal (if it still runs). */
export function signalSpawned(id: number, signal: Deno.Signal): void {
  if (broker === null || !handles.has(id)) return;
  const request: BrokerRequest = { t: "kill", id, signal };
  broker.postMessage(request);
}

function getBroker(): Worker {
  if (broker !== null) return broker;
  const worker = new Worker(BROKER_URL, {
    type: "module",
    name: "process broker",
  });
  broker = worker;
  brokerRef = true;
  worker.addEventListener("error", (event) => {
    // Without this an error in the broker would end the program.
    event.preventDefault();
    brokerFailed(event.error ?? new Error(event.message));
  });
  worker.onmessage = (event: MessageEvent<BrokerEvent>) => {
    const message = event.data;
    const handle = handles.get(message.id);
    if (handle === undefined) return;
    if (message.t === "started") handle.started();
    else if (message.t === "failed") handle.failed(message.error);
    else finish(message.id, handle);
  };
  return worker;
}

function finish(id: number, handle: SpawnHandle): void {
  handles.delete(id);
  if (handle.keepAlive) keepingAlive--;
  handle.exited();
  updateRef();
}

/**
 * The broker keeps the program alive only while a non-daemonic Process
 * runs. On a Deno that cannot unref a worker, it is let go once no spawned
 * Process runs at all (and started again when needed).
 */
function updateRef(): void {
  if (broker === null) return;
  const want = keepingAlive > 0;
  if (canUnrefWorkers()) {
    if (brokerRef !== want) {
      brokerRef = want;
      setWorkerRef(broker, want);
    }
  } else if (handles.size === 0) {
    broker.terminate();
    broker = null;
  }
}

function brokerFailed(cause: unknown): void {
  const error = serializeError(
    new Error("Cannot run process: the broker of spawned processes failed", {
      cause,
    }),
  );
  const worker = broker;
  broker = null;
  worker?.terminate();
  for (const [id, handle] of [...handles]) {
    endProcess(handle.status, 0, 1, error);
    handle.failed(error);
    finish(id, handle);
  }
}
