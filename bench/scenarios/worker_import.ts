// Copyright 2026 the denomp authors. MIT license.
// worker_import: what importing the toolkit adds to a fresh worker, the
// median over 25 fresh Web Workers of (start to first reply of a worker
// that imports the package) minus (the same for an empty worker), taken in
// turns. The package runs its generated bundle (dist/); the extra column is
// the same for the TypeScript sources it is built from (mod.ts), which is
// what a worker paid before the bundle (11 rounds). The Python twin measures what
// `import multiprocessing` adds to a fresh interpreter.
import { report, type ScenarioMeta } from "../_scenario.ts";

/** The row in `deno task bench:compare`. */
export const meta: ScenarioMeta = {
  name: "worker_import",
  what:
    "ms a fresh worker takes more when it imports the toolkit (median of 25)",
  unit: "ms",
  higherIsBetter: false,
  target: { max: 5 },
};

const ROUNDS = 25;

function importing(url: string): string {
  return `data:application/javascript,${
    encodeURIComponent(
      `import * as mp from ${JSON.stringify(url)}; postMessage(typeof mp);`,
    )
  }`;
}

async function firstReply(url: string): Promise<number> {
  const t0 = performance.now();
  const worker = new Worker(url, { type: "module" });
  await new Promise((resolve) => worker.onmessage = resolve);
  const ms = performance.now() - t0;
  worker.terminate();
  return ms;
}

function median(values: number[]): number {
  const sorted = values.slice().sort((a, b) => a - b);
  return sorted[sorted.length >> 1]!;
}

/** Medians of start-to-first-reply, `url` against an empty worker in turns. */
async function added(
  url: string,
  rounds: number,
): Promise<{ ms: number; empty: number }> {
  const empty = `data:application/javascript,postMessage(0)`;
  const base: number[] = [];
  const with_: number[] = [];
  for (let i = 0; i < rounds + 2; i++) {
    const e = await firstReply(empty);
    const w = await firstReply(url);
    if (i < 2) continue; // the first loads fill the code caches
    base.push(e);
    with_.push(w);
  }
  return { ms: median(with_) - median(base), empty: median(base) };
}

if (import.meta.main) {
  const bundle = importing(import.meta.resolve("@denomp/multiprocessing"));
  const sources = importing(new URL("../../mod.ts", import.meta.url).href);
  const { ms, empty } = await added(bundle, ROUNDS);
  const fromSources = await added(sources, 11);
  report(ms, { emptyWorker: empty, sources: fromSources.ms });
}
