// Copyright 2026 the denomp authors. MIT license.
// Parking on an Int32 slot of a SharedArrayBuffer, synchronously
// (`Atomics.wait`) and asynchronously (`Atomics.waitAsync`), with a timeout,
// an AbortSignal and a periodic check. Every blocking primitive of the
// toolkit waits through here. Private.
//
// Two Deno facts shape this file:
// - `Atomics.waitAsync` does not keep the event loop alive: a program whose
//   only pending work is such a wait ends with "Top-level await promise never
//   resolved". So while any async wait is pending we hold one ref'd timer.
// - A pending `Atomics.waitAsync` cannot be cancelled. An aborted waiter's
//   registration lingers until its slice ends, and an `Atomics.notify(.., 1)`
//   may land on it. Primitives must therefore never rely on a single notify
//   reaching a live waiter: they notify all, or re-check state after a slice.

import { assertLive, isWorkerThread } from "./_context.ts";

/** How a wait ended. */
export type WaitResult = "ok" | "not-equal" | "timed-out";

/** Longest single park before the periodic check runs again. */
export const WAIT_SLICE_MS = 50;

/** Options every wait takes. */
export interface ParkOptions {
  /** Milliseconds; `Infinity` (the default) waits for ever. */
  timeout?: number | undefined;
  /** Aborting rejects the wait with `signal.reason`. */
  signal?: AbortSignal | undefined;
  /**
   * Called between slices; throwing from it ends the wait with that error.
   * Robust locks use it to notice an owner that died.
   */
  check?: (() => void) | undefined;
}

/**
 * Validates `timeout` the same way everywhere.
 *
 * @param what The sentence start for the message, as `"Cannot acquire lock"`.
 * @param timeout The value given.
 * @returns The timeout in milliseconds (`Infinity` when not given).
 */
export function checkTimeout(what: string, timeout: unknown): number {
  if (timeout === undefined) return Infinity;
  if (typeof timeout !== "number" || Number.isNaN(timeout)) {
    throw new TypeError(
      `${what}: timeout must be a number of milliseconds, received ${
        describe(timeout)
      }`,
    );
  }
  if (timeout < 0) {
    throw new RangeError(
      `${what}: timeout must be non-negative, received ${timeout}`,
    );
  }
  return timeout;
}

/**
 * Validates a signal the same way everywhere.
 *
 * @param what The sentence start for the message.
 * @param signal The value given.
 */
export function checkSignal(what: string, signal: unknown): void {
  if (signal !== undefined && !(signal instanceof AbortSignal)) {
    throw new TypeError(
      `${what}: signal must be an AbortSignal, received ${describe(signal)}`,
    );
  }
}

/** A short description of a value for error messages. */
export function describe(value: unknown): string {
  if (value === null) return "null";
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "function") return "a function";
  if (typeof value === "object") {
    const name = (value as object).constructor?.name;
    return name ? `an instance of ${name}` : "an object";
  }
  return `${String(value)} (${typeof value})`;
}

/**
 * Parks the calling thread while `i32[index] === value`.
 *
 * On the main thread with no `check` this is one `Atomics.wait`. In a
 * worker, or with a `check`, it parks in slices of {@linkcode WAIT_SLICE_MS}
 * and calls `check` (and, in a worker, makes sure the Process has not been
 * terminated) between slices. Wake-up latency is unaffected: a notify ends the
 * current slice at once.
 */
export function parkSync(
  i32: Int32Array,
  index: number,
  value: number,
  timeout = Infinity,
  check?: () => void,
): WaitResult {
  if (!isWorkerThread && check === undefined) {
    return Atomics.wait(i32, index, value, timeout);
  }
  const deadline = performance.now() + timeout;
  while (true) {
    if (isWorkerThread) assertLive();
    check?.();
    const remaining = deadline - performance.now();
    if (remaining <= 0) {
      return Atomics.load(i32, index) === value ? "timed-out" : "not-equal";
    }
    const result = Atomics.wait(
      i32,
      index,
      value,
      Math.min(remaining, WAIT_SLICE_MS),
    );
    if (result !== "timed-out") {
      if (isWorkerThread) assertLive();
      return result;
    }
  }
}

