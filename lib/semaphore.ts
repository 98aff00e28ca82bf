// Copyright 2026 the denomp authors. MIT license.
/**
 * `Semaphore` and `BoundedSemaphore`: Python's counting semaphores, shared by
 * every Process of the program, with async waits, a `Sync` twin, `hold()`
 * guards, and permits that come back when the Process holding them dies.
 *
 * @module
 */

import {
  assertLive,
  isPidAlive,
  mainProcessPid,
  selfProcess,
} from "./_context.ts";
import {
  registerShareable,
  SHARE,
  type SharedDescriptor,
} from "./_registry.ts";
import {
  SEM_BOUND,
  SEM_HOLDER_SLOTS,
  SEM_HOLDERS,
  SEM_INTS,
  SEM_ROBUST,
  SEM_VALUE,
  SEM_WAITERS,
} from "./sync/layout.ts";
import {
  checkSignal,
  checkTimeout,
  describe,
  park,
  parkSync,
} from "./_wait.ts";
import { TimeoutError } from "./errors.ts";

/** Options for {@linkcode Semaphore} and {@linkcode BoundedSemaphore}. */
export interface SemaphoreOptions {
  /**
   * Track which Process holds each permit (up to 32 permits at once), and
   * give back a permit whose holder died (terminated, killed, crashed, or
   * returned from its target without releasing it). Turn this off for a
   * semaphore used as a counter, where one Process acquires and another
   * releases (the producer/consumer pattern): there a permit taken by a
   * Process that then ends was consumed, not held.
   *
   * @default {true}
   */
  robust?: boolean;
}

/** Options for {@linkcode Semaphore.prototype.acquire} and `hold()`. */
export interface SemaphoreAcquireOptions {
  /**
   * Milliseconds to wait at most; `0` tries once without waiting (Python's
   * `block=False`).
   *
   * @default {Infinity}
   */
  timeout?: number;
  /** Aborting rejects the wait with `signal.reason`; no permit is taken. */
  signal?: AbortSignal;
}

/** Options for {@linkcode Semaphore.prototype.acquireSync} and `holdSync()`. */
export interface SemaphoreAcquireSyncOptions {
  /**
   * Milliseconds to block at most; `0` tries once without waiting.
   *
   * @default {Infinity}
   */
  timeout?: number;
}

/**
 * A held permit, given back when disposed (`using _ = await sem.hold()`) or
 * released. Giving it back twice is a no-op.
 */
export interface SemaphoreGuard extends Disposable {
  /** Gives the permit back (the same as disposing the guard). */
  release(): void;
}

let reviving: Int32Array | null = null;

/**
 * A counting semaphore shared by every Process, as Python's
 * `multiprocessing.Semaphore`: `acquire()` takes one of `value` permits,
 * waiting while there is none, and `release()` gives one back. Any Process
 * may release (Python's semantics), and a plain `Semaphore` may be released
 * above its initial value; see {@linkcode BoundedSemaphore} for the checked
 * kind.
 *
 * Passed to a Process in `args`, it arrives as the same live semaphore.
 *
 * On owner death: with the default `robust: true`, each permit a Process
 * takes is recorded with its pid (up to 32 at once); when that Process dies
 * (terminated, killed, crashed, or its target returned while still holding
 * it), the permit is given back as soon as someone waits for one, as if the
 * dead Process had released it. A Process that ended can no longer release
 * anything (its calls throw `ProcessEndedError`), so no permit is returned
 * twice. Permits held by the main thread are not tracked (it outlives every
 * waiter). Release from the Process that acquired: a permit acquired by one
 * Process and released by another stays recorded for the first.
 *
 * @example Usage
 * ```ts
 * import { Semaphore } from "@denomp/multiprocessing";
 * import assert from "node:assert/strict";
 *
 * const sem = new Semaphore(2);
 * assert.equal(await sem.acquire(), true);
 * assert.equal(sem.acquireSync(), true);
 * assert.equal(await sem.acquire({ timeout: 0 }), false); // none left
 * sem.release();
 * {
 *   using _permit = await sem.hold();
 *   assert.equal(sem.getValue(), 0);
 * }
 * assert.equal(sem.getValue(), 1);
 * ```
 */
export class Semaphore {
  #i32: Int32Array;

