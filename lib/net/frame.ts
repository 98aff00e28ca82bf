// Copyright 2026 the denomp authors. MIT license.
// Framing of every socket and pipe protocol of the toolkit (the Manager's
// JSON-RPC, multiprocessing.connection): a 4-byte big-endian length, then
// that many bytes. Private.

/** Bytes in the length prefix of every frame. */
export const HEADER_BYTES = 4;
/**
 * The top bit of a length prefix in flagged streams (Listener/Client): the
 * frame holds raw bytes rather than an encoded value. Such streams carry
 * frames of at most 2 GiB - 1.
 */
export const RAW_FLAG = 0x80000000;

const encoder = new TextEncoder();
const fatalDecoder = new TextDecoder("utf-8", { fatal: true });
const lenientDecoder = new TextDecoder();

/**
 * Writes the UTF-8 of `text` into `out` at `at` and returns the byte count.
 * `out` must have `text.length * 3` bytes of room there. ASCII (the usual
 * JSON) is copied by a plain loop, cheaper than a call into the runtime for
 * short texts.
 */
export function writeUtf8(text: string, out: Uint8Array, at: number): number {
  const n = text.length;
  if (n < 512) {
    let i = 0;
    for (; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c > 0x7f) break;
      out[at + i] = c;
    }
    if (i === n) return n;
    return i + encoder.encodeInto(text.slice(i), out.subarray(at + i)).written;
  }
  return encoder.encodeInto(text, out.subarray(at)).written;
}

/**
 * The text of UTF-8 `bytes`. With `fatal`, invalid UTF-8 throws a
 * `TypeError`. Short ASCII (the usual JSON) skips the runtime decoder.
 */
export function readUtf8(bytes: Uint8Array, fatal: boolean): string {
  const n = bytes.length;
  if (n < 256) {
    let ascii = true;
    for (let i = 0; i < n; i++) {
      if (bytes[i]! > 0x7f) {
        ascii = false;
        break;
      }
    }
    if (ascii) {
      return String.fromCharCode.apply(null, bytes as unknown as number[]);
    }
  }
  return (fatal ? fatalDecoder : lenientDecoder).decode(bytes);
}

/** Encodes a text into one frame (length prefix + UTF-8), freshly allocated. */
export function encodeFrame(text: string): Uint8Array {
  // Every UTF-16 unit needs at most 3 UTF-8 bytes.
  const out = new Uint8Array(HEADER_BYTES + text.length * 3);
  const written = writeUtf8(text, out, HEADER_BYTES);
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
 * The buffer grows with what has arrived (never to an announced length
 * ahead of the bytes), so a peer that announces a large frame and stalls
 * holds no more memory than it sent.
 */
export class FrameReader {
  #buf = new Uint8Array(64 * 1024);
  #start = 0;
  #end = 0;
  #flagged: boolean;
  /** The largest payload accepted; may be changed between frames. */
  limit: number;
  /** Whether the frame last returned by `next()` had the raw flag. */
  raw = false;

  /**
   * Creates a reader that rejects frames longer than `limit`. A `flagged`
   * reader takes the top bit of each length as {@linkcode RAW_FLAG}.
   */
  constructor(limit: number, flagged = false) {
    this.limit = limit;
    this.#flagged = flagged;
  }

  /** Bytes received and not yet returned as frames. */
  get buffered(): number {
    return this.#end - this.#start;
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
      if (avail === 0) {
        this.#start = this.#end = 0;
        // Give back a buffer a large frame grew.
        if (this.#buf.length > KEPT_BUFFER_BYTES) {
          this.#buf = new Uint8Array(64 * 1024);
        }
      }
      return null;
    }
    const b = this.#buf;
    const s = this.#start;
    let length = ((b[s]! << 24) | (b[s + 1]! << 16) | (b[s + 2]! << 8) |
      b[s + 3]!) >>> 0;
    let raw = false;
    if (this.#flagged && length >= RAW_FLAG) {
      raw = true;
      length -= RAW_FLAG;
    }
    if (length > this.limit) throw new FrameTooLargeError(length, this.limit);
    if (avail < HEADER_BYTES + length) return null;
    this.#start = s + HEADER_BYTES + length;
    this.raw = raw;
    return b.subarray(s + HEADER_BYTES, s + HEADER_BYTES + length);
  }
}

/** Largest buffer a reader or writer keeps once it is empty again. */
const KEPT_BUFFER_BYTES = 1024 * 1024;

/** The two halves of a byte link: a connection, or a child's stdio pipes. */
export interface ByteLink {
  /** Reads into `p`; `null` at end of stream. */
  read(p: Uint8Array): Promise<number | null>;
  /** Writes some of `p`, returning how many bytes were written. */
  write(p: Uint8Array): Promise<number>;
  /** Closes both directions. */
  close(): void;
}

/** The byte link of a Deno connection. */
export function connLink(conn: Deno.Conn): ByteLink {
  return {
    read: (p) => conn.read(p),
    write: (p) => conn.write(p),
    close: () => conn.close(),
  };
}

interface DrainWaiter {
  upto: number;
  resolve(): void;
  reject(error: unknown): void;
}

/**
 * Encodes frames straight into a buffer and writes them in order: the
 * frames queued while a write is in flight go out together in the next
 * write. Two buffers take turns (one being written, one filling), so a
 * frame costs no allocation.
 */
