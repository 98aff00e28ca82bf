// Copyright 2026 the denomp authors. MIT license.
// Hostile input: over 10,000 random and mutated frames from raw sockets,
// before and after the handshake, while a proper client works alongside.
// Afterwards the server must still serve, and the data must be intact.
import assert from "node:assert/strict";
import { type DictProxy, Manager } from "@denomp/multiprocessing";
import { encodeFrame, FrameReader } from "../dist/lib/_internal.js";
import { RawClient } from "./_manager_raw.ts";

const SEED = Number(Deno.env.get("FUZZ_SEED") ?? 0x5eed);
const AUTHED_FRAMES = 10_000;
const UNAUTHED_FRAMES = 400;

/** mulberry32: a small seeded PRNG, so that a failure can be replayed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const METHODS = [
  "manager.ping",
  "manager.create",
  "manager.incref",
  "manager.release",
  "manager.cancel",
  "manager.register",
  "manager.lookup",
  "dict.get",
  "dict.set",
  "dict.pop",
  "dict.update",
  "dict.toObject",
  "list.append",
  "list.get",
  "list.insert",
  "list.remove",
  "list.index",
  "list.slice",
  "list.replace",
  "queue.put",
  "queue.get",
  "lock.acquire",
  "lock.release",
  "event.wait",
  "event.set",
  "semaphore.release",
  "constructor",
  "__proto__",
  "prototype",
  "dict.constructor",
  "dict.__proto__",
  "toString",
  "",
];

class Fuzzer {
  rand: () => number;
  ids: string[];
  constructor(seed: number, ids: string[]) {
    this.rand = prng(seed);
    this.ids = ids;
  }
  int(n: number): number {
    return Math.floor(this.rand() * n);
  }
  pick<T>(items: T[]): T {
    return items[this.int(items.length)]!;
  }
  value(depth = 0): unknown {
    switch (this.int(depth > 3 ? 6 : 10)) {
      case 0:
        return null;
      case 1:
        return this.rand() < 0.5;
      case 2:
        return this.int(2 ** 31) - 2 ** 30;
      case 3:
        return this.rand() * 1e300;
      case 4:
        return this.string();
      case 5:
        return this.pick(["__proto__", "constructor", "$", "prototype"]);
      case 6:
        return Array.from({ length: this.int(4) }, () => this.value(depth + 1));
      case 7: {
        const o: Record<string, unknown> = {};
        for (let i = 0; i < this.int(4); i++) {
          Object.defineProperty(o, this.pick(["a", "$", "__proto__", "v"]), {
            value: this.value(depth + 1),
            enumerable: true,
            configurable: true,
            writable: true,
          });
        }
        return o;
      }
      case 8:
        return { $: this.pick(["u", "i", "f", "d", "m", "s", "b", "o", "?"]) };
      default:
        return this.pick(this.ids);
    }
  }
  string(): string {
    const chars = 'ab$_"\\\u0000\u00e9\ud83d\ude00{}[]:,';
    let s = "";
    for (let i = 0; i < this.int(12); i++) s += this.pick([...chars]);
    return s;
  }
  request(): Record<string, unknown> {
    const params = [this.pick(this.ids)];
    for (let i = 0; i < this.int(4); i++) params.push(this.value() as string);
    const req: Record<string, unknown> = {
      jsonrpc: "2.0",
      id: this.int(1000),
      method: this.pick(METHODS),
      params,
    };
    // Waits must not pile up for ever: give most of them a short timeout.
    if (this.rand() < 0.9) params.push(0 as unknown as string);
    return req;
  }
  /** One frame's payload, random or mutated. */
  payload(): Uint8Array {
    const enc = new TextEncoder();
    switch (this.int(8)) {
      case 0: // random bytes
        return crypto.getRandomValues(new Uint8Array(this.int(64)));
      case 1: // random JSON value
        return enc.encode(JSON.stringify(this.value()));
      case 2: { // wrong shapes
        const req = this.request();
        const key = this.pick(["jsonrpc", "id", "method", "params"]);
        req[key] = this.value();
        return enc.encode(JSON.stringify(req));
      }
      case 3: { // truncated
        const text = JSON.stringify(this.request());
        return enc.encode(text.slice(0, this.int(text.length)));
      }
      case 4: { // bytes flipped
        const bytes = enc.encode(JSON.stringify(this.request()));
        for (let i = 0; i < 1 + this.int(3); i++) {
          const at = this.int(bytes.length);
          bytes[at] = bytes[at]! ^ (1 << this.int(8));
        }
        return bytes;
      }
      case 5: { // characters inserted
        const text = JSON.stringify(this.request());
        const at = this.int(text.length);
        return enc.encode(
          text.slice(0, at) + this.pick(['"', "{", "]", ",", "\\", "1e999"]) +
            text.slice(at),
        );
      }
      case 6: // batch
        return enc.encode(JSON.stringify([this.request(), this.request()]));
      default: // well formed, hostile values
        return enc.encode(JSON.stringify(this.request()));
    }
  }
}

