// Copyright 2026 the denomp authors. MIT license.
/**
 * The same `Pool` and `ProcessPoolExecutor` across machines, on Redis (or
 * Valkey) Streams: a client connects to a queue with
 * {@linkcode Cluster.connect}, and worker hosts on any machine serve it with
 * {@linkcode serveWorker} or the CLI
 * (`deno run -A jsr:@denomp/multiprocessing/cluster/worker --url redis://host:6379`).
 *
 * This is the one part of the toolkit with a dependency (the Redis client
 * `npm:ioredis`); a program that never imports `./cluster` never downloads
 * it.
 *
 * Delivery is at least once: a task whose worker host stops answering for
 * `visibilityTimeout` is delivered to another host, and a task may run more
 * than once, so **tasks should be idempotent**. After `maxDeliveries` its
 * Future fails with `WorkerCrashedError`. The first result for a task wins.
 * Functions travel by reference: the code must be the same on every machine,
 * at the same paths relative to the client's `root` and the hosts' `--root`.
 *
 * Permissions: `--allow-net` for the Redis address and `--allow-env` (the
 * Redis client reads its environment); worker hosts also need
 * `--allow-read` for the task modules.
 *
 * ```ts
 * import { Cluster, serveWorker } from "@denomp/multiprocessing/cluster";
 * import assert from "node:assert/strict";
 * import { startRedis } from "../../tests/_redis.ts";
 *
 * await using redis = await startRedis(); // a redis-server on a free port
 * const root = new URL("../../tests/fixtures/", import.meta.url);
 * // A worker host (usually the CLI, on another machine).
 * const stop = new AbortController();
 * const host = serveWorker({ url: redis.url, root, processes: 1, signal: stop.signal });
 *
 * const cluster = await Cluster.connect({ url: redis.url, root });
 * const module = new URL("cluster_targets.ts", root);
 * const pool = new cluster.Pool({ processes: 1, module });
 * assert.deepEqual(await pool.map("square", [1, 2, 3]), [1, 4, 9]);
 * pool.terminate();
 * await cluster.close();
 * stop.abort();
 * await host;
 * ```
 *
 * @module
 */

import { keyBytes } from "../_auth.ts";
import { targetModule } from "../_target.ts";
import { describe } from "../_wait.ts";
import { ProcessPoolExecutor } from "../executor.ts";
import { Pool, type PoolOptions } from "../pool.ts";
import { TRANSPORT } from "../pool/options.ts";
import type { ProcessPoolExecutorOptions } from "../executor.ts";
import { cpuCount } from "../process.ts";
import { type ClientConfig, ClusterClient } from "./client.ts";
import { runHost } from "./host.ts";
import { redisAddress } from "./redis.ts";
import { checkRedisUrl } from "./redis.ts";
import { ClusterTransport } from "./transport.ts";
import { MIN_VISIBILITY_TIMEOUT } from "./wire.ts";

/** The authkey when neither the option nor `DENOMP_AUTHKEY` gives one. */
const DEFAULT_AUTHKEY = "denomp-cluster";
/** The environment variable that gives the default authkey. */
const AUTHKEY_ENV = "DENOMP_AUTHKEY";

