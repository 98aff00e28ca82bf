// Copyright 2026 the denomp authors. MIT license.
// The shared-memory arena: named blocks in the growable SharedArrayBuffer
// behind the process table, with a directory, handle slots and an
// allocator, all in shared memory. Private; SharedMemory and ShareableList
// are built on it.
//
// Why here: a SharedArrayBuffer reaches a thread only by postMessage, so a
// Process cannot get a block created after it started from a message it
// never received. Every worker is handed the process table's buffer when it
// starts; that buffer is growable and its growth is visible to every thread
// holding it. So blocks are carved out of it, and attaching by name is a
// synchronous look-up in a directory that lives in the same memory.
//
// How it stays correct:
// - Everything below is read and written under one short lock
//   (ARENA_LOCK); no operation waits or yields while holding it.
// - A block is LINKED (its name can be attached to) until unlink(), then
//   UNLINKED (nameless, still mapped by its holders). Its memory is freed
//   when it is unlinked and no handle of it is left: holders that closed,
//   or whose Process ended (found by the death count of the process table,
//   as handle tables do: lib/_handles.ts). A linked block whose holders all
//   ended stays, as a POSIX shared memory object does, until unlinked.
// - Handles are slots (entry, pid, count); the entry's E_OPEN is their sum.
// - A directory entry's generation changes when it is freed, so a stale
//   reference (entry, gen) fails instead of reaching a new block.
// - Memory is zeroed when a block is made from space used before (fresh
//   growth of a SharedArrayBuffer is zero already). Freed space returns to
//   a free list (first fit, neighbours merged, the top given back to the
//   bump pointer); the buffer itself never shrinks.
// - Except the space of a block one of whose holders was taken away as
//   dead (terminated or killed without closing): Deno cannot stop a busy
//   thread, and such a thread may still write through its view of the
//   block, so that space is retired, never handed to another block.

import { isPidAlive, processTable, selfProcess } from "../_context.ts";
import { TABLE_DEATHS } from "../_layout.ts";
import { Count } from "../_handles.ts";
import { lockShort, unlockShort } from "../_short_lock.ts";
import {
  ARENA_BASE,
  ARENA_DATA,
  ARENA_DIRTY,
  ARENA_ENTRIES_USED,
  ARENA_EXTENTS,
  ARENA_HANDLES_USED,
  ARENA_LOCK,
  ARENA_LOCK_OWNER,
  ARENA_MAX_BYTES,
  ARENA_META_INTS,
  ARENA_REAPED,
  ARENA_RETIRED,
  ARENA_TOP,
  DIRECTORY_AT,
  E_GEN,
  E_HASH,
  E_NAME_LENGTH,
  E_OFFSET,
  E_OPEN,
  E_SIZE_HI,
  E_SIZE_LO,
  E_STATE,
  E_TAINTED,
  E_UNITS,
  ENTRIES,
  ENTRY_INTS,
  EXTENTS_AT,
  H_COUNT,
  H_ENTRY,
  H_PID,
  HANDLE_INTS,
  HANDLES,
  HANDLES_AT,
  STATE_FREE,
  STATE_LINKED,
  STATE_UNLINKED,
  UNIT,
} from "./layout.ts";

/** Where a block is, as a SharedMemory object holds it. */
export interface Block {
  /** Directory entry. */
  entry: number;
  /** The entry's generation when this reference was made. */
  gen: number;
  /** The block's name (without a leading slash). */
  name: string;
  /** The size asked for, in bytes. */
  size: number;
  /** Byte offset of the block's data in the arena's buffer. */
  offset: number;
}

/** Growth step of the buffer, so that small blocks do not grow it each time. */
const GROW_STEP = 1 << 20;

let meta: Int32Array | null = null;

/** The arena's buffer (the process table's). */
export function arenaBuffer(): SharedArrayBuffer {
  return processTable().buffer as SharedArrayBuffer;
}

function header(): Int32Array {
  if (meta === null) {
    const buffer = arenaBuffer();
    // The arena's header is added on first use (it costs no memory until
    // written). Growing is idempotent across threads: a smaller or equal
    // length than the current one is refused or ignored.
    if (buffer.byteLength < ARENA_DATA) {
      try {
        buffer.grow(ARENA_DATA);
      } catch (error) {
        if (buffer.byteLength < ARENA_DATA) throw error;
      }
    }
    meta = new Int32Array(buffer, ARENA_BASE, ARENA_META_INTS);
  }
  return meta;
}

function entryAt(entry: number): number {
  return DIRECTORY_AT + entry * ENTRY_INTS;
}

function handleAt(slot: number): number {
  return HANDLES_AT + slot * HANDLE_INTS;
}

