// Copyright 2026 the denomp authors. MIT license.
// `deno bench`: starting and joining a Process, against a bare Worker
// start + first reply (the floor); and what importing the toolkit adds to a
// fresh worker: the generated bundle (what the package runs) against the
// TypeScript sources it is built from.
import { Process } from "@denomp/multiprocessing";

/** The empty target. */
export function empty(): void {}

const bareWorker = `data:application/javascript,postMessage("ready")`;

/** A worker module that imports `url` and says so. */
function importing(url: URL): string {
  return `data:application/javascript,${
    encodeURIComponent(
      `import * as mp from ${
        JSON.stringify(url.href)
      }; postMessage(typeof mp.Pool);`,
    )
  }`;
}

async function firstReply(url: string): Promise<void> {
  const worker = new Worker(url, { type: "module" });
  await new Promise((resolve) => worker.onmessage = resolve);
  worker.terminate();
}

Deno.bench({
  group: "start",
  name: "bare Worker + first reply",
  baseline: true,
  async fn() {
    await firstReply(bareWorker);
  },
});

Deno.bench({
  group: "start",
  name: "Process start + join (empty target)",
  async fn() {
    const p = new Process({ target: empty, module: import.meta.url });
    p.start();
    await p.join();
  },
});

const bundled = importing(new URL("../dist/mod.js", import.meta.url));
const sources = importing(new URL("../mod.ts", import.meta.url));

Deno.bench({
  group: "import into a fresh worker",
  name: "empty Worker + first reply",
  baseline: true,
  async fn() {
    await firstReply(bareWorker);
  },
});

Deno.bench({
  group: "import into a fresh worker",
  name: "Worker importing the package (dist/, the bundle) + first reply",
  async fn() {
    await firstReply(bundled);
  },
});

Deno.bench({
  group: "import into a fresh worker",
  name: "Worker importing the TypeScript sources (mod.ts) + first reply",
  async fn() {
    await firstReply(sources);
  },
});
