// Copyright 2026 the denomp authors. MIT license.
// deno-lint-ignore-file no-console
// Seed 002, part 1: start, join, isAlive and terminate, with logged times.
//
//   deno run --allow-read=. examples/process_basics.ts
import { Process } from "@denomp/multiprocessing";

function log(message: string): void {
  const time = new Date().toTimeString().slice(0, 8);
  console.log(`${time}: ${message}`);
}

/** The work each process does: announce, sleep, announce. */
export async function processFunction(name: string, ms: number): Promise<void> {
  console.log(`This is Sub-Process ${name}: starting`);
  await new Promise((resolve) => setTimeout(resolve, ms));
  console.log(`This is Sub-Process ${name}: finishing`);
}

if (import.meta.main) {
  const p = new Process({ target: processFunction, args: ["First", 1000] });
  log("Main-Process: before creating Process");
  await p.start();
  log("Main-Process: During Process...");
  log("Main-Process: Joined Process");
  await p.join();
  console.log(`Process p is alive: ${p.isAlive()}`);

  // Forced stop: terminate() ends a process that has not finished.
  const q = new Process({ target: processFunction, args: ["Second", 60_000] });
  await q.start();
  log("Main-Process: Terminated Process:");
  q.terminate();
  await q.join();
  console.log(`Process q is alive: ${q.isAlive()}, exitcode: ${q.exitcode}`);
}
