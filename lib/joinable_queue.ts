// Copyright 2026 the denomp authors. MIT license.
/**
 * `JoinableQueue`: a {@linkcode Queue} that also counts unfinished tasks, as
 * Python's `multiprocessing.JoinableQueue`: consumers call `taskDone()` for
 * each item they finish, and `join()` waits until every item put has been
 * marked done.
 *
 * @module
 */

import { assertLive } from "./_context.ts";
import {
  registerShareable,
  SHARE,
  type ShareContext,
  type SharedDescriptor,
} from "./_registry.ts";
import { OK, type Ring, waitOptions } from "./channel/ring.ts";
import {
  inspectQueue,
  joinableNextQueue,
  partsOf,
  type QueueData,
  type QueueParts,
  reviveNext,
  shareQueue,
} from "./channel/queue_parts.ts";
import { Queue, type QueueOptions } from "./queue.ts";

/** Options for {@linkcode JoinableQueue.prototype.join}. */
export interface JoinableQueueJoinOptions {
  /**
   * Milliseconds to wait at most; `join()` then gives `false`.
   *
   * @default {Infinity}
   */
  timeout?: number;
  /** Aborting rejects the wait with `signal.reason`. */
  signal?: AbortSignal;
}

/** Options for {@linkcode JoinableQueue.prototype.joinSync}. */
export interface JoinableQueueJoinSyncOptions {
  /**
   * Milliseconds to block at most; `joinSync()` then gives `false`.
   *
   * @default {Infinity}
   */
  timeout?: number;
}

const JOIN = "Cannot join queue";

function joinable(
  options: QueueOptions | undefined,
): QueueOptions | undefined {
  // A new ring counts tasks; a revived one already does.
  joinableNextQueue();
  return options;
}

/**
 * A {@linkcode Queue} with task accounting, as Python's
 * `multiprocessing.JoinableQueue`. Every item put counts as an unfinished
 * task until some consumer calls {@linkcode JoinableQueue.prototype.taskDone}
 * for it; {@linkcode JoinableQueue.prototype.join} waits for the count to
 * reach zero. The count is shared by every Process holding the queue.
 *
 * Handles follow {@linkcode Queue}'s rules. `join()` waits for `taskDone()`
 * calls only: closing handles, or every producer ending, does not mark
 * anything done, and an item taken by a Process that ends before its
 * `taskDone()` stays unfinished (as in Python; pass a `timeout`).
 *
 * @typeParam T The type of the items.
 *
 * @example Usage
 * ```ts
 * import { JoinableQueue, Process } from "@denomp/multiprocessing";
 * import assert from "node:assert/strict";
 *
 * const q = new JoinableQueue<number>();
 * const module = new URL("../tests/fixtures/queue_targets.ts", import.meta.url);
 * const p = new Process({ target: "work", args: [q, 3], module });
 * await p.start();
 * for (let i = 0; i < 3; i++) await q.put(i);
 * assert.equal(await q.join(), true);
 * await p.join();
 * ```
 */
export class JoinableQueue<T = unknown> extends Queue<T> {
  readonly #parts: QueueParts;
  readonly #ring: Ring;

  /**
   * Creates a joinable queue.
   *
   * @param options Item limit and byte capacity, as for {@linkcode Queue}.
   * @throws {TypeError} When an option has the wrong type.
   * @throws {RangeError} When `maxsize` or `capacity` is out of range.
   */
  constructor(options?: QueueOptions) {
    super(joinable(options));
    this.#parts = partsOf.get(this)!;
    this.#ring = this.#parts.ring;
  }

  /**
   * Marks one item as finished, as Python's `task_done()`.
   *
   * @throws {RangeError} When called more times than items were put (the
   *   count is left unchanged).
   *
   * @example Usage
   * ```ts
   * import { JoinableQueue } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   *
   * const q = new JoinableQueue();
   * q.putNowait("job");
   * q.getNowait();
   * q.taskDone();
   * assert.throws(() => q.taskDone(), RangeError);
   * ```
   */
  taskDone(): void {
    assertLive();
    if (!this.#ring.taskDone()) {
      throw new RangeError(
        "Cannot mark task done: taskDone() was called more times than items were put",
      );
    }
  }

  /**
   * The number of items put and not yet marked done.
   *
   * @returns The count.
   *
   * @example Usage
   * ```ts
   * import { JoinableQueue } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   *
   * const q = new JoinableQueue();
   * q.putNowait(1);
   * assert.equal(q.unfinishedTasks(), 1);
   * ```
   */
  unfinishedTasks(): number {
    return this.#ring.unfinished();
  }

  /**
   * Waits until every item put has been marked done.
   *
   * @param options A timeout and an abort signal.
   * @returns `true` when all tasks are done, `false` when `timeout` ran out.
   *
   * @example Usage
   * ```ts
   * import { JoinableQueue } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   *
   * const q = new JoinableQueue();
   * q.putNowait(1);
   * assert.equal(await q.join({ timeout: 5 }), false);
   * await q.get();
   * q.taskDone();
   * assert.equal(await q.join(), true);
   * ```
   */
  async join(options?: JoinableQueueJoinOptions): Promise<boolean> {
    const { timeout, signal } = waitOptions(JOIN, options);
    assertLive();
    signal?.throwIfAborted();
    return await this.#ring.join({ timeout, signal }) === OK;
  }

  /**
   * Blocking twin of {@linkcode JoinableQueue.prototype.join}; on the main
   * thread it freezes the event loop while it waits.
   *
   * @param options A timeout.
   * @returns `true` when all tasks are done, `false` when `timeout` ran out.
   *
   * @example Usage
   * ```ts
   * import { JoinableQueue } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   *
   * assert.equal(new JoinableQueue().joinSync(), true);
   * ```
   */
  joinSync(options?: JoinableQueueJoinSyncOptions): boolean {
    const { timeout } = waitOptions(JOIN, options);
    assertLive();
    return this.#ring.joinSync(timeout) === OK;
  }

  /**
   * The descriptor this queue crosses into a worker as. Internal.
   *
   * @param context Who receives it.
   * @returns The descriptor.
   * @ignore Internal: the shared-object registry calls it.
   */
  override [SHARE](context?: ShareContext): SharedDescriptor {
    return shareQueue("JoinableQueue", import.meta.url, this.#parts, context);
  }

  /**
   * What `console.log` / `Deno.inspect` show: `maxsize`, `qsize()`,
   * unfinished tasks and whether this handle is closed.
   *
   * @returns A short description.
   */
  [Symbol.for("Deno.customInspect")](): string {
    return inspectQueue(
      "JoinableQueue",
      this.#parts,
      `, unfinished: ${this.#ring.unfinished()}`,
    );
  }
}

registerShareable("JoinableQueue", (data) => {
  reviveNext(data as QueueData);
  return new JoinableQueue();
});
