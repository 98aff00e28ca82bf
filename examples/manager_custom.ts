// Copyright 2026 the denomp authors. MIT license.
// deno-lint-ignore-file no-console
// Python's docs, "Customized managers": a type registered with the
// manager, whose objects live in the manager's process and are used
// through proxies.
//
//   deno run --allow-read=. --allow-run examples/manager_custom.ts
//
// The manager's server imports this module to build MathsClass objects:
// it may read this directory and the toolkit (and nothing else), so the
// code below the class runs only in the main program.
import { Manager } from "@denomp/multiprocessing";

export class MathsClass {
  add(x: number, y: number): number {
    return x + y;
  }

  mul(x: number, y: number): number {
    return x * y;
  }
}

// Python: class MyManager(BaseManager): pass
//         MyManager.register('Maths', MathsClass)
const Maths = Manager.register("Maths", MathsClass);

if (import.meta.main) {
  await using manager = await Manager.start();
  const maths = await manager.create(Maths);
  console.log(await maths.add(4, 3)); // prints 7
  console.log(await maths.mul(7, 8)); // prints 56
}
