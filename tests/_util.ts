// Copyright 2026 the denomp authors. MIT license.
// Helpers shared by the tests: Int32 flags in shared memory, and waits on
// them that never sleep and never block the event loop.

import { Process } from "@denomp/multiprocessing";
import { park } from "../dist/lib/_internal.js";

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

/**
 * Waits until `ints[index]` is no longer 0, for at most `ms` milliseconds
 * (parking between changes); returns whether it was set. Only a fail-safe for
 * tests whose failure mode is a thread that never answers: the test fails
 * instead of hanging, and nothing is timed.
 */
export async function untilSetWithin(
  ints: Int32Array,
  index: number,
  ms: number,
): Promise<boolean> {
  const deadline = performance.now() + ms;
  while (Atomics.load(ints, index) === 0) {
    const left = deadline - performance.now();
    if (left <= 0) return false;
    await park(ints, index, 0, { timeout: Math.min(50, left) });
  }
  return true;
}

/**
 * Starts a Process running `writeUntilStopped(target, how, flags)` (a busy
 * loop Deno cannot stop: tests/fixtures/shared_targets.ts), terminates it
 * once it is writing, and waits (at most 20 s, as a fail-safe) for the loop
 * to report how it ended. Returns that report (flags[1]) and the Process.
 */
export async function terminateStuckWriter(
  target: unknown,
  how: "value" | "set" | "view",
): Promise<{ outcome: number; process: Process }> {
  const module = new URL("./fixtures/shared_targets.ts", import.meta.url);
  const flags = sharedInts(3);
  const p = new Process({
    target: "writeUntilStopped",
    args: [target, how, flags],
    module,
  });
  try {
    await p.start();
    await untilSet(flags, 0);
    p.terminate();
    if (!await untilSetWithin(flags, 1, 20_000)) {
      throw new Error(`the terminated writer (${how}) never stopped`);
    }
    return { outcome: Atomics.load(flags, 1), process: p };
  } finally {
    Atomics.store(flags, 2, 1); // the fail-safe: let a stuck loop go
    if (p.isAlive()) p.terminate();
  }
}

/** Sets `ints[0]` to 1 and wakes its waiters: lets a blocked task go. */
export function release(ints: Int32Array): void {
  Atomics.store(ints, 0, 1);
  Atomics.notify(ints, 0);
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

/** Sets `ints[index]` to 1 and wakes its waiters (a one-shot flag). */
export function signal(ints: Int32Array, index: number): void {
  Atomics.store(ints, index, 1);
  Atomics.notify(ints, index);
}

/** Waits until the flag `ints[index]` is set (from a worker, too). */
export function waitFlag(ints: Int32Array, index: number): Promise<void> {
  return untilSet(ints, index);
}