/** FNV-1a of the name's bytes. */
function hash(bytes: Uint8Array): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) {
    h ^= bytes[i]!;
    h = Math.imul(h, 0x01000193);
  }
  return h | 0;
}

function unitsFor(bytes: number): number {
  return Math.ceil(bytes / UNIT);
}

/** Runs `fn` under the arena lock, after giving back dead holders' handles. */
function locked<R>(fn: (m: Int32Array) => R): R {
  const m = header();
  lockShort(m, ARENA_LOCK, ARENA_LOCK_OWNER);
  try {
    const deaths = Atomics.load(processTable(), TABLE_DEATHS);
    if (m[ARENA_REAPED] !== deaths) {
      // Before the scan: a death after this load changes the count again.
      m[ARENA_REAPED] = deaths;
      reap(m);
    }
    return fn(m);
  } finally {
    unlockShort(m, ARENA_LOCK);
  }
}

function reap(m: Int32Array): void {
  const used = m[ARENA_HANDLES_USED]!;
  for (let s = 0; s < used; s++) {
    const at = handleAt(s);
    const entry = m[at + H_ENTRY]! - 1;
    if (entry < 0 || isPidAlive(m[at + H_PID]!)) continue;
    const e = entryAt(entry);
    m[e + E_OPEN] = m[e + E_OPEN]! - m[at + H_COUNT]!;
    m[e + E_TAINTED] = 1;
    m[at + H_ENTRY] = 0;
    m[at + H_PID] = 0;
    m[at + H_COUNT] = 0;
    if (m[e + E_STATE] === STATE_UNLINKED && m[e + E_OPEN] === 0) {
      free(m, entry);
    }
  }
}

function findByName(m: Int32Array, bytes: Uint8Array, h: number): number {
  const used = m[ARENA_ENTRIES_USED]!;
  const buffer = arenaBuffer();
  for (let entry = 0; entry < used; entry++) {
    const e = entryAt(entry);
    if (
      m[e + E_STATE] !== STATE_LINKED || m[e + E_HASH] !== h ||
      m[e + E_NAME_LENGTH] !== bytes.length
    ) continue;
    const stored = new Uint8Array(
      buffer,
      ARENA_DATA + m[e + E_OFFSET]! * UNIT,
      bytes.length,
    );
    let same = true;
    for (let i = 0; i < bytes.length && same; i++) {
      same = stored[i] === bytes[i];
    }
    if (same) return entry;
  }
  return -1;
}

function blockOf(m: Int32Array, entry: number, name: string): Block {
  const e = entryAt(entry);
  return {
    entry,
    gen: m[e + E_GEN]!,
    name,
    size: (m[e + E_SIZE_LO]! >>> 0) + m[e + E_SIZE_HI]! * 2 ** 32,
    offset: ARENA_DATA +
      (m[e + E_OFFSET]! + unitsFor(m[e + E_NAME_LENGTH]!)) * UNIT,
  };
}

// ---- handle slots ----

function addHandle(m: Int32Array, entry: number, pid: number): void {
  const used = m[ARENA_HANDLES_USED]!;
  let free = -1;
  for (let s = 0; s < used; s++) {
    const at = handleAt(s);
    const held = m[at + H_ENTRY]!;
    if (held === entry + 1 && m[at + H_PID] === pid) {
      m[at + H_COUNT]!++;
      m[entryAt(entry) + E_OPEN]!++;
      return;
    }
    if (held === 0 && free < 0) free = s;
  }
  if (free < 0) {
    if (used === HANDLES) {
      throw new RangeError(
        `Cannot open shared memory: more than ${HANDLES} handles are open`,
      );
    }
    free = used;
    m[ARENA_HANDLES_USED] = used + 1;
  }
  const at = handleAt(free);
  m[at + H_ENTRY] = entry + 1;
  m[at + H_PID] = pid;
  m[at + H_COUNT] = 1;
  m[entryAt(entry) + E_OPEN]!++;
}

function removeHandle(m: Int32Array, entry: number, pid: number): void {
  const used = m[ARENA_HANDLES_USED]!;
  for (let s = 0; s < used; s++) {
    const at = handleAt(s);
    if (m[at + H_ENTRY] !== entry + 1 || m[at + H_PID] !== pid) continue;
    if (--m[at + H_COUNT]! === 0) {
      m[at + H_ENTRY] = 0;
      m[at + H_PID] = 0;
    }
    const e = entryAt(entry);
    m[e + E_OPEN]!--;
    if (m[e + E_STATE] === STATE_UNLINKED && m[e + E_OPEN] === 0) {
      free(m, entry);
    }
    return;
  }
  // None: its holder was found dead and reaped already.
}

// ---- storage ----

function extentAt(i: number): number {
  return EXTENTS_AT + i * 2;
}

