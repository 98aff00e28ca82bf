// Copyright 2026 the denomp authors. MIT license.
// `deno bench`: SharedMemory and ShareableList against the raw views they
// are made of, and the cost of making a queue or a pipe with its handle
// table. The cross-Process row is bench/scenarios/shm_attach_write.ts.
import {
  Pipe,
  Queue,
  ShareableList,
  SharedMemory,
} from "@denomp/multiprocessing";

const SIZE = 4096;
const sab = new SharedArrayBuffer(SIZE * 4);
const named = new SharedMemory({ create: true, size: SIZE });

Deno.bench({
  group: "attach a 4 KiB block",
  name: "raw new Uint8Array(sab, offset, 4096) (baseline)",
  baseline: true,
  fn() {
    new Uint8Array(sab, SIZE, SIZE)[0] = 1;
  },
});

Deno.bench({
  group: "attach a 4 KiB block",
  name: "new SharedMemory({ name }) + close()",
  fn() {
    const shm = new SharedMemory({ name: named.name });
    shm.buf[0] = 1;
    shm.close();
  },
});

Deno.bench({
  group: "create a 4 KiB block",
  name: "raw new SharedArrayBuffer(4096) (baseline)",
  baseline: true,
  fn() {
    new Uint8Array(new SharedArrayBuffer(SIZE))[0] = 1;
  },
});

Deno.bench({
  group: "create a 4 KiB block",
  name: "new SharedMemory({ create: true, size }) + unlink() + close()",
  fn() {
    const shm = new SharedMemory({ create: true, size: SIZE });
    shm.buf[0] = 1;
    shm.unlink();
    shm.close();
  },
});

const list = new ShareableList([1.5, 2.5, 3.5, 4.5]);
const raw = new DataView(new ArrayBuffer(64));
let x = 0;

Deno.bench({
  group: "list item set + get",
  name: "raw DataView setFloat64 + getFloat64 (baseline)",
  baseline: true,
  fn() {
    raw.setFloat64(40, x++, true);
    raw.getFloat64(40, true);
  },
});

Deno.bench({
  group: "list item set + get",
  name: "ShareableList.set(2, x) + get(2)",
  fn() {
    list.set(2, x++ + 0.5);
    list.get(2);
  },
});

Deno.bench({
  group: "make and close a channel (handle table included)",
  name: "raw new SharedArrayBuffer(64 KiB) (baseline)",
  baseline: true,
  fn() {
    new Int32Array(new SharedArrayBuffer(65536))[0] = 1;
  },
});

Deno.bench({
  group: "make and close a channel (handle table included)",
  name: "new Queue({ capacity: 64 KiB }) + close()",
  fn() {
    new Queue({ capacity: 65536 }).close();
  },
});

Deno.bench({
  group: "make and close a channel (handle table included)",
  name: "Pipe(true, { capacity: 64 KiB }) + close() both",
  fn() {
    const [a, b] = Pipe(true, { capacity: 65536 });
    a.close();
    b.close();
  },
});

globalThis.addEventListener("unload", () => {
  named.close();
  named.unlink();
  list.shm.close();
  list.shm.unlink();
});
