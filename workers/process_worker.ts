// Copyright 2026 the denomp authors. MIT license.
// Entry module of a Process's worker. The logic is in lib/process/child.ts.
/// <reference lib="deno.worker" />

import { runProcessChild } from "../lib/process/child.ts";

runProcessChild();
