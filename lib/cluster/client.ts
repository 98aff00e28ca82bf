// Copyright 2026 the denomp authors. MIT license.
// The client side of a cluster connection: two Redis connections (one for
// commands, one blocked reading this client's result stream), the outbox
// that seals task frames and adds them in one pipeline per turn of the
// event loop, and the routing of results to the links that wait for them.
// Private to lib/cluster/.
//
// Races this avoids:
// - A result can arrive for a batch its link has given up (a duplicate
//   after a redelivery, a cancelled batch): links drop what they do not
//   expect, so the first result wins.
// - A link can be stopped before Redis has told it its entry's id: the id
//   is cancelled as soon as it is known.
// - Results are deleted from the result stream once read, and the stream
//   itself when the client closes, so Redis keeps nothing for tasks done.

import {
  ADD_SCRIPT,
  asBuffer,
  bytesOf,
  closeRedis,
  connectRedis,
  duplicateRedis,
  ensureGroup,
  GROUP,
  lastCommands,
  type QueueKeys,
  queueKeys,
  type Redis,
  textOf,
} from "./redis.ts";
import { decodeResult, type ResultFrame, seal, unseal } from "./wire.ts";

/** A validated cluster configuration. */
export interface ClientConfig {
  url: URL;
  queue: string;
  authkey: Uint8Array;
  visibilityTimeout: number;
  maxDeliveries: number;
  connectTimeout: number;
  /** The directory `file:` task modules are relative to, or null. */
  root: string | null;
}

/** Where a link hears its results. */
export interface ResultSink {
  receive(frame: ResultFrame): void;
}

/** What the outbox is told once a task entry is in the stream (or not). */
export type Entered = (id: string | null, error: Error | null) => void;

interface Outgoing {
  payload: Uint8Array;
  entered: Entered;
}

/** Results read at most per XREAD. */
const READ_COUNT = 1024;
/** Microtask turns the reader yields after routing results (see #read). */
const ROUTE_TURNS = 4;

/** One connection of a program to a cluster queue. */
export class ClusterClient {
  readonly id: string;
  readonly config: ClientConfig;
  readonly keys: QueueKeys;
  readonly resultsKey: string;
  /** Worker processes the live hosts announced when this client connected. */
  readonly hostProcesses: number;
  #cmd: Redis;
  #reader: Redis;
  #key: Uint8Array;
  #routes = new Map<number, ResultSink>();
  #nextLink = 0;
  #outbox: Outgoing[] = [];
  #flushScheduled = false;
  #flushing = false;
  #ops = new Set<Promise<unknown>>();
  #closeHooks = new Set<() => void>();
  #closed = false;
  #closing: Promise<void> | null = null;
  #reading: Promise<void>;

  private constructor(
    id: string,
    config: ClientConfig,
    cmd: Redis,
    reader: Redis,
    hostProcesses: number,
  ) {
    this.id = id;
    this.config = config;
    this.keys = queueKeys(config.queue);
    this.resultsKey = this.keys.results(id);
    this.hostProcesses = hostProcesses;
    this.#cmd = cmd;
    this.#reader = reader;
    this.#key = config.authkey;
    this.#reading = this.#read();
  }

  /** Connects, creates the queue's group if needed and starts reading. */
  static async open(config: ClientConfig): Promise<ClusterClient> {
    const what = "Cannot connect to cluster";
    const cmd = await connectRedis(what, config.url, config.connectTimeout);
    let reader: Redis | null = null;
    try {
      reader = await duplicateRedis(
        what,
        config.url,
        cmd,
        config.connectTimeout,
      );
      const keys = queueKeys(config.queue);
      await ensureGroup(cmd, keys.tasks);
      const processes = await liveProcesses(cmd, keys);
      const id = crypto.randomUUID().replaceAll("-", "").slice(0, 16);
      return new ClusterClient(id, config, cmd, reader, processes);
    } catch (error) {
      if (reader !== null) await closeRedis(reader);
      await closeRedis(cmd);
      throw error;
    }
  }

  /** Whether `close()` has been called. */
  get closed(): boolean {
    return this.#closed;
  }

  /** Registers a link; returns its id for the frames. */
  route(sink: ResultSink): number {
    const id = ++this.#nextLink;
    this.#routes.set(id, sink);
    return id;
  }

  /** Forgets a link: its results are dropped from now on. */
  unroute(id: number): void {
    this.#routes.delete(id);
  }

  /** Runs `hook` when the client closes (before its connections go). */
  onClose(hook: () => void): () => void {
    this.#closeHooks.add(hook);
    return () => this.#closeHooks.delete(hook);
  }

