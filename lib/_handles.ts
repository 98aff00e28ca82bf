// Copyright 2026 the denomp authors. MIT license.
// Handles: each Process's own copy of a Queue, a Pipe end or a SharedMemory
// block, counted in shared memory. Private.
//
// Python gives every process its own file descriptor for a pipe or a queue:
// `close()` ends the caller's, a reader sees EOF once every process has
// closed its copy of the writing end (or died), and the OS keeps the count.
// Here every holder is a thread of one OS process, so the count lives in
// shared memory, per owner pid:
// - A handle table (one per Queue, one per Pipe, in a small growable
//   SharedArrayBuffer) has slots [pid, handles of role 0, handles of role 1]
//   and a total per role. A Queue has one role (every handle may put); a
//   Pipe has one role per end. (SharedMemory keeps its slots in the arena,
//   lib/shm/arena.ts, by the same rules.)
// - Opening and closing a handle change its slot and the total under the
//   table's short lock. When a role's total reaches 0 it is latched gone:
//   no handle of it can be made again (a closed handle grants none), and
//   `onGone` closes the ring side that role fed.
// - A thread that Deno could not stop runs no cleanup, so the truth is the
//   owner's pid: `markPidEnded` bumps a death count in the process table,
//   and a holder that sees the count change (one atomic load, `refresh()`)
//   scans the slots and takes away those of dead pids, exactly as if they
//   had been closed. Readers refresh before they park and in every park
//   slice, so EOF after a terminated writer comes within one slice.
// - A handle given to a Process is counted for that Process's pid at once,
//   in the parent, before the worker even starts: the parent may close its
//   own copy right after start() (Python's `child_conn.close()`) and the
//   reader never sees a moment without a writer. A handle lent to a pool
//   task is held by the sender until the pool says the task is over
//   (`releaseShared` in lib/_registry.ts); the task's copy is not counted.
// - A Process that ends normally closes its handles (`onSelfFinish`), which
//   wakes readers at once. A handle object that is merely dropped is not
//   closed: JavaScript collects garbage whenever it likes (a target's
//   parameter it no longer reads may go at once), so closing on collection
//   would end a living Process's input at random. It counts until close()
//   or its Process's end.

import {
  isPidAlive,
  isWorkerThread,
  processTable,
  selfProcess,
} from "./_context.ts";
import { TABLE_DEATHS, TABLE_SLOTS } from "./_layout.ts";
import type { ShareContext } from "./_registry.ts";
import { lockShort, unlockShort } from "./_short_lock.ts";
import { onSelfFinish } from "./process/wire.ts";

// ---- counted handles of this thread ----

const live = new Set<Count>();

/**
 * A handle counted in shared memory (a Queue's or Pipe end's in its
 * {@linkcode HandleTable}, a SharedMemory block's among its holders), given
 * back exactly once: by `close()`, or when this thread's Process ends
 * normally. (The main program never ends while it runs: its counts are not
 * remembered.)
 */
export class Count {
  #release: (() => void) | null;

  /** Remembers a handle already counted; `release` gives the count back. */
  constructor(release: () => void) {
    this.#release = release;
    if (isWorkerThread) live.add(this);
  }

  /** Gives the count back (idempotent). */
  close(): void {
    const release = this.#release;
    if (release === null) return;
    this.#release = null;
    live.delete(this);
    release();
  }
}

// A Process that ends closes its handles: readers of what it wrote wake now
// rather than at their next check for dead owners.
onSelfFinish(() => {
  for (const count of [...live]) count.close();
});

/** What a descriptor tells the receiving thread about its handle. */
export interface HandleGrant {
  /**
   * `"owned"`: counted for `pid` already (a Process's own handle);
   * `"lent"`: not counted, the sender holds it for the receiver (a pool
   * task); `"closed"`: a closed handle.
   */
  mode: "owned" | "lent" | "closed";
  /** The owner of an owned handle. */
  pid: number;
}

/** What granting a handle produced. */
export interface Granted {
  grant: HandleGrant;
  /** Gives back the sender's hold of a lent handle. */
  release?: () => void;
}

/**
 * How a handle is granted to another thread: counted for `context.owner`,
 * or lent (counted for this thread until `release`), or, without a
 * context (a description only), lent without any hold.
 *
 * @param closed Whether the granting handle is closed (it grants a closed
 *   one).
 * @param context Who receives the handle, if anyone.
 * @param open Counts one handle for a pid; false when that is impossible.
 * @param hold Counts one handle for this thread; returns its count.
 */
export function grantHandle(
  closed: boolean,
  context: ShareContext | undefined,
  open: (pid: number) => boolean,
  hold: () => Count | null,
): Granted {
  if (closed) return { grant: { mode: "closed", pid: 0 } };
  if (context === undefined) return { grant: { mode: "lent", pid: 0 } };
  if (context.owner !== null) {
    const owner = context.owner;
    return open(owner)
      ? { grant: { mode: "owned", pid: owner } }
      : { grant: { mode: "closed", pid: 0 } };
  }
  const count = hold();
  if (count === null) return { grant: { mode: "closed", pid: 0 } };
  return { grant: { mode: "lent", pid: 0 }, release: () => count.close() };
}

