// Copyright 2026 the denomp authors. MIT license.
/**
 * `Queue`: Python's process-safe FIFO queue, over a ring buffer in shared
 * memory. `put` / `get` with their `Sync` and `Nowait` forms, `qsize`,
 * `empty`, `full`, `close` (this handle puts no more), and `for await` that
 * ends once every handle is closed and the queue is drained.
 *
 * @module
 */

import { assertLive } from "./_context.ts";
import { decode, encodeScratch } from "./channel/codec.ts";
import {
  registerShareable,
  SHARE,
  type ShareContext,
  type SharedDescriptor,
} from "./_registry.ts";
import {
  CLOSED,
  newReadState,
  OK,
  type ReadState,
  type Ring,
  type RingStatus,
  type Taken,
  waitOptions,
} from "./channel/ring.ts";
import {
  inspectQueue,
  type QueueData,
  type QueueParts,
  queueParts,
  reviveNext,
  shareQueue,
} from "./channel/queue_parts.ts";
import { QueueClosedError, QueueEmptyError, QueueFullError } from "./errors.ts";

/** Options for the {@linkcode Queue} constructor. */
export interface QueueOptions {
  /**
   * Most items the queue holds; `put` waits (and `putNowait` throws
   * `QueueFullError`) while it is full. `0` or less means no limit on the
   * count, as Python's `maxsize <= 0` (`maxsize` then reads `0`); the byte
   * `capacity` still applies.
   *
   * @default {0}
   */
  maxsize?: number;
  /**
   * Bytes of shared memory for messages in flight (rounded up to a multiple
   * of 8, at least 64). Each message takes its encoding plus an 8-byte
   * header, rounded up to 8 bytes. A message that does not fit the free
   * space waits for room; one that takes more than half the capacity
   * (so also one larger than the whole capacity) is streamed through in
   * pieces (see {@linkcode Queue.prototype.put}). The queue uses this many
   * bytes plus a 320-byte header, and a handle table (a growable buffer
   * of one memory page: 16 bytes for each Process holding the queue).
   *
   * @default {1048576}
   */
  capacity?: number;
}

/** Options for {@linkcode Queue.prototype.put}. */
export interface QueuePutOptions {
  /**
   * Milliseconds to wait for room at most; then `put()` rejects with
   * `QueueFullError` and nothing is enqueued.
   *
   * @default {Infinity}
   */
  timeout?: number;
  /** Aborting rejects with `signal.reason`; nothing is enqueued. */
  signal?: AbortSignal;
}

/** Options for {@linkcode Queue.prototype.putSync}. */
export interface QueuePutSyncOptions {
  /**
   * Milliseconds to block for room at most; then `putSync()` throws
   * `QueueFullError`.
   *
   * @default {Infinity}
   */
  timeout?: number;
}

/** Options for {@linkcode Queue.prototype.get}. */
export interface QueueGetOptions {
  /**
   * Milliseconds to wait for an item at most; then `get()` rejects with
   * `QueueEmptyError`.
   *
   * @default {Infinity}
   */
  timeout?: number;
  /** Aborting rejects with `signal.reason`; no item is taken. */
  signal?: AbortSignal;
}

/** Options for {@linkcode Queue.prototype.getSync}. */
export interface QueueGetSyncOptions {
  /**
   * Milliseconds to block for an item at most; then `getSync()` throws
   * `QueueEmptyError`.
   *
   * @default {Infinity}
   */
  timeout?: number;
}

const PUT = "Cannot put to queue";
const GET = "Cannot get from queue";

function decodeTaken<T>(bytes: Uint8Array, raw: boolean): T {
  return (raw ? bytes.slice() : decode(bytes)) as T;
}

function throwPut(status: RingStatus, value: unknown, timeout: number): never {
  if (status === CLOSED) throw closedHandle(value);
  throw new QueueFullError(
    timeout === 0
      ? "Cannot put to queue: the queue is full"
      : `Cannot put to queue: still full after ${timeout} ms`,
  );
}

