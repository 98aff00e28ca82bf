// Copyright 2026 the denomp authors. MIT license.
// The one authkey mechanism (lib/_auth.ts): the synchronous frame HMAC must
// give the same bytes as Web Crypto's, whatever the lengths of key and frame.
import assert from "node:assert/strict";
import { importHmacKey, sign, signSync, verifySync } from "../lib/_auth.ts";

/** Deterministic bytes (no Math.random: a failure must reproduce). */
function bytes(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

Deno.test("signSync() gives Web Crypto's HMAC-SHA256 for every key and frame length", async () => {
  // Frame lengths around the padding edges (55/56, 63/64, 119/120 bytes)
  // and the switch to node:crypto (1024 bytes); keys shorter than, equal to
  // and longer than the 64-byte block.
  const lengths = [
    0,
    1,
    31,
    55,
    56,
    57,
    63,
    64,
    65,
    119,
    120,
    127,
    128,
    1023,
    1024,
    1025,
    4096,
    70_000,
  ];
  let checked = 0;
  for (const keyLength of [1, 16, 63, 64, 65, 200]) {
    const authkey = bytes(keyLength, keyLength);
    const key = await importHmacKey(authkey);
    for (const n of lengths) {
      const data = bytes(n, n + 7);
      const expected = await sign(key, data);
      assert.deepEqual(
        signSync(authkey, data),
        expected,
        `key ${keyLength}, frame ${n}`,
      );
      assert.equal(verifySync(authkey, data, expected), true);
      checked++;
    }
  }
  assert.equal(checked, 6 * lengths.length);
});

Deno.test("verifySync() refuses a MAC with any byte changed, a short MAC and another key's MAC", () => {
  const authkey = bytes(32, 1);
  const data = bytes(100, 2);
  const mac = signSync(authkey, data);
  for (let i = 0; i < mac.length; i++) {
    const forged = mac.slice();
    forged[i]! ^= 1;
    assert.equal(verifySync(authkey, data, forged), false, `byte ${i}`);
  }
  assert.equal(verifySync(authkey, data, mac.subarray(0, 31)), false);
  assert.equal(verifySync(bytes(32, 3), data, mac), false);
  const changed = data.slice();
  changed[99]! ^= 0x80;
  assert.equal(verifySync(authkey, changed, mac), false);
  assert.equal(verifySync(authkey, data, mac), true);
});
