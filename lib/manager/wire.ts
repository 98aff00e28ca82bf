// Copyright 2026 the denomp authors. MIT license.
// Client-side wire forms of proxy arguments: dict keys and init pairs.
// Private.

import { describe } from "../_wait.ts";
import { encodeValue } from "./codec.ts";

function isKey(value: unknown, depth: number): boolean {
  switch (typeof value) {
    case "string":
    case "number":
    case "bigint":
    case "boolean":
    case "undefined":
      return true;
    case "object":
      if (value === null || value instanceof Date) return true;
      if (value instanceof Uint8Array) return true;
      return Array.isArray(value) && depth < 100 &&
        value.every((item) => isKey(item, depth + 1));
    default:
      return false;
  }
}

/**
 * A dict key on the wire; a string goes as it is.
 *
 * @throws {TypeError} for a value that is not a dict key.
 */
export function dictKey(value: unknown, what: string): unknown {
  if (typeof value === "string") return value;
  if (!isKey(value, 0)) {
    throw new TypeError(
      `${what}: a key must be a string, number, bigint, boolean, null, undefined, Date, Uint8Array or an array of those, received ${
        describe(value)
      }`,
    );
  }
  return encodeValue(value, what);
}

/**
 * `init`/`update` entries on the wire: `[key, value]` pairs, from a plain
 * object, a Map or pairs. Proxies in values must be of `manager`.
 *
 * @throws {TypeError} for a bad shape, key or value (nothing is sent).
 */
export function pairsFor(
  manager: string | undefined,
  what: string,
  init: unknown,
): unknown[] {
  const pairs: unknown[] = [];
  if (
    init instanceof Map ||
    (typeof init === "object" && init !== null && Symbol.iterator in init)
  ) {
    for (const pair of init as Iterable<unknown>) {
      if (!Array.isArray(pair) || pair.length !== 2) {
        throw new TypeError(`${what}: each entry must be a [key, value] pair`);
      }
      pairs.push([dictKey(pair[0], what), encodeValue(pair[1], what, manager)]);
    }
    return pairs;
  }
  if (typeof init === "object" && init !== null) {
    const proto = Object.getPrototypeOf(init);
    if (proto === Object.prototype || proto === null) {
      const record = init as Record<string, unknown>;
      for (const k of Object.keys(record)) {
        pairs.push([k, encodeValue(record[k], what, manager)]);
      }
      return pairs;
    }
  }
  throw new TypeError(
    `${what}: init must be a plain object, a Map or [key, value] pairs, received ${
      describe(init)
    }`,
  );
}
