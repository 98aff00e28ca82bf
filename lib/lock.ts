// Copyright 2026 the denomp authors. MIT license.
/**
 * `Lock`: a non-recursive lock shared by every Process it is passed to, as
 * Python's `multiprocessing.Lock`, built on `Atomics` over a
 * `SharedArrayBuffer`, and robust: a lock whose holder ends while holding it
 * passes to the next acquirer, which can tell by `abandoned`.
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
  LOCK_CONTENDED,
  LOCK_INTS,
  LOCK_OWNER,
  LOCK_STATE,
} from "./sync/lock_layout.ts";
import {
  registerShareable,
  SHARE,
  type SharedDescriptor,
} from "./_registry.ts";

/** Options for {@linkcode Lock.acquire} and {@linkcode Lock.hold}. */
export interface LockAcquireOptions {
  /**
   * Milliseconds to wait before giving up (`acquire` then resolves `false`,
   * `hold` rejects with `TimeoutError`); `0` only tries once.
   *
   * @default {Infinity}
   */
  timeout?: number;
  /**
   * Aborting rejects the wait with `signal.reason`, leaving the lock exactly
   * as it was.
   *
   * @default {undefined}
   */
  signal?: AbortSignal;
}

/** Options for {@linkcode Lock.acquireSync} and {@linkcode Lock.holdSync}. */
export interface LockAcquireSyncOptions {
  /**
   * Milliseconds to wait before giving up (`acquireSync` then returns
   * `false`, `holdSync` throws `TimeoutError`); `0` only tries once.
   *
   * @default {Infinity}
   */
  timeout?: number;
}

/**
 * A held lock, released when disposed (`using _ = lock.holdSync()`).
 * Releasing twice is a no-op. (In the hottest loops, `acquireSync()` and
 * `release()` in `try`/`finally` are faster: a `using` block itself costs
 * about 0.2 us in Deno 2.9.)
 */
export interface LockGuard extends Disposable {
  /**
   * Whether the lock was taken over from a Process that ended while holding
   * it; the data it guards may be half-updated.
   */
  readonly abandoned: boolean;
  /** Releases the lock (the same as disposing the guard). */
  release(): void;
}

let adopt: SharedArrayBuffer | null = null;

/**
 * A lock shared between Processes, as Python's `multiprocessing.Lock`.
 *
 * - `acquire()` waits without blocking the event loop; `acquireSync()`
 *   parks the thread (right in a worker's hot loop; on the main thread it
 *   freezes the event loop while it waits).
 * - An uncontended acquire is one `Atomics.compareExchange`, and so is an
 *   uncontended release: no system call, no allocation.
 *   Contended waiters spin briefly, then park; a waiter kept out for more
 *   than a few milliseconds gets the lock handed to it at the next release,
 *   so no waiter starves.
 * - The lock is not owned: any Process may release it, as in Python.
 *   Releasing an unlocked lock throws.
 * - Robust: the lock records the holder's pid. When that Process ends while
 *   holding it (terminated, killed, crashed, exited), the next acquirer gets
 *   the lock instead of waiting for ever, and {@linkcode Lock.abandoned}
 *   (or the guard's `abandoned`) reads `true`: check it when the data the
 *   lock guards may have been left half-updated.
 * - Passed to a {@linkcode Process} (in `args`, also nested in arrays or
 *   objects) it arrives as the same lock, live.
 *
 * @example Usage
 * ```ts
 * import { Lock } from "@denomp/multiprocessing";
 * import assert from "node:assert/strict";
 *
 * const lock = new Lock();
 * assert.equal(await lock.acquire(), true);
 * assert.equal(lock.locked(), true);
 * assert.equal(lock.acquireSync({ timeout: 0 }), false);
 * lock.release();
 * {
 *   using _ = lock.holdSync();
 *   assert.equal(lock.locked(), true);
 * }
 * assert.equal(lock.locked(), false);
 * ```
 */
export class Lock {
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

  /** Creates an unlocked lock in a new `SharedArrayBuffer`. */
  constructor() {
    const buffer = adopt ?? new SharedArrayBuffer(LOCK_INTS * 4);
    adopt = null;
    this.#i32 = new Int32Array(buffer);
  }

  /**
   * Whether the most recent successful acquire through this object took the
   * lock over from a Process that ended while holding it.
   *
   * @example Usage
   * ```ts
   * import { Lock } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   *
   * const lock = new Lock();
   * lock.acquireSync();
   * assert.equal(lock.abandoned, false);
   * lock.release();
   * ```
   */
  get abandoned(): boolean {
    return this.#abandoned;
  }

