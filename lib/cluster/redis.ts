// Copyright 2026 the denomp authors. MIT license.
// The Redis side of the cluster: the one place that imports the Redis client
// (ioredis, pinned), how a connection is opened and named in messages, the
// key names of a queue, and the server-side scripts that make claiming
// atomic. Private to lib/cluster/.
//
// Keys of queue `q` (the consumer group on the task stream is `workers`):
//   q:tasks            the task stream; one entry per batch of chunks
//   q:results:<client> one result stream per client (Cluster.connect)
//   q:hosts            the set of worker host names
//   q:host:<name>      a live host's process count, with a short expiry

import { Buffer } from "node:buffer";
import { Redis } from "npm:ioredis@6.0.0";

export { Buffer, Redis };

/** The consumer group every worker host reads the task stream in. */
export const GROUP = "workers";

/** Key names of one queue. */
export interface QueueKeys {
  tasks: string;
  hosts: string;
  host(name: string): string;
  results(client: string): string;
}

/** The keys of queue `queue`. */
export function queueKeys(queue: string): QueueKeys {
  return {
    tasks: `${queue}:tasks`,
    hosts: `${queue}:hosts`,
    host: (name) => `${queue}:host:${name}`,
    results: (client) => `${queue}:results:${client}`,
  };
}

/** `host:port` of a Redis URL, for messages (never the password). */
export function redisAddress(url: URL): string {
  return `${url.hostname || "127.0.0.1"}:${url.port || "6379"}`;
}

/**
 * Validates a Redis URL (`redis://` or `rediss://`).
 *
 * @throws {TypeError} For anything else.
 */
export function checkRedisUrl(what: string, url: unknown): URL {
  let parsed: URL | null = null;
  if (url instanceof URL) parsed = new URL(url.href);
  else if (typeof url === "string") {
    try {
      parsed = new URL(url);
    } catch {
      parsed = null;
    }
  } else {
    throw new TypeError(
      `${what}: url must be a redis:// URL string, received ${
        url === null ? "null" : typeof url
      }`,
    );
  }
  if (
    parsed === null ||
    (parsed.protocol !== "redis:" && parsed.protocol !== "rediss:")
  ) {
    throw new TypeError(
      `${what}: url must be a redis:// or rediss:// URL, received ${
        JSON.stringify(String(url))
      }`,
    );
  }
  return parsed;
}

/**
 * How long a closing connection waits for the server to close its side
 * before it drops the socket, ms (ioredis waits 2 s: a server that accepts
 * but never answers would hold a failed connect that long).
 */
export const DISCONNECT_TIMEOUT = 100;

/**
 * Opens a connection and waits until the server answers, within `timeout`
 * ms. While connecting nothing is retried; once connected, the connection
 * reconnects by itself and commands wait for it (a queue outlives a blip).
 *
 * @throws {Error} When the server cannot be reached in time; the message
 * names the address.
 */
export async function connectRedis(
  what: string,
  url: URL,
  timeout: number,
  onError?: (error: Error) => void,
): Promise<Redis> {
  const redis = new Redis(url.href, {
    lazyConnect: true,
    connectTimeout: timeout,
    // RESP2: the reply shapes every Redis and Valkey version shares.
    protocol: 2,
    maxRetriesPerRequest: null,
    enableOfflineQueue: false,
    retryStrategy: () => null,
    disconnectTimeout: DISCONNECT_TIMEOUT,
  });
  return await ready(what, url, redis, timeout, onError);
}

/** A second connection to the same server (for blocking reads). */
export async function duplicateRedis(
  what: string,
  url: URL,
  redis: Redis,
  timeout: number,
  onError?: (error: Error) => void,
): Promise<Redis> {
  const copy = redis.duplicate({
    lazyConnect: true,
    enableOfflineQueue: false,
    retryStrategy: () => null,
    disconnectTimeout: DISCONNECT_TIMEOUT,
  });
  return await ready(what, url, copy, timeout, onError);
}

