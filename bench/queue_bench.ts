// Copyright 2026 the denomp authors. MIT license.
// `deno bench`: Queue and Pipe against postMessage (the platform's own
// message channel), and the value codec against JSON and node:v8.
// Cross-thread throughput and latency are in bench/scenarios/queue_small.ts,
// queue_1k.ts and pipe_roundtrip.ts.
import { deserialize, serialize } from "node:v8";
import { Pipe, Queue } from "@denomp/multiprocessing";
import { decode, encode, encodeScratch } from "../dist/lib/_internal.js";

const BATCH = 1000;

// ---- 1000 small messages through a channel and back out, one thread ----

const channel = new MessageChannel();
let pendingResolve: (() => void) | null = null;
let received = 0;
channel.port2.onmessage = () => {
  if (++received === BATCH) pendingResolve?.();
};

Deno.bench({
  group: "1000 small messages, one thread",
  name: "postMessage over a MessageChannel (baseline)",
  baseline: true,
  async fn() {
    received = 0;
    const done = new Promise<void>((resolve) => pendingResolve = resolve);
    for (let i = 0; i < BATCH; i++) channel.port1.postMessage(i);
    await done;
  },
});

const queue = new Queue<number>();
Deno.bench({
  group: "1000 small messages, one thread",
  name: "Queue.putSync() + getSync()",
  fn() {
    for (let i = 0; i < BATCH; i++) queue.putSync(i);
    for (let i = 0; i < BATCH; i++) queue.getSync();
  },
});

Deno.bench({
  group: "1000 small messages, one thread",
  name: "await Queue.put() + get()",
  async fn() {
    for (let i = 0; i < BATCH; i++) await queue.put(i);
    for (let i = 0; i < BATCH; i++) await queue.get();
  },
});

const [left, right] = Pipe<number>();
Deno.bench({
  group: "1000 small messages, one thread",
  name: "Connection.sendSync() + recvSync()",
  fn() {
    for (let i = 0; i < BATCH; i++) left.sendSync(i);
    for (let i = 0; i < BATCH; i++) right.recvSync();
  },
});

// ---- the codec on a small record ----

const record = { id: 12345, name: "widget", tags: ["a", "b"], price: 9.5 };

Deno.bench({
  group: "codec: small record",
  name: "JSON.stringify + parse (baseline)",
  baseline: true,
  fn() {
    JSON.parse(JSON.stringify(record));
  },
});

Deno.bench({
  group: "codec: small record",
  name: "encode + decode",
  fn() {
    decode(encode(record));
  },
});

Deno.bench({
  group: "codec: small record",
  name: "node:v8 serialize + deserialize",
  fn() {
    deserialize(serialize(record));
  },
});

Deno.bench({
  group: "codec: int",
  name: "JSON.stringify + parse (baseline)",
  baseline: true,
  fn() {
    JSON.parse(JSON.stringify(42));
  },
});

Deno.bench({
  group: "codec: int",
  name: "encode + decode (allocates the encoding)",
  fn() {
    decode(encode(42));
  },
});

Deno.bench({
  group: "codec: int",
  name: "encodeScratch + decode (what a put and a get do)",
  fn() {
    decode(encodeScratch(42, "Cannot put to queue"));
  },
});

const rich = { when: new Date(0), big: 2n ** 70n, tags: new Set(["a"]) };
Deno.bench({
  group: "codec: rich record (Date, bigint, Set)",
  name: "node:v8 serialize + deserialize (baseline)",
  baseline: true,
  fn() {
    deserialize(serialize(rich));
  },
});

Deno.bench({
  group: "codec: rich record (Date, bigint, Set)",
  name: "encode + decode",
  fn() {
    decode(encode(rich));
  },
});