let keepAliveCount = 0;
let keepAliveTimer: ReturnType<typeof setInterval> | undefined;

function holdEventLoop(): void {
  if (keepAliveCount++ === 0) {
    // A ref'd timer that never fires: it only keeps the loop alive while an
    // async wait is pending (see the note at the top of this file).
    keepAliveTimer = setInterval(() => {}, 1 << 30);
  }
}

function releaseEventLoop(): void {
  if (--keepAliveCount === 0) {
    clearInterval(keepAliveTimer);
    keepAliveTimer = undefined;
  }
}

/**
 * Waits without blocking the event loop while `i32[index] === value`.
 *
 * Resolves `"ok"` when notified, `"not-equal"` when the value had already
 * changed, `"timed-out"` when `timeout` ran out; rejects with
 * `signal.reason` on abort, or with whatever `check` throws.
 */
export async function park(
  i32: Int32Array,
  index: number,
  value: number,
  options: ParkOptions = {},
): Promise<WaitResult> {
  const { timeout = Infinity, signal, check } = options;
  signal?.throwIfAborted();
  if (isWorkerThread) assertLive();
  check?.();
  // Without a check, slices only bound how long an abandoned registration
  // can linger; with one, they set how soon the check runs again.
  const slice = check ? WAIT_SLICE_MS : WAIT_SLICE_MS * 20;
  const first = Atomics.waitAsync(i32, index, value, Math.min(timeout, slice));
  if (!first.async) return first.value;
  const deadline = performance.now() + timeout;
  holdEventLoop();
  let onAbort: (() => void) | undefined;
  const aborted = signal
    ? new Promise<never>((_, reject) => {
      onAbort = () => reject(signal.reason);
      signal.addEventListener("abort", onAbort, { once: true });
    })
    : undefined;
  try {
    let pending: Promise<"ok" | "timed-out"> = first.value;
    while (true) {
      const result = aborted
        ? await Promise.race([pending, aborted])
        : await pending;
      if (isWorkerThread) assertLive();
      if (result === "ok") return "ok";
      check?.();
      const remaining = deadline - performance.now();
      if (remaining <= 0) {
        return Atomics.load(i32, index) === value ? "timed-out" : "not-equal";
      }
      const next = Atomics.waitAsync(
        i32,
        index,
        value,
        Math.min(remaining, slice),
      );
      if (!next.async) return next.value;
      pending = next.value;
    }
  } finally {
    if (onAbort) signal?.removeEventListener("abort", onAbort);
    releaseEventLoop();
  }
}

/**
 * Waits for a one-time event for at most `timeout` milliseconds, or until
 * `signal` aborts. `subscribe(wake)` registers `wake` to be called once when
 * the event happens and returns a function that unregisters it. Resolves
 * `true` when the event came, `false` when the timeout ran out first;
 * rejects with `signal.reason` on abort. Every way out unregisters, clears
 * its timer and removes its listener, so an abandoned wait (a poll with a
 * short timeout, repeated) leaves nothing behind. The timeout and signal
 * must have been validated ({@linkcode checkTimeout},
 * {@linkcode checkSignal}).
 */
export function waitFor(
  subscribe: (wake: () => void) => () => void,
  timeout: number,
  signal: AbortSignal | undefined,
): Promise<boolean> {
  if (signal?.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let done = false;
    let unsubscribe: (() => void) | undefined = undefined;
    const finish = (): boolean => {
      if (done) return false;
      done = true;
      unsubscribe?.();
      if (timer !== undefined) clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      return true;
    };
    const onAbort = () => {
      if (finish()) reject(signal!.reason);
    };
    const off = subscribe(() => {
      if (finish()) resolve(true);
    });
    if (done) {
      off();
      return;
    }
    unsubscribe = off;
    if (timeout !== Infinity) {
      timer = setTimeout(() => {
        if (finish()) resolve(false);
      }, timeout);
    }
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
