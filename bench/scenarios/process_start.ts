// Copyright 2026 the denomp authors. MIT license.
// process_start: start + join of a Process running an empty function.
import { Process } from "@denomp/multiprocessing";
import { bestOf, report, type ScenarioMeta } from "../_scenario.ts";

/** The row in `deno task bench:compare`. */
export const meta: ScenarioMeta = {
  name: "process_start",
  what: "start + join a Process running an empty function (mean of 20)",
  unit: "ms",
  higherIsBetter: false,
  target: { speedup: 4 },
  python: [
    { label: "spawn", args: ["spawn"] },
    { label: "fork", args: ["fork"] },
  ],
};

/** The empty target. */
export function empty(): void {}

if (import.meta.main) {
  const rounds = 20;
  const best = await bestOf(async () => {
    for (let i = 0; i < rounds; i++) {
      const p = new Process({ target: empty, module: import.meta.url });
      p.start();
      await p.join();
    }
  }, 3);
  report(best / rounds);
}
