// Copyright 2026 the denomp authors. MIT license.
import assert from "node:assert/strict";
import {
  Client,
  connection,
  Listener,
  Pipe,
  Process,
  type SocketConnection,
} from "@denomp/multiprocessing";

const TCP = { hostname: "127.0.0.1", port: 0 };
const module = new URL("./fixtures/connection_targets.ts", import.meta.url);

async function pairs(
  listener: Listener,
  n: number,
): Promise<[SocketConnection<string>, SocketConnection<string>][]> {
  const out: [SocketConnection<string>, SocketConnection<string>][] = [];
  for (let i = 0; i < n; i++) {
    const accepting = listener.accept<string>();
    const client = await Client<string>(listener.address, { authkey: "k" });
    out.push([client, await accepting]);
  }
  return out;
}

async function ended(target: string, args: unknown[]): Promise<Process> {
  const p = new Process({ target, args, module });
  await p.start();
  await p.join();
  return p;
}

Deno.test("connection.wait() returns the ready connections and Processes in the order given", async () => {
  await using listener = new Listener(TCP, { authkey: "k" });
  const conns = await pairs(listener, 3);
  const [c1, c2, c3] = conns.map(([, server]) => server) as [
    SocketConnection<string>,
    SocketConnection<string>,
    SocketConnection<string>,
  ];
  const p = await ended("nothing", []);
  const running = new Process({ target: "nothing", args: [], module });
  try {
    await conns[2]![0].send("to c3");
    await conns[0]![0].send("to c1");
    // Both messages have arrived once each end can receive them.
    assert.equal(await c3.poll({ timeout: 5000 }), true);
    assert.equal(await c1.poll({ timeout: 5000 }), true);
    assert.deepEqual(await connection.wait([c1, c2, c3, p]), [c1, c3, p]);
    assert.deepEqual(await connection.wait([p, c3, c2, c1]), [p, c3, c1]);
    assert.equal(await c1.recv(), "to c1");
    assert.equal(await c3.recv(), "to c3");
    // Nothing ready: the timeout gives [], as Python's.
    assert.deepEqual(await connection.wait([c1, c2, c3], { timeout: 5 }), []);
    assert.deepEqual(await connection.wait([c1, c2], { timeout: 0 }), []);
    // Blocking until one becomes ready: a message, then an end of file.
    const waiting = connection.wait([c1, c2, c3]);
    await conns[1]![0].send("to c2");
    assert.deepEqual(await waiting, [c2]);
    assert.equal(await c2.recv(), "to c2");
    conns[2]![0].close();
    assert.deepEqual(await connection.wait([c1, c2, c3]), [c3]);
    // A Process that ends wakes it too.
    await running.start();
    assert.deepEqual(await connection.wait([c1, running]), [running]);
  } finally {
    for (const [client, server] of conns) {
      client.close();
      server.close();
    }
    p.close();
    running.close();
  }
});

Deno.test("connection.wait() takes Pipe ends and socket connections together", async () => {
  await using listener = new Listener(TCP, { authkey: "k" });
  const [[client, server]] = await pairs(listener, 1) as [
    [SocketConnection<string>, SocketConnection<string>],
  ];
  const [a, b] = Pipe<string>();
  try {
    const p = new Process({ target: "sendOne", args: [a, "via pipe"], module });
    await p.start();
    const ready = await connection.wait([server, b]);
    assert.deepEqual(ready, [b]);
    assert.equal(await b.recv(), "via pipe");
    await p.join();
    p.close();
    await client.send("via socket");
    assert.deepEqual(await connection.wait([b, server]), [server]);
  } finally {
    client.close();
    server.close();
    a.close();
    b.close();
  }
});

Deno.test("connection.wait() with several writers gets every message, then every end of file", async () => {
  await using listener = new Listener(TCP, { authkey: "k" });
  const processes: Process[] = [];
  for (let id = 0; id < 4; id++) {
    const p = new Process({
      target: "writer",
      args: [listener.address, "k", id, 25],
      module,
    });
    await p.start();
    processes.push(p);
  }
  const readers: SocketConnection<[number, number]>[] = [];
  for (let i = 0; i < 4; i++) readers.push(await listener.accept());
  const got = new Map<number, number[]>();
  let open = [...readers];
  while (open.length > 0) {
    for (const r of await connection.wait(open)) {
      try {
        const [id, i] = await r.recv();
        got.set(id, [...got.get(id) ?? [], i]);
      } catch (error) {
        assert.equal((error as Error).name, "EOFError");
        open = open.filter((o) => o !== r);
        r.close();
      }
    }
  }
  for (let id = 0; id < 4; id++) {
    assert.deepEqual(got.get(id), Array.from({ length: 25 }, (_, i) => i));
  }
  for (const p of processes) {
    await p.join();
    assert.equal(p.exitcode, 0);
    p.close();
  }
});

Deno.test("connection.wait() rejects bad objects, aborts, and exports Listener and Client", async () => {
  await assert.rejects(connection.wait(5 as never), TypeError);
  await assert.rejects(connection.wait([{}] as never), TypeError);
  const unstarted = new Process({ target: "nothing", module });
  await assert.rejects(connection.wait([unstarted]), /not started/);
  unstarted.close();
  const [a, b] = Pipe();
  const controller = new AbortController();
  const waiting = connection.wait([a], { signal: controller.signal });
  controller.abort(new Error("stop"));
  await assert.rejects(waiting, /stop/);
  await assert.rejects(connection.wait([a], { timeout: -1 }), RangeError);
  b.close();
  assert.deepEqual(await connection.wait([a]), [a]);
  a.close();
  assert.equal(connection.Listener, Listener);
  assert.equal(connection.Client, Client);
});
