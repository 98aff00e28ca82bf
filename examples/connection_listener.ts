// Copyright 2026 the denomp authors. MIT license.
// deno-lint-ignore-file no-console
// Python's docs, "Listeners and Clients": a server that sends a few
// messages to a client it authenticated with an authkey. Here the client
// runs in a Process of the same program; it could as well be another
// program, on another machine.
//
//   deno run --allow-read=. --allow-net=127.0.0.1 \
//     examples/connection_listener.ts
import {
  Client,
  type ConnectionAddress,
  Listener,
  Process,
} from "@denomp/multiprocessing";

const AUTHKEY = "secret password";

/** The client side: receives what the server sends. */
export async function client(address: ConnectionAddress): Promise<void> {
  using conn = await Client(address, { authkey: AUTHKEY });
  console.log(await conn.recv()); // => [ 2.25, null, "junk", "float" ]
  console.log(new TextDecoder().decode(await conn.recvBytes())); // => hello
  const arr = new Int32Array(5);
  const bytes = await conn.recvBytes(); // Python's recv_bytes_into(arr)
  new Uint8Array(arr.buffer).set(bytes);
  console.log(bytes.length); // => 8
  console.log(arr); // => Int32Array(5) [ 42, 1729, 0, 0, 0 ]
}

if (import.meta.main) {
  // Python: address = ('localhost', 6000); port 0 picks a free one.
  await using listener = new Listener({ hostname: "127.0.0.1", port: 0 }, {
    authkey: AUTHKEY,
  });
  const p = new Process({ target: client, args: [listener.address] });
  await p.start();
  {
    using conn = await listener.accept();
    console.log("connection accepted from", listener.lastAccepted);
    await conn.send([2.25, null, "junk", "float"]);
    await conn.sendBytes(new TextEncoder().encode("hello"));
    await conn.sendBytes(new Int32Array([42, 1729]));
  }
  await p.join();
}
