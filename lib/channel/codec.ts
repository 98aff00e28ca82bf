// Copyright 2026 the denomp authors. MIT license.
// Values <-> bytes for queues and pipes (and anything else that moves values
// through shared memory). Private.
//
// Every encoding starts with one tag byte:
// - fast paths for the common messages: small integers, doubles, strings,
//   `Uint8Array`s, `true`/`false`/`null`/`undefined`;
// - `TAG_JSON`: a tree made only of plain objects, arrays, strings, finite
//   numbers, booleans and `null` is sent as JSON text (V8's native
//   `JSON.stringify`/`JSON.parse` beat any JavaScript walker, and `node:v8`
//   serialize measured ~10x slower than JSON in Deno 2.9);
// - `TAG_RICH`: anything else that can be encoded (undefined inside
//   containers, bigint, Date, Map, Set, ArrayBuffer, typed arrays, Errors,
//   NaN/Infinity/-0) goes through a small binary tree format, with bytes
//   copied as bytes.
//
// Values that cannot be encoded (functions, symbols, class instances whose
// methods would be lost, cycles) throw a `TypeError` before a single byte is
// written anywhere, so a failed `put` enqueues nothing.

import { builtInErrorClass } from "../_error_wire.ts";

const TAG_UNDEFINED = 0;
const TAG_NULL = 1;
const TAG_TRUE = 2;
const TAG_FALSE = 3;
const TAG_INT32 = 4;
const TAG_FLOAT64 = 5;
const TAG_STRING = 6;
const TAG_BYTES = 7;
const TAG_JSON = 8;
const TAG_RICH = 9;

// Node tags inside a TAG_RICH tree.
const R_UNDEFINED = 0;
const R_NULL = 1;
const R_TRUE = 2;
const R_FALSE = 3;
const R_FLOAT64 = 4;
const R_STRING = 5;
const R_BIGINT = 6;
const R_DATE = 7;
const R_ARRAY = 8;
const R_OBJECT = 9;
const R_MAP = 10;
const R_SET = 11;
const R_ARRAY_BUFFER = 12;
const R_TYPED_ARRAY = 13;
const R_ERROR = 14;
const R_HOLE = 15;

type TypedArrayConstructor =
  | Int8ArrayConstructor
  | Uint8ArrayConstructor
  | Uint8ClampedArrayConstructor
  | Int16ArrayConstructor
  | Uint16ArrayConstructor
  | Int32ArrayConstructor
  | Uint32ArrayConstructor
  | Float32ArrayConstructor
  | Float64ArrayConstructor
  | BigInt64ArrayConstructor
  | BigUint64ArrayConstructor;

// Index in this list is the wire id; DataView is handled as id 255.
const TYPED_ARRAYS: TypedArrayConstructor[] = [
  Int8Array,
  Uint8Array,
  Uint8ClampedArray,
  Int16Array,
  Uint16Array,
  Int32Array,
  Uint32Array,
  Float32Array,
  Float64Array,
  BigInt64Array,
  BigUint64Array,
];
const DATA_VIEW_ID = 255;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

// ---- the per-thread scratch buffer every encoding is written into ----

/** Largest scratch buffer kept between encodings. */
const MAX_KEPT_SCRATCH = 1 << 20;
let scratch = new Uint8Array(4096);
let scratchView = new DataView(scratch.buffer);

function ensure(size: number): void {
  if (size <= scratch.length) return;
  let next = scratch.length * 2;
  while (next < size) next *= 2;
  const grown = new Uint8Array(next);
  grown.set(scratch);
  scratch = grown;
  scratchView = new DataView(scratch.buffer);
}

/**
 * Encodes a value into bytes. The result is a fresh `Uint8Array` that the
 * caller owns.
 *
 * @param value The value to encode.
 * @param what The sentence start for a `TypeError`, as
 *   `"Cannot put to queue"`.
 * @returns The encoding.
 * @throws {TypeError} When the value (or anything inside it) is a function, a
 *   symbol, a class instance with methods, or part of a cycle.
 */
export function encode(
  value: unknown,
  what = "Cannot encode value",
): Uint8Array {
  return encodeScratch(value, what).slice();
}

/**
 * Decodes what {@linkcode encode} (or {@linkcode encodeScratch}) produced.
 * The bytes may live in a SharedArrayBuffer; nothing returned aliases them.
 *
 * @param bytes One whole encoding.
 * @returns The value.
 * @throws {TypeError} When the bytes are not an encoding.
 */
