// Copyright 2026 the denomp authors. MIT license.
// Entry module of a Process's Web Worker. The logic is in
// lib/process/child.ts and lib/process/port_thread.ts.
/// <reference lib="deno.worker" />

import { runThreadProcessChild } from "../lib/process/port_thread.ts";

runThreadProcessChild();
