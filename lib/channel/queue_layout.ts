// Copyright 2026 the denomp authors. MIT license.
// Named slots of the ring buffer under every Queue and Pipe. One
// SharedArrayBuffer holds an Int32 header, then `capacity` bytes of frames.
// The header is split into 64-byte lines by who writes them, so that a
// producer and a consumer working at once do not fight over one cache line:
// producers write the producer line, consumers the consumer line, and the
// wake-up lines change only when someone parks. Private.

// ---- producer line (written under the producer lock) ----
/** Producer lock: 0 free, 1 held, 2 held with threads parked on it. */
export const RING_PLOCK = 0;
/** Write position in [0, 2 * capacity): where the next frame goes. */
export const RING_TAIL = 1;
/** Whole messages ever completed (a streamed one counts at its end). */
export const RING_PUTS = 2;
/** Pid of the producer streaming a message too large for one frame, or 0. */
export const RING_STREAM_WRITER_PID = 3;
/** Token of that stream, or 0 when no stream is being written. */
export const RING_STREAM_WRITER_TOKEN = 4;

/** Frames ever written (wraps); tells a producer whether others wrote. */
export const RING_PUT_FRAMES = 6;
/** Offset from a lock's slot to the slot holding its holder's pid. */
export const RING_LOCK_OWNER = 5;

// ---- consumer line (written under the consumer lock) ----
/** Consumer lock: 0 free, 1 held, 2 held with threads parked on it. */
export const RING_CLOCK = 16;
/** Read position in [0, 2 * capacity): the oldest frame. */
export const RING_HEAD = 17;
/** Whole messages ever removed (delivered or discarded). */
export const RING_GETS = 18;
/** Pid of the consumer reassembling a streamed message, or 0. */
export const RING_STREAM_READER_PID = 19;
/** Token of that consumer's get call, or 0 when none is reassembling. */
export const RING_STREAM_READER_TOKEN = 20;

/** Frames ever removed (wraps); tells a consumer whether others took. */
export const RING_TAKE_FRAMES = 22;

// ---- consumers' wake-up line ----
/** Consumers park on this word; bumped when there is something new. */
export const RING_DATA_SEQ = 32;
/** 1 while a consumer is parked (or about to park) on RING_DATA_SEQ. */
export const RING_DATA_PARKED = 33;

// ---- producers' wake-up line ----
/** Producers park on this word; bumped when there is room again. */
export const RING_ROOM_SEQ = 48;
/** 1 while a producer is parked (or about to park) on RING_ROOM_SEQ. */
export const RING_ROOM_PARKED = 49;
/** Smallest frame (bytes) a parked producer waits to fit, 0 for none. */
export const RING_ROOM_NEED = 50;
/** 1 when a parked producer waits for the item count to drop. */
export const RING_ROOM_ITEMS = 51;

// ---- settings and rarely written state ----
/** Capacity of the data area in bytes (a multiple of 8). */
export const RING_CAPACITY = 64;
/** Most items allowed, 0 for no limit. */
export const RING_MAXSIZE = 65;
/** 1 when the ring counts unfinished tasks (JoinableQueue). */
export const RING_JOINABLE = 66;
/** 1 once the writing side is closed (Queue.close(), a Pipe end closed). */
export const RING_CLOSED = 67;
/** 1 once the reading side is closed (a Pipe end closed). */
export const RING_READER_CLOSED = 68;
/** Source of stream and reader tokens. */
export const RING_NEXT_TOKEN = 69;
/** Items put and not yet marked done (JoinableQueue). */
export const RING_UNFINISHED = 70;

/** Int32 slots in the header; the data area starts right after. */
export const RING_HEADER_INTS = 80;
/** Byte offset of the data area. */
export const RING_DATA_OFFSET = RING_HEADER_INTS * 4;

/** Bytes of a frame header: int32 payload length, int32 kind. */
export const FRAME_HEADER = 8;
/** Bytes of the extra header of a streamed piece: int32 token, int32 total. */
export const PIECE_HEADER = 8;
/** A whole message. */
export const FRAME_WHOLE = 1;
/** The first piece of a streamed message. */
export const FRAME_FIRST = 2;
/** A middle piece of a streamed message. */
export const FRAME_MORE = 3;
/** The last piece of a streamed message. */
export const FRAME_LAST = 4;
/** Padding up to the end of the data area; the next frame is at 0. */
export const FRAME_PAD = 5;
/** Flag on a frame's kind: the payload is raw bytes, not an encoding. */
export const FRAME_RAW = 16;
/** Mask for the kind without flags. */
export const FRAME_KIND_MASK = 15;
