// Copyright 2026 the denomp authors. MIT license.
// What runs inside a spawned child (a Process or a pool worker started with
// the spawn start method): learn who it is from the command line before the
// target's module is evaluated, then read the parent's messages from stdin
// and run the same runner a Web Worker runs (lib/process/child.ts,
// lib/pool/child.ts) over ports that write to stderr (see wire.ts).
//
// The child exits when its parent is gone: at end of file on stdin (the
// parent exited, even by SIGKILL); when it is busy in synchronous code and
// so cannot read stdin, the parent's reaper kills it (reaper.ts). Private;
// entered from workers/spawn_child.ts.

import { installChildContext, setBootstrapping } from "../_context.ts";
import { decode, encodeScratch } from "../channel/codec.ts";
import { FrameReader } from "../net/frame.ts";
import { runPoolChild } from "../pool/child.ts";
import type { ParentMessage, WorkerMessage } from "../pool/wire.ts";
import { runProcess } from "../process/child.ts";
import type { ChildMessage, StartMessage } from "../process/wire.ts";
import {
  readStdin,
  setInheritedConfig,
  type SpawnBoot,
  writeMessage,
} from "./wire.ts";

let boot: SpawnBoot | null = null;
let realExit: (code?: number) => never = Deno.exit;

/**
 * Sets the child up from its command line: called while its entry module
 * is evaluated, before the target's module is.
 */
export function bootSpawnChild(): void {
  boot = JSON.parse(Deno.args[0]!) as SpawnBoot;
  // The target sees its parent's arguments, as Python's spawn shows the
  // parent's sys.argv.
  Object.defineProperty(Deno, "args", {
    value: Object.freeze(Deno.args.slice(1)),
    configurable: true,
    enumerable: true,
  });
  installChildContext({ name: boot.name, pid: Deno.pid }, boot.parent, boot);
  setInheritedConfig(boot.config);
  realExit = Deno.exit;
  // The modules of the entry are evaluated next, up to startSpawnChild().
  setBootstrapping(true);
}

/**
 * Starts the child's work once every module of its entry is loaded (a
 * failure before this is reported by Deno on stderr and is the parent's
 * sign that the child could not start).
 */
export function startSpawnChild(): void {
  setBootstrapping(false);
  const role = boot!.role;
  let deliver: (message: unknown) => void;
  if (role === "pool") {
    deliver = runPoolChild({
      post: (message: WorkerMessage) => send(message),
      sendable: (values) => encodable(values),
      exit: (code) => realExit(code),
    }) as (message: unknown) => void;
  } else {
    let started = false;
    deliver = (message) => {
      if (started) return;
      started = true;
      void runProcess(message as StartMessage, boot!.name, {
        post: (m: ChildMessage) => send(m),
        // The parent learns the end from the exit message and the OS.
        end: () => true,
        close: (code) => realExit(code),
      });
    };
  }
  void readMessages(deliver);
}

/** Writes a message to the parent; a parent that is gone ends the child. */
function send(message: unknown): void {
  try {
    writeMessage(message, "Cannot send to the parent");
  } catch (error) {
    if (error instanceof TypeError) throw error;
    realExit(1);
  }
}

function encodable(values: unknown[]): boolean {
  try {
    encodeScratch(values, "Cannot send result");
    return true;
  } catch {
    return false;
  }
}

async function readMessages(
  deliver: (message: unknown) => void,
): Promise<void> {
  const frames = new FrameReader(0xffffffff);
  await readStdin((bytes) => {
    frames.push(bytes);
    let frame: Uint8Array | null;
    while ((frame = frames.next()) !== null) {
      deliver(decode(frame) as ParentMessage | StartMessage);
    }
  });
  // End of file: the parent closed the pipe, exited or was killed.
  realExit(0);
}