export class FrameWriter {
  #link: ByteLink;
  #buf = new Uint8Array(64 * 1024);
  #spare = new Uint8Array(64 * 1024);
  #end = 0;
  #inFlight = 0;
  #writing = false;
  #scheduled = false;
  #failed = false;
  #deferred: boolean;
  #onError: (error: unknown) => void;
  #onMoved: (() => void) | undefined;
  #flushLater = () => {
    this.#scheduled = false;
    if (!this.#writing && this.#end > 0) void this.#flush();
  };
  /** Bytes ever queued, and ever written: for `drained()`. */
  #total = 0;
  #written = 0;
  #drainers: DrainWaiter[] = [];

  /**
   * Writes to `link`; a failed write is reported once to `onError`. With
   * `deferred`, the first write waits for the end of the current job, so
   * that every frame queued by one synchronous run (say, the answers to
   * all the requests of one read) goes out in one write: on loopback a
   * write costs the sender the receiver's wake-up too, so fewer is cheaper.
   * `onMoved` hears each time the {@linkcode FrameWriter.backlog} went into
   * a write (it is then 0, or the frames `onMoved` itself queued).
   */
  constructor(
    link: ByteLink,
    onError: (error: unknown) => void,
    deferred = false,
    onMoved?: () => void,
  ) {
    this.#link = link;
    this.#onError = onError;
    this.#deferred = deferred;
    this.#onMoved = onMoved;
  }

  /** Bytes queued and not yet written (the write in flight included). */
  get queued(): number {
    return this.#end + this.#inFlight;
  }

  /**
   * Bytes waiting behind the write in flight: what piles up when the peer
   * stops reading (the write in flight itself may be one large answer).
   */
  get backlog(): number {
    return this.#end;
  }

  #room(bytes: number): number {
    const at = this.#end;
    if (at + bytes > this.#buf.length) {
      let size = this.#buf.length * 2;
      while (size < at + bytes) size *= 2;
      const next = new Uint8Array(size);
      next.set(this.#buf.subarray(0, at));
      this.#buf = next;
    }
    return at;
  }

  /**
   * Queues one frame holding the UTF-8 of `text`, unless that is longer
   * than `limit` bytes (then nothing is queued). Returns the payload's
   * length in bytes either way.
   */
  sendText(text: string, limit = Infinity): number {
    const at = this.#room(HEADER_BYTES + text.length * 3);
    const buf = this.#buf;
    const n = writeUtf8(text, buf, at + HEADER_BYTES);
    if (n > limit) return n;
    buf[at] = n >>> 24;
    buf[at + 1] = n >>> 16;
    buf[at + 2] = n >>> 8;
    buf[at + 3] = n;
    this.#queue(HEADER_BYTES + n);
    return n;
  }

  /** Queues one frame holding `payload` (copied), with the raw flag if asked. */
  sendBytes(payload: Uint8Array, raw = false): void {
    const n = payload.length;
    const at = this.#room(HEADER_BYTES + n);
    const buf = this.#buf;
    const length = raw ? (n + RAW_FLAG) >>> 0 : n;
    buf[at] = length >>> 24;
    buf[at + 1] = length >>> 16;
    buf[at + 2] = length >>> 8;
    buf[at + 3] = length;
    buf.set(payload, at + HEADER_BYTES);
    this.#queue(HEADER_BYTES + n);
  }

  #queue(bytes: number): void {
    this.#end += bytes;
    this.#total += bytes;
    if (this.#writing || this.#scheduled || this.#failed) return;
    if (this.#deferred) {
      this.#scheduled = true;
      queueMicrotask(this.#flushLater);
    } else {
      void this.#flush();
    }
  }

  /**
   * Starts writing what is queued now instead of at the end of the job
   * (a no-op while a write is in flight: the queue goes out after it).
   */
  flush(): void {
    if (!this.#writing && this.#end > 0 && !this.#failed) void this.#flush();
  }

  /** Resolves once every frame queued so far has been written. */
  drained(): Promise<void> {
    if (this.#failed) {
      return Promise.reject(new Deno.errors.BrokenPipe("the link failed"));
    }
    if (this.#written === this.#total) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.#drainers.push({ upto: this.#total, resolve, reject });
    });
  }

  async #flush(): Promise<void> {
    this.#writing = true;
    try {
      while (this.#end > 0 && !this.#failed) {
        const chunk = this.#buf.subarray(0, this.#end);
        // The buffer being written must stay untouched until the write
        // completes: new frames go to the other one meanwhile.
        this.#buf = this.#spare;
        this.#spare = chunk.buffer.byteLength > KEPT_BUFFER_BYTES
          ? new Uint8Array(64 * 1024)
          : new Uint8Array(chunk.buffer);
        this.#inFlight = chunk.length;
        this.#end = 0;
        this.#onMoved?.();
        let off = 0;
        while (off < chunk.length) {
          off += await this.#link.write(off ? chunk.subarray(off) : chunk);
        }
        this.#inFlight = 0;
        this.#written += chunk.length;
        if (this.#drainers.length > 0) this.#settleDrainers();
      }
    } catch (error) {
      this.#failed = true;
      this.#end = 0;
      this.#inFlight = 0;
      for (const d of this.#drainers.splice(0)) d.reject(error);
      this.#onError(error);
    } finally {
      this.#writing = false;
    }
  }

  #settleDrainers(): void {
    const done = this.#written;
    let i = 0;
    while (i < this.#drainers.length && this.#drainers[i]!.upto <= done) i++;
    for (const d of this.#drainers.splice(0, i)) d.resolve();
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
