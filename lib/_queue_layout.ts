// Copyright 2026 the denomp authors. MIT license.
// Named slots of the ring buffer under every Queue and Pipe. One
// SharedArrayBuffer holds an Int32 header, then `capacity` bytes of frames.
// Only `Atomics.*` touches the header slots, except while the ring lock is
// held (then plain reads and writes of frame bytes are ordered by the lock's
// atomic acquire and release). Private.

/** The ring lock: 0 free, 1 held, 2 held with threads parked on it. */
export const RING_LOCK = 0;
/** Byte offset (in the data area) of the oldest frame. */
export const RING_HEAD = 2;
/** Byte offset (in the data area) where the next frame goes. */
export const RING_TAIL = 3;
/** Bytes in use, padding included; 0 means empty. */
export const RING_USED = 4;
/** Whole messages in the ring (a streamed one counts once, when complete). */
export const RING_ITEMS = 5;
/** Consumers park on this word; bumped when there is something new. */
export const RING_DATA_SEQ = 6;
/** Value of RING_DATA_SEQ at which a consumer last parked. */
export const RING_DATA_PARKED = 7;
/** Producers park on this word; bumped when there is room again. */
export const RING_ROOM_SEQ = 8;
/** Value of RING_ROOM_SEQ at which a producer last parked. */
export const RING_ROOM_PARKED = 9;
/** Largest frame (bytes) a parked producer is waiting to fit. */
export const RING_ROOM_NEED = 10;
/** 1 when a parked producer waits for the item count to drop. */
export const RING_ROOM_ITEMS = 11;
/** 1 once the writing side is closed (Queue.close(), a Pipe end closed). */
export const RING_CLOSED = 12;
/** 1 once the reading side is closed (a Pipe end closed). */
export const RING_READER_CLOSED = 13;
/** Pid of the producer streaming a message larger than the ring, or 0. */
export const RING_STREAM_WRITER_PID = 14;
/** Token of that stream, or 0 when no stream is being written. */
export const RING_STREAM_WRITER_TOKEN = 15;
/** Pid of the consumer reassembling a streamed message, or 0. */
export const RING_STREAM_READER_PID = 16;
/** Token of that consumer's get call, or 0 when none is reassembling. */
export const RING_STREAM_READER_TOKEN = 17;
/** Source of stream and reader tokens. */
export const RING_NEXT_TOKEN = 18;
/** Items put and not yet marked done (JoinableQueue). */
export const RING_UNFINISHED = 19;
/** Capacity of the data area in bytes (a multiple of 8). */
export const RING_CAPACITY = 20;
/** Most items allowed, 0 for no limit. */
export const RING_MAXSIZE = 21;
/** 1 when the ring counts unfinished tasks (JoinableQueue). */
export const RING_JOINABLE = 22;
/** Int32 slots in the header; the data area starts right after. */
export const RING_HEADER_INTS = 24;
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
