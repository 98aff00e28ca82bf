// Copyright 2026 the denomp authors. MIT license.
// A type the benches register with the Manager. Its own module, free of
// top-level side effects, because the manager's server imports it.

/** Adds numbers on the manager. */
export class Adder {
  /** Adds. */
  add(a: number, b: number): number {
    return a + b;
  }
}
