// Copyright 2026 the denomp authors. MIT license.
/**
 * `Condition`: Python's condition variable shared by every Process, over a
 * {@linkcode Lock} or {@linkcode RLock}: `wait()`, `waitFor(predicate)`,
 * `notify(n)`, `notifyAll()`, with `Sync` twins.
 *
 * @module
 */

import { assertLive, isPidAlive, selfProcess } from "./_context.ts";
import {
  registerShareable,
  reviveDescriptor,
  SHARE,
  type SharedDescriptor,
} from "./_registry.ts";
import {
  COND_COUNT,
  COND_FREE,
  COND_INTS,
  COND_MAX_WAITERS,
  COND_MUTEX,
  COND_NOTIFIED,
  COND_SLOT_INTS,
  COND_SLOT_PID,
  COND_SLOT_STATE,
  COND_SLOT_TICKET,
  COND_SLOTS,
  COND_TICKET,
  COND_WAITING,
  lockMutex,
  unlockMutex,
} from "./sync/layout.ts";
import {
  checkSignal,
  checkTimeout,
  describe,
  park,
  parkSync,
} from "./_wait.ts";
import {
  Lock,
  type LockAcquireOptions,
  type LockAcquireSyncOptions,
  type LockGuard,
} from "./lock.ts";
import { RLock } from "./rlock.ts";

/** Options for {@linkcode Condition.prototype.wait} and `waitFor()`. */
export interface ConditionWaitOptions {
  /**
   * Milliseconds to wait at most for a notification; `wait()` then gives
   * `false` (and `waitFor()` the predicate's last value). The lock is held
   * again in every case when the wait ends.
   *
   * @default {Infinity}
   */
  timeout?: number;
  /**
   * Aborting rejects the wait with `signal.reason`, once the lock is held
   * again. A notification that reached this waiter is passed on to another
   * one, so none is lost.
   */
  signal?: AbortSignal;
}

/** Options for {@linkcode Condition.prototype.waitSync} and `waitForSync()`. */
export interface ConditionWaitSyncOptions {
  /**
   * Milliseconds to block at most for a notification.
   *
   * @default {Infinity}
   */
  timeout?: number;
}

interface ConditionData {
  buffer: SharedArrayBuffer;
  lock: SharedDescriptor;
}

let reviving: { i32: Int32Array; lock: Lock | RLock } | null = null;

/**
 * A condition variable shared by every Process, as Python's
 * `multiprocessing.Condition`: with its lock held, `wait()` releases the
 * lock, waits until another caller `notify()`s, and takes the lock back
 * before it returns; `notify(n)` wakes up to `n` waiters (first come, first
 * served) and `notifyAll()` every one. Waiting or notifying without holding
 * the lock throws, as in Python.
 *
 * The lock defaults to a new {@linkcode RLock}. With an `RLock` held
 * several times over, `wait()` releases every level and restores them all
 * afterwards. With a plain {@linkcode Lock}, which has no owner, "holding"
 * means it is locked (Python's `threading.Condition` rule for such locks).
 *
 * Passed to a Process in `args`, it arrives as the same live condition with
 * the same lock. At most 128 callers can wait on one condition at once.
 *
 * On owner death: the lock is robust (see {@linkcode Lock}): a Process that
 * dies holding it hands it to the next acquirer, including a waiter taking
 * it back after a notification. A waiter whose Process dies is skipped by
 * `notify()`, so the notification goes to a live waiter instead.
 *
 * @example Usage
 * ```ts
 * import { Condition } from "@denomp/multiprocessing";
 * import assert from "node:assert/strict";
 *
 * const cond = new Condition();
 * let ready = false;
 * setTimeout(async () => {
 *   using _ = await cond.hold();
 *   ready = true;
 *   cond.notifyAll();
 * }, 1);
 * using _ = await cond.hold();
 * assert.equal(await cond.waitFor(() => ready), true);
 * assert.equal(await cond.wait({ timeout: 1 }), false); // nobody notifies
 * ```
 */
export class Condition {
  #i32: Int32Array;
  #lock: Lock | RLock;

  /**
   * Creates a condition over `lock`, or over a new {@linkcode RLock}.
   *
   * @param lock The lock to use.
   * @throws {TypeError} If `lock` is neither a `Lock` nor an `RLock`.
   */
  constructor(lock?: Lock | RLock) {
    if (reviving !== null) {
      this.#i32 = reviving.i32;
      this.#lock = reviving.lock;
      reviving = null;
      return;
    }
    if (
      lock !== undefined && !(lock instanceof Lock) && !(lock instanceof RLock)
    ) {
      throw new TypeError(
        `Cannot create condition: lock must be a Lock or an RLock, received ${
          describe(lock)
        }`,
      );
    }
    this.#lock = lock ?? new RLock();
    this.#i32 = new Int32Array(new SharedArrayBuffer(COND_INTS * 4));
  }

