// Copyright 2026 the denomp authors. MIT license.
/**
 * `Pipe`: Python's pair of connected `Connection`s, duplex or one-way, over
 * ring buffers in shared memory: `send` / `recv` of values, `sendBytes` /
 * `recvBytes` of raw bytes, `poll`, `close` (this Process's handle), and
 * `EOFError` once every handle of the other end is closed and everything it
 * sent has been received.
 *
 * @module
 */

import { assertLive } from "./_context.ts";
import { decode, encodeScratch } from "./channel/codec.ts";
import { Handle, type HandleGrant, HandleTable } from "./_handles.ts";
import {
  registerShareable,
  SHARE,
  type ShareContext,
  type SharedDescriptor,
} from "./_registry.ts";
import {
  BROKEN,
  checkCapacity,
  CLOSED,
  newReadState,
  OK,
  type ReadState,
  Ring,
  type RingStatus,
  type Taken,
  TIMED_OUT,
  waitOptions,
} from "./channel/ring.ts";
import { describe } from "./_wait.ts";
import { toBytes } from "./_bytes.ts";
import { EOFError, TimeoutError } from "./errors.ts";

/** Options for {@linkcode Pipe}. */
export interface PipeOptions {
  /**
   * Bytes of shared memory for messages in flight, per direction (rounded
   * up to a multiple of 8, at least 64). A message taking more than half of
   * it (however large) is streamed through in pieces, as by
   * {@linkcode Queue.prototype.put}.
   *
   * @default {262144}
   */
  capacity?: number;
}

/** Options for {@linkcode Connection.prototype.send} and `sendBytes`. */
export interface ConnectionSendOptions {
  /**
   * Milliseconds to wait for room at most; then the send rejects with
   * `TimeoutError` and nothing is sent.
   *
   * @default {Infinity}
   */
  timeout?: number;
  /** Aborting rejects with `signal.reason`; nothing is sent. */
  signal?: AbortSignal;
}

/** Options for {@linkcode Connection.prototype.sendSync} and `sendBytesSync`. */
export interface ConnectionSendSyncOptions {
  /**
   * Milliseconds to block for room at most; then `TimeoutError`.
   *
   * @default {Infinity}
   */
  timeout?: number;
}

/** Options for {@linkcode Connection.prototype.recv} and `recvBytes`. */
export interface ConnectionRecvOptions {
  /**
   * Milliseconds to wait for a message at most; then the receive rejects
   * with `TimeoutError`.
   *
   * @default {Infinity}
   */
  timeout?: number;
  /** Aborting rejects with `signal.reason`; no message is taken. */
  signal?: AbortSignal;
}

/** Options for {@linkcode Connection.prototype.recvSync} and `recvBytesSync`. */
export interface ConnectionRecvSyncOptions {
  /**
   * Milliseconds to block for a message at most; then `TimeoutError`.
   *
   * @default {Infinity}
   */
  timeout?: number;
}

/** Options for {@linkcode Connection.prototype.poll}. */
export interface ConnectionPollOptions {
  /**
   * Milliseconds to wait at most. `0` (the default, as Python's) only looks.
   *
   * @default {0}
   */
  timeout?: number;
  /** Aborting rejects with `signal.reason`. */
  signal?: AbortSignal;
}

/** Options for {@linkcode Connection.prototype.pollSync}. */
export interface ConnectionPollSyncOptions {
  /**
   * Milliseconds to block at most. `0` only looks.
   *
   * @default {0}
   */
  timeout?: number;
}

const DEFAULT_PIPE_CAPACITY = 256 * 1024;
const SEND = "Cannot send";
const RECV = "Cannot receive";
const POLL = "Cannot poll";

interface Making {
  read: Ring | null;
  write: Ring | null;
  table: HandleTable;
  /** Which end this is (0: the first of the pair, 1: the second). */
  role: number;
  /** The handle a descriptor grants, or null for a new pipe's end. */
  grant: HandleGrant | null;
}

/** What a connection crosses into a worker as. */
interface ConnectionData {
  read: SharedArrayBuffer | null;
  write: SharedArrayBuffer | null;
  handles: SharedArrayBuffer;
  role: number;
  grant: HandleGrant;
}

let making: Making | null = null;

