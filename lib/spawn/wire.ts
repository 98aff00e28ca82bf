// Copyright 2026 the denomp authors. MIT license.
// How a spawned child and its parent talk, over the child's stdio. Private.
//
// - Who the child is (`SpawnBoot`) travels as its first command-line
//   argument, so that it is known before the target's module is evaluated;
//   the child then shows its parent's own arguments as `Deno.args`.
// - Parent -> child: the child's stdin, private to the toolkit. Frames are a
//   4-byte big-endian length and the toolkit codec's encoding of a message
//   (lib/net/frame.ts's FrameWriter adds the length, its FrameReader splits
//   them). Its end of file means
//   the parent is gone (it closed the pipe, exited or was killed).
// - Child -> parent: the child's stderr, which is also where its own error
//   output goes (stdout is the parent's, untouched). A message is written
//   in pieces of at most PIPE_BUF bytes (a write that size is never
//   interleaved with another thread's), each starting with a header no text
//   contains (bytes 0xFF 0xFE are never UTF-8) and a check byte. The parent
//   takes the pieces out and copies every other byte to its own stderr.

import type { ProcessIdentity, ProgramInit } from "../_context.ts";
import { encodeScratch } from "../channel/codec.ts";

/** What a spawned child learns from its command line. */
export interface SpawnBoot extends ProgramInit {
  /** What it runs: a Process's target, or pool batches. */
  role: "process" | "pool";
  /** Its process name. */
  name: string;
  /** Its parent's name and pid. */
  parent: ProcessIdentity;
  /** The deno.json its own spawned children should use, if any. */
  config: string | null;
}

let inheritedConfig: string | null | undefined;

/** Inside a spawned child: remembers the config its own children use. */
export function setInheritedConfig(path: string | null): void {
  inheritedConfig = path;
}

/** The config a spawned child was told to pass on (`undefined` elsewhere). */
export function getInheritedConfig(): string | null | undefined {
  return inheritedConfig;
}

/**
 * Encodes a message for the child's stdin (a fresh array; the frame's
 * length prefix is added when it is written).
 *
 * @throws {TypeError} When the message holds a value the codec cannot carry.
 */
export function stdinMessage(message: unknown, what: string): Uint8Array {
  return encodeScratch(message, what).slice();
}

// ---- child -> parent pieces on stderr ----

/** Linux's PIPE_BUF: a write of at most this many bytes is atomic. */
const PIPE_BUF = 4096;
const PIECE_HEADER = 8;
/** Payload bytes in one piece at most. */
const PIECE_MAX = PIPE_BUF - PIECE_HEADER;
const M0 = 0xff;
const M1 = 0xfe;
const M2 = 0x6d; // "m"
const M3 = 0x70; // "p"
/** Flag: the last piece of a message. */
const LAST = 1;

function check(flags: number, lo: number, hi: number): number {
  return 0xa5 ^ flags ^ lo ^ hi;
}

const piece = new Uint8Array(PIPE_BUF);
piece[0] = M0;
piece[1] = M1;
piece[2] = M2;
piece[3] = M3;

/**
 * Writes a message to stderr in pieces (child side). Blocks while the pipe
 * is full, as a parent that is slow to read holds the child back.
 *
 * @throws {TypeError} When the message holds a value the codec cannot carry
 * (nothing was written).
 * @throws When stderr is closed (the parent is gone).
 */
export function writeMessage(message: unknown, what: string): void {
  forEachPiece(encodeScratch(message, what), writeAllStderr);
}

/**
 * Cuts an encoded message into pieces and hands each to `write` (a view of
 * a reused buffer, valid during the call).
 */
export function forEachPiece(
  body: Uint8Array,
  write: (piece: Uint8Array) => void,
): void {
  let at = 0;
  do {
    const n = Math.min(PIECE_MAX, body.length - at);
    const flags = at + n === body.length ? LAST : 0;
    const lo = n & 0xff;
    const hi = n >> 8;
    piece[4] = flags;
    piece[5] = lo;
    piece[6] = hi;
    piece[7] = check(flags, lo, hi);
    piece.set(body.subarray(at, at + n), PIECE_HEADER);
    write(piece.subarray(0, PIECE_HEADER + n));
    at += n;
  } while (at < body.length);
}

/**
 * Writes all of `bytes` to this process's stderr, blocking while the pipe
 * is full.
 *
 * @throws When stderr is closed.
 */