/** Options for {@linkcode Cluster.connect}. */
export interface ClusterOptions {
  /** The Redis (or Valkey) server, as `redis://[:password@]host:port[/db]` or `rediss://`. */
  url: string | URL;
  /**
   * The queue's name: its keys in Redis start with it. Clients and worker
   * hosts of the same queue share work.
   *
   * @default {"mp"}
   */
  queue?: string;
  /**
   * The key every task and result frame is signed with (HMAC-SHA256); a
   * worker host runs nothing it cannot verify. Every client and host of a
   * queue must use the same key.
   *
   * @default {the DENOMP_AUTHKEY environment variable, else a fixed public key (no secrecy: set one)}
   */
  authkey?: Uint8Array | string;
  /**
   * Milliseconds a worker host may go without a heartbeat before the task
   * it holds is given to another host. At least 100.
   *
   * @default {30000}
   */
  visibilityTimeout?: number;
  /**
   * Deliveries a task may take; once that many hosts holding it stopped
   * answering, its Future fails with `WorkerCrashedError`.
   *
   * @default {3}
   */
  maxDeliveries?: number;
  /**
   * Milliseconds `connect` may take before it fails.
   *
   * @default {5000}
   */
  connectTimeout?: number;
  /**
   * The directory that `file:` task modules are relative to: a module
   * `<root>/jobs/etl.ts` travels as `jobs/etl.ts` and is imported from
   * `<host root>/jobs/etl.ts` on the worker host. A URL or a path.
   *
   * @default {the main module's directory}
   */
  root?: string | URL;
}

/** Options for a cluster {@linkcode Cluster.prototype.Pool}. */
export interface ClusterPoolOptions {
  /**
   * Worker processes across the cluster to keep busy: how many lanes of
   * batches the pool keeps in flight, and what `map`'s default chunk size
   * divides by.
   *
   * @default {the worker processes of the live hosts at connect, else cpuCount()}
   */
  processes?: number;
  /**
   * URL of the module that exports the task functions; a `file:` module
   * must be under the cluster's `root`.
   *
   * @default {Deno.mainModule}
   */
  module?: string | URL;
}

/** Options for a cluster {@linkcode Cluster.prototype.ProcessPoolExecutor}. */
export interface ClusterExecutorOptions {
  /**
   * Worker processes across the cluster to keep busy.
   *
   * @default {the worker processes of the live hosts at connect, else cpuCount()}
   */
  maxWorkers?: number;
  /**
   * URL of the module that exports the task functions; a `file:` module
   * must be under the cluster's `root`.
   *
   * @default {Deno.mainModule}
   */
  module?: string | URL;
}

/** The `Pool` class of a cluster: `new cluster.Pool(options)`. */
export interface ClusterPoolConstructor {
  /**
   * Creates a pool whose tasks run on the cluster's worker hosts.
   *
   * @param options `processes`, `module`.
   */
  new (options?: ClusterPoolOptions): Pool;
}

/** The `ProcessPoolExecutor` class of a cluster. */
export interface ClusterExecutorConstructor {
  /**
   * Creates an executor whose tasks run on the cluster's worker hosts.
   *
   * @param options `maxWorkers`, `module`.
   */
  new (options?: ClusterExecutorOptions): ProcessPoolExecutor;
}

/**
 * A connection to a cluster queue on Redis. Its `Pool` and
 * `ProcessPoolExecutor` are the toolkit's own classes, driven over Redis
 * Streams: every method works as on one machine (`map`, `imap` with a
 * bounded window, `submit` with Futures that `asCompleted` and `wait`
 * accept, `signal`, per-task `timeout`, `terminate`, `await using`).
 *
 * Tasks travel in batches (many tasks per stream entry, entries added in
 * one pipeline), values in the toolkit codec, each frame signed with the
 * authkey. A value the codec refuses (a function, a class instance with
 * methods, a shared object) is a `TypeError` at submit. Closing the cluster
 * fails the tasks its pools still wait for.
 *
 * @example Usage
 * ```ts
 * import { asCompleted } from "@denomp/multiprocessing";
 * import { Cluster, serveWorker } from "@denomp/multiprocessing/cluster";
 * import assert from "node:assert/strict";
 * import { startRedis } from "../../tests/_redis.ts";
 *
 * await using redis = await startRedis();
 * const root = new URL("../../tests/fixtures/", import.meta.url);
 * const stop = new AbortController();
 * const host = serveWorker({ url: redis.url, root, processes: 2, signal: stop.signal });
 *
 * const cluster = await Cluster.connect({ url: redis.url, root });
 * const executor = new cluster.ProcessPoolExecutor({
 *   maxWorkers: 2,
 *   module: new URL("cluster_targets.ts", root),
 * });
 * const futures = [1, 2, 3].map((x) => executor.submit("square", x));
 * let total = 0;
 * for await (const f of asCompleted(futures)) total += await f.result() as number;
 * assert.equal(total, 14);
 * await executor.shutdown();
 * await cluster.close();
 * stop.abort();
 * await host;
 * ```
 */
