// Copyright 2026 the denomp authors. MIT license.
/**
 * Python's `multiprocessing.connection` over sockets: a
 * {@linkcode Listener} that accepts connections, {@linkcode Client} that
 * makes one, both after the same HMAC challenge on an authkey as the
 * Manager's, and the {@linkcode SocketConnection} they give, which has the
 * interface of {@linkcode Pipe}'s {@linkcode Connection}
 * ({@linkcode ConnectionLike}). `connection.wait()` (see the `connection`
 * namespace) waits on several of them, and on Processes.
 *
 * @module
 */

import { importHmacKey, keyBytes } from "./_auth.ts";
import { decode, encodeScratch } from "./channel/codec.ts";
import { checkSignal, checkTimeout, describe } from "./_wait.ts";
import { toBytes } from "./_bytes.ts";
import { EOFError, TimeoutError } from "./errors.ts";
import {
  checkSocketAddress,
  connectTo,
  fromDenoAddr,
  listenOn,
  noDelay,
  type SocketAddress,
  socketAddressText,
} from "./net/address.ts";
import {
  connLink,
  FrameReader,
  FrameTooLargeError,
  FrameWriter,
  HEADER_BYTES,
  RAW_FLAG,
} from "./net/frame.ts";
import {
  answerHandshake,
  HANDSHAKE_MAX_FRAME_BYTES,
  linkChannel,
  ProtocolError,
  serveHandshake,
} from "./net/handshake.ts";
import {
  Budget,
  checkLimits,
  DEFAULT_FRAME_TIMEOUT_MS,
  Guard,
  type Limits,
} from "./net/limits.ts";
import { SHARE, type SharedDescriptor } from "./_registry.ts";
import type {
  ConnectionPollOptions,
  ConnectionPollSyncOptions,
  ConnectionRecvOptions,
  ConnectionRecvSyncOptions,
  ConnectionSendOptions,
  ConnectionSendSyncOptions,
} from "./pipe.ts";

/** The protocol a Listener announces in its first frame. */
const PROTOCOL = "denomp-connection/1";
/** Default largest message a connection receives (64 MiB). */
const DEFAULT_MAX_FRAME_BYTES = 64 * 1024 * 1024;
/** Default bytes all of a Listener's connections may hold (256 MiB). */
const DEFAULT_MAX_TOTAL_BUFFERED_BYTES = 256 * 1024 * 1024;
/** Largest message a flagged frame can carry. */
const MAX_MESSAGE_BYTES = RAW_FLAG - 1;
/**
 * Bytes waiting to be written below which `send()` resolves at once (as a
 * socket's send returns once the kernel has the bytes); above, it waits
 * until they are written.
 */
const HIGH_WATER_BYTES = 256 * 1024;

const SEND = "Cannot send";
const RECV = "Cannot receive";
const POLL = "Cannot poll";

/**
 * Where a {@linkcode Listener} listens and a {@linkcode Client} connects:
 * a TCP host and port (`port: 0` picks a free one when listening), or the
 * path of a Unix socket.
 */
export type ConnectionAddress = SocketAddress;

/**
 * What every `Connection` offers, whether it is one end of a
 * {@linkcode Pipe} (shared memory) or a {@linkcode SocketConnection}: the
 * interface of Python's `multiprocessing.connection.Connection`.
 * `connection.wait()` takes any of them.
 *
 * @typeParam T The type of the values sent.
 */
export interface ConnectionLike<T = unknown> {
  /** Whether this end can receive. */
  readonly readable: boolean;
  /** Whether this end can send. */
  readonly writable: boolean;
  /** Whether this end has been closed. */
  readonly closed: boolean;
  /** Sends a value. */
  send(value: T, options?: ConnectionSendOptions): Promise<void>;
  /** Sends a value without waiting (see each class for when it can). */
  sendSync(value: T, options?: ConnectionSendSyncOptions): void;
  /** Sends raw bytes. */
  sendBytes(
    bytes: ArrayBuffer | ArrayBufferView,
    options?: ConnectionSendOptions,
  ): Promise<void>;
  /** Sends raw bytes without waiting (see each class for when it can). */
  sendBytesSync(
    bytes: ArrayBuffer | ArrayBufferView,
    options?: ConnectionSendSyncOptions,
  ): void;
  /** Receives the next value; `EOFError` once the other end is closed. */
  recv(options?: ConnectionRecvOptions): Promise<T>;
  /** Receives the next value without waiting (see each class for when it can). */
  recvSync(options?: ConnectionRecvSyncOptions): T;
  /** Receives the next message as bytes. */
  recvBytes(options?: ConnectionRecvOptions): Promise<Uint8Array>;
  /** Receives the next message as bytes without waiting. */
  recvBytesSync(options?: ConnectionRecvSyncOptions): Uint8Array;
  /** Whether a receive would not wait (a message, or end of file). */
  poll(options?: ConnectionPollOptions): Promise<boolean>;
  /** The same, without waiting (see each class for when it can). */
  pollSync(options?: ConnectionPollSyncOptions): boolean;
  /** Closes this end. */
  close(): void;
  /** Closes this end. */
  [Symbol.dispose](): void;
}

/** Options of {@linkcode Listener}. */
export interface ListenerOptions {
  /**
   * The shared secret clients must prove they know (HMAC-SHA256
   * challenge both ways, as the Manager's). A string is taken as its UTF-8
   * bytes. Without one, any client that can reach the address connects,
   * as Python's `Listener(authkey=None)`.
   *
   * @default {undefined}
   */
  authkey?: Uint8Array | string;
  /**
   * How many connections may be in their handshake at once while
   * `accept()` waits; the others wait in the kernel's queue.
   *
   * @default {16}
   */
  backlog?: number;
  /**
   * The largest message a connection receives, in bytes; a peer that sends
   * a larger one is dropped (its connection's `recv` then throws
   * `Deno.errors.ConnectionAborted`).
   *
   * @default {67108864}
   */
  maxFrameBytes?: number;
  /**
   * Milliseconds a partly received message may wait for its next bytes
   * before its connection is dropped.
   *
   * @default {30000}
   */
  frameTimeout?: number;
  /**
   * Bytes of partly received messages all of this listener's connections
   * may hold together; the connection whose read takes the total over it
   * is dropped, and the others go on.
   *
   * @default {268435456}
   */
  maxTotalBufferedBytes?: number;
}

