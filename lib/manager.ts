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
  addressText,
  adoptClient,
  connectSocket,
  mayConnect,
  newProxy,
  ProxyRef,
  proxyReviver,
  refOf,
  RpcClient,
} from "./manager/client.ts";
import { keyBytes } from "./_auth.ts";
import { entryUrl, toolkitDirs } from "./_entries.ts";
import { encodeValue } from "./manager/codec.ts";
import type { TypeSpec } from "./manager/custom.ts";
import { pairsFor } from "./manager/wire.ts";
import { permissionFlags } from "./_permission_flags.ts";
import { targetRef } from "./_target.ts";
import { checkItem, typecodeInfo } from "./_typecode.ts";
import type { Typecode } from "./value.ts";
import { DEFAULT_MAX_FRAME_BYTES, MAX_ARRAY_LENGTH } from "./manager/rpc.ts";
import { encodeFrame, FrameReader, toBase64 } from "./net/frame.ts";
import type { ReadyFrame, ServerConfig } from "./manager/server.ts";
import { checkTimeout, describe } from "./_wait.ts";
import { checkSocketAddress } from "./net/address.ts";
import {
  checkLimits,
  DEFAULT_FRAME_TIMEOUT_MS,
  DEFAULT_MAX_TOTAL_BUFFERED_BYTES,
} from "./net/limits.ts";
import { ManagerError } from "./errors.ts";
import {
  type AnyProxy,
  ArrayProxy,
  type AutoProxy,
  BarrierProxy,
  BoundedSemaphoreProxy,
  ConditionProxy,
  type CustomProxy,
  type DictKey,
  DictProxy,
  EventProxy,
  ListProxy,
  LockProxy,
  NamespaceProxy,
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
  /**
   * Milliseconds a partly received frame may wait for its next bytes; a
   * client whose frame stops arriving for longer is disconnected (and told
   * why), and every other client goes on.
   *
   * @default {30000}
   */
  frameTimeout?: number;
  /**
   * Bytes one client connection may hold buffered on the server: a frame
   * not yet complete, plus answers waiting behind a write in progress (a
   * client that stops reading). A client over it is disconnected. At least
   * `maxFrameBytes + 4`.
   *
   * @default {2 * maxFrameBytes}
   */
  maxBufferedBytes?: number;
  /**
   * Bytes all client connections together may hold buffered; when a read
   * takes the total over it, the client that read is disconnected and the
   * others are served.
   *
   * @default {67108864 (64 MiB), or maxBufferedBytes when larger}
   */
  maxTotalBufferedBytes?: number;
  /**
   * Deno permissions of the server subprocess, as a Worker's: `"none"`,
   * `"inherit"` (what this program can show it holds, as a spawned
   * Process gets: see the README's start-method section) or an
   * object such as `{ read: ["./lib"], env: ["HOME"] }`, never beyond this
   * program's own (else `Deno.errors.NotCapable`). On top, the server
   * always gets what it needs for its socket and read access to the
   * directories of the registered types' modules (to import them) and to
   * the toolkit's own files when they are local. It
   * runs the code of the types registered with {@linkcode Manager.register}
   * and nothing else: give here what that code uses (and read access to
   * what their modules import from elsewhere).
   *
   * @default {"none"}
   */
  permissions?: ManagerPermissions;
}

/**
 * Deno permissions of the manager's server subprocess: `"inherit"`,
 * `"none"`, or an object naming each permission as for a Worker. Mapped to
 * `--allow-*` flags (no unstable flag is needed).
 */
export type ManagerPermissions =
  | "inherit"
  | "none"
  | Deno.PermissionOptionsObject;

/**
 * Something that builds an object: a class, or a function returning one
 * (Python's `callable` in `BaseManager.register`).
 */
export type TypeCallable =
  // deno-lint-ignore no-explicit-any
  | (abstract new (...args: any[]) => object)
  // deno-lint-ignore no-explicit-any
  | ((...args: any[]) => object | Promise<object>);

/**
 * The object a {@linkcode TypeCallable} builds: a class's instance, or a
 * function's (awaited) result.
 *
 * @typeParam C The callable.
 */
