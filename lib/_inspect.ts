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

/** Names of the signals a process may end by (Linux numbering). */
const SIGNALS: Readonly<Record<number, string>> = {
  1: "SIGHUP",
  2: "SIGINT",
  3: "SIGQUIT",
  4: "SIGILL",
  5: "SIGTRAP",
  6: "SIGABRT",
  7: "SIGBUS",
  8: "SIGFPE",
  9: "SIGKILL",
  10: "SIGUSR1",
  11: "SIGSEGV",
  12: "SIGUSR2",
  13: "SIGPIPE",
  14: "SIGALRM",
  15: "SIGTERM",
};

/**
 * The signal an exit code stands for (`-15` is `"SIGTERM"`), as Python's
 * Process repr names it; `null` for a code that is not `-N`.
 */
export function signalName(exitcode: number | null): string | null {
  if (exitcode === null || exitcode >= 0) return null;
  return SIGNALS[-exitcode] ?? `SIG${-exitcode}`;
}
