// Copyright 2026 the denomp authors. MIT license.
// How a function crosses into a worker: by reference, as Python pickles a
// target by `module.qualname`. The parent sends `{ module URL, export name }`
// plus the function's source text, which the worker compares with the export
// it finds (never evaluates) so that a function that is not exported under
// that name is refused instead of silently running a different one. Private.

import { programMain } from "./_context.ts";

/** A function reference that can cross into a worker. */
export interface TargetRef {
  /** URL of the module that exports the function. */
  module: string;
  /** The export's name. */
  name: string;
  /** The function's source text, for the identity check; `null` for names. */
  source: string | null;
}

/**
 * Resolves which module a target lives in: the option, else the program's
 * main module (also inside a Process or pool worker).
 */
export function targetModule(
  what: string,
  module: string | URL | undefined,
): string {
  if (module === undefined) return programMain();
  if (module instanceof URL) return module.href;
  if (typeof module === "string") {
    try {
      return new URL(module).href;
    } catch {
      throw new TypeError(
        `${what}: module must be a URL such as import.meta.url, received ${
          JSON.stringify(module)
        }`,
      );
    }
  }
  throw new TypeError(
    `${what}: module must be a URL or a string, received ${typeof module}`,
  );
}

/**
 * Turns a target (an exported function, or the name of an export) into a
 * reference. Checks only what can be checked without importing: that it is
 * a named function or a non-empty string.
 */
export function targetRef(
  what: string,
  target: unknown,
  module: string | URL | undefined,
): TargetRef {
  const url = targetModule(what, module);
  if (typeof target === "string") {
    if (target === "") {
      throw new TypeError(`${what}: target must not be an empty string`);
    }
    return { module: url, name: target, source: null };
  }
  if (typeof target !== "function") {
    throw new TypeError(
      `${what}: target must be an exported function or its name, received ${
        target === null ? "null" : typeof target
      }`,
    );
  }
  if (target.name === "") {
    throw new TypeError(
      `${what}: target is an anonymous function; export it from ${url} under a name, or pass module`,
    );
  }
  return {
    module: url,
    name: target.name,
    source: Function.prototype.toString.call(target),
  };
}

/**
 * In the worker: imports the module and finds the export. Throws a
 * `TypeError` that names the module and says what to do when it is not there.
 */
export async function loadTarget(
  what: string,
  ref: TargetRef,
): Promise<(...args: unknown[]) => unknown> {
  const namespace = await import(ref.module) as Record<string, unknown>;
  let found = Object.hasOwn(namespace, ref.name)
    ? namespace[ref.name]
    : undefined;
  if (ref.source !== null && !sameSource(found, ref.source)) {
    // Exported under another name (`export { f as g }`)?
    found = Object.values(namespace).find((v) => sameSource(v, ref.source!));
  }
  if (typeof found !== "function") {
    throw new TypeError(
      `${what}: function ${ref.name} is not exported by ${ref.module}; export it from that module, or pass module: import.meta.url from the module that exports it`,
    );
  }
  return found as (...args: unknown[]) => unknown;
}

function sameSource(value: unknown, source: string): boolean {
  return typeof value === "function" &&
    Function.prototype.toString.call(value) === source;
}
