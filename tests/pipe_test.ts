// Copyright 2026 the denomp authors. MIT license.
import assert from "node:assert/strict";
import {
  Connection,
  EOFError,
  Pipe,
  Pool,
  Process,
  Queue,
  TimeoutError,
} from "@denomp/multiprocessing";
import { bigMessage, checkBigMessage } from "./fixtures/queue_targets.ts";
import { sharedInts as flags, signal, untilAtLeast as until } from "./_util.ts";

const module = new URL("./fixtures/queue_targets.ts", import.meta.url);

async function start(target: string, args: unknown[]): Promise<Process> {
  const p = new Process({ target, args, module });
  await p.start();
  return p;
}

Deno.test("Pipe() rejects bad arguments", () => {
  assert.throws(() => Pipe("yes" as never), {
    name: "TypeError",
    message: 'Cannot create pipe: duplex must be a boolean, received "yes"',
  });
  assert.throws(() => Pipe(true, null as never), TypeError);
  assert.throws(() => Pipe(true, { capacity: "1" as never }), TypeError);
  assert.throws(() => Pipe(true, { capacity: 8 }), {
    name: "RangeError",
    message:
      "Cannot create pipe: capacity must be an integer from 64 to 1073741824 bytes, received 8",
  });
  assert.throws(() => new Connection(), {
    name: "TypeError",
    message: "Cannot create connection: use Pipe()",
  });
});

Deno.test("Pipe() connects two duplex ends", async () => {
  const [a, b] = Pipe<unknown>();
  assert.equal(a.readable && a.writable && b.readable && b.writable, true);
  await a.send({ hello: "b" });
  b.sendSync([1, 2n, new Map([[1, 1]])]);
  assert.deepEqual(await b.recv(), { hello: "b" });
  assert.deepEqual(a.recvSync(), [1, 2n, new Map([[1, 1]])]);
  assert.equal(
    Deno.inspect(a),
    "Connection { readable: true, writable: true, closed: false }",
  );
});

Deno.test("Pipe(false) makes a read-only end and a write-only end", async () => {
  const [reader, writer] = Pipe<number>(false);
  assert.equal(reader.readable, true);
  assert.equal(reader.writable, false);
  assert.equal(writer.readable, false);
  assert.equal(writer.writable, true);
  writer.sendSync(1);
  assert.equal(await reader.recv(), 1);
  await assert.rejects(reader.send(1), {
    name: "TypeError",
    message: "Cannot send: this end of the pipe is read-only",
  });
  assert.throws(() => writer.recvSync(), {
    name: "TypeError",
    message: "Cannot receive: this end of the pipe is write-only",
  });
  assert.throws(() => writer.pollSync(), TypeError);
  assert.equal(
    Deno.inspect(reader),
    "Connection { readable: true, writable: false, closed: false }",
  );
});

Deno.test("Connection.recv() throws EOFError once the other end is closed and drained", async () => {
  const [a, b] = Pipe<number>();
  a.sendSync(1);
  a.sendSync(2);
  a.close();
  a.close(); // idempotent
  assert.equal(a.closed, true);
  assert.equal(b.closed, false);
  assert.equal(await b.recv(), 1);
  assert.equal(b.recvSync(), 2);
  await assert.rejects(b.recv(), (error: unknown) => {
    assert.ok(error instanceof EOFError);
    assert.equal(error.name, "EOFError");
    return true;
  });
  assert.throws(() => b.recvSync(), EOFError);
  // Sending to a closed end, or using a closed end, fails.
  await assert.rejects(b.send(3), Deno.errors.BrokenPipe);
  assert.throws(
    () => b.sendBytesSync(new Uint8Array(1)),
    Deno.errors.BrokenPipe,
  );
  await assert.rejects(a.send(3), {
    name: "BadResource",
    message: "Cannot send: the connection is closed",
  });
  assert.throws(() => a.recvSync(), Deno.errors.BadResource);
  assert.equal(
    Deno.inspect(a),
    "Connection { readable: true, writable: true, closed: true }",
  );
});

Deno.test("Connection.recv() waiting when the other end closes throws EOFError", async () => {
  const [a, b] = Pipe();
  const waiting = b.recv();
  a.close();
  await assert.rejects(waiting, EOFError);
});