  /**
   * Acquires the underlying lock (see {@linkcode Lock.prototype.acquire}).
   *
   * @param options `timeout` and `signal`.
   * @returns `true` once held, `false` if `timeout` ran out.
   */
  acquire(options?: LockAcquireOptions): Promise<boolean> {
    return this.#lock.acquire(options);
  }

  /**
   * Blocking twin of {@linkcode Condition.prototype.acquire}.
   *
   * @param options `timeout`.
   * @returns `true` once held, `false` if `timeout` ran out.
   */
  acquireSync(options?: LockAcquireSyncOptions): boolean {
    return this.#lock.acquireSync(options);
  }

  /** Releases the underlying lock (one level of an `RLock`). */
  release(): void {
    this.#lock.release();
  }

  /**
   * Acquires the underlying lock and returns a guard releasing it:
   * `using _ = await cond.hold()`, Python's `with cond:`.
   *
   * @param options `timeout` and `signal`.
   * @returns The guard.
   */
  hold(options?: LockAcquireOptions): Promise<LockGuard> {
    return this.#lock.hold(options);
  }

  /**
   * Blocking twin of {@linkcode Condition.prototype.hold}.
   *
   * @param options `timeout`.
   * @returns The guard.
   */
  holdSync(options?: LockAcquireSyncOptions): LockGuard {
    return this.#lock.holdSync(options);
  }

  /**
   * Releases the lock, waits for a notification, and takes the lock back.
   *
   * @param options `timeout` in milliseconds and `signal` to abort.
   * @returns `true` if notified, `false` if `timeout` ran out first.
   * @throws {Error} If the lock is not held by this Process.
   * @throws {TypeError} If `timeout` is not a number or `signal` not an
   * AbortSignal.
   * @throws {RangeError} If `timeout` is negative, or too many callers wait.
   */
  async wait(options?: ConditionWaitOptions): Promise<boolean> {
    options ??= {};
    const what = "Cannot wait on condition";
    const timeout = checkTimeout(what, options?.timeout);
    const signal = options?.signal;
    checkSignal(what, signal);
    assertLive();
    this.#requireHeld(what);
    signal?.throwIfAborted();
    const slot = this.#register(what);
    const depth = this.#releaseFully();
    let failure: { error: unknown } | null = null;
    try {
      const deadline = performance.now() + timeout;
      while (
        Atomics.load(this.#i32, slot + COND_SLOT_STATE) === COND_WAITING
      ) {
        const remaining = deadline - performance.now();
        if (remaining <= 0) break;
        await park(this.#i32, slot + COND_SLOT_STATE, COND_WAITING, {
          timeout: remaining,
          signal,
        });
      }
    } catch (error) {
      failure = { error };
    }
    // Python takes the lock back however the wait ended; so do we, without
    // the signal (the caller's `finally` will release it).
    await this.#lock.acquire();
    for (let i = 1; i < depth; i++) this.#lock.acquireSync();
    return this.#settle(slot, failure);
  }

