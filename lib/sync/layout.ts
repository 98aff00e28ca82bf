// Copyright 2026 the denomp authors. MIT license.
// Named Int32 slots of Semaphore, BoundedSemaphore, Event, Condition and
// Barrier, and the tiny internal mutex the Barrier and Condition use for
// their multi-word bookkeeping. Only `Atomics.*` touches these slots.
// Private.

// ---- Semaphore / BoundedSemaphore ----
/** Free permits. Waiters park on this slot while it is 0. */
export const SEM_VALUE = 0;
/** Threads parked (or about to park) on SEM_VALUE; release skips notify at 0. */
export const SEM_WAITERS = 1;
/** The bound of a BoundedSemaphore (its initial value); -1 when unbounded. */
export const SEM_BOUND = 2;
/** 1 when holders are tracked by pid (robust), 0 when not. */
export const SEM_ROBUST = 3;
/** First holder slot: each holds the pid of a Process holding one permit. */
export const SEM_HOLDERS = 4;
/** Permits held at once that are tracked; more are counted but not owned. */
export const SEM_HOLDER_SLOTS = 32;
/** Int32 slots of a semaphore. */
export const SEM_INTS = SEM_HOLDERS + SEM_HOLDER_SLOTS;

// ---- Event ----
/**
 * One word: bit 0 is the flag, the bits above count `set()` calls that
 * raised it (a generation). Waiters park on this word; any change seen while
 * the flag was down means a set() happened.
 */
export const EVENT_STATE = 0;
/** Int32 slots of an event. */
export const EVENT_INTS = 2;

// ---- Barrier ----
/** Internal mutex (0 free, 1 held, 2 held with waiters). */
export const BAR_MUTEX = 0;
/** Bumped on every transition (pass, break, reset); waiters park on it. */
export const BAR_SEQ = 1;
/** Generation (cycle) number, bumped when a cycle passes or is reset. */
export const BAR_GEN = 2;
/** Parties arrived in the current generation. */
export const BAR_COUNT = 3;
/** 1 while the barrier is broken. */
export const BAR_BROKEN = 4;
/** 1 while the current generation is full and its action runs. */
export const BAR_COMPLETE = 5;
/** Number of parties. */
export const BAR_PARTIES = 6;
/** Ring of outcomes of past generations, indexed by generation modulo. */
export const BAR_OUTCOMES = 8;
/** Size of the outcome ring. */
export const BAR_OUTCOME_RING = 64;
/** First arrival slot: slot i holds the pid of the party with index i. */
export const BAR_SLOTS = BAR_OUTCOMES + BAR_OUTCOME_RING;
/** A generation that passed. */
export const BAR_OUTCOME_PASSED = 1;
/** A generation that was broken (abort, timeout, reset, death, action error). */
export const BAR_OUTCOME_BROKEN = 2;

// ---- Condition ----
/** Internal mutex, see BAR_MUTEX. Guards the waiter slots. */
export const COND_MUTEX = 0;
/** Next ticket, so that notify() wakes waiters first come, first served. */
export const COND_TICKET = 1;
/**
 * Slots in use (waiting or notified and not yet settled). Changed under
 * COND_MUTEX; notify() with the user lock held reads 0 and skips the scan.
 */
export const COND_COUNT = 2;
/** First waiter slot. */
export const COND_SLOTS = 4;
/** Waiter slots (waiters at once). */
export const COND_MAX_WAITERS = 128;
/** Ints per waiter slot. */
export const COND_SLOT_INTS = 3;
/** Offset of a slot's state; the waiter parks on it. */
export const COND_SLOT_STATE = 0;
/** Offset of the waiter's pid. */
export const COND_SLOT_PID = 1;
/** Offset of the waiter's ticket. */
export const COND_SLOT_TICKET = 2;
export const COND_FREE = 0;
export const COND_WAITING = 1;
export const COND_NOTIFIED = 2;
/** Int32 slots of a condition. */
export const COND_INTS = COND_SLOTS + COND_MAX_WAITERS * COND_SLOT_INTS;

/**
 * Takes an internal mutex word. Critical sections behind it are a few
 * synchronous statements that never await, so a holder always finishes them
 * (Deno cannot stop a thread in the middle of synchronous code), and the
 * mutex can never be abandoned. Contended waits park with `Atomics.wait`
 * (allowed on Deno's main thread too); no async waiter ever parks here, so a
 * single notify always reaches a live thread.
 */
export function lockMutex(i32: Int32Array, index: number): void {
  let c = Atomics.compareExchange(i32, index, 0, 1);
  if (c === 0) return;
  for (let spin = 0; spin < 64; spin++) {
    c = Atomics.compareExchange(i32, index, 0, 1);
    if (c === 0) return;
  }
  if (c !== 2) c = Atomics.exchange(i32, index, 2);
  while (c !== 0) {
    Atomics.wait(i32, index, 2);
    c = Atomics.exchange(i32, index, 2);
  }
}

/** Releases an internal mutex word taken with {@linkcode lockMutex}. */
export function unlockMutex(i32: Int32Array, index: number): void {
  if (Atomics.sub(i32, index, 1) !== 1) {
    Atomics.store(i32, index, 0);
    Atomics.notify(i32, index, 1);
  }
}

/** Most loads a thread polls before it parks. */
export const SPIN_MAX = 1024;
/** Fewest loads a thread polls before it parks. */
export const SPIN_MIN = 8;

/**
 * This thread's current spin budget. It adapts: it doubles each time a spin
 * saw the change (a partner on another core answered quickly) and halves
 * each time it did not (the partner is slow, or the cores are oversubscribed
 * and spinning only steals the time the partner needs), so a busy machine
 * quickly falls back to parking at once.
 */
let spinBudget = SPIN_MAX / 4;

/**
 * Polls `i32[index]` a bounded, adaptive number of times while it equals
 * `value`, before a caller parks. A hand-off between two threads running on
 * two cores then takes a load instead of a futex wake-up (the raw
 * wait/notify round trip is ~3 us here); the bound keeps the cost small when
 * the wait is long.
 *
 * @returns whether the value changed.
 */
export function spinWhileEqual(
  i32: Int32Array,
  index: number,
  value: number,
): boolean {
  const budget = spinBudget;
  for (let i = 0; i < budget; i++) {
    if (Atomics.load(i32, index) !== value) {
      if (budget < SPIN_MAX) spinBudget = budget * 2;
      return true;
    }
  }
  if (budget > SPIN_MIN) spinBudget = budget >> 1;
  return false;
}
