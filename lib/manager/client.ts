// Copyright 2026 the denomp authors. MIT license.
// The client side of the Manager's wire: one RpcClient per connection (the
// parent's stdio pipe to the subprocess, or an authenticated socket), the
// per-thread cache of socket connections that revived proxies share, and
// ProxyRef, the handle every proxy keeps. Private.

import { connectTo } from "../net/address.ts";
import { assertLive } from "../_context.ts";
import {
  decodeValue,
  markProxy,
  type ProxyIdentity,
  proxyIdentity,
  type ProxyReviver,
} from "./codec.ts";
import {
  CANCELLED,
  DEFAULT_MAX_FRAME_BYTES,
  INVALID_PARAMS,
  METHOD_ERROR,
  PROTOCOL,
  type RpcErrorObject,
  UNKNOWN_OBJECT,
  USER_ERROR,
} from "./rpc.ts";
import {
  type ByteLink,
  connLink,
  FrameReader,
  FrameWriter,
  fromBase64,
  readUtf8,
  toBase64,
} from "../net/frame.ts";
import { importHmacKey } from "../_auth.ts";
import {
  answerHandshake,
  HANDSHAKE_MAX_FRAME_BYTES,
  linkChannel,
  ProtocolError,
} from "../net/handshake.ts";
import {
  AuthenticationError,
  BrokenBarrierError,
  ManagerError,
  QueueEmptyError,
  QueueFullError,
  RemoteError,
} from "../errors.ts";

/** Where a manager listens: a Unix socket path, or a TCP host and port. */
export type ManagerAddress = string | { hostname: string; port: number };

/** What keeps the event loop alive while calls are in flight. */
export interface KeepAlive {
  ref(): void;
  unref(): void;
}

/** Reads the next chunk of bytes; `null` at end of stream. */
export type ChunkSource = () => Promise<Uint8Array | null>;

interface Pending {
  resolve(value: unknown): void;
  reject(error: unknown): void;
  /** Set when the caller aborted: the reason to reject with if cancelled. */
  aborted?: unknown;
  method: string;
}

/** A text description of an address, for messages and cache keys. */
export function addressText(address: ManagerAddress): string {
  return typeof address === "string"
    ? address
    : `${address.hostname}:${address.port}`;
}

/** Whether this program may connect to `address` without a prompt. */
export function mayConnect(address: ManagerAddress): boolean {
  try {
    if (typeof address === "string") {
      return Deno.permissions.querySync({ name: "read", path: address })
            .state === "granted" &&
        Deno.permissions.querySync({ name: "write", path: address }).state ===
          "granted" &&
        Deno.permissions.querySync({ name: "net", host: `unix:${address}` })
            .state === "granted";
    }
    return Deno.permissions.querySync({
      name: "net",
      host: `${address.hostname}:${address.port}`,
    }).state === "granted";
  } catch {
    return false;
  }
}

/** Rebuilds a JSON-RPC error object as the error the caller should see. */
function toError(error: RpcErrorObject, method: string): Error {
  const name = error?.data?.name;
  if (error?.code === USER_ERROR) {
    // Thrown by user code on the server: its name, message and stack.
    return new RemoteError(
      String(error.message),
      typeof name === "string" ? name : "Error",
      typeof error.data?.stack === "string" ? error.data.stack : "",
    );
  }
  if (error?.code === METHOD_ERROR && typeof name === "string") {
    switch (name) {
      case "TypeError":
        return new TypeError(error.message);
      case "RangeError":
        return new RangeError(error.message);
      case "QueueEmptyError":
        return new QueueEmptyError(error.message);
      case "QueueFullError":
        return new QueueFullError(error.message);
      case "BrokenBarrierError":
        return new BrokenBarrierError(error.message);
      default:
        return new RemoteError(String(error.message), name);
    }
  }
  if (error?.code === UNKNOWN_OBJECT) {
    return new ManagerError(
      `Cannot call ${method}: the manager has no such object (it was released)`,
    );
  }
  if (error?.code === INVALID_PARAMS) {
    return new TypeError(`Cannot call ${method}: ${error.message}`);
  }
  return new ManagerError(
    `Cannot call ${method}: ${String(error?.message)} (code ${error?.code})`,
  );
}

