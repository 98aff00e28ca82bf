// Copyright 2026 the denomp authors. MIT license.
// Starting and retiring the Web Workers the toolkit owns (Processes and pool
// workers), and the exit guard for threads Deno could not stop. Private.
//
// Deno 2.9's `Worker.terminate()` does not stop a thread that is running
// synchronous JavaScript, and such a thread keeps the program's event loop
// alive for ever. The toolkit marks the worker ended at once (see
// `_context.ts`: its toolkit calls fail), and this module makes sure the
// program still exits once its main module has finished: when every worker
// the toolkit started has ended, at least one was abandoned while possibly
// busy, the `load` event has fired and the main thread has nothing else
// pending that it can see (no ref'd timer, no open resource but stdio) for
// one second, it calls `Deno.exit()` with the current `Deno.exitCode`.

import { assertNotBootstrapping } from "./_context.ts";

/** Permissions as Deno's worker option takes them. */
export type WorkerPermissions =
  | "inherit"
  | "none"
  | Deno.PermissionOptionsObject;

/** Options for {@linkcode spawnWorker}. */
export interface SpawnOptions {
  name?: string | undefined;
  permissions?: WorkerPermissions | undefined;
  /** Called when the worker's error event fires (after `preventDefault`). */
  onError?: ((event: ErrorEvent) => void) | undefined;
  /** Sentence start for errors, as `"Cannot start process"`. */
  what: string;
}

let live = 0;
let abandoned = 0;
/** Workers started by spawnWorker (counted in `live`). */
const counted = new WeakSet<Worker>();
/** Counted workers that are unref'd: they keep nothing alive. */
const unrefd = new WeakSet<Worker>();
let loaded = false;
let guardTimer: ReturnType<typeof setInterval> | undefined;
let quietTicks = 0;

/** How many guard ticks (of 100 ms) must be quiet before the guard exits. */
const QUIET_TICKS_TO_EXIT = 10;

if (typeof globalThis.addEventListener === "function") {
  globalThis.addEventListener("load", () => {
    loaded = true;
  });
}

/**
 * Starts a module worker for the toolkit. Its error event never kills the
 * program (`preventDefault()`), and it counts as live until
 * {@linkcode retireWorker}.
 */
export function spawnWorker(url: URL, options: SpawnOptions): Worker {
  const { name, permissions, onError, what } = options;
  assertNotBootstrapping(what);
  const workerOptions: WorkerOptions & { deno?: unknown } = { type: "module" };
  if (name !== undefined) workerOptions.name = name;
  if (permissions !== undefined) {
    assertWorkerOptionsEnabled(what);
    workerOptions.deno = { permissions };
  }
  const worker = new Worker(url, workerOptions);
  worker.addEventListener("error", (event) => {
    // Without this an uncaught error in the worker kills the whole program.
    event.preventDefault();
    onError?.(event);
  });
  live++;
  counted.add(worker);
  return worker;
}

/**
 * Deno's own switch for whether a Web Worker keeps the program alive: a
 * method of `Worker.prototype` under a symbol without a description, which
 * counts references (`true` adds one, `false` drops one) and unrefs the
 * worker's message polling at zero. It is what `node:worker_threads`'
 * `unref()` uses; Deno exposes no public API for Web Workers. Found by
 * shape, so that a Deno without it leaves workers ref'd, as before.
 */
const workerRef: symbol | undefined = (() => {
  if (typeof Worker !== "function") return undefined;
  const proto = Worker.prototype as unknown as Record<symbol, unknown>;
  return Object.getOwnPropertySymbols(proto).find((key) =>
    key.description === undefined && typeof proto[key] === "function" &&
    (proto[key] as (on: boolean) => void).length === 1
  );
})();

/**
 * Makes a worker keep the program alive (`true`, as every worker does at
 * first) or not (`false`). Calls must alternate, starting with `false`.
 * Returns whether this Deno supports it.
 */
export function setWorkerRef(worker: Worker, on: boolean): boolean {
  if (workerRef === undefined) return false;
  (worker as unknown as Record<symbol, (on: boolean) => void>)[workerRef]!(on);
  // An unref'd worker does not hold the program: the exit guard need not
  // wait for it.
  if (counted.has(worker)) {
    if (!on && !unrefd.has(worker)) {
      unrefd.add(worker);
      live--;
    } else if (on && unrefd.delete(worker)) {
      live++;
    }
  }
  return true;
}

