// Copyright 2026 the denomp authors. MIT license.
// The challenge exchange every authenticated socket of the toolkit starts
// with (the Manager's, Listener/Client's), both directions, over any frame
// channel. The HMAC itself is lib/_auth.ts. docs/PROTOCOL.md section 3 is
// the prose version. Private.
//
//   server -> client  { protocol, challenge?: b64(Cs), ...extra }
//   client -> server  { response: b64(HMAC(K, "denomp-client:" || Cs)),
//                       challenge: b64(Cc) }
//   server -> client  { response: b64(HMAC(K, "denomp-server:" || Cc)) }
//                  or { error: { name: "AuthenticationError", message } }
//
// Without a key on the server, the hello carries no challenge and the
// connection is open at once; a client that has a key refuses such a server
// (it cannot prove it knows the key), and a client without one refuses a
// server that asks for one, each with an AuthenticationError that says so.

import {
  CHALLENGE_BYTES,
  CLIENT_PROOF,
  prove,
  SERVER_PROOF,
  verifyProof,
} from "../_auth.ts";
import { AuthenticationError } from "../errors.ts";
import {
  type ByteLink,
  encodeFrame,
  type FrameReader,
  fromBase64,
  toBase64,
} from "./frame.ts";

/** Largest frame either side accepts before the handshake completes. */
export const HANDSHAKE_MAX_FRAME_BYTES = 1024;
/** How long a server waits for a client to finish the handshake. */
export const HANDSHAKE_TIMEOUT_MS = 10_000;

const decoder = new TextDecoder();

/** Whole frames over a fresh connection. */
export interface FrameChannel {
  /** The next frame's payload; `null` at end of stream. */
  read(): Promise<Uint8Array | null>;
  /** Writes one whole frame, length prefix included. */
  write(frame: Uint8Array): Promise<void>;
  /** Closes the connection (makes a pending `read` end). */
  close(): void;
}

/** The peer does not speak the expected protocol. */
export class ProtocolError extends Error {
  /** Builds the error. */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "ProtocolError";
  }
}

/**
 * A channel over a byte link. Bytes read past the handshake stay in
 * `reader`, so the caller's protocol goes on from the same reader.
 */
export function linkChannel(
  link: ByteLink,
  reader: FrameReader,
): FrameChannel {
  const buf = new Uint8Array(HANDSHAKE_MAX_FRAME_BYTES + 8);
  return {
    async read() {
      for (;;) {
        const frame = reader.next();
        if (frame !== null) return frame.slice();
        const n = await link.read(buf);
        if (n === null) return null;
        reader.push(buf.subarray(0, n));
      }
    },
    async write(frame) {
      let off = 0;
      while (off < frame.length) off += await link.write(frame.subarray(off));
    },
    close() {
      try {
        link.close();
      } catch {
        // Already closed.
      }
    },
  };
}

function writeJson(channel: FrameChannel, value: unknown): Promise<void> {
  return channel.write(encodeFrame(JSON.stringify(value)));
}

async function readJson(
  channel: FrameChannel,
): Promise<Record<string, unknown> | null> {
  const frame = await channel.read();
  if (frame === null) return null;
  const value = JSON.parse(decoder.decode(frame));
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new ProtocolError("a handshake frame is not an object");
  }
  return value as Record<string, unknown>;
}

/** What the server side of the exchange needs. */
export interface ServeOptions {
  /** The authkey's HMAC key; `null` accepts every client. */
  key: CryptoKey | null;
  /** Sent in the hello; the client checks it. */
  protocol: string;
  /** Extra fields of the hello, such as the frame limit. */
  extra?: Record<string, unknown>;
  /** Milliseconds the client has to finish. */
  timeout?: number;
}

/**
 * The server side: sends the hello and checks the client's proof. Resolves
 * `true` once the client is authenticated, `false` when it failed (it was
 * told so) or gave up or timed out; the caller then closes the connection.
 * Never rejects.
 */
