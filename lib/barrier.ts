// Copyright 2026 the denomp authors. MIT license.
/**
 * `Barrier`: Python's cyclic barrier shared by every Process: `parties`
 * callers meet in `wait()`, one of them runs the optional `action`, and all
 * go on together; `abort()`, `reset()`, `broken`, `nWaiting`, `parties` and
 * `BrokenBarrierError` as in Python.
 *
 * @module
 */

import { assertLive, isPidAlive, selfProcess } from "./_context.ts";
import {
  registerShareable,
  SHARE,
  type SharedDescriptor,
} from "./_registry.ts";
import {
  BAR_BROKEN,
  BAR_COMPLETE,
  BAR_COUNT,
  BAR_GEN,
  BAR_MUTEX,
  BAR_OUTCOME_BROKEN,
  BAR_OUTCOME_PASSED,
  BAR_OUTCOME_RING,
  BAR_OUTCOMES,
  BAR_PARTIES,
  BAR_SEQ,
  BAR_SLOTS,
  lockMutex,
  spinWhileEqual,
  unlockMutex,
} from "./sync/layout.ts";
import { type TargetRef, targetRef } from "./_target.ts";
import { preloadUrl, resolveAction } from "./sync/barrier_action.ts";
import {
  checkSignal,
  checkTimeout,
  describe,
  park,
  parkSync,
  type WaitResult,
} from "./_wait.ts";
import { BrokenBarrierError } from "./errors.ts";

/** Options for {@linkcode Barrier}. */
export interface BarrierOptions {
  /**
   * Called once per cycle, by exactly one party (the last to arrive), before
   * any party is released. If it throws, the barrier breaks: that party's
   * `wait()` throws the error and the others `BrokenBarrierError`. In
   * `wait()` a returned promise is awaited; `waitSync()` does not await it.
   * To cross into Processes it must be an exported function of `module`.
   *
   * @default {undefined}
   */
  action?: () => unknown;
  /**
   * Default timeout of every `wait()` in milliseconds. A wait that runs out
   * of time breaks the barrier, as in Python.
   *
   * @default {Infinity}
   */
  timeout?: number;
  /**
   * URL of the module that exports `action`, for Processes to load it; pass
   * `import.meta.url` when it is not in the program's main module.
   *
   * @default {Deno.mainModule}
   */
  module?: string | URL;
}

/** Options for {@linkcode Barrier.prototype.wait}. */
export interface BarrierWaitOptions {
  /**
   * Milliseconds to wait at most; running out breaks the barrier and throws
   * `BrokenBarrierError`.
   *
   * @default {the barrier's timeout}
   */
  timeout?: number;
  /**
   * Aborting rejects the wait with `signal.reason`. While the cycle is still
   * filling, the party is taken back out of it, as if it never came; once
   * every party has arrived the cycle completes for the others.
   */
  signal?: AbortSignal;
}

/** Options for {@linkcode Barrier.prototype.waitSync}. */
export interface BarrierWaitSyncOptions {
  /**
   * Milliseconds to block at most; running out breaks the barrier.
   *
   * @default {the barrier's timeout}
   */
  timeout?: number;
}

interface BarrierData {
  buffer: SharedArrayBuffer;
  timeout: number;
  action: TargetRef | null;
}

/** What the wait protocol asks its driver (async or sync) to do. */
type Step =
  | { type: "park"; seq: number; timeout: number; check: () => void }
  | { type: "action" };

const MAX_PARTIES = 65535;
let reviving: BarrierData | null = null;

/**
 * A cyclic barrier shared by every Process, as Python's
 * `multiprocessing.Barrier`: each of `parties` callers of `wait()` waits
 * until all have arrived, then all are released together and the barrier is
 * ready for the next cycle. `wait()` gives each party of a cycle a distinct
 * index in `[0, parties)`.
 *
 * Passed to a Process in `args`, it arrives as the same live barrier (its
 * `action` is loaded there by module URL and export name).
 *
 * On owner death: every waiting party records its pid; a party that dies
 * while waiting (terminated, killed, crashed, or its target returned with a
 * `wait()` pending), or dies while running the action, breaks the barrier
 * within about 50 ms, so the others get `BrokenBarrierError` instead of
 * waiting for ever (Python's would hang). `reset()` makes it usable again.
 *
 * @example Usage
 * ```ts
 * import { Barrier } from "@denomp/multiprocessing";
 * import assert from "node:assert/strict";
 *
 * let cycles = 0;
 * const barrier = new Barrier(2, { action: () => cycles++ });
 * const indexes = await Promise.all([barrier.wait(), barrier.wait()]);
 * assert.deepEqual(indexes.sort(), [0, 1]);
 * assert.equal(cycles, 1);
 * assert.equal(barrier.parties, 2);
 * assert.equal(barrier.broken, false);
 * ```
 */
