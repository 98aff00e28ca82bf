// Copyright 2026 the denomp authors. MIT license.
// shm_attach_write: a Process attaches to a named SharedMemory block, writes
// 4 KiB into it and closes it, over and over; attaches per second (timed in
// the Process). Extra column: create + unlink + close of a 4 KiB block in
// the main process, per second.
import { Process, Queue, SharedMemory } from "@denomp/multiprocessing";
import { bestOf, report, type ScenarioMeta } from "../_scenario.ts";

/** The row in `deno task bench:compare`. */
export const meta: ScenarioMeta = {
  name: "shm_attach_write",
  what: "SharedMemory attach by name + 4 KiB write + close, in a Process",
  unit: "ops/s",
  higherIsBetter: true,
  target: { speedup: 10 },
  python: [{ label: "SharedMemory", args: [] }],
};

const ROUNDS = 20_000;
const SIZE = 4096;

/** Attaches, writes and closes ROUNDS times; puts the best rate. */
export async function attachLoop(
  name: string,
  out: Queue<number>,
): Promise<void> {
  const ms = await bestOf(
    () => {
      for (let i = 0; i < ROUNDS; i++) {
        const shm = new SharedMemory({ name });
        shm.buf.fill(i & 255);
        shm.close();
      }
    },
    3,
    1,
  );
  await out.put(ROUNDS / (ms / 1000));
}

if (import.meta.main) {
  const shm = new SharedMemory({ create: true, size: SIZE });
  const out = new Queue<number>();
  const p = new Process({ target: attachLoop, args: [shm.name, out] });
  await p.start();
  const rate = await out.get();
  await p.join();
  shm.close();
  shm.unlink();
  const createMs = await bestOf(
    () => {
      for (let i = 0; i < ROUNDS; i++) {
        const block = new SharedMemory({ create: true, size: SIZE });
        block.unlink();
        block.close();
      }
    },
    3,
    1,
  );
  report(rate, { createUnlink: ROUNDS / (createMs / 1000) });
}
