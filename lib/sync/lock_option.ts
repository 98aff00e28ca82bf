// Copyright 2026 the denomp authors. MIT license.
// The `lock` option of Value and SharedArray. Private.

import { Lock } from "../lock.ts";
import { RLock } from "../rlock.ts";
import { describe } from "../_wait.ts";

/**
 * Checks the options of a Value or SharedArray without allocating anything:
 * returns `true` (make an RLock), `false` (no lock) or the lock given.
 */
export function checkLockOption(
  what: string,
  options: unknown,
): boolean | Lock | RLock {
  if (options === undefined) return true;
  if (typeof options !== "object" || options === null) {
    throw new TypeError(
      `${what}: options must be an object, received ${describe(options)}`,
    );
  }
  const { lock = true } = options as { lock?: unknown };
  if (typeof lock === "boolean") return lock;
  if (lock instanceof Lock || lock instanceof RLock) return lock;
  throw new TypeError(
    `${what}: lock must be a boolean, a Lock or an RLock, received ${
      describe(lock)
    }`,
  );
}

/** Turns a checked option into the lock to use. */
export function makeLock(choice: boolean | Lock | RLock): Lock | RLock | null {
  if (choice === true) return new RLock();
  if (choice === false) return null;
  return choice;
}
