// Copyright 2026 the denomp authors. MIT license.
// deno-lint-ignore-file no-console
// Seed 002, part 5.1: five processes each count to 10000 and put their
// subtotal on a Queue; the parent puts an "exit" marker after joining them
// and sums what it gets until the marker: 50000.
//
//   deno run --allow-read=. examples/queue_sum.ts
import { currentProcess, Process, Queue } from "@denomp/multiprocessing";

/** Counts to baseNum and puts the subtotal (runs in a Process). */
export function worker(
  _id: number,
  baseNum: number,
  q: Queue<number | string>,
): void {
  const { pid, name } = currentProcess();
  let subTotal = 0;
  for (let i = 0; i < baseNum; i++) subTotal += 1;
  // Produce
  q.putSync(subTotal);
  console.log(`Process ID: ${pid} Process Name: ${name}`);
  console.log(`Result is: ${subTotal}`);
}

if (import.meta.main) {
  console.log(`Parent process ID: ${currentProcess().pid}`);
  const processes: Process[] = [];
  const t0 = performance.now();
  const q = new Queue<number | string>();
  for (let i = 0; i < 5; i++) {
    const p = new Process({
      name: String(i),
      target: worker,
      args: [i, 10000, q],
    });
    processes.push(p);
    await p.start();
  }
  for (const p of processes) await p.join();
  console.log(`---- ${(performance.now() - t0) / 1000} seconds ----`);
  // The end marker.
  await q.put("exit");
  let total = 0;
  while (true) {
    const tmp = await q.get();
    if (tmp === "exit") break;
    total += tmp as number;
  }
  console.log(`Main-Processing Total Count: ${total}`);
  console.log("Multi process is Done! ");
  if (total !== 50000) Deno.exit(1);
}