export class Barrier {
  #i32: Int32Array;
  #parties: number;
  #timeout: number;
  #action: (() => unknown) | null = null;
  #actionRef: TargetRef | null = null;
  #actionModule: string | URL | undefined;
  #actionError: unknown = null;

  /**
   * Creates a barrier for `parties` callers.
   *
   * @param parties How many callers each cycle waits for.
   * @param options `action`, default `timeout`, and the `module` exporting
   * the action.
   * @throws {TypeError} If `parties` is not a number, or an option has the
   * wrong type.
   * @throws {RangeError} If `parties` is not an integer in [1, 65535] or
   * `timeout` is negative.
   */
  constructor(parties: number, options?: BarrierOptions) {
    if (reviving !== null) {
      const data = reviving;
      reviving = null;
      this.#i32 = new Int32Array(data.buffer);
      this.#parties = Atomics.load(this.#i32, BAR_PARTIES);
      this.#timeout = data.timeout;
      this.#actionRef = data.action;
      if (data.action !== null) {
        try {
          this.#action = resolveAction(data.action);
        } catch (error) {
          // Reported by the party that would run it (the barrier breaks).
          this.#actionError = error;
        }
      }
      return;
    }
    const what = "Cannot create barrier";
    if (typeof parties !== "number") {
      throw new TypeError(
        `${what}: parties must be a number, received ${describe(parties)}`,
      );
    }
    if (!Number.isInteger(parties) || parties < 1 || parties > MAX_PARTIES) {
      throw new RangeError(
        `${what}: parties must be an integer in [1, ${MAX_PARTIES}], received ${parties}`,
      );
    }
    if (options === undefined) options = {};
    else if (typeof options !== "object" || options === null) {
      throw new TypeError(
        `${what}: options must be an object, received ${describe(options)}`,
      );
    }
    const { action, timeout, module } = options;
    if (action !== undefined && typeof action !== "function") {
      throw new TypeError(
        `${what}: action must be a function, received ${describe(action)}`,
      );
    }
    this.#timeout = checkTimeout(what, timeout);
    if (module !== undefined) {
      // Validates the URL now rather than when the barrier is shared.
      targetRef(what, "action", module);
    }
    this.#action = action ?? null;
    this.#actionModule = module;
    this.#parties = parties;
    const i32 = new Int32Array(
      new SharedArrayBuffer((BAR_SLOTS + parties) * 4),
    );
    i32[BAR_PARTIES] = parties;
    this.#i32 = i32;
  }

  /** The number of callers each cycle waits for. */
  get parties(): number {
    return this.#parties;
  }

  /** How many parties wait in the current cycle (Python's `n_waiting`). */
  get nWaiting(): number {
    const i32 = this.#i32;
    return Atomics.load(i32, BAR_BROKEN) === 1
      ? 0
      : Atomics.load(i32, BAR_COUNT);
  }

  /** Whether the barrier is broken (until `reset()`). */
  get broken(): boolean {
    return Atomics.load(this.#i32, BAR_BROKEN) === 1;
  }

  /**
   * Waits until all `parties` have called `wait()` in this cycle.
   *
   * @param options `timeout` in milliseconds (running out breaks the
   * barrier) and `signal` to abort.
   * @returns This party's index in the cycle, distinct per party, in
   * `[0, parties)`.
   * @throws {BrokenBarrierError} If the barrier is or becomes broken
   * (aborted, reset, a timeout, a party died, or the action threw in
   * another party).
   * @throws {TypeError} If `timeout` is not a number or `signal` not an
   * AbortSignal.
   * @throws {RangeError} If `timeout` is negative.
   */
  async wait(options?: BarrierWaitOptions): Promise<number> {
    options ??= {};
    const what = "Cannot wait on barrier";
    const timeout = options?.timeout === undefined
      ? this.#timeout
      : checkTimeout(what, options.timeout);
    const signal = options?.signal;
    checkSignal(what, signal);
    assertLive();
    signal?.throwIfAborted();
    const steps = this.#protocol(timeout, signal);
    let next = steps.next();
    while (!next.done) {
      const step = next.value;
      if (step.type === "action") {
        try {
          this.#runnableAction();
          await this.#action?.();
        } catch (error) {
          next = steps.throw(error);
          continue;
        }
        next = steps.next();
        continue;
      }
      let result: WaitResult;
      try {
        result = await park(this.#i32, BAR_SEQ, step.seq, {
          timeout: step.timeout,
          signal,
          check: step.check,
        });
      } catch (error) {
        next = steps.throw(error);
        continue;
      }
      next = steps.next(result);
    }
    return next.value;
  }

