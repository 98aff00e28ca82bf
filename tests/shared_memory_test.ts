// Copyright 2026 the denomp authors. MIT license.
import assert from "node:assert/strict";
import { Pool, Process, Queue, SharedMemory } from "@denomp/multiprocessing";
import { arenaStats } from "../dist/lib/_internal.js";
import { sharedInts as flags, signal, untilAtLeast as until } from "./_util.ts";

const module = new URL("./fixtures/shm_targets.ts", import.meta.url);
const text = (s: string) => new TextEncoder().encode(s);
const decode = (b: Uint8Array) => new TextDecoder().decode(b);

async function start(target: string, args: unknown[]): Promise<Process> {
  const p = new Process({ target, args, module });
  await p.start();
  return p;
}

/** A name no other test of this file uses. */
let names = 0;
function fresh(prefix: string): string {
  return `${prefix}_${Deno.pid}_${++names}`;
}

// CPython's test_shared_memory_basics, one case at a time.
Deno.test("SharedMemory basics: create, name, size, buf, attach, errors (CPython)", () => {
  const name = fresh("test01_tsmb");
  const sms = new SharedMemory({ name, create: true, size: 512 });
  try {
    assert.equal(sms.name, name);
    assert.equal(sms.size, 512);
    assert.equal(sms.buf.length, 512);
    assert.ok(Deno.inspect(sms).includes(name));
    assert.ok(Deno.inspect(sms).includes("512"));
    sms.buf[0] = 42;
    assert.equal(sms.buf[0], 42);
    // Attach to the existing block.
    const also = new SharedMemory({ name });
    assert.equal(also.buf[0], 42);
    also.close();
    // Attach with a new size: the size is ignored.
    const same = new SharedMemory({ name, size: 20 * sms.size });
    assert.equal(same.size, 512);
    same.close();
    assert.throws(() => new SharedMemory({ create: true, size: -2 }), {
      name: "RangeError",
      message:
        "Cannot create shared memory: size must be a non-negative integer, received -2",
    });
    assert.throws(() => new SharedMemory({ create: false }), {
      name: "TypeError",
      message:
        "Cannot attach shared memory: name is required unless create is true",
    });
    // Unlinking twice is an error.
    const once = fresh("test01_dblunlink");
    const uno = new SharedMemory({ name: once, create: true, size: 5000 });
    const duo = new SharedMemory({ name: once });
    duo.unlink();
    duo.close();
    uno.close();
    assert.throws(() => uno.unlink(), {
      name: "NotFound",
      message: `Cannot unlink shared memory: no block named "${once}"`,
    });
    // A name in use cannot be created again.
    assert.throws(
      () => new SharedMemory({ name, create: true, size: 512 }),
      {
        name: "AlreadyExists",
        message: `Cannot create shared memory: a block named "${name}" exists`,
      },
    );
    // No block has this name.
    assert.throws(() => new SharedMemory({ name: "test01_notthere" }), {
      name: "NotFound",
      message: 'Cannot attach shared memory: no block named "test01_notthere"',
    });
  } finally {
    sms.close();
    sms.unlink();
  }
});

// CPython's test_invalid_shared_memory_cration.
Deno.test("SharedMemory() rejects a negative, zero or missing size when creating (CPython)", () => {
  for (const size of [-1, 0, undefined]) {
    assert.throws(
      () =>
        new SharedMemory(
          size === undefined ? { create: true } : { create: true, size },
        ),
      RangeError,
    );
  }
});

Deno.test("SharedMemory() rejects bad options", () => {
  const what = "Cannot create shared memory";
  assert.throws(() => new SharedMemory(7 as never), {
    name: "TypeError",
    message: `${what}: options must be an object, received 7 (number)`,
  });
  assert.throws(() => new SharedMemory({ create: 1 as never, size: 1 }), {
    name: "TypeError",
    message: `${what}: create must be a boolean, received 1 (number)`,
  });
  assert.throws(
    () => new SharedMemory({ create: true, size: "8" as never }),
    TypeError,
  );
  assert.throws(
    () => new SharedMemory({ create: true, size: 1.5 }),
    RangeError,
  );
  assert.throws(
    () => new SharedMemory({ create: true, size: 2 ** 40 }),
    RangeError,
  );
  assert.throws(
    () => new SharedMemory({ name: 5 as never, create: true, size: 1 }),
    TypeError,
  );
  assert.throws(() => new SharedMemory({ name: "/", create: true, size: 1 }), {
    name: "RangeError",
    message: `${what}: name must not be empty`,
  });
  assert.throws(
    () => new SharedMemory({ name: "a/b", create: true, size: 1 }),
    TypeError,
  );
  assert.throws(
    () => new SharedMemory({ name: "x".repeat(256), create: true, size: 1 }),
    {
      name: "RangeError",
      message: `${what}: name must be at most 255 UTF-8 bytes, received 256`,
    },
  );
  assert.throws(() => new SharedMemory({ name: "a\0b" }), TypeError);
});

