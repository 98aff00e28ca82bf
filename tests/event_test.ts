// Copyright 2026 the denomp authors. MIT license.
import assert from "node:assert/strict";
import { Event, Process } from "@denomp/multiprocessing";
import { SHARE } from "../dist/lib/_internal.js";
import { ERRORS, newOut, RESULT, STARTED } from "./fixtures/sync_targets.ts";

const module = new URL("./fixtures/sync_targets.ts", import.meta.url);

function waitStarted(out: Int32Array): void {
  while (Atomics.load(out, STARTED) === 0) Atomics.wait(out, STARTED, 0, 100);
}

// ---- Python's _TestEvent.test_event ----

Deno.test("Event.wait() gives false on timeout and true once set", async () => {
  const event = new Event();
  assert.equal(event.isSet(), false);
  assert.equal(await event.wait({ timeout: 0 }), false);
  assert.equal(await event.wait({ timeout: 10 }), false);
  assert.equal(event.waitSync({ timeout: 0 }), false);
  assert.equal(event.waitSync({ timeout: 10 }), false);
  event.set();
  assert.equal(event.isSet(), true);
  assert.equal(await event.wait(), true);
  assert.equal(await event.wait({ timeout: 0 }), true);
  assert.equal(event.waitSync({ timeout: 10 }), true);
  event.set(); // no-op when already set
  assert.equal(event.isSet(), true);
  event.clear();
  assert.equal(event.isSet(), false);
  assert.equal(await event.wait({ timeout: 0 }), false);
});

Deno.test("Event.set() from a Process wakes the waiting parent", async () => {
  const event = new Event();
  await using p = new Process({ target: "eventSet", args: [event], module });
  await p.start();
  assert.equal(await event.wait(), true);
  await p.join();
  assert.equal(p.exitcode, 0);
  assert.equal(event.isSet(), true);
});

Deno.test("Event.set() wakes every waiter in every Process", async () => {
  const event = new Event();
  const outs = [newOut(), newOut(), newOut(), newOut()];
  const processes = outs.map((out, i) =>
    new Process({
      target: i % 2 === 0 ? "eventWait" : "eventWaitSync",
      args: [event, out],
      module,
    })
  );
  try {
    await Promise.all(processes.map((p) => p.start()));
    for (const out of outs) waitStarted(out);
    const local = event.wait();
    event.set();
    assert.equal(await local, true);
    await Promise.all(processes.map((p) => p.join()));
    for (const p of processes) assert.equal(p.exitcode, 0);
  } finally {
    for (const p of processes) await p[Symbol.asyncDispose]();
  }
  for (const out of outs) {
    assert.equal(Atomics.load(out, RESULT), 1);
    assert.equal(Atomics.load(out, ERRORS), 0);
  }
});

Deno.test("Event.wait() gives true after a set() even if cleared before it woke", async () => {
  const event = new Event();
  const waiting = event.wait();
  event.set();
  event.clear();
  assert.equal(await waiting, true);
  assert.equal(event.isSet(), false);
});

Deno.test("Event.wait() is not fooled by a wake-up without a set()", async () => {
  // A set() that an earlier wait already saw may notify late; the wake-up
  // then lands on the next wait, which must keep waiting.
  const event = new Event();
  const data = event[SHARE]().data as SharedArrayBuffer;
  const word = new Int32Array(data);
  const waiting = event.wait({ timeout: 30 });
  await new Promise((resolve) => setTimeout(resolve, 5));
  Atomics.notify(word, 0);
  assert.equal(await waiting, false);
  assert.equal(event.isSet(), false);
});

Deno.test("Event.wait() rejects with signal.reason when aborted", async () => {
  const event = new Event();
  const controller = new AbortController();
  const waiting = event.wait({ signal: controller.signal });
  const other = event.wait();
  controller.abort(new Error("stop"));
  await assert.rejects(waiting, { message: "stop" });
  assert.equal(event.isSet(), false);
  event.set();
  assert.equal(await other, true);
  await assert.rejects(
    event.wait({ signal: AbortSignal.abort(new Error("early")) }),
    { message: "early" },
  );
});

Deno.test("Event.wait() in a Process gives false when its timeout runs out", async () => {
  const event = new Event();
  const out = newOut();
  await using p = new Process({
    target: "eventWait",
    args: [event, out, 20],
    module,
  });
  await p.start();
  await p.join();
  assert.equal(p.exitcode, 0);
  assert.equal(Atomics.load(out, ERRORS), 1);
  assert.equal(Atomics.load(out, RESULT), 0);
});

Deno.test("Event ping-pong between two Processes completes every round", async () => {
  const ping = new Event();
  const pong = new Event();
  const rounds = 2000;
  await using p = new Process({
    target: "eventPong",
    args: [ping, pong, rounds],
    module,
  });
  await p.start();
  for (let i = 0; i < rounds; i++) {
    ping.set();
    // A lost or doubled round would leave this wait without a set(); the
    // generous timeout turns such a hang into a failure.
    assert.equal(await pong.wait({ timeout: 20_000 }), true);
    pong.clear();
  }
  await p.join();
  assert.equal(p.exitcode, 0);
});

Deno.test("Event rejects bad input with TypeError and RangeError", async () => {
  const event = new Event();
  await assert.rejects(event.wait({ timeout: -1 }), RangeError);
  await assert.rejects(
    event.wait({ timeout: "5" as unknown as number }),
    TypeError,
  );
  await assert.rejects(
    event.wait({ signal: "no" as unknown as AbortSignal }),
    TypeError,
  );
  assert.throws(() => event.waitSync({ timeout: -1 }), RangeError);
  assert.throws(
    () => event.waitSync({ timeout: NaN }),
    /Cannot wait for event: timeout must be a number/,
  );
  assert.equal(event.isSet(), false);
});

Deno.test("Event has a readable inspect output", () => {
  const event = new Event();
  assert.equal(Deno.inspect(event), "Event { set: false }");
  event.set();
  assert.equal(Deno.inspect(event), "Event { set: true }");
});
