// Copyright 2026 the denomp authors. MIT license.
import assert from "node:assert/strict";
import {
  JoinableQueue,
  Pool,
  Process,
  Queue,
  QueueClosedError,
  QueueEmptyError,
  QueueFullError,
  SimpleQueue,
} from "@denomp/multiprocessing";
import {
  partsOf,
  RING_LOCK_OWNER,
  RING_PLOCK,
  RING_STREAM_READER_TOKEN,
} from "../dist/lib/_internal.js";
import { bigMessage, checkBigMessage } from "./fixtures/queue_targets.ts";
import { sharedInts as flags, signal, untilAtLeast as until } from "./_util.ts";

const module = new URL("./fixtures/queue_targets.ts", import.meta.url);

async function start(target: string, args: unknown[]): Promise<Process> {
  const p = new Process({ target, args, module });
  await p.start();
  return p;
}

Deno.test("Queue() rejects bad options", () => {
  assert.throws(() => new Queue(null as never), {
    name: "TypeError",
    message: "Cannot create queue: options must be an object, received null",
  });
  assert.throws(() => new Queue({ maxsize: "1" as never }), {
    name: "TypeError",
    message: 'Cannot create queue: maxsize must be a number, received "1"',
  });
  assert.throws(() => new Queue({ maxsize: 1.5 }), {
    name: "RangeError",
    message:
      "Cannot create queue: maxsize must be an integer up to 1073741823, received 1.5",
  });
  assert.throws(() => new Queue({ maxsize: 2 ** 30 }), RangeError);
  assert.throws(() => new Queue({ maxsize: -Infinity }), RangeError);
  assert.throws(() => new Queue({ capacity: true as never }), TypeError);
  assert.throws(() => new Queue({ capacity: 63 }), {
    name: "RangeError",
    message:
      "Cannot create queue: capacity must be an integer from 64 to 1073741824 bytes, received 63",
  });
  assert.throws(() => new Queue({ capacity: 2 ** 31 }), RangeError);
  assert.throws(() => new SimpleQueue({ capacity: 1 }), RangeError);
  assert.throws(() => new JoinableQueue({ maxsize: 0.5 }), RangeError);
});

Deno.test("Queue({ maxsize }) of 0 or less means no limit on the count, as Python's", () => {
  for (const maxsize of [0, -0, -1, -(2 ** 40)]) {
    for (
      const q of [
        new Queue<number>({ maxsize }),
        new JoinableQueue<number>({ maxsize }),
      ]
    ) {
      assert.equal(q.maxsize, 0);
      // Any count goes in at once: there is no bound.
      for (let i = 0; i < 5; i++) q.putNowait(i);
      assert.equal(q.full(), false);
      assert.equal(q.qsize(), 5);
      for (let i = 0; i < 5; i++) assert.equal(q.getNowait(), i);
      q.close();
    }
  }
});

Deno.test("Queue has documented defaults", () => {
  const q = new Queue();
  assert.equal(q.maxsize, 0);
  assert.equal(q.capacity, 1048576);
  assert.equal(q.closed, false);
  assert.equal(new Queue({ capacity: 100 }).capacity, 104);
  assert.equal(
    Deno.inspect(q),
    "Queue { maxsize: 0, qsize: 0, closed: false }",
  );
});

Deno.test("Queue.put() and get() keep FIFO order and count items", async () => {
  const q = new Queue<unknown>();
  assert.equal(q.empty(), true);
  const values = [1, "two", { three: [3] }, null, undefined, 5n, new Date(6)];
  for (const v of values) await q.put(v);
  assert.equal(q.qsize(), values.length);
  assert.equal(q.empty(), false);
  assert.equal(q.full(), false);
  for (const v of values) assert.deepEqual(await q.get(), v);
  assert.equal(q.qsize(), 0);
  q.putSync("s");
  q.putNowait("n");
  assert.equal(q.getSync(), "s");
  assert.equal(q.getNowait(), "n");
});

Deno.test("Queue.put() rejects a value it cannot encode and enqueues nothing", async () => {
  const q = new Queue<unknown>();
  await assert.rejects(q.put(() => 1), {
    name: "TypeError",
    message: "Cannot put to queue: value of type function cannot be encoded",
  });
  assert.throws(() => q.putSync(Symbol("x")), {
    name: "TypeError",
    message: "Cannot put to queue: value of type symbol cannot be encoded",
  });
  class Handle {
    close(): void {}
  }
  assert.throws(() => q.putNowait({ h: new Handle() }), TypeError);
  assert.equal(q.qsize(), 0);
  assert.throws(() => q.getNowait(), QueueEmptyError);
});