/**
 * One end of a {@linkcode Pipe}, as Python's `multiprocessing.connection.
 * Connection`. Made only by `Pipe()`.
 *
 * Handles, as in Python, where each process holds its own descriptor of an
 * end:
 * - Each Connection object is one handle of its end. `Pipe()` makes one of
 *   each end; passed to a Process in `args`, an end arrives there as a
 *   handle of that Process's own (counted from `start()` on, so the parent
 *   may close its copy right away, as Python programs do); passed to a pool
 *   task, the task gets a handle for as long as it runs.
 * - `close()` ends this handle only. Using a closed handle throws
 *   `Deno.errors.BadResource` (Python's `OSError`), and so does passing it
 *   to a Process.
 * - The other end's `recv` throws `EOFError` once every handle of this end
 *   is closed or its Process has ended (returned, thrown, `exit()`,
 *   terminated or killed, even while busy in a loop), and only after
 *   everything sent before has been received. Its `send` throws
 *   `Deno.errors.BrokenPipe` once every handle of this end is gone. A
 *   Process that ends normally closes its handles at once; the end of a
 *   terminated one is noticed within 100 ms by a waiting reader, and by a
 *   sender at its next send.
 * - A handle counts until `close()` or the end of its Process, even if its
 *   object is no longer referenced (JavaScript's garbage collector gives no
 *   CPython-like moment to close it). The main program never ends while it
 *   runs: close the parent's copy of the child's end after `start()`, or
 *   the parent's `recv` never sees `EOFError`.
 *
 * @typeParam T The type of the values sent.
 *
 * @example Usage
 * ```ts
 * import { Pipe } from "@denomp/multiprocessing";
 * import assert from "node:assert/strict";
 *
 * const [a, b] = Pipe<string>();
 * await a.send("ping");
 * assert.equal(await b.recv(), "ping");
 * b.close();
 * await assert.rejects(a.recv(), { name: "EOFError" });
 * ```
 */
export class Connection<T = unknown> {
  readonly #read: Ring | null;
  readonly #write: Ring | null;
  readonly #handle: Handle;
  readonly #role: number;

  /**
   * Not for direct use: connections are made by {@linkcode Pipe}.
   *
   * @throws {TypeError} When called directly.
   */
  constructor() {
    if (making === null) {
      throw new TypeError("Cannot create connection: use Pipe()");
    }
    const { read, write, table, role, grant } = making;
    making = null;
    this.#read = read;
    this.#write = write;
    this.#role = role;
    if (read !== null) read.handles = table;
    if (write !== null) write.handles = table;
    table.onGone = (gone) => {
      if (gone === role) {
        // Every handle of this end is gone: nothing more is sent from it,
        // nothing more is read by it.
        write?.close();
        read?.closeReader();
      } else {
        read?.close();
        write?.closeReader();
      }
    };
    this.#handle = grant === null
      ? Handle.first(table, role)
      : Handle.revive(table, role, grant);
  }

  /** Whether this end can receive. */
  get readable(): boolean {
    return this.#read !== null;
  }

  /** Whether this end can send. */
  get writable(): boolean {
    return this.#write !== null;
  }

  /** Whether this handle has been closed. */
  get closed(): boolean {
    return this.#handle.closed;
  }

