// Copyright 2026 the denomp authors. MIT license.
// What a server holds for each peer, bounded: the bytes buffered per
// connection (a partial frame in, answers not yet written out) and over
// all connections, and how long a partial frame may wait for its next
// bytes. One mechanism for the Manager's server and for Listener's
// connections. Private.

import { describe } from "../_wait.ts";
import { HEADER_BYTES } from "./frame.ts";

/** The limits, in bytes and milliseconds. */
export interface Limits {
  /** Milliseconds a partly received frame may wait for more bytes. */
  frameTimeout: number;
  /** Bytes one connection may hold buffered (in and out). */
  maxBufferedBytes: number;
}

/** Default of {@linkcode Limits.frameTimeout}. */
export const DEFAULT_FRAME_TIMEOUT_MS = 30_000;
/** Default of the total a server's connections may hold (64 MiB). */
export const DEFAULT_MAX_TOTAL_BUFFERED_BYTES = 64 * 1024 * 1024;

/**
 * Validates user-given limits: `frameTimeout` a positive number of
 * milliseconds, the byte counts integers of at least 1024, and a
 * connection's share room for one frame of `maxFrameBytes`.
 *
 * @throws {TypeError} for a value that is not a number.
 * @throws {RangeError} for one out of range.
 */
export function checkLimits(
  what: string,
  limits: Limits & { maxTotalBufferedBytes: number },
  maxFrameBytes: number,
): void {
  const { frameTimeout, maxBufferedBytes, maxTotalBufferedBytes } = limits;
  for (
    const [name, value] of [
      ["frameTimeout", frameTimeout],
      ["maxBufferedBytes", maxBufferedBytes],
      ["maxTotalBufferedBytes", maxTotalBufferedBytes],
    ] as const
  ) {
    if (typeof value !== "number" || Number.isNaN(value)) {
      throw new TypeError(
        `${what}: ${name} must be a number, received ${describe(value)}`,
      );
    }
  }
  if (!(frameTimeout > 0) || frameTimeout > 2 ** 31 - 1) {
    throw new RangeError(
      `${what}: frameTimeout must be from 1 to 2147483647 ms, received ${frameTimeout}`,
    );
  }
  if (
    !Number.isSafeInteger(maxBufferedBytes) ||
    maxBufferedBytes < maxFrameBytes + HEADER_BYTES
  ) {
    throw new RangeError(
      `${what}: maxBufferedBytes must be an integer of at least maxFrameBytes + 4 (${
        maxFrameBytes + HEADER_BYTES
      }), received ${maxBufferedBytes}`,
    );
  }
  if (
    !Number.isSafeInteger(maxTotalBufferedBytes) ||
    maxTotalBufferedBytes < 1024
  ) {
    throw new RangeError(
      `${what}: maxTotalBufferedBytes must be an integer of at least 1024, received ${maxTotalBufferedBytes}`,
    );
  }
}

/** The bytes held over all the connections of one server. */
export class Budget {
  /** Bytes held now. */
  used = 0;
  /** The most all connections together may hold. */
  readonly total: number;

  /** A budget of `total` bytes. */
  constructor(total: number) {
    this.total = total;
  }
}

/**
 * One connection's share of a {@linkcode Budget}, and its stall timer. The
 * owner calls {@linkcode Guard.check} after each read has been handled, and
 * {@linkcode Guard.account} after queueing output it did not read for and
 * whenever queued output goes into a write (so the budget never counts
 * bytes already written out); a non-null answer means the connection is
 * over a limit and must be dropped, which `onDrop` is also told when the
 * stall timer finds a frame that stopped arriving.
 */
export class Guard {
  #limits: Limits;
  #budget: Budget;
  #held = 0;
  #lastProgress = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #partial = false;
  #onDrop: (reason: string) => void;
  #released = false;

  /** A guard drawing on `budget`; `onDrop` hears of a stalled frame. */
  constructor(
    limits: Limits,
    budget: Budget,
    onDrop: (reason: string) => void,
  ) {
    this.#limits = limits;
    this.#budget = budget;
    this.#onDrop = onDrop;
  }

  /**
   * Accounts for what the connection holds now: `input` bytes of a frame
   * not yet complete, `output` bytes not yet written. Returns why the
   * connection must be dropped, or `null` when it is within its limits.
   * With `watch` false the owner has stopped reading (it holds a message
   * nobody took yet), so a partial frame is not the peer's stall.
   */
  check(input: number, output: number, watch = true): string | null {
    const why = this.account(input, output);
    if (why !== null || this.#released) return why;
    this.#partial = watch && input > 0;
    if (this.#partial) {
      this.#lastProgress = performance.now();
      // One timer per connection with a partial frame, re-armed only when
      // it fires: progress just moves the deadline.
      this.#timer ??= this.#arm(this.#limits.frameTimeout);
    }
    return null;
  }

  /**
   * Like {@linkcode Guard.check}, for a change on the output side (an
   * answer queued outside a read, queued bytes gone into a write): the
   * stall timer is left as it is, since no bytes arrived.
   */
  account(input: number, output: number): string | null {
    if (this.#released) return null;
    const held = input + output;
    const budget = this.#budget;
    budget.used += held - this.#held;
    this.#held = held;
    if (held > this.#limits.maxBufferedBytes) {
      this.release();
      return `it holds ${held} bytes, over the limit of ${this.#limits.maxBufferedBytes} per connection`;
    }
    if (budget.used > budget.total && held > 0) {
      const used = budget.used;
      // Give its bytes back at once: the next connection to read must not
      // be dropped for bytes this one no longer holds.
      this.release();
      return `the server holds ${used} bytes, over its limit of ${budget.total}, and this connection holds ${held}`;
    }
    return null;
  }

  #arm(ms: number): ReturnType<typeof setTimeout> {
    const timer = setTimeout(() => this.#fire(), ms);
    // A guard never keeps a program alive on its own.
    Deno.unrefTimer(timer);
    return timer;
  }

  #fire(): void {
    this.#timer = undefined;
    if (this.#released || !this.#partial) return;
    const idle = performance.now() - this.#lastProgress;
    const timeout = this.#limits.frameTimeout;
    if (idle >= timeout) {
      this.release();
      this.#onDrop(
        `a frame stopped arriving for ${
          Math.round(idle)
        } ms (the limit is ${timeout} ms)`,
      );
    } else {
      this.#timer = this.#arm(timeout - idle);
    }
  }

  /** Gives the connection's bytes back and stops the timer (idempotent). */
  release(): void {
    if (this.#released) return;
    this.#released = true;
    this.#budget.used -= this.#held;
    this.#held = 0;
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
