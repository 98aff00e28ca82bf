// Copyright 2026 the denomp authors. MIT license.
// The program's start method, as Python keeps its default context: which
// one is chosen, whether it may still be changed, and how a `startMethod`
// option is checked. Kept apart from lib/start_method.ts (which builds the
// contexts out of Process and the pools) so that those classes can read it
// without an import cycle. Private.

import { describe } from "./_wait.ts";

/**
 * How a Process or pool worker is run: `"thread"`, a Web Worker in this OS
 * process (the default), or `"spawn"`, a `deno run` subprocess.
 */
export type StartMethod = "thread" | "spawn";

/** Every start method, the default first (as Python lists its own). */
export const START_METHODS: readonly StartMethod[] = ["thread", "spawn"];

/** The default when none was set. */
const DEFAULT: StartMethod = "thread";

let chosen: StartMethod | null = null;
/** Set once the method was chosen or a Process or pool used the default. */
let fixed = false;

/**
 * Checks a start method given by a caller. `undefined` is allowed only when
 * `optional`.
 *
 * @throws {TypeError} For anything but a supported method's name, with a
 * message that says why `"fork"` and `"forkserver"` are not among them.
 */
export function checkStartMethod(
  what: string,
  value: unknown,
  name = "startMethod",
): StartMethod {
  if (value === "thread" || value === "spawn") return value;
  const supported = START_METHODS.map((m) => JSON.stringify(m)).join(" or ");
  if (value === "fork" || value === "forkserver") {
    throw new TypeError(
      `${what}: ${name} ${
        JSON.stringify(value)
      } is not available: a Deno program cannot fork itself; use ${supported}`,
    );
  }
  if (typeof value !== "string") {
    throw new TypeError(
      `${what}: ${name} must be ${supported}, received ${describe(value)}`,
    );
  }
  throw new TypeError(
    `${what}: ${name} must be ${supported}, received ${JSON.stringify(value)}`,
  );
}

/** The start method in force: the chosen one, else `"thread"`. */
export function currentStartMethod(): StartMethod {
  return chosen ?? DEFAULT;
}

/** The chosen start method, or `null` when none was set. */
export function chosenStartMethod(): StartMethod | null {
  return chosen;
}

/**
 * The start method for a Process or pool: the option when given, else the
 * program's, which is then fixed (as Python fixes its default context on
 * first use).
 */
export function resolveStartMethod(
  what: string,
  option: unknown,
): StartMethod {
  if (option !== undefined) return checkStartMethod(what, option);
  fixed = true;
  return currentStartMethod();
}

/**
 * Sets the program's start method (`null` with `force` forgets it).
 *
 * @throws {Error} When it is already fixed and `force` is false.
 */
export function chooseStartMethod(
  what: string,
  method: StartMethod | null,
  force: boolean,
): void {
  if (fixed && !force) {
    throw new Error(
      `${what}: the start method is already ${
        chosen === null ? "in use" : `set to ${JSON.stringify(chosen)}`
      }; pass { force: true } to change it`,
    );
  }
  chosen = method;
  fixed = method !== null;
}

/**
 * Adopts the parent's start method inside a Process or pool worker, as
 * Python's spawn passes it to the child.
 */
export function inheritStartMethod(method: StartMethod | null): void {
  chosen = method;
  fixed = method !== null;
}
