// Copyright 2026 the denomp authors. MIT license.
// What `deno task demo` (examples/run_all.ts) and tests/examples_test.ts
// share: the examples to run, and how to run one.

const here = new URL("./", import.meta.url);

/** Each example's file name, sorted: every .ts here but this and run_all. */
export async function exampleNames(): Promise<string[]> {
  const names: string[] = [];
  for await (const entry of Deno.readDir(here)) {
    if (
      entry.isFile && entry.name.endsWith(".ts") &&
      entry.name !== "run_all.ts" && !entry.name.startsWith("_")
    ) names.push(entry.name);
  }
  return names.sort();
}

/** The permissions the demo gives every example. */
export const DEMO_FLAGS = [
  "--allow-read=.",
  "--allow-write=.",
  "--allow-run",
  "--allow-env",
  "--allow-net=127.0.0.1",
  "--unstable-worker-options",
];

/** How long an example may run before it counts as hung (ms). */
export const EXAMPLE_TIMEOUT_MS = 120_000;

/**
 * Runs one example in its own `deno run` from the project root; an example
 * still running after {@linkcode EXAMPLE_TIMEOUT_MS} is killed and fails.
 */
export async function runExample(
  name: string,
  output: "inherit" | "piped",
): Promise<{ code: number; timedOut: boolean; text: string }> {
  const signal = AbortSignal.timeout(EXAMPLE_TIMEOUT_MS);
  const result = await new Deno.Command(Deno.execPath(), {
    args: ["run", ...DEMO_FLAGS, `examples/${name}`],
    cwd: new URL("..", here),
    stdout: output,
    stderr: output,
    signal,
  }).output();
  const decoder = new TextDecoder();
  const text = output === "piped"
    ? decoder.decode(result.stdout) + decoder.decode(result.stderr)
    : "";
  return { code: result.code, timedOut: signal.aborted, text };
}