/** Options of {@linkcode Client}. */
export interface ClientOptions {
  /**
   * The listener's authkey. Without one, the listener must not ask for
   * one (else `AuthenticationError`).
   *
   * @default {undefined}
   */
  authkey?: Uint8Array | string;
  /**
   * The largest message this end receives, in bytes. The listener does not
   * learn it: its side assumes the default when it checks what it sends.
   *
   * @default {67108864}
   */
  maxFrameBytes?: number;
  /**
   * Milliseconds a partly received message may wait for its next bytes.
   *
   * @default {30000}
   */
  frameTimeout?: number;
  /**
   * Aborting, while connecting or in the handshake, rejects at once with
   * `signal.reason` and closes the socket.
   */
  signal?: AbortSignal;
}

/** Options of {@linkcode Listener.prototype.accept}. */
export interface AcceptOptions {
  /**
   * Milliseconds to wait for a connection; then `TimeoutError`.
   *
   * @default {Infinity}
   */
  timeout?: number;
  /** Aborting rejects with `signal.reason`. */
  signal?: AbortSignal;
}

interface Frame {
  bytes: Uint8Array;
  raw: boolean;
}

interface ReadWaiter {
  /** A poll: answered `true`, takes nothing. */
  poll: boolean;
  /** recvBytes: the message as bytes. */
  bytes: boolean;
  resolve(value: unknown): void;
  reject(error: unknown): void;
  /** Clears the timer and the abort listener. */
  done(): void;
}

interface Making {
  conn: Deno.Conn;
  reader: FrameReader;
  limits: Limits;
  budget: Budget;
  peerLimit: number;
  peer: string;
}

let making: Making | null = null;

function waitOptions(
  what: string,
  options: { timeout?: unknown; signal?: unknown } | undefined,
  timeoutDefault: number,
): { timeout: number; signal: AbortSignal | undefined } {
  if (
    options !== undefined && (typeof options !== "object" || options === null)
  ) {
    throw new TypeError(
      `${what}: options must be an object, received ${describe(options)}`,
    );
  }
  const timeout = options?.timeout === undefined
    ? timeoutDefault
    : checkTimeout(what, options.timeout);
  checkSignal(what, options?.signal);
  return { timeout, signal: options?.signal as AbortSignal | undefined };
}

function cannotWait(what: string): Deno.errors.NotSupported {
  return new Deno.errors.NotSupported(
    `${what} synchronously on a socket connection: its bytes arrive through the event loop, which a blocking wait would stop; await the async form, or pass { timeout: 0 } to take only what has already arrived`,
  );
}

/**
 * One end of a socket connection, from {@linkcode Listener.prototype.accept}
 * or {@linkcode Client}: the interface of {@linkcode Pipe}'s
 * {@linkcode Connection} (see {@linkcode ConnectionLike}). Values are
 * encoded as a {@linkcode Queue}'s are; messages are framed (a length,
 * then the bytes) and arrive whole and in order.
 *
 * The `Sync` twins work where no waiting is needed, and say so otherwise:
 * `recvSync`/`recvBytesSync` take a message that has already arrived (or
 * report end of file), `pollSync` tells whether one has, and with any
 * other timeout than `0` they throw `Deno.errors.NotSupported` when they
 * would have to wait; `sendSync`/`sendBytesSync` queue the message (it is
 * written as soon as the event loop runs) unless 4 MiB already wait.
 *
 * A connection that is not receiving does not keep the program alive.
 * It cannot cross into a Process (connect from inside it instead).
 *
 * @typeParam T The type of the values sent.
 *
 * @example Usage
 * ```ts
 * import { Client, Listener } from "@denomp/multiprocessing";
 * import assert from "node:assert/strict";
 *
 * await using listener = new Listener({ hostname: "127.0.0.1", port: 0 }, {
 *   authkey: "secret",
 * });
 * const accepted = listener.accept();
 * using client = await Client<string>(listener.address, { authkey: "secret" });
 * using server = await accepted;
 * await client.send("ping");
 * assert.equal(await server.recv(), "ping");
 * ```
 */
export class SocketConnection<T = unknown> implements ConnectionLike<T> {
  #conn: Deno.Conn;
  #reader: FrameReader;
  #writer: FrameWriter;
  #guard: Guard;
  #peerLimit: number;
  #peer: string;
  #frames: Frame[] = [];
  #waiters: ReadWaiter[] = [];
  #reading = false;
  #eof = false;
  #closed = false;
  #failure: Error | null = null;
  #writeFailure: Error | null = null;
  #refd = true;
  #closeTimeout: number;