function closedHandle(value: unknown): QueueClosedError {
  return new QueueClosedError(
    value,
    "Cannot put to queue: this handle of the queue is closed",
  );
}

function throwGet(status: RingStatus, timeout: number): never {
  if (status === CLOSED) {
    throw new QueueClosedError(
      undefined,
      "Cannot get from queue: every handle is closed and the queue is drained",
    );
  }
  throw new QueueEmptyError(
    timeout === 0
      ? "Cannot get from queue: the queue is empty"
      : `Cannot get from queue: still empty after ${timeout} ms`,
  );
}

/**
 * A process-safe FIFO queue, as Python's `multiprocessing.Queue`. Values are
 * encoded into a ring buffer in shared memory, so any thread (the main
 * program or any Process holding the queue) can put and get.
 *
 * What can be put: everything JSON carries, plus `undefined`, `bigint`,
 * `NaN`/`Infinity`/`-0`, `Date`, `Map`, `Set`, `ArrayBuffer` and typed arrays
 * (their bytes are copied) and `Error`s (name, message, stack, cause). A
 * function, a symbol, a class instance with methods or a cycle fails with a
 * `TypeError` at `put` and nothing is enqueued. What comes out is a copy.
 *
 * Order: items from one producer come out in the order it put them
 * (per-producer FIFO); items from different producers interleave.
 *
 * Handles, as in Python, where each process holds its own copy of a queue:
 * - Each Queue object is one handle. `new Queue()` makes the first; passed
 *   to a Process in `args`, the queue arrives there as a handle of that
 *   Process's own (counted from `start()` on, so the parent may close its
 *   copy at once); passed to a pool task, the task gets a handle for as long
 *   as it runs.
 * - `close()` ends this handle only and means "I will put no more", as
 *   Python's `close()`. A put on a closed handle throws `QueueClosedError`;
 *   a get still works (Python's raises `ValueError`: here a closed handle
 *   may drain, which is how a consumer says it puts nothing and reads on).
 * - Once every handle is closed or its Process has ended (returned, thrown,
 *   `exit()`, terminated or killed, even while busy in a loop), nothing more
 *   can be put: gets deliver everything put before, then throw
 *   `QueueClosedError`, and `for await` ends. A Process that ends normally
 *   closes its handles at once; the end of a terminated one is noticed by
 *   waiting readers within 100 ms.
 * - A handle counts until `close()` or the end of its Process, even if its
 *   object is no longer referenced. The main program never ends while it
 *   runs, so a parent that only reads closes its handle first.
 *
 * ```ts ignore
 * const q = new Queue<number>();
 * for (let i = 0; i < 4; i++) {
 *   await new Process({ target: produce, args: [q, i] }).start();
 * }
 * q.close(); // the parent puts nothing
 * for await (const v of q) total += v; // ends once every producer has ended
 * ```
 *
 * `getSync()` / `putSync()` park the calling thread; on the main thread they
 * freeze the event loop while they wait, so prefer `get()` / `put()` there.
 *
 * @typeParam T The type of the items.
 *
 * @example Usage
 * ```ts
 * import { Process, Queue } from "@denomp/multiprocessing";
 * import assert from "node:assert/strict";
 *
 * const q = new Queue<number>();
 * const module = new URL("../tests/fixtures/queue_targets.ts", import.meta.url);
 * const p = new Process({ target: "putRange", args: [q, 3], module });
 * await p.start();
 * assert.deepEqual([await q.get(), await q.get(), await q.get()], [0, 1, 2]);
 * await p.join();
 * ```
 */
export class Queue<T = unknown> {
  readonly #parts: QueueParts;
  readonly #ring: Ring;

  /**
   * Creates a queue, and its first handle.
   *
   * @param options Item limit and byte capacity.
   * @throws {TypeError} When an option has the wrong type.
   * @throws {RangeError} When `maxsize` or `capacity` is out of range.
   */
  constructor(options?: QueueOptions) {
    this.#parts = queueParts(this, options);
    this.#ring = this.#parts.ring;
  }

