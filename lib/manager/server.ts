// Copyright 2026 the denomp authors. MIT license.
// The Manager's server, run in its own subprocess by
// workers/manager_server.ts. It reads its configuration from stdin, listens
// on a Unix socket (in a private directory it creates) or on TCP, then
// serves JSON-RPC 2.0 on every authenticated connection and on its own
// stdin/stdout (the parent's private channel). When stdin reaches end of
// file - the parent shut it down, exited or was killed - it exits.
// docs/PROTOCOL.md describes the wire. Private.

import {
  CANCELLED,
  FRAME_TOO_LARGE,
  INTERNAL_ERROR,
  INVALID_PARAMS,
  INVALID_REQUEST,
  LIMIT_EXCEEDED,
  METHOD_ERROR,
  METHOD_NOT_FOUND,
  PARSE_ERROR,
  PROTOCOL,
  type RpcErrorData,
  type RpcId,
  UNKNOWN_OBJECT,
  USER_ERROR,
} from "./rpc.ts";
import {
  type ByteLink,
  connLink,
  FrameReader,
  FrameTooLargeError,
  FrameWriter,
  fromBase64,
  readUtf8,
} from "../net/frame.ts";
import { importHmacKey } from "../_auth.ts";
import {
  HANDSHAKE_MAX_FRAME_BYTES,
  linkChannel,
  serveHandshake,
} from "../net/handshake.ts";
import {
  CancelledWait,
  kinds,
  objects,
  ParamsError,
  UnknownObjectError,
  type Waiter,
} from "./objects.ts";
import {
  loadTypes,
  NotExposedError,
  type TypeSpec,
  UserError,
} from "./custom.ts";
import { METHODS, stats } from "./methods.ts";
import { Budget, Guard } from "../net/limits.ts";
import { listenOn, noDelay } from "../net/address.ts";

/** The first frame the parent writes to the server's stdin. */
export interface ServerConfig {
  /** Base64 of the authkey. */
  authkey: string;
  /** Where to listen. */
  address: { path: string; dir: string } | { hostname: string; port: number };
  /** Largest frame accepted after the handshake. */
  maxFrameBytes: number;
  /** Milliseconds a partly received frame may wait for more bytes. */
  frameTimeout: number;
  /** Bytes one socket connection may hold buffered (in and out). */
  maxBufferedBytes: number;
  /** Bytes all socket connections together may hold buffered. */
  maxTotalBufferedBytes: number;
  /** Registered types, imported at start. */
  types: TypeSpec[];
}

/** What the server writes to stdout once it is listening. */
export interface ReadyFrame {
  ready: true;
  /** A Unix socket path, or the bound TCP address. */
  address: string | { hostname: string; port: number };
  pid: number;
}

// ---------------------------------------------------------------------------
// Connections

let nextConnId = 1;

/** One client connection (or the parent's stdio channel). */
export class Conn {
  readonly id = nextConnId++;
  readonly waiters = new Map<RpcId, Waiter>();
  /** The largest frame accepted after the handshake. */
  maxFrameBytes = 0;
  #link: ByteLink;
  #reader: FrameReader;
  #writer: FrameWriter;
  /** A socket connection's limits; the parent's channel has none. */
  #guard: Guard | undefined;
  /** Inside the frames of one read: they are checked after it, at once. */
  #reading = false;
  #closed = false;
  #left = false;
  #dropping = false;

