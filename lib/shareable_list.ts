// Copyright 2026 the denomp authors. MIT license.
/**
 * `ShareableList`: Python's `multiprocessing.shared_memory.ShareableList`,
 * a fixed-length list of numbers, booleans, strings, bytes and nulls stored
 * in a {@linkcode SharedMemory} block in Python's own layout, so that any
 * Process attaches to it by name.
 *
 * @module
 */

import { assertLive } from "./_context.ts";
import {
  registerShareable,
  reviveDescriptor,
  SHARE,
  type ShareContext,
  type SharedDescriptor,
} from "./_registry.ts";
import { SharedMemory } from "./shared_memory.ts";
import { describe } from "./_wait.ts";

/**
 * What a {@linkcode ShareableList} holds: Python's `int` (a `number` that
 * is a safe integer, or a `bigint`), `float` (any other `number`), `bool`,
 * `str`, `bytes` (`Uint8Array`) and `None` (`null`).
 */
export type ShareableItem =
  | number
  | bigint
  | boolean
  | string
  | Uint8Array
  | null;

/** Options for the {@linkcode ShareableList} constructor. */
export interface ShareableListOptions {
  /**
   * The name of the block: with a sequence, the name of the new block
   * (leave it out for a fresh unique one); without one, the block to
   * attach to.
   */
  name?: string;
}

// Python's layout (Lib/multiprocessing/shared_memory.py), all little-endian:
// - 8 bytes: the number of items N (int64);
// - (N + 1) * 8 bytes: the offset of each item's slot from the data area,
//   and the end of the last one (int64 each);
// - the data area: one slot per item (8 bytes, or a multiple of 8 for a
//   string or bytes: 8 * (length // 8 + 1));
// - N * 8 bytes: each item's struct format, NUL-padded ("q", "d",
//   "xxxxxxx?" for a bool, "xxxxxx?x" for None, "<n>s" for str and bytes);
// - N bytes: each item's back-transform code (0 value as is, 1 str,
//   2 bytes, 3 None).

const ALIGN = 8;
const CODE_VALUE = 0;
const CODE_STR = 1;
const CODE_BYTES = 2;
const CODE_NONE = 3;
const FORMAT_BOOL = "xxxxxxx?";
const FORMAT_NONE = "xxxxxx?x";
const CHAR_D = 0x64;
const CHAR_X = 0x78;
/** |high 32 bits| below this: the int64 may be a safe integer. */
const SAFE_HIGH = 2 ** 21;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

const encoder = new TextEncoder();
const decoder = new TextDecoder();
let reviving: SharedMemory | null = null;

/** An item's format, code and encoded bytes (for str and bytes). */
interface Packed {
  format: string;
  code: number;
  bytes: Uint8Array | null;
}

function pack(what: string, item: unknown): Packed {
  switch (typeof item) {
    case "number":
      return {
        // -0 is a float, or its sign would be lost.
        format: Number.isSafeInteger(item) && !Object.is(item, -0) ? "q" : "d",
        code: CODE_VALUE,
        bytes: null,
      };
    case "bigint":
      if (item < INT64_MIN || item > INT64_MAX) {
        throw new RangeError(
          `${what}: an int item must fit in 64 bits, received ${item}`,
        );
      }
      return { format: "q", code: CODE_VALUE, bytes: null };
    case "boolean":
      return { format: FORMAT_BOOL, code: CODE_VALUE, bytes: null };
    case "string": {
      const bytes = encoder.encode(item);
      // Python sizes a str slot by its characters (code points), which a
      // longer UTF-8 encoding may not fit (Python then cuts it short);
      // here such a string gets the slot its bytes need.
      const python = slotBytes([...item].length);
      const size = bytes.length <= python ? python : slotBytes(bytes.length);
      return { format: `${size}s`, code: CODE_STR, bytes };
    }
    case "object":
      if (item === null) {
        return { format: FORMAT_NONE, code: CODE_NONE, bytes: null };
      }
      if (item instanceof Uint8Array) {
        return {
          format: `${slotBytes(item.length)}s`,
          code: CODE_BYTES,
          bytes: item,
        };
      }
  }
  throw new TypeError(
    `${what}: an item must be a number, bigint, boolean, string, Uint8Array or null, received ${
      describe(item)
    }`,
  );
}

/** Python's slot for a str or bytes of `length`: 8 * (length // 8 + 1). */
function slotBytes(length: number): number {
  return ALIGN * (Math.floor(length / ALIGN) + 1);
}

