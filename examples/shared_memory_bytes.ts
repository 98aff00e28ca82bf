// Copyright 2026 the denomp authors. MIT license.
// deno-lint-ignore-file no-console
// Python's multiprocessing.shared_memory docs, first example: low-level use
// of SharedMemory instances, line for line (memoryview -> Uint8Array,
// array.array('b', ...) -> Int8Array.from(...)).
//
//   deno run --allow-read=. examples/shared_memory_bytes.ts
import { SharedMemory } from "@denomp/multiprocessing";

const shmA = new SharedMemory({ create: true, size: 10 });
console.log(shmA.buf.constructor.name); // Uint8Array (Python: memoryview)
const buffer = shmA.buf;
console.log(buffer.length); // 10
buffer.set([22, 33, 44, 55]); // Modify multiple at once
buffer[4] = 100; // Modify single byte at a time
// Attach to an existing shared memory block
const shmB = new SharedMemory({ name: shmA.name });
const copied = Int8Array.from(shmB.buf.subarray(0, 5)); // Copy the data
console.log(copied); // Int8Array(5) [ 22, 33, 44, 55, 100 ]
shmB.buf.set(new TextEncoder().encode("howdy")); // Modify via shmB using bytes
const seen = new TextDecoder().decode(shmA.buf.subarray(0, 5)); // Access via shmA
console.log(seen); // howdy
shmB.close(); // Close each SharedMemory instance
shmA.close();
shmA.unlink(); // Call unlink only once to release the shared memory

if (seen !== "howdy" || copied.join() !== "22,33,44,55,100") Deno.exit(1);
