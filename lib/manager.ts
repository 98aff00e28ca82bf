// Copyright 2026 the denomp authors. MIT license.
/**
 * `Manager`: a subprocess (Deno's own binary, started with `Deno.Command`)
 * that serves shared objects - dict, list, namespace, value, lock, rlock,
 * semaphore, event, queue - to every Process and to other programs, over
 * JSON-RPC 2.0 after an HMAC-SHA256 challenge on the authkey. Python's
 * `multiprocessing.Manager`, async and typed. The wire is described in
 * `docs/PROTOCOL.md`.
 *
 * @module
 */

import {
  adoptClient,
  connectSocket,
  mayConnect,
  ProxyRef,
  refOf,
  RpcClient,
} from "./manager/client.ts";
import { keyBytes } from "./_auth.ts";
import { entryUrl } from "./_entries.ts";
import { encodeValue } from "./manager/codec.ts";
import {
  DEFAULT_MAX_FRAME_BYTES,
  encodeFrame,
  FrameReader,
  toBase64,
} from "./manager/rpc.ts";
import type { ReadyFrame, ServerConfig } from "./manager/server.ts";
import { describe } from "./_wait.ts";
import { ManagerError } from "./errors.ts";
import {
  type AnyProxy,
  DictProxy,
  EventProxy,
  ListProxy,
  LockProxy,
  NamespaceProxy,
  proxyOf,
  QueueProxy,
  RLockProxy,
  SemaphoreProxy,
  ValueProxy,
} from "./manager_proxies.ts";
import { spawnDeno } from "./spawn/launch.ts";

/**
 * Where a manager listens: the path of a Unix socket, or a TCP host and
 * port (`port: 0` picks a free port when starting).
 */
export type ManagerAddress = string | { hostname: string; port: number };

/** Options of {@linkcode Manager.start}. */
export interface ManagerOptions {
  /**
   * Where to listen. By default a Unix socket `manager.sock` in a fresh
   * private directory (mode 0700, socket 0600) under the temporary
   * directory (`$TMPDIR` when the program may read it, else `/tmp`); TCP
   * `{ hostname: "127.0.0.1", port: 0 }` on Windows. Give a TCP address to
   * serve other machines.
   *
   * @default {undefined}
   */
  address?: ManagerAddress;
  /**
   * The shared secret clients must prove they know. A string is taken as
   * its UTF-8 bytes.
   *
   * @default {32 random bytes}
   */
  authkey?: Uint8Array | string;
  /**
   * The largest JSON-RPC frame the server accepts, in bytes; a client that
   * sends a larger one gets an error and is disconnected.
   *
   * @default {16777216}
   */
  maxFrameBytes?: number;
}

/** Options of {@linkcode Manager.connect}. */
export interface ManagerConnectOptions {
  /** The address the manager listens on ({@linkcode Manager.address}). */
  address: ManagerAddress;
  /** Its authkey ({@linkcode Manager.authkey}). */
  authkey: Uint8Array | string;
}

/** Options of {@linkcode Manager.queue}. */
export interface ManagerQueueOptions {
  /**
   * Most items the queue holds before `put` waits; `0` means no limit.
   *
   * @default {0}
   */
  maxsize?: number;
}

function checkAddress(what: string, address: unknown): ManagerAddress {
  if (typeof address === "string" && address.length > 0) return address;
  if (typeof address === "object" && address !== null) {
    const { hostname, port } = address as {
      hostname?: unknown;
      port?: unknown;
    };
    if (typeof hostname !== "string" || hostname.length === 0) {
      throw new TypeError(
        `${what}: address.hostname must be a non-empty string, received ${
          describe(hostname)
        }`,
      );
    }
    if (
      !Number.isInteger(port) || (port as number) < 0 ||
      (port as number) > 65535
    ) {
      throw new RangeError(
        `${what}: address.port must be an integer from 0 to 65535, received ${
          describe(port)
        }`,
      );
    }
    return { hostname, port: port as number };
  }
  throw new TypeError(
    `${what}: address must be a socket path or { hostname, port }, received ${
      describe(address)
    }`,
  );
}