  /** Most items the queue holds, `0` for no limit. */
  get maxsize(): number {
    return this.#ring.maxsize;
  }

  /** Bytes of shared memory for messages in flight. */
  get capacity(): number {
    return this.#ring.capacity;
  }

  /**
   * Whether this handle is closed ({@linkcode Queue.prototype.close}):
   * it puts no more.
   */
  get closed(): boolean {
    return this.#parts.handle.closed;
  }

  /**
   * Puts a value, waiting for room when the queue is full.
   *
   * A message taking more than half the `capacity` (however large, even
   * far larger than the capacity) is streamed through in pieces while
   * consumers take them; other producers wait meanwhile, so it still
   * arrives whole and in order, to one consumer. It is never dropped and
   * never deadlocks as long as some consumer gets. If its producer ends,
   * times out or is aborted mid-way, the pieces already sent are discarded
   * by the consumers: no partial message is ever delivered. Once a consumer
   * has started taking a streamed message, it finishes it regardless of its
   * own timeout or signal (waiting only while the producer is alive).
   *
   * @param value The value to put.
   * @param options A timeout and an abort signal.
   * @returns A promise that resolves once the value is in the queue.
   * @throws {TypeError} When the value cannot be encoded (nothing is put).
   * @throws {QueueClosedError} When this handle is closed.
   * @throws {QueueFullError} When `timeout` runs out.
   *
   * @example Usage
   * ```ts
   * import { Queue, QueueFullError } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   *
   * const q = new Queue({ maxsize: 1 });
   * await q.put({ id: 1, tags: new Set(["a"]) });
   * await assert.rejects(q.put(2, { timeout: 10 }), QueueFullError);
   * assert.deepEqual(await q.get(), { id: 1, tags: new Set(["a"]) });
   * ```
   */
  put(value: T, options?: QueuePutOptions): Promise<void> {
    try {
      const { timeout, signal } = waitOptions(PUT, options);
      assertLive();
      if (this.#parts.handle.closed) throw closedHandle(value);
      signal?.throwIfAborted();
      const ring = this.#ring;
      const bytes = encodeScratch(value, PUT);
      // While earlier puts of this thread wait, later ones queue behind
      // them (per-producer order) instead of taking free room first.
      if (!ring.needsStream(bytes.length) && !ring.hasPendingPuts) {
        const status = ring.tryPutNow(bytes, false);
        if (status === OK) return Promise.resolve();
        if (status === CLOSED || timeout === 0) throwPut(status, value, 0);
      }
      return this.#putSlow(bytes.slice(), value, timeout, signal);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  async #putSlow(
    bytes: Uint8Array,
    value: T,
    timeout: number,
    signal: AbortSignal | undefined,
  ): Promise<void> {
    const status = await this.#ring.enqueuePut(bytes, false, {
      timeout,
      signal,
    });
    if (status !== OK) throwPut(status, value, timeout);
  }

