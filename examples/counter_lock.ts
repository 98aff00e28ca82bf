// Copyright 2026 the denomp authors. MIT license.
// deno-lint-ignore-file no-console
// Seed 002, section 4: nine processes increment one shared Value("i").
// `v.value += 1` is a read and then a write, so without the lock increments
// from different processes overwrite each other and some are lost (the seed
// printed 400 instead of 450). Holding the Value's lock around each increment
// makes the count exact. (Each process adds 100,000 here instead of the
// seed's 50, and the nine wait for each other at a small start line: a
// process does 50 increments long before the next one has started, so the
// race would rarely show.)
//
//   deno run --allow-read=. examples/counter_lock.ts
import {
  currentProcess,
  Process,
  RawValue,
  Value,
} from "@denomp/multiprocessing";

const TIMES = 100_000;
const PROCESSES = 9;

/** Waits until all the processes have arrived (a one-shot start line). */
function startLine(ready: RawValue<"i">): void {
  ready.add(1);
  while (ready.load() < PROCESSES) { /* the others are starting */ }
}

/** Increments without the lock: a racy read-modify-write. */
export function generateUpdateNumber(
  v: Value<"i">,
  ready: RawValue<"i">,
): void {
  startLine(ready);
  for (let i = 0; i < TIMES; i++) v.value += 1;
  console.log(currentProcess().name, "data", v.value);
}

/** Increments holding the Value's lock (Python: `with v.get_lock():`). */
export function generateUpdateNumberLocked(
  v: Value<"i">,
  ready: RawValue<"i">,
): void {
  startLine(ready);
  for (let i = 0; i < TIMES; i++) {
    using _ = v.getLock().holdSync();
    v.value += 1;
  }
  console.log(currentProcess().name, "data", v.value);
}

async function run(
  target: (v: Value<"i">, ready: RawValue<"i">) => void,
  shareValue: Value<"i">,
): Promise<void> {
  const ready = new RawValue("i", 0);
  const processes: Process[] = [];
  for (let i = 0; i < PROCESSES; i++) {
    const p = new Process({ target, args: [shareValue, ready] });
    processes.push(p);
    await p.start();
  }
  for (const p of processes) await p.join();
}

if (import.meta.main) {
  console.log(`Parent process ID: ${currentProcess().pid}`);

  const racy = new Value("i", 0);
  await run(generateUpdateNumber, racy);
  console.log(
    `Final Data in parent process (no lock): ${racy.value} of ${
      PROCESSES * TIMES
    }`,
  );

  const locked = new Value("i", 0);
  await run(generateUpdateNumberLocked, locked);
  console.log(
    `Final Data in parent process (with lock): ${locked.value} of ${
      PROCESSES * TIMES
    }`,
  );
  if (locked.value !== PROCESSES * TIMES) Deno.exit(1);
}