/** Reads and counts responses; resolves waiters for sync ids. */
class Drain {
  responses = 0;
  closed = false;
  #waiters = new Map<string, () => void>();
  #done: Promise<void>;
  constructor(conn: Deno.Conn) {
    this.#done = this.#run(conn);
  }
  async #run(conn: Deno.Conn): Promise<void> {
    const reader = new FrameReader(0xffffffff);
    const buf = new Uint8Array(64 * 1024);
    const decoder = new TextDecoder();
    try {
      for (;;) {
        const n = await conn.read(buf);
        if (n === null) break;
        reader.push(buf.subarray(0, n));
        let frame;
        while ((frame = reader.next()) !== null) {
          // The server's own output is always well-formed JSON-RPC.
          const message = JSON.parse(decoder.decode(frame));
          assert.equal(message.jsonrpc, "2.0");
          this.responses++;
          if (typeof message.id === "string") {
            this.#waiters.get(message.id)?.();
          }
        }
      }
    } catch (error) {
      if (error instanceof assert.AssertionError) throw error;
    }
    this.closed = true;
    for (const wake of this.#waiters.values()) wake();
  }
  wait(id: string): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.set(id, resolve));
  }
  done(): Promise<void> {
    return this.#done;
  }
}

Deno.test("the manager survives 10,000 random and mutated frames and keeps its data", async () => {
  await using manager = await Manager.start({
    address: { hostname: "127.0.0.1", port: 0 },
    maxFrameBytes: 64 * 1024,
  });
  const address = manager.address as { hostname: string; port: number };
  const data = { a: 1, nested: { list: [1, 2, 3], s: "x" }, big: 2n ** 64n };
  const check = await manager.dict<unknown>(data);
  const scratch = [
    await manager.dict(),
    await manager.list(),
    await manager.queue({ maxsize: 4 }),
    await manager.lock(),
    await manager.event(),
    await manager.semaphore(1),
  ];
  const raw0 = await RawClient.connect(address, manager.authkey);
  const ids: string[] = ["0", "x"];
  for (const [i, proxy] of scratch.entries()) {
    await manager.register(`s${i}`, proxy);
    const reply = await raw0.call("manager.lookup", [`s${i}`]) as {
      result: [string];
    };
    ids.push(reply.result[0]);
  }
  raw0.close();
  const fuzz = new Fuzzer(SEED, ids);

  // A proper client keeps working while the fuzzing goes on.
  const busy = await manager.dict<number>();
  let stop = false;
  const worker = (async () => {
    let i = 0;
    while (!stop) {
      await busy.set(`k${i % 50}`, i);
      i++;
    }
    return i;
  })();

  // Before the handshake: every connection is closed after its first
  // frame, and nothing reaches a method.
  let sent = 0;
  for (let c = 0; sent < UNAUTHED_FRAMES; c++) {
    const raw = await RawClient.connect(address);
    for (let i = 0; i < 20; i++, sent++) {
      if (!await raw.sendBytes(encodeFrame(JSON.stringify(fuzz.request())))) {
        break;
      }
      if (fuzz.rand() < 0.5) {
        await raw.sendBytes(fuzz.payload());
      }
    }
    while (await raw.next() !== null) { /* drain until closed */ }
    raw.close();
  }

  // After the handshake.
  let closedByServer = 0;
  let responses = 0;
  let authed = 0;
  let sync = 0;
  while (authed < AUTHED_FRAMES) {
    const raw = await RawClient.connect(address, manager.authkey);
    const drain = new Drain(raw.conn);
    while (authed < AUTHED_FRAMES && !drain.closed) {
      const r = fuzz.rand();
      let frame: Uint8Array;
      if (r < 0.002) {
        // A length over the limit: error, then the connection closes.
        frame = new Uint8Array([0x7f, 0xff, 0xff, 0xff, 1, 2, 3]);
      } else {
        const body = fuzz.payload();
        frame = new Uint8Array(4 + body.length);
        new DataView(frame.buffer).setUint32(0, body.length);
        frame.set(body, 4);
      }
      // Sometimes split a frame across two writes.
      if (frame.length > 2 && fuzz.rand() < 0.1) {
        const cut = 1 + fuzz.int(frame.length - 1);
        if (!await raw.sendBytes(frame.subarray(0, cut))) break;
        if (!await raw.sendBytes(frame.subarray(cut))) break;
      } else if (!await raw.sendBytes(frame)) {
        break;
      }
      authed++;
      if (authed % 250 === 0) {
        const id = `sync-${sync++}`;
        await raw.sendJson({ jsonrpc: "2.0", id, method: "manager.ping" });
        await drain.wait(id);
      }
    }
    if (drain.closed) closedByServer++;
    raw.close();
    await drain.done();
    responses += drain.responses;
  }
  assert.ok(authed >= AUTHED_FRAMES);
  assert.ok(closedByServer > 0, "some frame should have been over the limit");
  // Most frames were answered (notifications and parked waits are not).
  assert.ok(responses > AUTHED_FRAMES / 2, `only ${responses} responses`);

  stop = true;
  const writes = await worker;
  assert.ok(writes > 0);
  assert.equal(await busy.size(), Math.min(50, writes));

  // The data is intact and a fresh client still works.
  assert.deepEqual(await check.toObject(), data);
  await using other = await Manager.connect({
    address,
    authkey: manager.authkey,
  });
  await manager.register("check", check);
  const again = await other.lookup<DictProxy<unknown>>("check");
  assert.deepEqual(await again.toObject(), data);
  await again.set("after", true);
  assert.equal(await check.get("after"), true);
  assert.equal(Object.hasOwn(Object.prototype, "a"), false);
});