export function decode(bytes: Uint8Array): unknown {
  if (bytes.length === 0) {
    throw new TypeError("Cannot decode value: the encoding is empty");
  }
  const tag = bytes[0];
  switch (tag) {
    case TAG_UNDEFINED:
      return undefined;
    case TAG_NULL:
      return null;
    case TAG_TRUE:
      return true;
    case TAG_FALSE:
      return false;
    case TAG_INT32:
      return bytes[1]! | (bytes[2]! << 8) | (bytes[3]! << 16) |
        (bytes[4]! << 24);
    case TAG_FLOAT64:
      return viewOf(bytes).getFloat64(1, true);
    case TAG_STRING:
      return decodeString(bytes, 1, bytes.length);
    case TAG_BYTES:
      return bytes.slice(1);
    case TAG_JSON:
      return JSON.parse(decodeString(bytes, 1, bytes.length));
    case TAG_RICH: {
      const reader: Reader = { bytes, view: viewOf(bytes), offset: 1 };
      return readNode(reader);
    }
    default:
      throw new TypeError(
        `Cannot decode value: unknown encoding tag ${tag}`,
      );
  }
}

/**
 * Checks, without encoding, that a value can be encoded (used where a value
 * is refused when it is given and encoded later, such as a task for a
 * spawned worker).
 *
 * @param value The value.
 * @param what The sentence start for a `TypeError`.
 * @param path Where the value sits, as `"item 3"`.
 * @throws {TypeError} As {@linkcode encode} would, naming `path`.
 */
export function checkEncodable(
  value: unknown,
  what: string,
  path: string,
): void {
  if (!isJsonSafe(value, 0)) validate(value, what, path, new Set());
}

/**
 * Encodes into this thread's scratch buffer and returns a view of it, valid
 * only until the next encoding on this thread. Queues copy it into shared
 * memory at once, so the common case allocates nothing.
 *
 * @param value The value to encode.
 * @param what The sentence start for a `TypeError`.
 * @returns A view of the scratch buffer holding the encoding.
 */
export function encodeScratch(value: unknown, what: string): Uint8Array {
  // The previous encoding is dead by now: do not keep a huge one's buffer.
  if (scratch.length > MAX_KEPT_SCRATCH) {
    scratch = new Uint8Array(4096);
    scratchView = new DataView(scratch.buffer);
  }
  switch (typeof value) {
    case "number": {
      if ((value | 0) === value && (value !== 0 || 1 / value > 0)) {
        scratch[0] = TAG_INT32;
        scratch[1] = value;
        scratch[2] = value >> 8;
        scratch[3] = value >> 16;
        scratch[4] = value >> 24;
        return scratch.subarray(0, 5);
      }
      scratch[0] = TAG_FLOAT64;
      scratchView.setFloat64(1, value, true);
      return scratch.subarray(0, 9);
    }
    case "string": {
      const length = encodeString(value, 1);
      if (length >= 0) {
        scratch[0] = TAG_STRING;
        return scratch.subarray(0, 1 + length);
      }
      // A lone surrogate, which UTF-8 cannot carry: the rich format keeps
      // the UTF-16 code units.
      const writer: Writer = { offset: 1 };
      scratch[0] = TAG_RICH;
      writeNode(writer, value);
      return scratch.subarray(0, writer.offset);
    }
    case "boolean":
      scratch[0] = value ? TAG_TRUE : TAG_FALSE;
      return scratch.subarray(0, 1);
    case "undefined":
      scratch[0] = TAG_UNDEFINED;
      return scratch.subarray(0, 1);
    case "object": {
      if (value === null) {
        scratch[0] = TAG_NULL;
        return scratch.subarray(0, 1);
      }
      if (value instanceof Uint8Array && value.constructor === Uint8Array) {
        ensure(1 + value.length);
        scratch[0] = TAG_BYTES;
        scratch.set(value, 1);
        return scratch.subarray(0, 1 + value.length);
      }
      if (isJsonSafe(value, 0)) {
        const length = encodeString(JSON.stringify(value), 1);
        scratch[0] = TAG_JSON;
        return scratch.subarray(0, 1 + length);
      }
      // Validate the whole tree first, so that a value that cannot be
      // encoded fails before anything is written.
      validate(value, what, "value", new Set());
      const writer: Writer = { offset: 1 };
      scratch[0] = TAG_RICH;
      writeNode(writer, value);
      return scratch.subarray(0, writer.offset);
    }
    case "bigint": {
      validate(value, what, "value", new Set());
      const writer: Writer = { offset: 1 };
      scratch[0] = TAG_RICH;
      writeNode(writer, value);
      return scratch.subarray(0, writer.offset);
    }
    default:
      throw new TypeError(
        `${what}: value of type ${typeof value} cannot be encoded`,
      );
  }
}