Deno.test("SharedMemory names: made up as Python's, a leading slash ignored", () => {
  const a = new SharedMemory({ create: true, size: 1 });
  const b = new SharedMemory({ create: true, size: 1 });
  try {
    assert.match(a.name, /^psm_[0-9a-f]{8}$/);
    assert.notEqual(a.name, b.name);
    const slash = new SharedMemory({ name: `/${a.name}` });
    assert.equal(slash.name, a.name);
    slash.buf[0] = 9;
    assert.equal(a.buf[0], 9);
    slash.close();
  } finally {
    for (const shm of [a, b]) {
      shm.close();
      shm.unlink();
    }
  }
});

Deno.test("SharedMemory sizes are exact, blocks 64-byte aligned, new blocks zeroed", () => {
  const before = arenaStats();
  const blocks: SharedMemory[] = [];
  for (const size of [1, 63, 64, 65, 4097, 100_000]) {
    const shm = new SharedMemory({ create: true, size });
    blocks.push(shm);
    assert.equal(shm.size, size);
    assert.equal(shm.buf.length, size);
    assert.equal(shm.buf.byteOffset % 64, 0);
    assert.equal(shm.buf.every((b) => b === 0), true);
    shm.buf.fill(0xff);
    // A Float64Array over the block works (the offset is aligned).
    new Float64Array(shm.buf.buffer, shm.buf.byteOffset, size >> 3).fill(1.5);
  }
  for (const shm of blocks) {
    shm.close();
    shm.unlink();
  }
  assert.deepEqual(arenaStats(), before);
  // Memory used before starts zeroed when reused.
  const again = new SharedMemory({ create: true, size: 100_000 });
  assert.equal(again.buf.every((b) => b === 0), true);
  again.close();
  again.unlink();
  assert.deepEqual(arenaStats(), before);
});

Deno.test("SharedMemory.close() ends this handle only; unlink() works on a closed one", () => {
  const shm = new SharedMemory({ create: true, size: 16 });
  const other = new SharedMemory({ name: shm.name });
  shm.close();
  shm.close(); // idempotent
  assert.equal(shm.closed, true);
  assert.throws(() => shm.buf, {
    name: "BadResource",
    message: "Cannot access shared memory: this handle is closed",
  });
  other.buf[3] = 3; // the other handle is unaffected
  const third = new SharedMemory({ name: shm.name }); // still linked
  assert.equal(third.buf[3], 3);
  third.close();
  shm.unlink();
  assert.equal(
    Deno.inspect(other),
    `SharedMemory { name: "${shm.name}", size: 16, closed: false, unlinked }`,
  );
  {
    using _ = other;
  }
  assert.equal(other.closed, true);
});

Deno.test("SharedMemory.unlink() keeps the memory of a handle still open", () => {
  const before = arenaStats();
  const shm = new SharedMemory({ create: true, size: 32 });
  shm.buf[0] = 1;
  shm.unlink();
  assert.throws(
    () => new SharedMemory({ name: shm.name }),
    Deno.errors.NotFound,
  );
  assert.equal(arenaStats().blocks, before.blocks + 1);
  shm.buf[0]++;
  assert.equal(shm.buf[0], 2);
  shm.close();
  assert.deepEqual(arenaStats(), before);
});

// CPython's test_shared_memory_across_processes.
Deno.test("SharedMemory crosses into Processes by name and as an object (CPython)", async () => {
  const sms = new SharedMemory({ create: true, size: 512 });
  try {
    const p = await start("attachThenWrite", [sms.name, "howdy"]);
    await p.join();
    assert.equal(p.exitcode, 0);
    assert.equal(decode(sms.buf.subarray(0, 5)), "howdy");
    const q = await start("attachThenWrite", [sms, "HELLO"]);
    await q.join();
    assert.equal(q.exitcode, 0);
    assert.equal(decode(sms.buf.subarray(0, 5)), "HELLO");
  } finally {
    sms.close();
    sms.unlink();
  }
});

