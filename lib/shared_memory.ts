// Copyright 2026 the denomp authors. MIT license.
/**
 * `SharedMemory`: Python's `multiprocessing.shared_memory.SharedMemory`, a
 * named block of bytes that any Process (thread start method) attaches to
 * by name, synchronously, while the block is linked: `name`, `buf`, `size`,
 * `close()` and `unlink()`.
 *
 * @module
 */

import { assertLive, selfProcess } from "./_context.ts";
import { type Count, grantHandle, type HandleGrant } from "./_handles.ts";
import {
  registerShareable,
  SHARE,
  type ShareContext,
  type SharedDescriptor,
} from "./_registry.ts";
import {
  arenaBuffer,
  attachBlock,
  type Block,
  blockCount,
  createBlock,
  isLinked,
  openBlock,
  unlinkBlock,
} from "./shm/arena.ts";
import { ARENA_DATA, ARENA_MAX_BYTES, MAX_NAME_BYTES } from "./shm/layout.ts";
import { describe } from "./_wait.ts";

/** Options for the {@linkcode SharedMemory} constructor. */
export interface SharedMemoryOptions {
  /**
   * The block's name. A leading `/` is dropped (Python's POSIX names), so
   * `"/x"` and `"x"` name the same block. At most 255 UTF-8 bytes, no other
   * `/`. Required to attach; to create, leave it out for a fresh unique
   * name (`psm_` and 8 hex digits, as Python makes).
   */
  name?: string;
  /**
   * Create a new block (`true`) or attach to an existing one (`false`).
   *
   * @default {false}
   */
  create?: boolean;
  /**
   * Bytes of the new block: a positive integer when creating. Ignored when
   * attaching, as in Python (the block keeps the size it was created with).
   *
   * @default {0}
   */
  size?: number;
}

/** What a block crosses into a worker as. */
interface SharedMemoryData {
  /**
   * The arena's buffer. Every worker has it already; it is sent so that a
   * start method without shared memory sees what this is and refuses it.
   */
  arena: SharedArrayBuffer;
  block: Block;
  grant: HandleGrant;
}

const encoder = new TextEncoder();
let reviving: SharedMemoryData | null = null;

function nameBytes(name: string): Uint8Array {
  return encoder.encode(name);
}

function checkName(what: string, name: unknown): string {
  if (typeof name !== "string") {
    throw new TypeError(
      `${what}: name must be a string, received ${describe(name)}`,
    );
  }
  const bare = name.startsWith("/") ? name.slice(1) : name;
  if (bare.length === 0) {
    throw new RangeError(`${what}: name must not be empty`);
  }
  if (bare.includes("/") || bare.includes("\0")) {
    throw new TypeError(
      `${what}: name must not contain "/" (but a leading one) or NUL, received ${
        JSON.stringify(name)
      }`,
    );
  }
  const length = nameBytes(bare).length;
  if (length > MAX_NAME_BYTES) {
    throw new RangeError(
      `${what}: name must be at most ${MAX_NAME_BYTES} UTF-8 bytes, received ${length}`,
    );
  }
  return bare;
}

