// Copyright 2026 the denomp authors. MIT license.
// A futex-style mutex in one Int32 slot, for critical sections of a few
// lines of synchronous code (the ring's producer and consumer locks, handle
// tables, the shared-memory arena). Private.
//
// The slot holds 0 (free), 1 (held) or 2 (held, with threads parked on it):
// taking and releasing it uncontended costs one atomic operation each. The
// holder writes its pid into a second slot, so that a lock whose holder's
// thread really stopped inside it (Deno 2.9 cannot stop a thread running
// synchronous code, so this is defence in depth, not an expected path) is
// taken over once that holder has been dead for STEAL_AFTER_MS.

import { isPidAlive, selfProcess } from "./_context.ts";

/** How long a dead holder may hold a short lock before it is taken over. */
const STEAL_AFTER_MS = 2000;

/**
 * Takes the lock in `i32[index]`, recording this thread's pid in
 * `i32[ownerIndex]`.
 */
export function lockShort(
  i32: Int32Array,
  index: number,
  ownerIndex: number,
): void {
  if (Atomics.compareExchange(i32, index, 0, 1) !== 0) {
    lockSlow(i32, index, ownerIndex);
  }
  // Who holds it, for the rescue below (ordered by the lock itself).
  i32[ownerIndex] = selfProcess().pid;
}

function lockSlow(i32: Int32Array, index: number, ownerIndex: number): void {
  for (let spin = 0; spin < 1000; spin++) {
    if (
      Atomics.load(i32, index) === 0 &&
      Atomics.compareExchange(i32, index, 0, 1) === 0
    ) return;
  }
  let owner = -1;
  let since = 0;
  while (Atomics.exchange(i32, index, 2) !== 0) {
    // The holder is inside a few lines of synchronous code; the bounded
    // wait keeps even a missed notify harmless.
    Atomics.wait(i32, index, 2, 5);
    const holder = i32[ownerIndex]!;
    if (holder !== owner) {
      owner = holder;
      since = performance.now();
    } else if (
      !isPidAlive(holder) && performance.now() - since > STEAL_AFTER_MS
    ) return;
  }
}

/** Releases the lock in `i32[index]`, waking one parked thread if any. */
export function unlockShort(i32: Int32Array, index: number): void {
  if (Atomics.exchange(i32, index, 0) === 2) Atomics.notify(i32, index, 1);
}