  /**
   * Puts a value, blocking the thread while the queue is full.
   *
   * @param value The value to put.
   * @param options A timeout.
   * @throws {TypeError} When the value cannot be encoded (nothing is put).
   * @throws {QueueClosedError} When this handle is closed.
   * @throws {QueueFullError} When `timeout` runs out.
   *
   * @example Usage
   * ```ts
   * import { Queue } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   *
   * const q = new Queue<string>();
   * q.putSync("a");
   * assert.equal(q.getSync(), "a");
   * ```
   */
  putSync(value: T, options?: QueuePutSyncOptions): void {
    const { timeout } = waitOptions(PUT, options);
    if (this.#parts.handle.closed) throw closedHandle(value);
    // The ring checks liveness (ProcessEndedError) before it writes.
    const bytes = encodeScratch(value, PUT);
    const status = this.#ring.putSync(bytes, false, timeout);
    if (status !== OK) throwPut(status, value, timeout);
  }

  /**
   * Puts a value if there is room now.
   *
   * @param value The value to put.
   * @throws {TypeError} When the value cannot be encoded (nothing is put).
   * @throws {QueueClosedError} When this handle is closed.
   * @throws {QueueFullError} When there is no room now, or the message
   *   takes more than half the capacity (it can only be streamed by
   *   `put()` / `putSync()`).
   *
   * @example Usage
   * ```ts
   * import { Queue, QueueFullError } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   *
   * const q = new Queue({ maxsize: 1 });
   * q.putNowait(1);
   * assert.throws(() => q.putNowait(2), QueueFullError);
   * ```
   */
  putNowait(value: T): void {
    assertLive();
    if (this.#parts.handle.closed) throw closedHandle(value);
    const bytes = encodeScratch(value, PUT);
    if (this.#ring.needsStream(bytes.length)) {
      throw new QueueFullError(
        `Cannot put to queue: a message of ${bytes.length} bytes is too large to put without waiting; use put()`,
      );
    }
    const status = this.#ring.tryPutNow(bytes, false);
    if (status !== OK) throwPut(status, value, 0);
  }

  /**
   * Takes the oldest item, waiting for one when the queue is empty.
   *
   * @param options A timeout and an abort signal.
   * @returns The item.
   * @throws {QueueEmptyError} When `timeout` runs out.
   * @throws {QueueClosedError} When every handle is closed (or its Process
   *   ended) and the queue is drained.
   *
   * @example Usage
   * ```ts
   * import { Queue, QueueEmptyError } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   *
   * const q = new Queue<number>();
   * await assert.rejects(q.get({ timeout: 5 }), QueueEmptyError);
   * await q.put(7);
   * assert.equal(await q.get(), 7);
   * ```
   */
  get(options?: QueueGetOptions): Promise<T> {
    try {
      const { timeout, signal } = waitOptions(GET, options);
      assertLive();
      signal?.throwIfAborted();
      const ring = this.#ring;
      const r = newReadState();
      const status = ring.takeOnce(r);
      if (status === OK) {
        return Promise.resolve(decodeTaken<T>(ring.taken, ring.takenRaw));
      }
      if (status === CLOSED || (timeout === 0 && r.partial === null)) {
        throwGet(status, 0);
      }
      return this.#getSlow(r, timeout, signal);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  async #getSlow(
    r: ReadState,
    timeout: number,
    signal: AbortSignal | undefined,
  ): Promise<T> {
    const result = await this.#ring.take(r, { timeout, signal });
    if (typeof result === "number") throwGet(result, timeout);
    return decodeTaken<T>((result as Taken).bytes, (result as Taken).raw);
  }

  /**
   * Takes the oldest item, blocking the thread while the queue is empty.
   *
   * @param options A timeout.
   * @returns The item.
   * @throws {QueueEmptyError} When `timeout` runs out.
   * @throws {QueueClosedError} When every handle is closed (or its Process
   *   ended) and the queue is drained.
   *
   * @example Usage
   * ```ts
   * import { Queue, QueueEmptyError } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   *
   * const q = new Queue();
   * assert.throws(() => q.getSync({ timeout: 1 }), QueueEmptyError);
   * ```
   */
  getSync(options?: QueueGetSyncOptions): T {
    const { timeout } = waitOptions(GET, options);
    // The ring checks liveness (ProcessEndedError) before it takes.
    const ring = this.#ring;
    const status = ring.takeSync(newReadState(), timeout);
    if (status !== OK) throwGet(status, timeout);
    return decodeTaken<T>(ring.taken, ring.takenRaw);
  }

  /**
   * Takes the oldest item if there is one now.
   *
   * @returns The item.
   * @throws {QueueEmptyError} When the queue is empty.
   * @throws {QueueClosedError} When every handle is closed (or its Process
   *   ended) and the queue is drained.
   *
   * @example Usage
   * ```ts
   * import { Queue, QueueEmptyError } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   *
   * const q = new Queue();
   * assert.throws(() => q.getNowait(), QueueEmptyError);
   * ```
   */
  getNowait(): T {
    assertLive();
    const ring = this.#ring;
    const status = ring.takeOnce(newReadState(), true);
    if (status !== OK) throwGet(status, 0);
    return decodeTaken<T>(ring.taken, ring.takenRaw);
  }

  /**
   * The number of items in the queue now (a snapshot that other Processes
   * may change at once, as in Python).
   *
   * @returns The item count.
   *
   * @example Usage
   * ```ts
   * import { Queue } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   *
   * const q = new Queue();
   * q.putNowait("x");
   * assert.equal(q.qsize(), 1);
   * ```
   */
  qsize(): number {
    return this.#ring.items();
  }

  /**
   * Whether the queue has no items now (a snapshot).
   *
   * @returns `true` when empty.
   *
   * @example Usage
   * ```ts
   * import { Queue } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   *
   * assert.equal(new Queue().empty(), true);
   * ```
   */
  empty(): boolean {
    return this.#ring.items() === 0;
  }

  /**
   * Whether the queue holds `maxsize` items now (a snapshot). A queue
   * without `maxsize` is never full by count (a put may still wait for
   * bytes of room).
   *
   * @returns `true` when full.
   *
   * @example Usage
   * ```ts
   * import { Queue } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   *
   * const q = new Queue({ maxsize: 1 });
   * q.putNowait(1);
   * assert.equal(q.full(), true);
   * ```
   */
  full(): boolean {
    return this.maxsize > 0 && this.#ring.items() >= this.maxsize;
  }

  /**
   * Closes this handle (idempotent): it puts no more, as Python's
   * `close()`. Its later puts throw `QueueClosedError`; its gets still
   * drain. Other handles (other Processes' copies) are not affected; once
   * every handle is closed or its Process has ended, gets throw
   * `QueueClosedError` after the last item and `for await` loops end.
   *
   * @example Usage
   * ```ts
   * import { Queue, QueueClosedError } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   *
   * const q = new Queue<number>();
   * await q.put(1);
   * await q.put(2);
   * q.close(); // the only handle: nothing more can be put
   * assert.throws(() => q.putNowait(3), QueueClosedError);
   * const seen = [];
   * for await (const v of q) seen.push(v);
   * assert.deepEqual(seen, [1, 2]);
   * ```
   */
  close(): void {
    this.#parts.handle.close();
  }

  /**
   * Yields items until every handle is closed (or its Process ended) and
   * the queue is drained. This handle counts too: a consumer that puts
   * nothing closes it first (`q.close()`), or the loop waits for ever.
   *
   * @returns An async iterator over the items.
   *
   * @example Usage
   * ```ts
   * import { Queue } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   *
   * const q = new Queue<string>();
   * q.putNowait("a");
   * q.close();
   * const seen: string[] = [];
   * for await (const v of q) seen.push(v);
   * assert.deepEqual(seen, ["a"]);
   * ```
   */
  async *[Symbol.asyncIterator](): AsyncGenerator<T, void, undefined> {
    while (true) {
      let value: T;
      try {
        value = await this.get();
      } catch (error) {
        if (error instanceof QueueClosedError) return;
        throw error;
      }
      yield value;
    }
  }

  /** Closes this handle (see {@linkcode Queue.prototype.close}). */
  [Symbol.dispose](): void {
    this.close();
  }

  /**
   * The descriptor this queue crosses into a worker as. Internal.
   *
   * @param context Who receives it.
   * @returns The descriptor.
   * @ignore Internal: the shared-object registry calls it.
   */
  [SHARE](context?: ShareContext): SharedDescriptor {
    return shareQueue("Queue", import.meta.url, this.#parts, context);
  }

  /**
   * What `console.log` / `Deno.inspect` show: `maxsize`, `qsize()` and
   * whether this handle is closed.
   *
   * @returns A short description.
   */
  [Symbol.for("Deno.customInspect")](): string {
    return inspectQueue(this.constructor.name, this.#parts);
  }
}

registerShareable("Queue", (data) => {
  reviveNext(data as QueueData);
  return new Queue();
});