  /**
   * Not for direct use: connections are made by {@linkcode Listener} and
   * {@linkcode Client}.
   *
   * @throws {TypeError} When called directly.
   */
  constructor() {
    if (making === null) {
      throw new TypeError(
        "Cannot create connection: use Listener.accept() or Client()",
      );
    }
    const { conn, reader, limits, budget, peerLimit, peer } = making;
    making = null;
    this.#conn = conn;
    this.#reader = reader;
    this.#closeTimeout = limits.frameTimeout;
    this.#guard = new Guard(limits, budget, (why) =>
      this.#fail(
        new Deno.errors.ConnectionAborted(
          `${RECV}: the connection to ${peer} was dropped: ${why}`,
        ),
      ));
    this.#peerLimit = peerLimit;
    this.#peer = peer;
    this.#writer = new FrameWriter(connLink(conn), (error) => {
      this.#writeFailure = new Deno.errors.BrokenPipe(
        `${SEND}: the connection to ${this.#peer} is broken`,
        { cause: error },
      );
    });
    this.#updateRef();
    this.#pump();
  }

  /** Always `true`: a socket connection is duplex. */
  get readable(): boolean {
    return true;
  }

  /** Always `true`: a socket connection is duplex. */
  get writable(): boolean {
    return true;
  }

  /** Whether this end has been closed. */
  get closed(): boolean {
    return this.#closed;
  }

  // ---- sending ----

  #checkSend(): void {
    if (this.#closed) {
      throw new Deno.errors.BadResource(`${SEND}: the connection is closed`);
    }
    if (this.#writeFailure !== null) throw this.#writeFailure;
    if (this.#failure !== null) {
      throw new Deno.errors.BrokenPipe(
        `${SEND}: the connection is broken: ${this.#failure.message}`,
      );
    }
  }

  #checkSize(n: number): void {
    const limit = Math.min(this.#peerLimit, MAX_MESSAGE_BYTES);
    if (n > limit) {
      throw new RangeError(
        `${SEND}: the message is ${n} bytes, over the ${limit} bytes the other end accepts`,
      );
    }
  }

  #queue(
    bytes: Uint8Array,
    raw: boolean,
    options: ConnectionSendOptions | undefined,
  ): Promise<void> {
    const { timeout, signal } = waitOptions(SEND, options, Infinity);
    this.#checkSend();
    signal?.throwIfAborted();
    this.#checkSize(bytes.length);
    this.#writer.sendBytes(bytes, raw);
    if (this.#writer.queued <= HIGH_WATER_BYTES) return Promise.resolve();
    return this.#drained(timeout, signal);
  }

  async #drained(
    timeout: number,
    signal: AbortSignal | undefined,
  ): Promise<void> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let onAbort: (() => void) | undefined;
    const stop = new Promise<never>((_, reject) => {
      if (timeout !== Infinity) {
        timer = setTimeout(
          () =>
            reject(
              new TimeoutError(
                `${SEND}: still not written after ${timeout} ms (the message stays queued and will be sent)`,
              ),
            ),
          timeout,
        );
      }
      if (signal !== undefined) {
        onAbort = () => reject(signal.reason);
        signal.addEventListener("abort", onAbort, { once: true });
      }
    });
    try {
      await Promise.race([this.#writer.drained(), stop]);
    } catch (error) {
      if (this.#writeFailure !== null) throw this.#writeFailure;
      throw error;
    } finally {
      clearTimeout(timer);
      if (onAbort) signal!.removeEventListener("abort", onAbort);
    }
  }

  /**
   * Sends a value (encoded as by {@linkcode Queue}). Resolves once it is
   * handed to the socket, or queued behind less than 256 KiB; with more
   * waiting, once it is written.
   *
   * @param value The value to send.
   * @param options A timeout and an abort signal for that wait (the
   *   message stays queued either way: a stream cannot take it back).
   * @returns A promise that resolves once the value is on its way.
   * @throws {TypeError} When the value cannot be encoded (nothing is sent).
   * @throws {RangeError} When it is larger than the other end accepts. On
   *   a connection from `Client()` that is the listener's `maxFrameBytes`
   *   (its handshake tells it); on one from `Listener.accept()` the
   *   client's is not known (a client without an authkey sends nothing in
   *   the handshake), so the default 64 MiB is assumed: a larger message
   *   is refused, and one over a smaller client limit makes the client
   *   drop the connection.
   * @throws {Deno.errors.BadResource} When this end is closed.
   * @throws {Deno.errors.BrokenPipe} When the connection is broken.
   */
  send(value: T, options?: ConnectionSendOptions): Promise<void> {
    try {
      return this.#queue(encodeScratch(value, SEND), false, options);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /**
   * Queues a value; it is written as soon as the event loop runs.
   *
   * @param value The value to send.
   * @param _options Ignored: queueing never waits.
   * @throws {TypeError} When the value cannot be encoded (nothing is sent).
   * @throws {Deno.errors.NotSupported} When 4 MiB already wait to be
   *   written (waiting for room would need the event loop).
   * @throws {Deno.errors.BadResource} When this end is closed.
   * @throws {Deno.errors.BrokenPipe} When the connection is broken.
   */
  sendSync(value: T, _options?: ConnectionSendSyncOptions): void {
    this.#queueSync(encodeScratch(value, SEND), false);
  }

  /**
   * Sends raw bytes (copied). The other end gets them from `recvBytes()`
   * (or as a `Uint8Array` from `recv()`).
   *
   * @param bytes The bytes to send.
   * @param options A timeout and an abort signal, as for `send`.
   * @returns A promise that resolves once the bytes are on their way.
   * @throws {TypeError} When `bytes` is not an ArrayBuffer or a view.
   * @throws {RangeError} When they are more than the other end accepts
   *   (on an accepted connection, the default 64 MiB: see `send`).
   * @throws {Deno.errors.BadResource} When this end is closed.
   * @throws {Deno.errors.BrokenPipe} When the connection is broken.
   */
  sendBytes(
    bytes: ArrayBuffer | ArrayBufferView,
    options?: ConnectionSendOptions,
  ): Promise<void> {
    try {
      return this.#queue(toBytes(SEND, bytes), true, options);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /**
   * Queues raw bytes (copied), as `sendSync` queues a value.
   *
   * @param bytes The bytes to send.
   * @param _options Ignored: queueing never waits.
   * @throws {TypeError} When `bytes` is not an ArrayBuffer or a view.
   * @throws {Deno.errors.NotSupported} When 4 MiB already wait.
   * @throws {Deno.errors.BadResource} When this end is closed.
   * @throws {Deno.errors.BrokenPipe} When the connection is broken.
   */
  sendBytesSync(
    bytes: ArrayBuffer | ArrayBufferView,
    _options?: ConnectionSendSyncOptions,
  ): void {
    this.#queueSync(toBytes(SEND, bytes), true);
  }

  #queueSync(bytes: Uint8Array, raw: boolean): void {
    this.#checkSend();
    this.#checkSize(bytes.length);
    if (this.#writer.queued + bytes.length > 16 * HIGH_WATER_BYTES) {
      throw new Deno.errors.NotSupported(
        `${SEND} synchronously: ${this.#writer.queued} bytes already wait to be written, and waiting for room on a socket needs the event loop; await send() instead`,
      );
    }
    this.#writer.sendBytes(bytes, raw);
  }

  // ---- receiving ----

  /** Keeps the program alive only while someone waits to receive. */
  #updateRef(): void {
    const want = this.#waiters.length > 0 && !this.#closed;
    if (want === this.#refd) return;
    this.#refd = want;
    try {
      if (want) this.#conn.ref();
      else this.#conn.unref();
    } catch {
      // Closed.
    }
  }

  /** Whether a receive would not wait. */
  #ready(): boolean {
    return this.#frames.length > 0 || this.#eof || this.#failure !== null;
  }

  /** Starts reading unless a message is already waiting to be taken. */
  #pump(): void {
    if (this.#reading || this.#eof || this.#closed || this.#failure) return;
    if (this.#frames.length > 0 && this.#waiters.length === 0) return;
    this.#reading = true;
    void this.#readLoop();
  }

  async #readLoop(): Promise<void> {
    const buf = new Uint8Array(64 * 1024);
    try {
      // What the reader holds already (bytes that came with the handshake's
      // last frame, or past a pause) is taken before reading more.
      for (;;) {
        let frame: Uint8Array | null;
        while ((frame = this.#reader.next()) !== null) {
          const raw = this.#reader.raw;
          const first = this.#waiters[0];
          if (this.#frames.length === 0 && first !== undefined && !first.poll) {
            // Someone waits: hand it over without queueing a copy.
            this.#waiters.shift();
            first.done();
            this.#deliver(first, frame, raw);
          } else {
            this.#frames.push({ bytes: frame.slice(), raw });
          }
        }
        // Stop reading while a message waits to be taken: the peer's
        // further bytes wait in the kernel (backpressure), and the frame
        // timer does not run against it meanwhile.
        const pause = this.#frames.length > 0 && this.#waiters.length === 0;
        const why = this.#guard.check(this.#reader.buffered, 0, !pause);
        if (why !== null) {
          this.#fail(
            new Deno.errors.ConnectionAborted(
              `${RECV}: the connection to ${this.#peer} was dropped: ${why}`,
            ),
          );
          return;
        }
        this.#settle();
        if (pause || this.#closed) break;
        const n = await this.#conn.read(buf);
        if (n === null) {
          this.#eof = true;
          break;
        }
        this.#reader.push(buf.subarray(0, n));
      }
    } catch (error) {
      if (!this.#closed) {
        if (error instanceof FrameTooLargeError) {
          this.#fail(
            new Deno.errors.ConnectionAborted(
              `${RECV}: the connection to ${this.#peer} was dropped: ${error.message}`,
            ),
          );
          return;
        }
        if (error instanceof Deno.errors.ConnectionReset) {
          // The peer went away: end of file, as a pipe's reader sees it.
          this.#eof = true;
        } else {
          this.#fail(error instanceof Error ? error : new Error(String(error)));
          return;
        }
      }
    } finally {
      this.#reading = false;
    }
    this.#settle();
  }

  #deliver(waiter: ReadWaiter, bytes: Uint8Array, raw: boolean): void {
    try {
      waiter.resolve(
        waiter.bytes || raw ? bytes.slice() : decode(bytes),
      );
    } catch (error) {
      waiter.reject(error);
    }
    this.#updateRef();
  }

  /** Answers the waiters that can be answered now, in order. */
  #settle(): void {
    while (this.#waiters.length > 0) {
      const w = this.#waiters[0]!;
      if (this.#frames.length > 0) {
        this.#waiters.shift();
        w.done();
        if (w.poll) {
          w.resolve(true);
        } else {
          const f = this.#frames.shift()!;
          this.#deliver(w, f.bytes, f.raw);
        }
        continue;
      }
      if (this.#failure !== null || this.#eof) {
        this.#waiters.shift();
        w.done();
        if (w.poll) w.resolve(true);
        else w.reject(this.#endError());
        continue;
      }
      break;
    }
    this.#updateRef();
    this.#pump();
  }

  #endError(): Error {
    return this.#failure ??
      new EOFError(`${RECV}: the other end is closed`);
  }

  #fail(error: Error): void {
    if (this.#failure !== null) return;
    this.#failure = error;
    this.#guard.release();
    try {
      this.#conn.close();
    } catch {
      // Already closed.
    }
    this.#settle();
  }

  #checkRecv(what: string): void {
    if (this.#closed) {
      throw new Deno.errors.BadResource(`${what}: the connection is closed`);
    }
  }

  #wait(
    what: string,
    poll: boolean,
    bytes: boolean,
    options: ConnectionRecvOptions | undefined,
    timeoutDefault: number,
  ): Promise<unknown> {
    try {
      const { timeout, signal } = waitOptions(what, options, timeoutDefault);
      this.#checkRecv(what);
      signal?.throwIfAborted();
      if (this.#frames.length > 0) {
        if (poll) return Promise.resolve(true);
        const f = this.#frames.shift()!;
        this.#pump();
        return Promise.resolve(
          bytes || f.raw ? f.bytes.slice() : decode(f.bytes),
        );
      }
      if (this.#failure !== null || this.#eof) {
        if (poll) return Promise.resolve(true);
        throw this.#endError();
      }
      if (timeout === 0) {
        if (poll) return Promise.resolve(false);
        throw new TimeoutError(`${what}: nothing to receive`);
      }
      return new Promise((resolve, reject) => {
        let timer: ReturnType<typeof setTimeout> | undefined;
        let onAbort: (() => void) | undefined;
        const waiter: ReadWaiter = {
          poll,
          bytes,
          resolve,
          reject,
          done: () => {
            clearTimeout(timer);
            if (onAbort) signal!.removeEventListener("abort", onAbort);
          },
        };
        const leave = () => {
          const at = this.#waiters.indexOf(waiter);
          if (at >= 0) this.#waiters.splice(at, 1);
          waiter.done();
          this.#updateRef();
        };
        if (timeout !== Infinity) {
          timer = setTimeout(() => {
            leave();
            if (poll) resolve(false);
            else {
              reject(
                new TimeoutError(
                  `${what}: nothing arrived within ${timeout} ms`,
                ),
              );
            }
          }, timeout);
        }
        if (signal !== undefined) {
          onAbort = () => {
            leave();
            reject(signal.reason);
          };
          signal.addEventListener("abort", onAbort, { once: true });
        }
        this.#waiters.push(waiter);
        this.#updateRef();
        this.#pump();
      });
    } catch (error) {
      return Promise.reject(error);
    }
  }

  #takeSync(what: string, poll: boolean, bytes: boolean, options: unknown) {
    const { timeout } = waitOptions(
      what,
      options as ConnectionRecvSyncOptions,
      poll ? 0 : Infinity,
    );
    this.#checkRecv(what);
    if (this.#frames.length > 0) {
      if (poll) return true;
      const f = this.#frames.shift()!;
      this.#pump();
      return bytes || f.raw ? f.bytes.slice() : decode(f.bytes);
    }
    if (this.#failure !== null || this.#eof) {
      if (poll) return true;
      throw this.#endError();
    }
    if (timeout === 0) {
      if (poll) return false;
      throw new TimeoutError(`${what}: nothing to receive`);
    }
    throw cannotWait(what);
  }

  /**
   * Receives the next value, waiting for one.
   *
   * @param options A timeout and an abort signal.
   * @returns The value (raw bytes sent with `sendBytes` come as a
   *   `Uint8Array`).
   * @throws {EOFError} When the other end is closed and everything it sent
   *   has been received.
   * @throws {Deno.errors.ConnectionAborted} When the connection was dropped
   *   (a message over `maxFrameBytes`, one that stopped arriving, a limit).
   * @throws {Deno.errors.BadResource} When this end is closed.
   * @throws {TimeoutError} When `timeout` runs out.
   */
  recv(options?: ConnectionRecvOptions): Promise<T> {
    return this.#wait(RECV, false, false, options, Infinity) as Promise<T>;
  }

  /**
   * Takes a value that has already arrived.
   *
   * @param options `timeout: 0` to throw `TimeoutError` when none has.
   * @returns The value.
   * @throws {EOFError} When the other end is closed and drained.
   * @throws {TimeoutError} With `timeout: 0` when nothing has arrived.
   * @throws {Deno.errors.NotSupported} When nothing has arrived (any other
   *   timeout): waiting needs the event loop.
   */
  recvSync(options?: ConnectionRecvSyncOptions): T {
    return this.#takeSync(RECV, false, false, options) as T;
  }

  /**
   * Receives the next message as bytes: what `sendBytes` sent, or the
   * encoding of a value sent with `send` (as Python's `recv_bytes`).
   *
   * @param options A timeout and an abort signal.
   * @returns The bytes.
   * @throws {EOFError} When the other end is closed and drained.
   * @throws {Deno.errors.BadResource} When this end is closed.
   * @throws {TimeoutError} When `timeout` runs out.
   */
  recvBytes(options?: ConnectionRecvOptions): Promise<Uint8Array> {
    return this.#wait(RECV, false, true, options, Infinity) as Promise<
      Uint8Array
    >;
  }

  /**
   * Takes a message that has already arrived, as bytes.
   *
   * @param options `timeout: 0` to throw `TimeoutError` when none has.
   * @returns The bytes.
   * @throws {EOFError} When the other end is closed and drained.
   * @throws {Deno.errors.NotSupported} When nothing has arrived (any other
   *   timeout).
   */
  recvBytesSync(options?: ConnectionRecvSyncOptions): Uint8Array {
    return this.#takeSync(RECV, false, true, options) as Uint8Array;
  }

  /**
   * Whether a receive would not wait: a message is there, or the other end
   * is closed (so `recv` would throw). Waits up to `timeout` for that, as
   * Python's `poll(timeout)`.
   *
   * @param options A timeout (default `0`: just look) and an abort signal.
   * @returns `true` when a receive would not wait.
   * @throws {Deno.errors.BadResource} When this end is closed.
   */
  async poll(options?: ConnectionPollOptions): Promise<boolean> {
    return await this.#wait(POLL, true, false, options, 0) as boolean;
  }

  /**
   * Whether a message has already arrived (or the other end is closed).
   *
   * @param options A timeout: `0` (the default) just looks.
   * @returns `true` when a receive would not wait.
   * @throws {Deno.errors.NotSupported} With another timeout when nothing
   *   has arrived: waiting needs the event loop.
   */
  pollSync(options?: ConnectionPollSyncOptions): boolean {
    return this.#takeSync(POLL, true, false, options) as boolean;
  }

  /**
   * Closes this end (idempotent): what was sent is still written first;
   * waiting receives reject with `Deno.errors.BadResource`, and the other
   * end sees end of file once it has read everything.
   */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#guard.release();
    const waiters = this.#waiters.splice(0);
    for (const w of waiters) {
      w.done();
      w.reject(
        new Deno.errors.BadResource(`${RECV}: the connection is closed`),
      );
    }
    this.#frames = [];
    const conn = this.#conn;
    const shut = () => {
      try {
        conn.close();
      } catch {
        // Already closed.
      }
    };
    if (this.#writer.queued === 0 || this.#writeFailure !== null) {
      shut();
      return;
    }
    // What was sent goes out first, for as long as a frame may take.
    const timer = setTimeout(shut, this.#closeTimeout);
    const done = () => {
      clearTimeout(timer);
      shut();
    };
    this.#writer.drained().then(done, done);
  }

  /** Closes this end. */
  [Symbol.dispose](): void {
    this.close();
  }

  /**
   * A socket connection cannot cross into a Process.
   *
   * @returns Never.
   * @throws {TypeError} Always: connect from inside the Process instead.
   * @ignore Internal: the shared-object registry calls it.
   */
  [SHARE](): SharedDescriptor {
    throw new TypeError(
      `Cannot send a socket connection to a worker: connect to ${this.#peer} from inside it with Client()`,
    );
  }

  /**
   * A short description for `console.log`.
   *
   * @returns The description.
   */
  [Symbol.for("Deno.customInspect")](): string {
    const state = this.#closed
      ? "closed"
      : this.#failure !== null
      ? "broken"
      : this.#eof
      ? "at end of file"
      : "open";
    return `SocketConnection { peer: "${this.#peer}", ${state}, ${this.#frames.length} waiting }`;
  }
}

