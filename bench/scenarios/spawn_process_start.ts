// Copyright 2026 the denomp authors. MIT license.
// spawn_process_start: start + join of a Process running an empty function,
// start method "spawn" (a `deno run` child).
import { Process } from "@denomp/multiprocessing";
import { bestOf, report, type ScenarioMeta } from "../_scenario.ts";

/** The row in `deno task bench:compare`. */
export const meta: ScenarioMeta = {
  name: "spawn_process_start",
  what:
    'start + join a Process running an empty function, startMethod "spawn" (mean of 20; extra: the target module imports the toolkit)',
  unit: "ms",
  higherIsBetter: false,
  target: { speedup: 1.5 },
  python: [{ label: "spawn", args: ["spawn"] }],
};

/** The empty target, in a module that imports the whole toolkit. */
export function empty(): void {}

async function mean(module: string | URL, rounds: number): Promise<number> {
  const best = await bestOf(async () => {
    for (let i = 0; i < rounds; i++) {
      const p = new Process({ target: "empty", module, startMethod: "spawn" });
      p.start();
      await p.join();
      if (p.exitcode !== 0) throw new Error(`exit code ${p.exitcode}`);
    }
  }, 3);
  return best / rounds;
}

if (import.meta.main) {
  const lean = await mean(new URL("../_spawn_targets.ts", import.meta.url), 20);
  const heavy = await mean(import.meta.url, 10);
  report(lean, { targetImportsToolkit: heavy });
}