Deno.test("Connection.poll() tells whether a receive would wait", async () => {
  const [a, b] = Pipe<number>();
  assert.equal(await b.poll(), false);
  assert.equal(b.pollSync({ timeout: 5 }), false);
  assert.equal(await b.poll({ timeout: 10 }), false);
  const later = b.poll({ timeout: 10_000 });
  a.sendSync(1);
  assert.equal(await later, true);
  assert.equal(b.pollSync(), true);
  assert.equal(b.recvSync(), 1);
  a.close();
  assert.equal(await b.poll(), true); // recv would throw EOFError
  const controller = new AbortController();
  const [, d] = Pipe();
  const waiting = d.poll({ timeout: 10_000, signal: controller.signal });
  controller.abort(new Error("stop polling"));
  await assert.rejects(waiting, { message: "stop polling" });
  await assert.rejects(d.poll({ timeout: -5 }), RangeError);
});

Deno.test("Connection.sendBytes() and recvBytes() move raw bytes", async () => {
  const [a, b] = Pipe();
  await a.sendBytes(new Uint8Array([1, 2, 3]));
  a.sendBytesSync(new Uint16Array([0x0102]).buffer);
  a.sendBytesSync(new DataView(new Uint8Array([7, 8, 9]).buffer, 1, 2));
  assert.deepEqual(await b.recvBytes(), new Uint8Array([1, 2, 3]));
  assert.deepEqual(
    b.recvBytesSync(),
    new Uint8Array(new Uint16Array([0x0102]).buffer),
  );
  // recv() gives raw bytes as a Uint8Array.
  assert.deepEqual(await b.recv(), new Uint8Array([8, 9]));
  // recvBytes() of a value gives its encoding, which decodes back.
  await a.send("text");
  const encoded = await b.recvBytes();
  assert.ok(encoded instanceof Uint8Array && encoded.length > 4);
  await assert.rejects(a.sendBytes("nope" as never), {
    name: "TypeError",
    message:
      'Cannot send: bytes must be an ArrayBuffer or a view of one, received "nope"',
  });
  assert.throws(() => a.sendBytesSync(null as never), TypeError);
});

Deno.test("Connection.send() rejects a value it cannot encode and sends nothing", async () => {
  const [a, b] = Pipe<unknown>();
  await assert.rejects(a.send(() => {}), {
    name: "TypeError",
    message: "Cannot send: value of type function cannot be encoded",
  });
  assert.throws(() => a.sendSync({ s: Symbol("x") }), TypeError);
  assert.equal(b.pollSync(), false);
});

Deno.test("Connection.recv() times out with TimeoutError and honours signal", async () => {
  const [a, b] = Pipe<string>();
  await assert.rejects(b.recv({ timeout: 10 }), {
    name: "TimeoutError",
    message: "Cannot receive: nothing arrived within 10 ms",
  });
  assert.throws(() => b.recvSync({ timeout: 0 }), TimeoutError);
  await assert.rejects(b.recvBytes({ timeout: 0 }), TimeoutError);
  const controller = new AbortController();
  const waiting = b.recv({ signal: controller.signal });
  controller.abort(new Error("cancelled"));
  await assert.rejects(waiting, { message: "cancelled" });
  // Nothing is lost: the next message goes to the next recv.
  a.sendSync("next");
  assert.equal(await b.recv({ timeout: 5000 }), "next");
  await assert.rejects(b.recv({ timeout: "1" as never }), TypeError);
  await assert.rejects(b.recv({ signal: 1 as never }), TypeError);
});

Deno.test("Connection.send() times out with TimeoutError when the pipe stays full", async () => {
  const [a, b] = Pipe<Uint8Array>(true, { capacity: 128 });
  await a.send(new Uint8Array(50));
  await a.send(new Uint8Array(50));
  await assert.rejects(a.send(new Uint8Array(50), { timeout: 10 }), {
    name: "TimeoutError",
    message: "Cannot send: still no room after 10 ms",
  });
  assert.throws(
    () => a.sendSync(new Uint8Array(50), { timeout: 0 }),
    TimeoutError,
  );
  assert.equal((await b.recv()).length, 50);
  assert.equal((await b.recv()).length, 50);
  assert.equal(b.pollSync(), false);
});

