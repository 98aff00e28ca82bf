// Copyright 2026 the denomp authors. MIT license.
// The stdio framing between a spawned child and its parent (lib/spawn/wire.ts).
import assert from "node:assert/strict";
import { decode, encode } from "../lib/channel/codec.ts";
import { forEachPiece, StderrDemux } from "../lib/spawn/wire.ts";

function pieces(message: unknown): Uint8Array[] {
  const out: Uint8Array[] = [];
  forEachPiece(encode(message), (piece) => out.push(piece.slice()));
  return out;
}

/** Splits bytes at pseudo-random points, deterministically. */
function split(bytes: Uint8Array, seed: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  let x = seed;
  for (let at = 0; at < bytes.length;) {
    x = (x * 1103515245 + 12345) >>> 0;
    const n = 1 + (x % 5000);
    out.push(bytes.subarray(at, at + n));
    at += n;
  }
  return out;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

Deno.test("StderrDemux takes the child's messages out of its stderr and keeps its own text in order", () => {
  const encoder = new TextEncoder();
  const messages = [
    { t: "done", id: 1, r: [1, 2, 3], e: null },
    "x".repeat(10_000), // several pieces
    new Uint8Array(9000).map((_, i) => i & 255), // every byte value
    null,
    { deep: [{ é: "ü" }] },
  ];
  const texts = [
    "plain text\n",
    "\xff not a header\n",
    "error: Uncaught ...\n",
    "\u00ff\u00fe",
    "",
    "the end",
  ];
  // Text, message, text, message, ... with the marker byte in the text too.
  const stream: Uint8Array[] = [];
  for (let i = 0; i < texts.length; i++) {
    stream.push(encoder.encode(texts[i]), new Uint8Array([0xff, 0xfe, 0x6d]));
    if (i < messages.length) stream.push(...pieces(messages[i]));
  }
  const bytes = concat(stream);
  for (const seed of [1, 2, 3, 42, 1000]) {
    const got: unknown[] = [];
    const text: Uint8Array[] = [];
    const demux = new StderrDemux(
      (m) => got.push(decode(m)),
      (t) => text.push(t.slice()),
    );
    for (const chunk of split(bytes, seed)) demux.push(chunk);
    demux.end();
    assert.deepEqual(got, messages);
    const expected = concat(
      texts.map((t) =>
        concat([encoder.encode(t), new Uint8Array([0xff, 0xfe, 0x6d])])
      ),
    );
    assert.deepEqual(concat(text), expected);
    assert.ok(demux.tail.endsWith("the end\ufffd\ufffdm"));
  }
});

Deno.test("StderrDemux keeps only the last 4 KiB of text as its tail", () => {
  const demux = new StderrDemux(() => {}, () => {});
  for (let i = 0; i < 100; i++) {
    demux.push(new TextEncoder().encode(`${i};`.repeat(50)));
  }
  assert.equal(demux.tail.length, 4096);
  assert.ok(demux.tail.endsWith("99;99;"));
});
