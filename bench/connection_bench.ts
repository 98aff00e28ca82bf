// Copyright 2026 the denomp authors. MIT license.
// Listener/Client against the raw floor: a bare TCP echo over the same
// loopback, and Pipe's shared memory. Run with `deno task bench`.
import { Client, Listener, Pipe } from "@denomp/multiprocessing";

const listener = new Listener({ hostname: "127.0.0.1", port: 0 }, {
  authkey: "bench",
});
const accepting = listener.accept<number>();
const client = await Client<number>(listener.address, { authkey: "bench" });
const server = await accepting;
// The echo side runs in this thread too: every round trip crosses the
// loopback twice, as the floor below does.
(async () => {
  for (;;) {
    let v: number;
    try {
      v = await server.recv();
    } catch {
      return;
    }
    await server.send(v);
  }
})();

const rawListener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
const rawClient = await Deno.connect({
  hostname: "127.0.0.1",
  port: (rawListener.addr as Deno.NetAddr).port,
});
const rawServer = await rawListener.accept();
rawClient.setNoDelay(true);
rawServer.setNoDelay(true);
(async () => {
  const b = new Uint8Array(65536);
  for (;;) {
    let n: number | null;
    try {
      n = await rawServer.read(b);
    } catch {
      return;
    }
    if (n === null) return;
    rawServer.write(b.slice(0, n)).catch(() => {});
  }
})();
const frame = new Uint8Array(9);
const buf = new Uint8Array(1024);

const [a, b] = Pipe<number>();
(async () => {
  for (;;) {
    let v: number;
    try {
      v = await b.recv();
    } catch {
      return;
    }
    await b.send(v);
  }
})();

Deno.bench({
  group: "round trip",
  name: "raw TCP echo (same frame size)",
  baseline: true,
  async fn() {
    const reading = rawClient.read(buf);
    rawClient.write(frame);
    await reading;
  },
});

Deno.bench({
  group: "round trip",
  name: "SocketConnection send + recv",
  async fn() {
    await client.send(1);
    await client.recv();
  },
});

Deno.bench({
  group: "round trip",
  name: "Pipe Connection send + recv",
  async fn() {
    await a.send(1);
    await a.recv();
  },
});

Deno.bench({
  group: "stream",
  name: "SocketConnection: 1000 sends, then 1000 recvs",
  async fn() {
    for (let i = 0; i < 1000; i++) client.sendSync(i);
    for (let i = 0; i < 1000; i++) await client.recv();
  },
});

globalThis.addEventListener("unload", () => {
  client.close();
  listener.close();
  rawClient.close();
  rawServer.close();
  rawListener.close();
  a.close();
});
