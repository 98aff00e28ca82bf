// Copyright 2026 the denomp authors. MIT license.
// Framing of every socket and pipe protocol of the toolkit (the Manager's
// JSON-RPC, multiprocessing.connection): a 4-byte big-endian length, then
// that many bytes. Private.

/** Bytes in the length prefix of every frame. */
export const HEADER_BYTES = 4;
const encoder = new TextEncoder();

/** Encodes a JSON text into one frame (length prefix + UTF-8). */
export function encodeFrame(text: string): Uint8Array {
  // Every UTF-16 unit needs at most 3 UTF-8 bytes.
  const out = new Uint8Array(HEADER_BYTES + text.length * 3);
  const { written } = encoder.encodeInto(text, out.subarray(HEADER_BYTES));
  new DataView(out.buffer).setUint32(0, written);
  return out.subarray(0, HEADER_BYTES + written);
}

/** Thrown by {@linkcode FrameReader.next} for a frame over the limit. */
export class FrameTooLargeError extends Error {
  /** The announced length. */
  readonly length: number;
  /** Builds the error. */
  constructor(length: number, limit: number) {
    super(`Frame of ${length} bytes exceeds the limit of ${limit} bytes`);
    this.name = "FrameTooLargeError";
    this.length = length;
  }
}

/**
 * Splits a byte stream into frames. Bytes are appended with `push()`;
 * `next()` returns the payload of the next complete frame, or `null`.
 */
export class FrameReader {
  #buf = new Uint8Array(64 * 1024);
  #start = 0;
  #end = 0;
  /** The largest payload accepted; may be changed between frames. */
  limit: number;

  /** Creates a reader that rejects frames longer than `limit`. */
  constructor(limit: number) {
    this.limit = limit;
  }

  /** Appends received bytes (copied). */
  push(chunk: Uint8Array): void {
    const need = this.#end + chunk.length;
    if (need > this.#buf.length) {
      const live = this.#end - this.#start;
      if (live + chunk.length <= this.#buf.length && this.#start > 0) {
        this.#buf.copyWithin(0, this.#start, this.#end);
      } else {
        let size = this.#buf.length * 2;
        while (size < live + chunk.length) size *= 2;
        const next = new Uint8Array(size);
        next.set(this.#buf.subarray(this.#start, this.#end));
        this.#buf = next;
      }
      this.#start = 0;
      this.#end = live;
    }
    this.#buf.set(chunk, this.#end);
    this.#end += chunk.length;
  }

  /**
   * The payload of the next complete frame (a view valid until the next
   * `push()`), or `null` when more bytes are needed.
   *
   * @throws {FrameTooLargeError} when the announced length is over `limit`.
   */
  next(): Uint8Array | null {
    const avail = this.#end - this.#start;
    if (avail < HEADER_BYTES) {
      if (avail === 0) this.#start = this.#end = 0;
      return null;
    }
    const b = this.#buf;
    const s = this.#start;
    const length = ((b[s]! << 24) | (b[s + 1]! << 16) | (b[s + 2]! << 8) |
      b[s + 3]!) >>> 0;
    if (length > this.limit) throw new FrameTooLargeError(length, this.limit);
    if (avail < HEADER_BYTES + length) return null;
    this.#start = s + HEADER_BYTES + length;
    return b.subarray(s + HEADER_BYTES, s + HEADER_BYTES + length);
  }
}

/** The two halves of a byte link: a connection, or a child's stdio pipes. */
export interface ByteLink {
  /** Reads into `p`; `null` at end of stream. */
  read(p: Uint8Array): Promise<number | null>;
  /** Writes some of `p`, returning how many bytes were written. */
  write(p: Uint8Array): Promise<number>;
  /** Closes both directions. */
  close(): void;
}

/**
 * Queues frames and writes them in order, coalescing the frames queued
 * while a write is in flight into one write.
 */
export class FrameWriter {
  #link: ByteLink;
  #queue: Uint8Array[] = [];
  #queued = 0;
  #writing = false;
  #deferred: boolean;
  #onError: (error: unknown) => void;
  #flushLater = () => void this.#flush();

  /**
   * Writes to `link`; a failed write is reported once to `onError`. With
   * `deferred`, the first write waits for the end of the current job, so
   * that every frame queued by one synchronous run (say, the answers to
   * all the requests of one read) goes out in one write: on loopback TCP a
   * write costs the sender the receiver's work too, so fewer is cheaper.
   */
  constructor(
    link: ByteLink,
    onError: (error: unknown) => void,
    deferred = false,
  ) {
    this.#link = link;
    this.#onError = onError;
    this.#deferred = deferred;
  }

  /** Queues one frame. */
  send(frame: Uint8Array): void {
    this.#queue.push(frame);
    this.#queued += frame.length;
    if (this.#writing) return;
    if (this.#deferred) {
      this.#writing = true;
      queueMicrotask(this.#flushLater);
    } else {
      void this.#flush();
    }
  }

  async #flush(): Promise<void> {
    this.#writing = true;
    try {
      while (this.#queue.length > 0) {
        let chunk: Uint8Array;
        if (this.#queue.length === 1) {
          chunk = this.#queue[0]!;
        } else {
          chunk = new Uint8Array(this.#queued);
          let at = 0;
          for (const part of this.#queue) {
            chunk.set(part, at);
            at += part.length;
          }
        }
        this.#queue = [];
        this.#queued = 0;
        let off = 0;
        while (off < chunk.length) {
          off += await this.#link.write(off ? chunk.subarray(off) : chunk);
        }
      }
    } catch (error) {
      this.#queue = [];
      this.#queued = 0;
      this.#onError(error);
    } finally {
      this.#writing = false;
    }
  }
}

/** Standard base64 of bytes. */
export function toBase64(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(s);
}

/** Bytes of a standard base64 string; throws on bad input. */
export function fromBase64(text: string): Uint8Array {
  const s = atob(text);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}
