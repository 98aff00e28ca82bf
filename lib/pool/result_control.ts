// Copyright 2026 the denomp authors. MIT license.
// How the pool makes and settles AsyncResults. The class (lib/async_result.ts)
// keeps its state #private and its constructor private, and hands these
// three functions over from its static block; only the pool calls them.
// Private.

import type { AsyncResult } from "../async_result.ts";

/** A callback given to `applyAsync` / `mapAsync`. */
export type ResultCallback = (value: never) => void;

/** What lib/async_result.ts installs. */
export interface ResultControl {
  /** A pending result that will call `callback` or `errorCallback` once. */
  create(
    callback: ResultCallback | undefined,
    errorCallback: ((error: unknown) => void) | undefined,
  ): AsyncResult<unknown>;
  /** Settles with a value (a no-op once settled). */
  resolve(result: AsyncResult<unknown>, value: unknown): void;
  /** Settles with an error (a no-op once settled). */
  reject(result: AsyncResult<unknown>, error: unknown): void;
}

/** The installed control; set before any pool method can run. */
export let results: ResultControl;

/** Called once, by AsyncResult's static block. */
export function installResultControl(control: ResultControl): void {
  results = control;
}
