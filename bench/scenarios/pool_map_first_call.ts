// Copyright 2026 the denomp authors. MIT license.
// pool_map_first_call: the first Pool(2).map(square, 20k items, chunksize 1)
// of a fresh process, as a program meets it: the pool is made just before
// (its constructor starts the workers and waits, at most 250 ms, for them to
// import the task module) and the call is timed. The bar is against
// ourselves: the first call must run at >= 70% of a warm call in the same
// process (`ofWarm`, warm = the best of the next 5 calls). `readyFirst` and
// `readyOfWarm` come from a second fresh process that runs one tiny map
// before the first big map: what is left there is the cold dispatch path.
// The Python twin times the same first call (its Pool starts the workers in
// the constructor).
import { Pool } from "@denomp/multiprocessing";
import { report, type ScenarioMeta } from "../_scenario.ts";

/** The row in `deno task bench:compare`. */
export const meta: ScenarioMeta = {
  name: "pool_map_first_call",
  what:
    "first Pool(2).map(square, 20k items, chunksize=1) of a fresh process, workers starting",
  unit: "tasks/s",
  higherIsBetter: true,
  target: { extra: { ofWarm: { min: 0.7 } } },
};

/** The task. */
export function square(x: number): number {
  return x * x;
}

const N = 20_000;

interface Run {
  first: number;
  warm: number;
}

async function run(ready: boolean): Promise<Run> {
  const xs = Array.from({ length: N }, (_, i) => i);
  await using pool = new Pool({ processes: 2, module: import.meta.url });
  if (ready) await pool.map(square, [1, 2], { chunksize: 1 });
  const time = async () => {
    const t0 = performance.now();
    const out = await pool.map(square, xs, { chunksize: 1 });
    const ms = performance.now() - t0;
    if (out[N - 1] !== (N - 1) * (N - 1)) throw new Error("wrong result");
    return ms;
  };
  const first = await time();
  let warm = Infinity;
  for (let i = 0; i < 5; i++) warm = Math.min(warm, await time());
  return { first: N / (first / 1000), warm: N / (warm / 1000) };
}

async function readyRunInFreshProcess(): Promise<Run> {
  const output = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-read=.",
      "--unstable-worker-options",
      new URL(import.meta.url).pathname,
      "--ready",
    ],
    stdout: "piped",
    stderr: "inherit",
  }).output();
  if (!output.success) throw new Error("the --ready run failed");
  return JSON.parse(new TextDecoder().decode(output.stdout)) as Run;
}

if (import.meta.main) {
  if (Deno.args.includes("--ready")) {
    // deno-lint-ignore no-console
    console.log(JSON.stringify(await run(true)));
  } else {
    const cold = await run(false);
    const ready = await readyRunInFreshProcess();
    report(cold.first, {
      warm: cold.warm,
      ofWarm: cold.first / cold.warm,
      readyFirst: ready.first,
      readyOfWarm: ready.first / ready.warm,
    });
  }
}