  /**
   * Blocking twin of {@linkcode Condition.prototype.wait}. On the main
   * thread this freezes the event loop while it waits.
   *
   * @param options `timeout` in milliseconds.
   * @returns `true` if notified, `false` if `timeout` ran out first.
   * @throws {Error} If the lock is not held by this Process.
   * @throws {TypeError} If `timeout` is not a number.
   * @throws {RangeError} If `timeout` is negative, or too many callers wait.
   */
  waitSync(options?: ConditionWaitSyncOptions): boolean {
    options ??= {};
    const what = "Cannot wait on condition";
    const timeout = checkTimeout(what, options?.timeout);
    assertLive();
    this.#requireHeld(what);
    const slot = this.#register(what);
    const depth = this.#releaseFully();
    let failure: { error: unknown } | null = null;
    try {
      const deadline = performance.now() + timeout;
      while (
        Atomics.load(this.#i32, slot + COND_SLOT_STATE) === COND_WAITING
      ) {
        const remaining = deadline - performance.now();
        if (remaining <= 0) break;
        parkSync(this.#i32, slot + COND_SLOT_STATE, COND_WAITING, remaining);
      }
    } catch (error) {
      failure = { error };
    }
    for (let i = 0; i < depth; i++) this.#lock.acquireSync();
    return this.#settle(slot, failure);
  }

  /**
   * Waits until `predicate()` is truthy, as Python's `wait_for`: the
   * predicate is called with the lock held, first before any wait and then
   * after each notification.
   *
   * @typeParam T The predicate's result.
   * @param predicate Called with the lock held.
   * @param options `timeout` in milliseconds for the whole call, `signal`.
   * @returns The predicate's last result (falsy when `timeout` ran out).
   * @throws {Error} If the lock is not held by this Process.
   * @throws {TypeError} If `predicate` is not a function.
   */
  async waitFor<T>(
    predicate: () => T,
    options?: ConditionWaitOptions,
  ): Promise<T> {
    options ??= {};
    const what = "Cannot wait on condition";
    checkPredicate(what, predicate);
    const timeout = checkTimeout(what, options?.timeout);
    const signal = options?.signal;
    checkSignal(what, signal);
    const deadline = performance.now() + timeout;
    let result = predicate();
    while (!result) {
      const remaining = deadline - performance.now();
      if (remaining <= 0) break;
      await this.wait({ timeout: remaining, ...(signal ? { signal } : {}) });
      result = predicate();
    }
    return result;
  }

  /**
   * Blocking twin of {@linkcode Condition.prototype.waitFor}.
   *
   * @typeParam T The predicate's result.
   * @param predicate Called with the lock held.
   * @param options `timeout` in milliseconds for the whole call.
   * @returns The predicate's last result (falsy when `timeout` ran out).
   * @throws {Error} If the lock is not held by this Process.
   * @throws {TypeError} If `predicate` is not a function.
   */
  waitForSync<T>(
    predicate: () => T,
    options?: ConditionWaitSyncOptions,
  ): T {
    options ??= {};
    const what = "Cannot wait on condition";
    checkPredicate(what, predicate);
    const timeout = checkTimeout(what, options?.timeout);
    const deadline = performance.now() + timeout;
    let result = predicate();
    while (!result) {
      const remaining = deadline - performance.now();
      if (remaining <= 0) break;
      this.waitSync({ timeout: remaining });
      result = predicate();
    }
    return result;
  }

  /**
   * Wakes up to `n` waiters, longest waiting first. The woken take the lock
   * back only after the caller releases it.
   *
   * @param n How many waiters to wake; `0` wakes none.
   * @throws {Error} If the lock is not held by this Process.
   * @throws {TypeError} If `n` is not a number.
   * @throws {RangeError} If `n` is not a non-negative integer.
   */
  notify(n?: number): void {
    if (n === undefined) n = 1;
    const what = "Cannot notify condition";
    if (typeof n !== "number") {
      throw new TypeError(
        `${what}: n must be a number, received ${describe(n)}`,
      );
    }
    if (!(Number.isInteger(n) || n === Infinity) || n < 0) {
      throw new RangeError(
        `${what}: n must be a non-negative integer, received ${n}`,
      );
    }
    assertLive();
    this.#requireHeld(what);
    this.#notify(n);
  }

  /**
   * Wakes every waiter.
   *
   * @throws {Error} If the lock is not held by this Process.
   */
  notifyAll(): void {
    this.notify(Infinity);
  }

  /** A short description, for `console.log`. */
  [Symbol.for("Deno.customInspect")](): string {
    let waiting = 0;
    for (let i = 0; i < COND_MAX_WAITERS; i++) {
      const slot = COND_SLOTS + i * COND_SLOT_INTS;
      if (Atomics.load(this.#i32, slot + COND_SLOT_STATE) === COND_WAITING) {
        waiting++;
      }
    }
    return `Condition { lock: ${this.#lock.constructor.name}, locked: ${this.#lock.locked()}, waiting: ${waiting} }`;
  }

  /**
   * Describes the condition for a worker (used by `Process` args).
   *
   * @returns The descriptor; its buffers are shared, not copied.
   *
   * @ignore Internal: the shared-object registry calls it.
   */
  [SHARE](): SharedDescriptor {
    const data: ConditionData = {
      buffer: this.#i32.buffer as SharedArrayBuffer,
      lock: this.#lock[SHARE](),
    };
    return { kind: "Condition", module: import.meta.url, data };
  }

  #requireHeld(what: string): void {
    const lock = this.#lock;
    const held = lock instanceof RLock ? lock.isOwned() : lock.locked();
    if (!held) {
      throw new Error(`${what}: its lock is not held by this process`);
    }
  }

  /** Releases every level of the lock; returns how many there were. */
  #releaseFully(): number {
    const lock = this.#lock;
    if (!(lock instanceof RLock)) {
      lock.release();
      return 1;
    }
    let depth = 0;
    while (lock.isOwned()) {
      lock.release();
      depth++;
    }
    return depth;
  }

  /** Takes a waiter slot (with the lock held). */
  #register(what: string): number {
    const i32 = this.#i32;
    const pid = selfProcess().pid;
    lockMutex(i32, COND_MUTEX);
    try {
      for (let i = 0; i < COND_MAX_WAITERS; i++) {
        const slot = COND_SLOTS + i * COND_SLOT_INTS;
        const state = Atomics.load(i32, slot + COND_SLOT_STATE);
        const owner = Atomics.load(i32, slot + COND_SLOT_PID);
        // A slot left by a waiter whose Process died is free again.
        if (state === COND_FREE || !isPidAlive(owner)) {
          // Reusing a dead waiter's slot keeps the count as it was.
          if (state === COND_FREE) Atomics.add(i32, COND_COUNT, 1);
          Atomics.store(i32, slot + COND_SLOT_PID, pid);
          Atomics.store(
            i32,
            slot + COND_SLOT_TICKET,
            Atomics.add(i32, COND_TICKET, 1),
          );
          Atomics.store(i32, slot + COND_SLOT_STATE, COND_WAITING);
          return slot;
        }
      }
    } finally {
      unlockMutex(i32, COND_MUTEX);
    }
    throw new RangeError(
      `${what}: more than ${COND_MAX_WAITERS} callers are waiting`,
    );
  }

