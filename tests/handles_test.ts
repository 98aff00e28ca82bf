// Copyright 2026 the denomp authors. MIT license.
// The handle table under queues and pipes (lib/_handles.ts), driven with
// real pids from the process table.
import assert from "node:assert/strict";
import { allocatePid, markPidEnded, selfProcess } from "../lib/_context.ts";
import { HandleTable } from "../lib/_handles.ts";

Deno.test("HandleTable counts handles per pid, grows past its first slots, and latches a role gone", () => {
  const table = HandleTable.create();
  const gone: number[] = [];
  table.onGone = (role) => gone.push(role);
  const me = selfProcess().pid;
  assert.equal(table.open(me, 0), true);
  // More owners than the table's first four slots.
  const pids = Array.from({ length: 40 }, () => allocatePid());
  for (const pid of pids) {
    assert.equal(table.open(pid, 0), true);
    assert.equal(table.open(pid, 1), true);
    assert.equal(table.open(pid, 1), true);
  }
  assert.equal(table.total(0), 41);
  assert.equal(table.total(1), 80);
  // Closing what a pid does not hold changes nothing.
  table.close(me, 1);
  assert.equal(table.total(1), 80);
  for (const pid of pids) {
    table.close(pid, 1);
    table.close(pid, 1);
  }
  assert.equal(table.total(1), 0);
  assert.deepEqual(gone, [1]);
  assert.equal(table.gone(1), true);
  assert.equal(table.open(me, 1), false); // gone for good
  for (const pid of pids) markPidEnded(pid);
});

Deno.test("HandleTable.refresh() takes dead owners' handles away, once", () => {
  const table = HandleTable.create();
  // A second object over the same memory, as another thread would have.
  const other = new HandleTable(table.buffer);
  const gone: string[] = [];
  table.onGone = (role) => gone.push(`table ${role}`);
  other.onGone = (role) => gone.push(`other ${role}`);
  const a = allocatePid();
  const b = allocatePid();
  table.open(a, 0);
  table.open(a, 0);
  table.open(b, 0);
  table.refresh();
  assert.equal(table.total(0), 3); // both alive
  markPidEnded(a);
  other.refresh();
  assert.equal(table.total(0), 1);
  assert.deepEqual(gone, []);
  markPidEnded(b);
  table.refresh();
  other.refresh(); // finds nothing more to do
  assert.equal(table.total(0), 0);
  assert.deepEqual(gone, ["table 0"]);
  assert.equal(other.gone(0), true);
});
