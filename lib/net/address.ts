// Copyright 2026 the denomp authors. MIT license.
// Socket addresses of multiprocessing.connection: TCP `{ hostname, port }`
// or a Unix socket `{ path }`; checking them, listening and connecting.
// Private.

import { describe } from "../_wait.ts";

/** A TCP host and port, or the path of a Unix socket. */
export type SocketAddress = { hostname: string; port: number } | {
  path: string;
};

/** Checks an address given by a user; returns a fresh copy. */
export function checkSocketAddress(
  what: string,
  address: unknown,
): SocketAddress {
  if (typeof address === "object" && address !== null) {
    const a = address as Record<string, unknown>;
    if ("path" in a) {
      if (typeof a.path !== "string" || a.path.length === 0) {
        throw new TypeError(
          `${what}: address.path must be a non-empty string, received ${
            describe(a.path)
          }`,
        );
      }
      return { path: a.path };
    }
    if (typeof a.hostname !== "string" || a.hostname.length === 0) {
      throw new TypeError(
        `${what}: address.hostname must be a non-empty string, received ${
          describe(a.hostname)
        }`,
      );
    }
    const port = a.port;
    if (
      !Number.isInteger(port) || (port as number) < 0 ||
      (port as number) > 65535
    ) {
      throw new RangeError(
        `${what}: address.port must be an integer from 0 to 65535, received ${
          describe(port)
        }`,
      );
    }
    return { hostname: a.hostname, port: port as number };
  }
  throw new TypeError(
    `${what}: address must be { hostname, port } or { path }, received ${
      describe(address)
    }`,
  );
}

/** An address as text, for messages. */
export function socketAddressText(address: SocketAddress): string {
  return "path" in address
    ? address.path
    : `${address.hostname}:${address.port}`;
}

/** The address of a Deno address, as this module writes them. */
export function fromDenoAddr(addr: Deno.Addr): SocketAddress | null {
  if (addr.transport === "tcp" || addr.transport === "udp") {
    return { hostname: addr.hostname, port: addr.port };
  }
  if (addr.transport === "unix" || addr.transport === "unixpacket") {
    return addr.path ? { path: addr.path } : null;
  }
  return null;
}

/** Listens on `address` (TCP with no delay on accepted sockets). */
export function listenOn(address: SocketAddress): Deno.Listener {
  return "path" in address
    ? Deno.listen({ transport: "unix", path: address.path })
    : Deno.listen({
      transport: "tcp",
      hostname: address.hostname,
      port: address.port,
    });
}

/** Connects to `address`; a TCP socket gets TCP_NODELAY. */
export async function connectTo(address: SocketAddress): Promise<Deno.Conn> {
  if ("path" in address) {
    return await Deno.connect({ transport: "unix", path: address.path });
  }
  const conn = await Deno.connect({
    transport: "tcp",
    hostname: address.hostname,
    port: address.port,
  });
  conn.setNoDelay(true);
  return conn;
}

/** Small messages are not held back by Nagle's algorithm. */
export function noDelay(conn: Deno.Conn): void {
  if (conn.localAddr.transport === "tcp") {
    try {
      (conn as Deno.TcpConn).setNoDelay(true);
    } catch {
      // Closed already.
    }
  }
}