/**
 * A block of shared memory with a name, as Python's
 * `multiprocessing.shared_memory.SharedMemory`. Create one with
 * `{ create: true, size }`; any Process of the program (thread start
 * method) attaches to it with `{ name }`, synchronously, for as long as it
 * is linked, even a Process started before the block was created. `buf` is
 * a `Uint8Array` over the block's bytes, shared with every holder (make any
 * typed array over `buf.buffer` at `buf.byteOffset`, which is 64-byte
 * aligned).
 *
 * Lifetime, as in Python on POSIX:
 * - Each SharedMemory object is one handle. `close()` ends this handle
 *   (its `buf` can no longer be used); it does not destroy the block.
 * - `unlink()` removes the name: new attaches fail with
 *   `Deno.errors.NotFound`, while every Process that holds a handle keeps
 *   its memory. The memory is freed once the block is unlinked and every
 *   handle is closed or its Process has ended (returned, thrown, `exit()`,
 *   terminated or killed). A block that is never unlinked stays, like a
 *   POSIX object, even when every holder has ended; call `unlink()` once.
 * - Passed to a Process in `args`, the block arrives as a handle of that
 *   Process's own (counted from `start()` on, so it keeps the memory even
 *   if the block is unlinked meanwhile); passed to a pool task, the task
 *   gets a handle for as long as it runs.
 *
 * Errors, Python's mapped to Deno's: attaching to an unknown name throws
 * `Deno.errors.NotFound` (Python's `FileNotFoundError`); creating a name
 * that exists throws `Deno.errors.AlreadyExists` (`FileExistsError`); a bad
 * size throws `RangeError` (`ValueError`).
 *
 * Sizes: `size` and `buf.length` are exactly the bytes asked for (as on
 * Linux; Python on some platforms rounds up to the page size). Each block
 * takes its size plus its name, rounded up to 64 bytes, in the arena: one
 * growable buffer of at most 64 GiB (address space reserved once, memory
 * committed as the arena grows) that holds every block of the program at
 * once, up to 4096 blocks. Freed space is reused by later blocks; the
 * arena never gives memory back to the system. The space of a block that a
 * terminated or killed Process held without closing is never reused: Deno
 * cannot stop a busy thread, which may still write there.
 *
 * The spawn start method (a separate OS process) cannot share this memory:
 * passing a SharedMemory there is refused, as for `Value`.
 *
 * @example Usage
 * ```ts
 * import { SharedMemory } from "@denomp/multiprocessing";
 * import assert from "node:assert/strict";
 *
 * const a = new SharedMemory({ create: true, size: 10 });
 * a.buf.set([22, 33, 44, 55]);
 * const b = new SharedMemory({ name: a.name }); // attach by name
 * assert.deepEqual([...b.buf.subarray(0, 4)], [22, 33, 44, 55]);
 * b.close();
 * a.close();
 * a.unlink(); // once, to free the block
 * ```
 */
export class SharedMemory {
  readonly #block: Block;
  #buf: Uint8Array | null;
  #count: Count | null;

  /**
   * Creates a block, or attaches to an existing one by name.
   *
   * @param options `name`, `create` and `size`.
   * @throws {TypeError} When an option has the wrong type, or `name` is
   *   missing while `create` is false.
   * @throws {RangeError} When `size` is not a non-negative integer (or is 0
   *   when creating), `name` is empty or too long, or the arena is full.
   * @throws {Deno.errors.NotFound} When attaching to a name no linked block
   *   has.
   * @throws {Deno.errors.AlreadyExists} When creating a name a linked block
   *   has.
   */
  constructor(options?: SharedMemoryOptions) {
    const data = reviving;
    reviving = null;
    if (data !== null) {
      this.#block = data.block;
      const { mode, pid } = data.grant;
      this.#count = mode === "owned" ? blockCount(data.block, pid) : null;
      this.#buf = mode === "closed" ? null : view(data.block);
      return;
    }
    assertLive();
    if (
      options !== undefined && (typeof options !== "object" || options === null)
    ) {
      throw new TypeError(
        `Cannot create shared memory: options must be an object, received ${
          describe(options)
        }`,
      );
    }
    const { name, create = false, size = 0 } = options ?? {};
    if (typeof create !== "boolean") {
      throw new TypeError(
        `Cannot create shared memory: create must be a boolean, received ${
          describe(create)
        }`,
      );
    }
    const what = create
      ? "Cannot create shared memory"
      : "Cannot attach shared memory";
    if (typeof size !== "number") {
      throw new TypeError(
        `${what}: size must be a number, received ${describe(size)}`,
      );
    }
    if (!Number.isSafeInteger(size) || size < 0) {
      throw new RangeError(
        `${what}: size must be a non-negative integer, received ${size}`,
      );
    }
    if (create && size === 0) {
      throw new RangeError(`${what}: size must be positive, received 0`);
    }
    if (create && size > ARENA_MAX_BYTES - ARENA_DATA) {
      throw new RangeError(
        `${what}: size must be at most ${
          ARENA_MAX_BYTES - ARENA_DATA
        } bytes, received ${size}`,
      );
    }
    if (name === undefined && !create) {
      throw new TypeError(`${what}: name is required unless create is true`);
    }
    const bare = name === undefined ? null : checkName(what, name);
    this.#block = create
      ? createBlock(bare, size, nameBytes)
      : attachBlock(bare!, nameBytes(bare!));
    this.#count = blockCount(this.#block, selfProcess().pid);
    this.#buf = view(this.#block);
  }

