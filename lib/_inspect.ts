// Copyright 2026 the denomp authors. MIT license.
// What the toolkit's `Deno.customInspect` methods share: the arguments Deno
// passes them, and how a task's outcome (a result or an error) is shown in
// a one-line description. Private.

/** Deno's inspect function, as `Deno.customInspect` receives it. */
export type InspectFn = (
  value: unknown,
  options?: Deno.InspectOptions,
) => string;

/**
 * Shows a result through Deno's inspect (with the options Deno passed, so
 * depth and colours follow the enclosing `console.log`), and an error as
 * `Name: message` (its stack would drown the line).
 */
export function inspectOutcome(
  value: unknown,
  inspect: InspectFn | undefined,
  options: Deno.InspectOptions | undefined,
): string {
  if (value instanceof Error) return `${value.name}: ${value.message}`;
  return inspect !== undefined && options !== undefined
    ? inspect(value, options)
    : Deno.inspect(value);
}
