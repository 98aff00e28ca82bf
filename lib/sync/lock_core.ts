// Copyright 2026 the denomp authors. MIT license.
// The contended paths shared by Lock and RLock: spin, then park on the state
// word; take a lock over from a dead holder; hand a lock to a starving waiter.
// The uncontended paths (one compare-exchange to acquire, one exchange and
// two loads to release) live inline in lock.ts and rlock.ts. Private.
//
// Protocol (slots in lib/sync/lock_layout.ts):
// - acquire: CAS STATE 0 -> my pid. A waiter counts itself in WAITERS, sets
//   CONTENDED in STATE (CAS) and parks while STATE still holds that value.
//   The uncontended release is CAS STATE pid -> 0, which fails whenever
//   CONTENDED is set; the slow release then stores 0 (or hands off) and
//   notifies. A waiter that acquires keeps CONTENDED set while WAITERS says
//   others remain, so nobody stays parked behind a fast release.
// - robustness: STATE holds the holder's pid, so a waiter that finds that
//   pid dead (isPidAlive) takes the lock with CAS STATE dead -> me and reports
//   it abandoned. LOCK_COUNT is reset because the dead owner's depth is moot.
// - fairness: notify(1) wakes the longest waiter, but a running thread can
//   re-acquire before the woken one is scheduled. A waiter that has waited
//   longer than LOCK_STARVE_MS registers as heir (CAS HEIR 0 -> pid); the
//   next release claims the ticket (CAS HEIR pid -> -pid, after which the heir
//   can no longer withdraw), stores STATE = heir, clears HEIR and notifies
//   all (a notify cannot pick the heir). The heir sees HEIR change and owns
//   the lock. At most one waiter per thread is heir at a time (`heirBusy`),
//   so "HEIR === my pid" always means this waiter's ticket.
// - giving up (timeout, abort): the waiter takes back its count and, if it
//   was the last one, clears the CONTENDED flag it set, leaving STATE as it
//   was. (If another waiter arrives in that instant, it sets the flag again
//   before it parks; the worst case is one park slice of latency.)

import { isPidAlive } from "../_context.ts";
import {
  LOCK_CONTENDED,
  LOCK_COUNT,
  LOCK_HEIR,
  LOCK_OWNER,
  LOCK_SLICE_MS,
  LOCK_SPIN,
  LOCK_STARVE_MS,
  LOCK_STATE,
  LOCK_WAITERS,
} from "./lock_layout.ts";
import type { LockAcquireOptions, LockGuard } from "../lock.ts";
import {
  checkSignal,
  checkTimeout,
  describe,
  park,
  parkSync,
} from "../_wait.ts";

/** The lock was not acquired (timeout). */
export const FAILED = 0;
/** The lock was acquired. */
export const ACQUIRED = 1;
/** The lock was taken over from a holder that ended while holding it. */
export const ABANDONED = 2;
/** How a contended acquire ended. */
export type AcquireResult = 0 | 1 | 2;

/** Whether a waiter of this thread is currently heir of some lock. */
let heirBusy = false;

/** The state an acquirer in the slow path stores: flagged if others wait. */
function taken(i32: Int32Array, me: number, waiters: number): number {
  return Atomics.load(i32, LOCK_WAITERS) > waiters ? me | LOCK_CONTENDED : me;
}

/**
 * One attempt by a counted waiter: take a free lock, or one whose holder is
 * dead.
 */
function tryTake(i32: Int32Array, me: number): AcquireResult {
  const s = Atomics.load(i32, LOCK_STATE);
  if (s === 0) {
    return Atomics.compareExchange(i32, LOCK_STATE, 0, taken(i32, me, 1)) === 0
      ? ACQUIRED
      : FAILED;
  }
  const owner = s & LOCK_OWNER;
  if (!isPidAlive(owner)) {
    if (
      Atomics.compareExchange(i32, LOCK_STATE, s, me | (s & LOCK_CONTENDED)) ===
        s
    ) {
      Atomics.store(i32, LOCK_COUNT, 0);
      // A dead heir that was handed the lock never ran a critical section;
      // this is rare and reported as abandoned (the conservative answer).
      return ABANDONED;
    }
  }
  return FAILED;
}

/** Spins briefly (not yet counted as a waiter) for a free lock. */
function spin(i32: Int32Array, me: number): boolean {
  for (let i = 0; i < LOCK_SPIN; i++) {
    if (
      Atomics.load(i32, LOCK_STATE) === 0 &&
      Atomics.compareExchange(i32, LOCK_STATE, 0, taken(i32, me, 0)) === 0
    ) return true;
  }
  return false;
}