export type InstanceOf<C> = C extends abstract new (...args: never[]) => infer I
  ? I
  : C extends (...args: never[]) => infer R ? Awaited<R>
  : never;

/**
 * The parameters of a {@linkcode TypeCallable}.
 *
 * @typeParam C The callable.
 */
export type ArgumentsOf<C> = C extends
  abstract new (...args: infer A) => unknown ? A
  : C extends (...args: infer A) => unknown ? A
  : never;

/** Options of {@linkcode Manager.register}. */
export interface RegisterOptions {
  /**
   * URL of the module that exports the callable; pass `import.meta.url`
   * when it is not the program's main module. The server imports it.
   *
   * @default {Deno.mainModule}
   */
  module?: string | URL;
  /**
   * The methods clients may call (Python's `exposed`); the server refuses
   * any other. `then` and `constructor` cannot be exposed (a proxy with
   * them would pass for a promise, or another class).
   *
   * @default {every public method: those not starting with "_"}
   */
  exposed?: readonly string[];
  /**
   * Methods whose result stays on the server, as an object of the given
   * registered type, and comes back as a proxy of it rather than as a copy
   * (Python's `method_to_typeid`).
   *
   * @default {{}}
   */
  methodToTypeid?: Readonly<Record<string, string>>;
}

/**
 * A type registered with {@linkcode Manager.register}: give it to
 * {@linkcode Manager.prototype.create} and the proxy's methods are typed
 * after the callable's.
 *
 * @typeParam C The callable.
 */
export interface ManagerType<C extends TypeCallable = TypeCallable> {
  /** The name it is registered under. */
  readonly typeid: string;
  /** The class or factory. */
  readonly callable: C;
}

/** Options of {@linkcode Manager.connect}. */
export interface ManagerConnectOptions {
  /** The address the manager listens on ({@linkcode Manager.address}). */
  address: ManagerAddress;
  /** Its authkey ({@linkcode Manager.authkey}). */
  authkey: Uint8Array | string;
}

/** Options of {@linkcode Manager.barrier}. */
export interface ManagerBarrierOptions {
  /**
   * Milliseconds every `wait` waits at most unless it gives its own;
   * running out breaks the barrier, as in Python.
   *
   * @default {Infinity}
   */
  timeout?: number;
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
  const checked = checkSocketAddress(what, address);
  return "path" in checked ? checked.path : checked;
}

function checkCount(what: string, name: string, value: unknown): void {
  if (!Number.isSafeInteger(value) || (value as number) < 0) {
    throw new RangeError(
      `${what}: ${name} must be a non-negative integer, received ${
        describe(value)
      }`,
    );
  }
}

/** The kinds a typeid may not take. */
const BUILT_IN_KINDS = new Set([
  "dict",
  "list",
  "namespace",
  "value",
  "array",
  "lock",
  "rlock",
  "semaphore",
  "boundedSemaphore",
  "event",
  "condition",
  "barrier",
  "queue",
  "custom",
]);

/** The types registered with Manager.register, by typeid. */
const registry = new Map<string, TypeSpec>();

/**
 * The registered types a new server gets, checked: every methodToTypeid
 * target must be registered too.
 */
function typesForStart(what: string): TypeSpec[] {
  const specs = [...registry.values()];
  for (const spec of specs) {
    for (const [method, target] of Object.entries(spec.methodToTypeid)) {
      if (!registry.has(target)) {
        throw new TypeError(
          `${what}: methodToTypeid.${method} of ${spec.typeid} names ${target}, which is not registered`,
        );
      }
    }
  }
  return specs;
}

/**
 * Read access to the directories of the types' local modules, and to the
 * toolkit's own files when they are local (a module that defines a type
 * usually imports the toolkit too).
 */
