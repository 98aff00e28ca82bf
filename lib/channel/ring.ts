// Copyright 2026 the denomp authors. MIT license.
// The channel under every Queue and Pipe: a ring of variable-length frames in
// one SharedArrayBuffer, for many producers and many consumers on any
// threads. Private.
//
// How it stays correct:
// - Two short locks (words in the header): producers take the producer lock
//   to append, consumers the consumer lock to remove, so a producer and a
//   consumer never wait for each other. A lock is only ever held inside
//   synchronous code that copies bytes and moves positions, never across an
//   `await`, and a Deno worker cannot be stopped in the middle of synchronous
//   code (terminate() only takes effect when it next yields), so a holder
//   always releases it.
// - A frame becomes visible to consumers only when the producer stores TAIL
//   past it, after every byte of it is written (an atomic store orders the
//   plain writes before it); a consumer never sees half a frame. A consumer
//   frees a frame by storing HEAD past it only after copying it out.
// - Waiting never happens under a lock. A consumer that finds nothing
//   reads the data sequence number, raises RING_DATA_PARKED, looks at TAIL
//   once more, then parks on RING_DATA_SEQ with that number; a producer
//   stores TAIL, then looks at RING_DATA_PARKED, and when it is raised
//   lowers it, bumps the number and notifies. With sequentially consistent
//   atomics at least one of the two sees the other's store, so no wake-up
//   is lost. Every wake-up notifies all waiters, so a lingering aborted
//   `Atomics.waitAsync` registration cannot swallow one meant for a live
//   waiter. Producers waiting for room do the same on RING_ROOM_SEQ, saying
//   what they wait for (a frame size, or the item count to drop).
// - A producer remembers HEAD, and a consumer TAIL, as long as nobody else
//   on its side moved since (frame counters tell): HEAD and TAIL only move
//   forward, so a remembered one is a safe underestimate, and most puts and
//   takes then touch no cache line the other side writes.
// - Liveness (a terminated Process's stale thread) is checked under the
//   lock right before a frame is published or taken, so such a thread
//   takes or puts nothing after its Process was ended.
// - A message whose frame is larger than half the ring is streamed in
//   pieces. While a producer streams (RING_STREAM_WRITER_*), other producers
//   wait, so pieces are never interleaved with other frames; the first
//   consumer to take the first piece (RING_STREAM_READER_*) takes all the
//   rest, and other consumers wait. If the writer dies, times out or is
//   aborted mid-stream, the stream is abandoned: its pieces are discarded by
//   whoever meets them, so no partial message is ever delivered and the ring
//   stays usable. If the reader dies, the rest of its stream is discarded
//   the same way.
// - An aborted or timed-out get takes nothing: a frame is removed only by
//   the call that returns it.

import { assertLive, isPidAlive, selfProcess } from "../_context.ts";
import { lockShort, unlockShort } from "../_short_lock.ts";
import type { HandleTable } from "../_handles.ts";
import {
  checkSignal,
  checkTimeout,
  describe,
  park,
  parkSync,
} from "../_wait.ts";
import {
  FRAME_FIRST,
  FRAME_HEADER,
  FRAME_KIND_MASK,
  FRAME_LAST,
  FRAME_MORE,
  FRAME_PAD,
  FRAME_RAW,
  FRAME_WHOLE,
  PIECE_HEADER,
  RING_CAPACITY,
  RING_CLOCK,
  RING_CLOSED,
  RING_DATA_OFFSET,
  RING_DATA_PARKED,
  RING_DATA_SEQ,
  RING_GETS,
  RING_HEAD,
  RING_JOINABLE,
  RING_LOCK_OWNER,
  RING_MAXSIZE,
  RING_NEXT_TOKEN,
  RING_PLOCK,
  RING_PUT_FRAMES,
  RING_PUTS,
  RING_READER_CLOSED,
  RING_ROOM_ITEMS,
  RING_ROOM_NEED,
  RING_ROOM_PARKED,
  RING_ROOM_SEQ,
  RING_STREAM_READER_PID,
  RING_STREAM_READER_TOKEN,
  RING_STREAM_WRITER_PID,
  RING_STREAM_WRITER_TOKEN,
  RING_TAIL,
  RING_TAKE_FRAMES,
  RING_UNFINISHED,
} from "./queue_layout.ts";

/** The operation completed. */
export const OK = 0;
/** Nothing to do yet; park on the recorded word (internal). */
const WAIT = 1;
/** The ring is closed for writing (and, for a take, drained). */
export const CLOSED = 2;
/** The reading side is closed: nobody will ever take what is put. */
export const BROKEN = 3;
/** The wait ran out of time. */
export const TIMED_OUT = 4;
/** More pieces to write (internal). */
const CONTINUE = 5;
/** This thread's stream was taken away (it was judged dead) (internal). */
const LOST = 6;

/** How an operation ended, one of the constants above. */
export type RingStatus = number;

/** Default capacity of a ring in bytes. */
export const DEFAULT_CAPACITY = 1 << 20;
/** Smallest capacity accepted. */
export const MIN_CAPACITY = 64;
/** Largest capacity accepted. */
export const MAX_CAPACITY = 1 << 30;

/** Longest single park; every loop re-checks liveness at least this often. */
const PARK_SLICE_MS = 100;
/** Spins on the wait word before parking a synchronous wait. */
const SPIN_SYNC = 4000;
/** Spins before parking an async wait (this blocks the event loop). */
const SPIN_ASYNC = 200;

const EMPTY = new Uint8Array(0);

function align8(n: number): number {
  return (n + 7) & ~7;
}

/** Rounds a capacity up to what the ring really uses. */
export function ringCapacity(capacity: number): number {
  return align8(capacity);
}

// The copy of the last taken frame, reused across takes on this thread.
let takeScratch = new Uint8Array(4096);

