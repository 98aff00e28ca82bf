// Copyright 2026 the denomp authors. MIT license.
// What the main thread and the broker of spawned Processes say to each
// other. The broker is a Web Worker that owns every spawned Process's
// subprocess: it starts it, relays its messages, and writes how it ended
// into the Process's status word in shared memory, so that join(),
// joinSync(), isAlive() and exitcode read shared memory as in thread mode,
// even while the main thread is blocked in joinSync(). Private.

import type { SerializedError } from "../errors.ts";
import type { ChildCommandLine } from "../spawn/launch.ts";

/** What the main thread asks. */
export type BrokerRequest =
  | {
    t: "spawn";
    id: number;
    /** `deno run` flags, entry and arguments. */
    command: ChildCommandLine;
    /** The child's first stdin message (its start message, encoded). */
    frame: Uint8Array;
    /** The Process's status word. */
    status: SharedArrayBuffer;
  }
  | { t: "kill"; id: number; signal: Deno.Signal };

/** What the broker reports. */
export type BrokerEvent =
  | { t: "started"; id: number }
  | { t: "failed"; id: number; error: SerializedError }
  | { t: "exited"; id: number };
