// Copyright 2026 the denomp authors. MIT license.
/**
 * Python's `multiprocessing` for Deno: `Process`, shared `Value` and `Array`,
 * locks, queues, pipes, a `Manager` and pools, re-made the Deno way (async
 * with a `Sync` twin, `AbortSignal`, `using`, types that flow).
 *
 * A target runs on its own Web Worker and must be an exported function, as
 * Python's spawn pickles a target by reference; put the code that starts
 * processes under `if (import.meta.main)`.
 *
 * ```ts
 * import { cpuCount, currentProcess, Process } from "@denomp/multiprocessing";
 * import assert from "node:assert/strict";
 *
 * const module = new URL("./tests/fixtures/targets.ts", import.meta.url);
 * const p = new Process({ target: "noop", module });
 * await p.start();
 * await p.join();
 * assert.equal(p.exitcode, 0);
 * assert.equal(currentProcess().name, "MainProcess");
 * assert.ok(cpuCount() >= 1);
 * ```
 *
 * @module
 */

export * from "./lib/barrier.ts";
export * from "./lib/condition.ts";
export * from "./lib/errors.ts";
export * from "./lib/event.ts";
export * from "./lib/executor.ts";
export * from "./lib/joinable_queue.ts";
export * from "./lib/lock.ts";
export * from "./lib/manager.ts";
export * from "./lib/manager_proxies.ts";
export * from "./lib/pipe.ts";
export * from "./lib/pool.ts";
export * from "./lib/process.ts";
export * from "./lib/queue.ts";
export * from "./lib/rlock.ts";
export * from "./lib/semaphore.ts";
export * from "./lib/shared_array.ts";
export * from "./lib/simple_queue.ts";
export * from "./lib/value.ts";
export { SharedArray as Array } from "./lib/shared_array.ts";
