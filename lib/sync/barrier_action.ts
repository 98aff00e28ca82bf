// Copyright 2026 the denomp authors. MIT license.
// How a Barrier's action reaches a Process. The action crosses by reference
// (module URL and export name, as a Process target does), and must be ready
// synchronously, because the last party to arrive may be in `waitSync()`
// with no chance to await an import. So a shared Barrier with an action
// names `lib/sync/barrier_preload.ts?module=<action module>` as the module of its
// descriptor: the registry imports that before reviving anything, and its
// top-level await imports the action's module and records the namespace
// here, where the reviver finds it synchronously. Private.

import type { TargetRef } from "../_target.ts";
import { entryUrl } from "../_entries.ts";

const namespaces = new Map<string, Record<string, unknown>>();

/** Records an imported action module (called by `lib/sync/barrier_preload.ts`). */
export function rememberActionModule(
  url: string,
  namespace: Record<string, unknown>,
): void {
  namespaces.set(url, namespace);
}

/** The descriptor module for a barrier whose action lives in `module`. */
export function preloadUrl(module: string): string {
  const url = entryUrl("lib/sync/barrier_preload");
  url.searchParams.set("module", module);
  return url.href;
}

/**
 * Finds the action synchronously in its already imported module, checking
 * that it is the same function (by source) as on the sending side.
 *
 * @throws {TypeError} If the module was not preloaded or does not export it.
 */
export function resolveAction(ref: TargetRef): () => unknown {
  const namespace = namespaces.get(ref.module);
  let found = namespace && Object.hasOwn(namespace, ref.name)
    ? namespace[ref.name]
    : undefined;
  if (namespace && ref.source !== null && !sameSource(found, ref.source)) {
    found = Object.values(namespace).find((v) => sameSource(v, ref.source!));
  }
  if (typeof found !== "function") {
    throw new TypeError(
      `Cannot run barrier action: function ${ref.name} is not exported by ${ref.module}; export it from that module, or pass module: import.meta.url from the module that exports it`,
    );
  }
  return found as () => unknown;
}

function sameSource(value: unknown, source: string): boolean {
  return typeof value === "function" &&
    Function.prototype.toString.call(value) === source;
}
