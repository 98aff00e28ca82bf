// Copyright 2026 the denomp authors. MIT license.
// connection_roundtrip: ping-pong of a small value over a Listener/Client
// socket connection (TCP on 127.0.0.1, authkey handshake first) between the
// parent and a Process that echoes it; microseconds per round trip. The
// parent awaits each send and recv, as Python's blocking calls wait.
import {
  Client,
  type ConnectionAddress,
  Listener,
  Process,
} from "@denomp/multiprocessing";
import { report, type ScenarioMeta } from "../_scenario.ts";

/** The row in `deno task bench:compare`. */
export const meta: ScenarioMeta = {
  name: "connection_roundtrip",
  what: "ping-pong of a small value over Listener/Client (TCP 127.0.0.1)",
  unit: "us",
  higherIsBetter: false,
  target: { speedup: 1.5 },
  python: [{ label: "connection", args: [] }],
};

const ROUNDS = 10_000;
const AUTHKEY = "bench";

/** Connects and echoes every value until end of file (runs in a Process). */
export async function echo(address: ConnectionAddress): Promise<void> {
  using conn = await Client<number>(address, { authkey: AUTHKEY });
  for (;;) {
    let v: number;
    try {
      v = await conn.recv();
    } catch {
      break;
    }
    await conn.send(v);
  }
}

if (import.meta.main) {
  await using listener = new Listener({ hostname: "127.0.0.1", port: 0 }, {
    authkey: AUTHKEY,
  });
  const p = new Process({ target: echo, args: [listener.address] });
  await p.start();
  const conn = await listener.accept<number>();
  for (let i = 0; i < 2000; i++) { // warm-up
    await conn.send(i);
    await conn.recv();
  }
  let best = Infinity;
  for (let r = 0; r < 3; r++) {
    const t0 = performance.now();
    for (let i = 0; i < ROUNDS; i++) {
      await conn.send(i);
      if (await conn.recv() !== i) throw new Error("wrong echo");
    }
    best = Math.min(best, ((performance.now() - t0) * 1000) / ROUNDS);
  }
  conn.close();
  await p.join();
  report(best);
}
