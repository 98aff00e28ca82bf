// Copyright 2026 the denomp authors. MIT license.
import assert from "node:assert/strict";
import {
  AuthenticationError,
  Client,
  type Connection,
  type ConnectionLike,
  EOFError,
  Listener,
  Pipe,
  Process,
  SocketConnection,
  TimeoutError,
} from "@denomp/multiprocessing";
import { encodeFrame } from "../dist/lib/_internal.js";

const TCP = { hostname: "127.0.0.1", port: 0 };
const module = new URL("./fixtures/connection_targets.ts", import.meta.url);

// Pipe's Connection and SocketConnection have one interface.
const _pipeEnd: ConnectionLike<number> = Pipe<number>()[0] as Connection<
  number
>;

/** A connected pair: [client, server]. */
async function pair<T>(
  listener: Listener,
  authkey?: string,
): Promise<[SocketConnection<T>, SocketConnection<T>]> {
  const accepting = listener.accept<T>();
  const client = await Client<T>(
    listener.address,
    authkey === undefined ? {} : { authkey },
  );
  return [client, await accepting];
}

Deno.test("Listener and Client make a connection that carries values and bytes both ways", async () => {
  await using listener = new Listener(TCP, { authkey: "secret" });
  const [client, server] = await pair<unknown>(listener, "secret");
  try {
    await client.send({ a: [1, 2n, new Date(0)], b: new Map([[1, "x"]]) });
    assert.deepEqual(await server.recv(), {
      a: [1, 2n, new Date(0)],
      b: new Map([[1, "x"]]),
    });
    await server.sendBytes(new Uint8Array([1, 2, 3]));
    assert.deepEqual(await client.recv(), new Uint8Array([1, 2, 3]));
    await server.send("text");
    // recvBytes of a value: its encoding, as Pipe's recvBytes gives.
    const bytes = await client.recvBytes();
    assert.ok(bytes instanceof Uint8Array && bytes.length > 4);
    const big = new Uint8Array(3 * 1024 * 1024).map((_, i) => i % 251);
    const sent = client.sendBytes(big);
    assert.deepEqual(await server.recvBytes(), big);
    await sent;
    // Many in flight, in order.
    for (let i = 0; i < 1000; i++) client.sendSync(i);
    for (let i = 0; i < 1000; i++) assert.equal(await server.recv(), i);
    assert.equal(client.readable && client.writable, true);
    assert.match(
      Deno.inspect(client),
      /^SocketConnection \{ peer: "127\.0\.0\.1:\d+", open, 0 waiting \}$/,
    );
    assert.equal(listener.lastAccepted !== null, true);
  } finally {
    client.close();
    server.close();
  }
});

Deno.test("Client with a wrong authkey fails with AuthenticationError, and the listener goes on", async () => {
  await using listener = new Listener(TCP, { authkey: "right" });
  await assert.rejects(
    Client(listener.address, { authkey: "wrong" }),
    AuthenticationError,
  );
  await assert.rejects(Client(listener.address), {
    name: "AuthenticationError",
    message: /it requires an authkey/,
  });
  await using open = new Listener(TCP);
  await assert.rejects(Client(open.address, { authkey: "x" }), {
    name: "AuthenticationError",
    message: /does not authenticate/,
  });
  const [client, server] = await pair<string>(listener, "right");
  await client.send("after");
  assert.equal(await server.recv(), "after");
  client.close();
  server.close();
});

Deno.test("a SocketConnection sees EOFError once the other end closed and everything was read", async () => {
  await using listener = new Listener(TCP);
  const [client, server] = await pair<number>(listener);
  await client.send(1);
  await client.send(2);
  client.close();
  client.close();
  assert.equal(client.closed, true);
  await assert.rejects(client.send(3), Deno.errors.BadResource);
  await assert.rejects(client.recv(), Deno.errors.BadResource);
  assert.equal(await server.recv(), 1);
  assert.equal(server.recvSync(), 2);
  await assert.rejects(server.recv(), EOFError);
  assert.equal(await server.poll(), true);
  assert.throws(() => server.recvSync(), EOFError);
  // Sending to a closed peer ends in BrokenPipe (at once or at the next).
  let broken = false;
  for (let i = 0; i < 100 && !broken; i++) {
    try {
      await server.sendBytes(new Uint8Array(64 * 1024));
      await server.poll({ timeout: 1 });
    } catch (error) {
      assert.ok(error instanceof Deno.errors.BrokenPipe);
      broken = true;
    }
  }
  assert.ok(broken);
  server.close();
});

