// Copyright 2026 the denomp authors. MIT license.
// A cluster worker host: reads task entries from the queue's consumer
// group, runs their chunks in a local pool (the one pool core over the
// chosen start method, so its main thread stays free for Redis), and sends
// each batch's results to its client's result stream. Private to
// lib/cluster/; `serveWorker` and the CLI are its front doors.
//
// Delivery is at least once:
// - every tick (a quarter of the shortest visibility timeout held, at most
//   a second) the host resets the idle time of the entries it holds
//   (HEARTBEAT_SCRIPT), and learns which were cancelled or taken over: it
//   stops their local workers;
// - the same tick takes entries that another host has left idle longer
//   than their visibility timeout (RECLAIM_SCRIPT): a redelivered batch of
//   several chunks is split into one entry per chunk, so that a task that
//   kills its host fails alone; an entry delivered maxDeliveries times is
//   answered with WorkerCrashedError instead;
// - a result is added to the client's stream before its entry is
//   acknowledged and deleted, so a host that dies in between only causes a
//   duplicate, which the client drops.
//
// A frame whose HMAC does not verify runs nothing: it is logged and given
// back to the queue uncounted, and this host pauses its reads for a moment
// so that a host with the right authkey can take it.

import { serializeError } from "../_error_wire.ts";
import { entryUrl } from "../_entries.ts";
import type { TargetRef } from "../_target.ts";
import {
  CancelledError,
  type SerializedError,
  WorkerCrashedError,
} from "../errors.ts";
import {
  type Chunk,
  type ChunkOwner,
  ChunkState,
  FLAG_STAR,
  type PoolCore,
} from "../pool/core.ts";
import { buildCore } from "../pool/options.ts";
import { fieldOf } from "./client.ts";
import {
  asBuffer,
  type Buffer,
  bytesOf,
  closeRedis,
  connectRedis,
  duplicateRedis,
  ensureGroup,
  FINISH_SCRIPT,
  GIVE_BACK_SCRIPT,
  GROUP,
  HEARTBEAT_SCRIPT,
  lastCommands,
  type QueueKeys,
  queueKeys,
  RECLAIM_SCRIPT,
  type Redis,
  RELEASE_SCRIPT,
  runScript,
  textOf,
} from "./redis.ts";
import {
  type ChunkFailure,
  decodeTask,
  DONE,
  encodeResult,
  encodeTask,
  MIN_VISIBILITY_TIMEOUT,
  PART,
  type ResultFrame,
  seal,
  SPLIT,
  START,
  type TaskFrame,
  unpackItems,
  unseal,
} from "./wire.ts";
import { encode } from "../channel/codec.ts";

import type { WorkerStartMethod } from "./mod.ts";

/** A validated worker host configuration. */
export interface HostConfig {
  url: URL;
  queue: string;
  authkey: Uint8Array;
  processes: number;
  startMethod: WorkerStartMethod;
  /** The directory relative task modules resolve against (a file: URL). */
  root: string;
  name: string;
  connectTimeout: number;
  signal: AbortSignal | undefined;
  log: (line: string) => void;
}

/** Longest pause between two ticks (heartbeat and reclaim), ms. */
const MAX_TICK = 1000;
/** What a spawned local worker preloads: the toolkit's own child entry. */
const SPAWN_CHILD = entryUrl("workers/spawn_child");
/** Shortest pause between two ticks, ms. */
const MIN_TICK = 25;
/** How long a host's registration lives without a tick, ms. */
const HOST_TTL = 5000;
/** How long a result stream lives after its last result, ms. */
const RESULT_TTL = 24 * 3600 * 1000;
/** How long a host that refused a frame leaves the queue to others, ms. */
const REFUSED_PAUSE = 1000;
/** Abandoned entries taken per tick at most. */
const RECLAIM_COUNT = 100;
/**
 * Task entries a host holds per local process (running or next): enough
 * to hide the round trip to Redis behind work, few enough that a busy host
 * does not sit on work an idle one could take (Celery's prefetch
 * multiplier has the same default).
 */
const PREFETCH = 4;

/**
 * The host's local pool: the one pool core over the chosen start method.
 * The only place that builds it.
 */
