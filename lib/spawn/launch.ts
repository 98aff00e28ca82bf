// Copyright 2026 the denomp authors. MIT license.
// Starting a `deno run` subprocess of ours with Deno's own binary: the one
// way the Manager's server and every spawned Process or pool worker start.
// The child's stdin is a pipe this program keeps open for the child's whole
// life; its end of file (this program closed it, exited or was killed, even
// by SIGKILL) is the child's signal to exit. Private.

import {
  assertNotBootstrapping,
  programMain,
  selfProcess,
} from "../_context.ts";
import { chosenStartMethod, type StartMethod } from "../_start_method.ts";
import { entryUrl, toolkitDirs } from "../_entries.ts";
import { describe } from "../_wait.ts";
import type { WorkerPermissions } from "../_workers.ts";
import {
  type NeededGrants,
  pathOf,
  permissionFlags,
} from "../_permission_flags.ts";
import { getInheritedConfig, type SpawnBoot } from "./wire.ts";

/** Options for {@linkcode spawnDeno}. */
export interface DenoChildOptions {
  /** The module to run: a URL. */
  entry: string;
  /** Flags for `deno run` (permissions, config, ...). */
  flags: string[];
  /** Arguments after the module. */
  args?: string[];
  /** The child's stdout. */
  stdout: "piped" | "inherit" | "null";
  /** The child's stderr. */
  stderr: "piped" | "inherit" | "null";
}

/**
 * Starts `deno run` of one of the toolkit's modules, with stdin piped as the
 * child's lifeline. The child never prompts for a permission.
 *
 * @throws {Deno.errors.NotCapable} Without run permission for Deno itself.
 */
export function spawnDeno(options: DenoChildOptions): Deno.ChildProcess {
  const { entry, flags, args = [], stdout, stderr } = options;
  return new Deno.Command(Deno.execPath(), {
    args: ["run", "--no-prompt", ...flags, entry, ...args],
    stdin: "piped",
    stdout,
    stderr,
  }).spawn();
}

/**
 * Validates a heap limit in MiB: spawn only (a Web Worker's heap cannot be
 * capped).
 */
export function checkMaxHeap(
  what: string,
  value: unknown,
  method: StartMethod,
): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "number") {
    throw new TypeError(
      `${what}: maxHeapMb must be a number, received ${describe(value)}`,
    );
  }
  if (!Number.isInteger(value) || value < 8) {
    throw new RangeError(
      `${what}: maxHeapMb must be an integer of at least 8, received ${value}`,
    );
  }
  if (method !== "spawn") {
    throw new TypeError(
      `${what}: maxHeapMb needs startMethod "spawn" (a thread's heap cannot be capped)`,
    );
  }
  return value;
}

/** Throws the error a program without run permission for Deno gets. */
export function assertMaySpawn(what: string): void {
  let state: Deno.PermissionState;
  try {
    state = Deno.permissions.querySync({
      name: "run",
      command: Deno.execPath(),
    }).state;
  } catch {
    return; // Let Deno say it.
  }
  if (state !== "granted") {
    throw new Deno.errors.NotCapable(
      `${what}: the spawn start method runs Deno itself and needs --allow-run (or --allow-run=${Deno.execPath()})`,
    );
  }
}

const CHILD_ENTRY = entryUrl("workers/spawn_child");
/**
 * The toolkit's own modules, which a child may load at run time (to revive
 * a shared value, or for a worker thread of its own).
 */
const TOOLKIT_DIRS = toolkitDirs();

/** What to run in a spawned child, and how. */
export interface ChildSpec {
  role: SpawnBoot["role"];
  /** Its process name. */
  name: string;
  /**
   * Modules the child loads before it starts (the target's, the modules of
   * the shared kinds in its arguments): they are part of its main module
   * graph, which Deno loads without asking for read permission.
   */
  modules: string[];
  permissions: WorkerPermissions | undefined;
  /** What the values sent to the child need. */
  needed: NeededGrants;
  /** V8's heap limit for the child, in MiB. */
  maxHeapMb: number | undefined;
}

/** The command line of a spawned child: what {@linkcode spawnDeno} takes. */
export interface ChildCommandLine {
  entry: string;
  flags: string[];
  args: string[];
}

/** The command line of a spawned child. */
export function childCommand(
  what: string,
  spec: ChildSpec,
): ChildCommandLine {
  assertNotBootstrapping(what);
  const flags = permissionFlags(what, spec.permissions, spec.needed, {
    read: TOOLKIT_DIRS.filter((dir) => dir.protocol === "file:").map(pathOf),
  });
  const boot: SpawnBoot = {
    role: spec.role,
    name: spec.name,
    parent: { ...selfProcess() },
    main: programMain(),
    startMethod: chosenStartMethod(),
    config: configFile(),
  };
  if (boot.config !== null) flags.push(`--config=${boot.config}`);
  if (spec.maxHeapMb !== undefined) {
    flags.push(`--v8-flags=--max-old-space-size=${spec.maxHeapMb}`);
  }
  // The entry is a data: module that imports ours first (it sets the child
  // up from its command line), then the modules the child needs (all of
  // them load as its main module graph, without read permission), then
  // starts the child's work.
  const imports = [
    `import { start } from ${JSON.stringify(CHILD_ENTRY.href)};`,
    ...[...new Set(spec.modules)].map((url) =>
      `import ${JSON.stringify(url)};`
    ),
    "start();",
  ].join("\n");
  return {
    entry: `data:application/javascript,${encodeURIComponent(imports)}`,
    flags,
    args: [JSON.stringify(boot), ...Deno.args],
  };
}

let config: string | null | undefined;

/**
 * The deno.json (or deno.jsonc) Deno found for this program: the first up
 * from the main module's directory, as Deno looks for it. A data: entry
 * finds none by itself, so the child is told. `null` when there is none, or
 * when this program may not read where it would be.
 */
function configFile(): string | null {
  const inherited = getInheritedConfig();
  if (inherited !== undefined) return inherited;
  if (config !== undefined) return config;
  config = null;
  const main = programMain();
  if (!main.startsWith("file:")) return config;
  let dir = new URL(".", main);
  while (true) {
    for (const name of ["deno.json", "deno.jsonc"]) {
      const path = pathOf(new URL(name, dir));
      try {
        if (
          Deno.permissions.querySync({ name: "read", path }).state ===
            "granted" && Deno.statSync(path).isFile
        ) {
          config = path;
          return config;
        }
      } catch {
        // Not there.
      }
    }
    const parent = new URL("..", dir);
    if (parent.href === dir.href) return config;
    dir = parent;
  }
}
