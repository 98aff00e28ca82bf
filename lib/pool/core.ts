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
import { assertNotBootstrapping } from "../_context.ts";
import { targetModule, type TargetRef, targetRef } from "../_target.ts";
import type { Transport, WorkerLink } from "./transport.ts";
import {
  FLAG_EACH,
  FLAG_SHARED,
  type RunMessage,
  type WorkerMessage,
} from "./wire.ts";
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
const BATCH_CHUNKS = 1024;
/**
 * Chunks in one batch until the workers have said how long chunks take
 * (and always, with a transport that does not say).
 */
const FIRST_BATCH_CHUNKS = 64;
/**
 * The work one batch should hold, in ms: quick chunks go by the thousand
 * (a message costs tens of microseconds), slow ones a few at a time, so
 * that the last batches of a map keep every worker busy to the end.
 */
const BATCH_MS = 4;
/**
 * How long a pool's constructor waits, at most, for the workers it started
 * to load their task module (a worker that cannot load never does).
 */
const LOAD_WAIT_MS = 250;
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

/** Who is told how the chunks of a run ended. */
export interface RunOwner extends ChunkOwner {
  /**
   * Chunks `from .. to` of the run succeeded; `values` are their items'
   * results, in order (the usual way a batch of a run ends, without a
   * record per chunk). Chunks that end otherwise go through `chunkDone` and
   * `chunkFailed`, with the chunk's `tag` its first item's index.
   */
  runDone(run: ChunkRun, from: number, to: number, values: unknown[]): void;
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

/**
 * The chunks of one map, queued as one record: chunk `k` holds
 * `items[k * size .. (k + 1) * size)`. They become {@linkcode Chunk}
 * records only as they are dispatched, a batch at a time: a 20k-item map
 * does not build 20k records up front, which would all outlive the young
 * generation (the first map of a process paid ~20 ms for the garbage
 * collector growing it).
 */
export interface ChunkRun {
  fn: number;
  flags: number;
  /** Every item of the map; a chunk's items are a slice of it. */
  items: unknown[];
  /** Items per chunk. */
  size: number;
  /** Per-chunk timeout in ms, counted from when it starts; 0 for none. */
  timeout: number;
  owner: RunOwner;
  /** The next chunk to dispatch; chunks from here on are queued. */
  next: number;
  /** How many chunks there are. */
  count: number;
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
  /** Its chunks; read them through `chunksOf()` (a span is made into records then). */
  chunks: Chunk[];
  /** Chunks `from .. to` of a run, when the batch is that and has no records yet. */
  span: { run: ChunkRun; from: number; to: number } | null;
  /** How many chunks it holds. */
  count: number;
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
  #queue: (Chunk | ChunkRun)[] = [];
  #head = 0;
  /** Chunks in `#queue` from `#head` on (a run counts those not yet cut). */
  #queued = 0;
  #retry: Chunk[] = [];
  #fnIds = new Map<unknown, number>();
  #fnRefs: TargetRef[] = [];
  #batchId = 0;
  #outstanding = 0;
  #pumpScheduled = false;
  #started = false;
  #stopped = false;
  #broken: Error | null = null;
  /**
   * Why the pool takes no more chunks once its workers were stopped
   * (terminated, or closed and joined): a chunk queued then would wait for
   * ever.
   */
  #refused: Error | null = null;
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
  /** How long a chunk takes in a worker, in ms (a running estimate). */
  #chunkMs: number | null = null;
  /** The URL of the module the tasks come from by default. */
  #module: string | null = null;

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
   * Encodes the items of a chunk: primitives pass as they are; objects are
   * walked for shared objects. Returns the flags to OR into the chunk's.
   * Errors name an item as `${path} ${base + i}`. Handles in the items are
   * lent to the task: held until the chunk is settled, given back at once if
   * an item fails to encode, and at the latest when the pool stops (items
   * encoded for a chunk that was never queued). With `lend` false the
   * caller lends them, by {@linkcode PoolCore.prototype.lend}, in the
   * arrays its chunks will hold.
   */
  encodeItems(
    what: string,
    items: unknown[],
    path: string,
    base = 0,
    lend = true,
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
    if (lend && flags & FLAG_SHARED) this.#lent.add(items);
    return flags;
  }