function makeConnection<T>(init: Making): SocketConnection<T> {
  making = init;
  return new SocketConnection<T>();
}

interface AcceptWaiter {
  resolve(conn: SocketConnection<never>): void;
  reject(error: unknown): void;
  done(): void;
}

/**
 * Python's `multiprocessing.connection.Listener`: listens on a TCP or Unix
 * socket and hands out a {@linkcode SocketConnection} per client that
 * passes the authkey challenge. Needs `--allow-net` for the TCP host (or
 * `--allow-read`, `--allow-write` and `--allow-net=unix:<path>` for a Unix
 * socket).
 *
 * Clients are accepted and their handshakes run in the background,
 * concurrently, up to `backlog` connections in a handshake or waiting for
 * `accept()`; a handshake is cut off after 10 s. A client that fails one
 * is dropped and `accept()` goes on with the next (Python's `accept()`
 * raises `AuthenticationError` instead). The listener keeps the program
 * alive only while an `accept()` waits.
 * Each accepted connection is held to `maxFrameBytes` and `frameTimeout`,
 * and all of them to `maxTotalBufferedBytes`.
 *
 * @example Usage
 * ```ts
 * import { Client, Listener } from "@denomp/multiprocessing";
 * import assert from "node:assert/strict";
 *
 * await using listener = new Listener({ hostname: "127.0.0.1", port: 0 }, {
 *   authkey: "secret password",
 * });
 * const served = (async () => {
 *   using conn = await listener.accept();
 *   await conn.send([2.25, null, "junk", 1]);
 * })();
 * using conn = await Client(listener.address, { authkey: "secret password" });
 * assert.deepEqual(await conn.recv(), [2.25, null, "junk", 1]);
 * await served;
 * ```
 */
