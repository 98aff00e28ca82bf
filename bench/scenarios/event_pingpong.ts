// Copyright 2026 the denomp authors. MIT license.
// event_pingpong: the parent and a Process bounce on two Events (ping:
// parent sets, child waits and clears; pong: the other way), timed per round
// trip.
import { Event, Process } from "@denomp/multiprocessing";
import { report, type ScenarioMeta } from "../_scenario.ts";

/** The row in `deno task bench:compare`. */
export const meta: ScenarioMeta = {
  name: "event_pingpong",
  what: "round trip of two Processes bouncing on two Events (mean of 20k)",
  unit: "us",
  higherIsBetter: false,
  target: { speedup: 5 },
  python: [{ label: "spawn", args: [] }],
};

const WARMUP = 2_000;
const ROUNDS = 20_000;

/** The child's side: wait for ping, clear it, set pong. */
export function pong(ping: Event, pong: Event, rounds: number): void {
  for (let i = 0; i < rounds; i++) {
    ping.waitSync();
    ping.clear();
    pong.set();
  }
}

function bounce(ping: Event, back: Event, rounds: number): void {
  for (let i = 0; i < rounds; i++) {
    ping.set();
    back.waitSync();
    back.clear();
  }
}

if (import.meta.main) {
  const ping = new Event();
  const back = new Event();
  await using p = new Process({
    target: pong,
    args: [ping, back, WARMUP + ROUNDS],
    module: import.meta.url,
  });
  await p.start();
  bounce(ping, back, WARMUP);
  const t0 = performance.now();
  bounce(ping, back, ROUNDS);
  const elapsed = performance.now() - t0;
  await p.join();
  report(elapsed * 1000 / ROUNDS);
}