function viewOf(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * Writes a string's UTF-8 at `offset` of the scratch buffer; returns bytes,
 * or -1 (writing nothing) when the string holds a lone surrogate, which
 * UTF-8 would change to U+FFFD.
 */
function encodeString(text: string, offset: number): number {
  const length = text.length;
  // Short ASCII strings are the common message: a plain loop beats a call
  // into TextEncoder for them.
  if (length <= 64) {
    ensure(offset + length);
    let i = 0;
    for (; i < length; i++) {
      const code = text.charCodeAt(i);
      if (code >= 0x80) break;
      scratch[offset + i] = code;
    }
    if (i === length) return length;
  }
  if (!text.isWellFormed()) return -1;
  ensure(offset + length * 3);
  return encoder.encodeInto(text, scratch.subarray(offset)).written;
}

function decodeString(bytes: Uint8Array, start: number, end: number): string {
  const length = end - start;
  if (length <= 32) {
    let text = "";
    for (let i = start; i < end; i++) {
      const code = bytes[i]!;
      if (code >= 0x80) return decoder.decode(bytes.subarray(start, end));
      text += String.fromCharCode(code);
    }
    return text;
  }
  return decoder.decode(bytes.subarray(start, end));
}

/** Whether JSON carries the value exactly (and there is nothing to reject). */
function isJsonSafe(value: unknown, depth: number): boolean {
  switch (typeof value) {
    case "string":
    case "boolean":
      return true;
    case "number":
      return Number.isFinite(value) && (value !== 0 || 1 / value > 0);
    case "object": {
      if (value === null) return true;
      // Deep enough to be a cycle: let the careful path decide.
      if (depth > 64) return false;
      if (Array.isArray(value)) {
        const length = value.length;
        for (let i = 0; i < length; i++) {
          // A hole reads as undefined: neither survives JSON.
          if (!isJsonSafe(value[i], depth + 1)) return false;
        }
        return true;
      }
      const proto = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) return false;
      for (const key in value) {
        if (!isJsonSafe((value as Record<string, unknown>)[key], depth + 1)) {
          return false;
        }
      }
      return true;
    }
    default:
      return false;
  }
}

/** Whether a prototype chain (below Object.prototype) defines methods. */
function hasMethods(proto: object | null): boolean {
  while (proto !== null && proto !== Object.prototype) {
    for (const key of Reflect.ownKeys(proto)) {
      if (key === "constructor") continue;
      const descriptor = Object.getOwnPropertyDescriptor(proto, key);
      if (
        descriptor !== undefined &&
        (typeof descriptor.value === "function" || descriptor.get !== undefined)
      ) return true;
    }
    proto = Object.getPrototypeOf(proto);
  }
  return false;
}

/** Throws the TypeError for the first thing in `value` that cannot go. */
function validate(
  value: unknown,
  what: string,
  path: string,
  ancestors: Set<object>,
): void {
  switch (typeof value) {
    case "function":
    case "symbol":
      throw new TypeError(
        `${what}: ${path} of type ${typeof value} cannot be encoded`,
      );
    case "object":
      break;
    default:
      return;
  }
  if (value === null) return;
  if (ancestors.has(value)) {
    throw new TypeError(
      `${what}: ${path} is a circular reference and cannot be encoded`,
    );
  }
  if (
    value instanceof Date || value instanceof ArrayBuffer ||
    value instanceof SharedArrayBuffer || ArrayBuffer.isView(value)
  ) return;
  ancestors.add(value);
  try {
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        validate(value[i], what, `${path}[${i}]`, ancestors);
      }
      return;
    }
    if (value instanceof Map) {
      for (const [k, v] of value) {
        validate(k, what, `${path} (a Map key)`, ancestors);
        validate(v, what, `${path}.get(${describeKey(k)})`, ancestors);
      }
      return;
    }
    if (value instanceof Set) {
      for (const v of value) {
        validate(v, what, `${path} (a Set item)`, ancestors);
      }
      return;
    }
    if (value instanceof Error) {
      if ("cause" in value) {
        validate(value.cause, what, `${path}.cause`, ancestors);
      }
      return;
    }
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null && hasMethods(proto)) {
      const name = (proto as { constructor?: { name?: string } }).constructor
        ?.name ?? "object";
      throw new TypeError(
        `${what}: ${path} of type ${name} cannot be encoded (a class instance with methods)`,
      );
    }
    for (const key of Object.keys(value)) {
      validate(
        (value as Record<string, unknown>)[key],
        what,
        `${path}.${key}`,
        ancestors,
      );
    }
  } finally {
    ancestors.delete(value);
  }
}

