// Copyright 2026 the denomp authors. MIT license.
// A raw client for the Manager's wire, for hostile-input and fuzz tests:
// it speaks the framing and the handshake by hand, and can send anything.

import {
  answerHandshake,
  encodeFrame,
  FrameReader,
  importHmacKey,
  PROTOCOL,
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
      await answerHandshake({
        read: () => raw.nextFrame(),
        write: async (frame) => {
          if (!await raw.sendBytes(frame)) throw new Error("closed");
        },
        close: () => raw.close(),
      }, {
        key: await importHmacKey(authkey),
        protocol: PROTOCOL,
        peer: "the manager",
      });
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
    const frame = await this.nextFrame();
    return frame === null ? null : JSON.parse(this.#decoder.decode(frame));
  }

  /** The next frame's payload; `null` once the server closed. */
  async nextFrame(): Promise<Uint8Array | null> {
    for (;;) {
      const frame = this.#reader.next();
      if (frame !== null) return frame.slice();
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
