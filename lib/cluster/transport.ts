// Copyright 2026 the denomp authors. MIT license.
// The cluster's transport under the one pool core (lib/pool/core.ts): a
// "worker" of a cluster Pool is a lane, and sending it a batch adds one
// entry to the queue's task stream, which whichever worker host is free
// reads. Results come back through the client's result stream. Private to
// lib/cluster/.
//
// What the core's contract asks and how it is met here:
// - every batch is answered by one `done`: by the host that ran it, by a
//   host that found it exhausted (maxDeliveries; its chunks fail with
//   WorkerCrashedError), or by this link when Redis refused the entry or
//   the cluster connection closed;
// - `start` for a timed batch comes from the host when it begins the batch;
// - answers may come out of order and twice (a redelivered batch): the
//   core matches them by id, and a link forwards only the first;
// - `stop()` cancels the entries of every batch still in flight, so a
//   terminated pool or a timed-out task leaves nothing running anywhere.

import { WorkerCrashedError } from "../errors.ts";
import { RemoteError } from "../errors.ts";
import type { TargetRef } from "../_target.ts";
import type {
  EncodedValue,
  Transport,
  WorkerEvents,
  WorkerLink,
  WorkerSpec,
} from "../pool/transport.ts";
import type { RunMessage, WorkerMessage } from "../pool/wire.ts";
import type { SerializedError } from "../errors.ts";
import type { ClusterClient, ResultSink } from "./client.ts";
import {
  type ChunkFailure,
  DONE,
  encodeTask,
  packItem,
  PART,
  type ResultFrame,
  SPLIT,
  START,
  type WireRef,
} from "./wire.ts";

/**
 * Batches one lane keeps in the stream or on hosts: a result costs a
 * network round trip, so a lane keeps more than a thread's two.
 */
const LANE_INFLIGHT = 4;

interface BatchState {
  /** Chunks in the batch. */
  n: number;
  /** Ids of its entries in the task stream (several once split). */
  ids: string[];
  /** Per-chunk outcomes of a split batch. */
  parts: ({ values: unknown[] } | { failure: ChunkFailure })[] | null;
  partsLeft: number;
}

/** A start method whose workers are lanes into a Redis queue. */
export class ClusterTransport implements Transport {
  readonly name = "cluster";
  readonly inflight = LANE_INFLIGHT;
  #client: ClusterClient;
  #refs = new Map<number, WireRef>();
  #links = new Set<ClusterLink>();
  #closed: Error | null = null;
  #unhook: (() => void) | null = null;

  constructor(client: ClusterClient) {
    this.#client = client;
  }

  encode(value: unknown, what: string, path: string): EncodedValue {
    return { value: packItem(value, what, path), shared: false };
  }

  start(_spec: WorkerSpec, events: WorkerEvents): WorkerLink {
    if (this.#closed === null && this.#client.closed) {
      this.#closed = new Error(
        "Cannot run task: the cluster connection is closed",
      );
    }
    if (this.#closed !== null) throw this.#closed;
    const link = new ClusterLink(this, this.#client, events);
    if (this.#links.size === 0) {
      this.#unhook = this.#client.onClose(() =>
        this.close(
          new Error("Cannot run task: the cluster connection is closed"),
        )
      );
    }
    this.#links.add(link);
    return link;
  }