// ---- handle tables (Queue, Pipe) ----

const T_LOCK = 0;
const T_LOCK_OWNER = 1;
/** Slots ever used; slots past this are free. */
const T_USED = 2;
/** Bit per role: latched once the role has no handle left. */
const T_GONE = 3;
/** Open handles per role (2 roles). */
const T_TOTAL = 4;
const T_HEADER = 8;
const SLOT_INTS = 4;
const S_PID = 0;
/** Handles of role r at S_COUNT + r. */
const S_COUNT = 1;
const FIRST_SLOTS = 4;
/** Every live process at once, and the main one: never full after a reap. */
const MAX_SLOTS = TABLE_SLOTS + 1;

function tableBytes(slots: number): number {
  return (T_HEADER + slots * SLOT_INTS) * 4;
}

/**
 * Who holds the handles of one Queue or Pipe. One instance per object per
 * thread; the counts are shared.
 */
export class HandleTable {
  /** The shared memory, for descriptors. */
  readonly buffer: SharedArrayBuffer;
  /**
   * Called outside any lock when this thread finds that a role has no
   * handle left; the owner closes the ring sides that role fed.
   */
  onGone: ((role: number) => void) | null = null;
  readonly #i32: Int32Array;
  readonly #deaths: Int32Array;
  #seen = -1;

  /** A new table with no handle yet. */
  static create(): HandleTable {
    return new HandleTable(
      new SharedArrayBuffer(tableBytes(FIRST_SLOTS), {
        maxByteLength: tableBytes(MAX_SLOTS),
      }),
    );
  }

  /** Attaches to a table's shared memory. */
  constructor(buffer: SharedArrayBuffer) {
    this.buffer = buffer;
    // Length-tracking: it follows the buffer as any thread grows it.
    this.#i32 = new Int32Array(buffer);
    this.#deaths = processTable();
  }

  /** Whether `role` has no handle left (for good). */
  gone(role: number): boolean {
    return (Atomics.load(this.#i32, T_GONE) & (1 << role)) !== 0;
  }

  /** Open handles of `role` (dead owners included until reaped). */
  total(role: number): number {
    return Atomics.load(this.#i32, T_TOTAL + role);
  }

  /**
   * Counts one more handle of `role` for `pid`.
   *
   * @returns false (counting nothing) when the role is gone.
   */
  open(pid: number, role: number): boolean {
    const i32 = this.#i32;
    let opened = false;
    lockShort(i32, T_LOCK, T_LOCK_OWNER);
    try {
      if ((i32[T_GONE]! & (1 << role)) === 0) {
        let slot = this.#find(pid);
        if (slot < 0) slot = this.#claim(pid);
        // Claiming may have reaped the last (dead) handles of the role.
        if ((i32[T_GONE]! & (1 << role)) === 0) {
          i32[slot + S_COUNT + role]!++;
          Atomics.add(i32, T_TOTAL + role, 1);
          opened = true;
        } else if (i32[slot + S_COUNT] === 0 && i32[slot + S_COUNT + 1] === 0) {
          i32[slot + S_PID] = 0;
        }
      }
    } finally {
      unlockShort(i32, T_LOCK);
    }
    const gone = this.#reaped;
    this.#reaped = 0;
    this.#announce(gone);
    return opened;
  }

  /** Takes away one handle of `role` held by `pid` (none left: no-op). */
  close(pid: number, role: number): void {
    const i32 = this.#i32;
    let gone = 0;
    lockShort(i32, T_LOCK, T_LOCK_OWNER);
    try {
      const slot = this.#find(pid);
      // Gone already: its owner was found dead and reaped.
      if (slot < 0 || i32[slot + S_COUNT + role] === 0) return;
      i32[slot + S_COUNT + role]!--;
      if (i32[slot + S_COUNT] === 0 && i32[slot + S_COUNT + 1] === 0) {
        i32[slot + S_PID] = 0;
      }
      gone = this.#drop(role, 1);
    } finally {
      unlockShort(i32, T_LOCK);
    }
    this.#announce(gone);
  }

  /**
   * Looks for dead owners if a process has ended since the last look (one
   * atomic load otherwise), and takes their handles away.
   *
   * @returns whether that left a role with no handle (`onGone` has run).
   */
  refresh(): boolean {
    // A plain read: this runs on every slow path, and a stale value only
    // delays the look by one call (the lock below orders what it reads).
    const deaths = this.#deaths[TABLE_DEATHS]!;
    if (deaths === this.#seen) return false;
    // Before the scan: a death after this load changes the count again.
    this.#seen = deaths;
    const i32 = this.#i32;
    let gone = 0;
    lockShort(i32, T_LOCK, T_LOCK_OWNER);
    try {
      gone = this.#reap();
    } finally {
      unlockShort(i32, T_LOCK);
    }
    this.#announce(gone);
    return gone !== 0;
  }

  #announce(gone: number): void {
    if (gone === 0 || this.onGone === null) return;
    for (let role = 0; role < 2; role++) {
      if ((gone & (1 << role)) !== 0) this.onGone(role);
    }
  }

  /** Lowers a role's total; returns its bit when that made it gone. */
  #drop(role: number, n: number): number {
    const i32 = this.#i32;
    if (Atomics.sub(i32, T_TOTAL + role, n) !== n) return 0;
    Atomics.or(i32, T_GONE, 1 << role);
    return 1 << role;
  }

  /** Frees the slots of dead owners; returns the roles that became gone. */
  #reap(): number {
    const i32 = this.#i32;
    const used = i32[T_USED]!;
    let gone = 0;
    for (let s = 0; s < used; s++) {
      const slot = T_HEADER + s * SLOT_INTS;
      const pid = i32[slot + S_PID]!;
      if (pid === 0 || isPidAlive(pid)) continue;
      for (let role = 0; role < 2; role++) {
        const n = i32[slot + S_COUNT + role]!;
        if (n === 0) continue;
        i32[slot + S_COUNT + role] = 0;
        gone |= this.#drop(role, n);
      }
      i32[slot + S_PID] = 0;
    }
    return gone;
  }

  #find(pid: number): number {
    const i32 = this.#i32;
    const used = i32[T_USED]!;
    for (let s = 0; s < used; s++) {
      const slot = T_HEADER + s * SLOT_INTS;
      if (i32[slot + S_PID] === pid) return slot;
    }
    return -1;
  }