Deno.test("Queue keeps strings with lone surrogates exact, in this thread and from a Process", async () => {
  const text = "a\ud800b";
  const values: unknown[] = [
    text,
    [text, undefined],
    new Map([[text, 1]]),
    { [text]: text },
    "\udc00".repeat(5000),
  ];
  const q = new Queue<unknown>();
  for (const value of values) {
    q.putSync(value);
    assert.deepEqual(q.getSync(), value);
  }
  const p = await start("putOne", [q, [text, undefined]]);
  assert.deepEqual(await q.get(), [text, undefined]);
  await p.join();
  assert.equal(p.exitcode, 0);
  q.close();
});

Deno.test("Queue waits reject bad timeouts, signals and options", async () => {
  const q = new Queue();
  await assert.rejects(q.get({ timeout: -1 }), {
    name: "RangeError",
    message: "Cannot get from queue: timeout must be non-negative, received -1",
  });
  await assert.rejects(q.put(1, { timeout: "5" as never }), TypeError);
  await assert.rejects(q.get({ signal: {} as never }), {
    name: "TypeError",
    message:
      "Cannot get from queue: signal must be an AbortSignal, received an instance of Object",
  });
  assert.throws(() => q.getSync({ timeout: NaN }), TypeError);
  assert.throws(() => q.putSync(1, 5 as never), {
    name: "TypeError",
    message:
      "Cannot put to queue: options must be an object, received 5 (number)",
  });
  assert.equal(q.qsize(), 0);
});

Deno.test("Queue.putNowait() and put() throw QueueFullError at maxsize", async () => {
  const q = new Queue<number>({ maxsize: 2 });
  q.putNowait(1);
  await q.put(2);
  assert.equal(q.full(), true);
  assert.throws(() => q.putNowait(3), {
    name: "QueueFullError",
    message: "Cannot put to queue: the queue is full",
  });
  await assert.rejects(q.put(3, { timeout: 20 }), {
    name: "QueueFullError",
    message: "Cannot put to queue: still full after 20 ms",
  });
  assert.throws(() => q.putSync(3, { timeout: 1 }), QueueFullError);
  assert.equal(q.qsize(), 2);
  assert.equal(await q.get(), 1);
  assert.equal(await q.get(), 2);
});

Deno.test("Queue.get() throws QueueEmptyError when nothing comes in time", async () => {
  const q = new Queue();
  assert.throws(() => q.getNowait(), {
    name: "QueueEmptyError",
    message: "Cannot get from queue: the queue is empty",
  });
  await assert.rejects(q.get({ timeout: 10 }), {
    name: "QueueEmptyError",
    message: "Cannot get from queue: still empty after 10 ms",
  });
  await assert.rejects(q.get({ timeout: 0 }), QueueEmptyError);
  assert.throws(() => q.getSync({ timeout: 1 }), QueueEmptyError);
});

Deno.test("Queue.put() waits for room and resumes when a get frees it", async () => {
  const q = new Queue<number>({ maxsize: 1 });
  await q.put(1);
  let done = false;
  const pending = q.put(2).then(() => done = true);
  await new Promise((r) => setTimeout(r, 0));
  assert.equal(done, false);
  assert.equal(await q.get(), 1);
  await pending;
  assert.equal(await q.get(), 2);
});

Deno.test("Queue.put() waits for bytes of room when a message exceeds free space", async () => {
  const q = new Queue<Uint8Array>({ capacity: 256 });
  await q.put(new Uint8Array(150));
  let done = false;
  const pending = q.put(new Uint8Array(100).fill(7)).then(() => done = true);
  await new Promise((r) => setTimeout(r, 0));
  assert.equal(done, false);
  assert.equal((await q.get()).length, 150);
  await pending;
  assert.deepEqual(await q.get(), new Uint8Array(100).fill(7));
});

