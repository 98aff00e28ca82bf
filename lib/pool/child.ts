// Copyright 2026 the denomp authors. MIT license.
// What runs inside a pool worker, whatever its start method: run the
// initializer, then run batches of chunks for ever. Functions arrive by
// reference (loaded once per worker and cached); arguments are decoded only
// when the parent marked a chunk as carrying shared objects. Results of a
// batch go back in one message, or in a few when chunks are slow (see
// wire.ts). When the worker dies in the middle of a batch (Deno.exit,
// exit(), close(), an uncaught error in a callback) it first reports which
// chunk it was running and flushes the results it already has, so that only
// that chunk fails.
//
// The runner talks to its parent through a small port: a Web Worker's
// postMessage (port_thread.ts) or a subprocess's stdio (spawn/child.ts).
// Private.

import { serializeError } from "../_error_wire.ts";
import { ExitSignal } from "../process/wire.ts";
import { decodeShared } from "../_registry.ts";
import { loadTarget } from "../_target.ts";
import { setBootstrapping } from "../_context.ts";
import type { SerializedError } from "../errors.ts";
import {
  FLAG_EACH,
  FLAG_SHARED,
  FLAG_STAR,
  type InitMessage,
  type ParentMessage,
  type RunMessage,
  type WorkerMessage,
} from "./wire.ts";

/** How the runner talks to its parent. */
export interface PoolChildPort {
  /**
   * Sends a message to the parent.
   *
   * @throws When a value in it cannot be sent; nothing was sent.
   */
  post(message: WorkerMessage): void;
  /** Whether these values can be sent (to find a result that cannot). */
  sendable(values: unknown[]): boolean;
  /** Ends this worker with `code`, after a crash was reported. */
  exit(code: number): void;
  /**
   * Tells the parent's thread, through shared memory, that this worker has
   * loaded its task module (threads only: the pool's constructor may be
   * waiting for it).
   */
  loaded?(): void;
}

/**
 * A chunk that starts this long after the last message to the parent is
 * announced with a `part` message (see wire.ts). Short enough that a dead
 * worker leaves few chunks in doubt, long enough that fast chunks never
 * pay for it.
 */
const PROGRESS_MS = 5;
/**
 * The clock is read before a chunk only every `stride` chunks: while chunks
 * take less than this many ms in all between two reads, the stride doubles
 * (up to MAX_STRIDE), so that quick tasks do not pay a clock read each.
 */
const QUICK_MS = 1;
const MAX_STRIDE = 64;

type Fn = (...args: unknown[]) => unknown;

const fns = new Map<number, Fn>();
const loadErrors = new Map<number, unknown>();
const queue: RunMessage[] = [];
let port: PoolChildPort;
let draining = false;
let dead = false;
let ready: Promise<void> | null = null;
/** The batch being run, its chunk index and the results so far. */
let current: RunMessage | null = null;
let currentChunk = -1;
let out: unknown[] = [];
let errors: [number, SerializedError][] | null = null;
/** When the parent last heard from this worker (performance.now()). */
let lastPost = 0;
let lastCheck = 0;
let stride = 1;
let countdown = 1;

/**
 * Runs the worker side of a pool over `childPort` and returns the function
 * that takes the parent's messages. Says `ready` at once.
 */
export function runPoolChild(
  childPort: PoolChildPort,
): (message: ParentMessage) => void {
  port = childPort;
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
    try {
      port.post(message);
    } catch {
      // A result could not be sent: report the crash without results.
      port.post({ ...message, r: [], e: null, k: 0 });
    }
    port.exit(code);
  };
  Deno.exit = ((code?: number) => {
    crash(code ?? 0);
    throw new ExitSignal(code ?? 0);
  }) as typeof Deno.exit;
  const global = globalThis as { close?: () => void };
  if (typeof global.close === "function") global.close = () => crash(0);
  globalThis.addEventListener("error", (event) => {
    event.preventDefault();
    if (event.error instanceof ExitSignal) return;
    crash(1, event.error ?? new Error(event.message));
  });
  globalThis.addEventListener("unhandledrejection", (event) => {
    event.preventDefault();
    if (event.reason instanceof ExitSignal) return;
    crash(1, event.reason);
  });
  post({ t: "ready" });
  return (message: ParentMessage) => {
    if (message.t === "run") {
      queue.push(message);
      if (!draining) void drain();
    } else if (message.t === "init") {
      ready = init(message);
    }
  };
}

