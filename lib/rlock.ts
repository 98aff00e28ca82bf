// Copyright 2026 the denomp authors. MIT license.
/**
 * `RLock`: a recursive lock shared by every Process it is passed to, as
 * Python's `multiprocessing.RLock`; robust like {@linkcode Lock}.
 *
 * @module
 */

import { selfProcess, selfStatus, throwEnded } from "./_context.ts";
import { PROC_STATE, PROC_STATE_ENDED } from "./_layout.ts";
import { TimeoutError } from "./errors.ts";
import {
  ABANDONED,
  acquireContended,
  acquireContendedSync,
  FAILED,
  lockOptions,
  makeGuard,
  releaseHeld,
} from "./sync/lock_core.ts";
import {
  LOCK_COUNT,
  LOCK_INTS,
  LOCK_OWNER,
  LOCK_STATE,
} from "./sync/lock_layout.ts";
import type {
  LockAcquireOptions,
  LockAcquireSyncOptions,
  LockGuard,
} from "./lock.ts";
import {
  registerShareable,
  SHARE,
  type SharedDescriptor,
} from "./_registry.ts";

let adopt: SharedArrayBuffer | null = null;

/**
 * A recursive lock shared between Processes, as Python's
 * `multiprocessing.RLock`: the Process that holds it may acquire it again,
 * and must release it as many times as it acquired it. The owner is the
 * Process (one thread each here); async tasks of one Process share its
 * ownership, as Python's asyncio tasks share their thread's RLock.
 *
 * Releasing an RLock this Process does not hold throws. Everything else is
 * as for {@linkcode Lock}: `acquire()` / `acquireSync()` with `timeout` and
 * `signal`, `hold()` / `holdSync()` guards, a syscall-free uncontended
 * path, no starvation, and robustness: when the owner ends while holding the
 * lock, the next acquirer takes it over and `abandoned` reads `true`.
 *
 * @example Usage
 * ```ts
 * import { RLock } from "@denomp/multiprocessing";
 * import assert from "node:assert/strict";
 *
 * const lock = new RLock();
 * {
 *   using _outer = lock.holdSync();
 *   using _inner = lock.holdSync(); // reentrant
 *   assert.equal(lock.locked(), true);
 * }
 * assert.equal(lock.locked(), false);
 * assert.throws(() => lock.release(), Error);
 * ```
 */
export class RLock {
  #i32: Int32Array;
  #abandoned = false;
  /**
   * The status word of this thread's Process (`selfStatus()`), read plainly
   * to fence a terminated thread, and this thread's pid: an object never
   * changes threads (crossing rebuilds it on the other side), and a field
   * costs less than a call on the hot path.
   */
  #fence: Int32Array | null = selfStatus();
  #me: number = selfProcess().pid;

  /** Creates an unlocked recursive lock in a new `SharedArrayBuffer`. */
  constructor() {
    const buffer = adopt ?? new SharedArrayBuffer(LOCK_INTS * 4);
    adopt = null;
    this.#i32 = new Int32Array(buffer);
  }

  /**
   * Whether the most recent outermost acquire through this object took the
   * lock over from a Process that ended while holding it.
   *
   * @example Usage
   * ```ts
   * import { RLock } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   *
   * const lock = new RLock();
   * lock.acquireSync();
   * assert.equal(lock.abandoned, false);
   * lock.release();
   * ```
   */
  get abandoned(): boolean {
    return this.#abandoned;
  }