export class Listener {
  #listener: Deno.Listener;
  #address: SocketAddress;
  #key: Promise<CryptoKey> | null;
  #backlog: number;
  #maxFrameBytes: number;
  #limits: Limits;
  #budget: Budget;
  #waiters: AcceptWaiter[] = [];
  /** Connections that passed the handshake, with their peers' addresses. */
  #ready: { conn: SocketConnection<never>; peer: SocketAddress | null }[] = [];
  /** Sockets in their handshake: close() closes them. */
  #handshaking = new Set<Deno.Conn>();
  #handshakes = new Set<Promise<void>>();
  #accepting = false;
  #closed = false;
  #lastAccepted: SocketAddress | null = null;
  #unixPath: string | null;

  /**
   * Listens on `address`.
   *
   * @param address Where to listen.
   * @param options `authkey`, `backlog` and the limits.
   * @throws {TypeError} For a bad address or option.
   * @throws {RangeError} For a value out of range.
   * @throws {Deno.errors.AddrInUse} When the address is taken.
   * @throws {Deno.errors.NotCapable} Without permission to listen there.
   */
  constructor(address?: ConnectionAddress, options?: ListenerOptions) {
    const what = "Cannot listen";
    const where = address === undefined
      ? { hostname: "127.0.0.1", port: 0 }
      : checkSocketAddress(what, address);
    const {
      authkey,
      backlog = 16,
      maxFrameBytes = DEFAULT_MAX_FRAME_BYTES,
      frameTimeout = DEFAULT_FRAME_TIMEOUT_MS,
      maxTotalBufferedBytes = DEFAULT_MAX_TOTAL_BUFFERED_BYTES,
    } = options ?? {};
    if (!Number.isSafeInteger(backlog) || backlog < 1) {
      throw new RangeError(
        `${what}: backlog must be a positive integer, received ${
          describe(backlog)
        }`,
      );
    }
    checkFrameLimit(what, maxFrameBytes);
    const maxBufferedBytes = maxFrameBytes + HEADER_BYTES;
    checkLimits(what, {
      frameTimeout,
      maxBufferedBytes,
      maxTotalBufferedBytes,
    }, maxFrameBytes);
    const key = authkey === undefined ? null : keyBytes(what, authkey);
    this.#listener = listenOn(where);
    this.#listener.unref();
    this.#address = fromDenoAddr(this.#listener.addr) ?? where;
    this.#unixPath = "path" in where ? where.path : null;
    this.#key = key === null ? null : importHmacKey(key);
    this.#backlog = backlog;
    this.#maxFrameBytes = maxFrameBytes;
    this.#limits = { frameTimeout, maxBufferedBytes };
    this.#budget = new Budget(maxTotalBufferedBytes);
    void this.#acceptLoop();
  }