function removeExtent(m: Int32Array, i: number): void {
  const last = --m[ARENA_EXTENTS]!;
  m[extentAt(i)] = m[extentAt(last)]!;
  m[extentAt(i) + 1] = m[extentAt(last) + 1]!;
}

/** Carves `units` out of the data area; returns its offset in units. */
function allocate(m: Int32Array, units: number): number {
  let offset = -1;
  const extents = m[ARENA_EXTENTS]!;
  for (let i = 0; i < extents; i++) {
    const size = m[extentAt(i) + 1]!;
    if (size < units) continue;
    offset = m[extentAt(i)]!;
    if (size === units) removeExtent(m, i);
    else {
      m[extentAt(i)] = offset + units;
      m[extentAt(i) + 1] = size - units;
    }
    break;
  }
  const buffer = arenaBuffer();
  if (offset < 0) {
    offset = m[ARENA_TOP]!;
    const end = ARENA_DATA + (offset + units) * UNIT;
    if (end > ARENA_MAX_BYTES) {
      throw new RangeError(
        `Cannot create shared memory: the arena holds at most ${ARENA_MAX_BYTES} bytes of blocks at once`,
      );
    }
    if (end > buffer.byteLength) {
      buffer.grow(
        Math.min(ARENA_MAX_BYTES, Math.ceil(end / GROW_STEP) * GROW_STEP),
      );
    }
    m[ARENA_TOP] = offset + units;
  }
  // Space used before holds old bytes: a new block starts zeroed.
  const dirty = m[ARENA_DIRTY]!;
  if (offset < dirty) {
    const end = Math.min(offset + units, dirty);
    new Uint8Array(buffer, ARENA_DATA + offset * UNIT, (end - offset) * UNIT)
      .fill(0);
  }
  if (offset + units > dirty) m[ARENA_DIRTY] = offset + units;
  return offset;
}

/** Frees a block's storage (unless tainted) and its directory entry. */
function free(m: Int32Array, entry: number): void {
  const e = entryAt(entry);
  let offset = m[e + E_OFFSET]!;
  let units = m[e + E_UNITS]!;
  m[e + E_STATE] = STATE_FREE;
  m[e + E_GEN] = (m[e + E_GEN]! + 1) | 0;
  m[e + E_OPEN] = 0;
  if (m[e + E_TAINTED] === 1) {
    // A stale thread may still write there: never reuse it.
    m[e + E_TAINTED] = 0;
    m[ARENA_RETIRED] = m[ARENA_RETIRED]! + units;
    return;
  }
  // Merge with free neighbours.
  for (let i = 0; i < m[ARENA_EXTENTS]!;) {
    const start = m[extentAt(i)]!;
    const size = m[extentAt(i) + 1]!;
    if (start + size === offset) {
      offset = start;
      units += size;
      removeExtent(m, i);
    } else if (offset + units === start) {
      units += size;
      removeExtent(m, i);
    } else i++;
  }
  if (offset + units === m[ARENA_TOP]) {
    m[ARENA_TOP] = offset;
  } else {
    const i = m[ARENA_EXTENTS]!++;
    m[extentAt(i)] = offset;
    m[extentAt(i) + 1] = units;
  }
}

/** A free directory entry (one past the used ones when none is). */
function freeEntry(m: Int32Array): number {
  const used = m[ARENA_ENTRIES_USED]!;
  for (let entry = 0; entry < used; entry++) {
    if (m[entryAt(entry) + E_STATE] === STATE_FREE) return entry;
  }
  if (used === ENTRIES) {
    throw new RangeError(
      `Cannot create shared memory: more than ${ENTRIES} blocks exist at once`,
    );
  }
  return used;
}

// ---- operations ----

/**
 * Creates a block named `name` (made up when null) of `size` bytes, and a
 * handle of it for this thread's Process.
 *
 * @throws {Deno.errors.AlreadyExists} When a linked block has the name.
 * @throws {RangeError} When the arena or its directory is full.
 */