Deno.test("Pipe streams a message larger than its capacity", async () => {
  const [a, b] = Pipe<Uint8Array>(true, { capacity: 256 });
  const message = bigMessage(5, 100_000);
  const [, got] = await Promise.all([a.send(message), b.recv()]);
  assert.equal(checkBigMessage(got, 100_000), 5);
  const [, raw] = await Promise.all([a.sendBytes(message), b.recvBytes()]);
  assert.equal(checkBigMessage(raw, 100_000), 5);
});

Deno.test("Pipe carries the seed program: a child sends 10000", async () => {
  const [parent, child] = Pipe<number>();
  const p = await start("sendSubtotal", [child, 10000]);
  child.close(); // the parent's copy of the child's end
  await p.join();
  assert.equal(await parent.recv(), 10000);
  await assert.rejects(parent.recv(), EOFError);
});

Deno.test("Pipe ends cross into a Process: echo round trips, then EOF", async () => {
  const [a, b] = Pipe<unknown>();
  const p = await start("echo", [b]);
  try {
    for (let i = 0; i < 1000; i++) {
      a.sendSync(i);
      assert.equal(a.recvSync({ timeout: 10_000 }), i);
    }
    await a.send({ nested: [new Date(1), 3n] });
    assert.deepEqual(await a.recv(), { nested: [new Date(1), 3n] });
    const big = bigMessage(7, 2_000_000);
    await a.send(big);
    assert.equal(checkBigMessage((await a.recv()) as Uint8Array, 2_000_000), 7);
  } finally {
    a.close();
    await p.join();
  }
  assert.equal(p.exitcode, 0);
});

Deno.test("Pipe(false) writer in a Process sends raw words in order", async () => {
  const [reader, writer] = Pipe(false);
  const p = await start("sendWords", [writer, 500]);
  try {
    for (let i = 0; i < 500; i++) {
      const b = await reader.recvBytes({ timeout: 10_000 });
      assert.equal(new DataView(b.buffer).getUint32(0), i);
    }
  } finally {
    await p.join();
  }
});

// ---- handles: each Process holds its own copy of an end ----

const text = (s: string) => new TextEncoder().encode(s);
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

/** Receives until EOFError. */
async function drain<T>(conn: Connection<T>): Promise<T[]> {
  const seen: T[] = [];
  while (true) {
    try {
      seen.push(await conn.recv());
    } catch (error) {
      if (error instanceof EOFError) return seen;
      throw error;
    }
  }
}

// CPython's test_spawn_close: the parent closes its copy of the child's end
// immediately after start(), and the pipe keeps working.
Deno.test("Connection: the parent closes the child's end right after start() (CPython test_spawn_close)", async () => {
  const [conn, childConn] = Pipe();
  const p = await start("echoBytesUntilEmpty", [childConn]);
  childConn.close(); // this might complete before the child initializes
  await conn.sendBytes(text("hello"));
  assert.deepEqual(await conn.recvBytes(), text("hello"));
  await conn.sendBytes(new Uint8Array(0)); // tell the child to quit
  conn.close();
  await p.join();
  assert.equal(p.exitcode, 0);
});

// CPython's test_connection, its end: once the child has quit and closed
// its end, and the parent closed its copy, recv and recv_bytes raise
// EOFError.
Deno.test("Connection: recv() throws EOFError once the child's end is closed everywhere (CPython test_connection)", async () => {
  const [conn, childConn] = Pipe<unknown>();
  const p = await start("echoBytesUntilEmpty", [childConn]);
  const long = text("hello world".repeat(10));
  await conn.sendBytes(long);
  assert.deepEqual(await conn.recvBytes(), long);
  const reallyBig = new Uint8Array(16 * 1024 * 1024).fill(88);
  await conn.sendBytes(reallyBig);
  assert.deepEqual(await conn.recvBytes(), reallyBig);
  await conn.sendBytes(new Uint8Array(0)); // tell the child to quit
  childConn.close();
  assert.equal(conn.readable, true);
  assert.equal(conn.writable, true);
  await assert.rejects(conn.recv(), EOFError);
  await assert.rejects(conn.recvBytes(), EOFError);
  await p.join();
});

