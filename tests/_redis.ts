// Copyright 2026 the denomp authors. MIT license.
// A real redis-server for the cluster tests, benches and doc examples: each
// caller starts its own on a free port, without persistence, and stops it.
// A machine without redis-server fails here (a cluster test must never be
// skipped): `.ci/run` installs it with apt-get.

/** A running redis-server. */
export interface RedisServer extends AsyncDisposable {
  /** `redis://127.0.0.1:<port>`. */
  url: string;
  port: number;
  /** Stops the server and waits for it to exit. Idempotent. */
  stop(): Promise<void>;
}

/** A TCP port nobody listens on right now. */
export function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  return port;
}

/**
 * Starts `redis-server --port <free> --save '' --appendonly no` and resolves
 * once it accepts connections (it says so on stdout).
 *
 * @throws {Error} When redis-server is not installed or does not start.
 */
export async function startRedis(): Promise<RedisServer> {
  const port = freePort();
  let child: Deno.ChildProcess;
  try {
    child = new Deno.Command("redis-server", {
      args: [
        "--port",
        String(port),
        "--bind",
        "127.0.0.1",
        "--save",
        "",
        "--appendonly",
        "no",
      ],
      stdin: "null",
      stdout: "piped",
      stderr: "inherit",
    }).spawn();
  } catch (error) {
    throw new Error(
      "Cannot start redis-server: it is not installed (apt-get install -y redis-server); the cluster tests need a real one",
      { cause: error },
    );
  }
  const lines = child.stdout.pipeThrough(new TextDecoderStream()).pipeThrough(
    lineStream(),
  );
  const reader = lines.getReader();
  const log: string[] = [];
  while (true) {
    const { value, done } = await reader.read();
    if (done) {
      await child.status;
      throw new Error(
        `Cannot start redis-server on port ${port}: it exited: ${
          log.slice(-3).join(" | ")
        }`,
      );
    }
    log.push(value);
    if (value.includes("Ready to accept connections")) break;
  }
  // Keep draining stdout so that the server never blocks on it.
  const drained = (async () => {
    while (!(await reader.read()).done) { /* discard */ }
  })();
  let stopping: Promise<void> | null = null;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      try {
        child.kill("SIGTERM");
      } catch {
        // Already gone.
      }
      await child.status;
      await drained;
    })();
    return stopping;
  };
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    stop,
    [Symbol.asyncDispose]: stop,
  };
}

/** Splits a text stream into lines. */
export function lineStream(): TransformStream<string, string> {
  let rest = "";
  return new TransformStream({
    transform(chunk, controller) {
      rest += chunk;
      const parts = rest.split("\n");
      rest = parts.pop()!;
      for (const part of parts) controller.enqueue(part);
    },
    flush(controller) {
      if (rest !== "") controller.enqueue(rest);
    },
  });
}

const ROOT = new URL("../", import.meta.url);
const CLI = new URL("../dist/workers/cluster_worker.js", import.meta.url);

/** Options for {@linkcode startHost}. */
export interface HostOptions {
  url: string;
  queue?: string;
  processes?: number;
  /** The host's --root, relative to the repository. */
  root?: string;
  name?: string;
  /** DENOMP_AUTHKEY of the host. */
  authkey?: string;
  /** DENOMP_TEST_HOST of the host (the hostTag fixture returns it). */
  tag?: string;
  /** Extra CLI arguments. */
  args?: string[];
  /** Extra `deno run` flags (permissions) for the host. */
  flags?: string[];
}

/** A worker host CLI running as a `deno run` subprocess. */
export interface WorkerHost extends AsyncDisposable {
  name: string;
  pid: number;
  /** Every line it printed so far. */
  lines: string[];
  /** Resolves with the first line (from now on or already printed) that matches. */
  line(match: string): Promise<string>;
  /** Sends a signal (SIGKILL: a machine that dies). */
  kill(signal: Deno.Signal): void;
  /** Resolves with its exit status. */
  status: Promise<Deno.CommandStatus>;
  /** Stops it (SIGTERM) and waits. Idempotent. */
  stop(): Promise<Deno.CommandStatus>;
}

let hostCounter = 0;

/**
 * Starts the worker CLI (`deno run dist/workers/cluster_worker.js`) with the
 * least permissions it needs, and resolves once it serves.
 */
