// Copyright 2026 the denomp authors. MIT license.
// The worker host's command line: parses the arguments, serves until
// SIGINT/SIGTERM and prints the host's log lines to stderr. Private to
// lib/cluster/; entered from workers/cluster_worker.ts (a program, so it
// may print; lib/ itself never does).

import { parseArgs } from "node:util";
import { serveWorker } from "./mod.ts";

const USAGE =
  `Usage: deno run -A jsr:@denomp/multiprocessing/cluster/worker --url redis://host:6379 [options]

Serves a @denomp/multiprocessing cluster queue: runs the tasks that clients
(Cluster.connect) put on it.

Options:
  --url URL              the Redis server (redis:// or rediss://); required
  --queue NAME           the queue to serve (default: mp)
  --processes N          local worker processes (default: the CPU count)
  --start-method METHOD  thread or spawn (default: thread)
  --root DIR             the directory task modules are relative to
                         (default: the working directory)
  --name NAME            this host's name in the queue (default: hostname-pid-random)
  --help                 this text

The authkey comes from the DENOMP_AUTHKEY environment variable (never from
the command line, where other users could read it); it must be the clients'.
`;

/** Runs the CLI; resolves with the exit code. */
export async function runWorkerCli(args: string[]): Promise<number> {
  const encoder = new TextEncoder();
  const print = (line: string) =>
    Deno.stderr.writeSync(encoder.encode(`${line}\n`));
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        url: { type: "string" },
        queue: { type: "string" },
        processes: { type: "string" },
        "start-method": { type: "string" },
        root: { type: "string" },
        name: { type: "string" },
        help: { type: "boolean" },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    print(`${error instanceof Error ? error.message : String(error)}\n`);
    print(USAGE);
    return 2;
  }
  if (values.help) {
    print(USAGE);
    return 0;
  }
  if (values.url === undefined) {
    print("--url is required\n");
    print(USAGE);
    return 2;
  }
  const processes = values.processes === undefined
    ? undefined
    : Number(values.processes);
  const controller = new AbortController();
  let signals = 0;
  const onSignal = () => {
    if (++signals > 1) Deno.exit(130);
    print("stopping (again to exit at once)");
    controller.abort();
  };
  Deno.addSignalListener("SIGINT", onSignal);
  Deno.addSignalListener("SIGTERM", onSignal);
  try {
    await serveWorker({
      url: values.url,
      ...(values.queue === undefined ? {} : { queue: values.queue }),
      ...(processes === undefined ? {} : { processes }),
      ...(values["start-method"] === undefined
        ? {}
        : { startMethod: values["start-method"] as "thread" | "spawn" }),
      ...(values.root === undefined ? {} : { root: values.root }),
      ...(values.name === undefined ? {} : { name: values.name }),
      signal: controller.signal,
      log: (line) => print(`cluster worker: ${line}`),
    });
    return 0;
  } catch (error) {
    print(
      `cluster worker: ${
        error instanceof Error ? error.message : String(error)
      }`,
    );
    return error instanceof TypeError || error instanceof RangeError ? 2 : 1;
  } finally {
    Deno.removeSignalListener("SIGINT", onSignal);
    Deno.removeSignalListener("SIGTERM", onSignal);
  }
}
