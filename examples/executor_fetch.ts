// Copyright 2026 the denomp authors. MIT license.
// deno-lint-ignore-file no-console
// Seed 002, part 3: a ProcessPoolExecutor fetches several pages at once and
// reports each as it completes (asCompleted); one URL fails. The pages are
// served by a Deno.serve on 127.0.0.1 started here; the fetches run in the
// workers.
//
//   deno run --allow-read=. --allow-net=127.0.0.1 examples/executor_fetch.ts
import {
  asCompleted,
  type Future,
  ProcessPoolExecutor,
} from "@denomp/multiprocessing";

/** Fetches a URL and returns the body's size in bytes; fails on HTTP errors. */
export async function loadUrl(url: string, timeout: number): Promise<number> {
  const response = await fetch(url, { signal: AbortSignal.timeout(timeout) });
  const body = await response.arrayBuffer();
  if (!response.ok) {
    throw new Error(`HTTP ${response.status} ${response.statusText}`);
  }
  return body.byteLength;
}

if (import.meta.main) {
  const pages: Record<string, string> = {
    "/daum": "<html>daum</html>".repeat(100),
    "/cnn": "<html>cnn</html>".repeat(250),
    "/naver": "<html>naver</html>".repeat(40),
  };
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    (request) => {
      const page = pages[new URL(request.url).pathname];
      return page === undefined
        ? new Response("no such page", { status: 404, statusText: "Not Found" })
        : new Response(page);
    },
  );
  const base = `http://127.0.0.1:${server.addr.port}`;
  const urls = ["/daum", "/cnn", "/naver", "/google"].map((p) => base + p);
  try {
    await using executor = new ProcessPoolExecutor({ maxWorkers: 4 });
    const futureToUrl = new Map<Future<number>, string>();
    for (const url of urls) {
      futureToUrl.set(executor.submit(loadUrl, url, 60_000), url);
    }
    for await (const future of asCompleted(futureToUrl.keys())) {
      const url = futureToUrl.get(future)!;
      try {
        const data = await future.result();
        console.log(`${url} page is ${data} bytes`);
      } catch (error) {
        console.log(
          `${url} generated an exception: ${(error as Error).message}`,
        );
      }
    }
  } finally {
    await server.shutdown();
  }
}
