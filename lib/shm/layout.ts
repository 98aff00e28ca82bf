// Copyright 2026 the denomp authors. MIT license.
// Named slots of the shared-memory arena: the growable SharedArrayBuffer
// that holds the process table (lib/_context.ts) and, after it, every
// SharedMemory block of the program with the directory that names them.
// Every worker is handed this buffer when it starts, and growth is visible
// to every thread that holds it, so any Process can attach to any block by
// name, synchronously. Only `Atomics.*` and code under ARENA_LOCK touch
// these slots. Private.

/** Byte offset of the arena's header (the process table comes first). */
export const ARENA_BASE = 64 * 1024;

// ---- header (Int32 slots from ARENA_BASE) ----
/** Short lock over everything below (lib/_short_lock.ts). */
export const ARENA_LOCK = 0;
/** Pid of the lock's holder. */
export const ARENA_LOCK_OWNER = 1;
/** End of the used data area, in units from ARENA_DATA. */
export const ARENA_TOP = 2;
/** Units below this have been used before (freed memory is not zero). */
export const ARENA_DIRTY = 3;
/** Directory entries ever used (entries past this are all free). */
export const ARENA_ENTRIES_USED = 4;
/** Handle slots ever used. */
export const ARENA_HANDLES_USED = 5;
/** Free extents in the extent list. */
export const ARENA_EXTENTS = 6;
/** The process table's death count when dead holders were last reaped. */
export const ARENA_REAPED = 7;
/** Units of freed blocks never reused (see E_TAINTED). */
export const ARENA_RETIRED = 8;
/** Int32 slots in the header. */
export const ARENA_HEADER_INTS = 16;

// ---- directory: one entry per block ----
/** Most blocks alive at once. */
export const ENTRIES = 4096;
/** Int32 slots per entry. */
export const ENTRY_INTS = 16;
/** FREE, LINKED (named) or UNLINKED (nameless, still held). */
export const E_STATE = 0;
/** Bumped each time the entry is freed, so stale references fail. */
export const E_GEN = 1;
/** Start of the block's storage, in units from ARENA_DATA. */
export const E_OFFSET = 2;
/** Units of storage: the name, then the data. */
export const E_UNITS = 3;
/** The size asked for, in bytes (low 32 bits, then high bits). */
export const E_SIZE_LO = 4;
export const E_SIZE_HI = 5;
/** Hash of the name's bytes. */
export const E_HASH = 6;
/** Bytes of the name (stored at the start of the block's storage). */
export const E_NAME_LENGTH = 7;
/** Open handles on the block, summed over its handle slots. */
export const E_OPEN = 8;
/**
 * 1 once a holder's handle was taken away because its Process ended
 * without closing it (terminated, killed): that thread may still be running
 * and writing to the block's memory, so the memory is never reused.
 */
export const E_TAINTED = 9;
export const STATE_FREE = 0;
export const STATE_LINKED = 1;
export const STATE_UNLINKED = 2;

// ---- handle slots: who holds each block ----
/** Most (block, process) pairs holding a block at once. */
export const HANDLES = 16384;
/** Int32 slots per handle slot. */
export const HANDLE_INTS = 4;
/** Directory entry + 1 of the block held (0: the slot is free). */
export const H_ENTRY = 0;
/** Pid of the holder. */
export const H_PID = 1;
/** Handles that pid holds on the block. */
export const H_COUNT = 2;

// ---- free extents: [offset, units] pairs, unordered ----
/** Room for every free extent (at most one more than the blocks). */
export const EXTENTS = ENTRIES + 1;

/** Bytes in one allocation unit (blocks start 64-byte aligned). */
export const UNIT = 64;
/** Longest name, in UTF-8 bytes. */
export const MAX_NAME_BYTES = 255;

// ---- where each part starts (Int32 indices into the arena's header view) ----
export const DIRECTORY_AT = ARENA_HEADER_INTS;
export const HANDLES_AT = DIRECTORY_AT + ENTRIES * ENTRY_INTS;
export const EXTENTS_AT = HANDLES_AT + HANDLES * HANDLE_INTS;
/** Int32 slots of the whole header region. */
export const ARENA_META_INTS = EXTENTS_AT + EXTENTS * 2;

/** Byte offset of the data area (64 KiB aligned, after the header region). */
export const ARENA_DATA = Math.ceil(
  (ARENA_BASE + ARENA_META_INTS * 4) / 65536,
) * 65536;

/**
 * Most bytes the buffer may grow to: 64 GiB. V8 reserves this much address
 * space (not memory) when the buffer is created, with the process table's
 * length; the first use of shared memory grows it by the arena's header
 * (ARENA_DATA), and blocks grow it further. Pages are used only as they are
 * written.
 */
export const ARENA_MAX_BYTES = 64 * 1024 ** 3;