// CPython's test_shared_memory_pickle_unpickle_dead_object.
Deno.test("SharedMemory of a freed block cannot be passed to a Process (CPython)", () => {
  const sms = new SharedMemory({ create: true, size: 512 });
  sms.buf.set(text("pickle"));
  sms.close();
  sms.unlink();
  assert.throws(
    () =>
      new Process({ target: "attachThenWrite", args: [sms, "x"], module })
        .start(),
    Deno.errors.NotFound,
  );
  assert.throws(
    () => new SharedMemory({ name: sms.name }),
    Deno.errors.NotFound,
  );
});

Deno.test("SharedMemory: a Process started before the block attaches to it by name", async () => {
  const name = fresh("later");
  const f = flags(1);
  const out = new Queue<number>();
  const p = await start("attachLater", [name, 0xab, f, out]);
  // Large enough to grow the arena after the worker started.
  const size = 8 * 1024 * 1024 + 3;
  const shm = new SharedMemory({ name, create: true, size });
  try {
    signal(f, 0);
    assert.equal(await out.get(), size);
    await p.join();
    assert.equal(p.exitcode, 0);
    assert.equal(shm.buf.every((b) => b === 0xab), true);
  } finally {
    shm.close();
    shm.unlink();
  }
});

Deno.test("SharedMemory: a Process attached keeps its memory after the creator unlinks and closes", async () => {
  const before = arenaStats();
  const shm = new SharedMemory({ create: true, size: 4 });
  shm.buf[0] = 5;
  const f = flags(1);
  const out = new Queue<number>();
  const p = await start("holdThenUse", [shm, f, out]);
  shm.unlink();
  shm.close();
  // The child's handle holds the block.
  assert.equal(arenaStats().blocks, before.blocks + 1);
  signal(f, 0);
  assert.equal(await out.get(), 5);
  assert.equal(await out.get(), 7);
  await p.join();
  assert.equal(p.exitcode, 0);
  // The child ended: the last handle went with it, and the memory.
  assert.deepEqual(arenaStats(), before);
});

Deno.test("SharedMemory: a linked block outlives its creator, as a POSIX object", async () => {
  const name = fresh("orphan");
  const p = await start("createAndLeave", [name, "left behind"]);
  await p.join();
  assert.equal(p.exitcode, 0);
  const shm = new SharedMemory({ name });
  assert.equal(decode(shm.buf.subarray(0, 11)), "left behind");
  shm.close();
  shm.unlink();
});

Deno.test("SharedMemory: an unlinked block whose every holder died is freed, its space retired (holder terminated while busy)", async () => {
  const before = arenaStats();
  const f = flags(2);
  const p = await start("createUnlinkThenSpin", [1_000_000, f]);
  try {
    await until(f, 0, 1);
    assert.equal(arenaStats().blocks, before.blocks + 1);
    p.terminate();
    await p.join();
    assert.equal(p.exitcode, -15);
    const after = arenaStats();
    assert.equal(after.blocks, before.blocks);
    // The terminated thread may still be writing to it: its space is never
    // given to another block.
    assert.ok(after.retiredUnits >= before.retiredUnits + 1_000_000 / 64);
    const next = new SharedMemory({ create: true, size: 1_000_000 });
    assert.equal(next.buf.every((b) => b === 0), true);
    next.close();
    next.unlink();
  } finally {
    Atomics.store(f, 1, 1);
  }
});

Deno.test("SharedMemory lent to Pool tasks", async () => {
  const shm = new SharedMemory({ create: true, size: 8 });
  try {
    await using pool = new Pool({ processes: 2, module });
    const sizes = await pool.starmap(
      "poolWrite",
      [0, 1, 2, 3, 4, 5, 6, 7].map((i): [SharedMemory, number, number] => [
        shm,
        i,
        i * 10,
      ]),
      { chunksize: 1 },
    );
    assert.deepEqual(sizes, new Array(8).fill(8));
    assert.deepEqual([...shm.buf], [0, 10, 20, 30, 40, 50, 60, 70]);
  } finally {
    shm.close();
    shm.unlink();
  }
});

Deno.test("SharedMemory stress: 4 Processes create, attach, check and free 300 blocks each", async () => {
  const before = arenaStats();
  const prefix = fresh("churn");
  const rounds = 300;
  await using pool = new Pool({ processes: 4, module });
  const good = await pool.starmap(
    "churn",
    [0, 1, 2, 3].map((id): [string, number, number] => [prefix, id, rounds]),
  );
  assert.deepEqual(good, [rounds, rounds, rounds, rounds]);
  assert.deepEqual(arenaStats(), before);
});