  /**
   * Creates a semaphore with `value` free permits.
   *
   * @param value The initial number of permits.
   * @param options Whether holders are tracked (see
   * {@linkcode SemaphoreOptions.robust}).
   * @throws {TypeError} If `value` is not a number or `options` is malformed.
   * @throws {RangeError} If `value` is not an integer in [0, 2147483647].
   */
  constructor(value?: number, options?: SemaphoreOptions) {
    if (value === undefined) value = 1;
    if (reviving !== null) {
      this.#i32 = reviving;
      reviving = null;
      return;
    }
    const what = `Cannot create ${this.#kind().toLowerCase()}`;
    checkPermits(what, "value", value);
    if (options === undefined) options = {};
    else if (typeof options !== "object" || options === null) {
      throw new TypeError(
        `${what}: options must be an object, received ${describe(options)}`,
      );
    }
    const { robust = true } = options;
    if (typeof robust !== "boolean") {
      throw new TypeError(
        `${what}: robust must be a boolean, received ${describe(robust)}`,
      );
    }
    const i32 = new Int32Array(new SharedArrayBuffer(SEM_INTS * 4));
    i32[SEM_VALUE] = value;
    i32[SEM_BOUND] = this.#bounded() ? value : -1;
    i32[SEM_ROBUST] = robust ? 1 : 0;
    this.#i32 = i32;
  }

