// Copyright 2026 the denomp authors. MIT license.
// spawn_executor_submit: ProcessPoolExecutor(2, spawn), 20k submit() +
// asCompleted.
import { asCompleted, ProcessPoolExecutor } from "@denomp/multiprocessing";
import { bestOf, report, type ScenarioMeta } from "../_scenario.ts";

/** The row in `deno task bench:compare`. */
export const meta: ScenarioMeta = {
  name: "spawn_executor_submit",
  what: 'ProcessPoolExecutor(2, startMethod "spawn"): 20k submit + asCompleted',
  unit: "tasks/s",
  higherIsBetter: true,
  target: { speedup: 5 },
  python: [{ label: "spawn", args: ["spawn"] }],
};

/** The task. */
export function square(x: number): number {
  return x * x;
}

if (import.meta.main) {
  const n = 20_000;
  await using executor = new ProcessPoolExecutor({
    maxWorkers: 2,
    module: import.meta.url,
    startMethod: "spawn",
  });
  const best = await bestOf(async () => {
    const futures = [];
    for (let i = 0; i < n; i++) futures.push(executor.submit(square, i));
    let sum = 0;
    for await (const future of asCompleted(futures)) {
      sum += await future.result();
    }
    if (sum !== 2666466670000) throw new Error(`wrong sum ${sum}`);
  }, 5);
  report(n / (best / 1000));
}
