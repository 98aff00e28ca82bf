// Copyright 2026 the denomp authors. MIT license.
/**
 * The cluster worker host's command line: serves a queue of
 * `@denomp/multiprocessing/cluster` until SIGINT or SIGTERM.
 *
 * ```sh
 * DENOMP_AUTHKEY=... deno run -A jsr:@denomp/multiprocessing/cluster/worker \
 *   --url redis://host:6379 [--queue mp] [--processes N] [--start-method spawn] [--root DIR]
 * ```
 *
 * The logic is in lib/cluster/cli.ts and lib/cluster/host.ts.
 *
 * @module
 */

import { runWorkerCli } from "../lib/cluster/cli.ts";

if (import.meta.main) {
  // A busy local worker thread that Deno cannot stop must not keep the
  // host alive once it has stopped serving: exit explicitly.
  Deno.exit(await runWorkerCli(Deno.args));
}