  constructor(link: ByteLink, reader: FrameReader, guard?: Guard) {
    this.#link = link;
    this.#reader = reader;
    this.#guard = guard;
    this.#writer = new FrameWriter(
      link,
      () => this.close(),
      true,
      // What waited behind a write has gone into the next one: the budget
      // hears of it now, not at the next read (which may never come).
      guard === undefined ? undefined : () => this.#account(),
    );
  }

  get closed(): boolean {
    return this.#closed;
  }

  send(message: unknown): void {
    if (this.#closed || this.#dropping) return;
    this.#writer.sendText(JSON.stringify(message));
    if (this.#guard !== undefined && !this.#reading) this.#account();
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    try {
      this.#link.close();
    } catch {
      // Already closed.
    }
    this.#leave();
  }

  /**
   * Gives back what the connection holds and leaves its waits, kind by
   * kind (a barrier it waited at breaks), then drops any parked call left
   * (idempotent).
   */
  #leave(): void {
    if (this.#left) return;
    this.#left = true;
    for (const entry of objects.values()) {
      kinds.get(entry.kind)?.disconnect?.(entry.state, this);
    }
    for (const waiter of [...this.waiters.values()]) waiter.drop();
  }

  /**
   * Accounts for what the connection holds now, and drops it when that is
   * over a limit: after an answer queued outside a read (an async method,
   * a parked call), and whenever queued answers go into a write.
   */
  #account(): void {
    if (this.#closed || this.#dropping) return;
    const why = this.#guard!.account(
      this.#reader.buffered,
      this.#writer.backlog,
    );
    if (why !== null) {
      void this.drop(LIMIT_EXCEEDED, `Connection dropped: ${why}`);
    }
  }

  /**
   * Reads frames until end of stream; returns when the connection ends.
   * With a guard, a connection over its limits is dropped (told why).
   */
  async serve(onFrame: (frame: Uint8Array) => void): Promise<void> {
    const buf = new Uint8Array(64 * 1024);
    const guard = this.#guard;
    try {
      // Frames the reader holds already (sent right after the handshake)
      // are served before reading more.
      let first = true;
      while (!this.#closed && !this.#dropping) {
        if (!first) {
          const n = await this.#link.read(buf);
          if (n === null) break;
          this.#reader.push(buf.subarray(0, n));
        }
        first = false;
        this.#reading = true;
        for (;;) {
          let frame: Uint8Array | null;
          try {
            frame = this.#reader.next();
          } catch (error) {
            this.#reading = false;
            await this.drop(
              FRAME_TOO_LARGE,
              error instanceof FrameTooLargeError
                ? error.message
                : String(error),
            );
            return;
          }
          if (frame === null) break;
          onFrame(frame);
          if (this.#closed || this.#dropping) break;
        }
        this.#reading = false;
        // The answers to this read go out now, before the next read is
        // issued: one write for all of them, first on the critical path.
        this.#writer.flush();
        if (guard !== undefined && !this.#dropping) {
          const why = guard.check(this.#reader.buffered, this.#writer.backlog);
          if (why !== null) {
            await this.drop(LIMIT_EXCEEDED, `Connection dropped: ${why}`);
            return;
          }
        }
      }
    } catch {
      // A reset connection ends like a closed one.
    }
    this.#reading = false;
    if (!this.#dropping) this.close();
  }

  /**
   * Tells the client why (`id: null`), gives the message a moment to go
   * out, and closes the connection. From the start nothing more is served
   * to it: its parked calls are dropped at once, so that no item goes to a
   * connection on its way out.
   */
  async drop(code: number, message: string): Promise<void> {
    if (this.#closed || this.#dropping) return;
    this.#dropping = true;
    this.#guard?.release();
    this.#leave();
    this.#writer.sendText(
      JSON.stringify({ jsonrpc: "2.0", id: null, error: { code, message } }),
    );
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([
      this.#writer.drained().catch(() => {}),
      new Promise((r) => timer = setTimeout(r, 100)),
    ]);
    clearTimeout(timer);
    this.close();
  }

  /** Handles one request frame; never throws. */
  handle(frame: Uint8Array): void {
    let message: unknown;
    try {
      message = JSON.parse(readUtf8(frame, true));
    } catch {
      this.#fail(null, PARSE_ERROR, "Parse error: invalid UTF-8 or JSON");
      return;
    }
    if (typeof message !== "object" || message === null) {
      this.#fail(null, INVALID_REQUEST, "Invalid request: not an object");
      return;
    }
    if (Array.isArray(message)) {
      this.#fail(
        null,
        INVALID_REQUEST,
        "Invalid request: batches are not supported",
      );
      return;
    }
    const req = message as Record<string, unknown>;
    const hasId = Object.hasOwn(req, "id");
    const id = req.id;
    if (
      hasId && id !== null && typeof id !== "string" &&
      !(typeof id === "number" && Number.isFinite(id))
    ) {
      this.#fail(null, INVALID_REQUEST, "Invalid request: bad id");
      return;
    }
    const rid = hasId ? id as RpcId : undefined;
    const replyId = rid ?? null;
    if (req.jsonrpc !== "2.0" || typeof req.method !== "string") {
      this.#fail(
        replyId,
        INVALID_REQUEST,
        'Invalid request: jsonrpc must be "2.0" and method a string',
      );
      return;
    }
    const params = req.params ?? [];
    if (!Array.isArray(params)) {
      this.#fail(
        replyId,
        INVALID_PARAMS,
        "Invalid params: params must be an array",
      );
      return;
    }
    const method = METHODS.get(req.method);
    if (method === undefined) {
      if (rid !== undefined) {
        this.#fail(
          rid,
          METHOD_NOT_FOUND,
          `Method not found: ${req.method.slice(0, 100)}`,
        );
      }
      return;
    }
    let result: unknown;
    try {
      result = method(this, params, rid as RpcId);
    } catch (error) {
      if (rid !== undefined) this.#error(rid, error);
      return;
    }
    if (result instanceof Promise) {
      result.then(
        (value) => {
          if (rid !== undefined) this.#ok(rid, value);
        },
        (error) => {
          if (rid !== undefined) this.#error(rid, error);
        },
      );
    } else if (rid !== undefined) {
      this.#ok(rid, result);
    }
  }

  #ok(id: RpcId, result: unknown): void {
    if (this.#closed || this.#dropping) return;
    let text: string;
    try {
      text = `{"jsonrpc":"2.0","id":${JSON.stringify(id)},"result":${
        JSON.stringify(result)
      }}`;
    } catch (error) {
      this.#error(id, error);
      return;
    }
    this.#writer.sendText(text);
    if (this.#guard !== undefined && !this.#reading) this.#account();
  }

  #error(id: RpcId, error: unknown): void {
    if (error instanceof ParamsError) {
      this.#fail(id, INVALID_PARAMS, `Invalid params: ${error.message}`);
    } else if (error instanceof UnknownObjectError) {
      this.#fail(id, UNKNOWN_OBJECT, error.message);
    } else if (error instanceof CancelledWait) {
      this.#fail(id, CANCELLED, error.message);
    } else if (error instanceof NotExposedError) {
      this.#fail(id, METHOD_NOT_FOUND, error.message);
    } else if (error instanceof UserError) {
      // User code threw: its name, message and stack go to the caller.
      const thrown = error.thrown;
      const data: RpcErrorData = {
        name: thrown instanceof Error ? thrown.name : "Error",
      };
      if (thrown instanceof Error && thrown.stack !== undefined) {
        data.stack = thrown.stack;
      }
      this.#fail(id, USER_ERROR, error.message, data);
    } else if (error instanceof Error) {
      const internal = error instanceof RangeError &&
        /call stack/i.test(error.message);
      this.#fail(
        id,
        internal ? INTERNAL_ERROR : METHOD_ERROR,
        error.message,
        { name: error.name },
      );
    } else {
      this.#fail(id, INTERNAL_ERROR, "Internal error");
    }
  }

  #fail(
    id: RpcId,
    code: number,
    message: string,
    data?: RpcErrorData,
  ): void {
    const error = data ? { code, message, data } : { code, message };
    this.send({ jsonrpc: "2.0", id, error });
  }
}

