// Copyright 2026 the denomp authors. MIT license.
// The Manager server's limits: a frame that stops arriving, the bytes one
// connection and all connections may hold. A client over a limit is
// dropped, told why, and every other client goes on.
import assert from "node:assert/strict";
import { Manager } from "@denomp/multiprocessing";
import { RawClient } from "./_manager_raw.ts";
import {
  CLIENT_PROOF,
  encodeFrame,
  FrameReader,
  fromBase64,
  importHmacKey,
  LIMIT_EXCEEDED,
  prove,
  toBase64,
} from "../dist/lib/_internal.js";

const TCP = { hostname: "127.0.0.1", port: 0 };

function tcpAddress(m: Manager): { hostname: string; port: number } {
  return m.address as { hostname: string; port: number };
}

/** A length prefix announcing `length` bytes, and `sent` bytes of them. */
function partialFrame(length: number, sent: number): Uint8Array {
  const out = new Uint8Array(4 + sent).fill(0x20);
  new DataView(out.buffer).setUint32(0, length);
  return out;
}

/** The error frame the server sends before it closes, then the close. */
async function dropped(raw: RawClient): Promise<string> {
  const reply = await raw.next() as {
    id: null;
    error: { code: number; message: string };
  };
  assert.equal(reply.id, null);
  assert.equal(reply.error.code, LIMIT_EXCEEDED);
  assert.equal(await raw.next(), null);
  return reply.error.message;
}

Deno.test("Manager drops a client whose frame stops arriving and serves the others", async () => {
  await using manager = await Manager.start({
    address: TCP,
    frameTimeout: 200,
  });
  const d = await manager.dict<number>();
  const stalled = await RawClient.connect(tcpAddress(manager), manager.authkey);
  const other = await RawClient.connect(tcpAddress(manager), manager.authkey);
  try {
    assert.ok(await stalled.sendBytes(partialFrame(1000, 10)));
    const drop = dropped(stalled);
    // Meanwhile the other raw client and the manager's own proxies work.
    const pong = await other.call("manager.ping", []) as {
      result: { open: number };
    };
    assert.ok(pong.result.open >= 2);
    await d.set("k", 1);
    assert.match(await drop, /a frame stopped arriving for \d+ ms/);
    assert.equal(await d.get("k"), 1);
    const after = await other.call("manager.ping", [], 2) as {
      result: { open: number };
    };
    assert.equal(after.result.open, pong.result.open - 1);
  } finally {
    stalled.close();
    other.close();
  }
});

Deno.test("Manager drops a client that stops reading its answers once they pile up", async () => {
  await using manager = await Manager.start({
    address: TCP,
    maxFrameBytes: 64 * 1024,
    maxBufferedBytes: 256 * 1024,
  });
  const l = await manager.list<string>(["x".repeat(60_000)]);
  await manager.register("l", l);
  const greedy = await RawClient.connect(tcpAddress(manager), manager.authkey);
  try {
    const id = (await greedy.call("manager.lookup", ["l"]) as {
      result: [string];
    }).result[0];
    // 1000 answers of 60 kB each (60 MB) that it never reads: once the
    // kernel's buffers are full they wait on the server, up to the limit.
    const frames: Uint8Array[] = [];
    for (let i = 0; i < 1000; i++) {
      frames.push(
        new TextEncoder().encode(JSON.stringify({
          jsonrpc: "2.0",
          id: i + 10,
          method: "list.get",
          params: [id, 0],
        })),
      );
    }
    for (const f of frames) {
      const out = new Uint8Array(4 + f.length);
      new DataView(out.buffer).setUint32(0, f.length);
      out.set(f, 4);
      if (!await greedy.sendBytes(out)) break;
    }
    // The server closed it; everything else goes on.
    let closed = false;
    for (let i = 0; i < 2000 && !closed; i++) {
      const frame = await greedy.next() as { id: unknown } | null;
      if (frame === null || frame.id === null) closed = true;
    }
    assert.ok(closed);
  } finally {
    greedy.close();
  }
  assert.equal((await l.get(0)).length, 60_000);
});

