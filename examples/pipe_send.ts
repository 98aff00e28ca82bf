// Copyright 2026 the denomp authors. MIT license.
// deno-lint-ignore-file no-console
// Seed 002, part 5.2: a child process counts to 10000, sends the result
// through a Pipe and closes its end; the parent joins it and receives 10000.
//
//   deno run --allow-read=. examples/pipe_send.ts
import {
  type Connection,
  currentProcess,
  Pipe,
  Process,
} from "@denomp/multiprocessing";

/** Counts to baseNum and sends the subtotal (runs in a Process). */
export function worker(
  _id: string,
  baseNum: number,
  conn: Connection<number>,
): void {
  const { pid, name } = currentProcess();
  let subTotal = 0;
  for (let i = 0; i < baseNum; i++) subTotal += 1;
  // Produce: the child sends ...
  conn.sendSync(subTotal);
  // ... and closes its end of the pipe.
  conn.close();
  console.log(`Process ID: ${pid} Process Name: ${name}`);
  console.log(`Result is: ${subTotal}`);
}

if (import.meta.main) {
  console.log(`Parent process ID: ${currentProcess().pid}`);
  const t0 = performance.now();
  const [parentConn, childConn] = Pipe<number>();
  const p = new Process({
    name: "child",
    target: worker,
    args: ["child", 10000, childConn],
  });
  await p.start();
  await p.join();
  console.log(`---- ${(performance.now() - t0) / 1000} seconds ----`);
  // The parent receives.
  const total = await parentConn.recv();
  console.log(`Main-Processing Total Count: ${total}`);
  console.log("Multi process is Done! ");
  if (total !== 10000) Deno.exit(1);
}