async function serveSocket(
  socket: Deno.Conn,
  key: CryptoKey,
  config: ServerConfig,
  budget: Budget,
): Promise<void> {
  noDelay(socket);
  const link = connLink(socket);
  const reader = new FrameReader(HANDSHAKE_MAX_FRAME_BYTES);
  // The stall timer's callback runs only once the connection is served.
  const guard = new Guard(
    config,
    budget,
    (why) => void conn.drop(LIMIT_EXCEEDED, `Connection dropped: ${why}`),
  );
  const conn = new Conn(link, reader, guard);
  const { maxFrameBytes } = config;
  conn.maxFrameBytes = maxFrameBytes;
  const passed = await serveHandshake(linkChannel(link, reader), {
    key,
    protocol: PROTOCOL,
    extra: { maxFrameBytes },
  });
  if (!passed) {
    guard.release();
    conn.close();
    return;
  }
  reader.limit = maxFrameBytes;
  stats.accepted++;
  stats.open++;
  // Bytes sent after the handshake frame but in the same read are kept.
  await conn.serve((frame) => conn.handle(frame));
  guard.release();
  stats.open--;
}

/** Entry point of the manager subprocess. */
export async function runManagerServer(): Promise<void> {
  // One bad connection or a bug in a method must never end the server.
  globalThis.addEventListener("unhandledrejection", (e) => e.preventDefault());
  globalThis.addEventListener("error", (e) => e.preventDefault());

  const stdio: ByteLink = {
    read: (p) => Deno.stdin.read(p),
    write: (p) => Deno.stdout.write(p),
    close: () => {},
  };
  const reader = new FrameReader(64 * 1024);
  const buf = new Uint8Array(64 * 1024);
  let first: Uint8Array | null = null;
  while (first === null) {
    const n = await Deno.stdin.read(buf);
    if (n === null) Deno.exit(0);
    reader.push(buf.subarray(0, n));
    first = reader.next();
  }
  const config = JSON.parse(readUtf8(first, true)) as ServerConfig;
  const key = await importHmacKey(fromBase64(config.authkey));
  // A type that cannot be loaded stops the start, with its message.
  await loadTypes(config.types);
  let listener: Deno.Listener;
  let address: ReadyFrame["address"];
  let dir: string | null = null;
  let socketFile: string | null = null;
  if ("path" in config.address) {
    if (config.address.dir !== "") {
      dir = config.address.dir;
      // The private directory is what keeps other users out: nobody else
      // can reach the socket inside it, even in the instant before its
      // chmod.
      await Deno.mkdir(dir, { mode: 0o700 });
      await Deno.chmod(dir, 0o700);
    } else {
      // A path the user chose: the socket file is ours to remove.
      socketFile = config.address.path;
    }
    listener = listenOn({ path: config.address.path });
    await Deno.chmod(config.address.path, 0o600);
    address = config.address.path;
  } else {
    listener = listenOn(config.address);
    const bound = listener.addr as Deno.NetAddr;
    address = { hostname: bound.hostname, port: bound.port };
  }
  const socketDir = dir;
  const exit = () => {
    try {
      listener.close();
    } catch {
      // Already closed.
    }
    for (const path of [socketDir, socketFile]) {
      if (path === null) continue;
      try {
        Deno.removeSync(path, { recursive: true });
      } catch {
        // Nothing to clean.
      }
    }
    Deno.exit(0);
  };

  const parent = new Conn(stdio, reader);
  reader.limit = Math.max(config.maxFrameBytes, 64 * 1024);
  const ready: ReadyFrame = { ready: true, address, pid: Deno.pid };
  parent.send(ready);

  const budget = new Budget(config.maxTotalBufferedBytes);
  (async () => {
    try {
      for await (const socket of listener) {
        void serveSocket(socket, key, config, budget);
      }
    } catch {
      // Listener closed.
    }
  })();

  // The parent's channel: its end of file means the parent is gone.
  await parent.serve((frame) => parent.handle(frame));
  exit();
}
