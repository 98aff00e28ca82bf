// Copyright 2026 the denomp authors. MIT license.
// Named Int32 slots of a Lock / RLock. Only `Atomics.*` touches the shared
// slots (LOCK_COUNT is read and written by the owner alone). Private.

/**
 * 0 when free, else the pid of the holder, with {@linkcode LOCK_CONTENDED}
 * set while waiters may be parked. Holding the owner's pid in the very word
 * that is compare-exchanged makes ownership robust: there is no moment at
 * which the lock is held but its owner unknown, so a waiter that finds the
 * holder's pid dead can take the lock over with one CAS.
 */
export const LOCK_STATE = 0;
/**
 * Flag in LOCK_STATE: a waiter may be parked. A waiter sets it (CAS) before
 * it parks, on the value it parks on, so a release that finds it clear is
 * one CAS (holder -> 0) with nothing to wake: the uncontended path reads no
 * other slot. A release that finds it set takes the slow path (hand-off or
 * notify).
 */
export const LOCK_CONTENDED = 0x40000000;
/** Mask of the holder's pid in LOCK_STATE. */
export const LOCK_OWNER = 0x3fffffff;
/**
 * Number of threads in the slow path (about to park or parked). A slow
 * release notifies only when this is non-zero, and a waiter that acquires
 * keeps LOCK_CONTENDED set while others remain. A waiter that gives up
 * (timeout, abort) takes its count back.
 */
export const LOCK_WAITERS = 1;
/** RLock only: recursion depth beyond the first acquire. Owner-only. */
export const LOCK_COUNT = 2;
/**
 * Anti-starvation ticket: 0, or the pid of one waiter that has waited longer
 * than {@linkcode LOCK_STARVE_MS} (the heir), or minus that pid while a
 * releaser is handing the lock to it. A release that finds an heir stores
 * the heir's pid straight into LOCK_STATE instead of 0, so no other thread
 * can barge in between: the heir gets the lock at the next release.
 */
export const LOCK_HEIR = 3;
/** Int32 slots per lock. */
export const LOCK_INTS = 4;

/** Acquire attempts by spinning before a contended waiter parks. */
export const LOCK_SPIN = 100;
/**
 * Longest single park: between parks a waiter re-checks whether the holder
 * is still alive, and recovers from a wake-up absorbed by an abandoned async
 * registration (see lib/_wait.ts).
 */
export const LOCK_SLICE_MS = 50;
/** How long a waiter waits before it asks for the lock to be handed to it. */
export const LOCK_STARVE_MS = 5;
