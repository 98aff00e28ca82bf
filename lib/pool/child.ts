// Copyright 2026 the denomp authors. MIT license.
// What runs inside a pool worker: install the process context, run the
// initializer, then run batches of chunks for ever. Functions arrive by
// reference (loaded once per worker and cached); arguments are decoded only
// when the parent marked a chunk as carrying shared objects. Results of a
// batch go back in one message. When the worker dies in the middle of a
// batch (Deno.exit, exit(), self.close(), an uncaught error in a callback)
// it first reports which chunk it was running and flushes the results it
// already has, so that only that chunk fails. Private; entered from
// workers/pool_worker.ts.

/// <reference lib="deno.worker" />

import { installWorkerContext } from "../_context.ts";
import { serializeError } from "../_error_wire.ts";
import { ExitSignal } from "../process/wire.ts";
import { endProcess } from "../process/status.ts";
import { decodeShared } from "../_registry.ts";
import { loadTarget } from "../_target.ts";
import type { SerializedError } from "../errors.ts";
import {
  FLAG_SHARED,
  FLAG_STAR,
  type InitMessage,
  type ParentMessage,
  type RunMessage,
  type WorkerMessage,
} from "./wire.ts";

type Fn = (...args: unknown[]) => unknown;

const fns = new Map<number, Fn>();
const loadErrors = new Map<number, unknown>();
const queue: RunMessage[] = [];
let draining = false;
let dead = false;
let ready: Promise<void> | null = null;
let status: Int32Array | null = null;
let pid = 0;
/** The batch being run, its chunk index and the results so far. */
let current: RunMessage | null = null;
let currentChunk = -1;
let out: unknown[] = [];
let errors: [number, SerializedError][] | null = null;

/** Runs the worker side of a pool. */
export function runPoolChild(): void {
  const realClose = self.close.bind(self);
  const crash = (code: number, error?: unknown): void => {
    if (dead) return;
    dead = true;
    const message: WorkerMessage = {
      t: "crash",
      code,
      error: error === undefined ? null : serializeError(error),
      id: current === null ? -1 : current.id,
      k: currentChunk,
      r: out,
      e: errors,
    };
    if (status !== null) endProcess(status, pid, code);
    try {
      self.postMessage(message);
    } catch {
      // A result could not be cloned: report the crash without results.
      self.postMessage({ ...message, r: [], e: null, k: 0 });
    }
    realClose();
  };
  Deno.exit = ((code?: number) => {
    crash(code ?? 0);
    throw new ExitSignal(code ?? 0);
  }) as typeof Deno.exit;
  self.close = () => crash(0);
  self.addEventListener("error", (event) => {
    event.preventDefault();
    if (event.error instanceof ExitSignal) return;
    crash(1, event.error ?? new Error(event.message));
  });
  self.addEventListener("unhandledrejection", (event) => {
    event.preventDefault();
    if (event.reason instanceof ExitSignal) return;
    crash(1, event.reason);
  });
  self.onmessage = (event: MessageEvent<ParentMessage>) => {
    const message = event.data;
    if (message.t === "run") {
      queue.push(message);
      if (!draining) void drain();
    } else if (message.t === "init") {
      ready = init(message);
    }
  };
}

async function init(message: InitMessage): Promise<void> {
  installWorkerContext(message.context);
  status = new Int32Array(message.context.status);
  pid = message.context.self.pid;
  if (message.initializer === null) return;
  try {
    const fn = await loadTarget("Cannot run initializer", message.initializer);
    const args = await decodeShared(message.initargs, message.shared);
    await fn(...(args as unknown[]));
  } catch (error) {
    if (error instanceof ExitSignal || dead) throw error;
    post({ t: "initfail", error: serializeError(error) });
    dead = true;
    throw error;
  }
}

async function drain(): Promise<void> {
  draining = true;
  try {
    if (ready !== null) await ready;
    while (queue.length > 0 && !dead) {
      const batch = queue.shift()!;
      if (batch.defs !== null) await loadDefs(batch.defs);
      await runBatch(batch);
    }
  } catch {
    // Initializer failure or exit: already reported.
  } finally {
    draining = false;
  }
}

async function loadDefs(defs: RunMessage["defs"] & object): Promise<void> {
  for (const [id, ref] of defs) {
    if (fns.has(id) || loadErrors.has(id)) continue;
    try {
      fns.set(id, await loadTarget("Cannot run task", ref));
    } catch (error) {
      loadErrors.set(id, error);
    }
  }
}

async function runBatch(batch: RunMessage): Promise<void> {
  current = batch;
  out = [];
  errors = null;
  const c = batch.c;
  if (batch.timed) post({ t: "start", id: batch.id });
  const n = c.length / 3;
  for (let k = 0; k < n; k++) {
    currentChunk = k;
    const fnId = c[3 * k] as number;
    const flags = c[3 * k + 1] as number;
    let items = c[3 * k + 2] as unknown[];
    const start = out.length;
    const fn = fns.get(fnId);
    try {
      if (fn === undefined) throw loadErrors.get(fnId);
      if (flags & FLAG_SHARED) {
        items = await decodeShared(items, true) as unknown[];
      }
      if (flags & FLAG_STAR) {
        for (let i = 0; i < items.length; i++) {
          let value = fn(...(items[i] as unknown[]));
          if (value instanceof Promise) value = await value;
          out.push(value);
        }
      } else {
        for (let i = 0; i < items.length; i++) {
          let value = fn(items[i]);
          if (value instanceof Promise) value = await value;
          out.push(value);
        }
      }
    } catch (error) {
      if (error instanceof ExitSignal || dead) return;
      out.length = start;
      (errors ??= []).push([k, serializeError(error)]);
    }
  }
  currentChunk = -1;
  current = null;
  const message: WorkerMessage = { t: "done", id: batch.id, r: out, e: errors };
  try {
    self.postMessage(message);
  } catch (error) {
    self.postMessage(uncloneable(batch, message, error));
  }
  out = [];
  errors = null;
}

/**
 * A result that cannot be structured-cloned fails its own chunk with a
 * `TypeError`; the other chunks of the batch keep their results.
 */
function uncloneable(
  batch: RunMessage,
  message: WorkerMessage & { t: "done" },
  cause: unknown,
): WorkerMessage {
  const failed = new Set((message.e ?? []).map(([k]) => k));
  const r: unknown[] = [];
  const e: [number, SerializedError][] = [...(message.e ?? [])];
  let offset = 0;
  const n = batch.c.length / 3;
  for (let k = 0; k < n; k++) {
    if (failed.has(k)) continue;
    const count = (batch.c[3 * k + 2] as unknown[]).length;
    const values = message.r.slice(offset, offset + count);
    offset += count;
    try {
      structuredClone(values);
      r.push(...values);
    } catch {
      e.push([
        k,
        serializeError(
          new TypeError(
            `Cannot return result: a task's result cannot be sent from a worker: ${
              cause instanceof Error ? cause.message : String(cause)
            }`,
          ),
        ),
      ]);
    }
  }
  e.sort((a, b) => a[0] - b[0]);
  return { t: "done", id: batch.id, r, e };
}

function post(message: WorkerMessage): void {
  self.postMessage(message);
}
