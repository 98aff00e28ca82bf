// Copyright 2026 the denomp authors. MIT license.
// Entry module of the reaper that kills a program's spawned children when
// the program dies. The logic is in lib/spawn/reaper.ts.

import { runReaper } from "../lib/spawn/reaper.ts";

await runReaper();
