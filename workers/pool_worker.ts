// Copyright 2026 the denomp authors. MIT license.
// Entry module of a pool worker (Pool and ProcessPoolExecutor). The logic is
// in lib/pool/child.ts.
/// <reference lib="deno.worker" />

import { runPoolChild } from "../lib/pool/child.ts";

runPoolChild();