function scratchFor(length: number): Uint8Array {
  if (takeScratch.length < length) {
    let next = takeScratch.length * 2;
    while (next < length) next *= 2;
    takeScratch = new Uint8Array(next);
  }
  return takeScratch;
}

/** A deadline that reads the clock only once something has to wait. */
class Deadline {
  readonly #timeout: number;
  #end = -1;
  constructor(timeout: number) {
    this.#timeout = timeout;
  }
  /** Milliseconds left (the full timeout the first time). */
  remaining(): number {
    if (this.#timeout === Infinity) return Infinity;
    const now = performance.now();
    if (this.#end < 0) this.#end = now + this.#timeout;
    return this.#end - now;
  }
}

/** A taken message that the caller owns. */
export interface Taken {
  bytes: Uint8Array;
  raw: boolean;
}

/** State of one get call (a streamed message is reassembled in here). */
export interface ReadState {
  /** This call's reader token, taken when it first meets a stream. */
  token: number;
  /** Token of the stream being reassembled. */
  stream: number;
  /** The message being reassembled, or null. */
  partial: Uint8Array | null;
  filled: number;
  partialRaw: boolean;
}

/** Fresh state for one get call. */
export function newReadState(): ReadState {
  return { token: 0, stream: 0, partial: null, filled: 0, partialRaw: false };
}

/** State of one streamed put. */
interface WriteState {
  token: number;
  payload: Uint8Array;
  offset: number;
  raw: boolean;
}

/** Options for the async waits of a ring. */
export interface RingWaitOptions {
  timeout: number;
  signal?: AbortSignal | undefined;
}

/**
 * A ring buffer of frames in shared memory. Create one with
 * {@linkcode Ring.create}; attach to an existing buffer with `new Ring()`.
 * Positions (HEAD, TAIL) run over [0, 2 * capacity) so that a full ring and
 * an empty one differ.
 */
export class Ring {
  /** The shared memory, to send to another thread. */
  readonly buffer: SharedArrayBuffer;
  /** Bytes of frames the ring can hold. */
  readonly capacity: number;
  /** Most items, or 0 for no limit. */
  readonly maxsize: number;
  /** The payload of the last successful take (valid until the next one). */
  taken: Uint8Array = EMPTY;
  /** Whether that payload is raw bytes rather than an encoding. */
  takenRaw = false;
  /**
   * Who holds the handles feeding and draining this ring, when they are
   * counted (lib/_handles.ts). Its `refresh()` runs on every slow path
   * (before a wait and in every wait slice): when a holder died it closes
   * the side the dead one fed, so waiters see EOF or a broken pipe.
   */
  handles: HandleTable | null = null;

  readonly #i32: Int32Array;
  readonly #u8: Uint8Array;
  readonly #span: number;
  readonly #joinable: boolean;
  #waitIndex = 0;
  #waitValue = 0;
  #notifyData = false;
  #notifyRoom = false;
  #pendingPuts = 0;
  // What this thread last saw of the other side (see #headSeen, #tailSeen).
  #head = 0;
  #framesPut = -1;
  #tail = 0;
  #framesTaken = -1;
  #putChain: Promise<void> | null = null;

  /**
   * Allocates a new ring.
   *
   * @param capacity Bytes of frames (rounded up to a multiple of 8).
   * @param maxsize Most items, 0 for no limit.
   * @param joinable Whether to count unfinished tasks.
   */
  static create(capacity: number, maxsize: number, joinable = false): Ring {
    const cap = ringCapacity(capacity);
    const buffer = new SharedArrayBuffer(RING_DATA_OFFSET + cap);
    const i32 = new Int32Array(buffer, 0, RING_DATA_OFFSET >> 2);
    i32[RING_CAPACITY] = cap;
    i32[RING_MAXSIZE] = maxsize;
    i32[RING_NEXT_TOKEN] = 1;
    i32[RING_JOINABLE] = joinable ? 1 : 0;
    return new Ring(buffer);
  }

  /** Attaches to a ring's shared memory. */
  constructor(buffer: SharedArrayBuffer) {
    this.buffer = buffer;
    this.#i32 = new Int32Array(buffer);
    this.#u8 = new Uint8Array(buffer);
    this.capacity = Atomics.load(this.#i32, RING_CAPACITY);
    this.maxsize = Atomics.load(this.#i32, RING_MAXSIZE);
    this.#span = this.capacity * 2;
    this.#joinable = Atomics.load(this.#i32, RING_JOINABLE) === 1;
  }

  // ---- counters ----

  /** Whole messages in the ring. */
  items(): number {
    const gets = Atomics.load(this.#i32, RING_GETS);
    const puts = Atomics.load(this.#i32, RING_PUTS);
    return Math.max(0, (puts - gets) | 0);
  }

  /** Whether a reader would find nothing at all (not even a piece). */
  isEmpty(): boolean {
    return Atomics.load(this.#i32, RING_HEAD) ===
      Atomics.load(this.#i32, RING_TAIL);
  }

  /** Whether the writing side is closed. */
  get closed(): boolean {
    return Atomics.load(this.#i32, RING_CLOSED) === 1;
  }

  /** Whether the reading side is closed. */
  get readerClosed(): boolean {
    return Atomics.load(this.#i32, RING_READER_CLOSED) === 1;
  }

  /** Items put and not yet marked done. */
  unfinished(): number {
    return Atomics.load(this.#i32, RING_UNFINISHED);
  }

  /**
   * Marks one item done.
   *
   * @returns false (changing nothing) when no item is unfinished.
   */
  taskDone(): boolean {
    const i32 = this.#i32;
    while (true) {
      const current = Atomics.load(i32, RING_UNFINISHED);
      if (current <= 0) return false;
      if (
        Atomics.compareExchange(i32, RING_UNFINISHED, current, current - 1) ===
          current
      ) {
        if (current === 1) Atomics.notify(i32, RING_UNFINISHED);
        return true;
      }
    }
  }

  /** Waits until no item is unfinished. */
  async join(options: RingWaitOptions): Promise<RingStatus> {
    const i32 = this.#i32;
    const deadline = new Deadline(options.timeout);
    while (true) {
      const current = Atomics.load(i32, RING_UNFINISHED);
      if (current === 0) return OK;
      const remaining = deadline.remaining();
      if (remaining <= 0) return TIMED_OUT;
      await park(i32, RING_UNFINISHED, current, {
        timeout: Math.min(remaining, PARK_SLICE_MS),
        signal: options.signal,
      });
    }
  }

  /** Blocking twin of {@linkcode Ring.join}. */
  joinSync(timeout: number): RingStatus {
    const i32 = this.#i32;
    const deadline = new Deadline(timeout);
    while (true) {
      const current = Atomics.load(i32, RING_UNFINISHED);
      if (current === 0) return OK;
      const remaining = deadline.remaining();
      if (remaining <= 0) return TIMED_OUT;
      parkSync(
        i32,
        RING_UNFINISHED,
        current,
        Math.min(remaining, PARK_SLICE_MS),
      );
    }
  }

  // ---- closing ----

  /** Closes the writing side and wakes every waiter (idempotent). */
  close(): void {
    this.#setUnderProducerLock(RING_CLOSED);
  }

  /** Closes the reading side and wakes every waiter (idempotent). */
  closeReader(): void {
    this.#setUnderProducerLock(RING_READER_CLOSED);
  }

  #setUnderProducerLock(index: number): void {
    // Under the producer lock, a put either completed before (its frame is
    // visible) or sees the flag: a drained, closed ring stays drained.
    this.#lock(RING_PLOCK);
    try {
      Atomics.store(this.#i32, index, 1);
      this.#bumpData();
      this.#bumpRoom();
    } finally {
      this.#unlock(RING_PLOCK);
    }
  }

  // ---- the locks ----
  // Short futex-style mutexes (lib/_short_lock.ts): taking and releasing one
  // uncontended costs one atomic operation each.

  #lock(index: number): void {
    lockShort(this.#i32, index, index + RING_LOCK_OWNER);
  }

  #unlock(index: number): void {
    const i32 = this.#i32;
    unlockShort(i32, index);
    if (this.#notifyData) {
      this.#notifyData = false;
      Atomics.notify(i32, RING_DATA_SEQ);
    }
    if (this.#notifyRoom) {
      this.#notifyRoom = false;
      Atomics.notify(i32, RING_ROOM_SEQ);
    }
  }

  // ---- wake-ups ----

  /** Wakes every consumer (notified after the lock is released). */
  #bumpData(): void {
    // Clear the flag first: a consumer that parks after the bump sets it
    // again for the new number.
    Atomics.store(this.#i32, RING_DATA_PARKED, 0);
    Atomics.add(this.#i32, RING_DATA_SEQ, 1);
    this.#notifyData = true;
  }

  /** Wakes every producer (notified after the lock is released). */
  #bumpRoom(): void {
    const i32 = this.#i32;
    // Reset the wishes first: a producer that parks after the bump records
    // its own wish at the new number.
    Atomics.store(i32, RING_ROOM_PARKED, 0);
    Atomics.store(i32, RING_ROOM_NEED, 0);
    Atomics.store(i32, RING_ROOM_ITEMS, 0);
    Atomics.add(i32, RING_ROOM_SEQ, 1);
    this.#notifyRoom = true;
  }

  /** A consumer is about to park: records where. */
  #announceData(): void {
    const i32 = this.#i32;
    const seq = Atomics.load(i32, RING_DATA_SEQ);
    Atomics.store(i32, RING_DATA_PARKED, 1);
    this.#waitIndex = RING_DATA_SEQ;
    this.#waitValue = seq;
  }

  /**
   * A producer is about to park: records where and what it waits for
   * (`needBytes` a frame size, or more than the capacity to wait for an
   * explicit wake-up only; `needItems` for the count to drop).
   */
  #announceRoom(needBytes: number, needItems: boolean): void {
    const i32 = this.#i32;
    const seq = Atomics.load(i32, RING_ROOM_SEQ);
    if (needBytes > 0) {
      const current = Atomics.load(i32, RING_ROOM_NEED);
      if (current === 0 || needBytes < current) {
        Atomics.store(i32, RING_ROOM_NEED, needBytes);
      }
    }
    if (needItems) Atomics.store(i32, RING_ROOM_ITEMS, 1);
    Atomics.store(i32, RING_ROOM_PARKED, 1);
    this.#waitIndex = RING_ROOM_SEQ;
    this.#waitValue = seq;
  }

  /** After TAIL moved: wakes consumers parked at the current number. */
  #dataArrived(): void {
    if (Atomics.load(this.#i32, RING_DATA_PARKED) === 1) this.#bumpData();
  }

  /** After HEAD moved: wakes parked producers whose wish now holds. */
  #roomFreed(): void {
    const i32 = this.#i32;
    if (Atomics.load(i32, RING_ROOM_PARKED) !== 1) return;
    let ok = Atomics.load(i32, RING_ROOM_ITEMS) === 1 &&
      this.items() < this.maxsize;
    if (!ok) {
      const need = Atomics.load(i32, RING_ROOM_NEED);
      ok = need > 0 && need <= this.capacity &&
        this.#fit(
            need,
            Atomics.load(i32, RING_HEAD),
            Atomics.load(i32, RING_TAIL),
          ) >= 0;
    }
    if (ok) this.#bumpRoom();
  }

  // ---- geometry ----

  #offset(position: number): number {
    return position >= this.capacity ? position - this.capacity : position;
  }

  #advance(position: number, bytes: number): number {
    const next = position + bytes;
    return next >= this.#span ? next - this.#span : next;
  }

  #used(head: number, tail: number): number {
    const used = tail - head;
    return used < 0 ? used + this.#span : used;
  }

  /**
   * Whether a frame of `size` bytes fits now: returns the bytes of padding
   * to write first (0 when it fits at TAIL), or -1.
   */
  #fit(size: number, head: number, tail: number): number {
    const free = this.capacity - this.#used(head, tail);
    const end = this.capacity - this.#offset(tail);
    if (size <= end) return size <= free ? 0 : -1;
    return end + size <= free ? end : -1;
  }

  /** The largest frame that fits now (the bigger of the two free runs). */
  #largestFit(head: number, tail: number): number {
    const free = this.capacity - this.#used(head, tail);
    const end = this.capacity - this.#offset(tail);
    if (free <= end) return free;
    return Math.max(end, free - end);
  }

  #nextToken(): number {
    let token = Atomics.add(this.#i32, RING_NEXT_TOKEN, 1);
    if (token === 0) token = Atomics.add(this.#i32, RING_NEXT_TOKEN, 1);
    return token;
  }

  // ---- producing (under the producer lock) ----

  /** Most bytes a single frame may take; larger messages are streamed. */
  get #maxFrame(): number {
    return (this.capacity >> 1) & ~7;
  }

  /** Whether a payload of this length must be streamed in pieces. */
  needsStream(length: number): boolean {
    return align8(FRAME_HEADER + length) > this.#maxFrame;
  }

  /**
   * Writes a frame at TAIL (after `pad` bytes of padding) and makes it
   * visible. `extra` is the piece header, if any.
   */
  #write(
    pad: number,
    size: number,
    kind: number,
    payload: Uint8Array,
    w: WriteState | null,
  ): void {
    // Once more before writing: this thread may have been paused inside the
    // lock while its Process was terminated.
    assertLive();
    const i32 = this.#i32;
    const tail = i32[RING_TAIL]!;
    let at = RING_DATA_OFFSET + this.#offset(tail);
    if (pad > 0) {
      i32[at >> 2] = pad - FRAME_HEADER;
      i32[(at >> 2) + 1] = FRAME_PAD;
      at = RING_DATA_OFFSET;
    }
    let length = payload.length;
    if (w !== null) {
      i32[(at >> 2) + 2] = w.token;
      i32[(at >> 2) + 3] = w.payload.length;
      this.#u8.set(payload, at + FRAME_HEADER + PIECE_HEADER);
      length += PIECE_HEADER;
    } else {
      this.#u8.set(payload, at + FRAME_HEADER);
    }
    i32[at >> 2] = length;
    i32[(at >> 2) + 1] = kind;
    const kindOnly = kind & FRAME_KIND_MASK;
    if (kindOnly === FRAME_WHOLE || kindOnly === FRAME_LAST) {
      // Counted before it is visible, so the count never runs behind the
      // consumers' count of what they removed.
      i32[RING_PUTS] = i32[RING_PUTS]! + 1;
      if (this.#joinable) Atomics.add(i32, RING_UNFINISHED, 1);
    }
    // The frame is complete: publish it.
    Atomics.store(i32, RING_TAIL, this.#advance(tail, pad + size));
    this.#framesPut = i32[RING_PUT_FRAMES] = (i32[RING_PUT_FRAMES]! + 1) | 0;
    this.#dataArrived();
  }

  /**
   * HEAD as this thread saw it last, while no other producer has written a
   * frame since (so it is at most one lap behind); else loaded afresh.
   */
  #headSeen(): number {
    if (this.#framesPut === this.#i32[RING_PUT_FRAMES]) return this.#head;
    return this.#loadHead();
  }

  #loadHead(): number {
    this.#framesPut = this.#i32[RING_PUT_FRAMES]!;
    return this.#head = Atomics.load(this.#i32, RING_HEAD);
  }

  /** Whether a producer is streaming (a dead one's stream is abandoned). */
  #streamBusy(): boolean {
    const i32 = this.#i32;
    // Written only under the producer lock, which we hold.
    if (i32[RING_STREAM_WRITER_TOKEN] === 0) return false;
    if (isPidAlive(Atomics.load(i32, RING_STREAM_WRITER_PID))) return true;
    this.#abandonStream();
    return false;
  }

  #abandonStream(): void {
    const i32 = this.#i32;
    Atomics.store(i32, RING_STREAM_WRITER_PID, 0);
    Atomics.store(i32, RING_STREAM_WRITER_TOKEN, 0);
    this.#bumpRoom();
    this.#bumpData();
  }