Deno.test("Queue.get() rejects with signal.reason when aborted and loses no message", async () => {
  const q = new Queue<string>();
  const controller = new AbortController();
  const waiting = q.get({ signal: controller.signal });
  controller.abort(new Error("stop"));
  await assert.rejects(waiting, { message: "stop" });
  // The aborted waiter's registration may linger; the next get must still
  // receive the next message.
  await q.put("after");
  assert.equal(await q.get({ timeout: 5000 }), "after");
  const already = AbortSignal.abort(new Error("before"));
  await q.put("kept");
  await assert.rejects(q.get({ signal: already }), { message: "before" });
  assert.equal(q.getNowait(), "kept");
  await assert.rejects(
    q.put("x", { signal: already }),
    { message: "before" },
  );
  assert.equal(q.qsize(), 0);
});

Deno.test("Queue.put() rejects with signal.reason when aborted while waiting", async () => {
  const q = new Queue<number>({ maxsize: 1 });
  await q.put(1);
  const controller = new AbortController();
  const waiting = q.put(2, { signal: controller.signal });
  controller.abort(new Error("no room"));
  await assert.rejects(waiting, { message: "no room" });
  assert.equal(q.qsize(), 1);
  assert.equal(await q.get(), 1);
  assert.throws(() => q.getNowait(), QueueEmptyError);
});

Deno.test("Queue.close() of the only handle rejects later puts and ends for await once drained", async () => {
  const q = new Queue<number>();
  await q.put(1);
  await q.put(2);
  const waitingGet = new Queue<number>();
  const pendingGet = waitingGet.get();
  q.close();
  q.close(); // idempotent
  assert.equal(q.closed, true);
  assert.equal(Deno.inspect(q), "Queue { maxsize: 0, qsize: 2, closed: true }");
  await assert.rejects(q.put(3), (error: unknown) => {
    assert.ok(error instanceof QueueClosedError);
    assert.equal(error.value, 3);
    assert.equal(
      error.message,
      "Cannot put to queue: this handle of the queue is closed",
    );
    return true;
  });
  assert.throws(() => q.putNowait(3), QueueClosedError);
  assert.throws(() => q.putSync(3), QueueClosedError);
  const seen: number[] = [];
  for await (const v of q) seen.push(v);
  assert.deepEqual(seen, [1, 2]);
  await assert.rejects(q.get(), {
    name: "QueueClosedError",
    message:
      "Cannot get from queue: every handle is closed and the queue is drained",
  });
  assert.throws(() => q.getNowait(), QueueClosedError);
  assert.throws(() => q.getSync({ timeout: 0 }), QueueClosedError);
  // A get waiting when the last handle closes wakes with QueueClosedError.
  waitingGet.close();
  await assert.rejects(pendingGet, QueueClosedError);
});

// CPython's test_closed_queue_put_get_exceptions: after close(), put and
// get both fail (there: ValueError "is closed"; here the closed handle was
// the only one, so the queue's input has ended as well).
Deno.test("Queue.close() then put and get fail, for Queue and JoinableQueue (CPython)", async () => {
  for (const q of [new Queue(), new JoinableQueue()]) {
    q.close();
    await assert.rejects(q.put("foo"), QueueClosedError);
    await assert.rejects(q.get(), QueueClosedError);
  }
});

Deno.test("Queue.close() wakes a put waiting for room", async () => {
  const q = new Queue<number>({ maxsize: 1 });
  await q.put(1);
  const waiting = q.put(2);
  q.close();
  await assert.rejects(waiting, QueueClosedError);
  assert.equal(await q.get(), 1);
});

Deno.test("Queue streams a message larger than its whole capacity", async () => {
  const q = new Queue<unknown>({ capacity: 128 });
  for (const size of [121, 200, 1000, 65536]) {
    const message = bigMessage(size, size);
    const [, got] = await Promise.all([q.put(message), q.get()]);
    assert.equal(checkBigMessage(got as Uint8Array, size), size);
  }
  // Mixed with small messages, order is kept.
  const puts = Promise.all([
    q.put("a"),
    q.put(bigMessage(1, 5000)),
    q.put("b"),
  ]);
  assert.equal(await q.get(), "a");
  assert.equal(checkBigMessage((await q.get()) as Uint8Array, 5000), 1);
  assert.equal(await q.get(), "b");
  await puts;
  assert.equal(q.qsize(), 0);
  assert.throws(() => q.putNowait(new Uint8Array(500)), QueueFullError);
});