Deno.test("Connection: the parent closes its end first; the child reads to EOF and then cannot send", async () => {
  const [a, b] = Pipe<number>();
  const out = new Queue<number | string>();
  const p = await start("countUntilEof", [b, out]);
  b.close();
  for (let i = 0; i < 10; i++) await a.send(i);
  a.close();
  assert.equal(await out.get(), 10);
  assert.equal(await out.get(), "BrokenPipe");
  await p.join();
  assert.equal(p.exitcode, 0);
});

Deno.test("Connection: a child closing its end first leaves the parent's copy open", async () => {
  const [a, b] = Pipe<unknown>();
  const f = flags(2);
  const p = await start("closeThenWait", [b, f]);
  try {
    await until(f, 0, 1);
    // The parent still holds a copy of that end: no EOF yet.
    await assert.rejects(a.recv({ timeout: 20 }), TimeoutError);
    a.sendSync("still read by the parent's copy");
    assert.equal(b.recvSync(), "still read by the parent's copy");
    b.close();
    await assert.rejects(a.recv(), EOFError);
    assert.throws(() => a.sendSync(1), Deno.errors.BrokenPipe);
  } finally {
    signal(f, 1);
    await p.join();
  }
});

for (const busy of [true, false]) {
  const kind = busy ? "busy in a loop" : "idle";
  Deno.test(`Connection: a child terminated while ${kind} holding its end gives EOF after what it sent`, async () => {
    const [a, b] = Pipe<number>();
    const f = flags(2);
    const p = await start(busy ? "writeThenSpin" : "writeThenIdle", [b, 30, f]);
    try {
      b.close();
      await until(f, 0, 1);
      p.terminate();
      await p.join();
      assert.deepEqual(await drain(a), range(30));
      assert.throws(() => a.recvSync(), EOFError);
      // Nobody reads the other way either.
      await assert.rejects(a.send(1), Deno.errors.BrokenPipe);
    } finally {
      Atomics.store(f, 1, 1);
    }
  });
}

for (const how of ["throw", "exit"] as const) {
  Deno.test(`Connection: a child whose target ${how}s closes its end as it ends`, async () => {
    const [a, b] = Pipe<number>();
    const p = await start("writeThenEnd", [b, 25, how]);
    b.close();
    assert.deepEqual(await drain(a), range(25));
    await p.join();
    assert.equal(p.exitcode, how === "exit" ? 3 : 1);
  });
}

Deno.test("Connection.send() throws BrokenPipe at once when the only reader's Process is killed", async () => {
  const [a, b] = Pipe<number>();
  const f = flags(2);
  const p = await start("writeThenIdle", [b, 0, f]);
  b.close();
  await until(f, 0, 1);
  a.sendSync(1); // the reader is alive: this is in the pipe
  p.kill();
  assert.throws(() => a.sendSync(2), {
    name: "BrokenPipe",
    message: "Cannot send: the other end is closed",
  });
  await p.join();
});

Deno.test("Connection: nested Processes: a grandchild's handle keeps the end open", async () => {
  const [a, b] = Pipe<number>();
  const f = flags(2);
  const child = await start("handToGrandchild", [b, 15, f, true]);
  b.close();
  await until(f, 0, 1);
  await assert.rejects(a.recv({ timeout: 20 }), TimeoutError);
  signal(f, 1);
  assert.deepEqual(await drain(a), range(15));
  await child.join();
  assert.equal(child.exitcode, 0);
});

Deno.test("Connection: a closed handle cannot be passed to a Process", () => {
  const [, b] = Pipe();
  b.close();
  assert.throws(
    () => new Process({ target: "echo", args: [b], module }).start(),
    {
      name: "BadResource",
      message: "Cannot send connection to a worker: the connection is closed",
    },
  );
});

Deno.test("Connection: ends lent to Pool tasks count until each task is over", async () => {
  const [reader, writer] = Pipe<number>(false);
  await using pool = new Pool({ processes: 2, module });
  const done = pool.starmap(
    "poolSend",
    range(6).map((
      id,
    ): [Connection<number>, number, number] => [writer, id, 40]),
    { chunksize: 1 },
  );
  writer.close();
  const seen = await drain(reader);
  assert.deepEqual(
    seen.sort((x, y) => x - y),
    range(6).flatMap((id) => range(40).map((i) => id * 1000 + i)),
  );
  assert.equal((await done).length, 6);
});
