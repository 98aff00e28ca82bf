// @ts-self-types="../../lib/_internal.ts"
// lib/_internal.ts
import { $0_0 as CLIENT_PROOF, $0_1 as importHmacKey, $0_2 as prove } from "../toolkit.js";
import { $0_3 as assertLive, $0_4 as isPidAlive } from "../toolkit.js";
import { $0_5 as SHARE } from "../toolkit.js";
import { $0_6 as park } from "../toolkit.js";
import { $0_7 as decode, $0_8 as encode, $0_9 as encodeScratch } from "../toolkit.js";
import { $0_10 as RING_LOCK_OWNER, $0_11 as RING_PLOCK, $0_12 as RING_STREAM_READER_TOKEN } from "../toolkit.js";
import { $0_13 as partsOf } from "../toolkit.js";
import { $0_14 as INVALID_PARAMS, $0_15 as INVALID_REQUEST, $0_16 as LIMIT_EXCEEDED, $0_17 as METHOD_NOT_FOUND, $0_18 as PARSE_ERROR, $0_19 as PROTOCOL, $0_20 as UNKNOWN_OBJECT, $0_21 as USER_ERROR } from "../toolkit.js";
import { $0_22 as refOf } from "../toolkit.js";
import { $0_23 as encodeFrame, $0_24 as FrameReader, $0_25 as fromBase64, $0_26 as toBase64 } from "../toolkit.js";
import { $0_27 as answerHandshake } from "../toolkit.js";
import { $0_28 as arenaStats } from "../toolkit.js";
import { $0_29 as LOCK_HEIR, $0_30 as LOCK_OWNER, $0_31 as LOCK_STATE, $0_32 as LOCK_WAITERS } from "../toolkit.js";
export {
  CLIENT_PROOF,
  FrameReader,
  INVALID_PARAMS,
  INVALID_REQUEST,
  LIMIT_EXCEEDED,
  LOCK_HEIR,
  LOCK_OWNER,
  LOCK_STATE,
  LOCK_WAITERS,
  METHOD_NOT_FOUND,
  PARSE_ERROR,
  PROTOCOL,
  RING_LOCK_OWNER,
  RING_PLOCK,
  RING_STREAM_READER_TOKEN,
  SHARE,
  UNKNOWN_OBJECT,
  USER_ERROR,
  answerHandshake,
  arenaStats,
  assertLive,
  decode,
  encode,
  encodeFrame,
  encodeScratch,
  fromBase64,
  importHmacKey,
  isPidAlive,
  park,
  partsOf,
  prove,
  refOf,
  toBase64
};
//# sourceMappingURL=_internal.js.map
