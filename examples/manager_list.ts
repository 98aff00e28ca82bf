// Copyright 2026 the denomp authors. MIT license.
// deno-lint-ignore-file no-console
// Seed 001, parts 2, 4 and 5: four processes append 10 items each to a list
// served by a Manager (always 40); the same with read-modify-write of the
// whole list and no lock (updates get lost); and with a lock (always 40).
//
//   deno run --allow-read=. --allow-run --allow-net=127.0.0.1 \
//     --unstable-worker-options examples/manager_list.ts
import {
  type EventProxy,
  type ListProxy,
  type LockProxy,
  Manager,
  Process,
} from "@denomp/multiprocessing";

/** Part 2: append 10 items. */
export async function appendData(
  go: EventProxy,
  sharedData: ListProxy<number>,
): Promise<void> {
  await go.wait();
  for (let i = 0; i < 10; i++) await sharedData.append(i);
}

/** Part 4: copy the list, append locally, write it all back; no lock. */
export async function appendUnlocked(
  go: EventProxy,
  sharedData: ListProxy<number>,
): Promise<void> {
  await go.wait();
  for (let i = 0; i < 10; i++) {
    const current = await sharedData.toArray();
    current.push(i);
    await sharedData.replace(current); // Python's shared_data[:] = current
  }
}

/** Part 5: the same read-modify-write, under a lock. */
export async function appendLocked(
  go: EventProxy,
  sharedData: ListProxy<number>,
  lock: LockProxy,
): Promise<void> {
  await go.wait();
  for (let i = 0; i < 10; i++) {
    await using _ = await lock.hold();
    const current = await sharedData.toArray();
    current.push(i);
    await sharedData.replace(current);
  }
}

/** Starts four processes, then lets them all go at once. */
async function runFour(
  manager: Manager,
  target: string,
  args: unknown[],
): Promise<void> {
  const go = await manager.event();
  const ps = Array.from(
    { length: 4 },
    () => new Process({ target, args: [go, ...args] }),
  );
  for (const p of ps) await p.start();
  await go.set();
  for (const p of ps) await p.join();
}

if (import.meta.main) {
  await using manager = await Manager.start({
    address: { hostname: "127.0.0.1", port: 0 },
  });

  const data = await manager.list<number>();
  await runFour(manager, "appendData", [data]);
  console.log(`data length (append): ${await data.length()}`);

  const racy = await manager.list<number>();
  await runFour(manager, "appendUnlocked", [racy]);
  console.log(
    `data length (read-modify-write, no lock): ${await racy.length()}`,
  );

  const safe = await manager.list<number>();
  const lock = await manager.lock();
  await runFour(manager, "appendLocked", [safe, lock]);
  console.log(`data length (read-modify-write, lock): ${await safe.length()}`);
}
