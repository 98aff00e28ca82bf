// Copyright 2026 the denomp authors. MIT license.
// The bytes a `sendBytes` takes. Private.
import { describe } from "./_wait.ts";

/**
 * A view of `bytes` (an ArrayBuffer, a SharedArrayBuffer or any view of
 * one), without a copy; a `TypeError` naming `what` for anything else.
 */
export function toBytes(what: string, bytes: unknown): Uint8Array {
  if (bytes instanceof Uint8Array) return bytes;
  if (ArrayBuffer.isView(bytes)) {
    return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  if (bytes instanceof ArrayBuffer || bytes instanceof SharedArrayBuffer) {
    return new Uint8Array(bytes);
  }
  throw new TypeError(
    `${what}: bytes must be an ArrayBuffer or a view of one, received ${
      describe(bytes)
    }`,
  );
}
