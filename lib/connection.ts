// Copyright 2026 the denomp authors. MIT license.
/**
 * The `connection` namespace, as Python's `multiprocessing.connection`:
 * `connection.Listener`, `connection.Client` and `connection.wait`, which
 * waits until any of several connections (a {@linkcode Pipe}'s ends,
 * {@linkcode SocketConnection}s) has something to receive or any of
 * several Processes has ended. `mod.ts` exports it as `connection`, so
 * that `connection.wait` does not clash with the futures' `wait`.
 *
 * @module
 */

import { checkSignal, checkTimeout, describe } from "./_wait.ts";
import type { ConnectionLike } from "./listener.ts";
import { Process } from "./process.ts";

export {
  type AcceptOptions,
  Client,
  type ClientOptions,
  type ConnectionAddress,
  type ConnectionLike,
  Listener,
  type ListenerOptions,
  SocketConnection,
} from "./listener.ts";

/** Options of {@linkcode wait}. */
export interface ConnectionWaitOptions {
  /**
   * Milliseconds to wait for one object to be ready; `0` just looks.
   * When it runs out, `wait` returns `[]`, as Python's.
   *
   * @default {Infinity}
   */
  timeout?: number;
  /** Aborting rejects with `signal.reason`. */
  signal?: AbortSignal;
}

/** What {@linkcode wait} waits on: a connection, or a Process. */
export type Waitable = ConnectionLike<unknown> | Process;

const WHAT = "Cannot wait";

function isConnection(value: unknown): value is ConnectionLike<unknown> {
  return typeof value === "object" && value !== null &&
    typeof (value as ConnectionLike).pollSync === "function" &&
    typeof (value as ConnectionLike).poll === "function";
}

/** Whether `object` is ready now: a message or end of file, or ended. */
function readyNow(object: Waitable): boolean {
  if (object instanceof Process) return object.exitcode !== null;
  return object.pollSync({ timeout: 0 });
}

/** Resolves once `object` is ready; rejects with `signal.reason` on abort. */
async function whenReady(object: Waitable, signal: AbortSignal): Promise<void> {
  if (object instanceof Process) {
    await object.join({ signal });
  } else {
    await object.poll({ timeout: Infinity, signal });
  }
}

/**
 * Waits until at least one of `objects` is ready and returns those that
 * are, in the order given (Python's `multiprocessing.connection.wait`): a
 * connection is ready when a receive would not wait (a message has
 * arrived, or the other end is closed), a Process when it has ended.
 *
 * @typeParam O The objects' type.
 * @param objects Connections (a Pipe's ends, socket connections) and
 *   started Processes.
 * @param options A timeout (then `[]` when nothing is ready) and a signal.
 * @returns The ready ones.
 * @throws {TypeError} For an object that is neither, or a Process that was
 *   not started.
 * @throws {Deno.errors.BadResource} For a closed connection.
 *
 * @example Usage
 * ```ts
 * import { connection, Pipe } from "@denomp/multiprocessing";
 * import assert from "node:assert/strict";
 *
 * const [a, b] = Pipe<string>();
 * const [c, d] = Pipe<string>();
 * assert.deepEqual(await connection.wait([b, d], { timeout: 0 }), []);
 * await c.send("hello");
 * assert.deepEqual(await connection.wait([b, d]), [d]);
 * a.close();
 * assert.deepEqual(await connection.wait([b, d]), [b, d]);
 * ```
 */
export async function wait<O extends Waitable>(
  objects: Iterable<O>,
  options?: ConnectionWaitOptions,
): Promise<O[]> {
  if (
    typeof objects !== "object" || objects === null ||
    !(Symbol.iterator in objects)
  ) {
    throw new TypeError(
      `${WHAT}: objects must be iterable, received ${describe(objects)}`,
    );
  }
  const list = [...objects];
  for (const [i, object] of list.entries()) {
    if (object instanceof Process) {
      if (object.pid === null) {
        throw new TypeError(`${WHAT}: object ${i} is a Process not started`);
      }
    } else if (!isConnection(object)) {
      throw new TypeError(
        `${WHAT}: object ${i} must be a connection or a Process, received ${
          describe(object)
        }`,
      );
    }
  }
  const timeout = checkTimeout(WHAT, options?.timeout);
  checkSignal(WHAT, options?.signal);
  const signal = options?.signal;
  signal?.throwIfAborted();
  const ready = () => list.filter(readyNow);
  const now = ready();
  if (now.length > 0 || timeout === 0) return now;
  // One wait per object, all ended together as soon as any of them ends
  // (or the timeout, or the caller's abort); then everything is looked at
  // again, so that all the ready ones are answered, in order.
  const stop = new AbortController();
  const onAbort = () => stop.abort(signal!.reason);
  signal?.addEventListener("abort", onAbort, { once: true });
  let timer: ReturnType<typeof setTimeout> | undefined;
  const waits = list.map((object) => whenReady(object, stop.signal));
  try {
    await Promise.race([
      ...waits,
      new Promise<void>((resolve) => {
        if (timeout !== Infinity) timer = setTimeout(resolve, timeout);
      }),
      new Promise<void>((_, reject) => {
        stop.signal.addEventListener(
          "abort",
          () => reject(stop.signal.reason),
          { once: true },
        );
      }),
    ]);
  } catch (error) {
    if (signal?.aborted) throw signal.reason;
    throw error;
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener("abort", onAbort);
    if (!stop.signal.aborted) stop.abort();
    // Every wait ends on the abort; none is left behind.
    await Promise.allSettled(waits);
  }
  return ready();
}