  /** A free slot for `pid`: reused, appended, or made by growing. */
  #claim(pid: number): number {
    const i32 = this.#i32;
    for (let pass = 0; pass < 2; pass++) {
      const used = i32[T_USED]!;
      for (let s = 0; s < used; s++) {
        const slot = T_HEADER + s * SLOT_INTS;
        if (i32[slot + S_PID] === 0) {
          i32[slot + S_PID] = pid;
          return slot;
        }
      }
      const capacity = (i32.length - T_HEADER) / SLOT_INTS;
      if (used < capacity) {
        const slot = T_HEADER + used * SLOT_INTS;
        i32[slot + S_PID] = pid;
        Atomics.store(i32, T_USED, used + 1);
        return slot;
      }
      if (capacity < MAX_SLOTS) {
        this.buffer.grow(tableBytes(Math.min(MAX_SLOTS, capacity * 2)));
        continue;
      }
      // Full of live owners cannot happen (one slot per live process):
      // take the dead ones' slots and look again.
      this.#reaped |= this.#reap();
    }
    throw new RangeError(
      `Cannot open handle: more than ${MAX_SLOTS} processes hold it`,
    );
  }

  /** Roles found gone while claiming, announced once the lock is released. */
  #reaped = 0;
}

/** One handle counted in a {@linkcode HandleTable} for `pid`. */
function tableCount(table: HandleTable, pid: number, role: number): Count {
  return new Count(() => table.close(pid, role));
}

/**
 * One handle of a Queue or a Pipe end, as the object a user holds sees it:
 * open or closed, counted (its own, or held for it) or not.
 */
export class Handle {
  readonly #table: HandleTable;
  readonly #role: number;
  #count: Count | null;
  #open: boolean;

  private constructor(
    table: HandleTable,
    role: number,
    count: Count | null,
    open: boolean,
  ) {
    this.#table = table;
    this.#role = role;
    this.#count = count;
    this.#open = open;
  }

  /** The first handle of a new object, counted for this thread. */
  static first(table: HandleTable, role: number): Handle {
    const pid = selfProcess().pid;
    if (!table.open(pid, role)) {
      throw new Error("Cannot open handle: the table is already closed");
    }
    return new Handle(table, role, tableCount(table, pid, role), true);
  }

  /** The handle a descriptor grants, on the receiving thread. */
  static revive(
    table: HandleTable,
    role: number,
    grant: HandleGrant,
  ): Handle {
    if (grant.mode === "closed") return new Handle(table, role, null, false);
    if (grant.mode === "lent") return new Handle(table, role, null, true);
    const count = tableCount(table, grant.pid, role);
    return new Handle(table, role, count, true);
  }

  /** The table this handle is counted in. */
  get table(): HandleTable {
    return this.#table;
  }

  /** Whether this handle has been closed. */
  get closed(): boolean {
    return !this.#open;
  }

  /** Grants a handle of the same role to another thread. */
  grant(context: ShareContext | undefined): Granted {
    const table = this.#table;
    const role = this.#role;
    return grantHandle(
      !this.#open,
      context,
      (pid) => table.open(pid, role),
      () => {
        const pid = selfProcess().pid;
        return table.open(pid, role) ? tableCount(table, pid, role) : null;
      },
    );
  }

  /**
   * Closes this handle (idempotent).
   *
   * @returns whether this call closed it.
   */
  close(): boolean {
    if (!this.#open) return false;
    this.#open = false;
    this.#count?.close();
    this.#count = null;
    return true;
  }
}
