// Copyright 2026 the denomp authors. MIT license.
// What the pool core needs from a start method: how to start one worker,
// send it a batch, hear from it, and stop it; and how to prepare values for
// the way it sends them. One implementation per start method
// (transport_thread.ts, transport_spawn.ts, the cluster's); the scheduler in
// core.ts never knows which one it drives. Private.
//
// The contract, seen from the core:
// - `start()` returns at once with a link and delivers no event before it
//   has returned; the worker loads in the background. Batches may be sent
//   before it is ready (the transport or the worker queues them).
// - The worker's first message is `ready` (the runner in child.ts sends it
//   when it is loaded). A worker lost before `ready` could not start: the
//   core breaks the pool with the error `lost()` gives (a missing permission
//   is a `Deno.errors.NotCapable`), instead of starting worker after worker.
// - Every batch sent is answered by exactly one `done` message, unless the
//   worker reports `crash` or `initfail`, or the transport calls `lost()`.
//   After any of those three the core stops the link and sends it nothing.
//   Before `done`, a batch may be answered in part by `part` messages (see
//   wire.ts); `done` and `crash` then carry only the chunks after the last.
// - Messages arrive in the order the worker sent them, and `lost()` comes
//   after every message the worker sent before it died (a transport reading
//   a stream drains it first): the core tells from them which chunks were
//   finished and which one was running. When it cannot tell (a worker killed
//   from outside, or out of memory, after a run of quick chunks), it runs
//   the chunks in doubt again one per batch, so that only the one that
//   kills its worker fails.
// - A batch sent with `timed: true` is announced with a `start` message when
//   the worker begins it, so that its clock starts then.
// - `stop(code, busy)` is final and idempotent, and no event is delivered
//   after it. `busy` means the worker may be in the middle of a task (a
//   timeout, terminate): a transport that can stop it for real must (`code`
//   -9 asks for a kill, -15 for a terminate, 0 for a graceful end). What it
//   returns settles once the worker is gone; `shutdown()` waits for that, so
//   that a joined pool leaves no process behind.
// - `ref(false)` lets the program exit while this worker lives (the core
//   calls it while the pool has nothing to do); `ref(true)` undoes it.
// - `encode()` refuses, with a `TypeError`, a value that cannot travel the
//   transport's way (for a subprocess: shared-memory objects and what the
//   codec cannot carry), so that such a task fails at submit.
// - `done` and `start` name their batch by id, so a link may answer its
//   batches out of order (the cluster's batches run on different machines);
//   an answer for a batch that is not in flight (a duplicate) is ignored.
// - A transport may keep more batches in flight per link than the default
//   (`inflight`), when answering one costs a network round trip.

import type { TargetRef } from "../_target.ts";
import type { RunMessage, WorkerMessage } from "./wire.ts";

/** What a new worker is told before its first batch. */
export interface WorkerSpec {
  /** Its process name, as `PoolWorker-3`. */
  name: string;
  /** The URL of the module the pool's tasks come from, to load at once. */
  module: string;
  /** Run once before the first task, with `initargs`. */
  initializer: TargetRef | null;
  /** The initializer's arguments, as the transport's `encode` left them. */
  initargs: unknown[];
  /** Whether `initargs` hold shared-object descriptors to revive. */
  shared: boolean;
}

/** How a worker's transport reports to the core. */
export interface WorkerEvents {
  /** A message from the worker. */
  message(message: WorkerMessage): void;
  /**
   * The worker is gone without a `crash` message (an error the worker could
   * not report, a process that exited or was killed). `code` is its exit
   * code (`-N` for signal N); `cause` is what is known about why (for a
   * worker that never became ready, the reason it could not start).
   */
  lost(code: number, cause: unknown): void;
}

/** One worker, as the core drives it. */
export interface WorkerLink {
  /** Its pid: a toolkit pid for a thread, the OS pid for a subprocess. */
  readonly pid: number;
  /**
   * Sends a batch.
   *
   * @throws {TypeError} When an item cannot be sent; nothing was sent and
   * the worker is still usable.
   */
  send(message: RunMessage): void;
  /**
   * Ends the worker for good, recording `code` as its exit code. Settles
   * once the worker is gone.
   */
  stop(code: number, busy: boolean): Promise<void>;
  /** Whether this worker keeps the program alive (it does at first). */
  ref(keepAlive: boolean): void;
}

/** The result of {@linkcode Transport.encode}. */
export interface EncodedValue {
  /** The value, ready for `send()`. */
  value: unknown;
  /** Whether it holds shared-object descriptors the worker must revive. */
  shared: boolean;
}

/** How one start method runs pool workers. */
export interface Transport {
  /** The start method's name, for messages. */
  readonly name: string;
  /**
   * Batches sent to one link and not yet answered, at most; the core's
   * default (2) when not given.
   */
  readonly inflight?: number;
  /**
   * Whether its workers take chunks of one item packed in one triple
   * (`FLAG_EACH`, see wire.ts): those running lib/pool/child.ts do.
   */
  readonly packs?: boolean;
  /**
   * Prepares a task argument (or argument list) for sending.
   *
   * @param value The value.
   * @param what The sentence start for errors, as `"Cannot map"`.
   * @param path Where the value sits, as `"item 3"`.
   * @throws {TypeError} When the value cannot travel this way.
   */
  encode(value: unknown, what: string, path: string): EncodedValue;
  /**
   * Starts a worker.
   *
   * @throws When the worker cannot be started at all; the core breaks the
   * pool with that error.
   */
  start(spec: WorkerSpec, events: WorkerEvents): WorkerLink;
  /**
   * Blocks this thread until every worker started so far has loaded its
   * task module, for at most `ms` milliseconds. Only a transport whose
   * workers can say so without this thread's event loop has it (threads,
   * through shared memory); the core calls it once, after starting a
   * pool's workers in its constructor.
   */
  waitLoaded?(ms: number): void;
}