  /**
   * Frees a waiter's slot once the lock is held again, and tells whether it
   * was notified. An aborted or failed waiter that had been notified passes
   * the notification on before it throws.
   */
  #settle(slot: number, failure: { error: unknown } | null): boolean {
    const i32 = this.#i32;
    lockMutex(i32, COND_MUTEX);
    const notified = Atomics.load(i32, slot + COND_SLOT_STATE) ===
      COND_NOTIFIED;
    Atomics.store(i32, slot + COND_SLOT_STATE, COND_FREE);
    Atomics.sub(i32, COND_COUNT, 1);
    unlockMutex(i32, COND_MUTEX);
    if (failure !== null) {
      if (notified) this.#notify(1);
      throw failure.error;
    }
    return notified;
  }

  #notify(n: number): void {
    const i32 = this.#i32;
    // Waiters register with the lock held, as the caller holds it now.
    if (n === 0 || Atomics.load(i32, COND_COUNT) === 0) return;
    const woken: number[] = [];
    lockMutex(i32, COND_MUTEX);
    while (woken.length < n) {
      let best = -1;
      let bestTicket = 0;
      for (let i = 0; i < COND_MAX_WAITERS; i++) {
        const slot = COND_SLOTS + i * COND_SLOT_INTS;
        if (Atomics.load(i32, slot + COND_SLOT_STATE) !== COND_WAITING) {
          continue;
        }
        if (!isPidAlive(Atomics.load(i32, slot + COND_SLOT_PID))) {
          // Its Process died while waiting: it can take no notification.
          Atomics.store(i32, slot + COND_SLOT_STATE, COND_FREE);
          Atomics.sub(i32, COND_COUNT, 1);
          continue;
        }
        const ticket = Atomics.load(i32, slot + COND_SLOT_TICKET);
        // Tickets wrap; compare by difference.
        if (best < 0 || ((ticket - bestTicket) | 0) < 0) {
          best = slot;
          bestTicket = ticket;
        }
      }
      if (best < 0) break;
      Atomics.store(i32, best + COND_SLOT_STATE, COND_NOTIFIED);
      woken.push(best);
    }
    unlockMutex(i32, COND_MUTEX);
    // Wake all on each slot: a lingering aborted registration must not
    // absorb the wake-up meant for the live waiter (see lib/_wait.ts).
    for (const slot of woken) Atomics.notify(i32, slot + COND_SLOT_STATE);
  }

  static {
    registerShareable("Condition", (data) => {
      const { buffer, lock } = data as ConditionData;
      reviving = {
        i32: new Int32Array(buffer),
        lock: reviveDescriptor(lock) as Lock | RLock,
      };
      return new Condition();
    });
  }
}

function checkPredicate(what: string, predicate: unknown): void {
  if (typeof predicate !== "function") {
    throw new TypeError(
      `${what}: predicate must be a function, received ${describe(predicate)}`,
    );
  }
}
