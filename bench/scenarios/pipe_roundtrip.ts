// Copyright 2026 the denomp authors. MIT license.
// pipe_roundtrip: ping-pong of a small value over a duplex Pipe between the
// parent and a Process that echoes it; microseconds per round trip. The
// parent uses sendSync/recvSync (Python's send/recv block too). Extra
// column: the same with `await send()` / `await recv()` in the parent.
import { type Connection, Pipe, Process } from "@denomp/multiprocessing";
import { report, type ScenarioMeta } from "../_scenario.ts";

/** The row in `deno task bench:compare`. */
export const meta: ScenarioMeta = {
  name: "pipe_roundtrip",
  what: "ping-pong of a small value over Pipe",
  unit: "us",
  higherIsBetter: false,
  target: { max: 10 },
  python: [{ label: "Pipe", args: [] }],
};

const ROUNDS = 20_000;

/** Echoes until the other end closes (runs in a Process). */
export function echo(conn: Connection<number>): void {
  while (true) {
    let v: number;
    try {
      v = conn.recvSync();
    } catch {
      break;
    }
    conn.sendSync(v);
  }
}

if (import.meta.main) {
  const [a, b] = Pipe<number>();
  const p = new Process({ target: echo, args: [b] });
  await p.start();
  for (let i = 0; i < 2000; i++) { // warm-up
    a.sendSync(i);
    a.recvSync();
  }
  let best = Infinity;
  for (let r = 0; r < 3; r++) {
    const t0 = performance.now();
    for (let i = 0; i < ROUNDS; i++) {
      a.sendSync(i);
      if (a.recvSync() !== i) throw new Error("wrong echo");
    }
    best = Math.min(best, ((performance.now() - t0) * 1000) / ROUNDS);
  }
  let bestAsync = Infinity;
  for (let r = 0; r < 3; r++) {
    const t0 = performance.now();
    for (let i = 0; i < ROUNDS / 4; i++) {
      await a.send(i);
      if (await a.recv() !== i) throw new Error("wrong echo");
    }
    bestAsync = Math.min(
      bestAsync,
      ((performance.now() - t0) * 1000) / (ROUNDS / 4),
    );
  }
  a.close();
  await p.join();
  report(best, { async: bestAsync });
}
