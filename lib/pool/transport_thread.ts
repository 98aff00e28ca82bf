// Copyright 2026 the denomp authors. MIT license.
// The thread start method's transport: each pool worker is a Web Worker in
// this OS process, batches travel by `postMessage` (structured clone, shared
// objects as live descriptors), and a worker's status word in shared memory
// fences a thread that Deno could not stop. Private.

import {
  allocatePid,
  processTable,
  programInit,
  selfProcess,
} from "../_context.ts";
import { encodeShared } from "../_registry.ts";
import { entryUrl } from "../_entries.ts";
import {
  retireWorker,
  setWorkerRef,
  spawnWorker,
  type WorkerPermissions,
} from "../_workers.ts";
import { endProcess, newStatus } from "../process/status.ts";
import type {
  EncodedValue,
  Transport,
  WorkerEvents,
  WorkerLink,
  WorkerSpec,
} from "./transport.ts";
import type { InitMessage, RunMessage, WorkerMessage } from "./wire.ts";

const WORKER_URL = entryUrl("workers/pool_worker");

/** Pool workers on Web Workers. */
export class ThreadTransport implements Transport {
  readonly name = "thread";
  readonly packs = true;
  #permissions: WorkerPermissions | undefined;
  /** How many workers have loaded their task module (they count it here). */
  #loaded = new Int32Array(new SharedArrayBuffer(4));
  #started = 0;

  constructor(permissions: WorkerPermissions | undefined) {
    this.#permissions = permissions;
  }

  encode(value: unknown, what: string, path: string): EncodedValue {
    return encodeShared(value, what, path);
  }

  start(spec: WorkerSpec, events: WorkerEvents): WorkerLink {
    const link = new ThreadLink(spec, events, this.#permissions, this.#loaded);
    this.#started++;
    return link;
  }

  waitLoaded(ms: number): void {
    // The workers load on their own threads: this one may sleep meanwhile.
    // A worker that cannot load never counts; the wait ends at `ms` then.
    const deadline = performance.now() + ms;
    while (true) {
      const loaded = Atomics.load(this.#loaded, 0);
      if (loaded >= this.#started) return;
      const left = deadline - performance.now();
      if (left <= 0) return;
      Atomics.wait(this.#loaded, 0, loaded, left);
    }
  }
}

class ThreadLink implements WorkerLink {
  readonly pid: number;
  #worker: Worker;
  #status: Int32Array;
  #stopped = false;
  #ref = true;

  constructor(
    spec: WorkerSpec,
    events: WorkerEvents,
    permissions: WorkerPermissions | undefined,
    loaded: Int32Array,
  ) {
    this.#worker = spawnWorker(WORKER_URL, {
      name: spec.name,
      permissions,
      what: "Cannot start pool worker",
      onError: (event) => {
        if (!this.#stopped) {
          events.lost(1, event.error ?? new Error(event.message));
        }
      },
    });
    this.pid = allocatePid();
    this.#status = newStatus();
    this.#worker.onmessage = (event: MessageEvent<WorkerMessage>) => {
      if (!this.#stopped) events.message(event.data);
    };
    const init: InitMessage = {
      t: "init",
      context: {
        ...programInit(),
        table: processTable().buffer as SharedArrayBuffer,
        self: { name: spec.name, pid: this.pid },
        parent: { ...selfProcess() },
        status: this.#status.buffer as SharedArrayBuffer,
      },
      preload: spec.module,
      loaded: loaded.buffer as SharedArrayBuffer,
      initializer: spec.initializer,
      initargs: spec.initargs,
      shared: spec.shared,
    };
    this.#worker.postMessage(init);
  }

  send(message: RunMessage): void {
    try {
      this.#worker.postMessage(message);
    } catch (error) {
      throw new TypeError(
        `Cannot run task: an argument cannot be sent to a worker: ${
          error instanceof Error ? error.message : String(error)
        }`,
        { cause: error },
      );
    }
  }

  stop(code: number, busy: boolean): Promise<void> {
    if (this.#stopped) return Promise.resolve();
    this.#stopped = true;
    // End the status word first: a thread that may still be running can
    // then make no toolkit call that takes a message or holds a lock.
    endProcess(this.#status, this.pid, code);
    this.#worker.onmessage = null;
    retireWorker(this.#worker, busy);
    return Promise.resolve();
  }

  ref(keepAlive: boolean): void {
    if (this.#stopped || this.#ref === keepAlive) return;
    this.#ref = keepAlive;
    setWorkerRef(this.#worker, keepAlive);
  }
}