  /** The block's name (what another Process attaches with). */
  get name(): string {
    return this.#block.name;
  }

  /** The block's size in bytes, as created. */
  get size(): number {
    return this.#block.size;
  }

  /**
   * The block's bytes. A view of shared memory: every holder sees every
   * write at once (order them with a `Lock`, an `Event` or `Atomics`).
   *
   * @throws {Deno.errors.BadResource} When this handle is closed.
   */
  get buf(): Uint8Array {
    if (this.#buf === null) {
      throw new Deno.errors.BadResource(
        "Cannot access shared memory: this handle is closed",
      );
    }
    return this.#buf;
  }

  /** Whether this handle is closed. */
  get closed(): boolean {
    return this.#buf === null;
  }

  /**
   * Closes this handle (idempotent): `buf` can no longer be used here. The
   * block lives on for its other holders, and for new attaches while it is
   * linked.
   *
   * @example Usage
   * ```ts
   * import { SharedMemory } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   *
   * const shm = new SharedMemory({ create: true, size: 4 });
   * shm.close();
   * assert.throws(() => shm.buf, { name: "BadResource" });
   * shm.unlink();
   * ```
   */
  close(): void {
    this.#buf = null;
    this.#count?.close();
    this.#count = null;
  }

  /**
   * Removes the block's name, as Python's `unlink()`: attaching by that
   * name fails from now on, and the memory is freed once every handle is
   * closed or its Process has ended. Holders keep their memory meanwhile.
   * Call it once, from any holder (a closed one too).
   *
   * @throws {Deno.errors.NotFound} When the block has been unlinked
   *   already.
   *
   * @example Usage
   * ```ts
   * import { SharedMemory } from "@denomp/multiprocessing";
   * import assert from "node:assert/strict";
   *
   * const shm = new SharedMemory({ create: true, size: 8 });
   * shm.unlink();
   * assert.throws(() => new SharedMemory({ name: shm.name }), Deno.errors.NotFound);
   * shm.buf[0] = 1; // still this handle's memory
   * shm.close(); // now it is freed
   * ```
   */
  unlink(): void {
    assertLive();
    unlinkBlock(this.#block);
  }

  /** Closes this handle (see {@linkcode SharedMemory.prototype.close}). */
  [Symbol.dispose](): void {
    this.close();
  }

  /**
   * The descriptor this block crosses into a worker as. Internal.
   *
   * @param context Who receives it.
   * @returns The descriptor.
   * @throws {Deno.errors.NotFound} When the block has been freed.
   * @ignore Internal: the shared-object registry calls it.
   */
  [SHARE](context?: ShareContext): SharedDescriptor {
    const block = this.#block;
    // A closed handle still grants one while the block exists (Python's
    // pickle re-attaches by name); a freed block cannot be sent.
    const { grant, release } = grantHandle(
      false,
      context,
      (pid) => openBlock(block, pid),
      () => {
        const pid = selfProcess().pid;
        return openBlock(block, pid) ? blockCount(block, pid) : null;
      },
    );
    if (context !== undefined && grant.mode === "closed") {
      throw new Deno.errors.NotFound(
        `Cannot send shared memory to a worker: the block ${
          JSON.stringify(block.name)
        } has been unlinked and freed`,
      );
    }
    const data: SharedMemoryData = { arena: arenaBuffer(), block, grant };
    return { kind: "SharedMemory", module: import.meta.url, data, release };
  }

  /**
   * What `console.log` / `Deno.inspect` show, as Python's repr: the name
   * and size, and whether this handle is closed or the name unlinked.
   *
   * @returns A short description.
   */
  [Symbol.for("Deno.customInspect")](): string {
    const unlinked = isLinked(this.#block) ? "" : ", unlinked";
    return `SharedMemory { name: ${
      JSON.stringify(this.name)
    }, size: ${this.size}, closed: ${this.closed}${unlinked} }`;
  }
}

function view(block: Block): Uint8Array {
  return new Uint8Array(arenaBuffer(), block.offset, block.size);
}

registerShareable("SharedMemory", (data) => {
  reviving = data as SharedMemoryData;
  return new SharedMemory();
});