Deno.test("Queue streams large messages from a Process", async () => {
  const q = new Queue<Uint8Array>({ capacity: 4096 });
  const progress = flags(1);
  const p = await start("putBigForever", [q, 20_000, progress]);
  try {
    for (let seq = 0; seq < 20; seq++) {
      assert.equal(checkBigMessage(await q.get(), 20_000), seq);
    }
  } finally {
    p.terminate();
    await p.join();
  }
});

Deno.test("Queue stays usable when a producer is terminated mid-stream", async () => {
  const q = new Queue<Uint8Array>({ capacity: 4096 });
  const progress = flags(1);
  const p = await start("putBigForever", [q, 10_000, progress]);
  try {
    for (let seq = 0; seq < 3; seq++) {
      assert.equal(checkBigMessage(await q.get(), 10_000), seq);
    }
    // The producer is now blocked in the middle of a message larger than
    // the ring (nobody reads): terminate it there.
    await until(progress, 0, 3);
    const ring = partsOf.get(q)!.ring;
    while (ring.isEmpty()) await new Promise((r) => setTimeout(r, 1));
    assert.equal(q.qsize(), 0); // pieces are there, no whole message
  } finally {
    p.terminate();
    await p.join();
  }
  // What it had started is discarded: no partial message comes out.
  await assert.rejects(q.get({ timeout: 50 }), QueueEmptyError);
  assert.equal(partsOf.get(q)!.ring.isEmpty(), true);
  assert.equal(q.qsize(), 0);
  // And the queue works for everyone afterwards, streams included.
  await q.put("small" as never);
  const message = bigMessage(99, 30_000);
  const [, big] = await Promise.all([
    q.put(message),
    (async () => {
      assert.equal(await q.get(), "small");
      return await q.get();
    })(),
  ]);
  assert.equal(checkBigMessage(big!, 30_000), 99);
});

Deno.test("Queue keeps a message when a consumer Process waiting on get() is terminated", async () => {
  const q = new Queue<string>();
  const started = flags(1);
  const p = await start("getForever", [q, started]);
  await until(started, 0, 1);
  p.terminate();
  await p.join();
  await q.put("survivor");
  assert.equal(await q.get({ timeout: 5000 }), "survivor");
  assert.equal(Atomics.load(started, 0), 1);
});

Deno.test("Queue crosses into Processes as a live object, nested too", async () => {
  const q = new Queue<number>();
  const out = new Queue<number>();
  const p = await start("getDouble", [q, out]);
  try {
    await q.put(21);
    assert.equal(await out.get({ timeout: 10_000 }), 42);
  } finally {
    await p.join();
  }
  assert.equal(p.exitcode, 0);
});

Deno.test("Queue delivers every message exactly once in per-producer order, and ends when the producers do (4 producers x 4 consumers)", async () => {
  const producers = 4;
  const consumers = 4;
  const n = 50_000;
  const q = new Queue<number>({ capacity: 64 * 1024 });
  const seen = new Int32Array(new SharedArrayBuffer(producers * n * 4));
  const stats = flags(2);
  const workers: Process[] = [];
  try {
    for (let c = 0; c < consumers; c++) {
      workers.push(
        await start(c % 2 ? "consume" : "consumeAsync", [
          q,
          seen,
          stats,
          producers,
          n,
        ]),
      );
    }
    for (let id = 0; id < producers; id++) {
      workers.push(await start("produce", [q, id, n]));
    }
    // The parent puts nothing: consumers end once every producer has
    // returned (each closes its handle as it ends), with no end marker.
    q.close();
    for (const p of workers) await p.join();
    for (const p of workers) assert.equal(p.exitcode, 0);
  } finally {
    for (const p of workers) if (p.isAlive()) p.terminate();
  }
  assert.equal(Atomics.load(stats, 0), 0, "per-producer order violated");
  assert.equal(Atomics.load(stats, 1), producers * n);
  let wrong = 0;
  for (let i = 0; i < seen.length; i++) if (seen[i] !== 1) wrong++;
  assert.equal(wrong, 0, "some message not received exactly once");
});

Deno.test("SimpleQueue puts, gets, closes and crosses into a Process", async () => {
  const q = new SimpleQueue<number>();
  assert.equal(q.empty(), true);
  const p = await start("simplePut", [q, 3]);
  assert.deepEqual([await q.get(), await q.get(), q.getSync()], [0, 1, 2]);
  await p.join();
  q.putSync(9);
  await q.put(10);
  q.close();
  const seen: number[] = [];
  for await (const v of q) seen.push(v);
  assert.deepEqual(seen, [9, 10]);
  await assert.rejects(q.put(1), QueueClosedError);
  assert.equal(Deno.inspect(q), "SimpleQueue { empty: true, closed: true }");
});