export class Cluster {
  #client: ClusterClient;
  #Pool: ClusterPoolConstructor | null = null;
  #Executor: ClusterExecutorConstructor | null = null;

  private constructor(client: ClusterClient) {
    this.#client = client;
  }

  /**
   * Connects to a queue on a Redis server: creates the queue's consumer
   * group if it is new, and starts reading this client's result stream.
   *
   * @param options `url` (required), `queue`, `authkey`,
   * `visibilityTimeout`, `maxDeliveries`, `connectTimeout`, `root`.
   * @returns The connected cluster.
   * @throws {TypeError} If an option has the wrong type.
   * @throws {RangeError} If a number is out of range.
   * @throws {Error} If the server cannot be reached within
   * `connectTimeout`; the message names its address.
   */
  static async connect(options: ClusterOptions): Promise<Cluster> {
    const config = checkClusterOptions("Cannot connect to cluster", options);
    return new Cluster(await ClusterClient.open(config));
  }

  /** The queue's name. */
  get queue(): string {
    return this.#client.config.queue;
  }

  /** Whether {@linkcode Cluster.prototype.close} has been called. */
  get closed(): boolean {
    return this.#client.closed;
  }

  /**
   * The toolkit's `Pool`, running its tasks on the cluster's worker hosts.
   * `initializer`, `maxTasksPerChild` and `permissions` belong to the
   * hosts and are refused here.
   */
  get Pool(): ClusterPoolConstructor {
    if (this.#Pool === null) {
      const client = this.#client;
      this.#Pool = class ClusterPool extends Pool {
        constructor(options?: ClusterPoolOptions) {
          super(
            coreOptions(
              client,
              "Cannot create pool",
              options,
              "processes",
            ) as PoolOptions,
          );
        }
      };
    }
    return this.#Pool;
  }

  /**
   * The toolkit's `ProcessPoolExecutor`, running its tasks on the cluster's
   * worker hosts.
   */
  get ProcessPoolExecutor(): ClusterExecutorConstructor {
    if (this.#Executor === null) {
      const client = this.#client;
      this.#Executor = class ClusterExecutor extends ProcessPoolExecutor {
        constructor(options?: ClusterExecutorOptions) {
          super(
            coreOptions(
              client,
              "Cannot create executor",
              options,
              "maxWorkers",
            ) as ProcessPoolExecutorOptions,
          );
        }
      };
    }
    return this.#Executor;
  }

  /**
   * Closes the connection. Tasks its pools and executors still wait for
   * fail, their entries are removed from the queue, and this client's
   * result stream is deleted. When Redis is down these last commands are
   * skipped, and when it does not answer they get `connectTimeout` ms;
   * the connection closes anyway (entries left in the queue then run with
   * nobody waiting for them). Idempotent.
   */
  close(): Promise<void> {
    return this.#client.close();
  }

  /** Closes the connection. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  /** A short description, for `console.log`. */
  [Symbol.for("Deno.customInspect")](): string {
    const { url, queue } = this.#client.config;
    return `Cluster { queue: ${JSON.stringify(queue)}, redis: ${
      JSON.stringify(redisAddress(url))
    }, client: ${JSON.stringify(this.#client.id)}${
      this.closed ? ", closed" : ""
    } }`;
  }
}

/**
 * How a worker host runs its local workers: `"thread"` (Web Workers in the
 * host's process) or `"spawn"` (OS processes: a real kill, its own crash
 * domain).
 */
