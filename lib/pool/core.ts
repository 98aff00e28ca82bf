// Copyright 2026 the denomp authors. MIT license.
// The worker set shared by Pool and ProcessPoolExecutor: long-lived workers,
// a queue of small chunk records, batched dispatch with a few batches in
// flight per worker, and crash, timeout and maxTasksPerChild handling. The
// one scheduler for every start method: how a worker is started and spoken
// to is its transport's business (transport.ts). Private.
//
// Memory: a queued task is one small record here; only
// `workers * inflight` batches (MAX_INFLIGHT unless the transport says
// otherwise) are ever posted and not yet answered.
//
// Races this avoids:
// - A worker that crashes reports which chunk it was running and flushes the
//   results it had, so only that chunk fails; every other chunk it was given
//   goes back to the front of the queue.
// - A worker that dies without a word (killed from outside, out of memory)
//   leaves the chunks it had not finished in doubt: when more than one of
//   them may have been running, each runs again alone ("suspects"), so that
//   only the one that kills its worker fails.
// - A worker stopped after a timeout may still be running (a thread Deno
//   cannot stop): its transport fences or kills it, its messages are
//   ignored from then on, and it no longer counts against the pool's size.
// - A worker lost before it said `ready` could not start (a missing
//   permission, a module that fails to load): every worker would fail the
//   same way, so the pool breaks with that error instead of starting worker
//   after worker.
//
// Workers keep the program alive only while the pool has work: an idle
// pool's workers are unref'd, so that a program whose main module has
// finished exits without closing its pool, as Python's does.

import { deserializeError } from "../_error_wire.ts";
import { releaseShared } from "../_registry.ts";
import { type TargetRef, targetRef } from "../_target.ts";
import type { Transport, WorkerLink } from "./transport.ts";
import { FLAG_SHARED, type RunMessage, type WorkerMessage } from "./wire.ts";
import {
  CancelledError,
  type SerializedError,
  TimeoutError,
  WorkerCrashedError,
} from "../errors.ts";

export { FLAG_SHARED, FLAG_STAR } from "./wire.ts";

/** Batches posted to one worker and not yet answered. */
const MAX_INFLIGHT = 2;
/** Chunks in one batch at most. */
const BATCH_CHUNKS = 64;
/** Items in one batch: stop adding chunks once this many are in. */
const BATCH_ITEMS = 1024;

/** Who is told how a chunk ended. */
export interface ChunkOwner {
  /** The chunk's values are `values[offset .. offset + items.length)`. */
  chunkDone(chunk: Chunk, values: unknown[], offset: number): void;
  chunkFailed(chunk: Chunk, error: Error): void;
  /** The chunk was handed to a worker (it can no longer be cancelled). */
  chunkDispatched?(chunk: Chunk): void;
}

/** A unit of work: some items for one function. */
export interface Chunk {
  fn: number;
  flags: number;
  items: unknown[];
  /** Per-chunk timeout in ms, counted from when it starts; 0 for none. */
  timeout: number;
  owner: ChunkOwner;
  /** The owner's own index for this chunk. */
  tag: number;
  state: ChunkState;
}

/** Where a chunk is: queued, posted to a worker, settled, cancelled. */
export type ChunkState = 0 | 1 | 2 | 3;
/** The states of a chunk. */
export const ChunkState = {
  Queued: 0,
  Dispatched: 1,
  Done: 2,
  Cancelled: 3,
} as const;

/** Options the core is built with. */
export interface CoreOptions {
  size: number;
  initializer: TargetRef | null;
  initargs: unknown[];
  maxTasksPerChild: number;
  module: string | URL | undefined;
  namePrefix: string;
  /** How workers are started and spoken to (one per start method). */
  transport: Transport;
}

interface Batch {
  id: number;
  chunks: Chunk[];
  timer: ReturnType<typeof setTimeout> | undefined;
  /** Chunks settled by `part` messages so far (they come in order). */
  settled: number;
}

interface Slot {
  link: WorkerLink;
  pid: number;
  inflight: Batch[];
  assigned: number;
  known: Set<number>;
  retiring: boolean;
  gone: boolean;
  /** Whether the worker said `ready` (it could start). */
  ready: boolean;
}