  /**
   * Takes a permit, waiting while there is none.
   *
   * @param options `timeout` in milliseconds (`0` does not wait) and
   * `signal` to abort.
   * @returns `true` once a permit is taken, `false` if `timeout` ran out.
   * @throws {TypeError} If `timeout` is not a number or `signal` not an
   * AbortSignal.
   * @throws {RangeError} If `timeout` is negative.
   */
  async acquire(options?: SemaphoreAcquireOptions): Promise<boolean> {
    options ??= {};
    const what = "Cannot acquire semaphore";
    assertLive();
    const timeout = checkTimeout(what, options?.timeout);
    const signal = options?.signal;
    checkSignal(what, signal);
    signal?.throwIfAborted();
    if (this.#tryTake()) return true;
    const i32 = this.#i32;
    const deadline = performance.now() + timeout;
    const check = () => this.#reclaim();
    while (true) {
      if (this.#reclaim() && this.#tryTake()) return true;
      const remaining = deadline - performance.now();
      if (remaining <= 0) return false;
      // Announce ourselves before parking, so that a release that sees no
      // waiter cannot happen after our last look at the value (the park
      // returns "not-equal" when a release slipped in between).
      Atomics.add(i32, SEM_WAITERS, 1);
      try {
        await park(i32, SEM_VALUE, 0, { timeout: remaining, signal, check });
      } finally {
        Atomics.sub(i32, SEM_WAITERS, 1);
      }
      if (this.#tryTake()) return true;
    }
  }

  /**
   * Takes a permit, blocking the calling thread while there is none. On the
   * main thread this freezes the event loop while it waits.
   *
   * @param options `timeout` in milliseconds (`0` does not wait).
   * @returns `true` once a permit is taken, `false` if `timeout` ran out.
   * @throws {TypeError} If `timeout` is not a number.
   * @throws {RangeError} If `timeout` is negative.
   */
  acquireSync(options?: SemaphoreAcquireSyncOptions): boolean {
    options ??= {};
    const what = "Cannot acquire semaphore";
    assertLive();
    const timeout = checkTimeout(what, options?.timeout);
    if (this.#tryTake()) return true;
    const i32 = this.#i32;
    const deadline = performance.now() + timeout;
    const check = () => this.#reclaim();
    while (true) {
      if (this.#reclaim() && this.#tryTake()) return true;
      const remaining = deadline - performance.now();
      if (remaining <= 0) return false;
      Atomics.add(i32, SEM_WAITERS, 1);
      try {
        parkSync(i32, SEM_VALUE, 0, remaining, check);
      } finally {
        Atomics.sub(i32, SEM_WAITERS, 1);
      }
      if (this.#tryTake()) return true;
    }
  }

  /**
   * Gives back `n` permits and wakes waiters.
   *
   * @param n How many permits to give back.
   * @throws {TypeError} If `n` is not a number.
   * @throws {RangeError} If `n` is not a positive integer, or (for a
   * {@linkcode BoundedSemaphore}) if the value would exceed its initial
   * value; the semaphore is then left unchanged.
   */
  release(n?: number): void {
    if (n === undefined) n = 1;
    const what = "Cannot release semaphore";
    assertLive();
    checkPermits(what, "n", n);
    if (n === 0) {
      throw new RangeError(`${what}: n must be at least 1, received 0`);
    }
    const i32 = this.#i32;
    const bound = Atomics.load(i32, SEM_BOUND);
    if (bound >= 0) {
      while (true) {
        const v = Atomics.load(i32, SEM_VALUE);
        if (v + n > bound) {
          throw new RangeError(
            `${what}: released too many times (value ${v} + ${n} would exceed the bound ${bound})`,
          );
        }
        if (Atomics.compareExchange(i32, SEM_VALUE, v, v + n) === v) break;
      }
    } else {
      if (Atomics.load(i32, SEM_VALUE) > 0x7fffffff - n) {
        throw new RangeError(`${what}: the value would overflow`);
      }
      Atomics.add(i32, SEM_VALUE, n);
    }
    this.#forget(n);
    if (Atomics.load(i32, SEM_WAITERS) > 0) {
      // Wake all: an aborted async waiter's lingering registration could
      // absorb a notify of one (see lib/_wait.ts).
      Atomics.notify(i32, SEM_VALUE);
    }
  }

  /**
   * Takes a permit and returns a guard that gives it back when disposed:
   * `using _ = await sem.hold()`.
   *
   * @param options `timeout` in milliseconds and `signal` to abort.
   * @returns A guard releasing the permit once.
   * @throws {TimeoutError} If `timeout` ran out.
   */
  async hold(
    options?: SemaphoreAcquireOptions,
  ): Promise<SemaphoreGuard> {
    options ??= {};
    if (!await this.acquire(options)) {
      throw new TimeoutError(
        `Cannot hold semaphore: timed out after ${options.timeout} ms`,
      );
    }
    return this.#guard();
  }

  /**
   * Blocking twin of {@linkcode Semaphore.prototype.hold}.
   *
   * @param options `timeout` in milliseconds.
   * @returns A guard releasing the permit once.
   * @throws {TimeoutError} If `timeout` ran out.
   */
  holdSync(options?: SemaphoreAcquireSyncOptions): SemaphoreGuard {
    options ??= {};
    if (!this.acquireSync(options)) {
      throw new TimeoutError(
        `Cannot hold semaphore: timed out after ${options.timeout} ms`,
      );
    }
    return this.#guard();
  }

  /**
   * The number of free permits now (Python's `get_value()`). It may change
   * at any moment when other Processes use the semaphore.
   *
   * @returns The free permits.
   */
  getValue(): number {
    return Atomics.load(this.#i32, SEM_VALUE);
  }

  /** A short description, for `console.log`. */
  [Symbol.for("Deno.customInspect")](): string {
    const bound = Atomics.load(this.#i32, SEM_BOUND);
    return `${this.#kind()} { value: ${this.getValue()}${
      bound >= 0 ? `, bound: ${bound}` : ""
    } }`;
  }

  /**
   * Describes the semaphore for a worker (used by `Process` args).
   *
   * @returns The descriptor; its buffer is shared, not copied.
   *
   * @ignore Internal: the shared-object registry calls it.
   */
  [SHARE](): SharedDescriptor {
    return {
      kind: this.#kind(),
      module: import.meta.url,
      data: this.#i32.buffer,
    };
  }

  #kind(): string {
    return this.#bounded() ? "BoundedSemaphore" : "Semaphore";
  }

  #bounded(): boolean {
    return this instanceof BoundedSemaphore;
  }

  #guard(): SemaphoreGuard {
    let done = false;
    const release = () => {
      if (done) return;
      done = true;
      this.release();
    };
    return { release, [Symbol.dispose]: release };
  }

  /** Takes a permit if there is one, recording the holder. */
  #tryTake(): boolean {
    const i32 = this.#i32;
    let v = Atomics.load(i32, SEM_VALUE);
    while (v > 0) {
      const seen = Atomics.compareExchange(i32, SEM_VALUE, v, v - 1);
      if (seen === v) {
        this.#record();
        return true;
      }
      v = seen;
    }
    return false;
  }

  /** Records this Process as holder of one permit (robust mode). */
  #record(): void {
    const i32 = this.#i32;
    if (Atomics.load(i32, SEM_ROBUST) === 0) return;
    const pid = selfProcess().pid;
    if (pid === mainProcessPid()) return;
    for (let i = SEM_HOLDERS; i < SEM_HOLDERS + SEM_HOLDER_SLOTS; i++) {
      if (
        Atomics.load(i32, i) === 0 &&
        Atomics.compareExchange(i32, i, 0, pid) === 0
      ) return;
    }
    // Every slot is taken: this permit is counted but not owned.
  }

  /** Forgets up to `n` permits recorded for this Process. */
  #forget(n: number): void {
    const i32 = this.#i32;
    if (Atomics.load(i32, SEM_ROBUST) === 0) return;
    const pid = selfProcess().pid;
    if (pid === mainProcessPid()) return;
    for (
      let i = SEM_HOLDERS;
      i < SEM_HOLDERS + SEM_HOLDER_SLOTS && n > 0;
      i++
    ) {
      if (
        Atomics.load(i32, i) === pid &&
        Atomics.compareExchange(i32, i, pid, 0) === pid
      ) n--;
    }
  }

  /**
   * Gives back the permits of holders that died. Each slot is cleared with
   * one compare-exchange, so a permit comes back exactly once however many
   * waiters look at the same time.
   *
   * @returns whether any permit came back.
   */
  #reclaim(): boolean {
    const i32 = this.#i32;
    if (Atomics.load(i32, SEM_ROBUST) === 0) return false;
    let returned = 0;
    for (let i = SEM_HOLDERS; i < SEM_HOLDERS + SEM_HOLDER_SLOTS; i++) {
      const pid = Atomics.load(i32, i);
      if (pid === 0 || isPidAlive(pid)) continue;
      if (Atomics.compareExchange(i32, i, pid, 0) !== pid) continue;
      const bound = Atomics.load(i32, SEM_BOUND);
      while (true) {
        const v = Atomics.load(i32, SEM_VALUE);
        // A bounded semaphore never goes above its bound, even if the dead
        // holder's permit was already given back by someone else.
        if (bound >= 0 && v >= bound) break;
        if (Atomics.compareExchange(i32, SEM_VALUE, v, v + 1) === v) {
          returned++;
          break;
        }
      }
    }
    if (returned > 0 && Atomics.load(i32, SEM_WAITERS) > 0) {
      Atomics.notify(i32, SEM_VALUE);
    }
    return returned > 0;
  }

  static {
    registerShareable("Semaphore", (data) => {
      reviving = new Int32Array(data as SharedArrayBuffer);
      return new Semaphore();
    });
  }
}

/**
 * A {@linkcode Semaphore} that refuses to be released above its initial
 * value, as Python's `BoundedSemaphore` (which raises `ValueError`): such a
 * `release()` throws a `RangeError` and changes nothing. It catches the
 * classic bug of releasing more often than acquiring.
 *
 * On owner death it behaves as {@linkcode Semaphore} (robust by default);
 * a returned permit never lifts the value above the bound.
 *
 * @example Usage
 * ```ts
 * import { BoundedSemaphore } from "@denomp/multiprocessing";
 * import assert from "node:assert/strict";
 *
 * const sem = new BoundedSemaphore(1);
 * await sem.acquire();
 * sem.release();
 * assert.throws(() => sem.release(), RangeError);
 * assert.equal(sem.getValue(), 1);
 * ```
 */
export class BoundedSemaphore extends Semaphore {
  static {
    registerShareable("BoundedSemaphore", (data) => {
      reviving = new Int32Array(data as SharedArrayBuffer);
      return new BoundedSemaphore();
    });
  }
}

function checkPermits(what: string, name: string, value: unknown): void {
  if (typeof value !== "number") {
    throw new TypeError(
      `${what}: ${name} must be a number, received ${describe(value)}`,
    );
  }
  if (!Number.isInteger(value) || value < 0 || value > 0x7fffffff) {
    throw new RangeError(
      `${what}: ${name} must be an integer in [0, 2147483647], received ${value}`,
    );
  }
}
