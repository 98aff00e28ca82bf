// Copyright 2026 the denomp authors. MIT license.
// Entry module of a spawned child (a Process or pool worker of the spawn
// start method). The child's main module is a small data: module that
// imports this one first, then the target's module, then calls `start()`.
// The logic is in lib/spawn/child.ts.

import { bootSpawnChild, startSpawnChild } from "../lib/spawn/child.ts";

bootSpawnChild();

/** Starts the child's work once its modules are loaded. */
export function start(): void {
  startSpawnChild();
}