Deno.test("recv and poll time out and abort; the Sync twins say why they cannot wait", async () => {
  await using listener = new Listener(TCP);
  const [client, server] = await pair<number>(listener);
  try {
    assert.equal(await server.poll(), false);
    assert.equal(await server.poll({ timeout: 5 }), false);
    await assert.rejects(server.recv({ timeout: 5 }), TimeoutError);
    const controller = new AbortController();
    const waiting = server.recv({ signal: controller.signal });
    controller.abort(new Error("stop"));
    await assert.rejects(waiting, /stop/);
    assert.equal(server.pollSync(), false);
    assert.throws(() => server.recvSync({ timeout: 0 }), TimeoutError);
    assert.throws(() => server.recvSync(), {
      name: "NotSupported",
      message: /event loop/,
    });
    assert.throws(
      () => server.pollSync({ timeout: 10 }),
      Deno.errors.NotSupported,
    );
    client.sendSync(7);
    assert.equal(await server.poll({ timeout: 1000 }), true);
    assert.equal(server.pollSync(), true);
    assert.equal(server.recvSync(), 7);
    await assert.rejects(
      client.send((() => {}) as unknown as number),
      TypeError,
    );
    await assert.rejects(
      client.sendBytes("no" as unknown as Uint8Array),
      TypeError,
    );
  } finally {
    client.close();
    server.close();
  }
});

Deno.test("Listener.accept() times out, aborts, iterates and rejects once closed", async () => {
  const listener = new Listener(TCP);
  await assert.rejects(listener.accept({ timeout: 5 }), TimeoutError);
  const controller = new AbortController();
  const waiting = listener.accept({ signal: controller.signal });
  controller.abort(new Error("enough"));
  await assert.rejects(waiting, /enough/);
  const clients = [
    await Client(listener.address),
    await Client(listener.address),
  ];
  let n = 0;
  for await (const conn of listener) {
    conn.close();
    if (++n === 2) break;
  }
  const pending = listener.accept();
  listener.close();
  listener.close();
  await assert.rejects(pending, Deno.errors.BadResource);
  await assert.rejects(listener.accept(), Deno.errors.BadResource);
  for (const c of clients) c.close();
  assert.match(Deno.inspect(listener), /closed/);
});

Deno.test("Listener and Client work over a Unix socket, whose file goes with the listener", async () => {
  // The test task grants no file writes: a subprocess with exactly the
  // flags a Unix socket needs runs the round trip.
  const dir = `/tmp/denomp-test-${crypto.randomUUID()}`;
  const path = `${dir}/conn.sock`;
  const { code, stderr } = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--quiet",
      `--allow-read=${dir},.`,
      `--allow-write=${dir}`,
      `--allow-net=unix:${path}`,
      new URL("./fixtures/connection_unix.ts", import.meta.url).href,
      dir,
      path,
    ],
    stdout: "null",
    stderr: "piped",
  }).output();
  assert.equal(code, 0, new TextDecoder().decode(stderr));
});

Deno.test("a client whose message stops arriving is dropped while another is served", async () => {
  await using listener = new Listener(TCP, { frameTimeout: 200 });
  const accepting = listener.accept();
  const raw = await Deno.connect(listener.address as Deno.ConnectOptions);
  const stalled = await accepting;
  const [client, server] = await pair<string>(listener);
  try {
    // Read the listener's hello, then send half a message and stop.
    const buf = new Uint8Array(1024);
    await raw.read(buf);
    const half = new Uint8Array(4 + 10);
    new DataView(half.buffer).setUint32(0, 1000);
    await raw.write(half);
    const drop = stalled.recv();
    await client.send("still here");
    assert.equal(await server.recv(), "still here");
    await assert.rejects(drop, {
      name: "ConnectionAborted",
      message: /a frame stopped arriving/,
    });
  } finally {
    raw.close();
    stalled.close();
    client.close();
    server.close();
  }
});

