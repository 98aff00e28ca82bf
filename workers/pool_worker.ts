// Copyright 2026 the denomp authors. MIT license.
// Entry module of a pool worker (Pool and ProcessPoolExecutor) on a Web
// Worker. The logic is in lib/pool/child.ts and lib/pool/port_thread.ts.
/// <reference lib="deno.worker" />

import { runThreadPoolChild } from "../lib/pool/port_thread.ts";

runThreadPoolChild();