  /**
   * Acquires the lock, waiting without blocking the event loop.
   *
   * @param options `timeout` (ms) and `signal`.
   * @returns `true` once acquired, `false` when `timeout` ran out.
   * @throws {TypeError} If an option has the wrong type.
   * @throws {RangeError} If `timeout` is negative.
   * @throws {ProcessEndedError} If this Process has been terminated.
   *
   * @example Usage
   * ```ts
   * import { Lock } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   *
   * const lock = new Lock();
   * await lock.acquire();
   * assert.equal(await lock.acquire({ timeout: 10 }), false);
   * lock.release();
   * ```
   */
  async acquire(options?: LockAcquireOptions): Promise<boolean> {
    const fence = this.#fence;
    if (fence !== null && fence[PROC_STATE] === PROC_STATE_ENDED) throwEnded();
    const me = this.#me;
    if (
      options === undefined &&
      Atomics.compareExchange(this.#i32, LOCK_STATE, 0, me) === 0
    ) {
      this.#abandoned = false;
      return true;
    }
    const { timeout, signal } = lockOptions(
      "Cannot acquire lock",
      options,
      true,
    );
    signal?.throwIfAborted();
    const result = await acquireContended(this.#i32, me, timeout, signal);
    if (result === FAILED) return false;
    this.#abandoned = result === ABANDONED;
    return true;
  }

  /**
   * Acquires the lock, parking this thread while it waits. On the main
   * thread this freezes the event loop until the lock is free: prefer
   * {@linkcode Lock.acquire} there.
   *
   * @param options `timeout` (ms).
   * @returns `true` once acquired, `false` when `timeout` ran out.
   * @throws {TypeError} If an option has the wrong type.
   * @throws {RangeError} If `timeout` is negative.
   * @throws {ProcessEndedError} If this Process has been terminated.
   *
   * @example Usage
   * ```ts
   * import { Lock } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   *
   * const lock = new Lock();
   * assert.equal(lock.acquireSync(), true);
   * assert.equal(lock.acquireSync({ timeout: 0 }), false);
   * lock.release();
   * ```
   */
  acquireSync(options?: LockAcquireSyncOptions): boolean {
    const fence = this.#fence;
    if (fence !== null && fence[PROC_STATE] === PROC_STATE_ENDED) throwEnded();
    const me = this.#me;
    if (
      options === undefined &&
      Atomics.compareExchange(this.#i32, LOCK_STATE, 0, me) === 0
    ) {
      this.#abandoned = false;
      return true;
    }
    const { timeout } = lockOptions("Cannot acquire lock", options, false);
    const result = acquireContendedSync(this.#i32, me, timeout);
    if (result === FAILED) return false;
    this.#abandoned = result === ABANDONED;
    return true;
  }

  /**
   * Releases the lock. Any Process may release it, as in Python.
   *
   * @throws {Error} If the lock is not locked.
   * @throws {ProcessEndedError} If this Process has been terminated.
   *
   * @example Usage
   * ```ts
   * import { Lock } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   *
   * const lock = new Lock();
   * assert.throws(() => lock.release(), Error);
   * ```
   */
  release(): void {
    const fence = this.#fence;
    if (fence !== null && fence[PROC_STATE] === PROC_STATE_ENDED) throwEnded();
    const i32 = this.#i32;
    // Fast path: a plain read as a hint, then one CAS holder -> 0, which
    // applies only while no waiter has flagged the state as contended.
    const s = i32[LOCK_STATE]!;
    if (
      s !== 0 && (s & LOCK_CONTENDED) === 0 &&
      Atomics.compareExchange(i32, LOCK_STATE, s, 0) === s
    ) return;
    if (Atomics.load(i32, LOCK_STATE) === 0) {
      throw new Error("Cannot release lock: it is not locked");
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
   * import { Lock } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   *
   * const lock = new Lock();
   * assert.equal(lock.locked(), false);
   * ```
   */
  locked(): boolean {
    return Atomics.load(this.#i32, LOCK_STATE) !== 0;
  }

  /**
   * Acquires the lock and returns a guard that releases it when disposed:
   * `using _ = await lock.hold();`.
   *
   * @param options `timeout` (ms) and `signal`.
   * @returns The guard; its `abandoned` tells whether the previous holder
   * ended while holding the lock.
   * @throws {TimeoutError} If `timeout` ran out.
   * @throws {TypeError} If an option has the wrong type.
   * @throws {RangeError} If `timeout` is negative.
   *
   * @example Usage
   * ```ts
   * import { Lock } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   *
   * const lock = new Lock();
   * {
   *   using guard = await lock.hold();
   *   assert.equal(guard.abandoned, false);
   *   assert.equal(lock.locked(), true);
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
   * releases it when disposed: `using _ = lock.holdSync();`.
   *
   * @param options `timeout` (ms).
   * @returns The guard.
   * @throws {TimeoutError} If `timeout` ran out.
   * @throws {TypeError} If an option has the wrong type.
   * @throws {RangeError} If `timeout` is negative.
   *
   * @example Usage
   * ```ts
   * import { Lock } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   *
   * const lock = new Lock();
   * const guard = lock.holdSync();
   * assert.throws(() => lock.holdSync({ timeout: 0 }), { name: "TimeoutError" });
   * guard.release();
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
    return {
      kind: "Lock",
      module: import.meta.url,
      data: this.#i32.buffer,
    };
  }

  /**
   * Custom inspect for `console.log` / `Deno.inspect`.
   *
   * @returns A short description.
   */
  [Symbol.for("Deno.customInspect")](): string {
    const owner = Atomics.load(this.#i32, LOCK_STATE) & LOCK_OWNER;
    return owner === 0
      ? "Lock { unlocked }"
      : `Lock { locked by pid ${owner} }`;
  }
}

registerShareable("Lock", (data) => {
  adopt = data as SharedArrayBuffer;
  return new Lock();
});