let workerCounter = 0;

/** The worker set and dispatcher. */
export class PoolCore {
  readonly size: number;
  #options: CoreOptions;
  #slots: Slot[] = [];
  #queue: Chunk[] = [];
  #head = 0;
  #retry: Chunk[] = [];
  #fnIds = new Map<unknown, number>();
  #fnRefs: TargetRef[] = [];
  #batchId = 0;
  #outstanding = 0;
  #pumpScheduled = false;
  #started = false;
  #stopped = false;
  #broken: Error | null = null;
  #idleWaiters: (() => void)[] = [];
  #rr = 0;
  #initargs: { value: unknown[]; shared: boolean } | null = null;
  /** Chunks that may have killed a worker: each runs alone. */
  #suspects = new Set<Chunk>();
  /** Stopped workers not yet gone. */
  #exits = new Set<Promise<void>>();
  /** Batches a link may hold unanswered (the transport's, or the default). */
  #inflight: number;
  /** Encoded items holding lent handles, until their chunk settles. */
  #lent = new Set<unknown[]>();

  constructor(options: CoreOptions) {
    this.#options = options;
    this.size = options.size;
    this.#inflight = options.transport.inflight ?? MAX_INFLIGHT;
  }

  /** Outstanding (queued or running) chunks. */
  get outstanding(): number {
    return this.#outstanding;
  }

  /** Live workers. */
  get workers(): number {
    return this.#slots.length;
  }

  /** The pids of the live workers. */
  get pids(): number[] {
    return this.#slots.map((slot) => slot.pid);
  }

