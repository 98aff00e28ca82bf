// Copyright 2026 the denomp authors. MIT license.
// deno-lint-ignore-file no-console
// Seed 000, part 1: the sum of 1..1e8 split over two processes, each
// writing its half into a shared Value("d"); the parent adds the halves and
// compares the time with the same sum in one process.
//
//   deno run --allow-read=. examples/value_sum.ts
import { Process, Value } from "@denomp/multiprocessing";

/** Sums start..end-1 into `out` (runs in a Process). */
export function sum(start: number, end: number, out: Value<"d">): void {
  let result = 0;
  for (let i = start; i < end; i++) result += i;
  out.value = result;
  console.log(result);
}

if (import.meta.main) {
  const N = 100_000_000;
  const half = N / 2;

  let t0 = performance.now();
  const s1Num = new Value("d", 0.0);
  const s2Num = new Value("d", 0.0);
  const p1 = new Process({ target: sum, args: [1, half, s1Num] });
  const p2 = new Process({ target: sum, args: [half, N, s2Num] });
  // Python's p1.start(); p2.start(): both start at once.
  await Promise.all([p1.start(), p2.start()]);
  await p1.join();
  await p2.join();
  const two = performance.now() - t0;
  console.log("s1+s2=", s1Num.value + s2Num.value);
  console.log(`elapsed (2 processes): ${(two / 1000).toFixed(3)} s`);

  t0 = performance.now();
  const all = new Value("d", 0.0);
  sum(1, N, all);
  const one = performance.now() - t0;
  console.log(`elapsed (1 process):   ${(one / 1000).toFixed(3)} s`);
  console.log(`speed-up: ${(one / two).toFixed(2)}x`);
  if (s1Num.value + s2Num.value !== 4999999950000000) Deno.exit(1);
}