function localCore(config: HostConfig): PoolCore {
  return buildCore(
    "Cannot serve worker",
    {
      processes: config.processes,
      startMethod: config.startMethod,
      // Task functions arrive as whole references, each with its module; a
      // spawned worker preloads only the toolkit's own child entry.
      module: SPAWN_CHILD,
    },
    "processes",
    "ClusterWorker",
  );
}

/**
 * Runs a worker host until `config.signal` aborts; then it stops its local
 * workers, gives the entries it held back to the queue and resolves.
 *
 * @throws {Error} When Redis cannot be reached.
 */
export async function runHost(config: HostConfig): Promise<void> {
  const core = localCore(config);
  const what = "Cannot serve worker";
  const onError = (error: Error) =>
    config.log(`redis connection: ${error.message}`);
  const cmd = await connectRedis(
    what,
    config.url,
    config.connectTimeout,
    onError,
  );
  let blocking: Redis;
  try {
    blocking = await duplicateRedis(
      what,
      config.url,
      cmd,
      config.connectTimeout,
      onError,
    );
  } catch (error) {
    await closeRedis(cmd);
    throw error;
  }
  const host = new Host(config, core, cmd, blocking);
  await host.run();
}

interface Incoming {
  id: string;
  frame: Uint8Array;
  /** Deliveries so far, this one included (1 for a fresh entry). */
  deliveries: number;
  /** "x" when maxDeliveries is exhausted. */
  exhausted: boolean;
  v: number;
  m: number;
}

interface Outgoing {
  key: string;
  payload: Uint8Array;
  /** The task entry to acknowledge and delete once the result is in. */
  ack: string | null;
}

class Host {
  #config: HostConfig;
  #core: PoolCore;
  #cmd: Redis;
  #blocking: Redis;
  #key: Uint8Array;
  #keys: QueueKeys;
  #held = new Map<string, EntryRun>();
  #maxHeld: number;
  #stopping = false;
  #capacity: (() => void) | null = null;
  #pause: { timer: ReturnType<typeof setTimeout>; done: () => void } | null =
    null;
  #pausedUntil = 0;
  #tickTimer: ReturnType<typeof setTimeout> | undefined;
  #ticking: Promise<void> | null = null;
  #minVt = 4 * MAX_TICK;
  #outbox: Outgoing[] = [];
  #flushScheduled = false;
  #ops = new Set<Promise<void>>();
  #refs = new Map<string, number | Error>();
  /** The error that broke the local pool: the host stops with it. */
  #fatal: Error | null = null;
  #wake: (() => void) | null = null;
  /** Where the next reclaim pass starts (RECLAIM_SCRIPT). */
  #reclaimFrom = "-";

  constructor(
    config: HostConfig,
    core: PoolCore,
    cmd: Redis,
    blocking: Redis,
  ) {
    this.#config = config;
    this.#core = core;
    this.#cmd = cmd;
    this.#blocking = blocking;
    this.#key = config.authkey;
    this.#keys = queueKeys(config.queue);
    this.#maxHeld = PREFETCH * config.processes;
  }