function slotSize(format: string): number {
  return format.endsWith("s") ? Number(format.slice(0, -1)) : ALIGN;
}

function sameItem(a: ShareableItem, b: unknown): boolean {
  if (a instanceof Uint8Array) {
    if (!(b instanceof Uint8Array) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
    return true;
  }
  const ta = typeof a;
  const tb = typeof b;
  if (
    (ta === "number" || ta === "bigint") && (tb === "number" || tb === "bigint")
  ) {
    // 1 == 1n, as Python's 1 == 1; NaN equals nothing.
    // deno-lint-ignore eqeqeq
    return a == b;
  }
  return a === b;
}

function trimNuls(bytes: Uint8Array): Uint8Array {
  let end = bytes.length;
  while (end > 0 && bytes[end - 1] === 0) end--;
  return bytes.slice(0, end);
}

/**
 * A fixed-length list in shared memory, as Python's
 * `multiprocessing.shared_memory.ShareableList`: Python's layout and slot
 * sizes, in a {@linkcode SharedMemory} block (`shm`) that any Process
 * attaches to by name (`new ShareableList(null, { name })`), or receives
 * in `args`.
 *
 * Items, as Python's: a `number` that is a safe integer is stored as an
 * `int` (format `"q"`, 8 bytes) and any other (`-0`, `NaN` too) as a
 * `float` (`"d"`);
 * a `bigint` as an `int` (it must fit 64 bits); `int` items are read back
 * as `number` when they are safe integers, else as `bigint`. A string
 * gets Python's slot of 8 * (characters / 8 + 1) bytes, and a `Uint8Array`
 * 8 * (length / 8 + 1); a string whose UTF-8 bytes do not fit that slot
 * (Python would cut it short) gets the slot its bytes need. Trailing NUL
 * bytes are dropped when an item is read back, as Python does. `null` is Python's `None`. The length is fixed; an item may
 * be replaced by one of any type that fits its slot.
 *
 * Like Python's, it takes no lock: writes of one item are not atomic for
 * readers in other Processes; order them with a `Lock` when that matters.
 *
 * @example Usage
 * ```ts
 * import { ShareableList } from "@denomp/multiprocessing";
 * import assert from "node:assert/strict";
 *
 * const a = new ShareableList(["howdy", -273.154, 100, null, true]);
 * assert.equal(a.get(1), -273.154);
 * a.set(1, "dry ice");
 * const b = new ShareableList(null, { name: a.shm.name }); // attach
 * assert.equal(b.get(1), "dry ice");
 * assert.equal(a.format, "8s8sqxxxxxx?xxxxxxxx?");
 * b.shm.close();
 * a.shm.close();
 * a.shm.unlink();
 * ```
 */
export class ShareableList {
  /** The block holding the list. */
  readonly shm: SharedMemory;
  readonly #length: number;
  readonly #offsets: number[];
  readonly #view: DataView;
  readonly #u8: Uint8Array;
  /** Byte offsets in the block of the data area, formats and codes. */
  readonly #dataAt: number;
  readonly #formatsAt: number;
  readonly #codesAt: number;

  /**
   * Creates a list in a new block from `sequence` (an empty one without
   * it), or, with `sequence` null or left out and a `name`, attaches to
   * the list in that block.
   *
   * @param sequence The items of a new list.
   * @param options The block's name.
   * @throws {TypeError} When an item has a type the list cannot hold, or
   *   an option has the wrong type.
   * @throws {RangeError} When a `bigint` does not fit 64 bits, or the
   *   block attached to does not hold a list (too small for the header it
   *   has); the handle attached is closed again.
   * @throws {Deno.errors.NotFound} When attaching to an unknown name.
   * @throws {Deno.errors.AlreadyExists} When creating a name that exists.
   */
  constructor(
    sequence?: Iterable<ShareableItem> | null,
    options?: ShareableListOptions,
  ) {
    const shm = reviving;
    reviving = null;
    if (shm !== null) {
      this.shm = shm;
    } else {
      if (
        options !== undefined &&
        (typeof options !== "object" || options === null)
      ) {
        throw new TypeError(
          `Cannot create shareable list: options must be an object, received ${
            describe(options)
          }`,
        );
      }
      const name = options?.name;
      if (sequence === undefined || sequence === null) {
        if (name === undefined) {
          this.shm = create([], undefined);
        } else {
          this.shm = new SharedMemory({ name });
        }
      } else {
        this.shm = create(sequence, name);
      }
    }
    const buf = this.shm.buf;
    const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    let header: { length: number; offsets: number[] };
    try {
      header = readHeader(view, this.shm.name);
    } catch (error) {
      // Nobody else holds this handle: do not keep the block alive.
      this.shm.close();
      throw error;
    }
    this.#view = view;
    this.#u8 = buf;
    this.#length = header.length;
    this.#offsets = header.offsets;
    this.#dataAt = (this.#length + 2) * 8;
    this.#formatsAt = this.#dataAt + this.#offsets[this.#length]!;
    this.#codesAt = this.#formatsAt + this.#length * 8;
  }

  /** The block's view, unless its handle was closed. */
  #data(): DataView {
    if (this.shm.closed) {
      throw new Deno.errors.BadResource(
        "Cannot use shareable list: its block's handle is closed",
      );
    }
    return this.#view;
  }

  /** The number of items (fixed when the list was made). */
  get length(): number {
    return this.#length;
  }

  #position(what: string, index: number): number {
    if (typeof index !== "number" || !Number.isInteger(index)) {
      throw new TypeError(
        `${what}: index must be an integer, received ${describe(index)}`,
      );
    }
    const position = index < 0 ? index + this.#length : index;
    if (position < 0 || position >= this.#length) {
      throw new RangeError(
        `${what}: index out of range, received ${index} for a list of ${this.#length}`,
      );
    }
    return position;
  }

  #format(position: number): string {
    const u8 = this.#u8;
    const at = this.#formatsAt + position * 8;
    let format = "";
    for (let i = 0; i < 8; i++) {
      const c = u8[at + i]!;
      if (c === 0) break;
      format += String.fromCharCode(c);
    }
    return format;
  }

  /**
   * The item at `index` (negative counts from the end, as Python's).
   *
   * @param index The position.
   * @returns The item.
   * @throws {RangeError} When `index` is out of range.
   * @throws {Deno.errors.BadResource} When `shm` has been closed.
   *
   * @example Usage
   * ```ts
   * import { ShareableList } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   *
   * const sl = new ShareableList([1, 2.5, "three"]);
   * assert.equal(sl.get(-1), "three");
   * sl.shm.close();
   * sl.shm.unlink();
   * ```
   */
  get(index: number): ShareableItem {
    const position = this.#position("Cannot get item", index);
    const view = this.#data();
    return this.#read(view, position);
  }

  #read(view: DataView, position: number): ShareableItem {
    const u8 = this.#u8;
    const offsets = this.#offsets;
    const at = this.#dataAt + offsets[position]!;
    const code = u8[this.#codesAt + position]!;
    switch (code) {
      case CODE_NONE:
        return null;
      case CODE_STR:
      case CODE_BYTES: {
        // A "<n>s" format is always as large as the slot (Python's too).
        const slot = offsets[position + 1]! - offsets[position]!;
        const bytes = trimNuls(u8.subarray(at, at + slot));
        return code === CODE_STR ? decoder.decode(bytes) : bytes;
      }
    }
    // "d", "xxxxxxx?" or "q": the first letter tells.
    switch (u8[this.#formatsAt + position * 8]) {
      case CHAR_D:
        return view.getFloat64(at, true);
      case CHAR_X:
        return u8[at + 7] !== 0;
    }
    const high = view.getInt32(at + 4, true);
    if (high >= -SAFE_HIGH && high < SAFE_HIGH) {
      const int = high * 2 ** 32 + view.getUint32(at, true);
      if (Number.isSafeInteger(int)) return int;
    }
    return view.getBigInt64(at, true);
  }

  /**
   * Replaces the item at `index` (negative counts from the end). A string
   * or bytes must fit the slot: 8 bytes, or the slot of the string or
   * bytes it was made with.
   *
   * @param index The position.
   * @param value The new item.
   * @throws {RangeError} When `index` is out of range, a string or bytes
   *   exceeds the slot, or a `bigint` does not fit 64 bits.
   * @throws {TypeError} When the list cannot hold the value's type.
   * @throws {Deno.errors.BadResource} When `shm` has been closed.
   *
   * @example Usage
   * ```ts
   * import { ShareableList } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   *
   * const sl = new ShareableList([-273.154]);
   * sl.set(0, "dry ice"); // a different type fits the 8-byte slot
   * assert.equal(sl.get(0), "dry ice");
   * assert.throws(() => sl.set(0, "larger than the slot"), RangeError);
   * sl.shm.close();
   * sl.shm.unlink();
   * ```
   */
  set(index: number, value: ShareableItem): void {
    const what = "Cannot set item";
    assertLive();
    const position = this.#position(what, index);
    const packed = pack(what, value);
    const view = this.#data();
    const allocated = this.#offsets[position + 1]! - this.#offsets[position]!;
    if (packed.bytes !== null) {
      if (packed.bytes.length > allocated) {
        throw new RangeError(
          `${what}: ${packed.bytes.length} bytes exceed the slot of ${allocated} bytes`,
        );
      }
      const current = this.#format(position);
      packed.format = current.endsWith("s") ? current : `${allocated}s`;
    }
    writeItem(
      view,
      this.#dataAt + this.#offsets[position]!,
      packed,
      value,
    );
    writeFormat(this.#u8, this.#formatsAt + position * 8, packed.format);
    this.#u8[this.#codesAt + position] = packed.code;
  }

  /**
   * How many items equal `value` (bytes by content; numbers and bigints
   * by value, as Python's `1 == 1.0`).
   *
   * @param value The value to count.
   * @returns The count.
   *
   * @example Usage
   * ```ts
   * import { ShareableList } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   *
   * const sl = new ShareableList([new TextEncoder().encode("HoWdY"), 1, 1]);
   * assert.equal(sl.count(1), 2);
   * assert.equal(sl.count(new TextEncoder().encode("howdy")), 0);
   * sl.shm.close();
   * sl.shm.unlink();
   * ```
   */
  count(value: ShareableItem): number {
    let n = 0;
    for (const item of this) if (sameItem(item, value)) n++;
    return n;
  }

  /**
   * The position of the first item equal to `value` (as `count` compares).
   *
   * @param value The value to find.
   * @returns Its position.
   * @throws {RangeError} When no item equals it (Python's `ValueError`).
   *
   * @example Usage
   * ```ts
   * import { ShareableList } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   *
   * const sl = new ShareableList(["a", 42]);
   * assert.equal(sl.index(42), 1);
   * assert.throws(() => sl.index(7), RangeError);
   * sl.shm.close();
   * sl.shm.unlink();
   * ```
   */
  index(value: ShareableItem): number {
    let position = 0;
    for (const item of this) {
      if (sameItem(item, value)) return position;
      position++;
    }
    throw new RangeError(
      `Cannot find item: ${describe(value)} is not in the list`,
    );
  }

  /** The struct formats of every item, joined, as Python's `format`. */
  get format(): string {
    this.#data();
    let format = "";
    for (let i = 0; i < this.#length; i++) format += this.#format(i);
    return format;
  }

  /**
   * The items, in order.
   *
   * @returns An iterator over the items.
   */
  *[Symbol.iterator](): IterableIterator<ShareableItem> {
    const view = this.#data();
    for (let i = 0; i < this.#length; i++) yield this.#read(view, i);
  }

  /**
   * A copy of the items in an array.
   *
   * @returns The items.
   *
   * @example Usage
   * ```ts
   * import { ShareableList } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   *
   * const sl = new ShareableList([1, true, null]);
   * assert.deepEqual(sl.toArray(), [1, true, null]);
   * sl.shm.close();
   * sl.shm.unlink();
   * ```
   */
  toArray(): ShareableItem[] {
    return [...this];
  }

  /** Closes this handle of the list's block (`shm.close()`). */
  [Symbol.dispose](): void {
    this.shm.close();
  }

  /**
   * The descriptor this list crosses into a worker as. Internal.
   *
   * @param context Who receives it.
   * @returns The descriptor.
   * @ignore Internal: the shared-object registry calls it.
   */
  [SHARE](context?: ShareContext): SharedDescriptor {
    const shm = this.shm[SHARE](context);
    return {
      kind: "ShareableList",
      module: import.meta.url,
      data: shm.data,
      release: shm.release,
    };
  }

  /**
   * What `console.log` / `Deno.inspect` show, as Python's repr: the items
   * and the block's name.
   *
   * @returns A short description.
   */
  [Symbol.for("Deno.customInspect")](): string {
    if (this.shm.closed) {
      return `ShareableList { name: ${JSON.stringify(this.shm.name)}, closed }`;
    }
    return `ShareableList { items: ${Deno.inspect(this.toArray())}, name: ${
      JSON.stringify(this.shm.name)
    } }`;
  }
}

/** The NUL-padded 8 bytes of a format. */
const formatBytes = new Map<string, Uint8Array>();

function writeFormat(u8: Uint8Array, at: number, format: string): void {
  let bytes = formatBytes.get(format);
  if (bytes === undefined) {
    bytes = new Uint8Array(8);
    for (let i = 0; i < format.length; i++) bytes[i] = format.charCodeAt(i);
    formatBytes.set(format, bytes);
  }
  u8.set(bytes, at);
}

function writeItem(
  view: DataView,
  at: number,
  packed: Packed,
  value: unknown,
): void {
  const size = slotSize(packed.format);
  if (packed.bytes !== null) {
    const slot = new Uint8Array(view.buffer, view.byteOffset + at, size);
    slot.fill(0);
    slot.set(packed.bytes);
    return;
  }
  switch (packed.format) {
    case "q":
      if (typeof value === "number") {
        const high = Math.floor(value / 2 ** 32);
        view.setUint32(at, value - high * 2 ** 32, true);
        view.setInt32(at + 4, high, true);
      } else view.setBigInt64(at, value as bigint, true);
      return;
    case "d":
      view.setFloat64(at, value as number, true);
      return;
  }
  // A bool or None: pad bytes, then the flag byte.
  for (let i = 0; i < ALIGN; i++) view.setUint8(at + i, 0);
  if (packed.format === FORMAT_BOOL) view.setUint8(at + 7, value ? 1 : 0);
}

/**
 * Reads a list's header (its length and slot offsets), checking that the
 * header and the slots, formats and codes it describes fit the block.
 */
function readHeader(
  view: DataView,
  name: string,
): { length: number; offsets: number[] } {
  const size = view.byteLength;
  const fail = (reason: string) =>
    new RangeError(
      `Cannot attach shareable list: block ${
        JSON.stringify(name)
      } of ${size} bytes does not hold one, ${reason}`,
    );
  // The smallest list (an empty one) is its length and one offset.
  if (size < 16) throw fail("too small for a list's header");
  const length = Number(view.getBigInt64(0, true));
  if (length < 0 || (length + 2) * 8 > size) {
    throw fail(`its header gives a length of ${length}`);
  }
  const offsets: number[] = [];
  for (let i = 0; i <= length; i++) {
    const offset = Number(view.getBigInt64(8 + i * 8, true));
    if (offset < (offsets[i - 1] ?? 0)) {
      throw fail(`its header gives slot offset ${offset} for item ${i}`);
    }
    offsets.push(offset);
  }
  const end = (length + 2) * 8 + offsets[length]! + length * 9;
  if (end > size) {
    throw fail(`its header describes ${end} bytes`);
  }
  return { length, offsets };
}

function create(
  sequence: Iterable<ShareableItem>,
  name: string | undefined,
): SharedMemory {
  const what = "Cannot create shareable list";
  if (
    typeof (sequence as Partial<Iterable<unknown>>)[Symbol.iterator] !==
      "function"
  ) {
    throw new TypeError(
      `${what}: sequence must be iterable, received ${describe(sequence)}`,
    );
  }
  const items = [...sequence];
  const packed = items.map((item) => pack(what, item));
  const n = items.length;
  const offsets = [0];
  for (const p of packed) offsets.push(offsets.at(-1)! + slotSize(p.format));
  const dataStart = (n + 2) * 8;
  const size = dataStart + offsets[n]! + n * 8 + n;
  const shm = new SharedMemory(
    name === undefined ? { create: true, size } : { name, create: true, size },
  );
  const buf = shm.buf;
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  view.setBigInt64(0, BigInt(n), true);
  offsets.forEach((offset, i) =>
    view.setBigInt64(8 + i * 8, BigInt(offset), true)
  );
  const formatsStart = dataStart + offsets[n]!;
  packed.forEach((p, i) => {
    writeItem(view, dataStart + offsets[i]!, p, items[i]);
    writeFormat(buf, formatsStart + i * 8, p.format);
    buf[formatsStart + n * 8 + i] = p.code;
  });
  return shm;
}

registerShareable("ShareableList", (data) => {
  // The block first (its kind is registered by shared_memory.ts, imported
  // above), then the list over it.
  reviving = reviveDescriptor({
    kind: "SharedMemory",
    module: "",
    data,
  }) as SharedMemory;
  return new ShareableList();
});