async function ready(
  what: string,
  url: URL,
  redis: Redis,
  timeout: number,
  onError: ((error: Error) => void) | undefined,
): Promise<Redis> {
  // ioredis reports socket errors as events; without a listener it prints
  // them. Commands fail on their own, so the event only goes to the log.
  let socketError: Error | null = null;
  redis.on("error", (error: Error) => {
    socketError = error;
    onError?.(error);
  });
  let timer: ReturnType<typeof setTimeout> | undefined;
  const address = redisAddress(url);
  try {
    await Promise.race([
      (async () => {
        await redis.connect();
        await redis.ping();
      })(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () =>
            reject(
              new Error(
                `${what}: Redis at ${address} did not answer within ${timeout} ms`,
              ),
            ),
          timeout,
        );
      }),
    ]);
  } catch (error) {
    await closeRedis(redis);
    if (error instanceof Error && error.message.startsWith(what)) throw error;
    // "Connection is closed" says less than the socket's own error.
    const cause: unknown = socketError ?? error;
    throw new Error(
      `${what}: cannot reach Redis at ${address}: ${
        cause instanceof Error ? cause.message : String(cause)
      }`,
      { cause },
    );
  } finally {
    clearTimeout(timer);
  }
  // From now on, reconnect (after 50 ms, growing to 2 s) and let commands
  // wait in the offline queue rather than fail.
  redis.options.retryStrategy = (times: number) => Math.min(times * 50, 2000);
  redis.options.enableOfflineQueue = true;
  return redis;
}

/** Creates the consumer group (and the stream) if missing. */
export async function ensureGroup(redis: Redis, tasks: string): Promise<void> {
  try {
    await redis.call("XGROUP", "CREATE", tasks, GROUP, "0", "MKSTREAM");
  } catch (error) {
    if (!(error instanceof Error) || !error.message.startsWith("BUSYGROUP")) {
      throw error;
    }
  }
}

/**
 * Closes a connection now (pending commands fail) and resolves once its
 * socket is closed. Idempotent.
 */
export async function closeRedis(redis: Redis): Promise<void> {
  if (redis.status === "end") return;
  if (redis.status === "wait") {
    redis.disconnect();
    return;
  }
  if (redis.status === "reconnecting" || redis.status === "close") {
    // Between two attempts there is no socket whose close would end the
    // connection: ioredis would wait forever, and so would the commands in
    // its queues. End it as its own close handler does (ioredis is pinned).
    redis.disconnect();
    const internal = redis as unknown as {
      setStatus(status: string): void;
      flushQueue(error: Error): void;
    };
    const ended = new Promise<void>((resolve) => redis.once("end", resolve));
    internal.setStatus("end");
    internal.flushQueue(new Error("Connection is closed."));
    await ended;
    return;
  }
  const ended = new Promise<void>((resolve) => redis.once("end", resolve));
  redis.disconnect();
  await ended;
}

/**
 * Runs the last commands of a closing connection (`work`), for at most
 * `timeout` ms, and not at all when the connection is down already: a
 * server that is down would hold them forever, as the connection retries
 * and queues commands once it was ready. Whatever is left fails when the
 * connection is then closed. Never rejects.
 */