  #writer(what: string): Ring {
    assertLive();
    const handle = this.#handle;
    if (handle.closed) {
      throw new Deno.errors.BadResource(`${what}: the connection is closed`);
    }
    if (this.#write === null) {
      throw new TypeError(`${what}: this end of the pipe is read-only`);
    }
    // A reader that died without closing: its end may be gone now.
    handle.table.refresh();
    return this.#write;
  }

  #reader(what: string): Ring {
    assertLive();
    if (this.#handle.closed) {
      throw new Deno.errors.BadResource(`${what}: the connection is closed`);
    }
    if (this.#read === null) {
      throw new TypeError(`${what}: this end of the pipe is write-only`);
    }
    return this.#read;
  }

  /**
   * Sends a value (encoded as by {@linkcode Queue}), waiting for room.
   *
   * @param value The value to send.
   * @param options A timeout and an abort signal.
   * @returns A promise that resolves once the value is in the pipe.
   * @throws {TypeError} When the value cannot be encoded (nothing is sent),
   *   or this end is read-only.
   * @throws {Deno.errors.BadResource} When this end is closed.
   * @throws {Deno.errors.BrokenPipe} When the other end is closed.
   * @throws {TimeoutError} When `timeout` runs out.
   *
   * @example Usage
   * ```ts
   * import { Pipe } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   *
   * const [a, b] = Pipe();
   * await a.send({ when: new Date(0), ids: [1, 2] });
   * assert.deepEqual(await b.recv(), { when: new Date(0), ids: [1, 2] });
   * ```
   */
  send(value: T, options?: ConnectionSendOptions): Promise<void> {
    try {
      const { timeout, signal } = waitOptions(SEND, options);
      this.#writer(SEND);
      signal?.throwIfAborted();
      return this.#sendBytes(
        encodeScratch(value, SEND),
        false,
        timeout,
        signal,
      );
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /**
   * Sends a value, blocking the thread while there is no room.
   *
   * @param value The value to send.
   * @param options A timeout.
   * @throws {TypeError} When the value cannot be encoded (nothing is sent),
   *   or this end is read-only.
   * @throws {Deno.errors.BadResource} When this end is closed.
   * @throws {Deno.errors.BrokenPipe} When the other end is closed.
   * @throws {TimeoutError} When `timeout` runs out.
   *
   * @example Usage
   * ```ts
   * import { Pipe } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   *
   * const [a, b] = Pipe<number>();
   * a.sendSync(1);
   * assert.equal(b.recvSync(), 1);
   * ```
   */
  sendSync(value: T, options?: ConnectionSendSyncOptions): void {
    const { timeout } = waitOptions(SEND, options);
    const ring = this.#writer(SEND);
    checkSent(
      ring.putSync(encodeScratch(value, SEND), false, timeout),
      timeout,
    );
  }

  /**
   * Sends raw bytes (copied), waiting for room. The other end gets them
   * from `recvBytes()` (or as a `Uint8Array` from `recv()`).
   *
   * @param bytes The bytes to send.
   * @param options A timeout and an abort signal.
   * @returns A promise that resolves once the bytes are in the pipe.
   * @throws {TypeError} When `bytes` is not an ArrayBuffer or a view of one,
   *   or this end is read-only.
   * @throws {Deno.errors.BadResource} When this end is closed.
   * @throws {Deno.errors.BrokenPipe} When the other end is closed.
   * @throws {TimeoutError} When `timeout` runs out.
   *
   * @example Usage
   * ```ts
   * import { Pipe } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   *
   * const [a, b] = Pipe();
   * await a.sendBytes(new Uint8Array([1, 2, 3]));
   * assert.deepEqual(await b.recvBytes(), new Uint8Array([1, 2, 3]));
   * ```
   */
  sendBytes(
    bytes: ArrayBuffer | ArrayBufferView,
    options?: ConnectionSendOptions,
  ): Promise<void> {
    try {
      const { timeout, signal } = waitOptions(SEND, options);
      const view = toBytes(SEND, bytes);
      this.#writer(SEND);
      signal?.throwIfAborted();
      return this.#sendBytes(view, true, timeout, signal);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /**
   * Sends raw bytes (copied), blocking the thread while there is no room.
   *
   * @param bytes The bytes to send.
   * @param options A timeout.
   * @throws {TypeError} When `bytes` is not an ArrayBuffer or a view of one,
   *   or this end is read-only.
   * @throws {Deno.errors.BadResource} When this end is closed.
   * @throws {Deno.errors.BrokenPipe} When the other end is closed.
   * @throws {TimeoutError} When `timeout` runs out.
   *
   * @example Usage
   * ```ts
   * import { Pipe } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   *
   * const [reader, writer] = Pipe(false);
   * writer.sendBytesSync(new Uint8Array([9]));
   * assert.deepEqual(reader.recvBytesSync(), new Uint8Array([9]));
   * ```
   */
  sendBytesSync(
    bytes: ArrayBuffer | ArrayBufferView,
    options?: ConnectionSendSyncOptions,
  ): void {
    const { timeout } = waitOptions(SEND, options);
    const view = toBytes(SEND, bytes);
    const ring = this.#writer(SEND);
    checkSent(ring.putSync(view, true, timeout), timeout);
  }

  #sendBytes(
    bytes: Uint8Array,
    raw: boolean,
    timeout: number,
    signal: AbortSignal | undefined,
  ): Promise<void> {
    const ring = this.#write!;
    if (!ring.needsStream(bytes.length) && !ring.hasPendingPuts) {
      const status = ring.tryPutNow(bytes, raw);
      if (status === OK) return Promise.resolve();
      if (status !== TIMED_OUT || timeout === 0) checkSent(status, 0);
    }
    // The bytes may be a scratch view or the caller's buffer: copy them.
    return ring.enqueuePut(bytes.slice(), raw, { timeout, signal }).then((
      status,
    ) => checkSent(status, timeout));
  }

  /**
   * Receives the next value, waiting for one.
   *
   * @param options A timeout and an abort signal.
   * @returns The value (raw bytes sent with `sendBytes` come as a
   *   `Uint8Array`).
   * @throws {EOFError} When the other end is closed and everything it sent
   *   has been received.
   * @throws {TypeError} When this end is write-only.
   * @throws {Deno.errors.BadResource} When this end is closed.
   * @throws {TimeoutError} When `timeout` runs out.
   *
   * @example Usage
   * ```ts
   * import { Pipe } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   *
   * const [a, b] = Pipe<number>();
   * setTimeout(() => b.sendSync(5), 1);
   * assert.equal(await a.recv({ timeout: 1000 }), 5);
   * ```
   */
  recv(options?: ConnectionRecvOptions): Promise<T> {
    return this.#recv(options, false) as Promise<T>;
  }

  /**
   * Receives the next value, blocking the thread while there is none.
   *
   * @param options A timeout.
   * @returns The value.
   * @throws {EOFError} When the other end is closed and drained.
   * @throws {TypeError} When this end is write-only.
   * @throws {Deno.errors.BadResource} When this end is closed.
   * @throws {TimeoutError} When `timeout` runs out.
   *
   * @example Usage
   * ```ts
   * import { Pipe } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   *
   * const [a, b] = Pipe();
   * a.sendSync(null);
   * assert.equal(b.recvSync(), null);
   * assert.throws(() => b.recvSync({ timeout: 1 }), { name: "TimeoutError" });
   * ```
   */
  recvSync(options?: ConnectionRecvSyncOptions): T {
    return this.#recvSync(options, false) as T;
  }

  /**
   * Receives the next message as bytes: what `sendBytes` sent, or the
   * encoding of a value sent with `send` (as Python's `recv_bytes`).
   *
   * @param options A timeout and an abort signal.
   * @returns The bytes.
   * @throws {EOFError} When the other end is closed and drained.
   * @throws {TypeError} When this end is write-only.
   * @throws {Deno.errors.BadResource} When this end is closed.
   * @throws {TimeoutError} When `timeout` runs out.
   *
   * @example Usage
   * ```ts
   * import { Pipe } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   *
   * const [a, b] = Pipe();
   * a.sendBytesSync(new TextEncoder().encode("hi"));
   * assert.equal(new TextDecoder().decode(await b.recvBytes()), "hi");
   * ```
   */
  recvBytes(options?: ConnectionRecvOptions): Promise<Uint8Array> {
    return this.#recv(options, true) as Promise<Uint8Array>;
  }

  /**
   * Blocking twin of {@linkcode Connection.prototype.recvBytes}.
   *
   * @param options A timeout.
   * @returns The bytes.
   * @throws {EOFError} When the other end is closed and drained.
   * @throws {TypeError} When this end is write-only.
   * @throws {Deno.errors.BadResource} When this end is closed.
   * @throws {TimeoutError} When `timeout` runs out.
   *
   * @example Usage
   * ```ts
   * import { Pipe } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   *
   * const [a, b] = Pipe();
   * b.sendBytesSync(new Uint8Array(2));
   * assert.equal(a.recvBytesSync().length, 2);
   * ```
   */
  recvBytesSync(options?: ConnectionRecvSyncOptions): Uint8Array {
    return this.#recvSync(options, true) as Uint8Array;
  }

  #recv(options: unknown, bytes: boolean): Promise<unknown> {
    try {
      const { timeout, signal } = waitOptions(RECV, options);
      const ring = this.#reader(RECV);
      signal?.throwIfAborted();
      const r = newReadState();
      const status = ring.takeOnce(r);
      if (status === OK) {
        return Promise.resolve(output(ring.taken, ring.takenRaw, bytes));
      }
      if (status === CLOSED || (timeout === 0 && r.partial === null)) {
        throwRecv(status, 0);
      }
      return this.#recvSlow(ring, r, timeout, signal, bytes);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  async #recvSlow(
    ring: Ring,
    r: ReadState,
    timeout: number,
    signal: AbortSignal | undefined,
    bytes: boolean,
  ): Promise<unknown> {
    const result = await ring.take(r, { timeout, signal });
    if (typeof result === "number") throwRecv(result, timeout);
    const taken = result as Taken;
    return output(taken.bytes, taken.raw, bytes);
  }

  #recvSync(options: unknown, bytes: boolean): unknown {
    const { timeout } = waitOptions(RECV, options);
    const ring = this.#reader(RECV);
    const status = ring.takeSync(newReadState(), timeout);
    if (status !== OK) throwRecv(status, timeout);
    return output(ring.taken, ring.takenRaw, bytes);
  }

  /**
   * Whether a receive would not wait: a message is there, or the other end
   * is closed and drained (so `recv` would throw `EOFError`). Waits up to
   * `timeout` for that, as Python's `poll(timeout)`.
   *
   * @param options A timeout (default `0`: just look) and an abort signal.
   * @returns `true` when a receive would not wait.
   * @throws {TypeError} When this end is write-only.
   * @throws {Deno.errors.BadResource} When this end is closed.
   *
   * @example Usage
   * ```ts
   * import { Pipe } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   *
   * const [a, b] = Pipe();
   * assert.equal(await b.poll(), false);
   * a.sendSync(1);
   * assert.equal(await b.poll({ timeout: 100 }), true);
   * ```
   */
  async poll(options?: ConnectionPollOptions): Promise<boolean> {
    const { timeout, signal } = waitOptions(POLL, options);
    const ring = this.#reader(POLL);
    signal?.throwIfAborted();
    return await ring.poll({
      timeout: options?.timeout === undefined ? 0 : timeout,
      signal,
    });
  }

  /**
   * Blocking twin of {@linkcode Connection.prototype.poll}.
   *
   * @param options A timeout (default `0`: just look).
   * @returns `true` when a receive would not wait.
   * @throws {TypeError} When this end is write-only.
   * @throws {Deno.errors.BadResource} When this end is closed.
   *
   * @example Usage
   * ```ts
   * import { Pipe } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   *
   * const [a, b] = Pipe();
   * a.close();
   * assert.equal(b.pollSync(), true); // recv would throw EOFError now
   * ```
   */
  pollSync(options?: ConnectionPollSyncOptions): boolean {
    const { timeout } = waitOptions(POLL, options);
    const ring = this.#reader(POLL);
    return ring.pollSync(options?.timeout === undefined ? 0 : timeout);
  }

  /**
   * Closes this handle (idempotent). Other handles of this end (other
   * Processes' copies) are not affected; once every handle of this end is
   * closed or its Process has ended, the other end receives what was sent
   * before, then `EOFError`.
   *
   * @example Usage
   * ```ts
   * import { Pipe } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   *
   * const [a, b] = Pipe<number>();
   * a.sendSync(1);
   * a.close();
   * assert.equal(a.closed, true);
   * assert.equal(await b.recv(), 1);
   * await assert.rejects(b.recv(), { name: "EOFError" });
   * ```
   */
  close(): void {
    this.#handle.close();
  }

  /** Closes this handle. */
  [Symbol.dispose](): void {
    this.close();
  }

  /**
   * The descriptor this end crosses into a worker as. Internal.
   *
   * @param context Who receives it.
   * @returns The descriptor.
   * @throws {Deno.errors.BadResource} When this handle is closed.
   * @ignore Internal: the shared-object registry calls it.
   */
  [SHARE](context?: ShareContext): SharedDescriptor {
    if (this.#handle.closed) {
      throw new Deno.errors.BadResource(
        "Cannot send connection to a worker: the connection is closed",
      );
    }
    const { grant, release } = this.#handle.grant(context);
    const data: ConnectionData = {
      read: this.#read?.buffer ?? null,
      write: this.#write?.buffer ?? null,
      handles: this.#handle.table.buffer,
      role: this.#role,
      grant,
    };
    return { kind: "Connection", module: import.meta.url, data, release };
  }

  /**
   * What `console.log` / `Deno.inspect` show: Python's `readable`,
   * `writable` and `closed` of this handle.
   *
   * @returns A short description.
   */
  [Symbol.for("Deno.customInspect")](): string {
    return `Connection { readable: ${this.readable}, writable: ${this.writable}, closed: ${this.closed} }`;
  }
}