  /**
   * Acquires the lock (again, if this Process holds it), waiting without
   * blocking the event loop.
   *
   * @param options `timeout` (ms) and `signal`.
   * @returns `true` once acquired, `false` when `timeout` ran out.
   * @throws {TypeError} If an option has the wrong type.
   * @throws {RangeError} If `timeout` is negative.
   * @throws {ProcessEndedError} If this Process has been terminated.
   *
   * @example Usage
   * ```ts
   * import { RLock } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   *
   * const lock = new RLock();
   * assert.equal(await lock.acquire(), true);
   * assert.equal(await lock.acquire({ timeout: 0 }), true);
   * lock.release();
   * lock.release();
   * ```
   */
  async acquire(options?: LockAcquireOptions): Promise<boolean> {
    const fence = this.#fence;
    if (fence !== null && fence[PROC_STATE] === PROC_STATE_ENDED) throwEnded();
    const i32 = this.#i32;
    const me = this.#me;
    if (options === undefined) {
      const s = Atomics.compareExchange(i32, LOCK_STATE, 0, me);
      if (s === 0) {
        this.#abandoned = false;
        return true;
      }
      if ((s & LOCK_OWNER) === me) {
        i32[LOCK_COUNT]!++;
        return true;
      }
    }
    const { timeout, signal } = lockOptions(
      "Cannot acquire lock",
      options,
      true,
    );
    signal?.throwIfAborted();
    if ((Atomics.load(i32, LOCK_STATE) & LOCK_OWNER) === me) {
      i32[LOCK_COUNT]!++;
      return true;
    }
    const result = await acquireContended(i32, me, timeout, signal);
    if (result === FAILED) return false;
    this.#abandoned = result === ABANDONED;
    return true;
  }

  /**
   * Acquires the lock (again, if this Process holds it), parking this thread
   * while it waits (on the main thread this freezes the event loop).
   *
   * @param options `timeout` (ms).
   * @returns `true` once acquired, `false` when `timeout` ran out.
   * @throws {TypeError} If an option has the wrong type.
   * @throws {RangeError} If `timeout` is negative.
   * @throws {ProcessEndedError} If this Process has been terminated.
   *
   * @example Usage
   * ```ts
   * import { RLock } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   *
   * const lock = new RLock();
   * assert.equal(lock.acquireSync(), true);
   * assert.equal(lock.acquireSync({ timeout: 0 }), true);
   * lock.release();
   * lock.release();
   * assert.equal(lock.locked(), false);
   * ```
   */
  acquireSync(options?: LockAcquireSyncOptions): boolean {
    const fence = this.#fence;
    if (fence !== null && fence[PROC_STATE] === PROC_STATE_ENDED) throwEnded();
    const i32 = this.#i32;
    const me = this.#me;
    if (options === undefined) {
      const s = Atomics.compareExchange(i32, LOCK_STATE, 0, me);
      if (s === 0) {
        this.#abandoned = false;
        return true;
      }
      if ((s & LOCK_OWNER) === me) {
        i32[LOCK_COUNT]!++;
        return true;
      }
    }
    const { timeout } = lockOptions("Cannot acquire lock", options, false);
    if ((Atomics.load(i32, LOCK_STATE) & LOCK_OWNER) === me) {
      i32[LOCK_COUNT]!++;
      return true;
    }
    const result = acquireContendedSync(i32, me, timeout);
    if (result === FAILED) return false;
    this.#abandoned = result === ABANDONED;
    return true;
  }

  /**
   * Releases one level of the lock; the last release frees it.
   *
   * @throws {Error} If this Process does not hold the lock.
   * @throws {ProcessEndedError} If this Process has been terminated.
   *
   * @example Usage
   * ```ts
   * import { RLock } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   *
   * const lock = new RLock();
   * assert.throws(() => lock.release(), /not held by this process/);
   * ```
   */
  release(): void {
    const fence = this.#fence;
    if (fence !== null && fence[PROC_STATE] === PROC_STATE_ENDED) throwEnded();
    const i32 = this.#i32;
    const me = this.#me;
    // A plain read is enough to recognise our own pid: only we write it.
    const s = i32[LOCK_STATE]!;
    if ((s & LOCK_OWNER) !== me) {
      throw new Error("Cannot release lock: it is not held by this process");
    }
    // Only the owner touches the count; the state word's atomic accesses
    // order it for the next owner.
    const depth = i32[LOCK_COUNT]!;
    if (depth > 0) {
      i32[LOCK_COUNT] = depth - 1;
      return;
    }
    // Fast path: CAS me -> 0 applies only while no waiter flagged the state.
    if (s === me && Atomics.compareExchange(i32, LOCK_STATE, me, 0) === me) {
      return;
    }
    releaseHeld(i32);
  }

