// Copyright 2026 the denomp authors. MIT license.
// Helpers shared by the tests: Int32 flags in shared memory, and waits on
// them that never sleep and never block the event loop.

import { park } from "../lib/_wait.ts";

/** `n` Int32 slots in a new SharedArrayBuffer, all 0. */
export function sharedInts(n = 4): Int32Array {
  return new Int32Array(new SharedArrayBuffer(n * 4));
}

/** Waits until `done(ints[index])` holds, parking between changes. */
export async function waitUntil(
  ints: Int32Array,
  index: number,
  done: (now: number) => boolean,
): Promise<void> {
  while (true) {
    const now = Atomics.load(ints, index);
    if (done(now)) return;
    await park(ints, index, now, { timeout: 50 });
  }
}

/** Waits until `ints[index] === value`. */
export function untilEqual(
  ints: Int32Array,
  index: number,
  value: number,
): Promise<void> {
  return waitUntil(ints, index, (now) => now === value);
}

/** Waits until `ints[index] >= value`. */
export function untilAtLeast(
  ints: Int32Array,
  index: number,
  value: number,
): Promise<void> {
  return waitUntil(ints, index, (now) => now >= value);
}

/** Waits until `ints[index]` is no longer 0. */
export function untilSet(ints: Int32Array, index: number): Promise<void> {
  return waitUntil(ints, index, (now) => now !== 0);
}

/** Sets `ints[index]` to 1 and wakes its waiters (a one-shot flag). */
export function signal(ints: Int32Array, index: number): void {
  Atomics.store(ints, index, 1);
  Atomics.notify(ints, index);
}

/** Waits until the flag `ints[index]` is set (from a worker, too). */
export function waitFlag(ints: Int32Array, index: number): Promise<void> {
  return untilSet(ints, index);
}
