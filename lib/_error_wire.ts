// Copyright 2026 the denomp authors. MIT license.
// How errors cross a worker or socket boundary. Private.
import { RemoteError, type SerializedError } from "./errors.ts";

/** Turns anything thrown into its serialized form. */
export function serializeError(error: unknown): SerializedError {
  if (error instanceof Error) {
    const out: SerializedError = {
      name: error.name,
      message: error.message,
    };
    if (error.stack !== undefined) out.stack = error.stack;
    return out;
  }
  return { name: "Error", message: String(error) };
}

const BUILT_IN_ERRORS: Record<string, ErrorConstructor> = {
  Error,
  TypeError,
  RangeError,
  SyntaxError,
  ReferenceError,
  EvalError,
  URIError,
};

/**
 * The built-in error class named `name` (`"TypeError"`, ...), or `undefined`
 * for any other name (an own-property lookup: `"constructor"` is no class).
 */
export function builtInErrorClass(name: string): ErrorConstructor | undefined {
  return Object.hasOwn(BUILT_IN_ERRORS, name)
    ? BUILT_IN_ERRORS[name]
    : undefined;
}

/**
 * Rebuilds a serialized error: a built-in class (`TypeError`, ...) comes back
 * as that class, with the remote stack; anything else as a `RemoteError`.
 */
export function deserializeError(error: SerializedError): Error {
  const Ctor = builtInErrorClass(error.name);
  if (Ctor) {
    const rebuilt = new Ctor(error.message, {
      cause: RemoteError.from(error),
    });
    if (error.stack) rebuilt.stack = error.stack;
    return rebuilt;
  }
  return RemoteError.from(error);
}