export function writeAllStderr(bytes: Uint8Array): void {
  let off = 0;
  while (off < bytes.length) off += Deno.stderr.writeSync(bytes.subarray(off));
}

/**
 * Reads this process's stdin until end of file (or until it breaks),
 * handing every chunk to `onChunk` (a view of a reused buffer, valid during
 * the call). The end of file is how a child learns that its parent is gone.
 */
export async function readStdin(
  onChunk: (bytes: Uint8Array) => void,
): Promise<void> {
  const buf = new Uint8Array(64 * 1024);
  while (true) {
    let n: number | null;
    try {
      n = await Deno.stdin.read(buf);
    } catch {
      n = null;
    }
    if (n === null) return;
    onChunk(buf.subarray(0, n));
  }
}

/** Keeps the end of a child's own stderr text, for error messages. */
const TAIL_BYTES = 4096;

/**
 * Takes a child's messages out of its stderr stream (parent side); every
 * other byte goes to `text`, in order.
 */
export class StderrDemux {
  #pending = new Uint8Array(0);
  #message: Uint8Array[] = [];
  #messageBytes = 0;
  #onMessage: (bytes: Uint8Array) => void;
  #onText: (bytes: Uint8Array) => void;
  #tail = new Uint8Array(0);

  /**
   * @param onMessage Called with each whole message's bytes (a view valid
   * during the call).
   * @param onText Called with the child's own output, in order.
   */
  constructor(
    onMessage: (bytes: Uint8Array) => void,
    onText: (bytes: Uint8Array) => void,
  ) {
    this.#onMessage = onMessage;
    this.#onText = onText;
  }

  /** The last few KiB of the child's own stderr output. */
  get tail(): string {
    return new TextDecoder().decode(this.#tail);
  }

  /** Feeds bytes read from the child's stderr. */
  push(chunk: Uint8Array): void {
    let buf = chunk;
    if (this.#pending.length > 0) {
      buf = new Uint8Array(this.#pending.length + chunk.length);
      buf.set(this.#pending);
      buf.set(chunk, this.#pending.length);
      this.#pending = new Uint8Array(0);
    }
    let i = 0;
    const n = buf.length;
    while (i < n) {
      const j = buf.indexOf(M0, i);
      if (j < 0) {
        this.#text(buf.subarray(i));
        return;
      }
      if (j > i) this.#text(buf.subarray(i, j));
      if (n - j < PIECE_HEADER) {
        // Maybe the start of a header: wait for the rest.
        this.#pending = buf.slice(j);
        return;
      }
      const flags = buf[j + 4]!;
      const lo = buf[j + 5]!;
      const hi = buf[j + 6]!;
      if (
        buf[j + 1] !== M1 || buf[j + 2] !== M2 || buf[j + 3] !== M3 ||
        buf[j + 7] !== check(flags, lo, hi) || (flags & ~LAST) !== 0
      ) {
        this.#text(buf.subarray(j, j + 1));
        i = j + 1;
        continue;
      }
      const length = lo | (hi << 8);
      const end = j + PIECE_HEADER + length;
      if (end > n) {
        this.#pending = buf.slice(j);
        return;
      }
      this.#piece(buf.subarray(j + PIECE_HEADER, end), (flags & LAST) !== 0);
      i = end;
    }
  }

  #piece(payload: Uint8Array, last: boolean): void {
    if (last && this.#message.length === 0) {
      this.#onMessage(payload);
      return;
    }
    this.#message.push(payload.slice());
    this.#messageBytes += payload.length;
    if (!last) return;
    const whole = new Uint8Array(this.#messageBytes);
    let at = 0;
    for (const part of this.#message) {
      whole.set(part, at);
      at += part.length;
    }
    this.#message = [];
    this.#messageBytes = 0;
    this.#onMessage(whole);
  }

  #text(bytes: Uint8Array): void {
    this.#onText(bytes);
    const keep = Math.min(TAIL_BYTES, this.#tail.length + bytes.length);
    const tail = new Uint8Array(keep);
    const fromBytes = Math.min(keep, bytes.length);
    tail.set(
      this.#tail.subarray(this.#tail.length - (keep - fromBytes)),
      0,
    );
    tail.set(bytes.subarray(bytes.length - fromBytes), keep - fromBytes);
    this.#tail = tail;
  }

  /** Flushes a header-like leftover as text at end of stream. */
  end(): void {
    if (this.#pending.length > 0) this.#text(this.#pending);
    this.#pending = new Uint8Array(0);
  }
}