function tempDir(): string {
  let dir = "/tmp";
  try {
    if (
      Deno.permissions.querySync({ name: "env", variable: "TMPDIR" }).state ===
        "granted"
    ) {
      dir = Deno.env.get("TMPDIR") || dir;
    }
  } catch {
    // No permission API: keep /tmp.
  }
  return dir.length > 1 ? dir.replace(/\/+$/, "") : dir;
}

function randomHex(bytes: number): string {
  let s = "";
  for (const b of crypto.getRandomValues(new Uint8Array(bytes))) {
    s += b.toString(16).padStart(2, "0");
  }
  return s;
}

function recordOf(what: string, init: unknown): Record<string, unknown> {
  const out = Object.create(null) as Record<string, unknown>;
  if (init === undefined) return out;
  if (
    init instanceof Map || (typeof init === "object" && init !== null &&
      Symbol.iterator in init && !Array.isArray(init))
  ) {
    for (const pair of init as Iterable<unknown>) {
      if (
        !Array.isArray(pair) || pair.length !== 2 || typeof pair[0] !== "string"
      ) {
        throw new TypeError(
          `${what}: each entry must be a [key, value] pair with a string key`,
        );
      }
      out[pair[0]] = pair[1];
    }
    return out;
  }
  if (typeof init === "object" && init !== null && !Array.isArray(init)) {
    const proto = Object.getPrototypeOf(init);
    if (proto === Object.prototype || proto === null) {
      for (const k of Object.keys(init)) {
        out[k] = (init as Record<string, unknown>)[k];
      }
      return out;
    }
  }
  throw new TypeError(
    `${what}: init must be a plain object, a Map or [key, value] pairs, received ${
      describe(init)
    }`,
  );
}

/**
 * A manager: a server subprocess holding shared objects, and the proxies to
 * reach them. Start one with {@linkcode Manager.start} (which owns the
 * subprocess; shut it down with {@linkcode Manager.shutdown} or
 * `await using`) or reach a running one with {@linkcode Manager.connect}.
 *
 * The subprocess gets only the permissions it needs: read and write on its
 * own socket directory (or `--allow-net` for its TCP address). The calling
 * program needs `--allow-run`; Processes (or other programs) that use the
 * proxies connect to the socket, so they need `--allow-read` and
 * `--allow-write` on the socket path, or `--allow-net` for a TCP address.
 * The subprocess exits when the program that started it exits or dies
 * (even by SIGKILL); if the subprocess dies, every pending and later call
 * fails with {@linkcode ManagerError}.
 *
 * @example Usage
 * ```ts
 * import { Manager, Process } from "@denomp/multiprocessing";
 * import assert from "node:assert/strict";
 *
 * await using manager = await Manager.start({
 *   address: { hostname: "127.0.0.1", port: 0 },
 * });
 * const d = await manager.dict<number>();
 * const module = new URL("../tests/fixtures/manager_targets.ts", import.meta.url);
 * const p = new Process({ target: "setKey", args: [d, "answer", 42], module });
 * await p.start();
 * await p.join();
 * assert.equal(await d.get("answer"), 42);
 * ```
 */
export class Manager {
  #client: RpcClient;
  #address: ManagerAddress;
  #authkey: Uint8Array;
  #authkeyText: string;
  #child: Deno.ChildProcess | null;
  #pid: number | null;
  #stderr: Promise<string>;
  #shutdown: Promise<void> | null = null;
  #pipe: RpcClient | null = null;

  private constructor(
    client: RpcClient,
    address: ManagerAddress,
    authkey: Uint8Array,
    child: Deno.ChildProcess | null,
    pid: number | null,
    stderr: Promise<string>,
  ) {
    this.#client = client;
    this.#address = address;
    this.#authkey = authkey;
    this.#authkeyText = toBase64(authkey);
    this.#child = child;
    this.#pid = pid;
    this.#stderr = stderr;
  }