Deno.test("JoinableQueue.taskDone() throws when called more times than items were put", () => {
  const q = new JoinableQueue<number>();
  assert.throws(() => q.taskDone(), {
    name: "RangeError",
    message:
      "Cannot mark task done: taskDone() was called more times than items were put",
  });
  q.putNowait(1);
  q.putNowait(2);
  assert.equal(q.unfinishedTasks(), 2);
  q.getNowait();
  q.taskDone();
  q.taskDone(); // the second item is done without being got: allowed
  assert.throws(() => q.taskDone(), RangeError);
  assert.equal(q.unfinishedTasks(), 0);
});

Deno.test("JoinableQueue.join() waits until every task is done by worker Processes", async () => {
  const q = new JoinableQueue<number>();
  assert.equal(await q.join({ timeout: 0 }), true);
  const a = await start("work", [q, 50]);
  const b = await start("work", [q, 50]);
  try {
    for (let i = 0; i < 100; i++) await q.put(i);
    assert.equal(await q.join({ timeout: 20_000 }), true);
    assert.equal(q.unfinishedTasks(), 0);
    assert.equal(q.joinSync({ timeout: 0 }), true);
  } finally {
    await a.join();
    await b.join();
  }
  q.putNowait(1);
  assert.equal(await q.join({ timeout: 5 }), false);
  assert.equal(q.joinSync({ timeout: 1 }), false);
  const controller = new AbortController();
  const waiting = q.join({ signal: controller.signal });
  controller.abort(new Error("enough"));
  await assert.rejects(waiting, { message: "enough" });
  await assert.rejects(q.join({ timeout: -1 }), RangeError);
});

Deno.test("Queue.put() calls not awaited keep their order while waiting for room", async () => {
  const q = new Queue<number>({ maxsize: 2 });
  const puts: Promise<void>[] = [];
  for (let i = 0; i < 20; i++) puts.push(q.put(i));
  const got: number[] = [];
  for (let i = 0; i < 20; i++) got.push(await q.get());
  await Promise.all(puts);
  assert.deepEqual(got, Array.from({ length: 20 }, (_, i) => i));
});

Deno.test("Queue takes over a ring lock whose holder died inside it", async () => {
  const q = new Queue<number>();
  // A Process that has ended: its pid reads dead.
  const p = await start("putRangeSync", [q, 0]);
  await p.join();
  const header = new Int32Array(partsOf.get(q)!.ring.buffer, 0, 32);
  // Forge what a thread stopped inside the producer lock would leave.
  Atomics.store(header, RING_PLOCK, 1);
  header[RING_PLOCK + RING_LOCK_OWNER] = p.pid!;
  q.putSync(7); // waits about two seconds, then takes the lock over
  assert.equal(q.getSync(), 7);
  assert.equal(Atomics.load(header, RING_PLOCK), 0);
});

Deno.test("Queue discards the rest of a streamed message whose reader was terminated", async () => {
  const q = new Queue<unknown>({ capacity: 1024 });
  const header = new Int32Array(partsOf.get(q)!.ring.buffer, 0, 32);
  const producer = await start("putBigThen", [q, 4_000_000, "after"]);
  const reader = await start("getForever", [q, flags(1)]);
  try {
    // Wait until the reader has taken the first piece of the stream.
    while (Atomics.load(header, RING_STREAM_READER_TOKEN) === 0) {
      await new Promise((r) => setTimeout(r, 1));
    }
    reader.terminate();
    await reader.join();
    // The rest of that message is discarded; the next message is whole.
    assert.equal(await q.get({ timeout: 20_000 }), "after");
  } finally {
    await producer.join();
  }
  assert.equal(q.qsize(), 0);
});

// ---- handles: each Process holds its own copy of a queue ----