export async function startHost(options: HostOptions): Promise<WorkerHost> {
  const name = options.name ?? `host${++hostCounter}-${Deno.pid}`;
  const env: Record<string, string> = {};
  if (options.authkey !== undefined) env.DENOMP_AUTHKEY = options.authkey;
  if (options.tag !== undefined) env.DENOMP_TEST_HOST = options.tag;
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-read=.",
      "--allow-net=127.0.0.1",
      "--allow-env",
      ...(options.flags ?? []),
      CLI.pathname,
      "--url",
      options.url,
      "--queue",
      options.queue ?? "mp",
      "--processes",
      String(options.processes ?? 1),
      "--root",
      options.root ?? "tests/fixtures",
      "--name",
      name,
      ...(options.args ?? []),
    ],
    cwd: ROOT.pathname,
    env,
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const lines: string[] = [];
  const waiters: { match: string; resolve: (line: string) => void }[] = [];
  const reader = child.stderr.pipeThrough(new TextDecoderStream())
    .pipeThrough(lineStream()).getReader();
  const reading = (async () => {
    while (true) {
      const { value, done } = await reader.read();
      if (done) break;
      lines.push(value);
      for (const waiter of [...waiters]) {
        if (value.includes(waiter.match)) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve(value);
        }
      }
    }
  })();
  const status = (async () => {
    const s = await child.status;
    await reading;
    return s;
  })();
  const line = (match: string): Promise<string> => {
    const seen = lines.find((l) => l.includes(match));
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      waiters.push({ match, resolve });
      status.then(() =>
        reject(
          new Error(
            `worker host ${name} exited before printing "${match}": ${
              lines.slice(-5).join(" | ")
            }`,
          ),
        )
      );
    });
  };
  let stopping: Promise<Deno.CommandStatus> | null = null;
  const kill = (signal: Deno.Signal) => {
    try {
      child.kill(signal);
    } catch {
      // Already gone.
    }
  };
  const stop = () => {
    stopping ??= (kill("SIGTERM"), status);
    return stopping;
  };
  const host: WorkerHost = {
    name,
    pid: child.pid,
    lines,
    line,
    kill,
    status,
    stop,
    async [Symbol.asyncDispose]() {
      await stop();
    },
  };
  try {
    await line("serving queue");
  } catch (error) {
    await stop();
    throw error;
  }
  return host;
}

/** A call from a `gated` task (tests/fixtures/cluster_targets.ts). */
export interface HomeCall {
  /** DENOMP_TEST_HOST of the host that runs the task. */
  tag: string;
  /** The task's item. */
  item: number;
  /** Lets the task finish. */
  release(): Promise<void>;
  /** Resolves when the task's side is gone (its worker or host ended). */
  gone: Promise<void>;
}

/** A TCP listener that gated tasks call while they run. */
export interface Home extends Disposable {
  port: number;
  /** The next call. */
  next(): Promise<HomeCall>;
}

/** Listens on 127.0.0.1 for gated tasks. */
export function listenHome(): Home {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const conns = new Set<Deno.Conn>();
  let closed = false;
  return {
    port: (listener.addr as Deno.NetAddr).port,
    async next(): Promise<HomeCall> {
      const conn = await listener.accept();
      conns.add(conn);
      const buffer = new Uint8Array(256);
      let text = "";
      while (!text.includes("\n")) {
        const n = await conn.read(buffer);
        if (n === null) break;
        text += new TextDecoder().decode(buffer.subarray(0, n));
      }
      const [tag = "", item = "NaN"] = text.trim().split("|");
      const gone = (async () => {
        try {
          while ((await conn.read(buffer)) !== null) { /* drain */ }
        } catch {
          // Reset by a killed host: gone too.
        }
      })();
      return {
        tag,
        item: Number(item),
        async release() {
          try {
            await conn.write(new Uint8Array([1]));
          } catch {
            // The task is gone already.
          }
        },
        gone: gone.finally(() => {
          // The Home's dispose may have closed it already.
          if (conns.delete(conn)) conn.close();
        }),
      };
    },
    [Symbol.dispose]() {
      if (closed) return;
      closed = true;
      listener.close();
      for (const conn of conns) conn.close();
      conns.clear();
    },
  };
}
