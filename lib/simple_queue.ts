// Copyright 2026 the denomp authors. MIT license.
/**
 * `SimpleQueue`: Python's minimal process-safe FIFO queue: `put`, `get`,
 * `empty`, `close`, without an item limit.
 *
 * @module
 */

import {
  registerShareable,
  SHARE,
  type ShareContext,
  type SharedDescriptor,
} from "./_registry.ts";
import {
  partsOf,
  type QueueData,
  type QueueParts,
  reviveNext,
  shareQueue,
} from "./channel/queue_parts.ts";
import {
  Queue,
  type QueueGetOptions,
  type QueueGetSyncOptions,
  type QueuePutOptions,
  type QueuePutSyncOptions,
} from "./queue.ts";

/** Options for the {@linkcode SimpleQueue} constructor. */
export interface SimpleQueueOptions {
  /**
   * Bytes of shared memory for messages in flight, as for
   * {@linkcode Queue}.
   *
   * @default {1048576}
   */
  capacity?: number;
}

/**
 * A minimal process-safe FIFO queue, as Python's
 * `multiprocessing.SimpleQueue`: the same channel as {@linkcode Queue}
 * (same encoding, same per-producer order, same handles: `close()` ends this
 * handle's puts, and gets end once every handle is closed or its Process
 * ended) with only `put`, `get` (and their `Sync` twins), `empty` and
 * `close`.
 *
 * @typeParam T The type of the items.
 *
 * @example Usage
 * ```ts
 * import { Process, SimpleQueue } from "@denomp/multiprocessing";
 * import assert from "node:assert/strict";
 *
 * const q = new SimpleQueue<number>();
 * const module = new URL("../tests/fixtures/queue_targets.ts", import.meta.url);
 * const p = new Process({ target: "simplePut", args: [q, 2], module });
 * await p.start();
 * assert.equal(await q.get(), 0);
 * assert.equal(await q.get(), 1);
 * await p.join();
 * ```
 */
export class SimpleQueue<T = unknown> {
  readonly #queue: Queue<T>;
  readonly #parts: QueueParts;

  /**
   * Creates a simple queue.
   *
   * @param options The byte capacity.
   * @throws {TypeError} When an option has the wrong type.
   * @throws {RangeError} When `capacity` is out of range.
   */
  constructor(options?: SimpleQueueOptions) {
    if (
      options !== undefined && (typeof options !== "object" || options === null)
    ) {
      throw new TypeError(
        `Cannot create queue: options must be an object, received ${
          options === null ? "null" : typeof options
        }`,
      );
    }
    this.#queue = new Queue<T>(
      options?.capacity === undefined ? {} : { capacity: options.capacity },
    );
    this.#parts = partsOf.get(this.#queue)!;
  }

  /**
   * Puts a value, waiting for room (see {@linkcode Queue.prototype.put}).
   *
   * @param value The value to put.
   * @param options A timeout and an abort signal.
   * @returns A promise that resolves once the value is in the queue.
   * @throws {TypeError} When the value cannot be encoded (nothing is put).
   * @throws {QueueClosedError} When the queue is closed.
   * @throws {QueueFullError} When `timeout` runs out.
   *
   * @example Usage
   * ```ts
   * import { SimpleQueue } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   *
   * const q = new SimpleQueue<bigint>();
   * await q.put(2n ** 70n);
   * assert.equal(await q.get(), 2n ** 70n);
   * ```
   */
  put(value: T, options?: QueuePutOptions): Promise<void> {
    return this.#queue.put(value, options);
  }

  /**
   * Puts a value, blocking the thread while there is no room.
   *
   * @param value The value to put.
   * @param options A timeout.
   * @throws {TypeError} When the value cannot be encoded (nothing is put).
   * @throws {QueueClosedError} When the queue is closed.
   * @throws {QueueFullError} When `timeout` runs out.
   *
   * @example Usage
   * ```ts
   * import { SimpleQueue } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   *
   * const q = new SimpleQueue();
   * q.putSync(new Date(0));
   * assert.deepEqual(q.getSync(), new Date(0));
   * ```
   */
  putSync(value: T, options?: QueuePutSyncOptions): void {
    this.#queue.putSync(value, options);
  }

  /**
   * Takes the oldest item, waiting for one.
   *
   * @param options A timeout and an abort signal.
   * @returns The item.
   * @throws {QueueEmptyError} When `timeout` runs out.
   * @throws {QueueClosedError} When the queue is closed and drained.
   *
   * @example Usage
   * ```ts
   * import { SimpleQueue } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   *
   * const q = new SimpleQueue<string>();
   * await q.put("x");
   * assert.equal(await q.get(), "x");
   * ```
   */
  get(options?: QueueGetOptions): Promise<T> {
    return this.#queue.get(options);
  }

  /**
   * Takes the oldest item, blocking the thread while there is none.
   *
   * @param options A timeout.
   * @returns The item.
   * @throws {QueueEmptyError} When `timeout` runs out.
   * @throws {QueueClosedError} When the queue is closed and drained.
   *
   * @example Usage
   * ```ts
   * import { SimpleQueue } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   *
   * const q = new SimpleQueue<number>();
   * q.putSync(1);
   * assert.equal(q.getSync({ timeout: 100 }), 1);
   * ```
   */
  getSync(options?: QueueGetSyncOptions): T {
    return this.#queue.getSync(options);
  }

  /**
   * Whether the queue has no items now (a snapshot).
   *
   * @returns `true` when empty.
   *
   * @example Usage
   * ```ts
   * import { SimpleQueue } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   *
   * assert.equal(new SimpleQueue().empty(), true);
   * ```
   */
  empty(): boolean {
    return this.#queue.empty();
  }

  /**
   * Closes this handle: it puts no more (see
   * {@linkcode Queue.prototype.close}).
   *
   * @example Usage
   * ```ts
   * import { QueueClosedError, SimpleQueue } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   *
   * const q = new SimpleQueue();
   * q.close();
   * await assert.rejects(q.put(1), QueueClosedError);
   * ```
   */
  close(): void {
    this.#queue.close();
  }

  /**
   * Yields items until every handle is closed (or its Process ended) and
   * the queue is drained.
   *
   * @returns An async iterator over the items.
   *
   * @example Usage
   * ```ts
   * import { SimpleQueue } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   *
   * const q = new SimpleQueue<number>();
   * q.putSync(1);
   * q.close();
   * const seen: number[] = [];
   * for await (const v of q) seen.push(v);
   * assert.deepEqual(seen, [1]);
   * ```
   */
  [Symbol.asyncIterator](): AsyncGenerator<T, void, undefined> {
    return this.#queue[Symbol.asyncIterator]();
  }

  /** Closes this handle. */
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
    return shareQueue("SimpleQueue", import.meta.url, this.#parts, context);
  }

  /**
   * What `console.log` / `Deno.inspect` show: whether the queue is empty
   * and whether this handle is closed.
   *
   * @returns A short description.
   */
  [Symbol.for("Deno.customInspect")](): string {
    return `SimpleQueue { empty: ${this.#queue.empty()}, closed: ${this.#parts.handle.closed} }`;
  }
}

registerShareable("SimpleQueue", (data) => {
  reviveNext(data as QueueData);
  return new SimpleQueue();
});