function typeReadDirs(specs: TypeSpec[]): string[] {
  const dirs = new Set<string>();
  for (const spec of specs) {
    const url = new URL(spec.callable.module);
    if (url.protocol === "file:") {
      dirs.add(decodeURIComponent(new URL(".", url).pathname));
    }
  }
  if (dirs.size > 0) {
    for (const dir of toolkitDirs()) {
      if (dir.protocol === "file:") dirs.add(decodeURIComponent(dir.pathname));
    }
  }
  return [...dirs];
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
  /** The registered types this server knows; `null` when connected. */
  #typeids: Set<string> | null = null;

  /** Identifies this manager for values holding proxies. */
  get #manager(): string {
    return `${addressText(this.#address)}\n${this.#authkeyText}`;
  }

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
      frameTimeout = DEFAULT_FRAME_TIMEOUT_MS,
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
    const maxBufferedBytes = options?.maxBufferedBytes ?? 2 * maxFrameBytes;
    const maxTotalBufferedBytes = options?.maxTotalBufferedBytes ??
      Math.max(DEFAULT_MAX_TOTAL_BUFFERED_BYTES, maxBufferedBytes);
    checkLimits(what, {
      frameTimeout,
      maxBufferedBytes,
      maxTotalBufferedBytes,
    }, maxFrameBytes);
    let target: ManagerAddress;
    let listen: ServerConfig["address"];
    // What the server itself needs: its socket, and the modules of the
    // registered types.
    const own = {
      read: [] as string[],
      write: [] as string[],
      net: [] as string[],
    };
    if (address === undefined && Deno.build.os === "windows") {
      target = { hostname: "127.0.0.1", port: 0 };
    } else if (address === undefined) {
      const dir = `${tempDir()}/denomp-manager-${randomHex(8)}`;
      target = `${dir}/manager.sock`;
      listen = { path: target, dir };
      own.read.push(dir);
      own.write.push(dir);
      own.net.push(`unix:${target}`);
    } else {
      target = checkAddress(what, address);
    }
    if (typeof target === "string") {
      if (listen! === undefined) {
        listen = { path: target, dir: "" };
        own.read.push(target);
        own.write.push(target);
        own.net.push(`unix:${target}`);
      }
    } else {
      listen = target;
      own.net.push(
        `${target.hostname}${target.port ? `:${target.port}` : ""}`,
      );
    }
    const types = typesForStart(what);
    own.read.push(...typeReadDirs(types));
    // The user's grants, widened by the server's own needs: a bare
    // --allow-x next to a narrower --allow-x=... would grant only the list.
    const flags = options?.permissions === undefined
      ? own.read.length > 0 ? [`--allow-read=${own.read.join(",")}`] : []
      : permissionFlags(what, options.permissions, {}, { read: own.read });
    for (const name of ["write", "net"] as const) {
      if (own[name].length > 0 && !flags.includes(`--allow-${name}`)) {
        flags.push(`--allow-${name}=${own[name].join(",")}`);
      }
    }
    const server = entryUrl("workers/manager_server");
    let child: Deno.ChildProcess;
    try {
      child = spawnDeno({
        entry: server.href,
        flags: [
          "--quiet",
          // With registered types the server imports the program's own
          // modules: let it resolve them with the program's configuration
          // (import map), found from the working directory as the program
          // found it.
          ...(types.length > 0 ? [] : ["--no-config"]),
          "--no-lock",
          ...flags,
        ],
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
      frameTimeout,
      maxBufferedBytes,
      maxTotalBufferedBytes,
      types,
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
    pipe.revive = proxyReviver(ready.address, toBase64(key), pipe);
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
    manager.#typeids = new Set(types.map((t) => t.typeid));
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
   * A new shared `dict`, with keys of any {@linkcode DictKey} type.
   *
   * @typeParam V The type of the values.
   * @typeParam K The type of the keys.
   * @param init Initial entries: a plain object, a Map or pairs.
   * @returns Its proxy.
   * @throws {TypeError} when `init` cannot be encoded.
   */
  async dict<V = unknown, K extends DictKey = DictKey>(
    init?: Record<string, V> | Map<K, V> | Iterable<readonly [K, V]>,
  ): Promise<DictProxy<V, K>> {
    const what = "Cannot create dict";
    const args = init === undefined
      ? []
      : [pairsFor(this.#manager, what, init)];
    const ref = await this.#create("dict", args);
    const proxy = new DictProxy<V, K>(ref);
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
    const args = init === undefined
      ? []
      : [encodeValue([...init], what, this.#manager)];
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
      : [encodeValue(recordOf(what, init), what, this.#manager)];
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
      encodeValue(value, what, this.#manager),
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
    checkCount("Cannot create semaphore", "value", value);
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
   * A new shared `Array` of one typecode (Python's
   * `manager.Array(typecode, sequence)`) holding bigints (`q`, `Q`).
   *
   * @param typecode `q` or `Q`.
   * @param init The items, or a length (all zero).
   * @returns Its proxy.
   * @throws {TypeError} for an item that is not a bigint.
   * @throws {RangeError} for an item out of the typecode's range, or a
   *   length over 2 ** 28.
   */
  array(
    typecode: "q" | "Q",
    init: Iterable<bigint> | number,
  ): Promise<ArrayProxy<bigint>>;
  /**
   * A new shared `Array` of one typecode (Python's
   * `manager.Array(typecode, sequence)`) holding numbers.
   *
   * @param typecode One of `b B h H i I l L f d`.
   * @param init The items, or a length (all zero).
   * @returns Its proxy.
   * @throws {TypeError} for a bad typecode or an item of the wrong type.
   * @throws {RangeError} for an item out of the typecode's range, or a
   *   length over 2 ** 28.
   *
   * @example Usage
   * ```ts
   * import { Manager } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   *
   * await using manager = await Manager.start();
   * const a = await manager.array("d", 3);
   * await a.set(0, 1.5);
   * assert.deepEqual(await a.toArray(), [1.5, 0, 0]);
   * ```
   */
  array(
    typecode: Exclude<Typecode, "q" | "Q">,
    init: Iterable<number> | number,
  ): Promise<ArrayProxy<number>>;
  async array(
    typecode: Typecode,
    init: Iterable<number | bigint> | number,
  ): Promise<ArrayProxy<number | bigint>> {
    const what = "Cannot create array";
    const info = typecodeInfo(what, typecode);
    let wire: unknown;
    if (typeof init === "number") {
      if (!Number.isSafeInteger(init) || init < 0 || init > MAX_ARRAY_LENGTH) {
        throw new RangeError(
          `${what}: size must be an integer from 0 to ${MAX_ARRAY_LENGTH}, received ${init}`,
        );
      }
      wire = init;
    } else if (
      typeof init === "object" && init !== null && Symbol.iterator in init
    ) {
      const items = [...init];
      items.forEach((item) => checkItem(what, info, item));
      wire = encodeValue(items, what);
    } else {
      throw new TypeError(
        `${what}: init must be iterable or a length, received ${
          describe(init)
        }`,
      );
    }
    const ref = await this.#create("array", [typecode, wire]);
    const proxy = new ArrayProxy<number | bigint>(ref);
    ref.own(proxy);
    return proxy;
  }

  /**
   * A new shared `BoundedSemaphore`: releasing it above `value` fails.
   *
   * @param value The initial (and largest) count.
   * @returns Its proxy.
   * @throws {RangeError} when `value` is not a non-negative integer.
   */
  async boundedSemaphore(value?: number): Promise<BoundedSemaphoreProxy> {
    if (value === undefined) value = 1;
    checkCount("Cannot create bounded semaphore", "value", value);
    const ref = await this.#create("boundedSemaphore", [value]);
    const proxy = new BoundedSemaphoreProxy(ref);
    ref.own(proxy);
    return proxy;
  }

  /**
   * A new shared `Condition`, over `lock` (a lock or rlock proxy of this
   * manager) or over a new rlock, as Python's `manager.Condition(lock)`.
   *
   * @param lock The lock to wait with.
   * @returns Its proxy.
   * @throws {TypeError} when `lock` is not a lock or rlock proxy of this
   *   manager.
   */
  async condition(lock?: LockProxy | RLockProxy): Promise<ConditionProxy> {
    const what = "Cannot create condition";
    const args: unknown[] = [];
    if (lock !== undefined) {
      const ref = refOf(lock);
      if (
        ref === undefined || (ref.kind !== "lock" && ref.kind !== "rlock") ||
        ref.manager !== this.#manager
      ) {
        throw new TypeError(
          `${what}: lock must be a lock or rlock proxy of this manager, received ${
            describe(lock)
          }`,
        );
      }
      args.push(ref.id);
    }
    const ref = await this.#create("condition", args);
    const proxy = new ConditionProxy(ref);
    ref.own(proxy);
    return proxy;
  }

  /**
   * A new shared `Barrier` for `parties` parties.
   *
   * @param parties How many must arrive.
   * @param options `timeout`: the default of every `wait`, in ms.
   * @returns Its proxy.
   * @throws {RangeError} when `parties` is not a positive integer.
   */
  async barrier(
    parties: number,
    options?: ManagerBarrierOptions,
  ): Promise<BarrierProxy> {
    const what = "Cannot create barrier";
    if (!Number.isSafeInteger(parties) || parties < 1) {
      throw new RangeError(
        `${what}: parties must be a positive integer, received ${
          describe(parties)
        }`,
      );
    }
    const timeout = checkTimeout(what, options?.timeout);
    const ref = await this.#create("barrier", [
      parties,
      timeout === Infinity ? null : timeout,
    ]);
    const proxy = new BarrierProxy(ref);
    ref.own(proxy);
    return proxy;
  }

  /**
   * Registers a type the manager can hold (Python's
   * `BaseManager.register(typeid, callable, exposed, method_to_typeid)`):
   * `callable` is an exported class or factory function, found by
   * reference (its module and export name) and imported by the server
   * subprocess, which then runs its code (see
   * {@linkcode ManagerOptions.permissions}). Register before
   * {@linkcode Manager.start}: a manager knows the types registered when
   * it started. Registering a typeid again replaces it.
   *
   * @typeParam C The class or factory.
   * @param typeid The name to create it by.
   * @param callable The exported class or factory function.
   * @param options `module`, `exposed` and `methodToTypeid`.
   * @returns The type: give it to {@linkcode Manager.prototype.create}.
   * @throws {TypeError} for a callable that is not a named function, or a
   *   bad option.
   * @throws {RangeError} for a typeid that names a built-in kind.
   *
   * @example Usage
   * ```ts ignore
   * // main.ts: deno run --allow-read=. --allow-run main.ts
   * import { Manager } from "@denomp/multiprocessing";
   *
   * export class MathsClass {
   *   add(x: number, y: number): number {
   *     return x + y;
   *   }
   *   mul(x: number, y: number): number {
   *     return x * y;
   *   }
   * }
   *
   * const Maths = Manager.register("Maths", MathsClass);
   *
   * if (import.meta.main) {
   *   await using manager = await Manager.start();
   *   const maths = await manager.create(Maths);
   *   console.log(await maths.add(4, 3)); // 7
   *   console.log(await maths.mul(7, 8)); // 56
   * }
   * ```
   */
  static register<C extends TypeCallable>(
    typeid: string,
    callable: C,
    options?: RegisterOptions,
  ): ManagerType<C> {
    const what = "Cannot register type";
    if (typeof typeid !== "string" || typeid.length === 0) {
      throw new TypeError(
        `${what}: typeid must be a non-empty string, received ${
          describe(typeid)
        }`,
      );
    }
    if (BUILT_IN_KINDS.has(typeid)) {
      throw new RangeError(
        `${what}: ${typeid} is a built-in kind; choose another typeid`,
      );
    }
    if (typeof callable !== "function") {
      throw new TypeError(
        `${what}: callable must be an exported class or function, received ${
          describe(callable)
        }`,
      );
    }
    const { module, exposed, methodToTypeid = {} } = options ?? {};
    const ref = targetRef(what, callable, module);
    let names: string[] | null = null;
    if (exposed !== undefined) {
      if (
        !Array.isArray(exposed) ||
        !exposed.every((n) => typeof n === "string" && n.length > 0)
      ) {
        throw new TypeError(
          `${what}: exposed must be a list of method names, received ${
            describe(exposed)
          }`,
        );
      }
      for (const name of ["then", "constructor"]) {
        if (exposed.includes(name)) {
          throw new TypeError(
            `${what}: "${name}" cannot be exposed (a proxy with it would pass for ${
              name === "then" ? "a promise" : "another class"
            })`,
          );
        }
      }
      names = [...new Set(exposed)];
    }
    if (typeof methodToTypeid !== "object" || methodToTypeid === null) {
      throw new TypeError(
        `${what}: methodToTypeid must be an object, received ${
          describe(methodToTypeid)
        }`,
      );
    }
    const map: Record<string, string> = {};
    for (const [method, target] of Object.entries(methodToTypeid)) {
      if (typeof target !== "string" || target.length === 0) {
        throw new TypeError(
          `${what}: methodToTypeid.${method} must be a typeid, received ${
            describe(target)
          }`,
        );
      }
      map[method] = target;
    }
    registry.set(typeid, {
      typeid,
      callable: ref,
      exposed: names,
      methodToTypeid: map,
    });
    return Object.freeze({ typeid, callable });
  }

  /**
   * A new object of a registered type, held by the manager; its proxy's
   * exposed methods are async calls to it (Python's `manager.Maths()`).
   * With the {@linkcode ManagerType} that `register` returned, arguments
   * and methods are typed after the callable.
   *
   * @typeParam C The class or factory.
   * @param type The registered type.
   * @param args The callable's arguments (copies; a proxy of a registered
   *   type arrives as its object).
   * @returns Its proxy.
   * @throws {TypeError} when the type was not registered when this manager
   *   started, or an argument cannot be encoded.
   * @throws {RemoteError} when the callable throws (its name, message and
   *   stack).
   */
  create<C extends TypeCallable>(
    type: ManagerType<C>,
    ...args: ArgumentsOf<C>
  ): Promise<CustomProxy<InstanceOf<C>>>;
  /**
   * A new object of the type registered as `typeid`, its proxy typed as
   * `T`'s methods (the manager may have been started by another program).
   *
   * @typeParam T The instance type.
   * @param typeid The registered name.
   * @param args The callable's arguments.
   * @returns Its proxy.
   * @throws {TypeError} when no such type is registered on the manager.
   * @throws {RemoteError} when the callable throws.
   */
  create<T = Record<string, unknown>>(
    typeid: string,
    ...args: unknown[]
  ): Promise<CustomProxy<T>>;
  async create(
    type: ManagerType | string,
    ...args: unknown[]
  ): Promise<AutoProxy> {
    const typeid = typeof type === "string" ? type : type?.typeid;
    const what = `Cannot create ${typeid}`;
    if (typeof typeid !== "string") {
      throw new TypeError(
        `Cannot create object: type must be a registered type or its typeid, received ${
          describe(type)
        }`,
      );
    }
    if (this.#typeids !== null && !this.#typeids.has(typeid)) {
      throw new TypeError(
        `${what}: no such type was registered when this manager started (call Manager.register() before Manager.start())`,
      );
    }
    const params = args.map((arg) => encodeValue(arg, what, this.#manager));
    let answer: unknown;
    try {
      answer = await this.#client.call("manager.createCustom", [
        typeid,
        ...params,
      ]);
    } catch (error) {
      if (error instanceof TypeError) {
        throw new TypeError(`${what}: ${error.message}`, { cause: error });
      }
      throw error;
    }
    return this.#proxyFor(answer as unknown[]) as AutoProxy;
  }

  /** A proxy owning the reference an answer `[id, kind, typeid?, exposed?]` took. */
  #proxyFor(answer: unknown[]): AnyProxy {
    const [id, kind, typeid, exposed] = answer as [
      string,
      string,
      string | undefined,
      string[] | undefined,
    ];
    const ref = new ProxyRef(
      id,
      kind,
      this.#address,
      this.#authkeyText,
      this.#client,
    );
    if (typeid !== undefined) {
      ref.typeid = typeid;
      ref.exposed = exposed ?? [];
    }
    return newProxy(ref) as AnyProxy;
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
    const answer = await this.#client.call("manager.lookup", [name]);
    return this.#proxyFor(answer as unknown[]) as P;
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
