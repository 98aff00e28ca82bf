// Copyright 2026 the denomp authors. MIT license.
// The frames between a cluster client and its worker hosts. Private.
//
// Every frame is `HMAC-SHA256(authkey, payload) || payload`, the payload
// being one toolkit codec encoding (lib/channel/codec.ts) of an array. A
// worker host runs nothing whose HMAC it cannot verify, and a client takes
// no result whose HMAC it cannot verify. The HMAC proves who made a frame,
// not that it is fresh: delivery is at least once anyway.
//
// A task entry in the stream holds the sealed frame in field `f`, plus three
// plain fields the server-side scripts read: `v` (the client's visibility
// timeout, ms), `m` (its maxDeliveries) and `p` (deliveries already spent by
// the batch this entry was split from).
//
// Task payload: [VERSION, client, link, batch, timed, refs, c, part]
// - `c` is the core's flattened chunk list (fnId, flags, items, ...). An
//   item that is not a primitive travels pre-encoded (encoded once, at
//   submit, which is where a value the codec refuses fails): an array (an
//   argument list) as an array of primitives and encodings, anything else as
//   one encoding. A user's own Uint8Array is always encoded, so a Uint8Array
//   in `c` is always an encoding.
// - `refs` name every function `c` uses: [fnId, module, name, source], the
//   module as a path relative to the client's root for `file:` modules.
// - `part` is null for a whole batch, or [k, n] for chunk k of a batch of n
//   that a host split up after a redelivery (so that a task that kills its
//   host fails alone).
//
// Result payloads: [VERSION, kind, link, batch, ...]
// - DONE: r (values of the successful chunks in order), e (failed chunks as
//   [k, error, crashCode | null], or null);
// - START: a timed batch has started (its timeout counts from now);
// - PART: k, n, values | null, failure [k, error, crashCode | null] | null;
// - SPLIT: the ids of the entries a batch was split into (for cancelling).

import { signSync, verifySync } from "../_auth.ts";
import { decode, encode } from "../channel/codec.ts";
import type { SerializedError } from "../errors.ts";

/** The frame format's version; a host refuses any other. */
export const VERSION = 1;
/** Bytes of the HMAC in front of every frame. */
export const MAC_BYTES = 32;
/**
 * The shortest visibility timeout a client may ask for (ms). Hosts
 * heartbeat their entries at a quarter of the shortest one they hold, and
 * look for abandoned entries idle longer than this.
 */
export const MIN_VISIBILITY_TIMEOUT = 100;

/** A function reference as it travels. */
export type WireRef = [
  fnId: number,
  module: string,
  name: string,
  source: string | null,
];

/** What a task entry carries. */
export interface TaskFrame {
  client: string;
  link: number;
  batch: number;
  timed: boolean;
  refs: WireRef[];
  c: unknown[];
  part: [k: number, n: number] | null;
}

/** A failed chunk: its index, the error, and the exit code for a crash. */
export type ChunkFailure = [
  k: number,
  error: SerializedError,
  crash: number | null,
];

/** Result kinds. */
export const DONE = 0;
/** See {@linkcode DONE}. */
export const START = 1;
/** See {@linkcode DONE}. */
export const PART = 2;
/** See {@linkcode DONE}. */
export const SPLIT = 3;

/** What a result entry carries. */
export type ResultFrame =
  | {
    kind: typeof DONE;
    link: number;
    batch: number;
    r: unknown[];
    e: ChunkFailure[] | null;
  }
  | { kind: typeof START; link: number; batch: number }
  | {
    kind: typeof PART;
    link: number;
    batch: number;
    k: number;
    n: number;
    values: unknown[] | null;
    failure: ChunkFailure | null;
  }
  | { kind: typeof SPLIT; link: number; batch: number; ids: string[] };

/** `HMAC || payload`. */
export function seal(key: Uint8Array, payload: Uint8Array): Uint8Array {
  const mac = signSync(key, payload);
  const frame = new Uint8Array(MAC_BYTES + payload.length);
  frame.set(mac);
  frame.set(payload, MAC_BYTES);
  return frame;
}

/** The payload of a sealed frame, or null when its HMAC does not verify. */
export function unseal(key: Uint8Array, frame: Uint8Array): Uint8Array | null {
  if (frame.length <= MAC_BYTES) return null;
  const payload = frame.subarray(MAC_BYTES);
  return verifySync(key, payload, frame.subarray(0, MAC_BYTES))
    ? payload
    : null;
}

/** Encodes a task payload. */
export function encodeTask(frame: TaskFrame): Uint8Array {
  return encode(
    [
      VERSION,
      frame.client,
      frame.link,
      frame.batch,
      frame.timed ? 1 : 0,
      frame.refs,
      frame.c,
      frame.part,
    ],
    "Cannot send task",
  );
}

