// Copyright 2026 the denomp authors. MIT license.
// deno-lint-ignore-file no-console
// Python's docs, multiprocessing.connection.wait(): four Processes each
// write ten messages into their own pipe; the parent reads whichever pipe
// has something, until every one is at its end.
//
//   deno run --allow-read=. examples/connection_wait.ts
import {
  type Connection,
  connection,
  currentProcess,
  Pipe,
  Process,
} from "@denomp/multiprocessing";

export async function foo(w: Connection<[number, string]>): Promise<void> {
  for (let i = 0; i < 10; i++) await w.send([i, currentProcess().name]);
  w.close();
}

if (import.meta.main) {
  let readers: Connection<[number, string]>[] = [];
  const processes: Process[] = [];
  for (let i = 0; i < 4; i++) {
    const [r, w] = Pipe<[number, string]>(false);
    readers.push(r);
    const p = new Process({ target: foo, args: [w] });
    await p.start();
    processes.push(p);
    // Close the parent's handle of the writable end, so that p holds the
    // only one: when p closes it, wait() reports the reader as at its end.
    w.close();
  }

  while (readers.length > 0) {
    for (const r of await connection.wait(readers)) {
      try {
        console.log(await r.recv());
      } catch (error) {
        if ((error as Error).name !== "EOFError") throw error;
        readers = readers.filter((other) => other !== r);
      }
    }
  }
  for (const p of processes) await p.join();
}