  /**
   * Starts a manager subprocess and resolves once it answers.
   *
   * @param options Address, authkey and frame limit.
   * @returns The manager.
   * @throws {TypeError} for an option of the wrong type.
   * @throws {RangeError} for an out-of-range port or frame limit.
   * @throws {ManagerError} when the subprocess cannot start.
   */
  static async start(options?: ManagerOptions): Promise<Manager> {
    const what = "Cannot start manager";
    const {
      address,
      authkey,
      maxFrameBytes = DEFAULT_MAX_FRAME_BYTES,
    } = options ?? {};
    const key = authkey === undefined
      ? crypto.getRandomValues(new Uint8Array(32))
      : keyBytes(what, authkey);
    if (
      !Number.isSafeInteger(maxFrameBytes) || maxFrameBytes < 1024 ||
      maxFrameBytes > 0xffffffff
    ) {
      throw new RangeError(
        `${what}: maxFrameBytes must be an integer from 1024 to 4294967295, received ${
          describe(maxFrameBytes)
        }`,
      );
    }
    let target: ManagerAddress;
    let listen: ServerConfig["address"];
    const flags: string[] = [];
    if (address === undefined && Deno.build.os === "windows") {
      target = { hostname: "127.0.0.1", port: 0 };
    } else if (address === undefined) {
      const dir = `${tempDir()}/denomp-manager-${randomHex(8)}`;
      target = `${dir}/manager.sock`;
      listen = { path: target, dir };
      flags.push(
        `--allow-read=${dir}`,
        `--allow-write=${dir}`,
        `--allow-net=unix:${target}`,
      );
    } else {
      target = checkAddress(what, address);
    }
    if (typeof target === "string") {
      if (listen! === undefined) {
        listen = { path: target, dir: "" };
        flags.push(
          `--allow-read=${target}`,
          `--allow-write=${target}`,
          `--allow-net=unix:${target}`,
        );
      }
    } else {
      listen = target;
      flags.push(
        `--allow-net=${target.hostname}${target.port ? `:${target.port}` : ""}`,
      );
    }
    const server = entryUrl("workers/manager_server");
    let child: Deno.ChildProcess;
    try {
      child = spawnDeno({
        entry: server.href,
        flags: ["--quiet", "--no-config", "--no-lock", ...flags],
        stdout: "piped",
        stderr: "piped",
      });
    } catch (error) {
      if (error instanceof Deno.errors.NotCapable) throw error;
      throw new ManagerError(`${what}: the subprocess did not spawn`, {
        cause: error,
      });
    }
    // Keep the last few KiB of stderr for error messages.
    const stderr = (async () => {
      let text = "";
      const decoder = new TextDecoder();
      try {
        for await (const chunk of child.stderr) {
          text = (text + decoder.decode(chunk, { stream: true })).slice(-4096);
        }
      } catch {
        // Stream ended.
      }
      return text;
    })();
    const writer = child.stdin.getWriter();
    // A BYOB reader fills one buffer again and again, where a default
    // reader allocates a fresh chunk for every read.
    const reader = child.stdout.getReader({ mode: "byob" });
    let chunkBuffer: ArrayBuffer = new ArrayBuffer(64 * 1024);
    const source = async (): Promise<Uint8Array | null> => {
      const { done, value } = await reader.read(new Uint8Array(chunkBuffer));
      if (done || value === undefined) return null;
      chunkBuffer = value.buffer as ArrayBuffer;
      return value;
    };
    let closed = false;
    const link = {
      read: () => Promise.resolve(null),
      write: async (p: Uint8Array) => {
        await writer.write(p);
        return p.length;
      },
      close: () => {
        if (closed) return;
        closed = true;
        // End of file on its stdin is the server's signal to exit.
        writer.close().catch(() => {});
        reader.cancel().catch(() => {});
      },
    };
    const config: ServerConfig = {
      authkey: toBase64(key),
      address: listen!,
      maxFrameBytes,
    };
    const frames = new FrameReader(1024 * 1024);
    let ready: ReadyFrame | null = null;
    let failure: unknown;
    try {
      await writer.write(encodeFrame(JSON.stringify(config)));
      const decoder = new TextDecoder();
      while (ready === null) {
        const frame = frames.next();
        if (frame !== null) {
          ready = JSON.parse(decoder.decode(frame)) as ReadyFrame;
          break;
        }
        const chunk = await source();
        if (chunk === null) break;
        frames.push(chunk);
      }
    } catch (error) {
      failure = error;
    }
    if (ready === null || ready.ready !== true) {
      link.close();
      try {
        child.kill("SIGKILL");
      } catch {
        // Already gone.
      }
      const status = await child.status;
      const text = (await stderr).trim();
      throw new ManagerError(
        `${what}: the subprocess exited with code ${status.code}${
          text ? `: ${text}` : ""
        }`,
        { cause: failure },
      );
    }
    frames.limit = 0xffffffff;
    // The pipe is the lifeline (its end of file stops the server) and the
    // fallback channel. When this program may use the socket, calls go
    // there instead: a socket round trip costs about half a pipe's here.
    const pipe = new RpcClient(
      link,
      source,
      frames,
      "its subprocess",
      maxFrameBytes,
      child,
    );
    let client = pipe;
    if (mayConnect(ready.address)) {
      try {
        client = await connectSocket(ready.address, key);
      } catch {
        client = pipe;
      }
    }
    const manager = new Manager(
      client,
      ready.address,
      key,
      child,
      ready.pid,
      stderr,
    );
    manager.#pipe = pipe;
    if (client !== pipe) adoptClient(ready.address, toBase64(key), client);
    child.status.then((status) => {
      const error = new ManagerError(
        `The manager process ${ready.pid} exited (code ${status.code}${
          status.signal ? `, ${status.signal}` : ""
        })`,
      );
      pipe.fail(error);
      client.fail(error);
      // A killed server cannot remove its socket directory: do it here
      // when this program may (best effort).
      const own = listen!;
      if ("dir" in own && own.dir !== "") {
        const dir = own.dir;
        try {
          if (
            Deno.permissions.querySync({ name: "write", path: dir }).state ===
              "granted"
          ) Deno.remove(dir, { recursive: true }).catch(() => {});
        } catch {
          // No permission API: leave it.
        }
      }
    });
    return manager;
  }