function checkSent(status: RingStatus, timeout: number): void {
  if (status === OK) return;
  if (status === CLOSED) {
    throw new Deno.errors.BadResource(`${SEND}: the connection is closed`);
  }
  if (status === BROKEN) {
    throw new Deno.errors.BrokenPipe(`${SEND}: the other end is closed`);
  }
  throw new TimeoutError(
    timeout === 0
      ? `${SEND}: the pipe is full`
      : `${SEND}: still no room after ${timeout} ms`,
  );
}

function throwRecv(status: RingStatus, timeout: number): never {
  if (status === CLOSED) {
    throw new EOFError(`${RECV}: the other end is closed`);
  }
  throw new TimeoutError(
    timeout === 0
      ? `${RECV}: nothing to receive`
      : `${RECV}: nothing arrived within ${timeout} ms`,
  );
}

function output(bytes: Uint8Array, raw: boolean, wantBytes: boolean): unknown {
  if (wantBytes || raw) return bytes.slice();
  return decode(bytes);
}

function makeConnection<T>(making_: Making): Connection<T> {
  making = making_;
  return new Connection<T>();
}

/**
 * Makes a pair of connected {@linkcode Connection}s, as Python's
 * `multiprocessing.Pipe()`. With `duplex` (the default) both ends send and
 * receive; with `duplex: false` the first end only receives and the second
 * only sends.
 *
 * @typeParam T The type of the values sent.
 * @param duplex Whether both ends send and receive.
 * @param options The capacity of each direction.
 * @returns The two ends.
 * @throws {TypeError} When an argument has the wrong type.
 * @throws {RangeError} When `capacity` is out of range.
 *
 * @example Usage
 * ```ts
 * import { Pipe, Process } from "@denomp/multiprocessing";
 * import assert from "node:assert/strict";
 *
 * const [parent, child] = Pipe<number>();
 * const module = new URL("../tests/fixtures/queue_targets.ts", import.meta.url);
 * const p = new Process({ target: "sendSubtotal", args: [child, 10000], module });
 * await p.start();
 * assert.equal(await parent.recv(), 10000);
 * await p.join();
 * ```
 */