async function init(message: InitMessage): Promise<void> {
  if (message.preload !== null) {
    // The pool's task module, now rather than at the first task (as
    // Python's spawn imports the main module as a child starts).
    setBootstrapping(true);
    try {
      await import(message.preload);
    } catch {
      // The tasks that need it fail with the error, when they load it.
    } finally {
      setBootstrapping(false);
    }
  }
  port.loaded?.();
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
  const began = performance.now();
  if (batch.timed) post({ t: "start", id: batch.id });
  /** The chunk index in the batch; `from`: the first not yet reported. */
  let k = 0;
  let from = 0;
  for (let t = 0; t < c.length; t += 3) {
    const fnId = c[t] as number;
    const flags = c[t + 1] as number;
    let items = c[t + 2] as unknown[];
    const fn = fns.get(fnId);
    if (flags & FLAG_EACH) {
      // Each item is a chunk of its own.
      let failure: { error: unknown } | null = fn === undefined
        ? { error: loadErrors.get(fnId) }
        : null;
      if (failure === null && flags & FLAG_SHARED) {
        try {
          items = await decodeShared(items, true) as unknown[];
        } catch (error) {
          if (error instanceof ExitSignal || dead) return;
          failure = { error };
        }
      }
      const star = (flags & FLAG_STAR) !== 0;
      for (let i = 0; i < items.length; i++, k++) {
        if (--countdown === 0 && (from = progress(batch, k, from)) < 0) return;
        currentChunk = k;
        try {
          if (failure !== null) throw failure.error;
          let value = star ? fn!(...(items[i] as unknown[])) : fn!(items[i]);
          if (value instanceof Promise) value = await value;
          out.push(value);
        } catch (error) {
          if (error instanceof ExitSignal || dead) return;
          (errors ??= []).push([k, serializeError(error)]);
        }
      }
      continue;
    }
    if (--countdown === 0 && (from = progress(batch, k, from)) < 0) return;
    currentChunk = k;
    const start = out.length;
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
    k++;
  }
  const ms = performance.now() - began;
  flush({ t: "done", id: batch.id, ms, r: out, e: errors }, from);
  currentChunk = -1;
  current = null;
  out = [];
  errors = null;
}

/**
 * Called before chunk `k` every `stride` chunks: reads the clock, and when
 * the parent has not heard from this worker for PROGRESS_MS, says which
 * chunk starts, with the results since chunk `from` (a `part` message).
 * Returns the first chunk whose results are still to send, or -1 when the
 * worker died meanwhile.
 */
function progress(batch: RunMessage, k: number, from: number): number {
  const now = performance.now();
  if (now - lastPost >= PROGRESS_MS) {
    // A slow run: say which chunk starts, with the results so far.
    if (!flush({ t: "part", id: batch.id, k, r: out, e: errors }, from)) {
      return -1;
    }
    from = k;
    out = [];
    errors = null;
    stride = 1;
  } else {
    stride = now - lastCheck < QUICK_MS ? Math.min(stride * 2, MAX_STRIDE) : 1;
  }
  lastCheck = now;
  countdown = stride;
  return from;
}

/**
 * Posts a `done` or `part` message for the chunks from `from` on; a result
 * that cannot be sent fails its own chunk with a `TypeError` and the other
 * chunks keep theirs. Returns false when the worker died meanwhile.
 */
function flush(
  message: WorkerMessage & { t: "done" | "part"; id: number },
  from: number,
): boolean {
  try {
    post(message);
  } catch (error) {
    post(unsendable(message, from, error));
  }
  return !dead;
}

function unsendable(
  message: WorkerMessage & { t: "done" | "part"; id: number },
  from: number,
  cause: unknown,
): WorkerMessage {
  const batch = current!;
  const failed = new Set((message.e ?? []).map(([k]) => k));
  const r: unknown[] = [];
  const e: [number, SerializedError][] = [...(message.e ?? [])];
  let offset = 0;
  const counts = chunkSizes(batch.c);
  const to = message.t === "part" ? message.k : counts.length;
  for (let k = from; k < to; k++) {
    if (failed.has(k)) continue;
    const count = counts[k]!;
    const values = message.r.slice(offset, offset + count);
    offset += count;
    if (port.sendable(values)) {
      r.push(...values);
      continue;
    }
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
  e.sort((a, b) => a[0] - b[0]);
  return { ...message, r, e };
}

/** The number of items of each chunk of a batch, by chunk index. */
function chunkSizes(c: unknown[]): number[] {
  const sizes: number[] = [];
  for (let t = 0; t < c.length; t += 3) {
    const items = c[t + 2] as unknown[];
    if ((c[t + 1] as number) & FLAG_EACH) {
      for (let i = 0; i < items.length; i++) sizes.push(1);
    } else sizes.push(items.length);
  }
  return sizes;
}

function post(message: WorkerMessage): void {
  port.post(message);
  lastPost = performance.now();
}
