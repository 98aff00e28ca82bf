// Copyright 2026 the denomp authors. MIT license.
// Helpers shared by the tests: Int32 flags in shared memory, and waits on
// them that never sleep and never block the event loop.

import { park } from "../lib/_wait.ts";

/** `n` Int32 slots in a new SharedArrayBuffer, all 0. */
export function sharedInts(n = 4): Int32Array {
  return new Int32Array(new SharedArrayBuffer(n * 4));
}

/** Waits until `done(ints[index])` holds, parking between changes. */
export async function waitUntil(
  ints: Int32Array,
  index: number,
  done: (now: number) => boolean,
): Promise<void> {
  while (true) {
    const now = Atomics.load(ints, index);
    if (done(now)) return;
    await park(ints, index, now, { timeout: 50 });
  }
}

/** Waits until `ints[index] === value`. */
export function untilEqual(
  ints: Int32Array,
  index: number,
  value: number,
): Promise<void> {
  return waitUntil(ints, index, (now) => now === value);
}

/** Waits until `ints[index] >= value`. */
export function untilAtLeast(
  ints: Int32Array,
  index: number,
  value: number,
): Promise<void> {
  return waitUntil(ints, index, (now) => now >= value);
}

/** Waits until `ints[index]` is no longer 0. */
export function untilSet(ints: Int32Array, index: number): Promise<void> {
  return waitUntil(ints, index, (now) => now !== 0);
}

/** Whether an OS process with this pid exists (signal 0 checks only). */
export function osPidAlive(pid: number): boolean {
  try {
    Deno.kill(pid, 0 as unknown as Deno.Signal);
    return true;
  } catch {
    return false;
  }
}

/**
 * Waits until none of these OS processes exists: a bounded poll on their
 * liveness (another OS process cannot be waited on), failing after
 * `limitMs`.
 */
export async function untilOsPidsGone(
  pids: number[],
  limitMs = 20_000,
): Promise<void> {
  const deadline = performance.now() + limitMs;
  while (pids.some(osPidAlive)) {
    if (performance.now() > deadline) {
      throw new Error(
        `OS processes still alive after ${limitMs} ms: ${
          pids.filter(osPidAlive).join(", ")
        }`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Runs a fixture program with `deno run`, returning its code and output. */
export async function runFixture(
  file: string,
  flags: string[],
  args: string[] = [],
): Promise<{ code: number; stdout: string; stderr: string }> {
  const output = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--no-prompt",
      ...flags,
      new URL(`./fixtures/${file}`, import.meta.url).href,
      ...args,
    ],
    stdout: "piped",
    stderr: "piped",
    // A program that hangs fails its test instead of hanging it.
    signal: AbortSignal.timeout(60_000),
  }).output();
  const decoder = new TextDecoder();
  return {
    code: output.code,
    stdout: decoder.decode(output.stdout),
    stderr: decoder.decode(output.stderr),
  };
}