  /**
   * Validates the initializer's arguments up front. Handles in them (queues,
   * pipe ends) are held by the pool for its workers until it stops.
   */
  encodeInitargs(what: string): void {
    let shared = false;
    const transport = this.#options.transport;
    const value = this.#options.initargs.map((arg, i) => {
      const encoded = transport.encode(arg, what, `initargs[${i}]`);
      shared ||= encoded.shared;
      return encoded.value;
    });
    this.#initargs = { value, shared };
  }

  /** The id of a function (or export name), resolving it once. */
  fnId(what: string, fn: unknown): number {
    let id = this.#fnIds.get(fn);
    if (id === undefined) {
      const ref = targetRef(what, fn, this.#options.module);
      id = this.#fnRefs.length;
      this.#fnRefs.push(ref);
      this.#fnIds.set(fn, id);
    }
    return id;
  }

  /**
   * The id of a ready-made reference: a cluster worker host receives its
   * tasks' references whole, for modules other than the core's own.
   */
  refId(ref: TargetRef): number {
    const key = `${ref.module}\0${ref.name}\0${ref.source ?? ""}`;
    let id = this.#fnIds.get(key);
    if (id === undefined) {
      id = this.#fnRefs.length;
      this.#fnRefs.push(ref);
      this.#fnIds.set(key, id);
    }
    return id;
  }

  /**
   * Encodes one item for a chunk: primitives pass as they are; objects are
   * walked for shared objects. Returns the flags to OR into the chunk's.
   * Errors name an item as `${path} ${base + i}`. Handles in the items are
   * lent to the task: held until the chunk is settled, given back at once if
   * an item fails to encode, and at the latest when the pool stops (items
   * encoded for a chunk that was never queued).
   */
  encodeItems(
    what: string,
    items: unknown[],
    path: string,
    base = 0,
  ): number {
    const transport = this.#options.transport;
    let flags = 0;
    let i = 0;
    try {
      for (; i < items.length; i++) {
        const item = items[i];
        const type = typeof item;
        if (
          type === "number" || type === "string" || type === "boolean" ||
          type === "undefined" || type === "bigint" || item === null
        ) continue;
        const encoded = transport.encode(item, what, `${path} ${base + i}`);
        if (encoded.shared) flags |= FLAG_SHARED;
        items[i] = encoded.value;
      }
    } catch (error) {
      if (flags & FLAG_SHARED) releaseShared(items.slice(0, i));
      throw error;
    }
    if (flags & FLAG_SHARED) this.#lent.add(items);
    return flags;
  }

  /** Queues a chunk. Fails it at once when the pool is broken or stopped. */
  enqueue(chunk: Chunk): void {
    if (this.#broken !== null) {
      chunk.state = ChunkState.Done;
      this.#releaseHandles(chunk);
      chunk.owner.chunkFailed(chunk, this.#broken);
      return;
    }
    this.#queue.push(chunk);
    if (this.#outstanding++ === 0) this.#keepAlive(true);
    this.#schedulePump();
  }

  /** Removes a chunk that has not been dispatched. Returns whether it was. */
  cancel(chunk: Chunk): boolean {
    if (chunk.state !== ChunkState.Queued) return false;
    chunk.state = ChunkState.Cancelled;
    this.#releaseHandles(chunk);
    this.#finished();
    return true;
  }

  /**
   * Stops a chunk wherever it is: a queued chunk is dropped (as by
   * `cancel`); a dispatched one fails with `error`, and the worker that
   * holds it is stopped for real (as after a timeout) and replaced, its
   * other chunks going back to the queue. A cluster worker host calls this
   * when a task it runs was cancelled by its client. Returns whether the
   * chunk was stopped (false when it had already settled).
   */
  abort(chunk: Chunk, error: Error): boolean {
    if (this.cancel(chunk)) return true;
    if (chunk.state !== ChunkState.Dispatched) return false;
    const slot = this.#slots.find((s) =>
      s.inflight.some((batch) => batch.chunks.includes(chunk))
    );
    if (slot === undefined) {
      this.#failOne(chunk, error);
      return true;
    }
    this.#stopBusy(slot, [chunk], () => error);
    return true;
  }

  /**
   * Starts every worker now instead of at the first task, as Python's Pool
   * does in its constructor: their start-up then overlaps whatever the
   * program does before its first call. Idle workers keep nothing alive.
   */
  start(): void {
    if (!this.#started && !this.#stopped && this.#broken === null) {
      this.#start();
    }
  }

  /** Resolves once nothing is queued or running. */
  idle(): Promise<void> {
    if (this.#outstanding === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  /**
   * Stops every worker at once. Chunks not yet done fail with `reason`.
   * Workers that may be busy are abandoned (their status word is ended so
   * their toolkit calls fail).
   */
  terminate(reason: Error): void {
    this.#stopped = true;
    const inflight = this.#slots.flatMap((slot) => slot.inflight);
    for (const slot of [...this.#slots]) {
      this.#retire(slot, -15, slot.inflight.length > 0);
    }
    for (const batch of inflight) {
      for (const chunk of batch.chunks) this.#failOne(chunk, reason);
    }
    this.#failAll(reason);
    this.#releaseAll();
  }

  /**
   * Lets idle workers go once every chunk is done, and resolves once they
   * (and every worker stopped before) are gone.
   */
  async shutdown(): Promise<void> {
    await this.idle();
    this.#stopped = true;
    for (const slot of [...this.#slots]) this.#retire(slot, 0, false);
    this.#releaseAll();
    while (this.#exits.size > 0) await Promise.all([...this.#exits]);
  }

  /**
   * Gives back the handles held for the workers' initializer, and those of
   * any items never settled.
   */
  #releaseAll(): void {
    if (this.#initargs?.shared) releaseShared(this.#initargs.value);
    for (const items of this.#lent) releaseShared(items);
    this.#lent.clear();
  }

  /**
   * Gives back the handles lent to a settled chunk's task (the task is over,
   * or will never run).
   */
  #releaseHandles(chunk: Chunk): void {
    if ((chunk.flags & FLAG_SHARED) === 0) return;
    this.#lent.delete(chunk.items);
    releaseShared(chunk.items);
  }

  #failAll(reason: Error): void {
    const chunks = [...this.#retry, ...this.#queue.slice(this.#head)];
    this.#retry = [];
    this.#queue = [];
    this.#head = 0;
    for (const chunk of chunks) {
      if (chunk.state === ChunkState.Queued) this.#failOne(chunk, reason);
    }
  }

  #schedulePump(): void {
    if (this.#pumpScheduled) return;
    this.#pumpScheduled = true;
    queueMicrotask(() => {
      this.#pumpScheduled = false;
      this.#pump();
    });
  }

  #start(): void {
    this.#started = true;
    for (let i = 0; i < this.size && this.#broken === null; i++) this.#spawn();
  }

  #spawn(): void {
    try {
      this.#spawnOne();
    } catch (error) {
      this.#breakPool(
        null,
        error instanceof Error ? error : new Error(String(error)),
      );
    }
  }

  #spawnOne(): void {
    const name = `${this.#options.namePrefix}-${++workerCounter}`;
    let slot: Slot | null = null;
    const link = this.#options.transport.start({
      name,
      initializer: this.#options.initializer,
      initargs: this.#initargs?.value ?? [],
      shared: this.#initargs?.shared ?? false,
    }, {
      message: (message) => {
        if (slot !== null) this.#onMessage(slot, message);
      },
      lost: (code, cause) => {
        if (slot === null || slot.gone) return;
        if (slot.ready) this.#lost(slot, code, cause);
        else this.#breakPool(slot, startError(cause, code));
      },
    });
    slot = {
      link,
      pid: link.pid,
      inflight: [],
      assigned: 0,
      known: new Set(),
      retiring: false,
      gone: false,
      ready: false,
    };
    if (this.#outstanding === 0) link.ref(false);
    this.#slots.push(slot);
  }

  #pump(): void {
    if (this.#stopped || this.#broken !== null) return;
    if (this.#pending() === 0) return;
    if (!this.#started) this.#start();
    if (this.#broken !== null) return;
    const slots = this.#slots;
    const n = slots.length;
    let progress = true;
    while (progress && this.#pending() > 0) {
      progress = false;
      for (let j = 0; j < n; j++) {
        const slot = slots[(this.#rr + j) % n]!;
        if (slot.retiring || slot.inflight.length >= this.#inflight) continue;
        if (this.#dispatch(slot)) progress = true;
        if (this.#pending() === 0) break;
      }
      this.#rr = (this.#rr + 1) % Math.max(1, n);
    }
  }

  #pending(): number {
    return this.#retry.length + this.#queue.length - this.#head;
  }

  #next(): Chunk | undefined {
    while (true) {
      let chunk: Chunk | undefined;
      if (this.#retry.length > 0) chunk = this.#retry.shift();
      else if (this.#head < this.#queue.length) {
        chunk = this.#queue[this.#head++];
        if (this.#head > 4096 && this.#head * 2 > this.#queue.length) {
          this.#queue = this.#queue.slice(this.#head);
          this.#head = 0;
        }
      } else return undefined;
      if (chunk!.state === ChunkState.Queued) return chunk;
    }
  }

  #peek(): Chunk | undefined {
    // Skip cancelled chunks so that the batch rules see a real one.
    while (this.#retry.length > 0) {
      const chunk = this.#retry[0]!;
      if (chunk.state === ChunkState.Queued) return chunk;
      this.#retry.shift();
    }
    while (this.#head < this.#queue.length) {
      const chunk = this.#queue[this.#head]!;
      if (chunk.state === ChunkState.Queued) return chunk;
      this.#head++;
    }
    return undefined;
  }

  /** Posts one batch to a slot; returns whether one was posted. */
  #dispatch(slot: Slot): boolean {
    const max = this.#options.maxTasksPerChild;
    let room = BATCH_CHUNKS;
    if (max > 0) {
      room = Math.min(room, max - slot.assigned);
      if (room <= 0) {
        slot.retiring = true;
        if (slot.inflight.length === 0) this.#replace(slot);
        return false;
      }
    }
    // Spread what is queued over every worker's in-flight window.
    const share = Math.ceil(
      this.#pending() / (this.#slots.length * this.#inflight),
    );
    room = Math.max(1, Math.min(room, share));
    const first = this.#peek();
    if (first === undefined) return false;
    const chunks: Chunk[] = [];
    const c: unknown[] = [];
    let defs: [number, TargetRef][] | null = null;
    let items = 0;
    const suspects = this.#suspects;
    const timed = first.timeout > 0;
    const alone = timed || (suspects.size > 0 && suspects.has(first));
    while (chunks.length < room && items < BATCH_ITEMS) {
      const chunk = this.#peek();
      if (chunk === undefined) break;
      // A timed chunk travels alone so that its clock starts with it, and a
      // suspect so that a death can be blamed on it alone.
      if (
        chunks.length > 0 &&
        (alone || chunk.timeout > 0 ||
          (suspects.size > 0 && suspects.has(chunk)))
      ) break;
      this.#next();
      chunk.state = ChunkState.Dispatched;
      chunks.push(chunk);
      c.push(chunk.fn, chunk.flags, chunk.items);
      items += chunk.items.length;
      if (!slot.known.has(chunk.fn)) {
        slot.known.add(chunk.fn);
        (defs ??= []).push([chunk.fn, this.#fnRefs[chunk.fn]!]);
      }
      chunk.owner.chunkDispatched?.(chunk);
      if (alone) break;
    }
    if (chunks.length === 0) return false;
    const batch: Batch = {
      id: ++this.#batchId,
      chunks,
      timer: undefined,
      settled: 0,
    };
    const message: RunMessage = { t: "run", id: batch.id, defs, c, timed };
    slot.inflight.push(batch);
    slot.assigned += chunks.length;
    try {
      slot.link.send(message);
    } catch (error) {
      // An item cannot be sent: fail these chunks, keep the worker.
      slot.inflight.pop();
      slot.assigned -= chunks.length;
      const failure = error instanceof Error ? error : new Error(String(error));
      for (const chunk of chunks) this.#failOne(chunk, failure);
    }
    return true;
  }

  #onMessage(slot: Slot, message: WorkerMessage): void {
    if (slot.gone) return;
    switch (message.t) {
      case "ready":
        slot.ready = true;
        break;
      case "part": {
        const batch = slot.inflight[0]?.id === message.id
          ? slot.inflight[0]
          : slot.inflight.find((b) => b.id === message.id);
        if (batch === undefined) return;
        this.#settle(batch, message.k, message.r, message.e);
        break;
      }
      case "done": {
        // Matched by id: a transport whose batches run on different
        // machines (the cluster) may answer them out of order, or twice.
        const i = slot.inflight[0]?.id === message.id
          ? 0
          : slot.inflight.findIndex((batch) => batch.id === message.id);
        if (i < 0) return;
        const batch = slot.inflight.splice(i, 1)[0]!;
        if (batch.timer !== undefined) clearTimeout(batch.timer);
        this.#settle(batch, batch.chunks.length, message.r, message.e);
        if (slot.retiring && slot.inflight.length === 0) this.#replace(slot);
        else if (
          this.#options.maxTasksPerChild > 0 &&
          slot.assigned >= this.#options.maxTasksPerChild
        ) {
          slot.retiring = true;
          if (slot.inflight.length === 0) this.#replace(slot);
        }
        this.#pump();
        break;
      }
      case "start": {
        const batch = slot.inflight.find((b) => b.id === message.id);
        if (batch === undefined || batch.timer !== undefined) return;
        const timeout = batch.chunks[0]!.timeout;
        batch.timer = setTimeout(() => this.#timedOut(slot, batch), timeout);
        break;
      }
      case "crash":
        this.#crashed(slot, message, null);
        break;
      case "initfail":
        this.#breakPool(slot, message.error);
        break;
    }
  }

  /**
   * Settles the chunks of a batch from where the last message left off up
   * to (not including) `to`, from a result message.
   */
  #settle(
    batch: Batch,
    to: number,
    values: unknown[],
    errors: [number, SerializedError | Error][] | null,
  ): void {
    const chunks = batch.chunks;
    const from = batch.settled;
    if (to > from) batch.settled = to;
    let offset = 0;
    let e = 0;
    for (let k = from; k < to; k++) {
      const chunk = chunks[k]!;
      if (errors !== null && e < errors.length && errors[e]![0] === k) {
        const error = errors[e]![1];
        this.#failOne(
          chunk,
          error instanceof Error ? error : deserializeError(error),
        );
        e++;
        continue;
      }
      const n = chunk.items.length;
      if (chunk.state === ChunkState.Dispatched) {
        chunk.state = ChunkState.Done;
        this.#releaseHandles(chunk);
        chunk.owner.chunkDone(chunk, values, offset);
        this.#finished();
      }
      offset += n;
    }
  }

  #failOne(chunk: Chunk, error: Error): void {
    if (
      chunk.state === ChunkState.Done || chunk.state === ChunkState.Cancelled
    ) {
      return;
    }
    this.#fail(chunk, error);
    this.#finished();
  }

  /** Whether workers keep the program alive: only while there is work. */
  #keepAlive(on: boolean): void {
    for (const slot of this.#slots) slot.link.ref(on);
  }

  #fail(chunk: Chunk, error: Error): void {
    chunk.state = ChunkState.Done;
    this.#releaseHandles(chunk);
    chunk.owner.chunkFailed(chunk, error);
  }

  #finished(): void {
    if (--this.#outstanding === 0) {
      this.#suspects.clear();
      this.#keepAlive(false);
      this.#notifyIdle();
    }
  }

  #notifyIdle(): void {
    const waiters = this.#idleWaiters;
    this.#idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  #crashed(
    slot: Slot,
    message: WorkerMessage & { t: "crash" },
    cause: unknown,
  ): void {
    if (slot.gone) return;
    const inflight = slot.inflight;
    slot.inflight = [];
    this.#retire(slot, message.code, false);
    const requeue: Chunk[] = [];
    for (const batch of inflight) {
      if (batch.timer !== undefined) clearTimeout(batch.timer);
      if (batch.id !== message.id) {
        requeue.push(...batch.chunks);
        continue;
      }
      this.#settle(batch, message.k, message.r, message.e);
      const held = batch.chunks[message.k];
      if (held !== undefined) {
        const remote = message.error === null
          ? cause
          : deserializeError(message.error);
        this.#failOne(held, crashError(slot.pid, message.code, remote));
      }
      requeue.push(...batch.chunks.slice(message.k + 1));
    }
    this.#requeue(requeue);
  }

  /**
   * A worker died without saying which chunk it was running. The chunks of
   * the batch it was running that it did not report finished are in doubt:
   * one alone is the culprit; several run again one per batch.
   */
  #lost(slot: Slot, code: number, cause: unknown): void {
    const inflight = slot.inflight;
    slot.inflight = [];
    this.#retire(slot, code, false);
    const requeue: Chunk[] = [];
    for (let b = 0; b < inflight.length; b++) {
      const batch = inflight[b]!;
      if (batch.timer !== undefined) clearTimeout(batch.timer);
      if (b > 0) {
        // Never started: the worker runs its batches one after another.
        requeue.push(...batch.chunks);
        continue;
      }
      const doubt = batch.chunks.slice(batch.settled).filter((chunk) =>
        chunk.state === ChunkState.Dispatched
      );
      if (doubt.length === 1) {
        this.#suspects.delete(doubt[0]!);
        this.#failOne(doubt[0]!, crashError(slot.pid, code, cause));
        continue;
      }
      for (const chunk of doubt) this.#suspects.add(chunk);
      requeue.push(...doubt);
    }
    this.#requeue(requeue);
  }

  /** Puts dispatched chunks back at the front of the queue; replaces the worker. */
  #requeue(chunks: Chunk[]): void {
    const requeue = chunks.filter((chunk) =>
      chunk.state === ChunkState.Dispatched
    );
    for (const chunk of requeue) chunk.state = ChunkState.Queued;
    this.#retry = [...requeue, ...this.#retry];
    if (!this.#stopped) this.#spawnReplacement();
    this.#pump();
  }

  #timedOut(slot: Slot, batch: Batch): void {
    if (slot.gone) return;
    this.#stopBusy(
      slot,
      batch.chunks,
      (chunk) =>
        new TimeoutError(
          `Cannot finish task: it timed out after ${chunk.timeout} ms; its worker was ${
            this.#options.transport.name === "thread"
              ? 'replaced, but a thread busy in synchronous code may still run (Deno cannot stop it): use startMethod: "spawn" for tasks that must really stop'
              : "killed and replaced"
          }`,
        ),
    );
  }

  /**
   * Stops a worker that may be busy, for real (a timeout, an abort): it is
   * retired and replaced, the `failing` chunks fail with `errorFor(chunk)`,
   * and its other dispatched chunks go back to the front of the queue.
   */
  #stopBusy(
    slot: Slot,
    failing: Chunk[],
    errorFor: (chunk: Chunk) => Error,
  ): void {
    const inflight = slot.inflight;
    slot.inflight = [];
    // The worker is busy: a subprocess is killed; a thread's status word is
    // ended first so that its toolkit calls fail, then it is let go.
    this.#retire(slot, -9, true);
    const requeue: Chunk[] = [];
    for (const batch of inflight) {
      if (batch.timer !== undefined) clearTimeout(batch.timer);
      for (const chunk of batch.chunks) {
        if (
          chunk.state !== ChunkState.Dispatched || failing.includes(chunk)
        ) continue;
        chunk.state = ChunkState.Queued;
        requeue.push(chunk);
      }
    }
    for (const chunk of failing) this.#failOne(chunk, errorFor(chunk));
    this.#retry = [...requeue, ...this.#retry];
    if (!this.#stopped) this.#spawnReplacement();
    this.#pump();
  }

  #breakPool(slot: Slot | null, error: SerializedError | Error): void {
    if (this.#broken !== null) return;
    if (error instanceof Error) {
      // A worker could not even be created or loaded (bad permissions, ...).
      this.#broken = error;
    } else {
      const remote = deserializeError(error);
      this.#broken = new Error(
        `Cannot run task: the pool's initializer failed: ${remote.message}`,
        { cause: remote },
      );
    }
    this.#stopped = true;
    const inflight = [...this.#slots].flatMap((s) => s.inflight);
    for (const s of [...this.#slots]) {
      this.#retire(s, s === slot ? 1 : -15, s.inflight.length > 0);
    }
    for (const batch of inflight) {
      if (batch.timer !== undefined) clearTimeout(batch.timer);
      for (const chunk of batch.chunks) this.#failOne(chunk, this.#broken);
    }
    const queued = [...this.#retry, ...this.#queue.slice(this.#head)];
    this.#retry = [];
    this.#queue = [];
    this.#head = 0;
    for (const chunk of queued) this.#failOne(chunk, this.#broken);
    this.#releaseAll();
  }

  /** The error that broke the pool (a failed initializer), if any. */
  get broken(): Error | null {
    return this.#broken;
  }

  #replace(slot: Slot): void {
    this.#retire(slot, 0, false);
    if (!this.#stopped) this.#spawnReplacement();
    this.#pump();
  }

  #spawnReplacement(): void {
    if (this.#slots.length < this.size) this.#spawn();
  }

  #retire(slot: Slot, code: number, busy: boolean): void {
    if (slot.gone) return;
    slot.gone = true;
    for (const batch of slot.inflight) {
      if (batch.timer !== undefined) clearTimeout(batch.timer);
    }
    const exit = slot.link.stop(code, busy);
    this.#exits.add(exit);
    exit.then(() => this.#exits.delete(exit));
    const i = this.#slots.indexOf(slot);
    if (i >= 0) this.#slots.splice(i, 1);
  }
}

/** The error for the chunk a worker died running. */
function crashError(pid: number, code: number, cause: unknown): Error {
  const signal = code < 0 ? ` (signal ${-code})` : "";
  return new WorkerCrashedError(
    `Worker ${pid} exited with code ${code}${signal} while running a task`,
    code,
    cause === null || cause === undefined ? undefined : { cause },
  );
}

/**
 * The error for a worker that could not start: Deno's `NotCapable` when a
 * permission is missing (its message names the flag), else an `Error`
 * with what is known.
 */
function startError(cause: unknown, code: number): Error {
  let text = cause instanceof Error ? cause.message : String(cause ?? "");
  // A Web Worker's load error reads 'Uncaught (in worker "name") ...'.
  text = text.replace(/^Uncaught \(in worker "[^"]*"\)\s*/, "").trim();
  if (text === "") {
    text = `the worker exited with code ${code} before it was ready`;
  }
  const what = `Cannot start pool worker: ${text}`;
  if (
    cause instanceof Deno.errors.NotCapable ||
    /Requires \S+ access/.test(text)
  ) {
    return new Deno.errors.NotCapable(what, { cause });
  }
  return new Error(what, { cause });
}

/** The error for chunks left when a pool is terminated. */
export function terminatedError(what: string): CancelledError {
  return new CancelledError(`${what}: the pool was terminated`);
}