export function Pipe<T = unknown>(
  duplex?: boolean,
  options?: PipeOptions,
): [Connection<T>, Connection<T>] {
  if (duplex === undefined) duplex = true;
  if (typeof duplex !== "boolean") {
    throw new TypeError(
      `Cannot create pipe: duplex must be a boolean, received ${
        describe(duplex)
      }`,
    );
  }
  if (
    options !== undefined && (typeof options !== "object" || options === null)
  ) {
    throw new TypeError(
      `Cannot create pipe: options must be an object, received ${
        describe(options)
      }`,
    );
  }
  const capacity = options?.capacity ?? DEFAULT_PIPE_CAPACITY;
  checkCapacity("Cannot create pipe", capacity);
  const forward = Ring.create(capacity, 0);
  const backward = duplex ? Ring.create(capacity, 0) : null;
  const buffer = HandleTable.create().buffer;
  const end = (
    read: Ring | null,
    write: Ring | null,
    role: number,
  ): Connection<T> =>
    makeConnection<T>({
      read,
      write,
      // One table object per end: each says what its own end's rings do
      // when a role is gone.
      table: new HandleTable(buffer),
      role,
      grant: null,
    });
  if (backward === null) return [end(forward, null, 0), end(null, forward, 1)];
  return [end(backward, forward, 0), end(forward, backward, 1)];
}

registerShareable("Connection", (data) => {
  const { read, write, handles, role, grant } = data as ConnectionData;
  return makeConnection({
    read: read ? new Ring(read) : null,
    write: write ? new Ring(write) : null,
    table: new HandleTable(handles),
    role,
    grant,
  });
});
