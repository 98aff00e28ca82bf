// Copyright 2026 the denomp authors. MIT license.
// Manager calls against the raw floor: a TCP echo round trip to another
// process carrying a frame of the same size; dict keys of other types,
// nested proxies, registered types' methods and the server-side sort
// against their plain counterparts. Run with `deno task bench`.
import { type ListProxy, Manager } from "@denomp/multiprocessing";
import { Adder } from "./_types.ts";

const AdderType = Manager.register("Adder", Adder, {
  module: new URL("./_types.ts", import.meta.url),
});

const manager = await Manager.start({
  address: { hostname: "127.0.0.1", port: 0 },
});
const d = await manager.dict<unknown>({ k: 1 });
await d.set(1, 1);
await d.set([1, "a"], 1);
const inner = await manager.list<number>([1]);
await d.set("inner", inner);
const adder = await manager.create(AdderType);
const unsorted = Array.from({ length: 10_000 }, (_, i) => (i * 7919) % 10_007);
const big = await manager.list<number>(unsorted);

// The floor: an echo server in a subprocess, one round trip per call.
const echoSource = `
const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
console.log(JSON.stringify(l.addr));
for await (const c of l) {
  c.setNoDelay(true);
  (async () => {
    const b = new Uint8Array(65536);
    for (;;) {
      const n = await c.read(b);
      if (n === null) break;
      await c.write(b.subarray(0, n));
    }
  })();
}`;
const echo = new Deno.Command(Deno.execPath(), {
  args: ["eval", "--quiet", echoSource],
  stdout: "piped",
  env: { NO_COLOR: "1" },
}).spawn();
const echoReader = echo.stdout.pipeThrough(new TextDecoderStream())
  .getReader();
let line = "";
while (!line.includes("\n")) line += (await echoReader.read()).value ?? "";
const { hostname, port } = JSON.parse(line);
const conn = await Deno.connect({ hostname, port });
conn.setNoDelay(true);
const frame = new Uint8Array(70);
const buf = new Uint8Array(1024);

Deno.bench({
  group: "round trip",
  name: "raw TCP echo to a subprocess",
  baseline: true,
  async fn() {
    await conn.write(frame);
    await conn.read(buf);
  },
});

Deno.bench({
  group: "round trip",
  name: "DictProxy.get()",
  async fn() {
    await d.get("k");
  },
});

Deno.bench({
  group: "round trip",
  name: "DictProxy.set()",
  async fn() {
    await d.set("k", 2);
  },
});

Deno.bench({
  group: "keys",
  name: "DictProxy.get() of a string key",
  baseline: true,
  async fn() {
    await d.get("k");
  },
});

Deno.bench({
  group: "keys",
  name: "DictProxy.get() of a number key",
  async fn() {
    await d.get(1);
  },
});

Deno.bench({
  group: "keys",
  name: "DictProxy.get() of a tuple key",
  async fn() {
    await d.get([1, "a"]);
  },
});

Deno.bench({
  group: "nested",
  name: "DictProxy.get() of a number",
  baseline: true,
  async fn() {
    await d.get("k");
  },
});

Deno.bench({
  group: "nested",
  name: "DictProxy.get() of a stored list proxy (a live proxy back)",
  async fn() {
    await d.get("inner") as ListProxy<number>;
  },
});

Deno.bench({
  group: "custom",
  name: "DictProxy.get()",
  baseline: true,
  async fn() {
    await d.get("k");
  },
});

Deno.bench({
  group: "custom",
  name: "registered type's method (AutoProxy.add)",
  async fn() {
    await adder.add(1, 2);
  },
});

Deno.bench({
  group: "sort 10k",
  name: "toArray() + sort here + replace()",
  baseline: true,
  async fn() {
    const items = await big.toArray();
    items.sort((a, b) => a - b);
    await big.replace(unsorted);
  },
});

Deno.bench({
  group: "sort 10k",
  name: "ListProxy.sort() on the manager (atomic)",
  async fn() {
    await big.sort();
    await big.replace(unsorted);
  },
});

Deno.bench({
  group: "pipelined",
  name: "16 x DictProxy.get() in flight",
  baseline: true,
  async fn() {
    await Promise.all(Array.from({ length: 16 }, () => d.get("k")));
  },
});

Deno.bench({
  group: "start",
  name: "Manager.start() + dict() + shutdown()",
  async fn() {
    const m = await Manager.start();
    await m.dict();
    await m.shutdown();
  },
});

globalThis.addEventListener("unload", () => {
  conn.close();
  echo.kill();
});
