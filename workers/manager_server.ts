// Copyright 2026 the denomp authors. MIT license.
// Entry module of the Manager's subprocess, started by `Manager.start()`
// with `Deno.execPath()`. The logic is in lib/manager/server.ts.

import { runManagerServer } from "../lib/manager/server.ts";

try {
  await runManagerServer();
} catch (error) {
  // The parent shows this text in its ManagerError.
  const text = error instanceof Error
    ? error.stack ?? error.message
    : String(error);
  Deno.stderr.writeSync(new TextEncoder().encode(`${text}\n`));
  Deno.exit(1);
}