  /**
   * Blocks the calling thread until all `parties` have arrived. On the main
   * thread this freezes the event loop while it waits.
   *
   * @param options `timeout` in milliseconds (running out breaks the
   * barrier).
   * @returns This party's index in the cycle.
   * @throws {BrokenBarrierError} If the barrier is or becomes broken.
   * @throws {TypeError} If `timeout` is not a number.
   * @throws {RangeError} If `timeout` is negative.
   */
  waitSync(options?: BarrierWaitSyncOptions): number {
    options ??= {};
    const what = "Cannot wait on barrier";
    const timeout = options?.timeout === undefined
      ? this.#timeout
      : checkTimeout(what, options.timeout);
    assertLive();
    const steps = this.#protocol(timeout, undefined);
    let next = steps.next();
    while (!next.done) {
      const step = next.value;
      if (step.type === "action") {
        try {
          this.#runnableAction();
          this.#action?.();
        } catch (error) {
          next = steps.throw(error);
          continue;
        }
        next = steps.next();
        continue;
      }
      let result: WaitResult;
      try {
        result = parkSync(
          this.#i32,
          BAR_SEQ,
          step.seq,
          step.timeout,
          step.check,
        );
      } catch (error) {
        next = steps.throw(error);
        continue;
      }
      next = steps.next(result);
    }
    return next.value;
  }

  /**
   * Breaks the barrier: every party waiting now, and every later `wait()`
   * until `reset()`, throws `BrokenBarrierError`.
   */
  abort(): void {
    assertLive();
    const i32 = this.#i32;
    lockMutex(i32, BAR_MUTEX);
    if (Atomics.load(i32, BAR_BROKEN) === 0) breakLocked(i32);
    unlockMutex(i32, BAR_MUTEX);
    Atomics.notify(i32, BAR_SEQ);
  }