  /** Checks what every put checks first; WAIT means "announced, park". */
  #admit(): RingStatus {
    const i32 = this.#i32;
    if (i32[RING_CLOSED] === 1) return CLOSED;
    if (i32[RING_READER_CLOSED] === 1) return BROKEN;
    if (this.#streamBusy()) {
      this.#announceRoom(this.capacity + 1, false);
      return WAIT;
    }
    if (this.maxsize > 0) {
      const items = (i32[RING_PUTS]! - Atomics.load(i32, RING_GETS)) | 0;
      if (items >= this.maxsize) {
        this.#announceRoom(0, true);
        // Look again after announcing: a consumer may have taken one since.
        if (
          ((i32[RING_PUTS]! - Atomics.load(i32, RING_GETS)) | 0) >= this.maxsize
        ) {
          return WAIT;
        }
      }
    }
    return OK;
  }

  #tryPut(payload: Uint8Array, raw: boolean): RingStatus {
    const admitted = this.#admit();
    if (admitted !== OK) return admitted;
    const i32 = this.#i32;
    const size = align8(FRAME_HEADER + payload.length);
    const tail = i32[RING_TAIL]!;
    // The HEAD this thread saw last is good enough when it allows the
    // frame (HEAD only moves forward); it saves a cache miss per put.
    let pad = this.#fit(size, this.#headSeen(), tail);
    if (pad < 0) {
      pad = this.#fit(size, this.#loadHead(), tail);
      if (pad < 0) {
        // Ask to be woken once an eighth of the ring is free, not at the
        // first free byte: a fast producer then refills in batches instead
        // of waking once per message taken. (If consumers stop earlier,
        // the wait's 100 ms slice bounds the delay.)
        this.#announceRoom(
          Math.max(size, Math.min(this.capacity >> 3, this.#maxFrame)),
          false,
        );
        pad = this.#fit(size, this.#loadHead(), tail);
        if (pad < 0) return WAIT;
      }
    }
    this.#write(
      pad,
      size,
      raw ? FRAME_WHOLE | FRAME_RAW : FRAME_WHOLE,
      payload,
      null,
    );
    return OK;
  }

  #tryStreamStart(w: WriteState): RingStatus {
    const admitted = this.#admit();
    if (admitted !== OK) return admitted;
    const i32 = this.#i32;
    w.token = this.#nextToken();
    Atomics.store(i32, RING_STREAM_WRITER_PID, selfProcess().pid);
    Atomics.store(i32, RING_STREAM_WRITER_TOKEN, w.token);
    return this.#tryPiece(w);
  }

  #tryPiece(w: WriteState): RingStatus {
    const i32 = this.#i32;
    if (Atomics.load(i32, RING_STREAM_WRITER_TOKEN) !== w.token) return LOST;
    if (i32[RING_READER_CLOSED] === 1) {
      this.#abandonStream();
      return BROKEN;
    }
    const total = w.payload.length;
    const remaining = total - w.offset;
    const headers = FRAME_HEADER + PIECE_HEADER;
    const tail = i32[RING_TAIL]!;
    // Wait for a worthwhile piece rather than trickle tiny ones.
    const want = Math.min(remaining, Math.max(8, this.capacity >> 3));
    let room = Math.min(
      this.#largestFit(this.#loadHead(), tail),
      this.#maxFrame,
    ) - headers;
    if (room < want) {
      this.#announceRoom(align8(headers + want), false);
      room = Math.min(
        this.#largestFit(this.#loadHead(), tail),
        this.#maxFrame,
      ) - headers;
      if (room < want) return WAIT;
    }
    let piece = Math.min(remaining, room & ~7);
    if (piece <= 0) piece = Math.min(remaining, room);
    // The first piece never carries the whole message.
    if (w.offset === 0 && piece === remaining) piece = remaining - 1;
    const size = align8(headers + piece);
    const pad = this.#fit(size, this.#loadHead(), tail);
    if (pad < 0) {
      this.#announceRoom(size, false);
      return WAIT;
    }
    const last = w.offset + piece === total;
    let kind = w.offset === 0 ? FRAME_FIRST : last ? FRAME_LAST : FRAME_MORE;
    if (w.raw) kind |= FRAME_RAW;
    this.#write(
      pad,
      size,
      kind,
      w.payload.subarray(w.offset, w.offset + piece),
      w,
    );
    w.offset += piece;
    if (!last) return CONTINUE;
    Atomics.store(i32, RING_STREAM_WRITER_PID, 0);
    Atomics.store(i32, RING_STREAM_WRITER_TOKEN, 0);
    // Producers waiting for the stream to end may go on.
    this.#bumpRoom();
    return OK;
  }

  /** Gives up a stream this thread was writing (timeout or abort). */
  #giveUpStream(w: WriteState): void {
    this.#lock(RING_PLOCK);
    try {
      if (Atomics.load(this.#i32, RING_STREAM_WRITER_TOKEN) === w.token) {
        this.#abandonStream();
      }
    } finally {
      this.#unlock(RING_PLOCK);
    }
  }

  #putStep(w: WriteState, stream: boolean): RingStatus {
    this.#lock(RING_PLOCK);
    try {
      return !stream
        ? this.#tryPut(w.payload, w.raw)
        : w.token === 0
        ? this.#tryStreamStart(w)
        : this.#tryPiece(w);
    } finally {
      this.#unlock(RING_PLOCK);
    }
  }

  /**
   * Tries once to put a payload that fits one frame, without waiting.
   * The payload is copied; it may be a scratch view.
   *
   * @returns OK, CLOSED, BROKEN, or TIMED_OUT when there is no room now.
   */
  tryPutNow(payload: Uint8Array, raw: boolean): RingStatus {
    this.#lock(RING_PLOCK);
    let status: RingStatus;
    try {
      status = this.#tryPut(payload, raw);
    } finally {
      this.#unlock(RING_PLOCK);
    }
    return status === WAIT ? TIMED_OUT : status;
  }

  /**
   * Puts a payload, waiting for room up to `timeout` ms, parking the thread.
   *
   * @returns OK, CLOSED, BROKEN or TIMED_OUT.
   */
  putSync(payload: Uint8Array, raw: boolean, timeout: number): RingStatus {
    const stream = this.needsStream(payload.length);
    if (!stream) {
      // The common case first, without allocating anything.
      this.#lock(RING_PLOCK);
      let status: RingStatus;
      try {
        // #write checks liveness right before it publishes anything.
        status = this.#tryPut(payload, raw);
      } finally {
        this.#unlock(RING_PLOCK);
      }
      if (status !== WAIT) return status;
    }
    const deadline = new Deadline(timeout);
    const w: WriteState = { token: 0, payload, offset: 0, raw };
    while (true) {
      assertLive();
      this.handles?.refresh();
      const status = this.#putStep(w, stream);
      if (status === CONTINUE) continue;
      if (status === LOST) {
        assertLive();
        return BROKEN;
      }
      if (status !== WAIT) return status;
      const remaining = deadline.remaining();
      if (remaining <= 0) {
        if (w.token !== 0) this.#giveUpStream(w);
        return TIMED_OUT;
      }
      this.#waitSync(remaining);
    }
  }

  /**
   * Async twin of {@linkcode Ring.putSync}. The payload must not change
   * while this runs (pass a copy, not a scratch view).
   */
  async put(
    payload: Uint8Array,
    raw: boolean,
    options: RingWaitOptions,
  ): Promise<RingStatus> {
    const deadline = new Deadline(options.timeout);
    const stream = this.needsStream(payload.length);
    const w: WriteState = { token: 0, payload, offset: 0, raw };
    let done = false;
    try {
      while (true) {
        options.signal?.throwIfAborted();
        assertLive();
        this.handles?.refresh();
        const status = this.#putStep(w, stream);
        if (status === CONTINUE) continue;
        if (status === LOST) {
          assertLive();
          done = true;
          return BROKEN;
        }
        if (status !== WAIT) {
          done = true;
          return status;
        }
        const remaining = deadline.remaining();
        if (remaining <= 0) return TIMED_OUT;
        await this.#wait(remaining, options.signal);
      }
    } finally {
      // A stream cut short (timeout, abort, this process ended) is given up
      // so that others can go on; its pieces are discarded by readers.
      if (!done && w.token !== 0) this.#giveUpStream(w);
    }
  }

  /** Whether this thread has puts still waiting on this ring. */
  get hasPendingPuts(): boolean {
    return this.#pendingPuts > 0;
  }

  /**
   * Runs {@linkcode Ring.put} after every earlier pending put of this
   * object, so that puts a thread does not await still keep their order
   * (per-producer FIFO).
   */
  enqueuePut(
    payload: Uint8Array,
    raw: boolean,
    options: RingWaitOptions,
  ): Promise<RingStatus> {
    const previous = this.#putChain;
    this.#pendingPuts++;
    const run = (async () => {
      try {
        if (previous !== null) await previous;
        return await this.put(payload, raw, options);
      } finally {
        if (--this.#pendingPuts === 0) this.#putChain = null;
      }
    })();
    // The chain only orders; a failed put does not fail the next one.
    this.#putChain = run.then(() => {}, () => {});
    return run;
  }

  // ---- consuming (under the consumer lock) ----

  /** Whether a live producer is streaming (optionally: this stream). */
  #writerActive(token: number): boolean {
    const i32 = this.#i32;
    const current = Atomics.load(i32, RING_STREAM_WRITER_TOKEN);
    if (current === 0 || (token !== 0 && current !== token)) return false;
    return isPidAlive(Atomics.load(i32, RING_STREAM_WRITER_PID));
  }

  /**
   * TAIL as this thread saw it last, while no other consumer has taken a
   * frame since (so every frame up to it is still there to read); loaded
   * afresh when that is not known, or when it shows nothing more.
   */
  #tailSeen(head: number): number {
    if (
      this.#framesTaken === this.#i32[RING_TAKE_FRAMES] &&
      this.#tail !== head
    ) return this.#tail;
    this.#framesTaken = this.#i32[RING_TAKE_FRAMES]!;
    return this.#tail = Atomics.load(this.#i32, RING_TAIL);
  }

  /** Frees `bytes` at HEAD. */
  #release(head: number, bytes: number, message: boolean): void {
    const i32 = this.#i32;
    if (message) i32[RING_GETS] = i32[RING_GETS]! + 1;
    // Publishes the count too (it is ordered before this atomic store).
    Atomics.store(i32, RING_HEAD, this.#advance(head, bytes));
    this.#framesTaken = i32[RING_TAKE_FRAMES] = (i32[RING_TAKE_FRAMES]! + 1) |
      0;
    this.#roomFreed();
  }

  /** A message was discarded: nobody will ever mark it done. */
  #discarded(): void {
    if (
      this.#joinable && Atomics.sub(this.#i32, RING_UNFINISHED, 1) === 1
    ) Atomics.notify(this.#i32, RING_UNFINISHED);
  }

  #tryTake(r: ReadState, nowait: boolean, quiet: boolean): RingStatus {
    const i32 = this.#i32;
    const u8 = this.#u8;
    while (true) {
      const reader = i32[RING_STREAM_READER_TOKEN]!;
      if (reader !== 0 && reader !== r.token) {
        if (isPidAlive(i32[RING_STREAM_READER_PID]!)) {
          // Another consumer is taking a streamed message; it bumps the data
          // number (under this lock) when it is done.
          this.#announceData();
          return WAIT;
        }
        // The reader died: the rest of its stream is discarded below.
        this.#clearReader();
      }
      const head = i32[RING_HEAD]!;
      if (this.#tailSeen(head) === head) {
        if (r.partial !== null) {
          if (this.#writerActive(r.stream)) {
            this.#announceData();
            if (Atomics.load(i32, RING_TAIL) !== head) continue;
            return WAIT;
          }
          // The stream was abandoned: drop what we have.
          this.#dropPartial(r);
        }
        if (Atomics.load(i32, RING_CLOSED) === 1) {
          if (Atomics.load(i32, RING_TAIL) !== head) continue;
          if (!this.#writerActive(0)) return CLOSED;
        }
        if (quiet) {
          // Spin on TAIL first without telling producers: announcing makes
          // every put pay for a wake-up while we are only spinning.
          this.#waitIndex = RING_TAIL;
          this.#waitValue = head;
          return WAIT;
        }
        this.#announceData();
        if (Atomics.load(i32, RING_TAIL) !== head) continue;
        return WAIT;
      }
      const at = RING_DATA_OFFSET + this.#offset(head);
      const length = i32[at >> 2]!;
      const flagged = i32[(at >> 2) + 1]!;
      const kind = flagged & FRAME_KIND_MASK;
      const raw = (flagged & FRAME_RAW) !== 0;
      if (kind === FRAME_PAD) {
        this.#release(head, FRAME_HEADER + length, false);
        continue;
      }
      const size = align8(FRAME_HEADER + length);
      const start = at + FRAME_HEADER;
      // Once more right before taking anything: this thread may have been
      // paused inside the lock while its Process was terminated.
      assertLive();
      if (kind === FRAME_WHOLE) {
        if (r.partial !== null) this.#dropPartial(r);
        const out = scratchFor(length);
        if (length <= 32) {
          for (let i = 0; i < length; i++) out[i] = u8[start + i]!;
        } else {
          out.set(u8.subarray(start, start + length));
        }
        this.taken = out.subarray(0, length);
        this.takenRaw = raw;
        this.#release(head, size, true);
        return OK;
      }
      const token = i32[(at >> 2) + 2]!;
      const pieceStart = start + PIECE_HEADER;
      const pieceLength = length - PIECE_HEADER;
      if (kind === FRAME_FIRST) {
        if (nowait && this.items() === 0) {
          // Do not start a stream that is still being written.
          this.#announceData();
          return WAIT;
        }
        if (r.partial !== null) this.#dropPartial(r);
        const total = i32[(at >> 2) + 3]!;
        if (r.token === 0) r.token = this.#nextToken();
        r.stream = token;
        r.partial = new Uint8Array(total);
        r.filled = 0;
        r.partialRaw = raw;
        i32[RING_STREAM_READER_PID] = selfProcess().pid;
        Atomics.store(i32, RING_STREAM_READER_TOKEN, r.token);
      } else if (r.partial === null || token !== r.stream) {
        // An orphan piece of an abandoned stream, or of a dead reader's.
        this.#release(head, size, kind === FRAME_LAST);
        if (kind === FRAME_LAST) this.#discarded();
        continue;
      }
      const partial = r.partial!;
      if (r.filled + pieceLength > partial.length) {
        // Cannot happen with a well-formed stream; never deliver garbage.
        this.#release(head, size, kind === FRAME_LAST);
        this.#dropPartial(r);
        if (kind === FRAME_LAST) this.#discarded();
        continue;
      }
      partial.set(u8.subarray(pieceStart, pieceStart + pieceLength), r.filled);
      r.filled += pieceLength;
      if (kind !== FRAME_LAST) {
        this.#release(head, size, false);
        continue;
      }
      const complete = r.filled === partial.length;
      const partialRaw = r.partialRaw;
      this.#dropPartial(r);
      this.#release(head, size, true);
      if (!complete) {
        this.#discarded();
        continue;
      }
      this.taken = partial;
      this.takenRaw = partialRaw;
      return OK;
    }
  }

  #clearReader(): void {
    const i32 = this.#i32;
    i32[RING_STREAM_READER_PID] = 0;
    Atomics.store(i32, RING_STREAM_READER_TOKEN, 0);
    // Consumers waiting for the reader may go on.
    this.#bumpData();
  }

  #dropPartial(r: ReadState): void {
    r.partial = null;
    r.filled = 0;
    r.stream = 0;
    if (this.#i32[RING_STREAM_READER_TOKEN] === r.token) this.#clearReader();
  }

  #takeStep(r: ReadState, nowait: boolean, quiet: boolean): RingStatus {
    this.#lock(RING_CLOCK);
    try {
      // #tryTake checks liveness right before it takes anything.
      return this.#tryTake(r, nowait, quiet);
    } finally {
      this.#unlock(RING_CLOCK);
    }
  }

  /**
   * Tries once to take a message, without waiting. On OK the payload is in
   * `taken` (valid until the next take on this thread). With `nowait`, a
   * streamed message is only started when it is complete in the ring; else
   * a started one is left in `r` for {@linkcode Ring.take} or
   * {@linkcode Ring.takeSync} to finish.
   *
   * @returns OK, CLOSED (closed and drained) or TIMED_OUT.
   */
  takeOnce(r: ReadState, nowait = false): RingStatus {
    let status = this.#takeStep(r, nowait, true);
    // Empty: look again only if the last writers turn out to have died.
    if (status === WAIT && this.handles?.refresh()) {
      status = this.#takeStep(r, nowait, true);
    }
    return status === WAIT ? TIMED_OUT : status;
  }

  /**
   * Takes one message, waiting up to `timeout` ms by parking the thread.
   * Once the first piece of a streamed message is taken, the rest is
   * awaited regardless of `timeout` (bounded by the writer staying alive).
   *
   * @returns OK (payload in `taken`), CLOSED (closed and drained) or
   *   TIMED_OUT.
   */
  takeSync(r: ReadState, timeout: number): RingStatus {
    let status = this.#takeStep(r, false, true);
    if (status !== WAIT) return status;
    const deadline = new Deadline(timeout);
    let quiet = true;
    while (true) {
      if (quiet) {
        // Spin on TAIL; if nothing comes, announce and park next time.
        quiet = this.#spin(SPIN_SYNC);
      } else if (r.partial !== null) {
        this.#waitSync(PARK_SLICE_MS);
        quiet = true;
      } else {
        const remaining = deadline.remaining();
        if (remaining <= 0) return TIMED_OUT;
        this.#waitSync(remaining);
        quiet = true;
      }
      if (!quiet && deadline.remaining() <= 0 && r.partial === null) {
        return TIMED_OUT;
      }
      this.handles?.refresh();
      status = this.#takeStep(r, false, quiet);
      if (status !== WAIT) return status;
      // A wait on anything but TAIL was announced: park on it.
      if (this.#waitIndex !== RING_TAIL) quiet = false;
    }
  }

  /**
   * Async twin of {@linkcode Ring.takeSync}; an abort rejects with
   * `signal.reason` and takes nothing. Resolves to the taken message (an
   * owned copy) or to CLOSED or TIMED_OUT.
   */
  async take(
    r: ReadState,
    options: RingWaitOptions,
  ): Promise<Taken | RingStatus> {
    const deadline = new Deadline(options.timeout);
    let quiet = true;
    while (true) {
      if (r.partial === null) options.signal?.throwIfAborted();
      assertLive();
      this.handles?.refresh();
      const status = this.#takeStep(r, false, quiet);
      if (status === OK) {
        // Copy now: another take on this thread may reuse the scratch
        // before our caller resumes.
        const bytes = this.taken.buffer === takeScratch.buffer
          ? this.taken.slice()
          : this.taken;
        return { bytes, raw: this.takenRaw };
      }
      if (status !== WAIT) return status;
      if (this.#waitIndex === RING_TAIL) {
        // Not announced yet: spin a little, then announce and park.
        quiet = this.#spin(SPIN_ASYNC);
        if (!quiet && deadline.remaining() <= 0) return TIMED_OUT;
        continue;
      }
      quiet = true;
      if (r.partial !== null) {
        await this.#wait(PARK_SLICE_MS, undefined);
      } else {
        const remaining = deadline.remaining();
        if (remaining <= 0) return TIMED_OUT;
        await this.#wait(remaining, options.signal);
      }
    }
  }

  /**
   * Waits until a take would not block (something to take, or closed and
   * drained), without taking anything.
   *
   * @returns true when a take would not block.
   */
  async poll(options: RingWaitOptions): Promise<boolean> {
    const deadline = new Deadline(options.timeout);
    while (true) {
      if (this.#readable()) return true;
      const remaining = deadline.remaining();
      if (remaining <= 0) return false;
      await this.#wait(remaining, options.signal);
    }
  }

  /** Blocking twin of {@linkcode Ring.poll}. */
  pollSync(timeout: number): boolean {
    const deadline = new Deadline(timeout);
    while (true) {
      if (this.#readable()) return true;
      const remaining = deadline.remaining();
      if (remaining <= 0) return false;
      this.#waitSync(remaining);
    }
  }

  #readableNow(): boolean {
    const i32 = this.#i32;
    return this.items() > 0 ||
      (Atomics.load(i32, RING_CLOSED) === 1 && this.isEmpty() &&
        !this.#writerActive(0));
  }

  #readable(): boolean {
    assertLive();
    this.handles?.refresh();
    if (this.#readableNow()) return true;
    this.#announceData();
    return this.#readableNow();
  }

  // ---- waiting ----

  /** Spins while the recorded word is unchanged; true if it changed. */
  #spin(spins: number): boolean {
    const i32 = this.#i32;
    const index = this.#waitIndex;
    const value = this.#waitValue;
    for (let spin = 0; spin < spins; spin++) {
      if (Atomics.load(i32, index) !== value) return true;
    }
    return false;
  }

  #waitSync(remaining: number): void {
    const i32 = this.#i32;
    const index = this.#waitIndex;
    const value = this.#waitValue;
    for (let spin = 0; spin < SPIN_SYNC; spin++) {
      if (Atomics.load(i32, index) !== value) return;
    }
    parkSync(i32, index, value, Math.min(remaining, PARK_SLICE_MS));
  }

  async #wait(
    remaining: number,
    signal: AbortSignal | undefined,
  ): Promise<void> {
    const i32 = this.#i32;
    const index = this.#waitIndex;
    const value = this.#waitValue;
    for (let spin = 0; spin < SPIN_ASYNC; spin++) {
      if (Atomics.load(i32, index) !== value) return;
    }
    await park(i32, index, value, {
      timeout: Math.min(remaining, PARK_SLICE_MS),
      signal,
    });
  }
}