  /** Where it listens (the bound port when `port: 0` was asked). */
  get address(): ConnectionAddress {
    const a = this.#address;
    return "path" in a
      ? { path: a.path }
      : { hostname: a.hostname, port: a.port };
  }

  /** The address of the last accepted client, when the socket tells it. */
  get lastAccepted(): ConnectionAddress | null {
    return this.#lastAccepted;
  }

  /**
   * The next client that passed the handshake.
   *
   * @typeParam T The type of the values the connection carries.
   * @param options A timeout and an abort signal.
   * @returns Its connection.
   * @throws {TimeoutError} When `timeout` runs out.
   * @throws {Deno.errors.BadResource} When the listener is closed.
   */
  accept<T = unknown>(options?: AcceptOptions): Promise<SocketConnection<T>> {
    const what = "Cannot accept";
    try {
      const { timeout, signal } = waitOptions(what, options, Infinity);
      if (this.#closed) {
        throw new Deno.errors.BadResource(`${what}: the listener is closed`);
      }
      signal?.throwIfAborted();
      const ready = this.#ready.shift();
      if (ready !== undefined) {
        this.#lastAccepted = ready.peer;
        void this.#acceptLoop();
        return Promise.resolve(ready.conn as SocketConnection<T>);
      }
      return new Promise((resolve, reject) => {
        let timer: ReturnType<typeof setTimeout> | undefined;
        let onAbort: (() => void) | undefined;
        const waiter: AcceptWaiter = {
          resolve: resolve as (conn: SocketConnection<never>) => void,
          reject,
          done: () => {
            clearTimeout(timer);
            if (onAbort) signal!.removeEventListener("abort", onAbort);
            const at = this.#waiters.indexOf(waiter);
            if (at >= 0) this.#waiters.splice(at, 1);
            if (this.#waiters.length === 0) this.#unref();
          },
        };
        if (timeout !== Infinity) {
          timer = setTimeout(() => {
            waiter.done();
            reject(
              new TimeoutError(`${what}: no client within ${timeout} ms`),
            );
          }, timeout);
        }
        if (signal !== undefined) {
          onAbort = () => {
            waiter.done();
            reject(signal.reason);
          };
          signal.addEventListener("abort", onAbort, { once: true });
        }
        this.#waiters.push(waiter);
        // While someone waits to accept, the listener keeps the program
        // alive; otherwise it accepts in the background without doing so.
        this.#listener.ref();
      });
    } catch (error) {
      return Promise.reject(error);
    }
  }

  #unref(): void {
    try {
      this.#listener.unref();
    } catch {
      // Closed.
    }
  }

