// Copyright 2026 the denomp authors. MIT license.
// The spawn start method's transport: each pool worker is a `deno run`
// subprocess of Deno's own binary (lib/spawn/), batches travel as frames on
// its stdin and answers come back on its stderr, values by copy through the
// toolkit codec. A busy worker is stopped for real (SIGKILL for a timeout,
// SIGTERM for terminate()); a worker that dies is reported once every
// message it sent has been read. Private.

import { encodeShared, type SharedDescriptor } from "../_registry.ts";
import { checkEncodable } from "../channel/codec.ts";
import type { WorkerPermissions } from "../_workers.ts";
import {
  assertMaySpawn,
  childCommand,
  type ChildCommandLine,
} from "../spawn/launch.ts";
import { ChildLink } from "../spawn/link.ts";
import {
  mergeNeeded,
  neededFor,
  type NeededGrants,
} from "../_permission_flags.ts";
import type {
  EncodedValue,
  Transport,
  WorkerEvents,
  WorkerLink,
  WorkerSpec,
} from "./transport.ts";
import type { InitMessage, RunMessage, WorkerMessage } from "./wire.ts";

/** Options of the spawn transport. */
export interface SpawnTransportOptions {
  /** The module the tasks come from. */
  module: string;
  permissions: WorkerPermissions | undefined;
  /** V8's heap limit for each worker, in MiB. */
  maxHeapMb: number | undefined;
}

/** Pool workers as `deno run` subprocesses. */
export class SpawnTransport implements Transport {
  readonly name = "spawn";
  readonly packs = true;
  #options: SpawnTransportOptions;
  /** What the values sent so far need (a Manager's socket), for new workers. */
  #needed: NeededGrants = {};
  /** Modules of the shared kinds sent so far, loaded by new workers. */
  #modules = new Set<string>();

  constructor(options: SpawnTransportOptions) {
    this.#options = options;
  }

  encode(value: unknown, what: string, path: string): EncodedValue {
    const encoded = encodeShared(value, what, path, { copy: true });
    checkEncodable(encoded.value, what, path);
    if (encoded.descriptors.length > 0) this.#adopt(encoded.descriptors);
    return { value: encoded.value, shared: encoded.shared };
  }

  #adopt(descriptors: SharedDescriptor[]): void {
    this.#needed = mergeNeeded(this.#needed, neededFor(descriptors));
    for (const { module } of descriptors) this.#modules.add(module);
  }

  start(spec: WorkerSpec, events: WorkerEvents): WorkerLink {
    const what = "Cannot start pool worker";
    assertMaySpawn(what);
    const command = childCommand(what, {
      role: "pool",
      name: spec.name,
      modules: [this.#options.module, ...this.#modules],
      permissions: this.#options.permissions,
      needed: this.#needed,
      maxHeapMb: this.#options.maxHeapMb,
    });
    return new SpawnLink(command, spec, events);
  }
}

class SpawnLink implements WorkerLink {
  readonly pid: number;
  #link: ChildLink;
  #stopped = false;

  constructor(
    command: ChildCommandLine,
    spec: WorkerSpec,
    events: WorkerEvents,
  ) {
    this.#link = new ChildLink(command, {
      message: (message) => {
        if (!this.#stopped) events.message(message as WorkerMessage);
      },
      exit: (code, tail) => {
        if (this.#stopped) return;
        this.#stopped = true;
        events.lost(code, deathCause(code, tail));
      },
    });
    this.pid = this.#link.pid;
    const init: InitMessage = {
      t: "init",
      context: null,
      // The child imported its modules as it started.
      preload: null,
      loaded: null,
      initializer: spec.initializer,
      initargs: spec.initargs,
      shared: spec.shared,
    };
    this.#link.send(init, "Cannot start pool worker");
  }

  send(message: RunMessage): void {
    this.#link.send(message, "Cannot run task");
  }

  stop(code: number, busy: boolean): Promise<void> {
    this.#stopped = true;
    const signal = !busy ? null : code === -9 ? "SIGKILL" : "SIGTERM";
    return this.#link.stop(signal);
  }

  ref(keepAlive: boolean): void {
    this.#link.ref(keepAlive);
  }
}

/** What is known about why a worker died: the end of its stderr. */
function deathCause(code: number, tail: string): Error {
  const text = tail.trim();
  if (/out of memory/i.test(text)) {
    return new RangeError(
      `The worker ran out of memory (exit code ${code})`,
      { cause: new Error(text.slice(-2048)) },
    );
  }
  return new Error(text === "" ? `exit code ${code}` : text.slice(-2048));
}