/**
 * Makes sure STATE carries the CONTENDED flag before parking; returns the
 * value to park on, or 0 when the state changed (try again).
 */
function flag(i32: Int32Array): number {
  const s = Atomics.load(i32, LOCK_STATE);
  if (s === 0) return 0;
  if ((s & LOCK_CONTENDED) !== 0) return s;
  const flagged = s | LOCK_CONTENDED;
  return Atomics.compareExchange(i32, LOCK_STATE, s, flagged) === s
    ? flagged
    : 0;
}

/** After a waiter gave up: undo its flag if it was the last waiter. */
function unflag(i32: Int32Array): void {
  if (Atomics.load(i32, LOCK_WAITERS) !== 0) return;
  const s = Atomics.load(i32, LOCK_STATE);
  if ((s & LOCK_CONTENDED) === 0 || Atomics.load(i32, LOCK_HEIR) !== 0) return;
  Atomics.compareExchange(i32, LOCK_STATE, s, s & ~LOCK_CONTENDED);
}

/** Registers as heir when no one is; clears a dead heir's ticket. */
function becomeHeir(i32: Int32Array, me: number): boolean {
  if (heirBusy) return false;
  const h = Atomics.load(i32, LOCK_HEIR);
  if (h > 0 && !isPidAlive(h)) Atomics.compareExchange(i32, LOCK_HEIR, h, 0);
  if (Atomics.compareExchange(i32, LOCK_HEIR, 0, me) === 0) {
    heirBusy = true;
    return true;
  }
  return false;
}

/** Whether a releaser has taken this heir's ticket (handing the lock over). */
function handedOver(i32: Int32Array, me: number): boolean {
  if (Atomics.load(i32, LOCK_HEIR) === me) return false;
  // The releaser's three steps run back to back: wait for the last one.
  // Should the releaser have died half-way (a thread stopped mid-statement),
  // finish its hand-over here; and never wait for ever.
  for (let n = 1; Atomics.load(i32, LOCK_HEIR) === -me; n++) {
    if ((n & 0xfff) !== 0) continue;
    const s = Atomics.load(i32, LOCK_STATE);
    const owner = s & LOCK_OWNER;
    if (owner !== me && !isPidAlive(owner)) {
      if (Atomics.compareExchange(i32, LOCK_HEIR, -me, 0) === -me) {
        Atomics.compareExchange(i32, LOCK_STATE, s, me | LOCK_CONTENDED);
      }
    } else if (n >= 0x100000) {
      Atomics.compareExchange(i32, LOCK_HEIR, -me, 0);
    }
  }
  return (Atomics.load(i32, LOCK_STATE) & LOCK_OWNER) === me;
}

/**
 * Withdraws an heir's ticket. Returns true when it could not be withdrawn
 * because the lock has already been handed to this waiter.
 */
function leaveHeir(i32: Int32Array, me: number): boolean {
  heirBusy = false;
  if (Atomics.compareExchange(i32, LOCK_HEIR, me, 0) === me) return false;
  return handedOver(i32, me);
}

/**
 * The slow release (STATE is non-zero, the caller may release it, and the
 * CAS holder -> 0 did not apply): hands the lock to a live heir, else frees
 * it and wakes one waiter.
 */
export function releaseHeld(i32: Int32Array): void {
  const heir = Atomics.load(i32, LOCK_HEIR);
  if (heir > 0) {
    if (!isPidAlive(heir)) {
      Atomics.compareExchange(i32, LOCK_HEIR, heir, 0);
    } else if (Atomics.compareExchange(i32, LOCK_HEIR, heir, -heir) === heir) {
      Atomics.store(i32, LOCK_STATE, heir | LOCK_CONTENDED);
      Atomics.store(i32, LOCK_HEIR, 0);
      Atomics.notify(i32, LOCK_STATE);
      return;
    }
  }
  Atomics.store(i32, LOCK_STATE, 0);
  if (Atomics.load(i32, LOCK_WAITERS) !== 0) {
    Atomics.notify(i32, LOCK_STATE, 1);
  }
}

/**
 * After a waiter gave up: clear its flag if it was the last, and pass on a
 * wake-up it may have consumed.
 */
function passOn(i32: Int32Array): void {
  unflag(i32);
  if (
    Atomics.load(i32, LOCK_STATE) === 0 &&
    Atomics.load(i32, LOCK_WAITERS) !== 0
  ) {
    Atomics.notify(i32, LOCK_STATE, 1);
  }
}

/**
 * The contended acquire, parking the thread. `timeout` is in ms (validated,
 * may be Infinity or 0).
 */
