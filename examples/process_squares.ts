// Copyright 2026 the denomp authors. MIT license.
// deno-lint-ignore-file no-console
// Seed 002, part 2: nine named processes each compute a square and print
// their name and pid.
//
//   deno run --allow-read=. examples/process_squares.ts
import { currentProcess, Process } from "@denomp/multiprocessing";

/** Squares n after a short pause, and says who did it. */
export async function square(n: number): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 300));
  const { pid, name } = currentProcess();
  console.log(`Process ID: ${pid}, Process name: ${name}, result is: ${n * n}`);
}

if (import.meta.main) {
  console.log(`Parent process id: ${currentProcess().pid}`);
  const processes: Process<[number]>[] = [];
  for (let i = 1; i < 10; i++) {
    const p = new Process({ name: `name${i}`, target: square, args: [i] });
    processes.push(p);
    p.start();
  }
  for (const p of processes) await p.join();
  console.log("parent process is done");
}