Deno.test("a message over maxFrameBytes drops its connection, and the total limit drops the one over it", async () => {
  await using listener = new Listener(TCP, {
    maxFrameBytes: 64 * 1024,
    maxTotalBufferedBytes: 100 * 1024,
  });
  const [client, server] = await pair<Uint8Array>(listener);
  // Our own client refuses what the listener announced it would not take.
  await assert.rejects(client.sendBytes(new Uint8Array(65 * 1024)), RangeError);
  // Raw peers: one announces too much, two hold 60 kB each.
  const raws: Deno.Conn[] = [];
  const accepted: SocketConnection[] = [];
  try {
    for (let i = 0; i < 3; i++) {
      const accepting = listener.accept();
      const raw = await Deno.connect(listener.address as Deno.ConnectOptions);
      await raw.read(new Uint8Array(1024));
      raws.push(raw);
      accepted.push(await accepting);
    }
    const huge = new Uint8Array(4);
    new DataView(huge.buffer).setUint32(0, 70 * 1024);
    await raws[0]!.write(huge);
    await assert.rejects(accepted[0]!.recv(), {
      name: "ConnectionAborted",
      message: /exceeds the limit/,
    });
    const part = new Uint8Array(4 + 60 * 1024);
    new DataView(part.buffer).setUint32(0, 64 * 1024);
    const a = accepted[1]!.recv().then(() => "a", (e) => e.name);
    const b = accepted[2]!.recv().then(() => "b", (e) => e.name);
    await raws[1]!.write(part);
    await raws[2]!.write(part);
    assert.equal(await Promise.race([a, b]), "ConnectionAborted");
    await client.sendBytes(new Uint8Array(10));
    assert.deepEqual(await server.recvBytes(), new Uint8Array(10));
  } finally {
    for (const raw of raws) raw.close();
    for (const conn of accepted) conn.close();
    client.close();
    server.close();
  }
});

Deno.test("Listener and Client reject bad arguments; a socket connection cannot cross into a Process", async () => {
  assert.throws(() => new Listener({ hostname: "", port: 0 }), TypeError);
  assert.throws(() => new Listener({ hostname: "x", port: 70000 }), RangeError);
  assert.throws(() => new Listener(TCP, { backlog: 0 }), RangeError);
  assert.throws(() => new Listener(TCP, { maxFrameBytes: 10 }), RangeError);
  assert.throws(() => new Listener(TCP, { authkey: 5 as never }), TypeError);
  await assert.rejects(Client({ path: "" }), TypeError);
  await assert.rejects(Client("x" as never), TypeError);
  assert.throws(() => new SocketConnection(), TypeError);
  await using listener = new Listener(TCP);
  const [client, server] = await pair(listener);
  const p = new Process({ target: "nothing", args: [client], module });
  await assert.rejects(async () => await p.start(), /Client\(\)/);
  p.close();
  client.close();
  server.close();
  // Something that is not a Listener at the address.
  const fake = Deno.listen(TCP);
  const accepting = fake.accept().then(async (c) => {
    await c.write(encodeFrame(JSON.stringify({ protocol: "other/1" })));
    return c;
  });
  await assert.rejects(
    Client(fake.addr as Deno.NetAddr),
    /does not speak denomp-connection\/1/,
  );
  (await accepting).close();
  fake.close();
});

Deno.test("Client() reaches a Listener from a Process; round trips keep their order", async () => {
  await using listener = new Listener(TCP, { authkey: "echo" });
  const p = new Process({
    target: "echo",
    args: [listener.address, "echo"],
    module,
  });
  await p.start();
  using conn = await listener.accept<number>();
  for (let i = 0; i < 200; i++) {
    await conn.send(i);
    assert.equal(await conn.recv(), i);
  }
  conn.close();
  await p.join();
  assert.equal(p.exitcode, 0);
  p.close();
});

