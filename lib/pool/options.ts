// Copyright 2026 the denomp authors. MIT license.
// Validating pool and executor options into a PoolCore. Private.

import { PoolCore } from "./core.ts";
import { ThreadTransport } from "./transport_thread.ts";
import type { Transport } from "./transport.ts";
import { targetModule, targetRef } from "../_target.ts";
import { checkTimeout, describe } from "../_wait.ts";
import type { WorkerPermissions } from "../_workers.ts";
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
  if (
    permissions !== undefined && permissions !== "inherit" &&
    permissions !== "none" &&
    (typeof permissions !== "object" || permissions === null)
  ) {
    throw new TypeError(
      `${what}: permissions must be "inherit", "none" or an object, received ${
        describe(permissions)
      }`,
    );
  }
  const initRef = initializer === undefined
    ? null
    : targetRef(what, initializer, module);
  const core = new PoolCore({
    size,
    initializer: initRef,
    initargs: initargs.slice(),
    maxTasksPerChild: maxTasksPerChild ?? 0,
    module,
    namePrefix,
    transport: options[TRANSPORT] ?? new ThreadTransport(permissions),
  });
  // Validates the module option and the initargs now, not at first task.
  targetModule(what, module);
  core.encodeInitargs(what);
  return core;
}

/** Validates a per-task timeout; 0 in the result means none. */
export function taskTimeout(what: string, timeout: unknown): number {
  const ms = checkTimeout(what, timeout);
  if (ms === Infinity) return 0;
  return ms > 0 ? ms : Number.MIN_VALUE;
}
