// Copyright 2026 the denomp authors. MIT license.
// Where the toolkit's entry modules are: every module it starts a Web
// Worker or a subprocess from, or imports by URL, is named here and nowhere
// else. Private.
//
// The toolkit runs from one generated bundle (dist/, see .ci/build.ts and
// README "How the package is laid out"): dist/toolkit.js holds the code and
// dist/<path>.js is the runtime of each entry <path>.ts. This module is part
// of that bundle, so `import.meta.url` tells which copy is running: from
// the bundle, entries are the generated `.js` files next to it; from the
// TypeScript sources (a unit test of a private module), the `.ts` files.
// Either way a worker loads the same copy of the toolkit as its parent.

/** Whether this code runs from the generated bundle (dist/toolkit.js). */
const BUNDLED = import.meta.url.endsWith(".js");

/** The toolkit's entry modules, by path from the package root, without extension. */
export type Entry =
  | "workers/pool_worker"
  | "workers/process_worker"
  | "workers/process_broker"
  | "workers/spawn_child"
  | "workers/spawn_reaper"
  | "workers/manager_server"
  | "lib/sync/barrier_preload";

/** The URL of an entry module, in the copy of the toolkit that is running. */
export function entryUrl(entry: Entry): URL {
  return BUNDLED
    ? new URL(`./${entry}.js`, import.meta.url)
    : new URL(`../${entry}.ts`, import.meta.url);
}

/**
 * The directories holding the toolkit's modules: what a spawned child needs
 * to read to load them.
 */
export function toolkitDirs(): URL[] {
  return BUNDLED
    ? [new URL("./", import.meta.url)]
    : [new URL("./", import.meta.url), new URL("../workers/", import.meta.url)];
}