/** One JSON-RPC connection with many calls in flight. */
export class RpcClient {
  #reader: FrameReader;
  #writer: FrameWriter;
  #link: ByteLink;
  #pending = new Map<number, Pending>();
  #nextId = 1;
  #failure: ManagerError | null = null;
  #onClose: Set<() => void> = new Set();
  /** Describes the peer, for messages. */
  readonly peer: string;
  /** The server's frame limit: longer requests fail here, unsent. */
  readonly maxFrameBytes: number;
  /** Turns the proxies in answers into live proxies on this connection. */
  revive: ProxyReviver | undefined;
  #hold: KeepAlive | undefined;

  constructor(
    link: ByteLink,
    source: ChunkSource,
    reader: FrameReader,
    peer: string,
    maxFrameBytes: number,
    hold?: KeepAlive,
  ) {
    this.maxFrameBytes = maxFrameBytes;
    // An idle connection must not keep the program alive (Python's
    // programs end without shutting their manager down, too); one with
    // calls in flight must.
    this.#hold = hold;
    hold?.unref();
    this.#link = link;
    this.#reader = reader;
    this.peer = peer;
    this.#writer = new FrameWriter(link, (error) =>
      this.fail(
        new ManagerError(`Lost the connection to the manager at ${peer}`, {
          cause: error,
        }),
      ), true);
    void this.#readLoop(source);
  }

  /** Whether the connection has failed or been closed. */
  get failed(): boolean {
    return this.#failure !== null;
  }

  /** Calls when the connection ends (at once if it already has). */
  onClose(fn: () => void): void {
    if (this.#failure) fn();
    else this.#onClose.add(fn);
  }

  /**
   * Sends one request. `params` must already be JSON-ready (values
   * encoded). With a signal, an abort asks the server to cancel the call.
   */
  call(
    method: string,
    params: unknown[],
    signal?: AbortSignal,
  ): Promise<unknown> {
    if (this.#failure !== null) {
      return Promise.reject(
        new ManagerError(this.#failure.message, { cause: this.#failure }),
      );
    }
    const id = this.#nextId++;
    const text = `{"jsonrpc":"2.0","id":${id},"method":"${method}","params":${
      JSON.stringify(params)
    }}`;
    const bytes = this.#writer.sendText(text, this.maxFrameBytes);
    if (bytes > this.maxFrameBytes) {
      return Promise.reject(
        new RangeError(
          `Cannot call ${method}: the request is ${bytes} bytes, over the manager's limit of ${this.maxFrameBytes} bytes`,
        ),
      );
    }
    return new Promise((resolve, reject) => {
      const pending: Pending = { resolve, reject, method };
      if (this.#pending.size === 0) this.#hold?.ref();
      this.#pending.set(id, pending);
      if (signal !== undefined) {
        const onAbort = () => {
          if (!this.#pending.has(id)) return;
          pending.aborted = signal.reason;
          this.notify("manager.cancel", [id]);
        };
        signal.addEventListener("abort", onAbort, { once: true });
        pending.resolve = (value) => {
          signal.removeEventListener("abort", onAbort);
          resolve(value);
        };
        pending.reject = (error) => {
          signal.removeEventListener("abort", onAbort);
          reject(error);
        };
      }
    });
  }

  /** Sends a request whose answer nobody waits for (errors are ignored). */
  notify(method: string, params: unknown[]): void {
    this.call(method, params).catch(() => {});
  }

  /** Fails every pending and later call with `error`; closes the link. */
  fail(error: ManagerError): void {
    if (this.#failure !== null) return;
    this.#failure = error;
    try {
      this.#link.close();
    } catch {
      // Already closed.
    }
    const pending = [...this.#pending.values()];
    this.#pending.clear();
    this.#hold?.unref();
    for (const p of pending) {
      p.reject(new ManagerError(error.message, { cause: error.cause }));
    }
    for (const fn of this.#onClose) fn();
    this.#onClose.clear();
  }

  /** Closes the connection; pending calls fail with ManagerError. */
  close(): void {
    this.fail(new ManagerError(`The connection to the manager is closed`));
  }

  async #readLoop(source: ChunkSource): Promise<void> {
    let cause: unknown;
    try {
      for (;;) {
        // Frames the reader holds already are answered before reading.
        let frame: Uint8Array | null;
        while ((frame = this.#reader.next()) !== null) this.#dispatch(frame);
        const chunk = await source();
        if (chunk === null) break;
        this.#reader.push(chunk);
      }
    } catch (error) {
      cause = error;
    }
    this.fail(
      new ManagerError(
        `The manager at ${this.peer} is gone: the connection ended`,
        { cause },
      ),
    );
  }

  #dispatch(frame: Uint8Array): void {
    const message = JSON.parse(readUtf8(frame, false)) as {
      id: number | null;
      result?: unknown;
      error?: RpcErrorObject;
    };
    const id = message.id;
    const pending = id === null ? undefined : this.#pending.get(id);
    if (pending === undefined) {
      // Nobody waits for it, but proxies in it own references: made and
      // dropped, they give them back.
      if (typeof message.result === "object") {
        decodeValue(message.result, this.revive);
      }
      if (message.error !== undefined && id === null) {
        // The server is closing this connection (a frame too large, a
        // limit exceeded) and says why: fail everything with that.
        this.fail(
          new ManagerError(
            `The manager at ${this.peer} closed the connection: ${message.error.message}`,
          ),
        );
      }
      return;
    }
    this.#pending.delete(id as number);
    if (this.#pending.size === 0) this.#hold?.unref();
    if (message.error !== undefined) {
      if (message.error.code === CANCELLED && "aborted" in pending) {
        pending.reject(pending.aborted);
      } else {
        pending.reject(toError(message.error, pending.method));
      }
    } else {
      pending.resolve(decodeValue(message.result, this.revive));
    }
  }
}

/** A link over a Deno connection, with a reusable read buffer. */
function connSource(conn: Deno.Conn): { link: ByteLink; source: ChunkSource } {
  const buf = new Uint8Array(64 * 1024);
  return {
    link: connLink(conn),
    source: async () => {
      const n = await conn.read(buf);
      return n === null ? null : buf.subarray(0, n);
    },
  };
}

/**
 * Connects to a manager's socket and runs the handshake.
 *
 * @throws {AuthenticationError} when either side does not prove the key.
 * @throws {ManagerError} when nothing listens at the address.
 */
export async function connectSocket(
  address: ManagerAddress,
  authkey: Uint8Array,
): Promise<RpcClient> {
  const peer = addressText(address);
  let conn: Deno.Conn;
  try {
    conn = await connectTo(
      typeof address === "string" ? { path: address } : address,
    );
  } catch (error) {
    if (error instanceof Deno.errors.NotCapable) throw error;
    throw new ManagerError(`Cannot connect to the manager at ${peer}`, {
      cause: error,
    });
  }
  const { link, source } = connSource(conn);
  const reader = new FrameReader(HANDSHAKE_MAX_FRAME_BYTES);
  let hello: Record<string, unknown>;
  try {
    hello = await answerHandshake(linkChannel(link, reader), {
      key: await importHmacKey(authkey),
      protocol: PROTOCOL,
      peer: `the manager at ${peer}`,
    });
  } catch (error) {
    try {
      conn.close();
    } catch {
      // Already closed.
    }
    if (error instanceof AuthenticationError) throw error;
    if (error instanceof ProtocolError) {
      throw new ManagerError(error.message, { cause: error });
    }
    throw new ManagerError(`Cannot connect to the manager at ${peer}`, {
      cause: error,
    });
  }
  reader.limit = 0xffffffff;
  const limit = Number(hello.maxFrameBytes);
  const client = new RpcClient(
    link,
    source,
    reader,
    peer,
    Number.isSafeInteger(limit) && limit > 0 ? limit : DEFAULT_MAX_FRAME_BYTES,
    conn,
  );
  client.revive = proxyReviver(address, toBase64(authkey), client);
  return client;
}

/** This thread's socket connections, one per manager, shared by proxies. */
const sharedClients = new Map<string, Promise<RpcClient>>();

/** The connection this thread uses for a manager, made on first use. */
export function sharedClient(
  address: ManagerAddress,
  authkey: string,
): Promise<RpcClient> {
  const cacheKey = `${addressText(address)}\n${authkey}`;
  let client = sharedClients.get(cacheKey);
  if (client === undefined) {
    client = connectSocket(address, fromBase64(authkey));
    sharedClients.set(cacheKey, client);
    client.then(
      (c) => c.onClose(() => sharedClients.delete(cacheKey)),
      () => sharedClients.delete(cacheKey),
    );
  }
  return client;
}

/** Registers a client as this thread's connection for a manager. */
export function adoptClient(
  address: ManagerAddress,
  authkey: string,
  client: RpcClient,
): void {
  const cacheKey = `${addressText(address)}\n${authkey}`;
  sharedClients.set(cacheKey, Promise.resolve(client));
  client.onClose(() => sharedClients.delete(cacheKey));
}

/** Releases objects whose owning proxy was garbage-collected. */
const finalizer = new FinalizationRegistry<ProxyRef>((ref) => {
  ref.releaseObject();
});

/** The ref behind a proxy, or `undefined` for anything else. */
export function refOf(proxy: unknown): ProxyRef | undefined {
  const identity = proxyIdentity(proxy);
  return identity instanceof ProxyRef ? identity : undefined;
}

let makeProxy: ((ref: ProxyRef) => object) | null = null;

/** Sets how a ref becomes a proxy (lib/manager_proxies.ts does, once). */
export function setProxyFactory(factory: (ref: ProxyRef) => object): void {
  makeProxy = factory;
}

/** A proxy of `ref`'s kind, owning the reference `ref` stands for. */
export function newProxy(ref: ProxyRef): object {
  const proxy = makeProxy!(ref);
  ref.own(proxy);
  return proxy;
}

/** What a proxy tag names: its object, kind and, for custom types, more. */
interface TagInfo {
  id: string;
  kind: string;
  typeid?: string;
  exposed?: string[];
}

/**
 * The reviver of a connection: every proxy tag in an answer becomes a
 * proxy that owns the reference the server took for it.
 */
export function proxyReviver(
  address: ManagerAddress,
  authkey: string,
  client: RpcClient,
): ProxyReviver {
  return (v) => {
    const info = v as TagInfo;
    const ref = new ProxyRef(info.id, info.kind, address, authkey, client);
    if (info.typeid !== undefined) {
      ref.typeid = info.typeid;
      ref.exposed = info.exposed ?? [];
    }
    const proxy = makeProxy!(ref);
    ref.own(proxy);
    return proxy;
  };
}

/** What a proxy holds: its object's id, kind and a way to reach it. */
export class ProxyRef implements ProxyIdentity {
  /** The object's id on the manager. */
  readonly id: string;
  /** The kind, such as `"dict"`. */
  readonly kind: string;
  /** Where the manager listens (for reconnecting in other threads). */
  readonly address: ManagerAddress;
  /** Base64 of the authkey. */
  readonly authkey: string;
  /** A registered type's name (custom proxies). */
  typeid: string | undefined;
  /** A registered type's callable methods (custom proxies). */
  exposed: string[] = [];
  #client: RpcClient | null;
  #connecting: Promise<RpcClient> | null = null;
  #owned = false;

  constructor(
    id: string,
    kind: string,
    address: ManagerAddress,
    authkey: string,
    client: RpcClient | null,
  ) {
    this.id = id;
    this.kind = kind;
    this.address = address;
    this.authkey = authkey;
    this.#client = client;
  }

  /** Identifies the manager (for values holding proxies). */
  get manager(): string {
    return `${addressText(this.address)}\n${this.authkey}`;
  }

  /**
   * Makes this ref own one reference to the object, given back when
   * `holder` is garbage-collected.
   */
  own(holder: object): void {
    this.#owned = true;
    markProxy(holder, this);
    finalizer.register(holder, this);
  }

  /** Gives back the owned reference (once). */
  releaseObject(): void {
    if (!this.#owned) return;
    this.#owned = false;
    const client = this.#client;
    if (client !== null && !client.failed) {
      client.notify("manager.release", [this.id]);
    }
  }

  /** Calls a method; `params` start with the object id. */
  call(
    method: string,
    params: unknown[],
    signal?: AbortSignal,
  ): Promise<unknown> {
    assertLive();
    const client = this.#client;
    if (client !== null && !client.failed) {
      return client.call(method, params, signal);
    }
    return this.#slowCall(method, params, signal);
  }

  async #slowCall(
    method: string,
    params: unknown[],
    signal?: AbortSignal,
  ): Promise<unknown> {
    const client = await this.connect();
    return client.call(method, params, signal);
  }

  /** The connection, made (or re-made) on first use in this thread. */
  connect(): Promise<RpcClient> {
    const client = this.#client;
    if (client !== null && !client.failed) return Promise.resolve(client);
    if (client !== null) {
      // The original connection is gone (the manager died): fail fast.
      return Promise.reject(
        new ManagerError(`The manager at ${client.peer} is gone`),
      );
    }
    this.#connecting ??= sharedClient(this.address, this.authkey).then(
      (c) => {
        this.#client = c;
        this.#connecting = null;
        return c;
      },
      (error) => {
        this.#connecting = null;
        throw error;
      },
    );
    return this.#connecting;
  }

  /** Takes a reference for a copy of this proxy that crosses a boundary. */
  incref(): void {
    const client = this.#client;
    if (client !== null && !client.failed) {
      client.notify("manager.incref", [this.id]);
    } else {
      this.connect().then((c) => c.notify("manager.incref", [this.id]))
        .catch(() => {});
    }
  }
}