/** Whether {@linkcode setWorkerRef} works on this Deno. */
export function canUnrefWorkers(): boolean {
  return workerRef !== undefined;
}

/**
 * Lets a worker go. `busy` says that its thread may still be running
 * synchronous code that `terminate()` cannot stop.
 */
export function retireWorker(worker: Worker, busy: boolean): void {
  worker.terminate();
  if (!unrefd.delete(worker)) live--;
  counted.delete(worker);
  if (busy) {
    abandoned++;
    startGuard();
  }
}

let activeResources: (() => unknown[]) | undefined;

function startGuard(): void {
  if (guardTimer !== undefined) return;
  const timer = setInterval(guardTick, 100);
  Deno.unrefTimer(timer);
  guardTimer = timer;
  // Loaded only here: node:process is costly to load in every worker.
  import("node:process").then(({ default: process }) => {
    activeResources = () => process.getActiveResourcesInfo();
  }, () => {});
}

function guardTick(): void {
  if (live > 0 || abandoned === 0 || !loaded || !mainThreadIsQuiet()) {
    quietTicks = 0;
    return;
  }
  if (++quietTicks >= QUIET_TICKS_TO_EXIT) {
    // Only abandoned threads are left: exit as the program would have.
    Deno.exit(Deno.exitCode);
  }
}

function mainThreadIsQuiet(): boolean {
  if (activeResources === undefined || activeResources().length > 0) {
    return false;
  }
  // Open listeners, files, child processes and the like show up here.
  const internal = (Deno as unknown as Record<symbol, unknown>)[
    (Deno as unknown as { internal: symbol }).internal
  ] as { core?: { resources?: () => Record<string, string> } } | undefined;
  const resources = internal?.core?.resources?.();
  if (resources === undefined) return false;
  return Object.values(resources).every((kind) =>
    kind === "stdin" || kind === "stdout" || kind === "stderr"
  );
}

/**
 * Worker permissions are an unstable Deno API: without
 * `--unstable-worker-options` Deno ends the whole program with exit code 70
 * the moment such a worker is created. Check first, where we can tell.
 */
function assertWorkerOptionsEnabled(what: string): void {
  let cmdline: string;
  try {
    if (
      Deno.permissions.querySync({ name: "read", path: "/proc/self/cmdline" })
        .state !== "granted"
    ) return;
    cmdline = Deno.readTextFileSync("/proc/self/cmdline");
  } catch {
    return; // Not Linux, or not allowed: let Deno say it.
  }
  const args = cmdline.split("\0");
  if (
    args.includes("--unstable-worker-options") || args.includes("--unstable")
  ) return;
  if (configEnablesWorkerOptions(args)) return;
  throw new TypeError(
    `${what}: the permissions option needs Deno's --unstable-worker-options flag (or "unstable": ["worker-options"] in deno.json)`,
  );
}

/**
 * Whether a deno.json that Deno may have loaded enables worker options: the
 * one named by `--config`, else one in the directory of the main module or
 * of the working directory, or in a directory above them (Deno looks there).
 */
function configEnablesWorkerOptions(args: string[]): boolean {
  for (const file of configCandidates(args)) {
    try {
      if (
        Deno.permissions.querySync({ name: "read", path: file }).state !==
          "granted"
      ) continue;
      if (/"worker-options"/.test(Deno.readTextFileSync(file))) return true;
    } catch {
      // No such file.
    }
  }
  return false;
}

function configCandidates(args: string[]): string[] {
  if (args.includes("--no-config")) return [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if ((arg === "--config" || arg === "-c") && i + 1 < args.length) {
      return [args[i + 1]!];
    }
    if (arg.startsWith("--config=")) return [arg.slice("--config=".length)];
  }
  const dirs: string[] = [];
  try {
    dirs.push(Deno.cwd());
  } catch {
    // Not allowed to know it.
  }
  if (Deno.mainModule.startsWith("file:")) {
    dirs.push(decodeURIComponent(new URL(".", Deno.mainModule).pathname));
  }
  const out = new Set<string>();
  for (const start of dirs) {
    const parts = start.split("/").filter((part) => part !== "");
    for (let n = parts.length; n >= 0; n--) {
      const dir = `/${parts.slice(0, n).join("/")}`.replace(/\/$/, "");
      out.add(`${dir}/deno.json`);
      out.add(`${dir}/deno.jsonc`);
    }
  }
  return [...out];
}
