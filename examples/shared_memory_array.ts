// Copyright 2026 the denomp authors. MIT license.
// deno-lint-ignore-file no-console
// Python's multiprocessing.shared_memory docs, second example: one array
// backed by a shared memory block, seen from two places. The docs use a
// NumPy int64 array in two Python shells; here a BigInt64Array, and the
// "second shell" is a Process that attaches to the block by name.
//
//   deno run --allow-read=. examples/shared_memory_array.ts
import { Process, SharedMemory } from "@denomp/multiprocessing";

/** The second shell: attaches by name, changes the last item, closes. */
export function secondShell(name: string, length: number): void {
  // Attach to the existing shared memory block
  const existingShm = new SharedMemory({ name });
  // Note that the array is 6 int64 items in this example
  const c = new BigInt64Array(
    existingShm.buf.buffer,
    existingShm.buf.byteOffset,
    length,
  );
  console.log(c); // BigInt64Array(6) [ 1n, 1n, 2n, 3n, 5n, 8n ]
  c[c.length - 1] = 888n;
  console.log(c); // BigInt64Array(6) [ 1n, 1n, 2n, 3n, 5n, 888n ]
  // Clean up from within the second shell
  existingShm.close();
}

if (import.meta.main) {
  const a = BigInt64Array.of(1n, 1n, 2n, 3n, 5n, 8n); // an existing array
  const shm = new SharedMemory({ create: true, size: a.byteLength });
  // Now create an array backed by shared memory
  const b = new BigInt64Array(shm.buf.buffer, shm.buf.byteOffset, a.length);
  b.set(a); // Copy the original data into shared memory
  console.log(b); // BigInt64Array(6) [ 1n, 1n, 2n, 3n, 5n, 8n ]
  console.log(shm.name); // We did not specify a name so one was chosen for us
  const p = new Process({ target: secondShell, args: [shm.name, a.length] });
  await p.start();
  await p.join();
  // Back in the first shell, b reflects this change
  console.log(b); // BigInt64Array(6) [ 1n, 1n, 2n, 3n, 5n, 888n ]
  const last = b[b.length - 1];
  // Clean up from within the first shell
  shm.close();
  shm.unlink(); // Free and release the shared memory block at the very end
  if (p.exitcode !== 0 || last !== 888n) Deno.exit(1);
}