const NO_OPTIONS = Object.freeze({ timeout: Infinity, signal: undefined });

/** Validates the options object of a wait; returns the timeout. */
export function waitOptions(
  what: string,
  options: unknown,
): { timeout: number; signal: AbortSignal | undefined } {
  if (options === undefined) return NO_OPTIONS;
  if (typeof options !== "object" || options === null) {
    throw new TypeError(
      `${what}: options must be an object, received ${describe(options)}`,
    );
  }
  const { timeout, signal } = options as {
    timeout?: unknown;
    signal?: unknown;
  };
  const ms = checkTimeout(what, timeout);
  checkSignal(what, signal);
  return { timeout: ms, signal: signal as AbortSignal | undefined };
}

/** Creates the ring of a new queue from validated options. */
export function createQueueRing(options: unknown, joinable: boolean): Ring {
  if (options === undefined) return Ring.create(DEFAULT_CAPACITY, 0, joinable);
  if (typeof options !== "object" || options === null) {
    throw new TypeError(
      `Cannot create queue: options must be an object, received ${
        describe(options)
      }`,
    );
  }
  const { maxsize = 0, capacity = DEFAULT_CAPACITY } = options as {
    maxsize?: unknown;
    capacity?: unknown;
  };
  if (typeof maxsize !== "number") {
    throw new TypeError(
      `Cannot create queue: maxsize must be a number, received ${
        describe(maxsize)
      }`,
    );
  }
  if (!Number.isInteger(maxsize) || maxsize > 0x3fffffff) {
    throw new RangeError(
      `Cannot create queue: maxsize must be an integer up to ${0x3fffffff}, received ${maxsize}`,
    );
  }
  checkCapacity("Cannot create queue", capacity);
  // As Python's, maxsize <= 0 means no limit on the count.
  return Ring.create(capacity, maxsize <= 0 ? 0 : maxsize, joinable);
}

/**
 * Checks a ring's `capacity` option (bytes): an integer from
 * {@linkcode MIN_CAPACITY} to {@linkcode MAX_CAPACITY}.
 */
export function checkCapacity(
  what: string,
  capacity: unknown,
): asserts capacity is number {
  if (typeof capacity !== "number") {
    throw new TypeError(
      `${what}: capacity must be a number, received ${describe(capacity)}`,
    );
  }
  if (
    !Number.isInteger(capacity) || capacity < MIN_CAPACITY ||
    capacity > MAX_CAPACITY
  ) {
    throw new RangeError(
      `${what}: capacity must be an integer from ${MIN_CAPACITY} to ${MAX_CAPACITY} bytes, received ${capacity}`,
    );
  }
}
