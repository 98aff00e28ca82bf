// Copyright 2026 the denomp authors. MIT license.
// Internals the repository's own tests and benches reach into, taken from
// the same copy of the toolkit as the package: they import
// dist/lib/_internal.js (generated from this module by .ci/build.ts), whose
// types come from here. A test that imported lib/ directly next to the
// package would load a second copy of the toolkit, with a second process
// table and registry. Not part of the published package. Private.

export { CLIENT_PROOF, importHmacKey, prove } from "./_auth.ts";
export { assertLive, isPidAlive } from "./_context.ts";
export { SHARE } from "./_registry.ts";
export { park } from "./_wait.ts";
export { decode, encode, encodeScratch } from "./channel/codec.ts";
export {
  RING_LOCK_OWNER,
  RING_PLOCK,
  RING_STREAM_READER_TOKEN,
} from "./channel/queue_layout.ts";
export { partsOf } from "./channel/queue_parts.ts";
export {
  INVALID_PARAMS,
  INVALID_REQUEST,
  LIMIT_EXCEEDED,
  METHOD_NOT_FOUND,
  PARSE_ERROR,
  PROTOCOL,
  UNKNOWN_OBJECT,
  USER_ERROR,
} from "./manager/rpc.ts";
export { refOf } from "./manager/client.ts";
export { encodeFrame, FrameReader, fromBase64, toBase64 } from "./net/frame.ts";
export { answerHandshake } from "./net/handshake.ts";
export { arenaStats } from "./shm/arena.ts";
export {
  LOCK_HEIR,
  LOCK_OWNER,
  LOCK_STATE,
  LOCK_WAITERS,
} from "./sync/lock_layout.ts";