export async function lastCommands(
  redis: Redis,
  timeout: number,
  work: () => Promise<void>,
): Promise<void> {
  if (redis.status !== "ready") return;
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    await Promise.race([
      work().catch(() => {}),
      new Promise<void>((resolve) => timer = setTimeout(resolve, timeout)),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * The bytes of a Redis reply value, as a plain Uint8Array: a Node Buffer's
 * `slice()` does not copy, which a decoder that slices must not meet.
 */
export function bytesOf(value: unknown): Uint8Array {
  if (value instanceof Uint8Array) {
    return value.constructor === Uint8Array
      ? value
      : new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  }
  return encoder.encode(String(value));
}

/** A Redis reply value as text. */
export function textOf(value: unknown): string {
  if (value instanceof Uint8Array) return decoder.decode(value);
  return String(value);
}

/** A Uint8Array as a Buffer, without copying, for ioredis arguments. */
export function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

// ---- server-side scripts: each runs atomically in Redis ----

/**
 * A client adds task entries: one call (so one write and no transaction
 * wrapper), and a host blocked on the stream wakes once, to all of them.
 * Returns their ids.
 *
 * KEYS[1] tasks; ARGV visibility timeout, maxDeliveries, frames...
 */
export const ADD_SCRIPT = `
local ids = {}
for i = 3, #ARGV do
  ids[#ids + 1] = redis.call('XADD', KEYS[1], '*', 'f', ARGV[i], 'v', ARGV[1], 'm', ARGV[2], 'p', 0)
end
return ids
`;

/**
 * A worker host sends results and then acknowledges and deletes the task
 * entries they answer, in one call. Results go first, so a host that dies
 * in between causes a duplicate, never a loss; each result stream's expiry
 * is pushed back.
 *
 * KEYS[1] tasks, KEYS[2..] result streams; ARGV group, ttl ms, then per
 * result: frame, task entry id or "" (a start notice acknowledges nothing)
 */
export const FINISH_SCRIPT = `
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

/**
 * Heartbeat of a worker host: for each id it holds, if the entry is still
 * pending for this host, reset its idle time (XCLAIM JUSTID does not count a
 * delivery). Returns the ids still held; an id missing from the answer was
 * deleted (its client cancelled it) or taken over by another host after the
 * visibility timeout.
 *
 * KEYS[1] tasks; ARGV group, consumer, ids...
 */
export const HEARTBEAT_SCRIPT = `
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

/**
 * Reclaim pass of a worker host: every entry pending for another consumer
 * for longer than its own visibility timeout (field `v`) is taken. One that
 * was delivered `maxDeliveries` times already (field `m`, counting the
 * deliveries of the batch it was split from, field `p`) is taken without
 * counting a delivery and marked exhausted, so that exactly one host
 * reports its failure. An entry deleted while pending is dropped from the
 * group. One pass looks at `count` pending entries from `start` on; the
 * next pass starts after the last one looked at, back at the start once
 * the end is reached, so entries that stay pending (held by live hosts)
 * never hide the ones behind them. Returns the next pass's start, then per
 * entry taken: id, "c" (claimed) or "x" (exhausted), the delivery count,
 * and the fields f v m p.
 *
 * KEYS[1] tasks; ARGV group, consumer, floor idle ms, count, start
 */
export const RECLAIM_SCRIPT = `
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

/**
 * Lua: adds an entry again with the same fields but `p` (the deliveries of
 * the entry it replaces) set to `p`; returns the new id.
 */
const READD = `
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

/**
 * Gives back every entry pending for this host: each is added again with
 * the same fields, so another host runs it, and the old one is
 * acknowledged and deleted. The deliveries it spent are kept (field `p`):
 * all of them when ARGV[3] is 1 (a host restarted under the same name
 * gives back what it held when it died), all but the current one when 0 (a
 * host that stops: it did not fail the task). Returns how many were given
 * back.
 *
 * KEYS[1] tasks; ARGV group, consumer, 1 or 0
 */
export const RELEASE_SCRIPT = READD + `
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

/**
 * Gives back one entry (a host that refused it: a wrong authkey here): it is
 * added again with the same fields but `p`, the deliveries it spent before
 * this host's (which is not counted), and the old one is acknowledged and
 * deleted. Returns the new id, or false when the entry is gone.
 *
 * KEYS[1] tasks; ARGV group, id, deliveries spent
 */
export const GIVE_BACK_SCRIPT = READD + `
local r = redis.call('XRANGE', KEYS[1], ARGV[2], ARGV[2])
redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])
redis.call('XDEL', KEYS[1], ARGV[2])
if #r == 0 then return false end
return readd(KEYS[1], r[1][2], tonumber(ARGV[3]))
`;

/** Runs a script (EVAL: Redis keeps the compiled script in its cache). */
export function runScript(
  redis: Redis,
  script: string,
  keys: string[],
  args: (string | number | Buffer)[],
): Promise<unknown> {
  return redis.callBuffer("EVAL", script, keys.length, ...keys, ...args);
}