/** Takes everything until the queue's input ends. */
async function drain<T>(q: Queue<T> | SimpleQueue<T>): Promise<T[]> {
  const seen: T[] = [];
  for await (const v of q) seen.push(v);
  return seen;
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

Deno.test("Queue: the parent closes its handle right after start() and reads until the child returns", async () => {
  const q = new Queue<number>();
  const p = await start("putRange", [q, 300]);
  // Python's pattern: this process puts nothing. The child's handle was
  // counted at start(), so the reader cannot see the end too early.
  q.close();
  assert.deepEqual(await drain(q), range(300));
  await p.join();
  assert.equal(p.exitcode, 0);
  await assert.rejects(q.get(), QueueClosedError);
});

Deno.test("Queue: a child closing its handle first leaves the parent's open", async () => {
  const q = new Queue<number>();
  const f = flags(2);
  const p = await start("closeThenWait", [q, f]);
  try {
    await until(f, 0, 1);
    // The child's handle is closed, the parent's is not: no end yet.
    await assert.rejects(q.get({ timeout: 20 }), QueueEmptyError);
    await q.put(1);
    assert.equal(await q.get(), 1);
    q.close();
    await assert.rejects(q.get(), QueueClosedError);
  } finally {
    signal(f, 1);
    await p.join();
  }
  assert.equal(p.exitcode, 0);
});

Deno.test("Queue: a child's handle keeps the queue open until the child ends", async () => {
  const q = new Queue<number>();
  const f = flags(2);
  const p = await start("closeThenWait", [new Queue(), f]);
  const holder = await start("waitThenWrite", [q, 2, f]);
  try {
    q.close();
    await until(f, 0, 1);
    // The holder is alive and has put nothing yet: a get waits.
    await assert.rejects(q.get({ timeout: 20 }), QueueEmptyError);
    signal(f, 1);
    assert.deepEqual(await drain(q), [0, 1]);
  } finally {
    await p.join();
    await holder.join();
  }
});

for (const busy of [true, false]) {
  const kind = busy ? "busy in a loop" : "idle";
  Deno.test(`Queue: a child terminated while ${kind} holding a handle ends the input after what it put`, async () => {
    const q = new Queue<number>();
    const f = flags(2);
    const p = await start(busy ? "writeThenSpin" : "writeThenIdle", [q, 50, f]);
    try {
      q.close();
      await until(f, 0, 1);
      p.terminate();
      await p.join();
      assert.equal(p.exitcode, -15);
      // Its handle went with it: everything it put, then the end.
      assert.deepEqual(await drain(q), range(50));
      assert.throws(() => q.getNowait(), QueueClosedError);
    } finally {
      // Let a busy thread that Deno could not stop leave its loop.
      Atomics.store(f, 1, 1);
    }
  });
}

for (const how of ["throw", "exit"] as const) {
  Deno.test(`Queue: a child whose target ${how}s closes its handle as it ends`, async () => {
    const q = new Queue<number>();
    const p = await start("writeThenEnd", [q, 40, how]);
    q.close();
    assert.deepEqual(await drain(q), range(40));
    await p.join();
    assert.equal(p.exitcode, how === "exit" ? 3 : 1);
  });
}

Deno.test("Queue.getSync() wakes with the end when the last writer is killed", async () => {
  const q = new Queue<number>();
  const f = flags(2);
  const p = await start("writeThenSpin", [q, 3, f]);
  try {
    q.close();
    await until(f, 0, 1);
    p.kill();
    assert.deepEqual([q.getSync(), q.getSync(), q.getSync()], [0, 1, 2]);
    assert.throws(() => q.getSync(), QueueClosedError);
  } finally {
    Atomics.store(f, 1, 1);
    await p.join();
  }
});

Deno.test("Queue: nested Processes: a grandchild's handle keeps the input open after its parent closed", async () => {
  const q = new Queue<number>();
  const f = flags(2);
  const child = await start("handToGrandchild", [q, 20, f, true]);
  q.close();
  await until(f, 0, 1);
  // The parent's and the child's handles are closed; the grandchild's is
  // not, and it has put nothing yet.
  await assert.rejects(q.get({ timeout: 20 }), QueueEmptyError);
  signal(f, 1);
  assert.deepEqual(await drain(q), range(20));
  await child.join();
  assert.equal(child.exitcode, 0);
});

Deno.test("Queue: a Process that returns ends its running children, and their handles with them", async () => {
  const q = new Queue<number>();
  const f = flags(2);
  const child = await start("handToGrandchild", [q, 20, f, false]);
  q.close();
  await child.join();
  // The grandchild was ended with its parent (Deno stops a worker's nested
  // workers): its handle is gone, the input ends.
  assert.deepEqual(await drain(q), []);
  Atomics.store(f, 1, 1);
});

Deno.test("Queue: a handle closed before it is passed arrives closed", async () => {
  const q = new Queue<string>();
  const out = new Queue<string>();
  await q.put("kept");
  q.close();
  const p = await start("putOnClosed", [q, out]);
  out.close();
  assert.deepEqual(await drain(out), ["QueueClosedError"]);
  await p.join();
  assert.deepEqual(await drain(q), ["kept"]);
});

Deno.test("Queue: handles lent to Pool tasks count until each task is over", async () => {
  const q = new Queue<number>();
  await using pool = new Pool({ processes: 2, module });
  const tasks = range(8).map((id): [Queue<number>, number, number] => [
    q,
    id,
    25,
  ]);
  const done = pool.starmap("poolPut", tasks, { chunksize: 1 });
  // The parent puts nothing: the input ends once every task is over,
  // though the pool's workers live on.
  q.close();
  const seen = await drain(q);
  const expected = range(8).flatMap((id) =>
    range(25).map((i) => id * 1000 + i)
  );
  assert.deepEqual(seen.sort((a, b) => a - b), expected);
  assert.equal((await done).length, 8);
});

Deno.test("Queue: a Pool task that closes its lent handle cannot put; the pool's hold ends with the task", async () => {
  const q = new Queue<number>();
  await using pool = new Pool({ processes: 1, module });
  assert.equal(await pool.apply("poolCloseThenPut", [q]), "QueueClosedError");
  q.close();
  await assert.rejects(q.get(), QueueClosedError);
});

Deno.test("Queue: handles lent to Pool tasks that never run are given back", async () => {
  const q = new Queue<number>();
  const pool = new Pool({ processes: 1, module });
  const tasks = range(50).map((id): [Queue<number>, number, number] => [
    q,
    id,
    1,
  ]);
  // Encoded (and held) now; terminated before any worker starts.
  const pending = pool.starmap("poolPut", tasks, { chunksize: 1 });
  pool.terminate();
  await assert.rejects(pending, { name: "CancelledError" });
  await pool.join();
  q.close();
  assert.throws(() => q.getNowait(), QueueClosedError);
});

Deno.test("Queue: a handle in a Pool's initargs counts until the pool has stopped", async () => {
  const q = new Queue<number>();
  const pool = new Pool({
    processes: 2,
    initializer: "keepQueue",
    initargs: [q],
    module,
  });
  try {
    await pool.map("putKept", range(10));
    q.close();
    const seen: number[] = [];
    for (let i = 0; i < 10; i++) seen.push(await q.get());
    assert.deepEqual(seen.sort((a, b) => a - b), range(10));
    // The pool's workers may still put: no end yet.
    await assert.rejects(q.get({ timeout: 20 }), QueueEmptyError);
    pool.close();
    await pool.join();
    await assert.rejects(q.get(), QueueClosedError);
  } finally {
    pool.terminate();
  }
});

Deno.test("Queue handles: a stress of 6 Processes each closing at a different moment", async () => {
  const producers = 6;
  const n = 5000;
  const q = new Queue<number>({ capacity: 4096 });
  const workers: Process[] = [];
  for (let id = 0; id < producers; id++) {
    workers.push(await start("produce", [q, id, n]));
  }
  q.close();
  const seen = new Int32Array(producers * n);
  let count = 0;
  for await (const v of q) {
    const id = Math.floor(v / 1048576);
    seen[id * n + (v % 1048576)]!++;
    count++;
  }
  assert.equal(count, producers * n);
  assert.equal(seen.every((c) => c === 1), true);
  for (const p of workers) await p.join();
});

Deno.test("JoinableQueue.join() waits for taskDone(), not for handles to close", async () => {
  const q = new JoinableQueue<number>();
  q.putNowait(1);
  q.close();
  assert.equal(await q.join({ timeout: 10 }), false);
  assert.equal(q.getNowait(), 1);
  assert.equal(q.joinSync({ timeout: 0 }), false);
  q.taskDone();
  assert.equal(await q.join(), true);
  assert.equal(
    Deno.inspect(q),
    "JoinableQueue { maxsize: 0, qsize: 0, unfinished: 0, closed: true }",
  );
});

Deno.test("SimpleQueue: the parent closes first, a child puts and returns", async () => {
  const q = new SimpleQueue<number>();
  const p = await start("simplePut", [q, 5]);
  q.close();
  assert.deepEqual(await drain(q), range(5));
  await p.join();
});