  /**
   * Returns the barrier to its empty, unbroken state. Parties waiting now
   * get `BrokenBarrierError`, as in Python.
   */
  reset(): void {
    assertLive();
    const i32 = this.#i32;
    lockMutex(i32, BAR_MUTEX);
    const gen = Atomics.load(i32, BAR_GEN);
    if (Atomics.load(i32, BAR_COUNT) > 0 || Atomics.load(i32, BAR_BROKEN)) {
      Atomics.store(i32, outcomeSlot(gen), BAR_OUTCOME_BROKEN);
    }
    startGeneration(i32, gen, this.#parties);
    Atomics.store(i32, BAR_BROKEN, 0);
    Atomics.add(i32, BAR_SEQ, 1);
    unlockMutex(i32, BAR_MUTEX);
    Atomics.notify(i32, BAR_SEQ);
  }

  /** A short description, for `console.log`. */
  [Symbol.for("Deno.customInspect")](): string {
    return `Barrier { parties: ${this.#parties}, nWaiting: ${this.nWaiting}, broken: ${this.broken} }`;
  }

  /**
   * Describes the barrier for a worker (used by `Process` args).
   *
   * @returns The descriptor; its buffer is shared, not copied.
   * @throws {TypeError} If the action is not a named function (it must be
   * exported from its module to cross).
   *
   * @ignore Internal: the shared-object registry calls it.
   */
  [SHARE](): SharedDescriptor {
    let action = this.#actionRef;
    if (action === null && this.#action !== null) {
      action = targetRef(
        "Cannot share barrier",
        this.#action,
        this.#actionModule,
      );
    }
    const data: BarrierData = {
      buffer: this.#i32.buffer as SharedArrayBuffer,
      timeout: this.#timeout,
      action,
    };
    // With an action, the descriptor's module imports the action's module
    // too, so that the action is ready before the barrier is revived.
    const module = action === null
      ? import.meta.url
      : preloadUrl(action.module);
    return { kind: "Barrier", module, data };
  }

  #runnableAction(): void {
    if (this.#actionError !== null) throw this.#actionError;
  }

  /**
   * The wait protocol, shared by `wait()` and `waitSync()`. It yields what
   * to do (park on the sequence word, or run the action) and gets the
   * result back; errors of those steps are thrown into it. All shared state
   * changes happen under the internal mutex, in synchronous code.
   */
  *#protocol(
    timeout: number,
    signal: AbortSignal | undefined,
  ): Generator<Step, number, WaitResult | undefined> {
    const i32 = this.#i32;
    const parties = this.#parties;
    const deadline = performance.now() + timeout;
    const pid = selfProcess().pid;
    let gen = 0;
    let index = -1;
    // ---- Arrive ----
    while (true) {
      lockMutex(i32, BAR_MUTEX);
      if (Atomics.load(i32, BAR_BROKEN) === 1) {
        unlockMutex(i32, BAR_MUTEX);
        throw new BrokenBarrierError();
      }
      gen = Atomics.load(i32, BAR_GEN);
      if (Atomics.load(i32, BAR_COMPLETE) === 0) {
        for (let i = 0; i < parties; i++) {
          if (Atomics.load(i32, BAR_SLOTS + i) === 0) {
            index = i;
            break;
          }
        }
        Atomics.store(i32, BAR_SLOTS + index, pid);
        const count = Atomics.add(i32, BAR_COUNT, 1) + 1;
        if (count === parties && !this.#hasAction()) {
          // No action: release the cycle in the same critical section.
          Atomics.store(i32, outcomeSlot(gen), BAR_OUTCOME_PASSED);
          startGeneration(i32, gen, parties);
          Atomics.add(i32, BAR_SEQ, 1);
          unlockMutex(i32, BAR_MUTEX);
          Atomics.notify(i32, BAR_SEQ);
          return index;
        }
        if (count === parties) Atomics.store(i32, BAR_COMPLETE, 1);
        unlockMutex(i32, BAR_MUTEX);
        if (count === parties) return yield* this.#complete(gen, index);
        break;
      }
      // The previous cycle is full and its action runs: wait for it to end.
      const seq = Atomics.load(i32, BAR_SEQ);
      unlockMutex(i32, BAR_MUTEX);
      const remaining = deadline - performance.now();
      if (remaining <= 0) return this.#timedOut(gen, -1);
      // An abort here throws out of the yield: nothing to undo.
      const result = yield {
        type: "park",
        seq,
        timeout: remaining,
        check: () => this.#checkParties(gen),
      };
      if (result === "timed-out" && deadline - performance.now() <= 0) {
        return this.#timedOut(gen, -1);
      }
    }
    // ---- Wait for the cycle to pass ----
    const check = () => this.#checkParties(gen);
    while (true) {
      // Read without the mutex: every transition writes the outcome, the
      // generation and the broken flag before it bumps SEQ (all seq-cst), so
      // reading SEQ first and then the state never misses a transition: if
      // the state read is stale, SEQ has moved and the park returns at once.
      const seq = Atomics.load(i32, BAR_SEQ);
      const outcome = this.#outcomeLocked(gen);
      if (outcome === BAR_OUTCOME_PASSED) return index;
      if (outcome === BAR_OUTCOME_BROKEN) throw new BrokenBarrierError();
      // A partner about to arrive is usually a few microseconds away.
      if (spinWhileEqual(i32, BAR_SEQ, seq)) continue;
      const remaining = deadline - performance.now();
      if (remaining <= 0) return this.#timedOut(gen, index);
      let result: WaitResult | undefined;
      try {
        result = yield { type: "park", seq, timeout: remaining, check };
      } catch (error) {
        if (signal?.aborted && error === signal.reason) this.#leave(gen, index);
        throw error;
      }
      if (result === "timed-out" && deadline - performance.now() <= 0) {
        return this.#timedOut(gen, index);
      }
    }
  }