  /** Lends the handles in a chunk's items (see `encodeItems`). */
  lend(items: unknown[]): void {
    this.#lent.add(items);
  }

  /** Queues a chunk. Fails it at once when the pool is broken or stopped. */
  enqueue(chunk: Chunk): void {
    const refused = this.#broken ?? this.#refused;
    if (refused !== null) {
      chunk.state = ChunkState.Done;
      this.#releaseHandles(chunk);
      chunk.owner.chunkFailed(chunk, refused);
      return;
    }
    this.#queue.push(chunk);
    this.#queued++;
    if (this.#outstanding++ === 0) this.#keepAlive(true);
    this.#schedulePump();
  }

  /**
   * Queues the chunks of a run (items that hold no shared object). Fails
   * them at once when the pool is broken or stopped.
   */
  enqueueRun(run: ChunkRun): void {
    if (run.next >= run.count) return;
    const refused = this.#broken ?? this.#refused;
    if (refused !== null) {
      for (const chunk of spend(run)) this.#fail(chunk, refused);
      return;
    }
    this.#queue.push(run);
    this.#queued += run.count - run.next;
    if (this.#outstanding === 0) this.#keepAlive(true);
    this.#outstanding += run.count - run.next;
    this.#schedulePump();
  }

  /**
   * Drops the chunks of a run that have not been dispatched, and those of
   * its owner waiting to run again after a crash.
   */
  cancelRun(run: ChunkRun): void {
    for (const chunk of this.#retry) {
      if (chunk.owner === run.owner) this.cancel(chunk);
    }
    const left = run.count - run.next;
    if (left <= 0) return;
    run.next = run.count;
    this.#queued -= left;
    this.#finished(left);
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
      s.inflight.some((batch) => chunksOf(batch).includes(chunk))
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
    if (this.#started || this.#stopped || this.#broken !== null) return;
    // Refused while this child imports its task module (Python's rule).
    assertNotBootstrapping("Cannot create pool");
    this.#start();
    // The workers load on their own threads; this one waits meanwhile, so
    // that the first call finds them ready and the last one to start does
    // not compete with this thread for a core.
    if (this.#broken === null) {
      this.#options.transport.waitLoaded?.(LOAD_WAIT_MS);
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
    this.#refused ??= reason;
    const inflight = this.#slots.flatMap((slot) => slot.inflight);
    for (const slot of [...this.#slots]) {
      this.#retire(slot, -15, slot.inflight.length > 0);
    }
    for (const batch of inflight) {
      for (const chunk of chunksOf(batch)) this.#failOne(chunk, reason);
    }
    this.#failQueued(reason);
    this.#releaseAll();
  }

  /**
   * Lets idle workers go once every chunk is done, and resolves once they
   * (and every worker stopped before) are gone.
   */
  async shutdown(): Promise<void> {
    await this.idle();
    this.#stopped = true;
    this.#refused ??= new Error(
      "Cannot run task: the pool was closed and its workers have exited (joined)",
    );
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

  /** Fails every chunk not yet dispatched. */
  #failQueued(reason: Error): void {
    const entries = [...this.#retry, ...this.#queue.slice(this.#head)];
    this.#retry = [];
    this.#queue = [];
    this.#head = 0;
    this.#queued = 0;
    for (const entry of entries) {
      if (isRun(entry)) {
        for (const chunk of spend(entry)) this.#failOne(chunk, reason);
      } else this.#failOne(entry, reason);
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
      // Validated with the options (buildCore).
      module: this.#module ??= targetModule(
        "Cannot start pool worker",
        this.#options.module,
      ),
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
    return this.#retry.length + this.#queued;
  }

  /**
   * Takes the next queued chunk (cut from its run), after `#peek()` found
   * one.
   */
  #next(): Chunk {
    if (this.#retry.length > 0) return this.#retry.shift()!;
    const entry = this.#queue[this.#head]!;
    this.#queued--;
    if (!isRun(entry)) {
      this.#advance();
      return entry;
    }
    const chunk = cut(entry);
    if (entry.next === entry.count) this.#advance();
    return chunk;
  }

  /**
   * The next queued chunk, or the run it will be cut from; skips cancelled
   * chunks and spent runs, so that the batch rules see a real one.
   */
  #peek(): Chunk | ChunkRun | undefined {
    while (this.#retry.length > 0) {
      const chunk = this.#retry[0]!;
      if (chunk.state === ChunkState.Queued) return chunk;
      this.#retry.shift();
    }
    while (this.#head < this.#queue.length) {
      const entry = this.#queue[this.#head]!;
      if (isRun(entry)) {
        if (entry.next < entry.count) return entry;
      } else if (entry.state === ChunkState.Queued) return entry;
      else this.#queued--;
      this.#advance();
    }
    return undefined;
  }

  #advance(): void {
    if (++this.#head > 4096 && this.#head * 2 > this.#queue.length) {
      this.#queue = this.#queue.slice(this.#head);
      this.#head = 0;
    }
  }

  /** Posts one batch to a slot; returns whether one was posted. */
  #dispatch(slot: Slot): boolean {
    const max = this.#options.maxTasksPerChild;
    const chunkMs = this.#chunkMs;
    let room = chunkMs === null ? FIRST_BATCH_CHUNKS : Math.max(
      1,
      Math.min(BATCH_CHUNKS, Math.floor(BATCH_MS / Math.max(chunkMs, 1e-6))),
    );
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
    if (isRun(first) && first.timeout === 0) {
      return this.#dispatchRun(slot, first, room);
    }
    const chunks: Chunk[] = [];
    const c: unknown[] = [];
    let defs: [number, TargetRef][] | null = null;
    let items = 0;
    const suspects = this.#suspects;
    const timed = first.timeout > 0;
    const alone = timed || (suspects.size > 0 && suspects.has(first as Chunk));
    const packs = this.#options.transport.packs === true;
    let each: unknown[] | null = null;
    while (chunks.length < room && items < BATCH_ITEMS) {
      const next = this.#peek();
      if (next === undefined) break;
      // A timed chunk travels alone so that its clock starts with it, and a
      // suspect so that a death can be blamed on it alone.
      if (
        chunks.length > 0 &&
        (alone || next.timeout > 0 ||
          (suspects.size > 0 && suspects.has(next as Chunk)))
      ) break;
      const chunk = this.#next();
      chunk.state = ChunkState.Dispatched;
      chunks.push(chunk);
      // One-item chunks of one function in a row travel as one item list
      // (FLAG_EACH) where the transport takes it: an executor's futures.
      if (packs && chunk.items.length === 1) {
        if (
          each !== null && c[c.length - 3] === chunk.fn &&
          c[c.length - 2] === (chunk.flags | FLAG_EACH)
        ) each.push(chunk.items[0]);
        else {
          each = [chunk.items[0]];
          c.push(chunk.fn, chunk.flags | FLAG_EACH, each);
        }
      } else {
        each = null;
        c.push(chunk.fn, chunk.flags, chunk.items);
      }
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
      span: null,
      count: chunks.length,
      timer: undefined,
      settled: 0,
    };
    this.#send(slot, batch, { t: "run", id: batch.id, defs, c, timed });
    return true;
  }

  /**
   * Posts the next chunks of a run as one batch, without a record per
   * chunk: chunks of one item travel as one item list (`FLAG_EACH`) where
   * the transport takes it.
   */
  #dispatchRun(slot: Slot, run: ChunkRun, room: number): boolean {
    const { fn, size, items } = run;
    const from = run.next;
    const to = Math.min(
      run.count,
      from + Math.min(room, Math.ceil(BATCH_ITEMS / size)),
    );
    run.next = to;
    this.#queued -= to - from;
    if (to === run.count) this.#advance();
    let c: unknown[];
    if (size === 1 && this.#options.transport.packs === true) {
      c = [fn, run.flags | FLAG_EACH, items.slice(from, to)];
    } else {
      c = [];
      for (let k = from; k < to; k++) {
        const base = k * size;
        c.push(
          fn,
          run.flags,
          size === 1 ? [items[base]] : items.slice(base, base + size),
        );
      }
    }
    let defs: [number, TargetRef][] | null = null;
    if (!slot.known.has(fn)) {
      slot.known.add(fn);
      defs = [[fn, this.#fnRefs[fn]!]];
    }
    const batch: Batch = {
      id: ++this.#batchId,
      chunks: [],
      span: { run, from, to },
      count: to - from,
      timer: undefined,
      settled: 0,
    };
    this.#send(slot, batch, { t: "run", id: batch.id, defs, c, timed: false });
    return true;
  }

  #send(slot: Slot, batch: Batch, message: RunMessage): void {
    slot.inflight.push(batch);
    slot.assigned += batch.count;
    try {
      slot.link.send(message);
    } catch (error) {
      // An item cannot be sent: fail these chunks, keep the worker.
      slot.inflight.pop();
      slot.assigned -= batch.count;
      const failure = error instanceof Error ? error : new Error(String(error));
      for (const chunk of chunksOf(batch)) this.#failOne(chunk, failure);
    }
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
        if (message.ms !== undefined && batch.count > 0) {
          const ms = message.ms / batch.count;
          this.#chunkMs = this.#chunkMs === null
            ? ms
            : (this.#chunkMs + ms) / 2;
        }
        this.#settle(batch, batch.count, message.r, message.e);
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
        const timeout = chunksOf(batch)[0]!.timeout;
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
    const span = batch.span;
    if (
      span !== null && errors === null && to === batch.count &&
      batch.settled === 0
    ) {
      // A run's batch done in full: one call, no record per chunk.
      batch.settled = to;
      span.run.owner.runDone(span.run, span.from, span.to, values);
      this.#finished(to);
      return;
    }
    const chunks = chunksOf(batch);
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

  #finished(n = 1): void {
    if ((this.#outstanding -= n) === 0) {
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
      const chunks = chunksOf(batch);
      if (batch.id !== message.id) {
        requeue.push(...chunks);
        continue;
      }
      this.#settle(batch, message.k, message.r, message.e);
      const held = chunks[message.k];
      if (held !== undefined) {
        const remote = message.error === null
          ? cause
          : deserializeError(message.error);
        this.#failOne(held, crashError(slot.pid, message.code, remote));
      }
      requeue.push(...chunks.slice(message.k + 1));
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
        requeue.push(...chunksOf(batch));
        continue;
      }
      const doubt = chunksOf(batch).slice(batch.settled).filter((chunk) =>
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
      chunksOf(batch),
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
      for (const chunk of chunksOf(batch)) {
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
      for (const chunk of chunksOf(batch)) this.#failOne(chunk, this.#broken);
    }
    this.#failQueued(this.#broken);
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

function isRun(entry: Chunk | ChunkRun): entry is ChunkRun {
  return "count" in entry;
}

/** Makes the next chunk of a run into a record of its own. */
function cut(run: ChunkRun): Chunk {
  return chunkAt(run, run.next++, ChunkState.Queued);
}

/**
 * Takes every chunk of a run not yet dispatched out of it, as records (to
 * fail them): the run is spent first, so that its owner cancelling it
 * meanwhile finds nothing left to cancel.
 */
function spend(run: ChunkRun): Chunk[] {
  const from = run.next;
  run.next = run.count;
  const chunks: Chunk[] = [];
  for (let k = from; k < run.count; k++) {
    chunks.push(chunkAt(run, k, ChunkState.Queued));
  }
  return chunks;
}

/** Chunk `k` of a run as a record of its own. */
function chunkAt(run: ChunkRun, k: number, state: ChunkState): Chunk {
  const base = k * run.size;
  return {
    fn: run.fn,
    flags: run.flags,
    items: run.size === 1
      ? [run.items[base]]
      : run.items.slice(base, base + run.size),
    timeout: run.timeout,
    owner: run.owner,
    tag: base,
    state,
  };
}

/**
 * The chunks of a batch as records: a run's batch is given them the first
 * time anything but its plain success needs them (a failed chunk, a `part`
 * message, a crash, a timeout, a terminate).
 */
function chunksOf(batch: Batch): Chunk[] {
  const span = batch.span;
  if (span !== null) {
    batch.span = null;
    for (let k = span.from; k < span.to; k++) {
      batch.chunks.push(chunkAt(span.run, k, ChunkState.Dispatched));
    }
  }
  return batch.chunks;
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
