// Copyright 2026 the denomp authors. MIT license.
// `deno bench`: starting and joining a Process, against a bare Worker
// start + first reply (the floor).
import { Process } from "@denomp/multiprocessing";

/** The empty target. */
export function empty(): void {}

const bareWorker = `data:application/javascript,postMessage("ready")`;

Deno.bench({
  group: "start",
  name: "bare Worker + first reply",
  baseline: true,
  async fn() {
    const worker = new Worker(bareWorker, { type: "module" });
    await new Promise((resolve) => worker.onmessage = resolve);
    worker.terminate();
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