function describeKey(key: unknown): string {
  return typeof key === "string" ? JSON.stringify(key) : String(key);
}

// ---- the rich binary format ----

interface Writer {
  offset: number;
}

function writeByte(w: Writer, byte: number): void {
  ensure(w.offset + 1);
  scratch[w.offset++] = byte;
}

function writeU32(w: Writer, n: number): void {
  ensure(w.offset + 4);
  scratchView.setUint32(w.offset, n, true);
  w.offset += 4;
}

/** Set in a string's length prefix when UTF-16 code units follow. */
const UTF16_FLAG = 0x8000_0000;

function writeString(w: Writer, text: string): void {
  // Length prefix first, then the bytes; the prefix is patched afterwards.
  const at = w.offset;
  ensure(at + 4);
  const length = encodeString(text, at + 4);
  if (length >= 0) {
    scratchView.setUint32(at, length, true);
    w.offset = at + 4 + length;
    return;
  }
  // A lone surrogate: the UTF-16 code units, as they are.
  const units = text.length;
  ensure(at + 4 + units * 2);
  scratchView.setUint32(at, UTF16_FLAG | units, true);
  for (let i = 0; i < units; i++) {
    scratchView.setUint16(at + 4 + i * 2, text.charCodeAt(i), true);
  }
  w.offset = at + 4 + units * 2;
}

function writeBytes(w: Writer, bytes: Uint8Array): void {
  writeU32(w, bytes.length);
  ensure(w.offset + bytes.length);
  scratch.set(bytes, w.offset);
  w.offset += bytes.length;
}

function writeNode(w: Writer, value: unknown): void {
  switch (typeof value) {
    case "undefined":
      writeByte(w, R_UNDEFINED);
      return;
    case "boolean":
      writeByte(w, value ? R_TRUE : R_FALSE);
      return;
    case "number":
      writeByte(w, R_FLOAT64);
      ensure(w.offset + 8);
      scratchView.setFloat64(w.offset, value, true);
      w.offset += 8;
      return;
    case "string":
      writeByte(w, R_STRING);
      writeString(w, value);
      return;
    case "bigint":
      writeByte(w, R_BIGINT);
      writeString(w, value.toString(16));
      return;
    default:
      break;
  }
  if (value === null) {
    writeByte(w, R_NULL);
    return;
  }
  const object = value as object;
  if (object instanceof Date) {
    writeByte(w, R_DATE);
    ensure(w.offset + 8);
    scratchView.setFloat64(w.offset, object.getTime(), true);
    w.offset += 8;
    return;
  }
  if (Array.isArray(object)) {
    writeByte(w, R_ARRAY);
    writeU32(w, object.length);
    for (let i = 0; i < object.length; i++) {
      if (i in object) writeNode(w, object[i]);
      else writeByte(w, R_HOLE);
    }
    return;
  }
  if (object instanceof Map) {
    writeByte(w, R_MAP);
    writeU32(w, object.size);
    for (const [k, v] of object) {
      writeNode(w, k);
      writeNode(w, v);
    }
    return;
  }
  if (object instanceof Set) {
    writeByte(w, R_SET);
    writeU32(w, object.size);
    for (const v of object) writeNode(w, v);
    return;
  }
  if (object instanceof ArrayBuffer || object instanceof SharedArrayBuffer) {
    writeByte(w, R_ARRAY_BUFFER);
    writeBytes(w, new Uint8Array(object));
    return;
  }
  if (ArrayBuffer.isView(object)) {
    writeByte(w, R_TYPED_ARRAY);
    const id = object instanceof DataView ? DATA_VIEW_ID : TYPED_ARRAYS.indexOf(
      (object as unknown as { constructor: TypedArrayConstructor })
        .constructor,
    );
    writeByte(w, id < 0 ? 1 : id);
    writeBytes(
      w,
      new Uint8Array(object.buffer, object.byteOffset, object.byteLength),
    );
    return;
  }
  if (object instanceof Error) {
    writeByte(w, R_ERROR);
    writeString(w, object.name);
    writeString(w, object.message);
    writeNode(w, object.stack);
    writeNode(w, "cause" in object ? object.cause : undefined);
    return;
  }
  writeByte(w, R_OBJECT);
  const keys = Object.keys(object);
  writeU32(w, keys.length);
  for (const key of keys) {
    writeString(w, key);
    writeNode(w, (object as Record<string, unknown>)[key]);
  }
}