export function createBlock(
  name: string | null,
  size: number,
  nameBytes: (name: string) => Uint8Array,
): Block {
  const pid = selfProcess().pid;
  return locked((m) => {
    let chosen = name;
    let bytes: Uint8Array;
    let h: number;
    while (true) {
      chosen ??= randomName();
      bytes = nameBytes(chosen);
      h = hash(bytes);
      if (findByName(m, bytes, h) < 0) break;
      if (name !== null) {
        throw new Deno.errors.AlreadyExists(
          `Cannot create shared memory: a block named ${
            JSON.stringify(name)
          } exists`,
        );
      }
      chosen = null;
    }
    // Both checks that can fail come before anything changes.
    const entry = freeEntry(m);
    const units = unitsFor(bytes.length) + Math.max(1, unitsFor(size));
    const offset = allocate(m, units);
    if (entry === m[ARENA_ENTRIES_USED]) m[ARENA_ENTRIES_USED] = entry + 1;
    new Uint8Array(arenaBuffer(), ARENA_DATA + offset * UNIT, bytes.length)
      .set(bytes);
    const e = entryAt(entry);
    m[e + E_OFFSET] = offset;
    m[e + E_UNITS] = units;
    m[e + E_SIZE_LO] = size % 2 ** 32;
    m[e + E_SIZE_HI] = Math.floor(size / 2 ** 32);
    m[e + E_HASH] = h;
    m[e + E_NAME_LENGTH] = bytes.length;
    m[e + E_OPEN] = 0;
    m[e + E_TAINTED] = 0;
    m[e + E_STATE] = STATE_LINKED;
    addHandle(m, entry, pid);
    return blockOf(m, entry, chosen);
  });
}

/**
 * Attaches to the linked block named `name`, with a handle of it for this
 * thread's Process.
 *
 * @throws {Deno.errors.NotFound} When no linked block has the name.
 */
export function attachBlock(name: string, bytes: Uint8Array): Block {
  const pid = selfProcess().pid;
  return locked((m) => {
    const entry = findByName(m, bytes, hash(bytes));
    if (entry < 0) {
      throw new Deno.errors.NotFound(
        `Cannot attach shared memory: no block named ${JSON.stringify(name)}`,
      );
    }
    addHandle(m, entry, pid);
    return blockOf(m, entry, name);
  });
}

/**
 * Counts one more handle of a block for `pid` (a Process it is given to).
 *
 * @returns false when the block is gone.
 */
export function openBlock(block: Block, pid: number): boolean {
  return locked((m) => {
    const e = entryAt(block.entry);
    if (m[e + E_GEN] !== block.gen || m[e + E_STATE] === STATE_FREE) {
      return false;
    }
    addHandle(m, block.entry, pid);
    return true;
  });
}

/** Takes away one handle of a block held by `pid`. */
export function closeBlock(block: Block, pid: number): void {
  locked((m) => {
    if (m[entryAt(block.entry) + E_GEN] !== block.gen) return;
    removeHandle(m, block.entry, pid);
  });
}

/**
 * Removes a block's name; its memory goes once no handle is left.
 *
 * @throws {Deno.errors.NotFound} When the block has been unlinked already.
 */
export function unlinkBlock(block: Block): void {
  locked((m) => {
    const e = entryAt(block.entry);
    if (m[e + E_GEN] !== block.gen || m[e + E_STATE] !== STATE_LINKED) {
      throw new Deno.errors.NotFound(
        `Cannot unlink shared memory: no block named ${
          JSON.stringify(block.name)
        }`,
      );
    }
    m[e + E_STATE] = STATE_UNLINKED;
    if (m[e + E_OPEN] === 0) free(m, block.entry);
  });
}

/** What the arena holds now (for tests and inspection). */
export interface ArenaStats {
  /** Blocks alive (linked or held). */
  blocks: number;
  /** Blocks with a name. */
  linked: number;
  /** Units in use below the top, free extents excluded. */
  usedUnits: number;
  /** Free extents below the top. */
  freeExtents: number;
  /** Units of freed blocks retired for good (a holder was terminated). */
  retiredUnits: number;
}

/** Counts the arena's blocks (after giving back dead holders' handles). */
export function arenaStats(): ArenaStats {
  return locked((m) => {
    let blocks = 0;
    let linked = 0;
    let usedUnits = 0;
    for (let entry = 0; entry < m[ARENA_ENTRIES_USED]!; entry++) {
      const e = entryAt(entry);
      if (m[e + E_STATE] === STATE_FREE) continue;
      blocks++;
      usedUnits += m[e + E_UNITS]!;
      if (m[e + E_STATE] === STATE_LINKED) linked++;
    }
    return {
      blocks,
      linked,
      usedUnits,
      freeExtents: m[ARENA_EXTENTS]!,
      retiredUnits: m[ARENA_RETIRED]!,
    };
  });
}

/** Whether a block is still linked and alive (for inspection). */
export function isLinked(block: Block): boolean {
  const m = header();
  const e = entryAt(block.entry);
  return Atomics.load(m, e + E_GEN) === block.gen &&
    Atomics.load(m, e + E_STATE) === STATE_LINKED;
}

/** A name as Python makes one: `psm_` and 8 random hex digits. */
function randomName(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(4));
  return `psm_${
    Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("")
  }`;
}

/** One handle of a block, counted for a pid. */
export function blockCount(block: Block, pid: number): Count {
  return new Count(() => closeBlock(block, pid));
}
