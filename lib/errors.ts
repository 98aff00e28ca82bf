// Copyright 2026 the denomp authors. MIT license.
/**
 * The named error classes of the toolkit. Each one stands for a condition a
 * caller is expected to catch; wrong types and out-of-range values are plain
 * `TypeError`s and `RangeError`s.
 *
 * @module
 */

/** The shape an error takes when it crosses a worker or socket boundary. */
export interface SerializedError {
  /** The error's `name`, such as `"TypeError"`. */
  name: string;
  /** The error's `message`. */
  message: string;
  /** The stack as printed on the side that threw, if it had one. */
  stack?: string;
}

/**
 * Thrown when a wait runs out of time where Python raises `TimeoutError`
 * (for example `Future.result({ timeout })`).
 *
 * @example Usage
 * ```ts
 * import { TimeoutError } from "@denomp/multiprocessing";
 * import assert from "node:assert/strict";
 *
 * const error = new TimeoutError("Cannot get result: timed out after 5 ms");
 * assert.equal(error.name, "TimeoutError");
 * ```
 */
export class TimeoutError extends Error {
  /**
   * Constructs a new instance.
   *
   * @param message The error message.
   * @param options Standard error options, such as `cause`.
   */
  constructor(message?: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "TimeoutError";
  }
}

/**
 * An error thrown in a worker or in the manager, rebuilt on the calling side
 * with the remote name, message and stack. The remote stack is appended to
 * this error's own stack so that both halves of the story are visible.
 *
 * @example Usage
 * ```ts
 * import { RemoteError } from "@denomp/multiprocessing";
 * import assert from "node:assert/strict";
 *
 * const error = RemoteError.from({ name: "RangeError", message: "bad" });
 * assert.equal(error.remoteName, "RangeError");
 * assert.equal(error.message, "bad");
 * ```
 */
export class RemoteError extends Error {
  /** The `name` of the error as it was thrown on the remote side. */
  readonly remoteName: string;
  /** The stack as printed on the remote side, or `""` when there was none. */
  readonly remoteStack: string;

  /**
   * Constructs a new instance.
   *
   * @param message The error message.
   * @param remoteName The remote error's name.
   * @param remoteStack The remote error's stack.
   * @param options Standard error options, such as `cause`.
   */
  constructor(
    message: string,
    remoteName?: string,
    remoteStack?: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = "RemoteError";
    this.remoteName = remoteName ?? "Error";
    this.remoteStack = remoteStack ?? "";
    if (remoteStack) {
      this.stack = `${this.stack ?? ""}\n    [remote] ${remoteStack}`;
    }
  }

  /**
   * Rebuilds a serialized error as a `RemoteError`.
   *
   * @param error The serialized error.
   * @returns The rebuilt error.
   */
  static from(error: SerializedError): RemoteError {
    return new RemoteError(error.message, error.name, error.stack ?? "");
  }
}

/**
 * A worker died (`Deno.exit`, an uncaught error outside the task, a
 * `terminate()`) while it held a task. Only the task it held fails.
 *
 * @example Usage
 * ```ts
 * import { WorkerCrashedError } from "@denomp/multiprocessing";
 * import assert from "node:assert/strict";
 *
 * const error = new WorkerCrashedError("Worker exited with code 3", 3);
 * assert.equal(error.exitCode, 3);
 * ```
 */
export class WorkerCrashedError extends Error {
  /** The exit code of the worker that died. */
  readonly exitCode: number;

  /**
   * Constructs a new instance.
   *
   * @param message The error message.
   * @param exitCode The exit code of the worker.
   * @param options Standard error options, such as `cause`.
   */
  constructor(message: string, exitCode: number, options?: ErrorOptions) {
    super(message, options);
    this.name = "WorkerCrashedError";
    this.exitCode = exitCode;
  }
}

/**
 * A task or future was cancelled before it ran.
 *
 * @example Usage
 * ```ts
 * import { CancelledError } from "@denomp/multiprocessing";
 * import assert from "node:assert/strict";
 *
 * assert.equal(new CancelledError().name, "CancelledError");
 * ```
 */
export class CancelledError extends Error {
  /**
   * Constructs a new instance.
   *
   * @param message The error message.
   * @param options Standard error options, such as `cause`.
   */
  constructor(message?: string, options?: ErrorOptions) {
    super(message ?? "The task was cancelled", options);
    this.name = "CancelledError";
  }
}

/**
 * A queue had no item to give (`getNowait()`, or `get()` that timed out).
 *
 * @example Usage
 * ```ts
 * import { QueueEmptyError } from "@denomp/multiprocessing";
 * import assert from "node:assert/strict";
 *
 * assert.equal(new QueueEmptyError().name, "QueueEmptyError");
 * ```
 */
export class QueueEmptyError extends Error {
  /**
   * Constructs a new instance.
   *
   * @param message The error message.
   * @param options Standard error options, such as `cause`.
   */
  constructor(message?: string, options?: ErrorOptions) {
    super(message ?? "The queue is empty", options);
    this.name = "QueueEmptyError";
  }
}