/**
 * Decodes a task payload.
 *
 * @throws {TypeError} When it is not one of this version.
 */
export function decodeTask(payload: Uint8Array): TaskFrame {
  const value = decode(payload);
  if (!Array.isArray(value) || value[0] !== VERSION || value.length !== 8) {
    throw new TypeError(
      `Cannot read task: not a task frame of version ${VERSION}`,
    );
  }
  const [, client, link, batch, timed, refs, c, part] = value;
  if (
    typeof client !== "string" || typeof link !== "number" ||
    typeof batch !== "number" || !Array.isArray(refs) || !Array.isArray(c) ||
    c.length % 3 !== 0 || (part !== null && !Array.isArray(part))
  ) {
    throw new TypeError("Cannot read task: malformed task frame");
  }
  return {
    client,
    link,
    batch,
    timed: timed === 1,
    refs: refs as WireRef[],
    c,
    part: part as [number, number] | null,
  };
}

/** Encodes a result payload. */
export function encodeResult(frame: ResultFrame): Uint8Array {
  const what = "Cannot send result";
  switch (frame.kind) {
    case DONE:
      return encode(
        [VERSION, DONE, frame.link, frame.batch, frame.r, frame.e],
        what,
      );
    case START:
      return encode([VERSION, START, frame.link, frame.batch], what);
    case PART:
      return encode([
        VERSION,
        PART,
        frame.link,
        frame.batch,
        frame.k,
        frame.n,
        frame.values,
        frame.failure,
      ], what);
    case SPLIT:
      return encode(
        [VERSION, SPLIT, frame.link, frame.batch, frame.ids],
        what,
      );
  }
}

/**
 * Decodes a result payload.
 *
 * @throws {TypeError} When it is not one of this version.
 */
export function decodeResult(payload: Uint8Array): ResultFrame {
  const value = decode(payload);
  if (
    !Array.isArray(value) || value[0] !== VERSION ||
    typeof value[2] !== "number" || typeof value[3] !== "number"
  ) {
    throw new TypeError(
      `Cannot read result: not a result frame of version ${VERSION}`,
    );
  }
  const link = value[2] as number;
  const batch = value[3] as number;
  switch (value[1]) {
    case DONE:
      return {
        kind: DONE,
        link,
        batch,
        r: value[4] as unknown[],
        e: value[5] as ChunkFailure[] | null,
      };
    case START:
      return { kind: START, link, batch };
    case PART:
      return {
        kind: PART,
        link,
        batch,
        k: value[4] as number,
        n: value[5] as number,
        values: value[6] as unknown[] | null,
        failure: value[7] as ChunkFailure | null,
      };
    case SPLIT:
      return { kind: SPLIT, link, batch, ids: value[4] as string[] };
    default:
      throw new TypeError(`Cannot read result: unknown kind ${value[1]}`);
  }
}

function isPrimitive(value: unknown): boolean {
  return value === null ||
    (typeof value !== "object" && typeof value !== "function" &&
      typeof value !== "symbol");
}

/**
 * Prepares one task item at submit: primitives as they are, an argument
 * list as an array of primitives and encodings, anything else encoded.
 *
 * @throws {TypeError} When the codec refuses the value (a function, a
 * symbol, a class instance with methods, a shared object, a cycle).
 */
export function packItem(value: unknown, what: string, path: string): unknown {
  if (isPrimitive(value)) return value;
  if (Array.isArray(value)) {
    const out = new Array(value.length);
    for (let i = 0; i < value.length; i++) {
      if (!(i in value)) continue;
      const item = value[i];
      out[i] = isPrimitive(item) ? item : encode(item, `${what}: ${path}`);
    }
    return out;
  }
  return encode(value, `${what}: ${path}`);
}

/**
 * Undoes {@linkcode packItem} on a worker host, for a chunk's items, in
 * place (the array is the decoded frame's own; a chunk of primitives, the
 * common case, costs one type check per item).
 *
 * @throws {TypeError} When `items` is not an array.
 */
export function unpackItems(items: unknown): unknown[] {
  if (!Array.isArray(items)) {
    throw new TypeError("Cannot run task: malformed task frame");
  }
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    if (typeof item !== "object" || item === null) continue;
    if (item instanceof Uint8Array) items[i] = decode(item);
    else if (Array.isArray(item)) {
      for (let j = 0; j < item.length; j++) {
        if (item[j] instanceof Uint8Array) item[j] = decode(item[j]);
      }
    }
  }
  return items;
}
