// Copyright 2026 the denomp authors. MIT license.
// seed_sum: the seed program (seed 000): the sum of [1, 1e8) split over two
// processes, each writing its half into a Value("d"), timed end to end
// (process start included), as the seed times it. The extra column is the
// same sum in one thread: two processes must beat it despite their start-up.
import { Process, Value } from "@denomp/multiprocessing";
import { bestOf, report, type ScenarioMeta } from "../_scenario.ts";

/** The row in `deno task bench:compare`. */
export const meta: ScenarioMeta = {
  name: "seed_sum",
  what: 'sum of [1, 1e8) over 2 processes into Value("d"), end to end',
  unit: "ms",
  higherIsBetter: false,
  target: { speedup: 20 },
  python: [{ label: "2 processes", args: [] }],
};

/** Sums start..end-1 into `out`. */
export function sum(start: number, end: number, out: Value<"d">): void {
  let result = 0;
  for (let i = start; i < end; i++) result += i;
  out.value = result;
}

const N = 100_000_000;

async function twoProcesses(): Promise<void> {
  const a = new Value("d", 0);
  const b = new Value("d", 0);
  const module = import.meta.url;
  const p1 = new Process({ target: sum, args: [1, N / 2, a], module });
  const p2 = new Process({ target: sum, args: [N / 2, N, b], module });
  // Python's p1.start(); p2.start(): both start at once.
  await Promise.all([p1.start(), p2.start()]);
  await p1.join();
  await p2.join();
  if (a.value + b.value !== 4999999950000000) throw new Error("wrong sum");
}

if (import.meta.main) {
  const two = await bestOf(twoProcesses, 3, 1);
  const one = await bestOf(() => sum(1, N, new Value("d", 0)), 3, 1);
  report(two, { oneThread: one, vsOneThread: one / two });
}
