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
