// Copyright 2026 the denomp authors. MIT license.
// What one Queue object (Queue, SimpleQueue, JoinableQueue) is made of: the
// shared ring, the shared handle table, and this object's own handle; how
// it crosses into a worker and is rebuilt there. Private.
//
// A Queue has one handle role: every open handle may put, so the ring's
// writing side closes (gets drain, then end) once every handle of every
// Process is closed or its owner ended. See lib/_handles.ts.

import { Handle, type HandleGrant, HandleTable } from "../_handles.ts";
import type { ShareContext, SharedDescriptor } from "../_registry.ts";
import { createQueueRing, Ring } from "./ring.ts";

/** The one handle role of a queue. */
const ROLE = 0;

/** The parts of one queue object. */
export interface QueueParts {
  ring: Ring;
  handle: Handle;
}

/** What a queue crosses into a worker as. */
export interface QueueData {
  ring: SharedArrayBuffer;
  handles: SharedArrayBuffer;
  grant: HandleGrant;
}

/** The parts under each queue object (for subclasses and wrappers). */
export const partsOf: WeakMap<object, QueueParts> = new WeakMap();

let reviving: QueueData | null = null;
let joinableNext = false;

/**
 * Sets the descriptor data the next queue constructed on this thread is
 * rebuilt from (how a revived descriptor becomes a live instance).
 */
export function reviveNext(data: QueueData): void {
  reviving = data;
}

/** Asks the next new queue constructed on this thread to count tasks. */
export function joinableNextQueue(): void {
  joinableNext = true;
}

function wire(ring: Ring, table: HandleTable): void {
  ring.handles = table;
  // Every handle is gone: nothing more can be put. Gets drain, then end.
  table.onGone = () => ring.close();
}

/**
 * The parts of a queue being constructed: rebuilt from the data set by
 * {@linkcode reviveNext}, or new (validating `options`).
 *
 * @param owner The queue object (its parts are found from it later).
 */
export function queueParts(owner: object, options: unknown): QueueParts {
  const data = reviving;
  const joinable = joinableNext;
  reviving = null;
  joinableNext = false;
  let parts: QueueParts;
  if (data !== null) {
    const ring = new Ring(data.ring);
    const table = new HandleTable(data.handles);
    wire(ring, table);
    parts = { ring, handle: Handle.revive(table, ROLE, data.grant) };
  } else {
    const ring = createQueueRing(options, joinable);
    const table = HandleTable.create();
    wire(ring, table);
    parts = { ring, handle: Handle.first(table, ROLE) };
  }
  partsOf.set(owner, parts);
  return parts;
}

/** The descriptor of a queue object, granting the receiver a handle. */
export function shareQueue(
  kind: string,
  module: string,
  parts: QueueParts,
  context: ShareContext | undefined,
): SharedDescriptor {
  const { grant, release } = parts.handle.grant(context);
  const data: QueueData = {
    ring: parts.ring.buffer,
    handles: parts.handle.table.buffer,
    grant,
  };
  return { kind, module, data, release };
}

/** Describes a queue as Python's repr would say what matters. */
export function inspectQueue(
  name: string,
  parts: QueueParts,
  extra = "",
): string {
  const { ring, handle } = parts;
  return `${name} { maxsize: ${ring.maxsize}, qsize: ${ring.items()}${extra}, closed: ${handle.closed} }`;
}
