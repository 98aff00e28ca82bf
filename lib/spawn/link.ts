// Copyright 2026 the denomp authors. MIT license.
// The parent's side of one spawned child: start it, send it messages on its
// stdin, take its messages out of its stderr (copying its own error output
// to ours), and learn how it ended. Used by the spawn pool transport (on the
// main thread) and by the broker that owns spawned Processes. Private.

import { decode } from "../channel/codec.ts";
import { type ByteLink, FrameWriter } from "../net/frame.ts";
import { encodeScratch } from "../channel/codec.ts";
import { type ChildCommandLine, spawnDeno } from "./launch.ts";
import { unwatchChild, watchChild } from "./reaper.ts";
import { StderrDemux, writeAllStderr } from "./wire.ts";

/** How a child's link reports. */
export interface ChildLinkEvents {
  /** A message from the child, decoded. */
  message(message: unknown): void;
  /**
   * The child has exited and every message it sent was delivered. `code` is
   * its exit code, `-N` when a signal N ended it; `tail` is the end of its
   * own stderr output.
   */
  exit(code: number, tail: string): void;
}

/** Grace period before a child that was asked to end is killed. */
const STOP_GRACE_MS = 2000;

/**
 * How long a child's stderr is still read after it exited: a grandchild
 * that inherited the pipe keeps it open, and must not keep the child
 * "alive".
 */
const EXIT_DRAIN_MS = 150;

/** One spawned child, seen from its parent. */
export class ChildLink {
  /** The child's OS pid. */
  readonly pid: number;
  /** Settles once the child has exited and its stderr is drained. */
  readonly exited: Promise<void>;
  #child: Deno.ChildProcess;
  #writer: WritableStreamDefaultWriter<Uint8Array>;
  #frames: FrameWriter;
  #closed = false;
  #gone = false;
  #ref = true;
  #killTimer: ReturnType<typeof setTimeout> | undefined;

  /**
   * Starts the child.
   *
   * @throws {Deno.errors.NotCapable} Without run permission for Deno.
   */
  constructor(
    command: ChildCommandLine,
    events: ChildLinkEvents,
  ) {
    const child = spawnDeno({ ...command, stdout: "inherit", stderr: "piped" });
    this.#child = child;
    this.pid = child.pid;
    watchChild(child.pid);
    this.#writer = child.stdin.getWriter();
    const writer = this.#writer;
    const link: ByteLink = {
      read: () => Promise.resolve(null),
      write: async (p) => {
        await writer.write(p);
        return p.length;
      },
      close: () => {},
    };
    // A failed write means the child is gone: its exit says the rest.
    this.#frames = new FrameWriter(link, () => {});
    const demux = new StderrDemux(
      (bytes) => events.message(decode(bytes)),
      copyToStderr,
    );
    const reader = child.stderr.getReader();
    const drained = (async () => {
      try {
        while (true) {
          const { done, value } = await reader.read();
          if (done) break;
          demux.push(value);
        }
      } catch {
        // The pipe broke, or was cancelled after the child's exit.
      }
      demux.end();
    })();
    this.exited = (async () => {
      const status = await child.status;
      // The child's messages are in the pipe already; a grandchild it left
      // behind may hold the pipe open for long, so it is drained only for a
      // short while before its exit is reported.
      await drainWithin(drained, reader, EXIT_DRAIN_MS, this.#ref);
      this.#gone = true;
      if (this.#killTimer !== undefined) clearTimeout(this.#killTimer);
      this.#closeStdin();
      const unwatched = unwatchChild(child.pid);
      try {
        events.exit(exitCode(status), demux.tail);
      } catch {
        // A listener's failure must not become an unhandled rejection.
      }
      // A pool that waits for its workers to go waits for the reaper too.
      await unwatched;
    })();
  }

  /**
   * Sends a message.
   *
   * @throws {TypeError} When it holds a value the codec cannot carry
   * (nothing was sent).
   */
  send(message: unknown, what: string): void {
    if (this.#closed) return;
    // The writer copies the encoding at once: the scratch buffer will do.
    this.#frames.sendBytes(encodeScratch(message, what));
  }

  /** Sends an already encoded message (see `stdinMessage`). */
  sendEncoded(message: Uint8Array): void {
    if (!this.#closed) this.#frames.sendBytes(message);
  }

  /**
   * Ends the child: gracefully (its stdin is closed and it exits), or with a
   * signal. A child that is still there after a grace period is killed.
   */
  stop(signal: Deno.Signal | null): Promise<void> {
    if (!this.#gone) {
      if (signal !== null) this.kill(signal);
      this.#closeStdin();
      if (signal !== "SIGKILL" && this.#killTimer === undefined) {
        this.#killTimer = setTimeout(() => this.kill("SIGKILL"), STOP_GRACE_MS);
      }
      // Waiting for a child that is being stopped must keep the program up.
      this.ref(true);
    }
    return this.exited;
  }

  /** Sends the child a signal, unless it is already gone. */
  kill(signal: Deno.Signal): void {
    if (this.#gone) return;
    try {
      this.#child.kill(signal);
    } catch {
      // It exited meanwhile.
    }
  }

  /** Whether the child keeps this program alive. */
  ref(keepAlive: boolean): void {
    if (this.#ref === keepAlive) return;
    this.#ref = keepAlive;
    if (keepAlive) this.#child.ref();
    else this.#child.unref();
  }

  #closeStdin(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#writer.close().catch(() => {});
  }
}

/**
 * Waits for `drained` (the stderr reader's end) at most `ms`, then cancels
 * the reader so that it ends. `keepAlive: false` lets the program exit
 * meanwhile.
 */
async function drainWithin(
  drained: Promise<void>,
  reader: ReadableStreamDefaultReader<Uint8Array>,
  ms: number,
  keepAlive: boolean,
): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
    // An unref'd child's end does not keep the program up either.
    if (!keepAlive) Deno.unrefTimer(timer);
  });
  const finished = await Promise.race([drained.then(() => true), late]);
  clearTimeout(timer);
  if (finished !== true) {
    reader.cancel().catch(() => {});
    await drained;
  }
}

/** A child's exit status as an exit code: `-N` for signal N. */
export function exitCode(status: Deno.CommandStatus): number {
  if (status.signal === null) return status.code;
  // Deno reports 128 + N for a child ended by signal N.
  return status.code > 128 ? -(status.code - 128) : -1;
}

function copyToStderr(bytes: Uint8Array): void {
  try {
    writeAllStderr(bytes);
  } catch {
    // Our own stderr is closed: nowhere to copy to.
  }
}