export function acquireContendedSync(
  i32: Int32Array,
  me: number,
  timeout: number,
): AcquireResult {
  // One try before anything that costs (a free lock with options given).
  if (
    Atomics.load(i32, LOCK_STATE) === 0 &&
    Atomics.compareExchange(i32, LOCK_STATE, 0, taken(i32, me, 0)) === 0
  ) return ACQUIRED;
  if (timeout !== 0 && spin(i32, me)) return ACQUIRED;
  const start = performance.now();
  const deadline = start + timeout;
  let heir = false;
  let result: AcquireResult = FAILED;
  Atomics.add(i32, LOCK_WAITERS, 1);
  try {
    while (true) {
      if (heir && handedOver(i32, me)) {
        heir = false;
        heirBusy = false;
        return result = ACQUIRED;
      }
      result = tryTake(i32, me);
      if (result !== FAILED) return result;
      const now = performance.now();
      const remaining = deadline - now;
      if (remaining <= 0) return FAILED;
      if (!heir && now - start >= LOCK_STARVE_MS) heir = becomeHeir(i32, me);
      const s = flag(i32);
      if (s === 0) continue;
      parkSync(i32, LOCK_STATE, s, Math.min(remaining, LOCK_SLICE_MS));
    }
  } finally {
    Atomics.sub(i32, LOCK_WAITERS, 1);
    if (heir && leaveHeir(i32, me) && result === FAILED) releaseHeld(i32);
    if (result === FAILED) passOn(i32);
  }
}

/**
 * The contended acquire, parking with `Atomics.waitAsync`. Rejects with
 * `signal.reason` on abort, leaving the lock as it was.
 */
export async function acquireContended(
  i32: Int32Array,
  me: number,
  timeout: number,
  signal: AbortSignal | undefined,
): Promise<AcquireResult> {
  // One try before anything that costs (a free lock with options given).
  if (
    Atomics.load(i32, LOCK_STATE) === 0 &&
    Atomics.compareExchange(i32, LOCK_STATE, 0, taken(i32, me, 0)) === 0
  ) return ACQUIRED;
  if (timeout !== 0 && spin(i32, me)) return ACQUIRED;
  const start = performance.now();
  const deadline = start + timeout;
  let heir = false;
  let result: AcquireResult = FAILED;
  Atomics.add(i32, LOCK_WAITERS, 1);
  try {
    while (true) {
      if (heir && handedOver(i32, me)) {
        heir = false;
        heirBusy = false;
        return result = ACQUIRED;
      }
      result = tryTake(i32, me);
      if (result !== FAILED) return result;
      const now = performance.now();
      const remaining = deadline - now;
      if (remaining <= 0) return FAILED;
      if (!heir && now - start >= LOCK_STARVE_MS) heir = becomeHeir(i32, me);
      const s = flag(i32);
      if (s === 0) continue;
      await park(i32, LOCK_STATE, s, {
        timeout: Math.min(remaining, LOCK_SLICE_MS),
        signal,
      });
    }
  } finally {
    Atomics.sub(i32, LOCK_WAITERS, 1);
    if (heir && leaveHeir(i32, me) && result === FAILED) releaseHeld(i32);
    if (result === FAILED) passOn(i32);
  }
}

/** Releases a lock once. Private: callers see {@linkcode LockGuard}. */
class Guard implements LockGuard {
  #lock: { release(): void } | null;
  readonly abandoned: boolean;
  constructor(lock: { release(): void }, abandoned: boolean) {
    this.#lock = lock;
    this.abandoned = abandoned;
  }
  release(): void {
    const lock = this.#lock;
    if (lock === null) return;
    this.#lock = null;
    lock.release();
  }
  [Symbol.dispose](): void {
    this.release();
  }
}

/** Creates a guard for `hold()` / `holdSync()`. */
export function makeGuard(
  lock: { release(): void },
  abandoned: boolean,
): LockGuard {
  return new Guard(lock, abandoned);
}

/**
 * Validates acquire options (everything except `undefined`, which the fast
 * paths handle before calling this).
 */
export function lockOptions(
  what: string,
  options: unknown,
  async: boolean,
): { timeout: number; signal: AbortSignal | undefined } {
  if (options === undefined) return { timeout: Infinity, signal: undefined };
  if (typeof options !== "object" || options === null) {
    throw new TypeError(
      `${what}: options must be an object, received ${describe(options)}`,
    );
  }
  const { timeout, signal } = options as LockAcquireOptions;
  const ms = checkTimeout(what, timeout);
  if (async) checkSignal(what, signal);
  return { timeout: ms, signal: async ? signal : undefined };
}