  /**
   * Whether the lock is held by anyone (a snapshot).
   *
   * @returns `true` while some Process holds the lock.
   *
   * @example Usage
   * ```ts
   * import { RLock } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   *
   * assert.equal(new RLock().locked(), false);
   * ```
   */
  locked(): boolean {
    return Atomics.load(this.#i32, LOCK_STATE) !== 0;
  }

  /**
   * Whether this Process holds the lock.
   *
   * @returns `true` when this Process is the owner.
   *
   * @example Usage
   * ```ts
   * import { RLock } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   *
   * const lock = new RLock();
   * using _ = lock.holdSync();
   * assert.equal(lock.isOwned(), true);
   * ```
   */
  isOwned(): boolean {
    return (Atomics.load(this.#i32, LOCK_STATE) & LOCK_OWNER) === this.#me;
  }

  /**
   * Acquires the lock and returns a guard that releases one level when
   * disposed: `using _ = await lock.hold();`.
   *
   * @param options `timeout` (ms) and `signal`.
   * @returns The guard.
   * @throws {TimeoutError} If `timeout` ran out.
   * @throws {TypeError} If an option has the wrong type.
   * @throws {RangeError} If `timeout` is negative.
   *
   * @example Usage
   * ```ts
   * import { RLock } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   *
   * const lock = new RLock();
   * {
   *   using _ = await lock.hold();
   *   assert.equal(lock.isOwned(), true);
   * }
   * assert.equal(lock.locked(), false);
   * ```
   */
  async hold(options?: LockAcquireOptions): Promise<LockGuard> {
    if (!(await this.acquire(options))) {
      throw new TimeoutError(
        `Cannot hold lock: timed out after ${options?.timeout} ms`,
      );
    }
    return makeGuard(this, this.#abandoned);
  }

  /**
   * Acquires the lock, parking this thread, and returns a guard that
   * releases one level when disposed: `using _ = lock.holdSync();`.
   *
   * @param options `timeout` (ms).
   * @returns The guard.
   * @throws {TimeoutError} If `timeout` ran out.
   * @throws {TypeError} If an option has the wrong type.
   * @throws {RangeError} If `timeout` is negative.
   *
   * @example Usage
   * ```ts
   * import { RLock } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   *
   * const lock = new RLock();
   * {
   *   using _ = lock.holdSync();
   *   assert.equal(lock.locked(), true);
   * }
   * assert.equal(lock.locked(), false);
   * ```
   */
  holdSync(options?: LockAcquireSyncOptions): LockGuard {
    if (!this.acquireSync(options)) {
      throw new TimeoutError(
        `Cannot hold lock: timed out after ${options?.timeout} ms`,
      );
    }
    return makeGuard(this, this.#abandoned);
  }

  /**
   * The descriptor this lock crosses into a worker as. Internal.
   *
   * @returns The descriptor.
   *
   * @ignore Internal: the shared-object registry calls it.
   */
  [SHARE](): SharedDescriptor {
    return { kind: "RLock", module: import.meta.url, data: this.#i32.buffer };
  }

  /**
   * Custom inspect for `console.log` / `Deno.inspect`.
   *
   * @returns A short description.
   */
  [Symbol.for("Deno.customInspect")](): string {
    const owner = Atomics.load(this.#i32, LOCK_STATE) & LOCK_OWNER;
    return owner === 0
      ? "RLock { unlocked }"
      : `RLock { locked by pid ${owner}, depth ${this.#i32[LOCK_COUNT]! + 1} }`;
  }
}

registerShareable("RLock", (data) => {
  adopt = data as SharedArrayBuffer;
  return new RLock();
});