  /**
   * Accepts sockets and runs their handshakes in the background, while
   * fewer than `backlog` connections are in their handshake or waiting to
   * be taken by `accept()`; the rest wait in the kernel's queue.
   */
  async #acceptLoop(): Promise<void> {
    if (this.#accepting) return;
    this.#accepting = true;
    try {
      while (
        !this.#closed &&
        this.#ready.length + this.#handshakes.size < this.#backlog
      ) {
        let socket: Deno.Conn;
        try {
          socket = await this.#listener.accept();
        } catch (error) {
          if (this.#closed || error instanceof Deno.errors.BadResource) {
            return;
          }
          // A client that reset before the accept, too many open files:
          // go on with the next one.
          continue;
        }
        const task = this.#handshake(socket).finally(() => {
          this.#handshakes.delete(task);
          void this.#acceptLoop();
        });
        this.#handshakes.add(task);
      }
    } finally {
      this.#accepting = false;
    }
  }

  async #handshake(socket: Deno.Conn): Promise<void> {
    noDelay(socket);
    const link = connLink(socket);
    const reader = new FrameReader(HANDSHAKE_MAX_FRAME_BYTES, true);
    this.#handshaking.add(socket);
    let passed: boolean;
    try {
      passed = await serveHandshake(linkChannel(link, reader), {
        key: this.#key === null ? null : await this.#key,
        protocol: PROTOCOL,
        extra: { maxFrameBytes: this.#maxFrameBytes },
      });
    } finally {
      this.#handshaking.delete(socket);
    }
    if (!passed || this.#closed) {
      try {
        socket.close();
      } catch {
        // Already closed.
      }
      return;
    }
    reader.limit = this.#maxFrameBytes;
    const peer = fromDenoAddr(socket.remoteAddr);
    const conn: SocketConnection<never> = makeConnection({
      conn: socket,
      reader,
      peerLimit: DEFAULT_MAX_FRAME_BYTES,
      peer: peer === null ? "a client" : socketAddressText(peer),
      limits: this.#limits,
      budget: this.#budget,
    });
    const waiter = this.#waiters[0];
    if (waiter !== undefined) {
      this.#lastAccepted = peer;
      waiter.done();
      waiter.resolve(conn);
    } else {
      this.#ready.push({ conn, peer });
    }
  }

  /**
   * Stops listening (idempotent): waiting `accept()` calls reject with
   * `Deno.errors.BadResource`; connections not yet accepted are closed;
   * accepted ones stay open. A Unix socket's file is removed.
   */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    try {
      this.#listener.close();
    } catch {
      // Already closed.
    }
    for (const waiter of this.#waiters.slice()) {
      waiter.done();
      waiter.reject(
        new Deno.errors.BadResource("Cannot accept: the listener is closed"),
      );
    }
    for (const { conn } of this.#ready.splice(0)) conn.close();
    // A client still in its handshake is cut off now, not at its timeout.
    for (const socket of this.#handshaking) {
      try {
        socket.close();
      } catch {
        // Already closed.
      }
    }
    if (this.#unixPath !== null) {
      try {
        Deno.removeSync(this.#unixPath);
      } catch {
        // Gone already, or not ours to remove.
      }
    }
  }

  /** Closes the listener. */
  [Symbol.dispose](): void {
    this.close();
  }

  /**
   * Closes the listener and waits for handshakes in progress to end.
   *
   * @returns A promise that resolves once they have.
   */
  async [Symbol.asyncDispose](): Promise<void> {
    this.close();
    await Promise.allSettled([...this.#handshakes]);
  }

  /**
   * Accepts connections until the listener is closed:
   * `for await (const conn of listener)`.
   *
   * @returns The connections.
   */
  async *[Symbol.asyncIterator](): AsyncGenerator<
    SocketConnection,
    void,
    undefined
  > {
    while (!this.#closed) {
      try {
        yield await this.accept();
      } catch (error) {
        if (this.#closed) return;
        throw error;
      }
    }
  }

  /**
   * A short description for `console.log`.
   *
   * @returns The description.
   */
  [Symbol.for("Deno.customInspect")](): string {
    return `Listener { address: "${socketAddressText(this.#address)}", ${
      this.#closed ? "closed" : "listening"
    }, authenticated: ${this.#key !== null} }`;
  }
}

function checkFrameLimit(what: string, maxFrameBytes: unknown): void {
  if (
    !Number.isSafeInteger(maxFrameBytes) || (maxFrameBytes as number) < 1024 ||
    (maxFrameBytes as number) > MAX_MESSAGE_BYTES
  ) {
    throw new RangeError(
      `${what}: maxFrameBytes must be an integer from 1024 to ${MAX_MESSAGE_BYTES}, received ${
        describe(maxFrameBytes)
      }`,
    );
  }
}

/**
 * `promise`, or `signal.reason` as soon as `signal` aborts (before or
 * during the wait); a value that arrives after the abort goes to `late`.
 */
async function abortable<T>(
  promise: Promise<T>,
  signal: AbortSignal | undefined,
  late: (value: T) => void,
): Promise<T> {
  if (signal === undefined) return await promise;
  let onAbort!: () => void;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(signal.reason);
    if (signal.aborted) onAbort();
    else signal.addEventListener("abort", onAbort, { once: true });
  });
  try {
    return await Promise.race([promise, aborted]);
  } catch (error) {
    if (signal.aborted) promise.then(late, () => {});
    throw error;
  } finally {
    signal.removeEventListener("abort", onAbort);
  }
}

/**
 * Python's `multiprocessing.connection.Client`: connects to a
 * {@linkcode Listener} (in this program or another, on this machine or
 * another) and answers its authkey challenge. Needs `--allow-net` for the
 * host (or `--allow-read`, `--allow-write` and `--allow-net=unix:<path>`).
 *
 * @typeParam T The type of the values the connection carries.
 * @param address Where the listener listens.
 * @param options `authkey`, the limits and an abort signal.
 * @returns The connection.
 * @throws {AuthenticationError} When either side does not prove the key,
 *   or only one of them has one.
 * @throws {Deno.errors.ConnectionRefused} When nothing listens there.
 * @throws {TypeError} For a bad address or option, or a peer that is not
 *   a Listener.
 *
 * @example Usage
 * ```ts
 * import { Client, Listener } from "@denomp/multiprocessing";
 * import assert from "node:assert/strict";
 *
 * await using listener = new Listener(undefined, { authkey: "k" });
 * const accepting = listener.accept<number>();
 * using client = await Client<number>(listener.address, { authkey: "k" });
 * using server = await accepting;
 * await client.send(41);
 * await server.send((await server.recv()) + 1);
 * assert.equal(await client.recv(), 42);
 * ```
 */
export async function Client<T = unknown>(
  address: ConnectionAddress,
  options?: ClientOptions,
): Promise<SocketConnection<T>> {
  const what = "Cannot connect";
  const where = checkSocketAddress(what, address);
  const {
    authkey,
    maxFrameBytes = DEFAULT_MAX_FRAME_BYTES,
    frameTimeout = DEFAULT_FRAME_TIMEOUT_MS,
    signal,
  } = options ?? {};
  checkFrameLimit(what, maxFrameBytes);
  const maxBufferedBytes = maxFrameBytes + HEADER_BYTES;
  checkLimits(what, {
    frameTimeout,
    maxBufferedBytes,
    maxTotalBufferedBytes: maxBufferedBytes,
  }, maxFrameBytes);
  checkSignal(what, signal);
  signal?.throwIfAborted();
  const key = authkey === undefined ? null : keyBytes(what, authkey);
  const peer = socketAddressText(where);
  // An abort while connecting or in the handshake rejects at once; a
  // socket that connects after it is closed.
  const socket = await abortable(
    connectTo(where),
    signal,
    (late) => late.close(),
  );
  const close = () => {
    try {
      socket.close();
    } catch {
      // Already closed.
    }
  };
  const link = connLink(socket);
  const reader = new FrameReader(HANDSHAKE_MAX_FRAME_BYTES, true);
  let hello: Record<string, unknown>;
  try {
    hello = await abortable(
      (async () =>
        answerHandshake(linkChannel(link, reader), {
          key: key === null ? null : await importHmacKey(key),
          protocol: PROTOCOL,
          peer: `the listener at ${peer}`,
        }))(),
      signal,
      () => {},
    );
  } catch (error) {
    close();
    signal?.throwIfAborted();
    if (error instanceof ProtocolError) {
      throw new TypeError(error.message, { cause: error });
    }
    throw error;
  }
  reader.limit = maxFrameBytes;
  const limit = Number(hello.maxFrameBytes);
  return makeConnection<T>({
    conn: socket,
    reader,
    peerLimit: Number.isSafeInteger(limit) && limit > 0
      ? limit
      : DEFAULT_MAX_FRAME_BYTES,
    peer,
    limits: { frameTimeout, maxBufferedBytes },
    budget: new Budget(maxBufferedBytes),
  });
}
