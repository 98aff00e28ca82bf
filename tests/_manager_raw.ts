// Copyright 2026 the denomp authors. MIT license.
// A raw client for the Manager's wire, for hostile-input and fuzz tests:
// it speaks the framing and the handshake by hand, and can send anything.

import {
  CLIENT_PROOF,
  encodeFrame,
  FrameReader,
  fromBase64,
  importHmacKey,
  prove,
  toBase64,
} from "../dist/lib/_internal.js";

/** A raw connection. */
export class RawClient {
  readonly conn: Deno.TcpConn;
  #reader = new FrameReader(0xffffffff);
  #buf = new Uint8Array(64 * 1024);
  #decoder = new TextDecoder();
  #closed = false;

  constructor(conn: Deno.TcpConn) {
    this.conn = conn;
  }

  /** Connects; with `authkey`, runs the client half of the handshake. */
  static async connect(
    address: { hostname: string; port: number },
    authkey?: Uint8Array,
  ): Promise<RawClient> {
    const conn = await Deno.connect(address);
    const raw = new RawClient(conn);
    if (authkey !== undefined) {
      const hello = await raw.next() as { challenge: string };
      const key = await importHmacKey(authkey);
      const proof = await prove(key, CLIENT_PROOF, fromBase64(hello.challenge));
      await raw.sendJson({
        response: toBase64(proof),
        challenge: toBase64(crypto.getRandomValues(new Uint8Array(32))),
      });
      const reply = await raw.next() as { response?: string } | null;
      if (reply === null || typeof reply.response !== "string") {
        throw new Error("handshake failed");
      }
    }
    return raw;
  }

  /** Writes bytes as they are; false when the server has closed. */
  async sendBytes(bytes: Uint8Array): Promise<boolean> {
    try {
      let off = 0;
      while (off < bytes.length) {
        off += await this.conn.write(bytes.subarray(off));
      }
      return true;
    } catch {
      this.#closed = true;
      return false;
    }
  }

  /** Sends one frame holding `text`. */
  sendText(text: string): Promise<boolean> {
    return this.sendBytes(encodeFrame(text));
  }

  /** Sends one frame holding `JSON.stringify(value)`. */
  sendJson(value: unknown): Promise<boolean> {
    return this.sendText(JSON.stringify(value));
  }

  /** The next frame, parsed; `null` once the server closed. */
  async next(): Promise<unknown> {
    for (;;) {
      const frame = this.#reader.next();
      if (frame !== null) return JSON.parse(this.#decoder.decode(frame));
      let n: number | null;
      try {
        n = await this.conn.read(this.#buf);
      } catch {
        n = null;
      }
      if (n === null) {
        this.#closed = true;
        return null;
      }
      this.#reader.push(this.#buf.subarray(0, n));
    }
  }

  /** Sends a request and returns the next response. */
  async call(method: string, params: unknown[], id = 1): Promise<unknown> {
    await this.sendJson({ jsonrpc: "2.0", id, method, params });
    return await this.next();
  }

  /** Whether the server closed the connection. */
  get closed(): boolean {
    return this.#closed;
  }

  /** Closes the connection. */
  close(): void {
    try {
      this.conn.close();
    } catch {
      // Already closed.
    }
  }
}
