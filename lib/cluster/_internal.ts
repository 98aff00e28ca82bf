// Copyright 2026 the denomp authors. MIT license.
// Internals of the cluster the repository's own tests and benches reach
// into, from the same copy as the package (see lib/_internal.ts): they
// import dist/lib/cluster/_internal.js. Not part of the published package.
// Private.

export { asBuffer, Redis } from "./redis.ts";
export { seal } from "./wire.ts";
export {
  closeRedis,
  connectRedis,
  DISCONNECT_TIMEOUT,
  duplicateRedis,
} from "./redis.ts";
export { decodeResult, encodeTask, packItem, unseal } from "./wire.ts";