Deno.test("Manager drops the client that takes the total over its limit and serves the rest", async () => {
  await using manager = await Manager.start({
    address: TCP,
    maxFrameBytes: 1024 * 1024,
    maxTotalBufferedBytes: 1024 * 1024,
  });
  const d = await manager.dict<number>();
  const a = await RawClient.connect(tcpAddress(manager), manager.authkey);
  const b = await RawClient.connect(tcpAddress(manager), manager.authkey);
  try {
    // Each holds 600 kB of a 700 kB frame: together over the 1 MiB total.
    assert.ok(await a.sendBytes(partialFrame(700_000, 600_000)));
    assert.ok(await b.sendBytes(partialFrame(700_000, 600_000)));
    const next = [a.next(), b.next()];
    const first = await Promise.race(
      next.map((p, i) => p.then((frame) => ({ i, frame }))),
    );
    const frame = first.frame as { id: null; error: { code: number } };
    assert.equal(frame.error.code, LIMIT_EXCEEDED);
    const kept = first.i === 0 ? b : a;
    // The one kept finishes its frame (not JSON: a parse error answer,
    // which shows it was read whole and served).
    assert.ok(await kept.sendBytes(new Uint8Array(100_000).fill(0x20)));
    const reply = await next[1 - first.i] as { error: { code: number } };
    assert.equal(reply.error.code, -32700);
    await d.set("served", 1);
    assert.equal(await d.get("served"), 1);
  } finally {
    a.close();
    b.close();
  }
});

Deno.test("Manager.start() validates its limits", async () => {
  await assert.rejects(
    Manager.start({ frameTimeout: 0 }),
    RangeError,
  );
  await assert.rejects(
    // deno-lint-ignore no-explicit-any
    Manager.start({ frameTimeout: "1" as any }),
    TypeError,
  );
  await assert.rejects(
    Manager.start({ maxFrameBytes: 4096, maxBufferedBytes: 4096 }),
    /maxBufferedBytes must be an integer of at least maxFrameBytes \+ 4/,
  );
  await assert.rejects(
    Manager.start({ maxTotalBufferedBytes: 10 }),
    RangeError,
  );
});

Deno.test("a request sent in the same write as the handshake's answer is served", async () => {
  await using manager = await Manager.start({ address: TCP });
  const conn = await Deno.connect(tcpAddress(manager));
  try {
    const reader = new FrameReader(1 << 20);
    const buf = new Uint8Array(4096);
    const next = async () => {
      for (;;) {
        const frame = reader.next();
        if (frame !== null) return JSON.parse(new TextDecoder().decode(frame));
        const n = await conn.read(buf);
        if (n === null) return null;
        reader.push(buf.subarray(0, n));
      }
    };
    const hello = await next() as { challenge: string };
    const key = await importHmacKey(manager.authkey);
    const proof = await prove(key, CLIENT_PROOF, fromBase64(hello.challenge));
    const answer = encodeFrame(JSON.stringify({
      response: toBase64(proof),
      challenge: toBase64(crypto.getRandomValues(new Uint8Array(32))),
    }));
    const request = encodeFrame(
      JSON.stringify({ jsonrpc: "2.0", id: 1, method: "manager.ping" }),
    );
    const both = new Uint8Array(answer.length + request.length);
    both.set(answer);
    both.set(request, answer.length);
    await conn.write(both);
    assert.equal(
      typeof (await next() as { response: string }).response,
      "string",
    );
    const pong = await next() as { id: number; result: { pid: number } };
    assert.equal(pong.id, 1);
    assert.equal(pong.result.pid, manager.pid);
  } finally {
    conn.close();
  }
});