export type WorkerStartMethod = "thread" | "spawn";

/** Options for {@linkcode serveWorker}. */
export interface ServeWorkerOptions {
  /** The Redis (or Valkey) server, as `redis://[:password@]host:port[/db]`. */
  url: string | URL;
  /**
   * The queue to serve.
   *
   * @default {"mp"}
   */
  queue?: string;
  /**
   * The key frames are verified with; it must be the clients'. A task
   * whose frame does not verify is refused, logged and given back to the
   * queue: nothing of it runs.
   *
   * @default {the DENOMP_AUTHKEY environment variable, else the clients' default}
   */
  authkey?: Uint8Array | string;
  /**
   * Local worker processes that run tasks.
   *
   * @default {cpuCount()}
   */
  processes?: number;
  /**
   * How the local workers run: `"thread"` (Web Workers) or `"spawn"` (OS
   * processes).
   *
   * @default {"thread"}
   */
  startMethod?: WorkerStartMethod;
  /**
   * The directory that the clients' `file:` task modules are resolved
   * against: the same code must be at the same paths under it.
   *
   * @default {the working directory}
   */
  root?: string | URL;
  /**
   * A name for this host, unique among the queue's live hosts.
   *
   * @default {hostname-pid-random}
   */
  name?: string;
  /**
   * Milliseconds the first connection may take.
   *
   * @default {5000}
   */
  connectTimeout?: number;
  /** Aborting stops the host: local workers end, held tasks go back to the queue. */
  signal?: AbortSignal;
  /**
   * Where the host reports what it does (started, refused frames, tasks
   * taken over, stopped). The CLI prints these lines to stderr.
   *
   * @default {no logging}
   */
  log?: (line: string) => void;
}

/**
 * Serves a cluster queue: takes tasks from Redis and runs them in a local
 * pool of `processes` workers, keeping its main thread free for Redis
 * (heartbeats, redelivery of tasks that other hosts abandoned). Resolves
 * once `signal` aborts and the host has stopped; the tasks it held go back
 * to the queue for other hosts.
 *
 * @param options `url` (required), `queue`, `authkey`, `processes`,
 * `startMethod`, `root`, `name`, `connectTimeout`, `signal`, `log`.
 * @returns A promise that resolves when the host has stopped.
 * @throws {TypeError} If an option has the wrong type.
 * @throws {RangeError} If a number is out of range or the start method is
 * unknown.
 * @throws {Error} If Redis cannot be reached, or once the local pool
 * cannot start its workers (a missing permission, ...): the host then gives
 * the tasks it took back to the queue and stops rather than fail them.
 *
 * @example Usage
 * ```ts
 * import { serveWorker } from "@denomp/multiprocessing/cluster";
 * import assert from "node:assert/strict";
 * import { startRedis } from "../../tests/_redis.ts";
 *
 * await using redis = await startRedis();
 * const lines: string[] = [];
 * const stop = new AbortController();
 * const host = serveWorker({
 *   url: redis.url,
 *   processes: 1,
 *   signal: stop.signal,
 *   log: (line) => {
 *     lines.push(line);
 *     if (line.startsWith("serving")) stop.abort();
 *   },
 * });
 * await host;
 * assert.equal(lines.at(-1), "stopped");
 * ```
 */
