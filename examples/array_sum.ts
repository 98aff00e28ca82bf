// Copyright 2026 the denomp authors. MIT license.
// deno-lint-ignore-file no-console
// Seed 000, part 2: the same sum of 1..1e8 over two processes, each writing
// its half into its own slot of a shared Array("d", 2); the parent adds the
// slots and compares the time with one process.
//
//   deno run --allow-read=. examples/array_sum.ts
import * as mp from "@denomp/multiprocessing";

/** Sums start..end-1 into arr[index] (runs in a Process). */
export function sum(
  start: number,
  end: number,
  index: number,
  arr: mp.SharedArray<"d">,
): void {
  let result = 0;
  for (let i = start; i < end; i++) result += i;
  arr.set(index, result);
  console.log(arr.toArray());
}

if (import.meta.main) {
  const N = 100_000_000;
  const half = N / 2;

  let t0 = performance.now();
  const arr = new mp.Array("d", [0, 1]); // Python: Array('d', range(2))
  const s1 = new mp.Process({ target: sum, args: [1, half, 0, arr] });
  const s2 = new mp.Process({ target: sum, args: [half, N, 1, arr] });
  // Python's s1.start(); s2.start(): both start at once.
  await Promise.all([s1.start(), s2.start()]);
  await s1.join();
  await s2.join();
  const two = performance.now() - t0;
  console.log("s1+s2=", arr.get(0) + arr.get(1));
  console.log(`elapsed (2 processes): ${(two / 1000).toFixed(3)} s`);

  t0 = performance.now();
  const single = new mp.Array("d", 1);
  sum(1, N, 0, single);
  const one = performance.now() - t0;
  console.log(`elapsed (1 process):   ${(one / 1000).toFixed(3)} s`);
  console.log(`speed-up: ${(one / two).toFixed(2)}x`);
  if (arr.get(0) + arr.get(1) !== 4999999950000000) Deno.exit(1);
}
