// Copyright 2026 the denomp authors. MIT license.
// shared_array_write: 2 processes each fill half of a 2M-element
// Array("d") (`arr.view`, the typed array over the shared memory, as a hot
// loop would). Timed from the moment both are ready and released together
// until both have finished, in elements per second.
import { Process, SharedArray } from "@denomp/multiprocessing";
import { report, type ScenarioMeta } from "../_scenario.ts";

/** The row in `deno task bench:compare`. */
export const meta: ScenarioMeta = {
  name: "shared_array_write",
  what: '2 processes each fill half of a 2M-element Array("d")',
  unit: "elem/s",
  higherIsBetter: true,
  target: { speedup: 10 },
  python: [{ label: "2 processes", args: [] }],
};

const SIZE = 2_000_000;
const READY = 0;
const GO = 1;
const DONE = 2;

/** Waits at the gate, then writes arr[i] = i for i in [from, to). */
export function fill(
  arr: SharedArray<"d">,
  from: number,
  to: number,
  gate: Int32Array,
): void {
  const view = arr.view;
  Atomics.add(gate, READY, 1);
  Atomics.notify(gate, READY);
  while (Atomics.load(gate, GO) === 0) Atomics.wait(gate, GO, 0);
  for (let i = from; i < to; i++) view[i] = i;
  Atomics.add(gate, DONE, 1);
  Atomics.notify(gate, DONE);
}

function waitCount(gate: Int32Array, slot: number, n: number): void {
  while (true) {
    const now = Atomics.load(gate, slot);
    if (now >= n) return;
    Atomics.wait(gate, slot, now, 100);
  }
}

async function once(): Promise<number> {
  const arr = new SharedArray("d", SIZE);
  const gate = new Int32Array(new SharedArrayBuffer(16));
  const halves: [number, number][] = [[0, SIZE / 2], [SIZE / 2, SIZE]];
  const ps = [];
  for (const [from, to] of halves) {
    const p = new Process({
      target: fill,
      args: [arr, from, to, gate],
      module: import.meta.url,
    });
    await p.start();
    ps.push(p);
  }
  waitCount(gate, READY, 2);
  const t0 = performance.now();
  Atomics.store(gate, GO, 1);
  Atomics.notify(gate, GO);
  waitCount(gate, DONE, 2);
  const ms = performance.now() - t0;
  for (const p of ps) await p.join();
  if (arr.get(-1) !== SIZE - 1 || arr.get(SIZE / 2) !== SIZE / 2) {
    throw new Error("not filled");
  }
  return ms;
}

if (import.meta.main) {
  await once(); // warm-up
  let best = Infinity;
  for (let i = 0; i < 5; i++) best = Math.min(best, await once());
  report(SIZE / (best / 1000));
}
