// Copyright 2026 the denomp authors. MIT license.
// The messages between a pool's parent and its workers. Private.
//
// Tasks travel in chunks (a function id, flags and an item list) and chunks
// travel in batches: one `run` message carries several chunks, flattened as
// `[fnId, flags, items, fnId, flags, items, ...]` so that a batch of 64
// one-item chunks is one message with no per-chunk wrapper object. Chunks
// of one item each may travel as one triple flagged `FLAG_EACH`, whose
// items are each a chunk of their own (a map with chunksize 1: the message
// is one list of items, not one list per item). The worker answers each
// batch with one `done` message whose results are the values of every
// successful chunk in order, concatenated; failed chunks contribute no
// values and are listed in `e` by their index in the batch (counting every
// chunk of a `FLAG_EACH` triple).

import type { WorkerContextInit } from "../_context.ts";
import type { TargetRef } from "../_target.ts";
import type { SerializedError } from "../errors.ts";

/** The chunk's items are argument lists to spread (starmap, apply). */
export const FLAG_STAR = 1;
/** The chunk's items hold shared-object descriptors to revive. */
export const FLAG_SHARED = 2;
/** Each item of the triple is a chunk of its own. */
export const FLAG_EACH = 4;

/** The first message a pool worker receives. */
export interface InitMessage {
  t: "init";
  /** Who the worker is (a thread's; a subprocess learns it at boot). */
  context: WorkerContextInit | null;
  /**
   * A module to import before anything else (a thread's task module; a
   * subprocess has imported its modules as it started).
   */
  preload: string | null;
  /**
   * A counter in shared memory that a thread adds one to once it has
   * loaded `preload` (the pool's constructor may be waiting on it).
   */
  loaded: SharedArrayBuffer | null;
  initializer: TargetRef | null;
  initargs: unknown[];
  shared: boolean;
}

/** A batch of chunks to run, in order. */
export interface RunMessage {
  t: "run";
  id: number;
  /** Functions this worker has not seen yet: `[fnId, ref]`. */
  defs: [number, TargetRef][] | null;
  /** Flattened chunks: `fnId, flags, items` for each. */
  c: unknown[];
  /** Tell the parent when the batch starts (it carries a timeout). */
  timed: boolean;
}

/** What the parent sends. */
export type ParentMessage = InitMessage | RunMessage;

/** Results of a run of chunks: values concatenated, errors by chunk index. */
export interface ChunkResults {
  r: unknown[];
  /**
   * Failed chunks by index in the batch. A transport that builds this
   * message itself (the cluster) may give a ready-made `Error` (a
   * `WorkerCrashedError` for a task whose worker host died), which the core
   * passes on as it is.
   */
  e: [number, SerializedError | Error][] | null;
}

/** What a pool worker sends. */
export type WorkerMessage =
  | { t: "ready" }
  | ({
    t: "done";
    id: number;
    /**
     * How long the worker took to run the batch, in ms (the core sizes
     * batches by it); absent when the transport does not know.
     */
    ms?: number;
  } & ChunkResults)
  | ({
    t: "part";
    id: number;
    /** The chunk starting now; the results are those of the chunks before. */
    k: number;
  } & ChunkResults)
  | { t: "start"; id: number }
  | { t: "initfail"; error: SerializedError }
  | ({
    t: "crash";
    code: number;
    error: SerializedError | null;
    /** The batch being run, or -1 when the worker was idle. */
    id: number;
    /** The chunk being run within that batch. */
    k: number;
  } & ChunkResults);