  /** The last party to arrive: runs the action, then releases the cycle. */
  *#complete(gen: number, index: number): Generator<Step, number, unknown> {
    const i32 = this.#i32;
    if (this.#hasAction()) {
      try {
        yield { type: "action" };
      } catch (error) {
        lockMutex(i32, BAR_MUTEX);
        if (this.#outcomeLocked(gen) === 0) breakLocked(i32);
        unlockMutex(i32, BAR_MUTEX);
        Atomics.notify(i32, BAR_SEQ);
        throw error;
      }
    }
    lockMutex(i32, BAR_MUTEX);
    if (this.#outcomeLocked(gen) !== 0) {
      // Broken (a timeout, an abort or a reset) while the action ran.
      unlockMutex(i32, BAR_MUTEX);
      throw new BrokenBarrierError();
    }
    Atomics.store(i32, outcomeSlot(gen), BAR_OUTCOME_PASSED);
    startGeneration(i32, gen, this.#parties);
    Atomics.add(i32, BAR_SEQ, 1);
    unlockMutex(i32, BAR_MUTEX);
    Atomics.notify(i32, BAR_SEQ);
    return index;
  }

  #hasAction(): boolean {
    return this.#action !== null || this.#actionRef !== null;
  }

  /**
   * The outcome of generation `gen`: 0 while it is current and unbroken,
   * else passed or broken. Called with the mutex held, or (by a waiter)
   * after reading SEQ, which orders it after the transition's writes.
   */
  #outcomeLocked(gen: number): number {
    const i32 = this.#i32;
    if (Atomics.load(i32, BAR_GEN) === gen) {
      return Atomics.load(i32, BAR_BROKEN) === 1 ? BAR_OUTCOME_BROKEN : 0;
    }
    return Atomics.load(i32, outcomeSlot(gen));
  }

  /** A wait ran out of time: break the cycle unless it passed meanwhile. */
  #timedOut(gen: number, index: number): number {
    const i32 = this.#i32;
    lockMutex(i32, BAR_MUTEX);
    const outcome = this.#outcomeLocked(gen);
    if (outcome === 0) breakLocked(i32);
    unlockMutex(i32, BAR_MUTEX);
    Atomics.notify(i32, BAR_SEQ);
    if (outcome === BAR_OUTCOME_PASSED && index >= 0) return index;
    throw new BrokenBarrierError(
      "The barrier is broken: a wait timed out",
    );
  }

  /** An aborted party leaves a cycle that is still filling. */
  #leave(gen: number, index: number): void {
    const i32 = this.#i32;
    lockMutex(i32, BAR_MUTEX);
    if (
      this.#outcomeLocked(gen) === 0 &&
      Atomics.load(i32, BAR_COMPLETE) === 0
    ) {
      Atomics.store(i32, BAR_SLOTS + index, 0);
      Atomics.sub(i32, BAR_COUNT, 1);
    }
    unlockMutex(i32, BAR_MUTEX);
  }

  /** Breaks the current cycle if one of its parties has died. */
  #checkParties(gen: number): void {
    const i32 = this.#i32;
    let broke = false;
    lockMutex(i32, BAR_MUTEX);
    if (this.#outcomeLocked(gen) === 0) {
      for (let i = 0; i < this.#parties; i++) {
        const pid = Atomics.load(i32, BAR_SLOTS + i);
        if (pid !== 0 && !isPidAlive(pid)) {
          breakLocked(i32);
          broke = true;
          break;
        }
      }
    }
    unlockMutex(i32, BAR_MUTEX);
    if (broke) Atomics.notify(i32, BAR_SEQ);
  }

  static {
    registerShareable("Barrier", (data) => {
      reviving = data as BarrierData;
      return new Barrier(1);
    });
  }
}

function outcomeSlot(gen: number): number {
  return BAR_OUTCOMES + (gen >>> 0) % BAR_OUTCOME_RING;
}

/** Breaks the current generation. Called with the mutex held. */
function breakLocked(i32: Int32Array): void {
  const gen = Atomics.load(i32, BAR_GEN);
  Atomics.store(i32, outcomeSlot(gen), BAR_OUTCOME_BROKEN);
  Atomics.store(i32, BAR_BROKEN, 1);
  Atomics.store(i32, BAR_COMPLETE, 0);
  Atomics.add(i32, BAR_SEQ, 1);
}

/** Ends generation `gen` and opens the next. Called with the mutex held. */
function startGeneration(i32: Int32Array, gen: number, parties: number): void {
  for (let i = 0; i < parties; i++) Atomics.store(i32, BAR_SLOTS + i, 0);
  Atomics.store(i32, BAR_COUNT, 0);
  Atomics.store(i32, BAR_COMPLETE, 0);
  // The next generation's outcome slot is cleared for reuse of the ring.
  Atomics.store(i32, outcomeSlot(gen + 1), 0);
  Atomics.store(i32, BAR_GEN, gen + 1);
}