export async function serveWorker(options: ServeWorkerOptions): Promise<void> {
  const what = "Cannot serve worker";
  if (typeof options !== "object" || options === null) {
    throw new TypeError(
      `${what}: options must be an object, received ${describe(options)}`,
    );
  }
  const {
    queue = "mp",
    processes = cpuCount(),
    startMethod = "thread",
    connectTimeout = 5000,
    signal,
    log = () => {},
  } = options;
  const url = checkRedisUrl(what, options.url);
  checkQueue(what, queue);
  checkPositiveInteger(what, "processes", processes);
  if (startMethod !== "thread" && startMethod !== "spawn") {
    throw new RangeError(
      `${what}: startMethod must be "thread" or "spawn", received ${
        describe(startMethod)
      }`,
    );
  }
  checkPositive(what, "connectTimeout", connectTimeout);
  if (signal !== undefined && !(signal instanceof AbortSignal)) {
    throw new TypeError(
      `${what}: signal must be an AbortSignal, received ${describe(signal)}`,
    );
  }
  if (typeof log !== "function") {
    throw new TypeError(
      `${what}: log must be a function, received ${describe(log)}`,
    );
  }
  const name = options.name ?? defaultHostName();
  if (typeof name !== "string" || !/^[\x21-\x7e]{1,128}$/.test(name)) {
    throw new TypeError(
      `${what}: name must be 1 to 128 printable characters without spaces, received ${
        describe(name)
      }`,
    );
  }
  const root = options.root === undefined
    ? dirUrl(what, Deno.cwd())
    : dirUrl(what, options.root);
  const authkey = authkeyOf(what, options.authkey);
  if (
    options.authkey === undefined && Deno.env.get(AUTHKEY_ENV) === undefined
  ) {
    log(
      `no authkey given and ${AUTHKEY_ENV} is not set: using the public default key, which keeps queues apart but proves nothing`,
    );
  }
  await runHost({
    url,
    queue,
    authkey,
    processes,
    startMethod,
    root,
    name,
    connectTimeout,
    signal,
    log,
  });
}

// ---- validation ----

function checkClusterOptions(what: string, options: unknown): ClientConfig {
  if (typeof options !== "object" || options === null) {
    throw new TypeError(
      `${what}: options must be an object with a url, received ${
        describe(options)
      }`,
    );
  }
  const {
    queue = "mp",
    visibilityTimeout = 30_000,
    maxDeliveries = 3,
    connectTimeout = 5000,
  } = options as ClusterOptions;
  const url = checkRedisUrl(what, (options as ClusterOptions).url);
  checkQueue(what, queue);
  checkPositive(what, "visibilityTimeout", visibilityTimeout);
  if (visibilityTimeout < MIN_VISIBILITY_TIMEOUT) {
    throw new RangeError(
      `${what}: visibilityTimeout must be at least ${MIN_VISIBILITY_TIMEOUT} ms, received ${visibilityTimeout}`,
    );
  }
  checkPositiveInteger(what, "maxDeliveries", maxDeliveries);
  checkPositive(what, "connectTimeout", connectTimeout);
  const rootOption = (options as ClusterOptions).root;
  let root: string | null;
  if (rootOption !== undefined) root = dirUrl(what, rootOption);
  else if (Deno.mainModule.startsWith("file:")) {
    root = new URL("./", Deno.mainModule).href;
  } else root = null;
  return {
    url,
    queue,
    authkey: authkeyOf(what, (options as ClusterOptions).authkey),
    visibilityTimeout: Math.ceil(visibilityTimeout),
    maxDeliveries,
    connectTimeout,
    root,
  };
}

function checkQueue(what: string, queue: unknown): void {
  if (typeof queue !== "string" || !/^[\x21-\x7e]{1,128}$/.test(queue)) {
    throw new TypeError(
      `${what}: queue must be 1 to 128 printable characters without spaces, received ${
        describe(queue)
      }`,
    );
  }
}

function checkPositiveInteger(
  what: string,
  name: string,
  value: unknown,
): void {
  if (typeof value !== "number") {
    throw new TypeError(
      `${what}: ${name} must be a number, received ${describe(value)}`,
    );
  }
  if (!Number.isInteger(value) || value < 1) {
    throw new RangeError(
      `${what}: ${name} must be a positive integer, received ${value}`,
    );
  }
}

