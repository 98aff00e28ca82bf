var __defProp = Object.defineProperty;
var __name = (target, value) => __defProp(target, "name", { value, configurable: true });

// lib/cluster/mod.ts
import { $0_41 as keyBytes } from "./toolkit.js";
import { $0_42 as targetModule } from "./toolkit.js";
import { $0_43 as describe } from "./toolkit.js";
import { $0_44 as ProcessPoolExecutor } from "./toolkit.js";
import { $0_45 as Pool } from "./toolkit.js";
import { $0_46 as TRANSPORT } from "./toolkit.js";
import { $0_47 as cpuCount } from "./toolkit.js";

// lib/cluster/redis.ts
import { Buffer as Buffer2 } from "node:buffer";
import { Redis } from "npm:ioredis@6.0.0";
var GROUP = "workers";
function queueKeys(queue) {
  return {
    tasks: `${queue}:tasks`,
    hosts: `${queue}:hosts`,
    host: /* @__PURE__ */ __name((name) => `${queue}:host:${name}`, "host"),
    results: /* @__PURE__ */ __name((client) => `${queue}:results:${client}`, "results")
  };
}
__name(queueKeys, "queueKeys");
function redisAddress(url) {
  return `${url.hostname || "127.0.0.1"}:${url.port || "6379"}`;
}
__name(redisAddress, "redisAddress");
function checkRedisUrl(what, url) {
  let parsed = null;
  if (url instanceof URL) parsed = new URL(url.href);
  else if (typeof url === "string") {
    try {
      parsed = new URL(url);
    } catch {
      parsed = null;
    }
  } else {
    throw new TypeError(`${what}: url must be a redis:// URL string, received ${url === null ? "null" : typeof url}`);
  }
  if (parsed === null || parsed.protocol !== "redis:" && parsed.protocol !== "rediss:") {
    throw new TypeError(`${what}: url must be a redis:// or rediss:// URL, received ${JSON.stringify(String(url))}`);
  }
  return parsed;
}
__name(checkRedisUrl, "checkRedisUrl");
var DISCONNECT_TIMEOUT = 100;
async function connectRedis(what, url, timeout, onError) {
  const redis = new Redis(url.href, {
    lazyConnect: true,
    connectTimeout: timeout,
    // RESP2: the reply shapes every Redis and Valkey version shares.
    protocol: 2,
    maxRetriesPerRequest: null,
    enableOfflineQueue: false,
    retryStrategy: /* @__PURE__ */ __name(() => null, "retryStrategy"),
    disconnectTimeout: DISCONNECT_TIMEOUT
  });
  return await ready(what, url, redis, timeout, onError);
}
__name(connectRedis, "connectRedis");
async function duplicateRedis(what, url, redis, timeout, onError) {
  const copy = redis.duplicate({
    lazyConnect: true,
    enableOfflineQueue: false,
    retryStrategy: /* @__PURE__ */ __name(() => null, "retryStrategy"),
    disconnectTimeout: DISCONNECT_TIMEOUT
  });
  return await ready(what, url, copy, timeout, onError);
}
__name(duplicateRedis, "duplicateRedis");
async function ready(what, url, redis, timeout, onError) {
  let socketError = null;
  redis.on("error", (error) => {
    socketError = error;
    onError?.(error);
  });
  let timer;
  const address = redisAddress(url);
  try {
    await Promise.race([
      (async () => {
        await redis.connect();
        await redis.ping();
      })(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${what}: Redis at ${address} did not answer within ${timeout} ms`)), timeout);
      })
    ]);
  } catch (error) {
    await closeRedis(redis);
    if (error instanceof Error && error.message.startsWith(what)) throw error;
    const cause = socketError ?? error;
    throw new Error(`${what}: cannot reach Redis at ${address}: ${cause instanceof Error ? cause.message : String(cause)}`, {
      cause
    });
  } finally {
    clearTimeout(timer);
  }
  redis.options.retryStrategy = (times) => Math.min(times * 50, 2e3);
  redis.options.enableOfflineQueue = true;
  return redis;
}
__name(ready, "ready");
async function ensureGroup(redis, tasks) {
  try {
    await redis.call("XGROUP", "CREATE", tasks, GROUP, "0", "MKSTREAM");
  } catch (error) {
    if (!(error instanceof Error) || !error.message.startsWith("BUSYGROUP")) {
      throw error;
    }
  }
}
__name(ensureGroup, "ensureGroup");
async function closeRedis(redis) {
  if (redis.status === "end") return;
  if (redis.status === "wait") {
    redis.disconnect();
    return;
  }
  if (redis.status === "reconnecting" || redis.status === "close") {
    redis.disconnect();
    const internal = redis;
    const ended2 = new Promise((resolve) => redis.once("end", resolve));
    internal.setStatus("end");
    internal.flushQueue(new Error("Connection is closed."));
    await ended2;
    return;
  }
  const ended = new Promise((resolve) => redis.once("end", resolve));
  redis.disconnect();
  await ended;
}
__name(closeRedis, "closeRedis");
async function lastCommands(redis, timeout, work) {
  if (redis.status !== "ready") return;
  let timer;
  try {
    await Promise.race([
      work().catch(() => {
      }),
      new Promise((resolve) => timer = setTimeout(resolve, timeout))
    ]);
  } finally {
    clearTimeout(timer);
  }
}
__name(lastCommands, "lastCommands");
var encoder = new TextEncoder();
var decoder = new TextDecoder();
function bytesOf(value) {
  if (value instanceof Uint8Array) {
    return value.constructor === Uint8Array ? value : new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  }
  return encoder.encode(String(value));
}
__name(bytesOf, "bytesOf");
function textOf(value) {
  if (value instanceof Uint8Array) return decoder.decode(value);
  return String(value);
}
__name(textOf, "textOf");
function asBuffer(bytes) {
  return Buffer2.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
__name(asBuffer, "asBuffer");
var ADD_SCRIPT = `
local ids = {}
for i = 3, #ARGV do
  ids[#ids + 1] = redis.call('XADD', KEYS[1], '*', 'f', ARGV[i], 'v', ARGV[1], 'm', ARGV[2], 'p', 0)
end
return ids
`;
var FINISH_SCRIPT = `
local acks = {}
for i = 2, #KEYS do
  local frame, ack = ARGV[2 * i - 1], ARGV[2 * i]
  redis.call('XADD', KEYS[i], '*', 'f', frame)
  redis.call('PEXPIRE', KEYS[i], ARGV[2])
  if ack ~= '' then acks[#acks + 1] = ack end
end
if #acks > 0 then
  redis.call('XACK', KEYS[1], ARGV[1], unpack(acks))
  redis.call('XDEL', KEYS[1], unpack(acks))
end
return #acks
`;
var HEARTBEAT_SCRIPT = `
local out = {}
for i = 3, #ARGV do
  local id = ARGV[i]
  local p = redis.call('XPENDING', KEYS[1], ARGV[1], id, id, 1)
  if p[1] and p[1][2] == ARGV[2] then
    local c = redis.call('XCLAIM', KEYS[1], ARGV[1], ARGV[2], 0, id, 'JUSTID')
    if c[1] then out[#out + 1] = id end
  end
end
return out
`;
var RECLAIM_SCRIPT = `
local out = {}
local count = tonumber(ARGV[4])
local pending = redis.call('XPENDING', KEYS[1], ARGV[1], 'IDLE', tonumber(ARGV[3]), ARGV[5], '+', count)
local cursor = '-'
if #pending >= count then cursor = '(' .. pending[#pending][1] end
for _, e in ipairs(pending) do
  local id, owner, idle, count = e[1], e[2], e[3], e[4]
  if owner ~= ARGV[2] then
    local r = redis.call('XRANGE', KEYS[1], id, id)
    if #r == 0 then
      redis.call('XACK', KEYS[1], ARGV[1], id)
    else
      local f, v, m, p = nil, 30000, 3, 0
      local fields = r[1][2]
      for i = 1, #fields, 2 do
        local k = fields[i]
        if k == 'f' then f = fields[i + 1]
        elseif k == 'v' then v = tonumber(fields[i + 1])
        elseif k == 'm' then m = tonumber(fields[i + 1])
        elseif k == 'p' then p = tonumber(fields[i + 1]) end
      end
      if idle >= v then
        if count + p >= m then
          redis.call('XCLAIM', KEYS[1], ARGV[1], ARGV[2], 0, id, 'JUSTID')
          out[#out + 1] = { id, 'x', count + p, f, v, m, p }
        else
          redis.call('XCLAIM', KEYS[1], ARGV[1], ARGV[2], v, id)
          out[#out + 1] = { id, 'c', count + 1 + p, f, v, m, p }
        end
      end
    end
  end
end
return { cursor, out }
`;
var READD = `
local function readd(key, fields, p)
  local out, seen = {}, false
  for i = 1, #fields, 2 do
    out[#out + 1] = fields[i]
    if fields[i] == 'p' then
      out[#out + 1] = tostring(p)
      seen = true
    else
      out[#out + 1] = fields[i + 1]
    end
  end
  if not seen then
    out[#out + 1] = 'p'
    out[#out + 1] = tostring(p)
  end
  return redis.call('XADD', key, '*', unpack(out))
end
local function pOf(fields)
  for i = 1, #fields, 2 do
    if fields[i] == 'p' then return tonumber(fields[i + 1]) end
  end
  return 0
end
`;
var RELEASE_SCRIPT = READD + `
local n = 0
local counted = tonumber(ARGV[3])
while true do
  local pending = redis.call('XPENDING', KEYS[1], ARGV[1], '-', '+', 100, ARGV[2])
  if #pending == 0 then break end
  for _, e in ipairs(pending) do
    local id = e[1]
    local r = redis.call('XRANGE', KEYS[1], id, id)
    if #r > 0 then
      local fields = r[1][2]
      readd(KEYS[1], fields, pOf(fields) + math.max(0, e[4] - 1 + counted))
      n = n + 1
    end
    redis.call('XACK', KEYS[1], ARGV[1], id)
    redis.call('XDEL', KEYS[1], id)
  end
end
return n
`;
var GIVE_BACK_SCRIPT = READD + `
local r = redis.call('XRANGE', KEYS[1], ARGV[2], ARGV[2])
redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])
redis.call('XDEL', KEYS[1], ARGV[2])
if #r == 0 then return false end
return readd(KEYS[1], r[1][2], tonumber(ARGV[3]))
`;
function runScript(redis, script, keys, args) {
  return redis.callBuffer("EVAL", script, keys.length, ...keys, ...args);
}
__name(runScript, "runScript");

// lib/cluster/wire.ts
import { $0_48 as signSync, $0_49 as verifySync } from "./toolkit.js";
import { $0_7 as decode, $0_8 as encode } from "./toolkit.js";
var VERSION = 1;
var MAC_BYTES = 32;
var MIN_VISIBILITY_TIMEOUT = 100;
var DONE = 0;
var START = 1;
var PART = 2;
var SPLIT = 3;
function seal(key, payload) {
  const mac = signSync(key, payload);
  const frame = new Uint8Array(MAC_BYTES + payload.length);
  frame.set(mac);
  frame.set(payload, MAC_BYTES);
  return frame;
}
__name(seal, "seal");
function unseal(key, frame) {
  if (frame.length <= MAC_BYTES) return null;
  const payload = frame.subarray(MAC_BYTES);
  return verifySync(key, payload, frame.subarray(0, MAC_BYTES)) ? payload : null;
}
__name(unseal, "unseal");
function encodeTask(frame) {
  return encode([
    VERSION,
    frame.client,
    frame.link,
    frame.batch,
    frame.timed ? 1 : 0,
    frame.refs,
    frame.c,
    frame.part
  ], "Cannot send task");
}
__name(encodeTask, "encodeTask");
function decodeTask(payload) {
  const value = decode(payload);
  if (!Array.isArray(value) || value[0] !== VERSION || value.length !== 8) {
    throw new TypeError(`Cannot read task: not a task frame of version ${VERSION}`);
  }
  const [, client, link, batch, timed, refs, c, part] = value;
  if (typeof client !== "string" || typeof link !== "number" || typeof batch !== "number" || !Array.isArray(refs) || !Array.isArray(c) || c.length % 3 !== 0 || part !== null && !Array.isArray(part)) {
    throw new TypeError("Cannot read task: malformed task frame");
  }
  return {
    client,
    link,
    batch,
    timed: timed === 1,
    refs,
    c,
    part
  };
}
__name(decodeTask, "decodeTask");
function encodeResult(frame) {
  const what = "Cannot send result";
  switch (frame.kind) {
    case DONE:
      return encode([
        VERSION,
        DONE,
        frame.link,
        frame.batch,
        frame.r,
        frame.e
      ], what);
    case START:
      return encode([
        VERSION,
        START,
        frame.link,
        frame.batch
      ], what);
    case PART:
      return encode([
        VERSION,
        PART,
        frame.link,
        frame.batch,
        frame.k,
        frame.n,
        frame.values,
        frame.failure
      ], what);
    case SPLIT:
      return encode([
        VERSION,
        SPLIT,
        frame.link,
        frame.batch,
        frame.ids
      ], what);
  }
}
__name(encodeResult, "encodeResult");
function decodeResult(payload) {
  const value = decode(payload);
  if (!Array.isArray(value) || value[0] !== VERSION || typeof value[2] !== "number" || typeof value[3] !== "number") {
    throw new TypeError(`Cannot read result: not a result frame of version ${VERSION}`);
  }
  const link = value[2];
  const batch = value[3];
  switch (value[1]) {
    case DONE:
      return {
        kind: DONE,
        link,
        batch,
        r: value[4],
        e: value[5]
      };
    case START:
      return {
        kind: START,
        link,
        batch
      };
    case PART:
      return {
        kind: PART,
        link,
        batch,
        k: value[4],
        n: value[5],
        values: value[6],
        failure: value[7]
      };
    case SPLIT:
      return {
        kind: SPLIT,
        link,
        batch,
        ids: value[4]
      };
    default:
      throw new TypeError(`Cannot read result: unknown kind ${value[1]}`);
  }
}
__name(decodeResult, "decodeResult");
function isPrimitive(value) {
  return value === null || typeof value !== "object" && typeof value !== "function" && typeof value !== "symbol";
}
__name(isPrimitive, "isPrimitive");
function packItem(value, what, path) {
  if (isPrimitive(value)) return value;
  if (Array.isArray(value)) {
    const out = new Array(value.length);
    for (let i = 0; i < value.length; i++) {
      if (!(i in value)) continue;
      const item = value[i];
      out[i] = isPrimitive(item) ? item : encode(item, `${what}: ${path}`);
    }
    return out;
  }
  return encode(value, `${what}: ${path}`);
}
__name(packItem, "packItem");
function unpackItems(items) {
  if (!Array.isArray(items)) {
    throw new TypeError("Cannot run task: malformed task frame");
  }
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    if (typeof item !== "object" || item === null) continue;
    if (item instanceof Uint8Array) items[i] = decode(item);
    else if (Array.isArray(item)) {
      for (let j = 0; j < item.length; j++) {
        if (item[j] instanceof Uint8Array) item[j] = decode(item[j]);
      }
    }
  }
  return items;
}
__name(unpackItems, "unpackItems");

// lib/cluster/client.ts
var READ_COUNT = 1024;
var ROUTE_TURNS = 4;
var ClusterClient = class _ClusterClient {
  static {
    __name(this, "ClusterClient");
  }
  id;
  config;
  keys;
  resultsKey;
  /** Worker processes the live hosts announced when this client connected. */
  hostProcesses;
  #cmd;
  #reader;
  #key;
  #routes = /* @__PURE__ */ new Map();
  #nextLink = 0;
  #outbox = [];
  #flushScheduled = false;
  #flushing = false;
  #ops = /* @__PURE__ */ new Set();
  #closeHooks = /* @__PURE__ */ new Set();
  #closed = false;
  #closing = null;
  #reading;
  constructor(id, config, cmd, reader, hostProcesses) {
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
  static async open(config) {
    const what = "Cannot connect to cluster";
    const cmd = await connectRedis(what, config.url, config.connectTimeout);
    let reader = null;
    try {
      reader = await duplicateRedis(what, config.url, cmd, config.connectTimeout);
      const keys = queueKeys(config.queue);
      await ensureGroup(cmd, keys.tasks);
      const processes = await liveProcesses(cmd, keys);
      const id = crypto.randomUUID().replaceAll("-", "").slice(0, 16);
      return new _ClusterClient(id, config, cmd, reader, processes);
    } catch (error) {
      if (reader !== null) await closeRedis(reader);
      await closeRedis(cmd);
      throw error;
    }
  }
  /** Whether `close()` has been called. */
  get closed() {
    return this.#closed;
  }
  /** Registers a link; returns its id for the frames. */
  route(sink) {
    const id = ++this.#nextLink;
    this.#routes.set(id, sink);
    return id;
  }
  /** Forgets a link: its results are dropped from now on. */
  unroute(id) {
    this.#routes.delete(id);
  }
  /** Runs `hook` when the client closes (before its connections go). */
  onClose(hook) {
    this.#closeHooks.add(hook);
    return () => this.#closeHooks.delete(hook);
  }
  /**
   * Queues a task payload; it is sealed and added to the task stream with
   * the other payloads of this turn in one pipeline. `entered` hears the
   * entry's id, or the error.
   */
  send(payload, entered) {
    if (this.#closed) {
      entered(null, closedError());
      return;
    }
    this.#outbox.push({
      payload,
      entered
    });
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
  cancel(ids) {
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
  close() {
    if (this.#closing !== null) return this.#closing;
    this.#closing = this.#close();
    return this.#closing;
  }
  async #close() {
    this.#closed = true;
    for (const hook of [
      ...this.#closeHooks
    ]) hook();
    this.#closeHooks.clear();
    const outbox = this.#outbox;
    this.#outbox = [];
    for (const item of outbox) item.entered(null, closedError());
    await lastCommands(this.#cmd, this.config.connectTimeout, async () => {
      while (this.#ops.size > 0) await Promise.allSettled([
        ...this.#ops
      ]);
      await this.#cmd.call("DEL", this.resultsKey);
    });
    await closeRedis(this.#reader);
    await this.#reading;
    await closeRedis(this.#cmd);
    while (this.#ops.size > 0) await Promise.allSettled([
      ...this.#ops
    ]);
    this.#routes.clear();
  }
  #track(promise) {
    const op = promise.then(() => {
    }, () => {
    });
    this.#ops.add(op);
    op.then(() => this.#ops.delete(op));
  }
  async #flush() {
    this.#flushing = true;
    const { tasks } = this.keys;
    const { visibilityTimeout, maxDeliveries } = this.config;
    try {
      while (this.#outbox.length > 0 && !this.#closed) {
        const items = this.#outbox;
        this.#outbox = [];
        let ids;
        try {
          const frames = items.map((item) => asBuffer(seal(this.#key, item.payload)));
          ids = frames.length === 1 ? [
            await this.#cmd.call("XADD", tasks, "*", "f", frames[0], "v", visibilityTimeout, "m", maxDeliveries, "p", 0)
          ] : await this.#cmd.call("EVAL", ADD_SCRIPT, 1, tasks, visibilityTimeout, maxDeliveries, ...frames);
        } catch (error) {
          const failure = sendError(error instanceof Error ? error : new Error(String(error)));
          for (const item of items) item.entered(null, failure);
          continue;
        }
        for (let i = 0; i < items.length; i++) {
          items[i].entered(textOf(ids[i]), null);
        }
      }
    } finally {
      this.#flushing = false;
      if (this.#outbox.length > 0 && !this.#closed) {
        this.#track(this.#flush());
      }
    }
  }
  async #read() {
    let last = "0-0";
    let routed = [];
    while (!this.#closed) {
      let reply;
      try {
        const reading = this.#reader.callBuffer("XREAD", "COUNT", READ_COUNT, "BLOCK", 0, "STREAMS", this.resultsKey, last);
        if (routed.length > 0) {
          this.#track(this.#cmd.call("XDEL", this.resultsKey, ...routed));
          routed = [];
        }
        reply = await reading;
      } catch {
        if (this.#closed) return;
        await new Promise((resolve) => setTimeout(resolve, 100));
        continue;
      }
      const streams = reply;
      const entries = streams?.[0]?.[1];
      if (entries === void 0 || entries.length === 0) continue;
      const frames = [];
      for (const [id, fields] of entries) {
        routed.push(textOf(id));
        frames.push(fieldOf(fields, "f"));
      }
      last = routed[routed.length - 1];
      for (const sealed of frames) {
        const payload = unseal(this.#key, sealed);
        if (payload === null) continue;
        let frame;
        try {
          frame = decodeResult(payload);
        } catch {
          continue;
        }
        this.#routes.get(frame.link)?.receive(frame);
      }
      for (let i = 0; i < ROUTE_TURNS; i++) await null;
    }
  }
};
function fieldOf(fields, name) {
  for (let i = 0; i + 1 < fields.length; i += 2) {
    if (textOf(fields[i]) === name) return bytesOf(fields[i + 1]);
  }
  return new Uint8Array(0);
}
__name(fieldOf, "fieldOf");
async function liveProcesses(redis, keys) {
  const names = await redis.smembers(keys.hosts);
  if (names.length === 0) return 0;
  const counts = await redis.mget(...names.map((name) => keys.host(name)));
  let total = 0;
  const gone = [];
  counts.forEach((count, i) => {
    if (count === null) gone.push(names[i]);
    else total += Number(count) || 0;
  });
  if (gone.length > 0) await redis.srem(keys.hosts, ...gone);
  return total;
}
__name(liveProcesses, "liveProcesses");
function closedError() {
  return new Error("Cannot run task: the cluster connection is closed");
}
__name(closedError, "closedError");
function sendError(error) {
  return new Error(`Cannot send task to the cluster: Redis refused it: ${error.message}`, {
    cause: error
  });
}
__name(sendError, "sendError");

// lib/cluster/host.ts
import { $0_50 as serializeError } from "./toolkit.js";
import { $0_51 as entryUrl } from "./toolkit.js";
import { $0_52 as CancelledError, $0_53 as WorkerCrashedError } from "./toolkit.js";
import { $0_54 as ChunkState, $0_55 as FLAG_STAR } from "./toolkit.js";
import { $0_56 as buildCore } from "./toolkit.js";
import { $0_8 as encode2 } from "./toolkit.js";
var MAX_TICK = 1e3;
var SPAWN_CHILD = entryUrl("workers/spawn_child");
var MIN_TICK = 25;
var HOST_TTL = 5e3;
var RESULT_TTL = 24 * 3600 * 1e3;
var REFUSED_PAUSE = 1e3;
var RECLAIM_COUNT = 100;
var PREFETCH = 4;
function localCore(config) {
  return buildCore("Cannot serve worker", {
    processes: config.processes,
    startMethod: config.startMethod,
    // Task functions arrive as whole references, each with its module; a
    // spawned worker preloads only the toolkit's own child entry.
    module: SPAWN_CHILD
  }, "processes", "ClusterWorker");
}
__name(localCore, "localCore");
async function runHost(config) {
  const core = localCore(config);
  const what = "Cannot serve worker";
  const onError = /* @__PURE__ */ __name((error) => config.log(`redis connection: ${error.message}`), "onError");
  const cmd = await connectRedis(what, config.url, config.connectTimeout, onError);
  let blocking;
  try {
    blocking = await duplicateRedis(what, config.url, cmd, config.connectTimeout, onError);
  } catch (error) {
    await closeRedis(cmd);
    throw error;
  }
  const host = new Host(config, core, cmd, blocking);
  await host.run();
}
__name(runHost, "runHost");
var Host = class {
  static {
    __name(this, "Host");
  }
  #config;
  #core;
  #cmd;
  #blocking;
  #key;
  #keys;
  #held = /* @__PURE__ */ new Map();
  #maxHeld;
  #stopping = false;
  #capacity = null;
  #pause = null;
  #pausedUntil = 0;
  #tickTimer;
  #ticking = null;
  #minVt = 4 * MAX_TICK;
  #outbox = [];
  #flushScheduled = false;
  #ops = /* @__PURE__ */ new Set();
  #refs = /* @__PURE__ */ new Map();
  /** The error that broke the local pool: the host stops with it. */
  #fatal = null;
  #wake = null;
  /** Where the next reclaim pass starts (RECLAIM_SCRIPT). */
  #reclaimFrom = "-";
  constructor(config, core, cmd, blocking) {
    this.#config = config;
    this.#core = core;
    this.#cmd = cmd;
    this.#blocking = blocking;
    this.#key = config.authkey;
    this.#keys = queueKeys(config.queue);
    this.#maxHeld = PREFETCH * config.processes;
  }
  async run() {
    const { signal, log, name, queue, processes, startMethod } = this.#config;
    try {
      await ensureGroup(this.#cmd, this.#keys.tasks);
      const released = Number(await runScript(this.#cmd, RELEASE_SCRIPT, [
        this.#keys.tasks
      ], [
        GROUP,
        name,
        1
      ]));
      if (released > 0) {
        log(`gave ${released} task entries held by a previous host named ${name} back to the queue`);
      }
      await this.#cmd.pipeline().call("SADD", this.#keys.hosts, name).call("SET", this.#keys.host(name), processes, "PX", HOST_TTL).exec();
    } catch (error) {
      await closeRedis(this.#blocking);
      await closeRedis(this.#cmd);
      throw error;
    }
    const stopped = new Promise((resolve) => {
      this.#wake = resolve;
      if (signal?.aborted) resolve();
      signal?.addEventListener("abort", () => resolve(), {
        once: true
      });
    });
    log(`serving queue "${queue}" as ${name} with ${processes} ${startMethod} process${processes === 1 ? "" : "es"} (root ${this.#config.root})`);
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
  #breakDown(error) {
    if (this.#fatal !== null || this.#stopping) return;
    this.#fatal = new Error(`Cannot serve worker: the local pool cannot run tasks: ${error.message}`, {
      cause: error
    });
    this.#config.log(`${this.#fatal.message}; giving the task entries back and stopping`);
    this.#wake?.();
  }
  // ---- reading ----
  async #readLoop() {
    const { name } = this.#config;
    while (!this.#stopping) {
      await null;
      const free = this.#maxHeld - this.#held.size;
      if (free <= 0) {
        await new Promise((resolve) => this.#capacity = resolve);
        continue;
      }
      if (this.#pausedUntil > performance.now()) {
        await this.#sleep(this.#pausedUntil - performance.now());
        continue;
      }
      let reply;
      try {
        reply = await this.#blocking.callBuffer("XREADGROUP", "GROUP", GROUP, name, "COUNT", free, "BLOCK", 0, "STREAMS", this.#keys.tasks, ">");
      } catch (error) {
        if (this.#stopping) return;
        const message = error instanceof Error ? error.message : String(error);
        this.#config.log(`cannot read tasks: ${message}`);
        if (message.startsWith("NOGROUP")) {
          try {
            await ensureGroup(this.#cmd, this.#keys.tasks);
            continue;
          } catch {
          }
        }
        await this.#sleep(100);
        continue;
      }
      const streams = reply;
      const entries = streams?.[0]?.[1] ?? [];
      this.#accept(entries.map(([id, fields]) => {
        const p = Number(textOf(fieldOf(fields, "p"))) || 0;
        const m = Number(textOf(fieldOf(fields, "m"))) || 1;
        return {
          id: textOf(id),
          frame: fieldOf(fields, "f"),
          deliveries: p >= m ? p : p + 1,
          exhausted: p >= m,
          v: Number(textOf(fieldOf(fields, "v"))) || 0,
          m
        };
      }));
    }
  }
  /** Waits `ms`, or less if the host stops. */
  #sleep(ms) {
    return new Promise((resolve) => {
      const done = /* @__PURE__ */ __name(() => {
        clearTimeout(timer);
        if (this.#pause?.done === done) this.#pause = null;
        resolve();
      }, "done");
      const timer = setTimeout(done, Math.max(0, ms));
      this.#pause = {
        timer,
        done
      };
    });
  }
  #accept(entries) {
    for (const entry of entries) {
      if (this.#stopping || this.#fatal !== null) return;
      const payload = unseal(this.#key, entry.frame);
      if (payload === null) {
        this.#refuse(entry, "its HMAC does not verify (is this host's authkey the clients'?)");
        continue;
      }
      let frame;
      try {
        frame = decodeTask(payload);
      } catch (error) {
        this.#refuse(entry, `${error instanceof Error ? error.message : String(error)} (is the toolkit the same version on the clients and this host?)`);
        continue;
      }
      if (entry.v > 0) this.#minVt = Math.min(this.#minVt, entry.v);
      if (entry.exhausted) this.#exhausted(entry, frame);
      else if (entry.deliveries > 1 && frame.part === null && frame.c.length > 3) {
        this.#split(entry, frame);
      } else this.#start(entry, frame);
    }
  }
  /**
   * Runs nothing of an entry and gives it back to the queue, uncounted; this
   * host then leaves the queue to the others for a moment.
   */
  #refuse(entry, reason) {
    this.#config.log(`refused task entry ${entry.id}: ${reason}; nothing ran, the entry goes back to the queue`);
    this.#pausedUntil = performance.now() + REFUSED_PAUSE;
    const spent = entry.exhausted ? entry.deliveries : entry.deliveries - 1;
    this.#track(runScript(this.#cmd, GIVE_BACK_SCRIPT, [
      this.#keys.tasks
    ], [
      GROUP,
      entry.id,
      spent
    ]));
  }
  // ---- running ----
  #start(entry, frame) {
    const run = new EntryRun(this, entry, frame);
    this.#held.set(entry.id, run);
    const c = frame.c;
    const refs = new Map(frame.refs.map((ref) => [
      ref[0],
      ref
    ]));
    for (let k = 0; k < run.n; k++) {
      const ref = refs.get(c[3 * k]);
      const local = ref === void 0 ? new TypeError("Cannot run task: its function reference is missing") : this.#localRef(ref[1], ref[2], ref[3]);
      if (local instanceof Error) {
        run.fail(k, local);
        continue;
      }
      let items;
      try {
        items = unpackItems(c[3 * k + 2]);
      } catch (error) {
        run.fail(k, error);
        continue;
      }
      const chunk = {
        fn: local,
        flags: c[3 * k + 1] & FLAG_STAR,
        items,
        timeout: 0,
        owner: run,
        tag: k,
        state: ChunkState.Queued
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
  #localRef(module, name, source) {
    const key = `${module}\0${name}\0${source ?? ""}`;
    let local = this.#refs.get(key);
    if (local === void 0) {
      local = this.#resolve(module, name, source);
      this.#refs.set(key, local);
    }
    return local;
  }
  #resolve(module, name, source) {
    let url;
    if (/^[a-z][a-z0-9+.-]*:/i.test(module)) url = module;
    else {
      const segments = module.split("/").map((segment) => segment.replace(/%2e/gi, "."));
      url = new URL(module, this.#config.root).href;
      if (module.startsWith("/") || module.includes("\\") || /%2f|%5c/i.test(module) || segments.includes("..") || !url.startsWith(this.#config.root)) {
        return new TypeError(`Cannot run task: module path ${JSON.stringify(module)} leaves the worker host's root ${this.#config.root}`);
      }
    }
    const ref = {
      module: url,
      name,
      source
    };
    return this.#core.refId(ref);
  }
  /** Called by a run once every chunk has settled. */
  finished(run) {
    const broken = this.#core.broken;
    if (broken !== null) {
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
      ack: run.id
    });
  }
  /** Tells the client that a timed batch has started. */
  started(run) {
    if (run.cancelled || this.#stopping) return;
    this.#queue({
      key: this.#keys.results(run.frame.client),
      payload: encodeResult({
        kind: START,
        link: run.frame.link,
        batch: run.frame.batch
      }),
      ack: null
    });
  }
  /** A redelivered batch becomes one entry per chunk (see the header). */
  #split(entry, frame) {
    const n = frame.c.length / 3;
    this.#config.log(`task entry ${entry.id} was delivered ${entry.deliveries} times; splitting its ${n} tasks`);
    const op = (async () => {
      const parts = [];
      for (let k = 0; k < n; k++) {
        const fnId = frame.c[3 * k];
        parts.push(encodeTask({
          ...frame,
          refs: frame.refs.filter((ref) => ref[0] === fnId),
          c: frame.c.slice(3 * k, 3 * k + 3),
          part: [
            k,
            n
          ]
        }));
      }
      const { tasks } = this.#keys;
      const multi = this.#cmd.multi();
      for (const payload of parts) {
        multi.call("XADD", tasks, "*", "f", asBuffer(seal(this.#key, payload)), "v", entry.v, "m", entry.m, "p", entry.deliveries - 1);
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
          ids
        }),
        ack: null
      });
    })();
    this.#track(op);
  }
  /** Answers an entry delivered maxDeliveries times with a crash. */
  #exhausted(entry, frame) {
    const error = {
      name: "WorkerCrashedError",
      message: `Cannot run task: it was delivered ${entry.deliveries} times (maxDeliveries ${entry.m}) and every worker host that held it stopped answering`
    };
    this.#config.log(`task entry ${entry.id} exhausted its ${entry.m} deliveries; failing it`);
    let result;
    if (frame.part !== null) {
      result = {
        kind: PART,
        link: frame.link,
        batch: frame.batch,
        k: frame.part[0],
        n: frame.part[1],
        values: null,
        failure: [
          frame.part[0],
          error,
          -1
        ]
      };
    } else {
      const e = [];
      for (let k = 0; k < frame.c.length / 3; k++) e.push([
        k,
        error,
        -1
      ]);
      result = {
        kind: DONE,
        link: frame.link,
        batch: frame.batch,
        r: [],
        e
      };
    }
    this.#queue({
      key: this.#keys.results(frame.client),
      payload: encodeResult(result),
      ack: entry.id
    });
  }
  /** Stops the local work of a run whose entry is gone. */
  #cancel(run) {
    if (run.cancelled) return;
    run.cancelled = true;
    if (this.#held.get(run.id) === run) this.#held.delete(run.id);
    let stopped = 0;
    for (const chunk of run.chunks) {
      const running = chunk.state === ChunkState.Dispatched;
      if (this.#core.abort(chunk, new CancelledError("Cannot finish task: it was cancelled")) && running) stopped++;
    }
    this.#config.log(`task entry ${run.id} was cancelled or taken over${stopped > 0 ? `; stopped the local worker${stopped === 1 ? "" : "s"} running it` : ""}`);
    this.#capacity?.();
    this.#capacity = null;
  }
  // ---- sending results ----
  #queue(item) {
    this.#outbox.push(item);
    if (this.#flushScheduled) return;
    this.#flushScheduled = true;
    queueMicrotask(() => {
      this.#flushScheduled = false;
      this.#track(this.#flush());
    });
  }
  async #flush() {
    const items = this.#outbox;
    this.#outbox = [];
    if (items.length === 0) return;
    const args = [
      GROUP,
      RESULT_TTL
    ];
    for (const item of items) {
      args.push(asBuffer(seal(this.#key, item.payload)), item.ack ?? "");
    }
    await this.#cmd.call("EVAL", FINISH_SCRIPT, 1 + items.length, this.#keys.tasks, ...items.map((item) => item.key), ...args);
  }
  #track(promise) {
    const op = promise.then(() => {
    }, (error) => {
      if (!this.#stopping) {
        this.#config.log(`redis command failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    });
    this.#ops.add(op);
    op.then(() => this.#ops.delete(op));
  }
  // ---- heartbeat and reclaim ----
  #scheduleTick(ms) {
    if (this.#stopping) return;
    this.#tickTimer = setTimeout(() => {
      this.#tickTimer = void 0;
      this.#ticking = this.#tick().finally(() => {
        this.#ticking = null;
        let vt = this.#minVt;
        for (const run of this.#held.values()) vt = Math.min(vt, run.vt);
        this.#scheduleTick(Math.max(MIN_TICK, Math.min(MAX_TICK, Math.floor(vt / 4))));
      });
    }, ms);
  }
  async #tick() {
    const { name, processes } = this.#config;
    const { tasks } = this.#keys;
    const held = [
      ...this.#held.keys()
    ];
    const pipeline = this.#cmd.pipeline();
    pipeline.call("SET", this.#keys.host(name), processes, "PX", HOST_TTL);
    pipeline.callBuffer("EVAL", RECLAIM_SCRIPT, 1, tasks, GROUP, name, MIN_VISIBILITY_TIMEOUT, RECLAIM_COUNT, this.#reclaimFrom);
    if (held.length > 0) {
      pipeline.call("EVAL", HEARTBEAT_SCRIPT, 1, tasks, GROUP, name, ...held);
    }
    let replies;
    try {
      replies = await pipeline.exec();
    } catch (error) {
      if (!this.#stopping) {
        this.#config.log(`heartbeat failed: ${error instanceof Error ? error.message : String(error)}`);
      }
      return;
    }
    if (this.#stopping || replies === null) return;
    const [, reclaimed] = replies[1] ?? [
      null,
      null
    ];
    let reclaimReply = null;
    if (Array.isArray(reclaimed) && reclaimed.length === 2) {
      this.#reclaimFrom = textOf(reclaimed[0]);
      reclaimReply = reclaimed[1];
    }
    if (held.length > 0) {
      const [error, kept] = replies[2] ?? [
        null,
        null
      ];
      if (error === null && Array.isArray(kept)) {
        const still = new Set(kept.map(textOf));
        for (const id of held) {
          const run = this.#held.get(id);
          if (run !== void 0 && !still.has(id)) this.#cancel(run);
        }
      }
    }
    if (Array.isArray(reclaimReply) && reclaimReply.length > 0) {
      const entries = [];
      for (const item of reclaimReply) {
        const [id, kind, count, f, v, m] = item;
        entries.push({
          id: textOf(id),
          frame: f instanceof Uint8Array ? bytesOf(f) : new Uint8Array(0),
          deliveries: Number(count),
          exhausted: textOf(kind) === "x",
          v: Number(textOf(v)),
          m: Number(textOf(m))
        });
        this.#config.log(`took over task entry ${textOf(id)} (delivery ${Number(count)})`);
      }
      this.#accept(entries);
    }
  }
  // ---- stopping ----
  async #stop(reading) {
    this.#stopping = true;
    const { log, name } = this.#config;
    clearTimeout(this.#tickTimer);
    this.#pause?.done();
    this.#capacity?.();
    for (const run of this.#held.values()) run.cancelled = true;
    this.#held.clear();
    this.#core.terminate(new CancelledError("Cannot finish task: the worker host is stopping"));
    await closeRedis(this.#blocking);
    await reading;
    let done = false;
    let late = false;
    await lastCommands(this.#cmd, this.#config.connectTimeout, async () => {
      if (this.#ticking !== null) await this.#ticking;
      while (this.#ops.size > 0) await Promise.allSettled([
        ...this.#ops
      ]);
      try {
        const released = await runScript(this.#cmd, RELEASE_SCRIPT, [
          this.#keys.tasks
        ], [
          GROUP,
          name,
          0
        ]);
        if (Number(released) > 0) {
          log(`gave ${Number(released)} unfinished task entries back to the queue`);
        }
        await this.#cmd.pipeline().call("DEL", this.#keys.host(name)).call("SREM", this.#keys.hosts, name).call("XGROUP", "DELCONSUMER", this.#keys.tasks, GROUP, name).exec();
        done = true;
      } catch (error) {
        if (late) return;
        log(`could not give back unfinished entries: ${error instanceof Error ? error.message : String(error)}`);
        done = true;
      }
    });
    if (!done) {
      late = true;
      log(`could not give back unfinished entries: Redis is down or did not answer within ${this.#config.connectTimeout} ms; they go back after their visibility timeout`);
    }
    await this.#core.shutdown();
    await closeRedis(this.#cmd);
    if (this.#ticking !== null) await this.#ticking;
    while (this.#ops.size > 0) await Promise.allSettled([
      ...this.#ops
    ]);
    log("stopped");
  }
};
var EntryRun = class {
  static {
    __name(this, "EntryRun");
  }
  id;
  frame;
  vt;
  n;
  chunks = [];
  cancelled = false;
  /** Per chunk: its values, or its failure. */
  outcomes;
  #host;
  #left;
  #started = false;
  #finished = false;
  constructor(host, entry, frame) {
    this.#host = host;
    this.id = entry.id;
    this.frame = frame;
    this.vt = entry.v > 0 ? entry.v : 4 * MAX_TICK;
    this.n = frame.c.length / 3;
    this.outcomes = new Array(this.n);
    this.#left = this.n;
  }
  chunkDispatched() {
    if (this.frame.timed && !this.#started) {
      this.#started = true;
      this.#host.started(this);
    }
  }
  chunkDone(chunk, values, offset) {
    this.outcomes[chunk.tag] = {
      values: values.slice(offset, offset + chunk.items.length)
    };
    this.#left--;
    this.check();
  }
  chunkFailed(chunk, error) {
    this.fail(chunk.tag, error);
    this.check();
  }
  /** Records chunk `k` as failed (before or while running). */
  fail(k, error) {
    if (this.outcomes[k] !== void 0) return;
    this.outcomes[k] = {
      failure: [
        k,
        serializeError(error),
        error instanceof WorkerCrashedError ? error.exitCode : null
      ]
    };
    this.#left--;
  }
  /** Reports the run once every chunk has settled. */
  check() {
    if (this.#left > 0 || this.#finished) return;
    this.#finished = true;
    this.#host.finished(this);
  }
};
function resultPayload(run) {
  const build = /* @__PURE__ */ __name(() => {
    const { link, batch, part } = run.frame;
    if (part !== null) {
      const outcome = run.outcomes[0];
      return encodeResult({
        kind: PART,
        link,
        batch,
        k: part[0],
        n: part[1],
        values: "values" in outcome ? outcome.values : null,
        failure: "failure" in outcome ? [
          part[0],
          outcome.failure[1],
          outcome.failure[2]
        ] : null
      });
    }
    const r = [];
    const e = [];
    for (const outcome of run.outcomes) {
      if ("values" in outcome) r.push(...outcome.values);
      else e.push(outcome.failure);
    }
    return encodeResult({
      kind: DONE,
      link,
      batch,
      r,
      e: e.length > 0 ? e : null
    });
  }, "build");
  try {
    return build();
  } catch {
    for (let k = 0; k < run.outcomes.length; k++) {
      const outcome = run.outcomes[k];
      if (!("values" in outcome)) continue;
      const what = "Cannot return result";
      try {
        encode2(outcome.values, what);
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        run.outcomes[k] = {
          failure: [
            k,
            serializeError(new TypeError(`${what}: a task's result cannot be sent back from a worker host (${reason.startsWith(`${what}: `) ? reason.slice(what.length + 2) : reason})`)),
            null
          ]
        };
      }
    }
    return build();
  }
}
__name(resultPayload, "resultPayload");

// lib/cluster/transport.ts
import { $0_53 as WorkerCrashedError2 } from "./toolkit.js";
import { $0_57 as RemoteError } from "./toolkit.js";
var LANE_INFLIGHT = 4;
var ClusterTransport = class {
  static {
    __name(this, "ClusterTransport");
  }
  name = "cluster";
  inflight = LANE_INFLIGHT;
  #client;
  #refs = /* @__PURE__ */ new Map();
  #links = /* @__PURE__ */ new Set();
  #closed = null;
  #unhook = null;
  constructor(client) {
    this.#client = client;
  }
  encode(value, what, path) {
    return {
      value: packItem(value, what, path),
      shared: false
    };
  }
  start(_spec, events) {
    if (this.#closed === null && this.#client.closed) {
      this.#closed = new Error("Cannot run task: the cluster connection is closed");
    }
    if (this.#closed !== null) throw this.#closed;
    const link = new ClusterLink(this, this.#client, events);
    if (this.#links.size === 0) {
      this.#unhook = this.#client.onClose(() => this.close(new Error("Cannot run task: the cluster connection is closed")));
    }
    this.#links.add(link);
    return link;
  }
  /** Learns the functions of a batch; returns the references it needs. */
  refs(message) {
    if (message.defs !== null) {
      for (const [id, ref] of message.defs) {
        if (!this.#refs.has(id)) this.#refs.set(id, this.#wireRef(id, ref));
      }
    }
    const out = [];
    const c = message.c;
    for (let i = 0; i < c.length; i += 3) {
      const ref = this.#refs.get(c[i]);
      if (!out.includes(ref)) out.push(ref);
    }
    return out;
  }
  #wireRef(id, ref) {
    return [
      id,
      wireModule(ref.module, this.#client.config.root),
      ref.name,
      ref.source
    ];
  }
  /** A link is gone. */
  dropLink(link) {
    this.#links.delete(link);
    if (this.#links.size === 0 && this.#unhook !== null) {
      this.#unhook();
      this.#unhook = null;
    }
  }
  /** The cluster connection closed: every batch in flight fails. */
  close(error) {
    if (this.#closed !== null) return;
    this.#closed = error;
    for (const link of [
      ...this.#links
    ]) link.fail(error);
  }
  /** The error new batches fail with, once closed. */
  get closedError() {
    return this.#closed;
  }
};
function wireModule(module, root) {
  if (!module.startsWith("file:")) return module;
  if (root === null || !module.startsWith(root)) {
    throw new TypeError(`Cannot send task: module ${module} is not under the cluster root ${root}`);
  }
  return module.slice(root.length);
}
__name(wireModule, "wireModule");
var laneCounter = 0;
var ClusterLink = class {
  static {
    __name(this, "ClusterLink");
  }
  pid;
  #transport;
  #client;
  #events;
  #id;
  #batches = /* @__PURE__ */ new Map();
  #stopped = false;
  constructor(transport, client, events) {
    this.#transport = transport;
    this.#client = client;
    this.#events = events;
    this.#id = client.route(this);
    this.pid = ++laneCounter;
    queueMicrotask(() => {
      if (!this.#stopped) this.#deliver({
        t: "ready"
      });
    });
  }
  /**
   * A lane holds no resource of its own: what keeps the program alive is
   * the cluster connection, whose life is the Cluster's (`close()`).
   */
  ref(_keepAlive) {
  }
  send(message) {
    const closed = this.#transport.closedError;
    if (closed !== null) throw closed;
    const refs = this.#transport.refs(message);
    const payload = encodeTask({
      client: this.#client.id,
      link: this.#id,
      batch: message.id,
      timed: message.timed,
      refs,
      c: message.c,
      part: null
    });
    const state = {
      n: message.c.length / 3,
      ids: [],
      parts: null,
      partsLeft: 0
    };
    const batch = message.id;
    this.#batches.set(batch, state);
    this.#client.send(payload, (id, error) => {
      if (error !== null) {
        this.#failBatch(batch, error);
      } else if (this.#batches.get(batch) !== state) {
        if (this.#stopped || this.#transport.closedError !== null) {
          this.#client.cancel([
            id
          ]);
        }
      } else {
        state.ids.push(id);
      }
    });
  }
  receive(frame) {
    if (this.#stopped) return;
    const state = this.#batches.get(frame.batch);
    if (state === void 0) return;
    switch (frame.kind) {
      case DONE:
        this.#batches.delete(frame.batch);
        this.#deliver({
          t: "done",
          id: frame.batch,
          r: frame.r,
          e: frame.e === null ? null : frame.e.map(toError)
        });
        break;
      case START:
        this.#deliver({
          t: "start",
          id: frame.batch
        });
        break;
      case SPLIT:
        state.ids = frame.ids.slice();
        break;
      case PART: {
        if (frame.n !== state.n || frame.k < 0 || frame.k >= state.n) return;
        if (state.parts === null) {
          state.parts = new Array(state.n);
          state.partsLeft = state.n;
        }
        if (state.parts[frame.k] !== void 0) return;
        state.parts[frame.k] = frame.failure !== null ? {
          failure: frame.failure
        } : {
          values: frame.values ?? []
        };
        if (--state.partsLeft > 0) return;
        this.#batches.delete(frame.batch);
        const r = [];
        const e = [];
        for (let k = 0; k < state.n; k++) {
          const part = state.parts[k];
          if ("values" in part) r.push(...part.values);
          else e.push(toError([
            k,
            part.failure[1],
            part.failure[2]
          ]));
        }
        this.#deliver({
          t: "done",
          id: frame.batch,
          r,
          e: e.length > 0 ? e : null
        });
        break;
      }
    }
  }
  /**
   * Fails every batch in flight (the cluster connection is closing) and
   * cancels their entries: nothing the closed connection waited for may
   * still run somewhere.
   */
  fail(error) {
    if (this.#stopped) return;
    const ids = [];
    for (const [batch, state] of [
      ...this.#batches
    ]) {
      ids.push(...state.ids);
      this.#failBatch(batch, error);
    }
    this.#client.cancel(ids);
  }
  stop(_code, _busy) {
    if (this.#stopped) return Promise.resolve();
    this.#stopped = true;
    this.#client.unroute(this.#id);
    this.#transport.dropLink(this);
    const ids = [];
    for (const state of this.#batches.values()) ids.push(...state.ids);
    this.#batches.clear();
    this.#client.cancel(ids);
    return Promise.resolve();
  }
  #failBatch(batch, error) {
    const state = this.#batches.get(batch);
    if (state === void 0 || this.#stopped) return;
    this.#batches.delete(batch);
    const e = [];
    for (let k = 0; k < state.n; k++) e.push([
      k,
      error
    ]);
    this.#deliver({
      t: "done",
      id: batch,
      r: [],
      e
    });
  }
  #deliver(message) {
    this.#events.message(message);
  }
};
function toError([k, error, crash]) {
  if (crash === null) return [
    k,
    error
  ];
  return [
    k,
    new WorkerCrashedError2(error.message, crash, {
      cause: RemoteError.from(error)
    })
  ];
}
__name(toError, "toError");

// lib/cluster/mod.ts
var DEFAULT_AUTHKEY = "denomp-cluster";
var AUTHKEY_ENV = "DENOMP_AUTHKEY";
var Cluster = class _Cluster {
  static {
    __name(this, "Cluster");
  }
  #client;
  #Pool = null;
  #Executor = null;
  constructor(client) {
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
  static async connect(options) {
    const config = checkClusterOptions("Cannot connect to cluster", options);
    return new _Cluster(await ClusterClient.open(config));
  }
  /** The queue's name. */
  get queue() {
    return this.#client.config.queue;
  }
  /** Whether {@linkcode Cluster.prototype.close} has been called. */
  get closed() {
    return this.#client.closed;
  }
  /**
   * The toolkit's `Pool`, running its tasks on the cluster's worker hosts.
   * `initializer`, `maxTasksPerChild` and `permissions` belong to the
   * hosts and are refused here.
   */
  get Pool() {
    if (this.#Pool === null) {
      const client = this.#client;
      this.#Pool = class ClusterPool extends Pool {
        static {
          __name(this, "ClusterPool");
        }
        constructor(options) {
          super(coreOptions(client, "Cannot create pool", options, "processes"));
        }
      };
    }
    return this.#Pool;
  }
  /**
   * The toolkit's `ProcessPoolExecutor`, running its tasks on the cluster's
   * worker hosts.
   */
  get ProcessPoolExecutor() {
    if (this.#Executor === null) {
      const client = this.#client;
      this.#Executor = class ClusterExecutor extends ProcessPoolExecutor {
        static {
          __name(this, "ClusterExecutor");
        }
        constructor(options) {
          super(coreOptions(client, "Cannot create executor", options, "maxWorkers"));
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
  close() {
    return this.#client.close();
  }
  /** Closes the connection. */
  [Symbol.asyncDispose]() {
    return this.close();
  }
  /** A short description, for `console.log`. */
  [Symbol.for("Deno.customInspect")]() {
    const { url, queue } = this.#client.config;
    return `Cluster { queue: ${JSON.stringify(queue)}, redis: ${JSON.stringify(redisAddress(url))}, client: ${JSON.stringify(this.#client.id)}${this.closed ? ", closed" : ""} }`;
  }
};
async function serveWorker(options) {
  const what = "Cannot serve worker";
  if (typeof options !== "object" || options === null) {
    throw new TypeError(`${what}: options must be an object, received ${describe(options)}`);
  }
  const { queue = "mp", processes = cpuCount(), startMethod = "thread", connectTimeout = 5e3, signal, log = /* @__PURE__ */ __name(() => {
  }, "log") } = options;
  const url = checkRedisUrl(what, options.url);
  checkQueue(what, queue);
  checkPositiveInteger(what, "processes", processes);
  if (startMethod !== "thread" && startMethod !== "spawn") {
    throw new RangeError(`${what}: startMethod must be "thread" or "spawn", received ${describe(startMethod)}`);
  }
  checkPositive(what, "connectTimeout", connectTimeout);
  if (signal !== void 0 && !(signal instanceof AbortSignal)) {
    throw new TypeError(`${what}: signal must be an AbortSignal, received ${describe(signal)}`);
  }
  if (typeof log !== "function") {
    throw new TypeError(`${what}: log must be a function, received ${describe(log)}`);
  }
  const name = options.name ?? defaultHostName();
  if (typeof name !== "string" || !/^[\x21-\x7e]{1,128}$/.test(name)) {
    throw new TypeError(`${what}: name must be 1 to 128 printable characters without spaces, received ${describe(name)}`);
  }
  const root = options.root === void 0 ? dirUrl(what, Deno.cwd()) : dirUrl(what, options.root);
  const authkey = authkeyOf(what, options.authkey);
  if (options.authkey === void 0 && Deno.env.get(AUTHKEY_ENV) === void 0) {
    log(`no authkey given and ${AUTHKEY_ENV} is not set: using the public default key, which keeps queues apart but proves nothing`);
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
    log
  });
}
__name(serveWorker, "serveWorker");
function checkClusterOptions(what, options) {
  if (typeof options !== "object" || options === null) {
    throw new TypeError(`${what}: options must be an object with a url, received ${describe(options)}`);
  }
  const { queue = "mp", visibilityTimeout = 3e4, maxDeliveries = 3, connectTimeout = 5e3 } = options;
  const url = checkRedisUrl(what, options.url);
  checkQueue(what, queue);
  checkPositive(what, "visibilityTimeout", visibilityTimeout);
  if (visibilityTimeout < MIN_VISIBILITY_TIMEOUT) {
    throw new RangeError(`${what}: visibilityTimeout must be at least ${MIN_VISIBILITY_TIMEOUT} ms, received ${visibilityTimeout}`);
  }
  checkPositiveInteger(what, "maxDeliveries", maxDeliveries);
  checkPositive(what, "connectTimeout", connectTimeout);
  const rootOption = options.root;
  let root;
  if (rootOption !== void 0) root = dirUrl(what, rootOption);
  else if (Deno.mainModule.startsWith("file:")) {
    root = new URL("./", Deno.mainModule).href;
  } else root = null;
  return {
    url,
    queue,
    authkey: authkeyOf(what, options.authkey),
    visibilityTimeout: Math.ceil(visibilityTimeout),
    maxDeliveries,
    connectTimeout,
    root
  };
}
__name(checkClusterOptions, "checkClusterOptions");
function checkQueue(what, queue) {
  if (typeof queue !== "string" || !/^[\x21-\x7e]{1,128}$/.test(queue)) {
    throw new TypeError(`${what}: queue must be 1 to 128 printable characters without spaces, received ${describe(queue)}`);
  }
}
__name(checkQueue, "checkQueue");
function checkPositiveInteger(what, name, value) {
  if (typeof value !== "number") {
    throw new TypeError(`${what}: ${name} must be a number, received ${describe(value)}`);
  }
  if (!Number.isInteger(value) || value < 1) {
    throw new RangeError(`${what}: ${name} must be a positive integer, received ${value}`);
  }
}
__name(checkPositiveInteger, "checkPositiveInteger");
function checkPositive(what, name, value) {
  if (typeof value !== "number" || Number.isNaN(value)) {
    throw new TypeError(`${what}: ${name} must be a number of milliseconds, received ${describe(value)}`);
  }
  if (!(value > 0) || !Number.isFinite(value)) {
    throw new RangeError(`${what}: ${name} must be a positive finite number, received ${value}`);
  }
}
__name(checkPositive, "checkPositive");
function authkeyOf(what, authkey) {
  const key = authkey === void 0 ? keyBytes(what, Deno.env.get(AUTHKEY_ENV) ?? DEFAULT_AUTHKEY) : keyBytes(what, authkey);
  if (key.length === 0) {
    throw new RangeError(`${what}: authkey must not be empty`);
  }
  return key;
}
__name(authkeyOf, "authkeyOf");
function dirUrl(what, dir) {
  let url;
  if (dir instanceof URL) url = new URL(dir.href);
  else if (typeof dir === "string" && dir !== "") {
    if (/^[a-z][a-z0-9+.-]+:/i.test(dir)) url = new URL(dir);
    else {
      const absolute = dir.startsWith("/") ? dir : `${Deno.cwd()}/${dir}`;
      url = new URL(`file://${encodeURI(absolute).replaceAll("?", "%3F").replaceAll("#", "%23")}`);
    }
  } else {
    throw new TypeError(`${what}: root must be a directory path or a file: URL, received ${describe(dir)}`);
  }
  if (url.protocol !== "file:") {
    throw new TypeError(`${what}: root must be a file: URL, received ${JSON.stringify(url.href)}`);
  }
  return url.href.endsWith("/") ? url.href : `${url.href}/`;
}
__name(dirUrl, "dirUrl");
function defaultHostName() {
  let host = "host";
  try {
    if (Deno.permissions.querySync({
      name: "sys",
      kind: "hostname"
    }).state === "granted") host = Deno.hostname();
  } catch {
  }
  const random = crypto.randomUUID().slice(0, 6);
  return `${host.replace(/[^\x21-\x7e]/g, "_")}-${Deno.pid}-${random}`;
}
__name(defaultHostName, "defaultHostName");
var ALLOWED = /* @__PURE__ */ new Set([
  "processes",
  "maxWorkers",
  "module"
]);
function coreOptions(client, what, options, sizeKey) {
  if (options === void 0) options = {};
  else if (typeof options !== "object" || options === null) {
    throw new TypeError(`${what}: options must be an object, received ${describe(options)}`);
  }
  for (const key of Object.keys(options)) {
    if (!ALLOWED.has(key) || key !== sizeKey && key !== "module") {
      throw new TypeError(`${what}: option ${key} is not available on a cluster ${sizeKey === "processes" ? "pool" : "executor"}; the worker hosts own their workers (only ${sizeKey} and module)`);
    }
  }
  if (client.closed) {
    throw new Error(`${what}: the cluster connection is closed`);
  }
  const record = options;
  const module = record.module;
  const url = targetModule(what, module);
  const root = client.config.root;
  if (url.startsWith("file:") && (root === null || !url.startsWith(root))) {
    throw new TypeError(`${what}: module ${url} is not under the cluster root ${root ?? "(none: the main module is not a file)"}; pass root to Cluster.connect, and keep the same code at the same path under each worker host's --root`);
  }
  const size = record[sizeKey] ?? (client.hostProcesses > 0 ? client.hostProcesses : cpuCount());
  return {
    [sizeKey]: size,
    ...module === void 0 ? {} : {
      module
    },
    [TRANSPORT]: new ClusterTransport(client)
  };
}
__name(coreOptions, "coreOptions");

// lib/cluster/cli.ts
import { parseArgs } from "node:util";
var USAGE = `Usage: deno run -A jsr:@denomp/multiprocessing/cluster/worker --url redis://host:6379 [options]

Serves a @denomp/multiprocessing cluster queue: runs the tasks that clients
(Cluster.connect) put on it.

Options:
  --url URL              the Redis server (redis:// or rediss://); required
  --queue NAME           the queue to serve (default: mp)
  --processes N          local worker processes (default: the CPU count)
  --start-method METHOD  thread or spawn (default: thread)
  --root DIR             the directory task modules are relative to
                         (default: the working directory)
  --name NAME            this host's name in the queue (default: hostname-pid-random)
  --help                 this text

The authkey comes from the DENOMP_AUTHKEY environment variable (never from
the command line, where other users could read it); it must be the clients'.
`;
async function runWorkerCli(args) {
  const encoder2 = new TextEncoder();
  const print = /* @__PURE__ */ __name((line) => Deno.stderr.writeSync(encoder2.encode(`${line}
`)), "print");
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        url: {
          type: "string"
        },
        queue: {
          type: "string"
        },
        processes: {
          type: "string"
        },
        "start-method": {
          type: "string"
        },
        root: {
          type: "string"
        },
        name: {
          type: "string"
        },
        help: {
          type: "boolean"
        }
      },
      strict: true,
      allowPositionals: false
    }));
  } catch (error) {
    print(`${error instanceof Error ? error.message : String(error)}
`);
    print(USAGE);
    return 2;
  }
  if (values.help) {
    print(USAGE);
    return 0;
  }
  if (values.url === void 0) {
    print("--url is required\n");
    print(USAGE);
    return 2;
  }
  const processes = values.processes === void 0 ? void 0 : Number(values.processes);
  const controller = new AbortController();
  let signals = 0;
  const onSignal = /* @__PURE__ */ __name(() => {
    if (++signals > 1) Deno.exit(130);
    print("stopping (again to exit at once)");
    controller.abort();
  }, "onSignal");
  Deno.addSignalListener("SIGINT", onSignal);
  Deno.addSignalListener("SIGTERM", onSignal);
  try {
    await serveWorker({
      url: values.url,
      ...values.queue === void 0 ? {} : {
        queue: values.queue
      },
      ...processes === void 0 ? {} : {
        processes
      },
      ...values["start-method"] === void 0 ? {} : {
        startMethod: values["start-method"]
      },
      ...values.root === void 0 ? {} : {
        root: values.root
      },
      ...values.name === void 0 ? {} : {
        name: values.name
      },
      signal: controller.signal,
      log: /* @__PURE__ */ __name((line) => print(`cluster worker: ${line}`), "log")
    });
    return 0;
  } catch (error) {
    print(`cluster worker: ${error instanceof Error ? error.message : String(error)}`);
    return error instanceof TypeError || error instanceof RangeError ? 2 : 1;
  } finally {
    Deno.removeSignalListener("SIGINT", onSignal);
    Deno.removeSignalListener("SIGTERM", onSignal);
  }
}
__name(runWorkerCli, "runWorkerCli");
export {
  asBuffer as $1_0,
  Redis as $1_1,
  unseal as $1_10,
  runWorkerCli as $1_11,
  seal as $1_2,
  closeRedis as $1_3,
  connectRedis as $1_4,
  DISCONNECT_TIMEOUT as $1_5,
  duplicateRedis as $1_6,
  decodeResult as $1_7,
  encodeTask as $1_8,
  packItem as $1_9,
  Cluster,
  serveWorker
};
//# sourceMappingURL=cluster.js.map
