// Copyright 2026 the denomp authors. MIT license.
// Validating pool and executor options into a PoolCore. Private.

import { PoolCore } from "./core.ts";
import type { Transport } from "./transport.ts";
import { SpawnTransport } from "./transport_spawn.ts";
import { checkMaxHeap } from "../spawn/launch.ts";
import { ThreadTransport } from "./transport_thread.ts";
import { targetModule, targetRef } from "../_target.ts";
import {
  checkStartMethod,
  resolveStartMethod,
  type StartMethod,
} from "../_start_method.ts";
import { checkTimeout, describe } from "../_wait.ts";
import type { WorkerPermissions } from "../_workers.ts";
import { checkPermissions } from "../_permission_flags.ts";
import { cpuCount } from "../process.ts";

/**
 * The key of a private option that hands a Pool or ProcessPoolExecutor a
 * ready-made transport instead of its start method's: how `./cluster`
 * drives the same classes over Redis. Not part of the public options.
 */
export const TRANSPORT: unique symbol = Symbol("denomp.transport");

/** The options Pool and ProcessPoolExecutor share. */
export interface CoreInput {
  [TRANSPORT]?: Transport | undefined;
  processes?: number | undefined;
  maxWorkers?: number | undefined;
  initializer?: unknown;
  initargs?: unknown[] | undefined;
  maxTasksPerChild?: number | undefined;
  module?: string | URL | undefined;
  permissions?: WorkerPermissions | undefined;
  startMethod?: StartMethod | undefined;
  /** A `getContext()` result (executors). */
  mpContext?: { readonly startMethod: StartMethod } | undefined;
  maxHeapMb?: number | undefined;
}

/** Builds the worker set from pool or executor options. Private to lib. */
export function buildCore(
  what: string,
  options: CoreInput,
  sizeKey: "processes" | "maxWorkers",
  namePrefix: string,
): PoolCore {
  const {
    initializer,
    initargs = [],
    maxTasksPerChild,
    module,
    permissions,
  } = options;
  const size = options[sizeKey] ?? cpuCount();
  if (typeof size !== "number") {
    throw new TypeError(
      `${what}: ${sizeKey} must be a number, received ${describe(size)}`,
    );
  }
  if (!Number.isInteger(size) || size < 1) {
    throw new RangeError(
      `${what}: ${sizeKey} must be a positive integer, received ${size}`,
    );
  }
  if (maxTasksPerChild !== undefined) {
    if (typeof maxTasksPerChild !== "number") {
      throw new TypeError(
        `${what}: maxTasksPerChild must be a number, received ${
          describe(maxTasksPerChild)
        }`,
      );
    }
    if (!Number.isInteger(maxTasksPerChild) || maxTasksPerChild < 1) {
      throw new RangeError(
        `${what}: maxTasksPerChild must be a positive integer, received ${maxTasksPerChild}`,
      );
    }
  }
  if (!Array.isArray(initargs)) {
    throw new TypeError(
      `${what}: initargs must be an array, received ${describe(initargs)}`,
    );
  }
  checkPermissions(what, permissions);
  const initRef = initializer === undefined
    ? null
    : targetRef(what, initializer, module);
  // A ready-made transport (the cluster's) replaces the start method's.
  const transport: Transport = options[TRANSPORT] ??
    localTransport(what, options, module, permissions);
  const core = new PoolCore({
    size,
    initializer: initRef,
    initargs: initargs.slice(),
    maxTasksPerChild: maxTasksPerChild ?? 0,
    module,
    namePrefix,
    transport,
  });
  // Validates the module option and the initargs now, not at first task.
  targetModule(what, module);
  core.encodeInitargs(what);
  return core;
}

/** The transport of the start method the options choose, on this machine. */
function localTransport(
  what: string,
  options: CoreInput,
  module: string | URL | undefined,
  permissions: WorkerPermissions | undefined,
): Transport {
  const method = startMethodOf(what, options);
  const maxHeapMb = checkMaxHeap(what, options.maxHeapMb, method);
  return method === "spawn"
    ? new SpawnTransport({
      module: targetModule(what, module),
      permissions,
      maxHeapMb,
    })
    : new ThreadTransport(permissions);
}

/** The start method from `startMethod`, `mpContext` or the program's. */
function startMethodOf(what: string, options: CoreInput): StartMethod {
  const { startMethod, mpContext } = options;
  if (mpContext === undefined) return resolveStartMethod(what, startMethod);
  if (typeof mpContext !== "object" || mpContext === null) {
    throw new TypeError(
      `${what}: mpContext must be a context from getContext(), received ${
        describe(mpContext)
      }`,
    );
  }
  const method = checkStartMethod(
    what,
    mpContext.startMethod,
    "mpContext.startMethod",
  );
  if (startMethod !== undefined && startMethod !== method) {
    throw new TypeError(
      `${what}: startMethod ${JSON.stringify(startMethod)} and mpContext (${
        JSON.stringify(method)
      }) disagree; pass one of them`,
    );
  }
  return method;
}

/** Validates a per-task timeout; 0 in the result means none. */
export function taskTimeout(what: string, timeout: unknown): number {
  const ms = checkTimeout(what, timeout);
  if (ms === Infinity) return 0;
  return ms > 0 ? ms : Number.MIN_VALUE;
}