  async run(): Promise<void> {
    const { signal, log, name, queue, processes, startMethod } = this.#config;
    try {
      await ensureGroup(this.#cmd, this.#keys.tasks);
      // Entries still pending under this name were held by this host's
      // previous life, which died with them: nobody else takes them over
      // (the reclaim pass skips a host's own), so give them back now, their
      // delivery counted.
      const released = Number(
        await runScript(this.#cmd, RELEASE_SCRIPT, [this.#keys.tasks], [
          GROUP,
          name,
          1,
        ]),
      );
      if (released > 0) {
        log(
          `gave ${released} task entries held by a previous host named ${name} back to the queue`,
        );
      }
      await this.#cmd.pipeline()
        .call("SADD", this.#keys.hosts, name)
        .call("SET", this.#keys.host(name), processes, "PX", HOST_TTL)
        .exec();
    } catch (error) {
      await closeRedis(this.#blocking);
      await closeRedis(this.#cmd);
      throw error;
    }
    const stopped = new Promise<void>((resolve) => {
      this.#wake = resolve;
      if (signal?.aborted) resolve();
      signal?.addEventListener("abort", () => resolve(), { once: true });
    });
    log(
      `serving queue "${queue}" as ${name} with ${processes} ${startMethod} process${
        processes === 1 ? "" : "es"
      } (root ${this.#config.root})`,
    );
    this.#scheduleTick(0);
    const reading = this.#readLoop();
    await stopped;
    await this.#stop(reading);
    if (this.#fatal !== null) throw this.#fatal;
  }

  /**
   * The local pool cannot run tasks (no worker could start: a missing
   * permission, ...): every task this host took would fail for a reason
   * that is the host's, not the task's. It stops instead, giving back what
   * it held, uncounted, to the hosts that can run them.
   */
  #breakDown(error: Error): void {
    if (this.#fatal !== null || this.#stopping) return;
    this.#fatal = new Error(
      `Cannot serve worker: the local pool cannot run tasks: ${error.message}`,
      { cause: error },
    );
    this.#config.log(
      `${this.#fatal.message}; giving the task entries back and stopping`,
    );
    this.#wake?.();
  }

  // ---- reading ----

  async #readLoop(): Promise<void> {
    const { name } = this.#config;
    while (!this.#stopping) {
      // Let the local pool post what was just accepted before this loop
      // writes its next read.
      await null;
      const free = this.#maxHeld - this.#held.size;
      if (free <= 0) {
        await new Promise<void>((resolve) => this.#capacity = resolve);
        continue;
      }
      if (this.#pausedUntil > performance.now()) {
        await this.#sleep(this.#pausedUntil - performance.now());
        continue;
      }
      let reply: unknown;
      try {
        reply = await this.#blocking.callBuffer(
          "XREADGROUP",
          "GROUP",
          GROUP,
          name,
          "COUNT",
          free,
          "BLOCK",
          0,
          "STREAMS",
          this.#keys.tasks,
          ">",
        );
      } catch (error) {
        if (this.#stopping) return;
        const message = error instanceof Error ? error.message : String(error);
        this.#config.log(`cannot read tasks: ${message}`);
        if (message.startsWith("NOGROUP")) {
          // The server lost the queue (a restart without persistence).
          try {
            await ensureGroup(this.#cmd, this.#keys.tasks);
            continue;
          } catch {
            // Tried; wait as for any other error.
          }
        }
        await this.#sleep(100);
        continue;
      }
      const streams = reply as [unknown, [unknown, unknown[]][]][] | null;
      const entries = streams?.[0]?.[1] ?? [];
      this.#accept(entries.map(([id, fields]) => {
        // A fresh entry; one given back keeps the deliveries it spent (p).
        const p = Number(textOf(fieldOf(fields, "p"))) || 0;
        const m = Number(textOf(fieldOf(fields, "m"))) || 1;
        return {
          id: textOf(id),
          frame: fieldOf(fields, "f"),
          deliveries: p >= m ? p : p + 1,
          exhausted: p >= m,
          v: Number(textOf(fieldOf(fields, "v"))) || 0,
          m,
        };
      }));
    }
  }

  /** Waits `ms`, or less if the host stops. */
  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        if (this.#pause?.done === done) this.#pause = null;
        resolve();
      };
      const timer = setTimeout(done, Math.max(0, ms));
      this.#pause = { timer, done };
    });
  }

  #accept(entries: Incoming[]): void {
    for (const entry of entries) {
      // Not started when stopping: the release on stop gives it back.
      if (this.#stopping || this.#fatal !== null) return;
      const payload = unseal(this.#key, entry.frame);
      if (payload === null) {
        this.#refuse(
          entry,
          "its HMAC does not verify (is this host's authkey the clients'?)",
        );
        continue;
      }
      let frame: TaskFrame;
      try {
        frame = decodeTask(payload);
      } catch (error) {
        // Signed with the right key, but not a frame this version reads:
        // a client on another version of the toolkit.
        this.#refuse(
          entry,
          `${
            error instanceof Error ? error.message : String(error)
          } (is the toolkit the same version on the clients and this host?)`,
        );
        continue;
      }
      if (entry.v > 0) this.#minVt = Math.min(this.#minVt, entry.v);
      if (entry.exhausted) this.#exhausted(entry, frame);
      else if (
        entry.deliveries > 1 && frame.part === null && frame.c.length > 3
      ) {
        this.#split(entry, frame);
      } else this.#start(entry, frame);
    }
  }

  /**
   * Runs nothing of an entry and gives it back to the queue, uncounted; this
   * host then leaves the queue to the others for a moment.
   */
  #refuse(entry: Incoming, reason: string): void {
    this.#config.log(
      `refused task entry ${entry.id}: ${reason}; nothing ran, the entry goes back to the queue`,
    );
    this.#pausedUntil = performance.now() + REFUSED_PAUSE;
    // The deliveries spent before this one stay spent: a refusing host
    // must not give a task more runs than maxDeliveries.
    const spent = entry.exhausted ? entry.deliveries : entry.deliveries - 1;
    this.#track(
      runScript(this.#cmd, GIVE_BACK_SCRIPT, [this.#keys.tasks], [
        GROUP,
        entry.id,
        spent,
      ]),
    );
  }

  // ---- running ----

  #start(entry: Incoming, frame: TaskFrame): void {
    const run = new EntryRun(this, entry, frame);
    this.#held.set(entry.id, run);
    const c = frame.c;
    const refs = new Map(frame.refs.map((ref) => [ref[0], ref]));
    for (let k = 0; k < run.n; k++) {
      const ref = refs.get(c[3 * k] as number);
      const local = ref === undefined
        ? new TypeError("Cannot run task: its function reference is missing")
        : this.#localRef(ref[1], ref[2], ref[3]);
      if (local instanceof Error) {
        run.fail(k, local);
        continue;
      }
      let items: unknown[];
      try {
        items = unpackItems(c[3 * k + 2]);
      } catch (error) {
        run.fail(k, error);
        continue;
      }
      const chunk: Chunk = {
        fn: local,
        flags: (c[3 * k + 1] as number) & FLAG_STAR,
        items,
        timeout: 0,
        owner: run,
        tag: k,
        state: ChunkState.Queued,
      };
      try {
        chunk.flags |= this.#core.encodeItems("Cannot run task", items, "item");
      } catch (error) {
        run.fail(k, error);
        continue;
      }
      run.chunks.push(chunk);
      this.#core.enqueue(chunk);
    }
    run.check();
  }

  /** Resolves a reference against the root, once per reference. */
  #localRef(
    module: string,
    name: string,
    source: string | null,
  ): number | Error {
    const key = `${module}\0${name}\0${source ?? ""}`;
    let local = this.#refs.get(key);
    if (local === undefined) {
      local = this.#resolve(module, name, source);
      this.#refs.set(key, local);
    }
    return local;
  }

  #resolve(
    module: string,
    name: string,
    source: string | null,
  ): number | Error {
    let url: string;
    if (/^[a-z][a-z0-9+.-]*:/i.test(module)) url = module;
    else {
      // A percent-encoded relative path. `%2e%2e` is `..` to the URL
      // parser; an encoded slash or backslash is one to the file system.
      const segments = module.split("/").map((segment) =>
        segment.replace(/%2e/gi, ".")
      );
      url = new URL(module, this.#config.root).href;
      if (
        module.startsWith("/") || module.includes("\\") ||
        /%2f|%5c/i.test(module) || segments.includes("..") ||
        !url.startsWith(this.#config.root)
      ) {
        return new TypeError(
          `Cannot run task: module path ${
            JSON.stringify(module)
          } leaves the worker host's root ${this.#config.root}`,
        );
      }
    }
    const ref: TargetRef = { module: url, name, source };
    return this.#core.refId(ref);
  }

  /** Called by a run once every chunk has settled. */
  finished(run: EntryRun): void {
    const broken = this.#core.broken;
    if (broken !== null) {
      // Its failures are this host's: the entry stays, for the release.
      this.#breakDown(broken);
      return;
    }
    if (this.#held.get(run.id) === run) this.#held.delete(run.id);
    this.#capacity?.();
    this.#capacity = null;
    if (run.cancelled || this.#stopping) return;
    this.#queue({
      key: this.#keys.results(run.frame.client),
      payload: resultPayload(run),
      ack: run.id,
    });
  }

  /** Tells the client that a timed batch has started. */
  started(run: EntryRun): void {
    if (run.cancelled || this.#stopping) return;
    this.#queue({
      key: this.#keys.results(run.frame.client),
      payload: encodeResult({
        kind: START,
        link: run.frame.link,
        batch: run.frame.batch,
      }),
      ack: null,
    });
  }

  /** A redelivered batch becomes one entry per chunk (see the header). */
  #split(entry: Incoming, frame: TaskFrame): void {
    const n = frame.c.length / 3;
    this.#config.log(
      `task entry ${entry.id} was delivered ${entry.deliveries} times; splitting its ${n} tasks`,
    );
    const op = (async () => {
      const parts: Uint8Array[] = [];
      for (let k = 0; k < n; k++) {
        const fnId = frame.c[3 * k];
        parts.push(encodeTask({
          ...frame,
          refs: frame.refs.filter((ref) => ref[0] === fnId),
          c: frame.c.slice(3 * k, 3 * k + 3),
          part: [k, n],
        }));
      }
      const { tasks } = this.#keys;
      const multi = this.#cmd.multi();
      for (const payload of parts) {
        multi.call(
          "XADD",
          tasks,
          "*",
          "f",
          asBuffer(seal(this.#key, payload)),
          "v",
          entry.v,
          "m",
          entry.m,
          "p",
          entry.deliveries - 1,
        );
      }
      multi.call("XACK", tasks, GROUP, entry.id);
      multi.call("XDEL", tasks, entry.id);
      const replies = await multi.exec();
      const ids = (replies ?? []).slice(0, n).map(([, id]) => textOf(id));
      this.#queue({
        key: this.#keys.results(frame.client),
        payload: encodeResult({
          kind: SPLIT,
          link: frame.link,
          batch: frame.batch,
          ids,
        }),
        ack: null,
      });
    })();
    this.#track(op);
  }

  /** Answers an entry delivered maxDeliveries times with a crash. */
  #exhausted(entry: Incoming, frame: TaskFrame): void {
    const error: SerializedError = {
      name: "WorkerCrashedError",
      message:
        `Cannot run task: it was delivered ${entry.deliveries} times (maxDeliveries ${entry.m}) and every worker host that held it stopped answering`,
    };
    this.#config.log(
      `task entry ${entry.id} exhausted its ${entry.m} deliveries; failing it`,
    );
    let result: ResultFrame;
    if (frame.part !== null) {
      result = {
        kind: PART,
        link: frame.link,
        batch: frame.batch,
        k: frame.part[0],
        n: frame.part[1],
        values: null,
        failure: [frame.part[0], error, -1],
      };
    } else {
      const e: ChunkFailure[] = [];
      for (let k = 0; k < frame.c.length / 3; k++) e.push([k, error, -1]);
      result = { kind: DONE, link: frame.link, batch: frame.batch, r: [], e };
    }
    this.#queue({
      key: this.#keys.results(frame.client),
      payload: encodeResult(result),
      ack: entry.id,
    });
  }

  /** Stops the local work of a run whose entry is gone. */
  #cancel(run: EntryRun): void {
    if (run.cancelled) return;
    run.cancelled = true;
    if (this.#held.get(run.id) === run) this.#held.delete(run.id);
    let stopped = 0;
    for (const chunk of run.chunks) {
      const running = chunk.state === ChunkState.Dispatched;
      if (
        this.#core.abort(
          chunk,
          new CancelledError("Cannot finish task: it was cancelled"),
        ) && running
      ) stopped++;
    }
    this.#config.log(
      `task entry ${run.id} was cancelled or taken over${
        stopped > 0
          ? `; stopped the local worker${stopped === 1 ? "" : "s"} running it`
          : ""
      }`,
    );
    this.#capacity?.();
    this.#capacity = null;
  }

  // ---- sending results ----

  #queue(item: Outgoing): void {
    this.#outbox.push(item);
    if (this.#flushScheduled) return;
    this.#flushScheduled = true;
    queueMicrotask(() => {
      this.#flushScheduled = false;
      this.#track(this.#flush());
    });
  }

  async #flush(): Promise<void> {
    const items = this.#outbox;
    this.#outbox = [];
    if (items.length === 0) return;
    const args: (string | number | Buffer)[] = [GROUP, RESULT_TTL];
    for (const item of items) {
      args.push(asBuffer(seal(this.#key, item.payload)), item.ack ?? "");
    }
    await this.#cmd.call(
      "EVAL",
      FINISH_SCRIPT,
      1 + items.length,
      this.#keys.tasks,
      ...items.map((item) => item.key),
      ...args,
    );
  }

  #track(promise: Promise<unknown>): void {
    const op = promise.then(() => {}, (error) => {
      if (!this.#stopping) {
        this.#config.log(
          `redis command failed: ${
            error instanceof Error ? error.message : String(error)
          }`,
        );
      }
    });
    this.#ops.add(op);
    op.then(() => this.#ops.delete(op));
  }

  // ---- heartbeat and reclaim ----

  #scheduleTick(ms: number): void {
    if (this.#stopping) return;
    this.#tickTimer = setTimeout(() => {
      this.#tickTimer = undefined;
      this.#ticking = this.#tick().finally(() => {
        this.#ticking = null;
        let vt = this.#minVt;
        for (const run of this.#held.values()) vt = Math.min(vt, run.vt);
        this.#scheduleTick(
          Math.max(MIN_TICK, Math.min(MAX_TICK, Math.floor(vt / 4))),
        );
      });
    }, ms);
  }

  async #tick(): Promise<void> {
    const { name, processes } = this.#config;
    const { tasks } = this.#keys;
    const held = [...this.#held.keys()];
    const pipeline = this.#cmd.pipeline();
    pipeline.call("SET", this.#keys.host(name), processes, "PX", HOST_TTL);
    pipeline.callBuffer(
      "EVAL",
      RECLAIM_SCRIPT,
      1,
      tasks,
      GROUP,
      name,
      MIN_VISIBILITY_TIMEOUT,
      RECLAIM_COUNT,
      this.#reclaimFrom,
    );
    if (held.length > 0) {
      pipeline.call("EVAL", HEARTBEAT_SCRIPT, 1, tasks, GROUP, name, ...held);
    }
    let replies: [Error | null, unknown][] | null;
    try {
      replies = await pipeline.exec();
    } catch (error) {
      if (!this.#stopping) {
        this.#config.log(
          `heartbeat failed: ${
            error instanceof Error ? error.message : String(error)
          }`,
        );
      }
      return;
    }
    if (this.#stopping || replies === null) return;
    const [, reclaimed] = replies[1] ?? [null, null];
    let reclaimReply: unknown = null;
    if (Array.isArray(reclaimed) && reclaimed.length === 2) {
      this.#reclaimFrom = textOf(reclaimed[0]);
      reclaimReply = reclaimed[1];
    }
    if (held.length > 0) {
      const [error, kept] = replies[2] ?? [null, null];
      if (error === null && Array.isArray(kept)) {
        const still = new Set(kept.map(textOf));
        for (const id of held) {
          const run = this.#held.get(id);
          if (run !== undefined && !still.has(id)) this.#cancel(run);
        }
      }
    }
    if (Array.isArray(reclaimReply) && reclaimReply.length > 0) {
      const entries: Incoming[] = [];
      for (const item of reclaimReply as unknown[][]) {
        const [id, kind, count, f, v, m] = item;
        entries.push({
          id: textOf(id),
          frame: f instanceof Uint8Array ? bytesOf(f) : new Uint8Array(0),
          deliveries: Number(count),
          exhausted: textOf(kind) === "x",
          v: Number(textOf(v)),
          m: Number(textOf(m)),
        });
        this.#config.log(
          `took over task entry ${textOf(id)} (delivery ${Number(count)})`,
        );
      }
      this.#accept(entries);
    }
  }

  // ---- stopping ----

  async #stop(reading: Promise<void>): Promise<void> {
    this.#stopping = true;
    const { log, name } = this.#config;
    clearTimeout(this.#tickTimer);
    this.#pause?.done();
    this.#capacity?.();
    for (const run of this.#held.values()) run.cancelled = true;
    this.#held.clear();
    this.#core.terminate(
      new CancelledError("Cannot finish task: the worker host is stopping"),
    );
    await closeRedis(this.#blocking);
    await reading;
    // A server that is down would hold the last commands forever: they get
    // connectTimeout, then fail when the connection closes.
    let done = false;
    let late = false;
    await lastCommands(this.#cmd, this.#config.connectTimeout, async () => {
      if (this.#ticking !== null) await this.#ticking;
      while (this.#ops.size > 0) await Promise.allSettled([...this.#ops]);
      try {
        const released = await runScript(
          this.#cmd,
          RELEASE_SCRIPT,
          [this.#keys.tasks],
          [GROUP, name, 0],
        );
        if (Number(released) > 0) {
          log(
            `gave ${
              Number(released)
            } unfinished task entries back to the queue`,
          );
        }
        await this.#cmd.pipeline()
          .call("DEL", this.#keys.host(name))
          .call("SREM", this.#keys.hosts, name)
          .call("XGROUP", "DELCONSUMER", this.#keys.tasks, GROUP, name)
          .exec();
        done = true;
      } catch (error) {
        if (late) return;
        log(
          `could not give back unfinished entries: ${
            error instanceof Error ? error.message : String(error)
          }`,
        );
        done = true;
      }
    });
    if (!done) {
      late = true;
      log(
        `could not give back unfinished entries: Redis is down or did not answer within ${this.#config.connectTimeout} ms; they go back after their visibility timeout`,
      );
    }
    await this.#core.shutdown();
    await closeRedis(this.#cmd);
    if (this.#ticking !== null) await this.#ticking;
    while (this.#ops.size > 0) await Promise.allSettled([...this.#ops]);
    log("stopped");
  }
}

/** One task entry being run: its chunks' outcomes. */
class EntryRun implements ChunkOwner {
  readonly id: string;
  readonly frame: TaskFrame;
  readonly vt: number;
  readonly n: number;
  readonly chunks: Chunk[] = [];
  cancelled = false;
  /** Per chunk: its values, or its failure. */
  readonly outcomes: ({ values: unknown[] } | { failure: ChunkFailure })[];
  #host: Host;
  #left: number;
  #started = false;
  #finished = false;

  constructor(host: Host, entry: Incoming, frame: TaskFrame) {
    this.#host = host;
    this.id = entry.id;
    this.frame = frame;
    this.vt = entry.v > 0 ? entry.v : 4 * MAX_TICK;
    this.n = frame.c.length / 3;
    this.outcomes = new Array(this.n);
    this.#left = this.n;
  }

  chunkDispatched(): void {
    if (this.frame.timed && !this.#started) {
      this.#started = true;
      this.#host.started(this);
    }
  }

  chunkDone(chunk: Chunk, values: unknown[], offset: number): void {
    this.outcomes[chunk.tag] = {
      values: values.slice(offset, offset + chunk.items.length),
    };
    this.#left--;
    this.check();
  }

  chunkFailed(chunk: Chunk, error: Error): void {
    this.fail(chunk.tag, error);
    this.check();
  }

  /** Records chunk `k` as failed (before or while running). */
  fail(k: number, error: unknown): void {
    if (this.outcomes[k] !== undefined) return;
    this.outcomes[k] = {
      failure: [
        k,
        serializeError(error),
        error instanceof WorkerCrashedError ? error.exitCode : null,
      ],
    };
    this.#left--;
  }

  /** Reports the run once every chunk has settled. */
  check(): void {
    if (this.#left > 0 || this.#finished) return;
    this.#finished = true;
    this.#host.finished(this);
  }
}

/**
 * The result of a finished run. A value the codec cannot carry back fails
 * its own chunk with a TypeError; the other chunks keep their values.
 */
function resultPayload(run: EntryRun): Uint8Array {
  const build = (): Uint8Array => {
    const { link, batch, part } = run.frame;
    if (part !== null) {
      const outcome = run.outcomes[0]!;
      return encodeResult({
        kind: PART,
        link,
        batch,
        k: part[0],
        n: part[1],
        values: "values" in outcome ? outcome.values : null,
        failure: "failure" in outcome
          ? [part[0], outcome.failure[1], outcome.failure[2]]
          : null,
      });
    }
    const r: unknown[] = [];
    const e: ChunkFailure[] = [];
    for (const outcome of run.outcomes) {
      if ("values" in outcome) r.push(...outcome.values);
      else e.push(outcome.failure);
    }
    return encodeResult({
      kind: DONE,
      link,
      batch,
      r,
      e: e.length > 0 ? e : null,
    });
  };
  try {
    return build();
  } catch {
    for (let k = 0; k < run.outcomes.length; k++) {
      const outcome = run.outcomes[k]!;
      if (!("values" in outcome)) continue;
      const what = "Cannot return result";
      try {
        encode(outcome.values, what);
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        run.outcomes[k] = {
          failure: [
            k,
            serializeError(
              new TypeError(
                `${what}: a task's result cannot be sent back from a worker host (${
                  reason.startsWith(`${what}: `)
                    ? reason.slice(what.length + 2)
                    : reason
                })`,
              ),
            ),
            null,
          ],
        };
      }
    }
    return build();
  }
}
