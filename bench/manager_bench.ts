// Copyright 2026 the denomp authors. MIT license.
// Manager calls against the raw floor: a TCP echo round trip to another
// process carrying a frame of the same size. Run with `deno task bench`.
import { Manager } from "@denomp/multiprocessing";

const manager = await Manager.start({
  address: { hostname: "127.0.0.1", port: 0 },
});
const d = await manager.dict<number>({ k: 1 });

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
