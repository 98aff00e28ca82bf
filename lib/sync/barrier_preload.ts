// Copyright 2026 the denomp authors. MIT license.
// Imported (with `?module=<url>`) by the shared-object registry before a
// Barrier with an action is revived in a worker: registers the Barrier kind
// and imports the action's module, so the action is ready synchronously.
// See `lib/sync/barrier_action.ts`. Private.

import "../barrier.ts";
import { rememberActionModule } from "./barrier_action.ts";

const module = new URL(import.meta.url).searchParams.get("module");
if (module !== null) {
  rememberActionModule(
    module,
    await import(module) as Record<string, unknown>,
  );
}