/** Frames of `requests`, each `JSON.stringify`ed, in one buffer. */
function requestFrames(requests: unknown[]): Uint8Array {
  const parts = requests.map((r) => encodeFrame(JSON.stringify(r)));
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

Deno.test("Manager drops a client whose parked calls' answers pile up unread", async () => {
  await using manager = await Manager.start({
    address: TCP,
    maxFrameBytes: 64 * 1024,
    maxBufferedBytes: 256 * 1024,
  });
  const q = await manager.queue<string>();
  await manager.register("q", q);
  const greedy = await RawClient.connect(tcpAddress(manager), manager.authkey);
  try {
    const id = (await greedy.call("manager.lookup", ["q"]) as {
      result: [string];
    }).result[0];
    // 1000 gets parked on the empty queue: each answer goes out later,
    // when an item arrives, and the client never reads them.
    const n = 1000;
    const gets = Array.from({ length: n }, (_, i) => ({
      jsonrpc: "2.0",
      id: i + 10,
      method: "queue.get",
      params: [id],
    }));
    assert.ok(await greedy.sendBytes(requestFrames(gets)));
    const pong = await greedy.call("manager.ping", [], 5) as { id: number };
    assert.equal(pong.id, 5);
    // 1000 items of 60 kB (60 MB): once the kernel's buffers are full the
    // answers wait on the server, until it drops the client, whose parked
    // gets then take nothing more.
    const item = "x".repeat(60_000);
    for (let i = 0; i < n; i++) await q.put(item);
    const left = await q.qsize();
    assert.ok(left > 0 && left < n, `${left} items left`);
    let closed = false;
    for (let i = 0; i <= n && !closed; i++) {
      const frame = await greedy.next() as { id: unknown } | null;
      if (frame === null || frame.id === null) closed = true;
    }
    assert.ok(closed);
    // No get of the dropped client is left to take an item.
    await q.put(item);
    assert.equal(await q.qsize(), left + 1);
  } finally {
    greedy.close();
  }
});

Deno.test("Manager's byte total forgets answers once they are written out", async () => {
  const MiB = 1024 * 1024;
  await using manager = await Manager.start({
    address: TCP,
    maxFrameBytes: MiB,
    maxBufferedBytes: 4 * MiB,
    maxTotalBufferedBytes: 3 * MiB,
  });
  const l = await manager.list<string>(["x".repeat(900_000)]);
  await manager.register("l", l);
  const address = tcpAddress(manager);
  const a = await RawClient.connect(address, manager.authkey);
  const b = await RawClient.connect(address, manager.authkey);
  try {
    const id = (await a.call("manager.lookup", ["l"]) as {
      result: [string];
    }).result[0];
    const gets = (count: number, base: number) =>
      Array.from({ length: count }, (_, i) => ({
        jsonrpc: "2.0",
        id: base + i,
        method: "list.get",
        params: [id, 0],
      }));
    // 20 answers (18 MB) go into one write, more than the kernel holds:
    // the first answer read shows that write has started.
    assert.ok(await a.sendBytes(requestFrames(gets(20, 100))));
    assert.equal((await a.next() as { id: number }).id, 100);
    // 3 more (2.7 MB) wait behind it: under both limits.
    assert.ok(await a.sendBytes(requestFrames(gets(3, 200))));
    for (let got = 1; got < 23; got++) {
      const frame = await a.next() as { id: number | null };
      assert.notEqual(frame.id, null);
    }
    // The server holds nothing for A now: B's 900 kB of a 1 MB frame fit
    // the 3 MiB total, and its frame is served whole (not JSON: a parse
    // error answer).
    assert.ok(await b.sendBytes(partialFrame(1_000_000, 900_000)));
    assert.ok(await b.sendBytes(new Uint8Array(100_000).fill(0x20)));
    const reply = await b.next() as { error: { code: number } };
    assert.equal(reply.error.code, -32700);
    assert.equal((await a.call("manager.ping", [], 7) as { id: number }).id, 7);
  } finally {
    a.close();
    b.close();
  }
});
