// Copyright 2026 the denomp authors. MIT license.
// The reaper: a tiny `deno run` subprocess that kills this program's
// spawned children when this program dies. A child exits by itself at end
// of file on its stdin, but only when it next reads it: a child busy in
// synchronous code would go on running, orphaned. The reaper is told each
// child's pid as it starts and ends; at end of file on its own stdin (this
// program is gone, even by SIGKILL) it sends SIGKILL to those still
// registered, then exits. It runs only while children do, one per thread
// that starts children (the pool's on the main thread, the Process broker).
// It is the toolkit's own code and gets --allow-run, which `Deno.kill`
// needs in full (a program that may run Deno, as spawn requires, may run
// anything through it anyway).
// Private; the reaper's own side is entered from workers/spawn_reaper.ts.

import { spawnDeno } from "./launch.ts";
import { entryUrl } from "../_entries.ts";
import { readStdin } from "./wire.ts";

const REAPER_URL = entryUrl("workers/spawn_reaper");
const encoder = new TextEncoder();

let reaper: {
  child: Deno.ChildProcess;
  writer: WritableStreamDefaultWriter<Uint8Array>;
} | null = null;
const pids = new Set<number>();
let persistent = false;

/**
 * Keeps the reaper running between children (on a thread whose resources
 * no test sanitizer sees, and which starts children often: the Process
 * broker), instead of letting it go when the last child ends.
 */
export function keepReaper(): void {
  persistent = true;
}

/** Registers a spawned child, starting the reaper if need be. */
export function watchChild(pid: number): void {
  if (reaper === null) {
    try {
      const child = spawnDeno({
        entry: REAPER_URL.href,
        flags: ["--allow-run"],
        stdout: "null",
        stderr: "inherit",
      });
      // The reaper never keeps this program alive.
      child.unref();
      reaper = { child, writer: child.stdin.getWriter() };
    } catch {
      return; // No reaper: children still exit at end of file on stdin.
    }
  }
  pids.add(pid);
  write(`+${pid}\n`);
}

/**
 * Forgets a child that has exited. When it was the last, the reaper is let
 * go; the promise settles once it has exited.
 */
export function unwatchChild(pid: number): Promise<void> {
  if (!pids.delete(pid) || reaper === null) return Promise.resolve();
  write(`-${pid}\n`);
  if (pids.size > 0 || persistent) return Promise.resolve();
  const { child, writer } = reaper;
  reaper = null;
  writer.close().catch(() => {});
  // Waiting for it must keep the program up (it was unref'd).
  child.ref();
  return child.status.then(() => {}, () => {});
}

function write(line: string): void {
  reaper?.writer.write(encoder.encode(line)).catch(() => {});
}

/** The reaper's own side: follow the registrations, kill at end of file. */
export async function runReaper(): Promise<void> {
  const live = new Set<number>();
  const decoder = new TextDecoder();
  let text = "";
  await readStdin((bytes) => {
    text += decoder.decode(bytes, { stream: true });
    let end: number;
    while ((end = text.indexOf("\n")) >= 0) {
      const line = text.slice(0, end);
      text = text.slice(end + 1);
      const pid = Number(line.slice(1));
      if (!Number.isInteger(pid) || pid <= 0) continue;
      if (line[0] === "+") live.add(pid);
      else live.delete(pid);
    }
  });
  for (const pid of live) {
    try {
      Deno.kill(pid, "SIGKILL");
    } catch {
      // Already gone.
    }
  }
  Deno.exit(0);
}
