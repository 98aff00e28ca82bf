// Copyright 2026 the denomp authors. MIT license.
// Targets for the spawn benchmarks that keep a spawned child lean: this
// module imports nothing, so a child loads only the toolkit's child runtime
// and this file (a target module that imports the whole toolkit is measured
// too, as an extra column).

/** The empty target. */
export function empty(): void {}