Deno.test("a message that arrives with the handshake's last frame is received", async () => {
  // A listener without authkey whose hello and first message go out in
  // one write: the client must not wait for more bytes to see it.
  const fake = Deno.listen(TCP);
  const serving = fake.accept().then(async (c) => {
    const hello = encodeFrame(
      JSON.stringify({ protocol: "denomp-connection/1", maxFrameBytes: 1024 }),
    );
    const payload = new TextEncoder().encode("hi");
    const data = new Uint8Array(4 + payload.length);
    new DataView(data.buffer).setUint32(0, (payload.length | 0x80000000) >>> 0);
    data.set(payload, 4);
    const both = new Uint8Array(hello.length + data.length);
    both.set(hello);
    both.set(data, hello.length);
    await c.write(both);
    return c;
  });
  using client = await Client(fake.addr as Deno.NetAddr);
  assert.deepEqual(
    await client.recvBytes({ timeout: 5000 }),
    new TextEncoder().encode("hi"),
  );
  (await serving).close();
  fake.close();
});

/** Whether the other end of `conn` closed: its read sees EOF or a reset. */
async function sawClose(conn: Deno.Conn): Promise<boolean> {
  try {
    return await conn.read(new Uint8Array(1)) === null;
  } catch (error) {
    return error instanceof Deno.errors.ConnectionReset;
  }
}

Deno.test("Client() rejects with the signal's reason when aborted while connecting or in the handshake", async () => {
  // A server that accepts and never says hello.
  const silent = Deno.listen(TCP);
  const address = { ...TCP, port: (silent.addr as Deno.NetAddr).port };
  const reason = new Error("stop");
  try {
    // Aborted while the socket connects: the call rejects with the reason
    // though the server stays silent, and the late socket is closed.
    const early = new AbortController();
    const connecting = assert.rejects(
      Client(address, { signal: early.signal }),
      (e) => e === reason,
    );
    early.abort(reason);
    await connecting;
    const first = await silent.accept();
    assert.ok(await sawClose(first));
    first.close();
    // Aborted in the handshake.
    const late = new AbortController();
    const handshaking = assert.rejects(
      Client(address, { signal: late.signal }),
      (e) => e === reason,
    );
    const second = await silent.accept();
    late.abort(reason);
    await handshaking;
    assert.ok(await sawClose(second));
    second.close();
  } finally {
    silent.close();
  }
});

Deno.test("Listener.close() cuts off a client still in its handshake", async () => {
  const listener = new Listener(TCP, { authkey: "k" });
  const silent = await Deno.connect(listener.address as typeof TCP);
  try {
    // The listener's hello arrived: the handshake is under way, and the
    // client never answers it.
    assert.ok(await silent.read(new Uint8Array(4096)) !== null);
    await listener[Symbol.asyncDispose]();
    // Closed by close() itself; its timer would not be due for 10 s.
    assert.ok(await sawClose(silent));
  } finally {
    silent.close();
  }
});

Deno.test("Listener.lastAccepted names the client accept() returned", async () => {
  await using listener = new Listener(TCP);
  const clients = [
    await Deno.connect(listener.address as typeof TCP),
    await Deno.connect(listener.address as typeof TCP),
  ];
  try {
    // Both read the hello (no authkey: their handshakes are done) and send
    // one raw message each: their index.
    for (const [i, client] of clients.entries()) {
      assert.ok(await client.read(new Uint8Array(4096)) !== null);
      const frame = new Uint8Array(5);
      new DataView(frame.buffer).setUint32(0, (1 + 0x80000000) >>> 0);
      frame[4] = i;
      await client.write(frame);
    }
    for (let n = 0; n < 2; n++) {
      using conn = await listener.accept();
      const [i] = await conn.recvBytes();
      const port = (clients[i!]!.localAddr as Deno.NetAddr).port;
      assert.deepEqual(listener.lastAccepted, { ...TCP, port });
    }
  } finally {
    for (const client of clients) client.close();
  }
});
