// Copyright 2026 the denomp authors. MIT license.
// deno-lint-ignore-file no-console
// Python's docs, "Server process": a Process changes a dict with keys of
// three types and reverses a list, both held by a Manager.
//
//   deno run --allow-read=. --allow-run --allow-net=127.0.0.1 \
//     examples/manager_docs.ts
//
// The Manager listens on TCP 127.0.0.1 so that the Process may reach it
// with --allow-net=127.0.0.1.
import {
  type DictProxy,
  type ListProxy,
  Manager,
  Process,
} from "@denomp/multiprocessing";

export async function f(
  d: DictProxy<string | number | null>,
  l: ListProxy<number>,
): Promise<void> {
  await d.set(1, "1");
  await d.set("2", 2);
  await d.set(0.25, null);
  await l.reverse(); // one step on the manager
}

if (import.meta.main) {
  await using manager = await Manager.start({
    address: { hostname: "127.0.0.1", port: 0 },
  });
  const d = await manager.dict<string | number | null>();
  const l = await manager.list(Array.from({ length: 10 }, (_, i) => i));

  const p = new Process({ target: f, args: [d, l] });
  await p.start();
  await p.join();

  console.log(await d.toMap()); // Map(3) { 1 => "1", "2" => 2, 0.25 => null }
  console.log(await l.toArray()); // [ 9, 8, 7, 6, 5, 4, 3, 2, 1, 0 ]
}
