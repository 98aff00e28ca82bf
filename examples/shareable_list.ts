// Copyright 2026 the denomp authors. MIT license.
// deno-lint-ignore-file no-console
// Python's multiprocessing.shared_memory docs, the ShareableList example,
// line for line (b'HoWdY' -> bytes("HoWdY"), None -> null), and the list
// passed to a Process.
//
//   deno run --allow-read=. examples/shareable_list.ts
import { Process, ShareableList } from "@denomp/multiprocessing";

const bytes = (s: string) => new TextEncoder().encode(s);

/** Another process attaches by name and changes an item. */
export function elsewhere(name: string): void {
  const b = new ShareableList(null, { name });
  b.set(6, 4242);
  b.shm.close();
}

if (import.meta.main) {
  const a = new ShareableList([
    "howdy",
    bytes("HoWdY"),
    -273.154,
    100,
    null,
    true,
    42,
  ]);
  console.log(
    a.toArray().map((entry) =>
      // the type of each entry
      entry === null
        ? "null"
        : entry instanceof Uint8Array
        ? "Uint8Array"
        : typeof entry
    ),
  );
  console.log(a.get(2)); // -273.154
  a.set(2, -78.5);
  console.log(a.get(2)); // -78.5
  a.set(2, "dry ice"); // Changing data types is supported as well
  console.log(a.get(2)); // dry ice
  try {
    a.set(2, "larger than previously allocated storage space");
  } catch (error) {
    console.log(`${(error as Error).name}: ${(error as Error).message}`);
  }
  console.log(a.get(2)); // dry ice
  console.log(a.length); // 7
  console.log(a.index(42)); // 6
  console.log(a.count(bytes("howdy"))); // 0
  console.log(a.count(bytes("HoWdY"))); // 1
  const p = new Process({ target: elsewhere, args: [a.shm.name] });
  await p.start();
  await p.join();
  console.log(a.get(6)); // 4242, written by the other Process
  const ok = a.get(2) === "dry ice" && a.get(6) === 4242 && p.exitcode === 0;
  a.shm.close();
  a.shm.unlink(); // Use of a ShareableList after unlink() is unsupported
  if (!ok) Deno.exit(1);
}
