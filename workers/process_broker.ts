// Copyright 2026 the denomp authors. MIT license.
// Entry module of the broker that owns spawned Processes (start method
// "spawn"). The logic is in lib/process/broker.ts.
/// <reference lib="deno.worker" />

import { runBroker } from "../lib/process/broker.ts";

runBroker();
