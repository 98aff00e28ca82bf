// Copyright 2026 the denomp authors. MIT license.
// A worker made ready for the next thread Process, as Python's forkserver
// keeps a server ready to fork from. Deno builds a Web Worker's isolate
// synchronously on the thread that creates it (~13-18 ms here, during which
// that thread can do nothing else), then the worker loads the toolkit
// (~4 ms); a worker cannot be created from another thread either (a nested
// worker starts ~500 ms late in Deno 2.9). So once a program has started a
// second Process (it starts processes repeatedly), each start also prepares
// the worker of the next one, on an unref'd timer (an idle moment of this
// thread): the next start() finds its isolate built.
//
// The spare is a fresh isolate that has run nothing but a two-line entry
// that loads the toolkit's process entry when it is given a Process (so it
// takes no CPU while it waits), made with the options every default
// Process has (no permissions); Processes with other options make their
// own. It keeps nothing alive while it waits, and a program that never
// starts another Process never makes one. Private.

import {
  canUnrefWorkers,
  retireWorker,
  setWorkerRef,
  spawnWorker,
} from "../_workers.ts";

/** Error events of the spare, routed to the Process that took it. */
type ErrorHandler = (event: ErrorEvent) => void;

let spare: { worker: Worker; owner: { onError: ErrorHandler | null } } | null =
  null;

/**
 * The spare's own entry: on the start message it imports the process entry
 * (whose URL is the worker's name) and hands it the message.
 */
const LAZY_ENTRY = new URL(
  "data:application/javascript," + encodeURIComponent(
    "self.onmessage = (event) => {" +
      " self.onmessage = null;" +
      " import(self.name).then(() => self.onmessage(event));" +
      " };",
  ),
);
let scheduled = false;
let starts = 0;

/**
 * Takes the spare worker for a Process being started, if one is ready;
 * `onError` then gets its error events. The worker keeps the program alive
 * from now on, as every running Process does.
 */
export function takeSpare(onError: ErrorHandler): Worker | null {
  const taken = spare;
  if (taken === null) return null;
  spare = null;
  taken.owner.onError = onError;
  setWorkerRef(taken.worker, true);
  return taken.worker;
}

/**
 * Called on each start of a default thread Process, `alone` when no other
 * Process of this thread runs: from the second start on, a lone start (a
 * program that starts Processes one after another) prepares the worker of
 * the next start in the background.
 */
export function prepareSpare(url: URL, alone: boolean): void {
  if (
    ++starts < 2 || !alone || spare !== null || scheduled ||
    !canUnrefWorkers()
  ) return;
  scheduled = true;
  const timer = setTimeout(() => {
    scheduled = false;
    if (spare !== null) return;
    const owner: { onError: ErrorHandler | null } = { onError: null };
    let worker: Worker;
    try {
      // It loads the toolkit's process entry only once it is given a
      // Process to run: until then it takes no CPU from what the program
      // does next.
      worker = spawnWorker(LAZY_ENTRY, {
        name: url.href,
        what: "Cannot start process",
        onError: (event) => {
          if (owner.onError !== null) return owner.onError(event);
          // It could not load: it is no spare.
          if (spare?.worker === worker) {
            spare = null;
            retireWorker(worker, false);
          }
        },
      });
    } catch {
      return; // Starting it the usual way will say why.
    }
    setWorkerRef(worker, false);
    spare = { worker, owner };
  }, 0);
  // A program that has nothing else to do exits without making it.
  Deno.unrefTimer(timer);
}

/** Lets the spare go (a Process ending its thread's children). */
export function dropSpare(): void {
  const dropped = spare;
  if (dropped === null) return;
  spare = null;
  retireWorker(dropped.worker, false);
}
