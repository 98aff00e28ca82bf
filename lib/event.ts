// Copyright 2026 the denomp authors. MIT license.
/**
 * `Event`: Python's event flag shared by every Process: `set()`, `clear()`,
 * `isSet()`, and `wait()` with its `Sync` twin.
 *
 * This module's `Event` shadows the DOM `Event` class where it is imported;
 * import it under another name (`import { Event as MpEvent }`) if you need
 * both in one file.
 *
 * @module
 */

import { assertLive } from "./_context.ts";
import {
  registerShareable,
  SHARE,
  type SharedDescriptor,
} from "./_registry.ts";
import { EVENT_INTS, EVENT_STATE, spinWhileEqual } from "./sync/layout.ts";
import { checkSignal, checkTimeout, park, parkSync } from "./_wait.ts";

/** Options for {@linkcode Event.prototype.wait}. */
export interface EventWaitOptions {
  /**
   * Milliseconds to wait at most; `wait()` then gives `false`.
   *
   * @default {Infinity}
   */
  timeout?: number;
  /** Aborting rejects the wait with `signal.reason`. */
  signal?: AbortSignal;
}

/** Options for {@linkcode Event.prototype.waitSync}. */
export interface EventWaitSyncOptions {
  /**
   * Milliseconds to block at most; `waitSync()` then gives `false`.
   *
   * @default {Infinity}
   */
  timeout?: number;
}

let reviving: Int32Array | null = null;

/**
 * A flag shared by every Process, as Python's `multiprocessing.Event`:
 * `set()` raises it and wakes every waiter, `clear()` lowers it, `wait()`
 * waits until it is raised.
 *
 * `wait()` gives `true` when the flag was already set or a `set()` happened
 * while waiting, even if another Process cleared it again before this one
 * woke (Python's `threading.Event` semantics: a quick `set(); clear()` pair
 * still releases every waiter), and `false` when its `timeout` ran out.
 *
 * Passed to a Process in `args`, it arrives as the same live event.
 *
 * On owner death: an event has no owner. A Process that dies leaves the flag
 * as it was; if it was the one expected to `set()` it, waiters wait until
 * their timeout (use one, or join the Process) as in Python.
 *
 * @example Usage
 * ```ts
 * import { Event } from "@denomp/multiprocessing";
 * import assert from "node:assert/strict";
 *
 * const ready = new Event();
 * assert.equal(ready.isSet(), false);
 * assert.equal(await ready.wait({ timeout: 0 }), false);
 * setTimeout(() => ready.set(), 1);
 * assert.equal(await ready.wait(), true);
 * assert.equal(ready.waitSync(), true);
 * ready.clear();
 * assert.equal(ready.isSet(), false);
 * ```
 */
export class Event {
  #i32: Int32Array;

  /** Creates an event whose flag is down. */
  constructor() {
    if (reviving !== null) {
      this.#i32 = reviving;
      reviving = null;
      return;
    }
    this.#i32 = new Int32Array(new SharedArrayBuffer(EVENT_INTS * 4));
  }

  /**
   * Whether the flag is up (Python's `is_set()`).
   *
   * @returns The flag.
   */
  isSet(): boolean {
    return (Atomics.load(this.#i32, EVENT_STATE) & 1) === 1;
  }

  /**
   * Raises the flag and wakes every waiter, in every Process. No-op when it
   * is already up.
   */
  set(): void {
    assertLive();
    const i32 = this.#i32;
    let s = Atomics.load(i32, EVENT_STATE);
    while ((s & 1) === 0) {
      // Next generation with the flag up; the generation wraps harmlessly.
      const seen = Atomics.compareExchange(i32, EVENT_STATE, s, (s + 2) | 1);
      if (seen === s) {
        Atomics.notify(i32, EVENT_STATE);
        return;
      }
      s = seen;
    }
  }

  /** Lowers the flag. Waiters already released stay released. */
  clear(): void {
    assertLive();
    // Keeps the generation, so a waiter that has not looked yet still sees
    // that a set() happened.
    Atomics.and(this.#i32, EVENT_STATE, ~1);
  }

  /**
   * Waits until the flag is raised.
   *
   * @param options `timeout` in milliseconds and `signal` to abort.
   * @returns `true` if the flag was up or got raised, `false` if `timeout`
   * ran out first.
   * @throws {TypeError} If `timeout` is not a number or `signal` not an
   * AbortSignal.
   * @throws {RangeError} If `timeout` is negative.
   */
  async wait(options?: EventWaitOptions): Promise<boolean> {
    options ??= {};
    const what = "Cannot wait for event";
    const timeout = checkTimeout(what, options?.timeout);
    const signal = options?.signal;
    checkSignal(what, signal);
    assertLive();
    signal?.throwIfAborted();
    const i32 = this.#i32;
    const s = Atomics.load(i32, EVENT_STATE);
    if ((s & 1) === 1) return true;
    if (timeout === 0) return false;
    // The word can only move away from `s` (flag down) through a set().
    // Only the word decides: a wake-up alone proves nothing, since a set()
    // that a waiter already saw may notify late and wake its next wait.
    const deadline = performance.now() + timeout;
    while (Atomics.load(i32, EVENT_STATE) === s) {
      const remaining = deadline - performance.now();
      if (remaining <= 0) return false;
      await park(i32, EVENT_STATE, s, { timeout: remaining, signal });
    }
    return true;
  }

  /**
   * Blocks the calling thread until the flag is raised. On the main thread
   * this freezes the event loop while it waits.
   *
   * @param options `timeout` in milliseconds.
   * @returns `true` if the flag was up or got raised, `false` if `timeout`
   * ran out first.
   * @throws {TypeError} If `timeout` is not a number.
   * @throws {RangeError} If `timeout` is negative.
   */
  waitSync(options?: EventWaitSyncOptions): boolean {
    options ??= {};
    const what = "Cannot wait for event";
    const timeout = checkTimeout(what, options?.timeout);
    assertLive();
    const i32 = this.#i32;
    const s = Atomics.load(i32, EVENT_STATE);
    if ((s & 1) === 1) return true;
    if (timeout === 0) return false;
    if (spinWhileEqual(i32, EVENT_STATE, s)) return true;
    const deadline = performance.now() + timeout;
    while (Atomics.load(i32, EVENT_STATE) === s) {
      const remaining = deadline - performance.now();
      if (remaining <= 0) return false;
      parkSync(i32, EVENT_STATE, s, remaining);
    }
    return true;
  }

  /** A short description, for `console.log`. */
  [Symbol.for("Deno.customInspect")](): string {
    return `Event { set: ${this.isSet()} }`;
  }

  /**
   * Describes the event for a worker (used by `Process` args).
   *
   * @returns The descriptor; its buffer is shared, not copied.
   *
   * @ignore Internal: the shared-object registry calls it.
   */
  [SHARE](): SharedDescriptor {
    return { kind: "Event", module: import.meta.url, data: this.#i32.buffer };
  }

  static {
    registerShareable("Event", (data) => {
      reviving = new Int32Array(data as SharedArrayBuffer);
      return new Event();
    });
  }
}