  /** Learns the functions of a batch; returns the references it needs. */
  refs(message: RunMessage): WireRef[] {
    if (message.defs !== null) {
      for (const [id, ref] of message.defs) {
        if (!this.#refs.has(id)) this.#refs.set(id, this.#wireRef(id, ref));
      }
    }
    const out: WireRef[] = [];
    const c = message.c;
    for (let i = 0; i < c.length; i += 3) {
      const ref = this.#refs.get(c[i] as number)!;
      if (!out.includes(ref)) out.push(ref);
    }
    return out;
  }

  #wireRef(id: number, ref: TargetRef): WireRef {
    return [
      id,
      wireModule(ref.module, this.#client.config.root),
      ref.name,
      ref.source,
    ];
  }

  /** A link is gone. */
  dropLink(link: ClusterLink): void {
    this.#links.delete(link);
    if (this.#links.size === 0 && this.#unhook !== null) {
      this.#unhook();
      this.#unhook = null;
    }
  }

  /** The cluster connection closed: every batch in flight fails. */
  close(error: Error): void {
    if (this.#closed !== null) return;
    this.#closed = error;
    for (const link of [...this.#links]) link.fail(error);
  }

  /** The error new batches fail with, once closed. */
  get closedError(): Error | null {
    return this.#closed;
  }
}

/**
 * The module of a reference as it travels: `file:` modules relative to the
 * client's root (checked when the pool was created), still percent-encoded
 * (a `#` or `?` in a file name must not become a fragment or a query where
 * the host resolves it), others as they are.
 */
export function wireModule(module: string, root: string | null): string {
  if (!module.startsWith("file:")) return module;
  if (root === null || !module.startsWith(root)) {
    throw new TypeError(
      `Cannot send task: module ${module} is not under the cluster root ${root}`,
    );
  }
  return module.slice(root.length);
}

let laneCounter = 0;

class ClusterLink implements WorkerLink, ResultSink {
  readonly pid: number;
  #transport: ClusterTransport;
  #client: ClusterClient;
  #events: WorkerEvents;
  #id: number;
  #batches = new Map<number, BatchState>();
  #stopped = false;

  constructor(
    transport: ClusterTransport,
    client: ClusterClient,
    events: WorkerEvents,
  ) {
    this.#transport = transport;
    this.#client = client;
    this.#events = events;
    this.#id = client.route(this);
    this.pid = ++laneCounter;
    // A lane has nothing to load: it is ready at once (after start()
    // returned, as the transport contract asks).
    queueMicrotask(() => {
      if (!this.#stopped) this.#deliver({ t: "ready" });
    });
  }

  /**
   * A lane holds no resource of its own: what keeps the program alive is
   * the cluster connection, whose life is the Cluster's (`close()`).
   */
  ref(_keepAlive: boolean): void {}

  send(message: RunMessage): void {
    const closed = this.#transport.closedError;
    if (closed !== null) throw closed;
    const refs = this.#transport.refs(message);
    const payload = encodeTask({
      client: this.#client.id,
      link: this.#id,
      batch: message.id,
      timed: message.timed,
      refs,
      c: message.c,
      part: null,
    });
    const state: BatchState = {
      n: message.c.length / 3,
      ids: [],
      parts: null,
      partsLeft: 0,
    };
    const batch = message.id;
    this.#batches.set(batch, state);
    this.#client.send(payload, (id, error) => {
      if (error !== null) {
        this.#failBatch(batch, error);
      } else if (this.#batches.get(batch) !== state) {
        // Stopped, or failed by a closing connection, before Redis gave the
        // id: take it back (a close waits for this cancel).
        if (this.#stopped || this.#transport.closedError !== null) {
          this.#client.cancel([id!]);
        }
      } else {
        state.ids.push(id!);
      }
    });
  }

  receive(frame: ResultFrame): void {
    if (this.#stopped) return;
    const state = this.#batches.get(frame.batch);
    // Not in flight: a duplicate after a redelivery. The first one won.
    if (state === undefined) return;
    switch (frame.kind) {
      case DONE:
        this.#batches.delete(frame.batch);
        this.#deliver({
          t: "done",
          id: frame.batch,
          r: frame.r,
          e: frame.e === null ? null : frame.e.map(toError),
        });
        break;
      case START:
        this.#deliver({ t: "start", id: frame.batch });
        break;
      case SPLIT:
        // The batch's entry was replaced by one entry per chunk.
        state.ids = frame.ids.slice();
        break;
      case PART: {
        if (frame.n !== state.n || frame.k < 0 || frame.k >= state.n) return;
        if (state.parts === null) {
          state.parts = new Array(state.n);
          state.partsLeft = state.n;
        }
        if (state.parts[frame.k] !== undefined) return;
        state.parts[frame.k] = frame.failure !== null
          ? { failure: frame.failure }
          : { values: frame.values ?? [] };
        if (--state.partsLeft > 0) return;
        this.#batches.delete(frame.batch);
        const r: unknown[] = [];
        const e: [number, SerializedError | Error][] = [];
        for (let k = 0; k < state.n; k++) {
          const part = state.parts[k]!;
          if ("values" in part) r.push(...part.values);
          else e.push(toError([k, part.failure[1], part.failure[2]]));
        }
        this.#deliver({
          t: "done",
          id: frame.batch,
          r,
          e: e.length > 0 ? e : null,
        });
        break;
      }
    }
  }

  /**
   * Fails every batch in flight (the cluster connection is closing) and
   * cancels their entries: nothing the closed connection waited for may
   * still run somewhere.
   */
  fail(error: Error): void {
    if (this.#stopped) return;
    const ids: string[] = [];
    for (const [batch, state] of [...this.#batches]) {
      ids.push(...state.ids);
      this.#failBatch(batch, error);
    }
    this.#client.cancel(ids);
  }

  stop(_code: number, _busy: boolean): Promise<void> {
    if (this.#stopped) return Promise.resolve();
    this.#stopped = true;
    this.#client.unroute(this.#id);
    this.#transport.dropLink(this);
    // The core will take no answer for these batches: cancel their
    // entries, queued or running (a batch in flight only ends early when
    // its pool is terminated or a task timed out).
    const ids: string[] = [];
    for (const state of this.#batches.values()) ids.push(...state.ids);
    this.#batches.clear();
    this.#client.cancel(ids);
    return Promise.resolve();
  }

  #failBatch(batch: number, error: Error): void {
    const state = this.#batches.get(batch);
    if (state === undefined || this.#stopped) return;
    this.#batches.delete(batch);
    const e: [number, Error][] = [];
    for (let k = 0; k < state.n; k++) e.push([k, error]);
    this.#deliver({ t: "done", id: batch, r: [], e });
  }

  #deliver(message: WorkerMessage): void {
    this.#events.message(message);
  }
}

/** A failed chunk as the core takes it; a crash is a WorkerCrashedError. */
function toError(
  [k, error, crash]: ChunkFailure,
): [number, SerializedError | Error] {
  if (crash === null) return [k, error];
  return [
    k,
    new WorkerCrashedError(error.message, crash, {
      cause: RemoteError.from(error),
    }),
  ];
}
