// Copyright 2026 the denomp authors. MIT license.
// The contract between bench/compare.ts and each scenario.
//
// A scenario is `bench/scenarios/<name>.ts` and its Python twin
// `bench/python/<name>.py`. The TypeScript module exports `meta` and, when
// run as the main module, measures once and prints one JSON line with
// `report()`. The Python script prints the same JSON shape, in the same unit.
// compare.ts runs both (each in its own fresh process) and computes the ratio.

/** How a scenario is described in the results table. */
export interface ScenarioMeta {
  /** Row name, equal to the file name without extension. */
  name: string;
  /** What is timed, in a few words. */
  what: string;
  /** Unit of `value`, e.g. "ms", "us", "ns", "ops/s", "msg/s", "MB/s". */
  unit: string;
  /** True when a larger value is better (rates), false for durations. */
  higherIsBetter: boolean;
  /**
   * The bar: ours must be at least `speedup` times better than Python's
   * first variant (for "<= 0.5x the time" write speedup: 2), and/or at most
   * `max` in `unit` (for absolute targets such as "<= 10 us"), and/or keep
   * some of its own `extra` figures within bounds (for targets measured
   * against ourselves, such as "the executor at >= 50% of Pool.map":
   * `extra: { ofPoolMap: { min: 0.5 } }`).
   */
  target: {
    speedup?: number;
    max?: number;
    extra?: Record<string, { min?: number; max?: number }>;
  };
  /**
   * Python variants: each runs `python3 bench/python/<name>.py ...args`,
   * or `command` instead of `python3` (a twin that needs Debian's
   * /usr/bin/python3 and its packages, such as Dask's python3-distributed).
   */
  python?: { label: string; args: string[]; command?: string }[];
  /** Deno flags for running the scenario, beyond the defaults. */
  denoFlags?: string[];
}

/** What a scenario (or its Python twin) prints, as one JSON line. */
export interface ScenarioResult {
  /** The measured figure, in `meta.unit`. */
  value: number;
  /** Extra figures for extra columns, e.g. `{ postMessage: 1.2e6 }`. */
  extra?: Record<string, number>;
}

/** Prints the result line that compare.ts reads. */
export function report(value: number, extra?: Record<string, number>): void {
  const result: ScenarioResult = extra ? { value, extra } : { value };
  // deno-lint-ignore no-console
  console.log(JSON.stringify(result));
}

/**
 * Runs `fn` `rounds` times after `warmup` untimed runs and returns the best
 * (lowest) time in milliseconds: the least disturbed run on a shared machine.
 */
export async function bestOf(
  fn: () => unknown | Promise<unknown>,
  rounds = 5,
  warmup = 1,
): Promise<number> {
  for (let i = 0; i < warmup; i++) await fn();
  let best = Infinity;
  for (let i = 0; i < rounds; i++) {
    const t0 = performance.now();
    await fn();
    best = Math.min(best, performance.now() - t0);
  }
  return best;
}

/** Samples this process's resident set size; see {@linkcode peakRss}. */
export interface RssSampler {
  /** Takes a sample now (call it inside long synchronous loops too). */
  sample(): void;
  /** Stops the timer and returns the highest sample, in MiB. */
  stop(): number;
}

/**
 * Tracks the peak resident set size (`Deno.memoryUsage().rss`, which needs
 * no permission, unlike /proc/self/status) from a 5 ms timer and from the
 * `sample()` calls a scenario makes where the timer cannot run.
 */
export function peakRss(): RssSampler {
  let peak = Deno.memoryUsage().rss;
  const sample = () => {
    const rss = Deno.memoryUsage().rss;
    if (rss > peak) peak = rss;
  };
  const timer = setInterval(sample, 5);
  return {
    sample,
    stop() {
      clearInterval(timer);
      sample();
      return peak / 2 ** 20;
    },
  };
}