  /**
   * Connects to a running manager (Python's remote managers): the same
   * proxies, from another program or machine. Needs `--allow-net` for a TCP
   * address, or `--allow-read` and `--allow-write` on a socket path.
   *
   * @param options Address and authkey.
   * @returns A manager whose `shutdown()` only closes this connection.
   * @throws {AuthenticationError} when the authkey is wrong.
   * @throws {ManagerError} when nothing listens there.
   */
  static async connect(options: ManagerConnectOptions): Promise<Manager> {
    const what = "Cannot connect to manager";
    if (typeof options !== "object" || options === null) {
      throw new TypeError(
        `${what}: options must be an object, received ${describe(options)}`,
      );
    }
    const address = checkAddress(what, options.address);
    const key = keyBytes(what, options.authkey);
    const client = await connectSocket(address, key);
    adoptClient(address, toBase64(key), client);
    return new Manager(
      client,
      address,
      key,
      null,
      null,
      Promise.resolve(""),
    );
  }

  /** Where the manager listens: give it to {@linkcode Manager.connect}. */
  get address(): ManagerAddress {
    const a = this.#address;
    return typeof a === "string" ? a : { hostname: a.hostname, port: a.port };
  }

  /** A copy of the authkey. */
  get authkey(): Uint8Array {
    return this.#authkey.slice();
  }

  /** The subprocess's OS pid, or `null` for a connected manager. */
  get pid(): number | null {
    return this.#pid;
  }