function checkPositive(what: string, name: string, value: unknown): void {
  if (typeof value !== "number" || Number.isNaN(value)) {
    throw new TypeError(
      `${what}: ${name} must be a number of milliseconds, received ${
        describe(value)
      }`,
    );
  }
  if (!(value > 0) || !Number.isFinite(value)) {
    throw new RangeError(
      `${what}: ${name} must be a positive finite number, received ${value}`,
    );
  }
}

function authkeyOf(what: string, authkey: unknown): Uint8Array {
  const key = authkey === undefined
    ? keyBytes(what, Deno.env.get(AUTHKEY_ENV) ?? DEFAULT_AUTHKEY)
    : keyBytes(what, authkey);
  if (key.length === 0) {
    throw new RangeError(`${what}: authkey must not be empty`);
  }
  return key;
}

/** A directory as a `file:` URL ending in `/`. */
function dirUrl(what: string, dir: unknown): string {
  let url: URL;
  if (dir instanceof URL) url = new URL(dir.href);
  else if (typeof dir === "string" && dir !== "") {
    if (/^[a-z][a-z0-9+.-]+:/i.test(dir)) url = new URL(dir);
    else {
      const absolute = dir.startsWith("/") ? dir : `${Deno.cwd()}/${dir}`;
      // encodeURI leaves `?` and `#`, which would start a query or a
      // fragment: a directory may have them in its name.
      url = new URL(
        `file://${
          encodeURI(absolute).replaceAll("?", "%3F").replaceAll("#", "%23")
        }`,
      );
    }
  } else {
    throw new TypeError(
      `${what}: root must be a directory path or a file: URL, received ${
        describe(dir)
      }`,
    );
  }
  if (url.protocol !== "file:") {
    throw new TypeError(
      `${what}: root must be a file: URL, received ${JSON.stringify(url.href)}`,
    );
  }
  return url.href.endsWith("/") ? url.href : `${url.href}/`;
}

function defaultHostName(): string {
  let host = "host";
  try {
    if (
      Deno.permissions.querySync({ name: "sys", kind: "hostname" }).state ===
        "granted"
    ) host = Deno.hostname();
  } catch {
    // No hostname: the pid and a random part still make the name unique.
  }
  const random = crypto.randomUUID().slice(0, 6);
  return `${host.replace(/[^\x21-\x7e]/g, "_")}-${Deno.pid}-${random}`;
}

const ALLOWED = new Set(["processes", "maxWorkers", "module"]);

/** Validates cluster pool options into the options of the base class. */
function coreOptions(
  client: ClusterClient,
  what: string,
  options: unknown,
  sizeKey: "processes" | "maxWorkers",
): Record<string | symbol, unknown> {
  if (options === undefined) options = {};
  else if (typeof options !== "object" || options === null) {
    throw new TypeError(
      `${what}: options must be an object, received ${describe(options)}`,
    );
  }
  for (const key of Object.keys(options as object)) {
    if (!ALLOWED.has(key) || (key !== sizeKey && key !== "module")) {
      throw new TypeError(
        `${what}: option ${key} is not available on a cluster ${
          sizeKey === "processes" ? "pool" : "executor"
        }; the worker hosts own their workers (only ${sizeKey} and module)`,
      );
    }
  }
  if (client.closed) {
    throw new Error(`${what}: the cluster connection is closed`);
  }
  const record = options as Record<string, unknown>;
  const module = record.module as string | URL | undefined;
  const url = targetModule(what, module);
  const root = client.config.root;
  if (url.startsWith("file:") && (root === null || !url.startsWith(root))) {
    throw new TypeError(
      `${what}: module ${url} is not under the cluster root ${
        root ?? "(none: the main module is not a file)"
      }; pass root to Cluster.connect, and keep the same code at the same path under each worker host's --root`,
    );
  }
  const size = record[sizeKey] ??
    (client.hostProcesses > 0 ? client.hostProcesses : cpuCount());
  return {
    [sizeKey]: size,
    ...(module === undefined ? {} : { module }),
    [TRANSPORT]: new ClusterTransport(client),
  };
}