interface Reader {
  bytes: Uint8Array;
  view: DataView;
  offset: number;
}

function readU32(r: Reader): number {
  const n = r.view.getUint32(r.offset, true);
  r.offset += 4;
  return n;
}

function readString(r: Reader): string {
  const length = readU32(r);
  if (length & UTF16_FLAG) {
    const units = length ^ UTF16_FLAG;
    const codes = new Array<number>(units);
    for (let i = 0; i < units; i++) {
      codes[i] = r.view.getUint16(r.offset + i * 2, true);
    }
    r.offset += units * 2;
    let text = "";
    for (let i = 0; i < units; i += 8192) {
      text += String.fromCharCode(...codes.slice(i, i + 8192));
    }
    return text;
  }
  const text = decodeString(r.bytes, r.offset, r.offset + length);
  r.offset += length;
  return text;
}

function readBytes(r: Reader): Uint8Array {
  const length = readU32(r);
  // slice() copies, so nothing aliases the (possibly shared) source.
  const bytes = r.bytes.slice(r.offset, r.offset + length);
  r.offset += length;
  return bytes;
}

const HOLE = Symbol("hole");

function readNode(r: Reader): unknown {
  const tag = r.bytes[r.offset++];
  switch (tag) {
    case R_UNDEFINED:
      return undefined;
    case R_NULL:
      return null;
    case R_TRUE:
      return true;
    case R_FALSE:
      return false;
    case R_FLOAT64: {
      const n = r.view.getFloat64(r.offset, true);
      r.offset += 8;
      return n;
    }
    case R_STRING:
      return readString(r);
    case R_BIGINT: {
      const hex = readString(r);
      return hex.startsWith("-")
        ? -BigInt(`0x${hex.slice(1)}`)
        : BigInt(`0x${hex}`);
    }
    case R_DATE: {
      const time = r.view.getFloat64(r.offset, true);
      r.offset += 8;
      return new Date(time);
    }
    case R_ARRAY: {
      const length = readU32(r);
      const array = new Array<unknown>(length);
      for (let i = 0; i < length; i++) {
        const item = readNode(r);
        if (item !== HOLE) array[i] = item;
      }
      return array;
    }
    case R_HOLE:
      return HOLE;
    case R_MAP: {
      const size = readU32(r);
      const map = new Map<unknown, unknown>();
      for (let i = 0; i < size; i++) {
        const key = readNode(r);
        map.set(key, readNode(r));
      }
      return map;
    }
    case R_SET: {
      const size = readU32(r);
      const set = new Set<unknown>();
      for (let i = 0; i < size; i++) set.add(readNode(r));
      return set;
    }
    case R_ARRAY_BUFFER:
      return readBytes(r).buffer;
    case R_TYPED_ARRAY: {
      const id = r.bytes[r.offset++]!;
      const bytes = readBytes(r);
      if (id === DATA_VIEW_ID) return new DataView(bytes.buffer);
      const Ctor = TYPED_ARRAYS[id] ?? Uint8Array;
      return new Ctor(
        bytes.buffer as ArrayBuffer,
        0,
        bytes.byteLength / Ctor.BYTES_PER_ELEMENT,
      );
    }
    case R_ERROR: {
      const name = readString(r);
      const message = readString(r);
      const stack = readNode(r);
      const cause = readNode(r);
      const Ctor = builtInErrorClass(name) ?? Error;
      const error = cause === undefined
        ? new Ctor(message)
        : new Ctor(message, { cause });
      if (error.name !== name) {
        Object.defineProperty(error, "name", {
          value: name,
          writable: true,
          configurable: true,
        });
      }
      if (typeof stack === "string") {
        Object.defineProperty(error, "stack", {
          value: stack,
          writable: true,
          configurable: true,
        });
      }
      return error;
    }
    case R_OBJECT: {
      const count = readU32(r);
      const object: Record<string, unknown> = {};
      for (let i = 0; i < count; i++) {
        const key = readString(r);
        const item = readNode(r);
        if (key === "__proto__") {
          Object.defineProperty(object, key, {
            value: item,
            writable: true,
            enumerable: true,
            configurable: true,
          });
        } else {
          object[key] = item;
        }
      }
      return object;
    }
    default:
      throw new TypeError(`Cannot decode value: unknown node tag ${tag}`);
  }
}