/**
 * A queue had no room (`putNowait()`, or `put()` that timed out).
 *
 * @example Usage
 * ```ts
 * import { QueueFullError } from "@denomp/multiprocessing";
 * import assert from "node:assert/strict";
 *
 * assert.equal(new QueueFullError().name, "QueueFullError");
 * ```
 */
export class QueueFullError extends Error {
  /**
   * Constructs a new instance.
   *
   * @param message The error message.
   * @param options Standard error options, such as `cause`.
   */
  constructor(message?: string, options?: ErrorOptions) {
    super(message ?? "The queue is full", options);
    this.name = "QueueFullError";
  }
}

/**
 * A put on a queue handle that was closed (`close()`: that handle puts no
 * more), or a get on a queue whose every handle is closed (or its Process
 * ended) once everything put has been taken: the queue's end of input. A
 * value that could not be put is kept on the error so that nothing is
 * silently lost.
 *
 * @example Usage
 * ```ts
 * import { QueueClosedError } from "@denomp/multiprocessing";
 * import assert from "node:assert/strict";
 *
 * const error = new QueueClosedError(42);
 * assert.equal(error.value, 42);
 * ```
 */
export class QueueClosedError extends Error {
  /** The value that could not be put. */
  readonly value: unknown;

  /**
   * Constructs a new instance.
   *
   * @param value The value that could not be put.
   * @param message The error message.
   * @param options Standard error options, such as `cause`.
   */
  constructor(
    value?: unknown,
    message?: string,
    options?: ErrorOptions,
  ) {
    super(
      message ?? "Cannot put to queue: this handle of the queue is closed",
      options,
    );
    this.name = "QueueClosedError";
    this.value = value;
  }
}

/**
 * A `Barrier` was broken (aborted, reset, timed out, or a party died) while a
 * party waited on it, or a party tried to wait on a broken barrier.
 *
 * @example Usage
 * ```ts
 * import { BrokenBarrierError } from "@denomp/multiprocessing";
 * import assert from "node:assert/strict";
 *
 * assert.equal(new BrokenBarrierError().name, "BrokenBarrierError");
 * ```
 */
export class BrokenBarrierError extends Error {
  /**
   * Constructs a new instance.
   *
   * @param message The error message.
   * @param options Standard error options, such as `cause`.
   */
  constructor(message?: string, options?: ErrorOptions) {
    super(message ?? "The barrier is broken", options);
    this.name = "BrokenBarrierError";
  }
}

/**
 * `recv()` on a connection whose other end is closed and drained, as Python's
 * `EOFError`.
 *
 * @example Usage
 * ```ts
 * import { EOFError } from "@denomp/multiprocessing";
 * import assert from "node:assert/strict";
 *
 * assert.equal(new EOFError().name, "EOFError");
 * ```
 */
export class EOFError extends Error {
  /**
   * Constructs a new instance.
   *
   * @param message The error message.
   * @param options Standard error options, such as `cause`.
   */
  constructor(
    message?: string,
    options?: ErrorOptions,
  ) {
    super(message ?? "Cannot receive: the other end is closed", options);
    this.name = "EOFError";
  }
}

/**
 * The manager subprocess is gone or answered with a protocol failure.
 *
 * @example Usage
 * ```ts
 * import { ManagerError } from "@denomp/multiprocessing";
 * import assert from "node:assert/strict";
 *
 * assert.equal(new ManagerError("gone").name, "ManagerError");
 * ```
 */
export class ManagerError extends Error {
  /**
   * Constructs a new instance.
   *
   * @param message The error message.
   * @param options Standard error options, such as `cause`.
   */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "ManagerError";
  }
}

/**
 * A peer could not prove that it knows the manager's `authkey`.
 *
 * @example Usage
 * ```ts
 * import { AuthenticationError } from "@denomp/multiprocessing";
 * import assert from "node:assert/strict";
 *
 * assert.equal(new AuthenticationError("no").name, "AuthenticationError");
 * ```
 */
export class AuthenticationError extends Error {
  /**
   * Constructs a new instance.
   *
   * @param message The error message.
   * @param options Standard error options, such as `cause`.
   */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "AuthenticationError";
  }
}

/**
 * A toolkit call was made from a Process that has already ended (it was
 * terminated or killed while its thread was still running synchronous code).
 * Such a thread may take no message and hold no lock.
 *
 * @example Usage
 * ```ts
 * import { ProcessEndedError } from "@denomp/multiprocessing";
 * import assert from "node:assert/strict";
 *
 * assert.equal(new ProcessEndedError("Process-1").name, "ProcessEndedError");
 * ```
 */
export class ProcessEndedError extends Error {
  /**
   * Constructs a new instance.
   *
   * @param processName The name of the process that has ended.
   * @param options Standard error options, such as `cause`.
   */
  constructor(processName: string, options?: ErrorOptions) {
    super(
      `Cannot continue: process ${processName} has been terminated`,
      options,
    );
    this.name = "ProcessEndedError";
  }
}