  /**
   * Queues a task payload; it is sealed and added to the task stream with
   * the other payloads of this turn in one pipeline. `entered` hears the
   * entry's id, or the error.
   */
  send(payload: Uint8Array, entered: Entered): void {
    if (this.#closed) {
      entered(null, closedError());
      return;
    }
    this.#outbox.push({ payload, entered });
    if (this.#flushScheduled || this.#flushing) return;
    this.#flushScheduled = true;
    queueMicrotask(() => {
      this.#flushScheduled = false;
      this.#track(this.#flush());
    });
  }

  /**
   * Removes task entries: one no host has read is gone; one a host holds is
   * dropped from the group, and that host stops running it at its next
   * heartbeat.
   */
  cancel(ids: string[]): void {
    if (ids.length === 0 || this.#cmd.status === "end") return;
    const { tasks } = this.keys;
    const pipeline = this.#cmd.pipeline();
    pipeline.call("XACK", tasks, GROUP, ...ids);
    pipeline.call("XDEL", tasks, ...ids);
    this.#track(pipeline.exec());
  }

  /**
   * Closes the connection: close hooks run (pools fail their tasks), the
   * last commands finish, the result stream is deleted. Idempotent.
   */
  close(): Promise<void> {
    if (this.#closing !== null) return this.#closing;
    this.#closing = this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
    this.#closed = true;
    for (const hook of [...this.#closeHooks]) hook();
    this.#closeHooks.clear();
    const outbox = this.#outbox;
    this.#outbox = [];
    for (const item of outbox) item.entered(null, closedError());
    // The cancels of the hooks, then the result stream. A server that is
    // down would hold them forever: they get connectTimeout, then fail.
    await lastCommands(this.#cmd, this.config.connectTimeout, async () => {
      while (this.#ops.size > 0) await Promise.allSettled([...this.#ops]);
      await this.#cmd.call("DEL", this.resultsKey);
    });
    await closeRedis(this.#reader);
    await this.#reading;
    await closeRedis(this.#cmd);
    while (this.#ops.size > 0) await Promise.allSettled([...this.#ops]);
    this.#routes.clear();
  }

  #track<T>(promise: Promise<T>): void {
    const op = promise.then(() => {}, () => {});
    this.#ops.add(op);
    op.then(() => this.#ops.delete(op));
  }

  async #flush(): Promise<void> {
    this.#flushing = true;
    const { tasks } = this.keys;
    const { visibilityTimeout, maxDeliveries } = this.config;
    try {
      while (this.#outbox.length > 0 && !this.#closed) {
        const items = this.#outbox;
        this.#outbox = [];
        let ids: unknown[];
        try {
          const frames = items.map((item) =>
            asBuffer(seal(this.#key, item.payload))
          );
          // One entry is one XADD; several go in one script call, so that
          // a host blocked on the stream wakes once, to all of them.
          ids = frames.length === 1
            ? [
              await this.#cmd.call(
                "XADD",
                tasks,
                "*",
                "f",
                frames[0]!,
                "v",
                visibilityTimeout,
                "m",
                maxDeliveries,
                "p",
                0,
              ),
            ]
            : await this.#cmd.call(
              "EVAL",
              ADD_SCRIPT,
              1,
              tasks,
              visibilityTimeout,
              maxDeliveries,
              ...frames,
            ) as unknown[];
        } catch (error) {
          const failure = sendError(
            error instanceof Error ? error : new Error(String(error)),
          );
          for (const item of items) item.entered(null, failure);
          continue;
        }
        for (let i = 0; i < items.length; i++) {
          items[i]!.entered(textOf(ids[i]), null);
        }
      }
    } finally {
      this.#flushing = false;
      if (this.#outbox.length > 0 && !this.#closed) {
        this.#track(this.#flush());
      }
    }
  }

  async #read(): Promise<void> {
    let last = "0-0";
    // Ids of results routed last turn, deleted once the next read is out.
    let routed: string[] = [];
    while (!this.#closed) {
      let reply: unknown;
      try {
        const reading = this.#reader.callBuffer(
          "XREAD",
          "COUNT",
          READ_COUNT,
          "BLOCK",
          0,
          "STREAMS",
          this.resultsKey,
          last,
        );
        // Trim after routing: the results wait for nothing.
        if (routed.length > 0) {
          this.#track(this.#cmd.call("XDEL", this.resultsKey, ...routed));
          routed = [];
        }
        reply = await reading;
      } catch {
        if (this.#closed) return;
        // A reply the client could not take: try again shortly.
        await new Promise((resolve) => setTimeout(resolve, 100));
        continue;
      }
      const streams = reply as [unknown, [unknown, unknown[]][]][] | null;
      const entries = streams?.[0]?.[1];
      if (entries === undefined || entries.length === 0) continue;
      const frames: Uint8Array[] = [];
      for (const [id, fields] of entries) {
        routed.push(textOf(id));
        frames.push(fieldOf(fields, "f"));
      }
      last = routed[routed.length - 1]!;
      for (const sealed of frames) {
        // A frame this client cannot verify or read is not its result.
        const payload = unseal(this.#key, sealed);
        if (payload === null) continue;
        let frame: ResultFrame;
        try {
          frame = decodeResult(payload);
        } catch {
          continue;
        }
        this.#routes.get(frame.link)?.receive(frame);
      }
      // Writing the next two commands costs ~100-150 us of this thread:
      // let the code waiting for these results run first (a Future's
      // callbacks, then the caller's `await`, take a few microtask turns),
      // so that it is not behind them. The next result is a round trip
      // away; a macrotask would be too late (timers here fire after 1 ms).
      for (let i = 0; i < ROUTE_TURNS; i++) await null;
    }
  }
}

/** The bytes of field `name` of a stream entry's flat field list. */
export function fieldOf(fields: unknown[], name: string): Uint8Array {
  for (let i = 0; i + 1 < fields.length; i += 2) {
    if (textOf(fields[i]) === name) return bytesOf(fields[i + 1]);
  }
  return new Uint8Array(0);
}

/**
 * The worker processes of the hosts whose registration has not expired;
 * the names of hosts that died without saying so are dropped.
 */
async function liveProcesses(redis: Redis, keys: QueueKeys): Promise<number> {
  const names = await redis.smembers(keys.hosts);
  if (names.length === 0) return 0;
  const counts = await redis.mget(...names.map((name) => keys.host(name)));
  let total = 0;
  const gone: string[] = [];
  counts.forEach((count, i) => {
    if (count === null) gone.push(names[i]!);
    else total += Number(count) || 0;
  });
  if (gone.length > 0) await redis.srem(keys.hosts, ...gone);
  return total;
}

function closedError(): Error {
  return new Error("Cannot run task: the cluster connection is closed");
}

function sendError(error: Error): Error {
  return new Error(
    `Cannot send task to the cluster: Redis refused it: ${error.message}`,
    { cause: error },
  );
}