  async #create(kind: string, args: unknown[]): Promise<ProxyRef> {
    const id = await this.#client.call("manager.create", [kind, ...args]);
    return new ProxyRef(
      id as string,
      kind,
      this.#address,
      this.#authkeyText,
      this.#client,
    );
  }

  /**
   * A new shared `dict`.
   *
   * @typeParam V The type of the values.
   * @param init Initial entries: a plain object, a Map or pairs.
   * @returns Its proxy.
   * @throws {TypeError} when `init` cannot be encoded.
   */
  async dict<V = unknown>(
    init?: Record<string, V> | Map<string, V> | Iterable<[string, V]>,
  ): Promise<DictProxy<V>> {
    const what = "Cannot create dict";
    const args = init === undefined
      ? []
      : [encodeValue(recordOf(what, init), what)];
    const ref = await this.#create("dict", args);
    const proxy = new DictProxy<V>(ref);
    ref.own(proxy);
    return proxy;
  }

  /**
   * A new shared `list`.
   *
   * @typeParam T The type of the items.
   * @param init Initial items.
   * @returns Its proxy.
   * @throws {TypeError} when `init` cannot be encoded.
   */
  async list<T = unknown>(init?: Iterable<T>): Promise<ListProxy<T>> {
    const what = "Cannot create list";
    if (
      init !== undefined &&
      (typeof init !== "object" || init === null || !(Symbol.iterator in init))
    ) {
      throw new TypeError(
        `${what}: init must be iterable, received ${describe(init)}`,
      );
    }
    const args = init === undefined ? [] : [encodeValue([...init], what)];
    const ref = await this.#create("list", args);
    const proxy = new ListProxy<T>(ref);
    ref.own(proxy);
    return proxy;
  }

  /**
   * A new shared `Namespace`.
   *
   * @typeParam T The attributes and their types.
   * @param init Initial attributes.
   * @returns Its proxy.
   */
  async namespace<T extends Record<string, unknown> = Record<string, unknown>>(
    init?: T,
  ): Promise<NamespaceProxy<T>> {
    const what = "Cannot create namespace";
    const args = init === undefined
      ? []
      : [encodeValue(recordOf(what, init), what)];
    const ref = await this.#create("namespace", args);
    const proxy = new NamespaceProxy<T>(ref);
    ref.own(proxy);
    return proxy;
  }

  /**
   * A new shared value (Python's `manager.Value(typecode, value)`).
   *
   * @typeParam T The type of the value.
   * @param typecode A typecode such as `"i"` or `"d"` (kept for reference).
   * @param value The initial value.
   * @returns Its proxy.
   */
  async value<T = number>(typecode: string, value: T): Promise<ValueProxy<T>> {
    const what = "Cannot create value";
    if (typeof typecode !== "string" || typecode.length === 0) {
      throw new TypeError(
        `${what}: typecode must be a non-empty string, received ${
          describe(typecode)
        }`,
      );
    }
    const ref = await this.#create("value", [
      typecode,
      encodeValue(value, what),
    ]);
    const proxy = new ValueProxy<T>(ref);
    ref.own(proxy);
    return proxy;
  }

  /**
   * A new shared `Lock`.
   *
   * @returns Its proxy.
   */
  async lock(): Promise<LockProxy> {
    const ref = await this.#create("lock", []);
    const proxy = new LockProxy(ref);
    ref.own(proxy);
    return proxy;
  }

  /**
   * A new shared `RLock`.
   *
   * @returns Its proxy.
   */
  async rlock(): Promise<RLockProxy> {
    const ref = await this.#create("rlock", []);
    const proxy = new RLockProxy(ref);
    ref.own(proxy);
    return proxy;
  }

  /**
   * A new shared `Semaphore`.
   *
   * @param value The initial count.
   * @returns Its proxy.
   * @throws {RangeError} when `value` is not a non-negative integer.
   */
  async semaphore(value?: number): Promise<SemaphoreProxy> {
    if (value === undefined) value = 1;
    if (!Number.isSafeInteger(value) || value < 0) {
      throw new RangeError(
        `Cannot create semaphore: value must be a non-negative integer, received ${
          describe(value)
        }`,
      );
    }
    const ref = await this.#create("semaphore", [value]);
    const proxy = new SemaphoreProxy(ref);
    ref.own(proxy);
    return proxy;
  }

  /**
   * A new shared `Event`.
   *
   * @returns Its proxy.
   */
  async event(): Promise<EventProxy> {
    const ref = await this.#create("event", []);
    const proxy = new EventProxy(ref);
    ref.own(proxy);
    return proxy;
  }

  /**
   * A new shared `Queue`.
   *
   * @typeParam T The type of the items.
   * @param options `maxsize`.
   * @returns Its proxy.
   * @throws {RangeError} when `maxsize` is not a non-negative integer.
   */
  async queue<T = unknown>(
    options?: ManagerQueueOptions,
  ): Promise<QueueProxy<T>> {
    const { maxsize = 0 } = options ?? {};
    if (!Number.isSafeInteger(maxsize) || maxsize < 0) {
      throw new RangeError(
        `Cannot create queue: maxsize must be a non-negative integer, received ${
          describe(maxsize)
        }`,
      );
    }
    const ref = await this.#create("queue", [maxsize]);
    const proxy = new QueueProxy<T>(ref);
    ref.own(proxy);
    return proxy;
  }

  /**
   * Registers a proxy's object under a name, so that other programs
   * connected with {@linkcode Manager.connect} can find it with
   * {@linkcode Manager.lookup} (Python's `BaseManager.register`). The name
   * keeps the object alive until it is registered again or the manager
   * stops.
   *
   * @param name Any string.
   * @param proxy A proxy of this manager.
   * @throws {TypeError} when `name` is not a string or `proxy` not a proxy.
   */
  async register(name: string, proxy: AnyProxy): Promise<void> {
    const what = "Cannot register object";
    if (typeof name !== "string") {
      throw new TypeError(
        `${what}: name must be a string, received ${describe(name)}`,
      );
    }
    const ref = refOf(proxy);
    if (ref === undefined) {
      throw new TypeError(
        `${what}: proxy must be a manager proxy, received ${describe(proxy)}`,
      );
    }
    await this.#client.call("manager.register", [name, ref.id]);
  }

  /**
   * The proxy of the object registered under `name`.
   *
   * @typeParam P The proxy type expected, such as `DictProxy<number>`.
   * @param name The name given to {@linkcode Manager.register}.
   * @returns A new proxy of that object.
   * @throws {RangeError} when nothing is registered under `name`.
   */
  async lookup<P extends AnyProxy = AnyProxy>(name: string): Promise<P> {
    if (typeof name !== "string") {
      throw new TypeError(
        `Cannot look up object: name must be a string, received ${
          describe(name)
        }`,
      );
    }
    const [id, kind] = await this.#client.call("manager.lookup", [name]) as [
      string,
      string,
    ];
    const ref = new ProxyRef(
      id,
      kind,
      this.#address,
      this.#authkeyText,
      this.#client,
    );
    const proxy = proxyOf(ref);
    ref.own(proxy);
    return proxy as P;
  }

  /**
   * Stops the subprocess (or, for a connected manager, closes the
   * connection). Idempotent. Pending and later calls through this
   * manager's proxies fail with {@linkcode ManagerError}.
   */
  shutdown(): Promise<void> {
    this.#shutdown ??= this.#stop();
    return this.#shutdown;
  }

  async #stop(): Promise<void> {
    const error = new ManagerError("The manager has been shut down");
    this.#client.fail(error);
    this.#pipe?.fail(error);
    const child = this.#child;
    if (child === null) return;
    // Closing its stdin makes it exit; kill it if it does not, promptly.
    const timer = setTimeout(() => {
      try {
        child.kill("SIGKILL");
      } catch {
        // Already gone.
      }
    }, 2000);
    await child.status;
    clearTimeout(timer);
    await this.#stderr;
  }

  /** Same as {@linkcode Manager.shutdown}. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.shutdown();
  }

  /**
   * A short description for `console.log`.
   *
   * @returns The description.
   */
  [Symbol.for("Deno.customInspect")](): string {
    const a = this.#address;
    const where = typeof a === "string" ? a : `${a.hostname}:${a.port}`;
    const state = this.#shutdown ? "shut down" : "running";
    return `Manager { address: "${where}", pid: ${this.#pid}, ${state} }`;
  }
}
