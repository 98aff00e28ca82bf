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
 * // main.ts: deno run --allow-read=. main.ts
 * import { cpuCount, currentProcess, Pool, Process } from "@denomp/multiprocessing";
 *
 * // Targets are exported functions: a worker imports this module to run them.
 * export function greet(name: string): void {
 *   console.log(`hello ${name} from ${currentProcess().name}`);
 * }
 *
 * export function square(x: number): number {
 *   return x * x;
 * }
 *
 * if (import.meta.main) { // Python's if __name__ == "__main__":
 *   const p = new Process({ target: greet, args: ["bob"] });
 *   await p.start();
 *   await p.join();
 *   console.log(p.exitcode); // 0
 *
 *   await using pool = new Pool({ processes: cpuCount() });
 *   console.log(await pool.map(square, [1, 2, 3])); // [1, 4, 9]
 * }
 * ```
 *
 * @module
 */

export * from "./lib/async_result.ts";
export * from "./lib/barrier.ts";
export * from "./lib/condition.ts";
export * from "./lib/errors.ts";
export * from "./lib/event.ts";
export * from "./lib/executor.ts";
export * from "./lib/joinable_queue.ts";
export * from "./lib/listener.ts";
export * from "./lib/lock.ts";
export * from "./lib/manager.ts";
export * from "./lib/manager_proxies.ts";
export * from "./lib/pipe.ts";
export * from "./lib/pool.ts";
export * from "./lib/process.ts";
export * from "./lib/queue.ts";
export * from "./lib/rlock.ts";
export * from "./lib/semaphore.ts";
export * from "./lib/shareable_list.ts";
export * from "./lib/shared_array.ts";
export * from "./lib/shared_memory.ts";
export * from "./lib/simple_queue.ts";
export * from "./lib/start_method.ts";
export * from "./lib/value.ts";
export { SharedArray as Array } from "./lib/shared_array.ts";
// Python's multiprocessing.connection: connection.wait does not clash with
// the futures' wait.
export * as connection from "./lib/connection.ts";
