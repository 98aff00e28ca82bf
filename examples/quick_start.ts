// Copyright 2026 the denomp authors. MIT license.
// deno-lint-ignore-file no-console
// The program of mod.ts's module doc and README: one Process, one Pool.
//
//   deno run --allow-read=. examples/quick_start.ts
import {
  cpuCount,
  currentProcess,
  Pool,
  Process,
} from "@denomp/multiprocessing";

// Targets are exported functions: a worker imports this module to run them.
export function greet(name: string): void {
  console.log(`hello ${name} from ${currentProcess().name}`);
}

export function square(x: number): number {
  return x * x;
}

if (import.meta.main) { // Python's if __name__ == "__main__":
  const p = new Process({ target: greet, args: ["bob"] });
  await p.start();
  await p.join();
  console.log(p.exitcode); // 0

  await using pool = new Pool({ processes: cpuCount() });
  console.log(await pool.map(square, [1, 2, 3])); // [1, 4, 9]
}