export async function serveHandshake(
  channel: FrameChannel,
  options: ServeOptions,
): Promise<boolean> {
  const { key, protocol, extra, timeout = HANDSHAKE_TIMEOUT_MS } = options;
  if (key === null) {
    try {
      await writeJson(channel, { ...extra, protocol });
      return true;
    } catch {
      return false;
    }
  }
  const challenge = crypto.getRandomValues(new Uint8Array(CHALLENGE_BYTES));
  // A client that does not finish in time is cut off: its read ends.
  const timer = setTimeout(() => channel.close(), timeout);
  // It never keeps a program alive on its own: a Listener closes its
  // handshaking sockets itself, and an open socket keeps nothing alive.
  Deno.unrefTimer(timer);
  try {
    await writeJson(channel, {
      ...extra,
      protocol,
      challenge: toBase64(challenge),
    });
    const hello = await readJson(channel);
    if (hello === null) return false;
    let theirs: Uint8Array | null = null;
    let ok = false;
    try {
      const proof = fromBase64(String(hello.response));
      theirs = fromBase64(String(hello.challenge));
      ok = theirs.length === CHALLENGE_BYTES &&
        await verifyProof(key, CLIENT_PROOF, challenge, proof);
    } catch {
      ok = false;
    }
    if (!ok || theirs === null) {
      await writeJson(channel, {
        error: {
          name: "AuthenticationError",
          message: "Authentication failed: wrong authkey",
        },
      });
      return false;
    }
    await writeJson(channel, {
      response: toBase64(await prove(key, SERVER_PROOF, theirs)),
    });
    return true;
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

/** What the client side of the exchange needs. */
export interface AnswerOptions {
  /** The authkey's HMAC key; `null` to connect without one. */
  key: CryptoKey | null;
  /** The protocol the server must announce. */
  protocol: string;
  /** Describes the server in messages, as `"the manager at <address>"`. */
  peer: string;
}

/**
 * The client side: checks the hello, proves the key and checks the
 * server's proof. Resolves with the hello (for its extra fields).
 *
 * @throws {AuthenticationError} when either side does not prove the key,
 * or one side has a key and the other none.
 * @throws {ProtocolError} when the server speaks another protocol or the
 * connection ends during the exchange.
 */
export async function answerHandshake(
  channel: FrameChannel,
  options: AnswerOptions,
): Promise<Record<string, unknown>> {
  const { key, protocol, peer } = options;
  const hello = await readJson(channel);
  if (hello === null || hello.protocol !== protocol) {
    throw new ProtocolError(
      `Cannot connect to ${peer}: it does not speak ${protocol}`,
    );
  }
  const challenge = hello.challenge;
  if (challenge === undefined) {
    if (key !== null) {
      throw new AuthenticationError(
        `Cannot connect to ${peer}: it does not authenticate, so it cannot prove it knows the authkey`,
      );
    }
    return hello;
  }
  if (key === null) {
    throw new AuthenticationError(
      `Cannot connect to ${peer}: it requires an authkey`,
    );
  }
  if (typeof challenge !== "string") {
    throw new ProtocolError(`Cannot connect to ${peer}: a malformed hello`);
  }
  const ours = crypto.getRandomValues(new Uint8Array(CHALLENGE_BYTES));
  const proof = await prove(key, CLIENT_PROOF, fromBase64(challenge));
  await writeJson(channel, {
    response: toBase64(proof),
    challenge: toBase64(ours),
  });
  const reply = await readJson(channel);
  if (reply === null || reply.error !== undefined) {
    throw new AuthenticationError(
      `Cannot connect to ${peer}: authentication failed (wrong authkey)`,
    );
  }
  if (
    typeof reply.response !== "string" ||
    !await verifyProof(key, SERVER_PROOF, ours, fromBase64(reply.response))
  ) {
    throw new AuthenticationError(
      `Cannot connect to ${peer}: the server did not prove it knows the authkey`,
    );
  }
  return hello;
}
