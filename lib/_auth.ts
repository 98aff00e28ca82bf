// Copyright 2026 the denomp authors. MIT license.
// The one authkey mechanism of the toolkit: HMAC-SHA256 with Web Crypto,
// used by the Manager's challenge handshake (and everything that speaks it)
// and by anything that signs whole frames. Private.

import { describe } from "./_wait.ts";

const encoder = new TextEncoder();

/** HMAC prefixes, so that a reply can never be replayed as the other side's. */
export const CLIENT_PROOF = "denomp-client:";
/** See {@linkcode CLIENT_PROOF}. */
export const SERVER_PROOF = "denomp-server:";
/** Bytes in a handshake challenge. */
export const CHALLENGE_BYTES = 32;

/** Imports an HMAC-SHA256 key. */
export function importHmacKey(authkey: Uint8Array): Promise<CryptoKey> {
  return crypto.subtle.importKey(
    "raw",
    authkey as Uint8Array<ArrayBuffer>,
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign", "verify"],
  );
}

/** `prefix || challenge` as bytes, the data each side signs. */
export function proofData(prefix: string, challenge: Uint8Array): Uint8Array {
  const p = encoder.encode(prefix);
  const out = new Uint8Array(p.length + challenge.length);
  out.set(p);
  out.set(challenge, p.length);
  return out;
}

/** HMAC-SHA256 of `prefix || challenge`. */
export async function prove(
  key: CryptoKey,
  prefix: string,
  challenge: Uint8Array,
): Promise<Uint8Array> {
  return new Uint8Array(
    await crypto.subtle.sign(
      "HMAC",
      key,
      proofData(prefix, challenge) as Uint8Array<ArrayBuffer>,
    ),
  );
}

/** Constant-time check of a proof. */
export function verifyProof(
  key: CryptoKey,
  prefix: string,
  challenge: Uint8Array,
  proof: Uint8Array,
): Promise<boolean> {
  return crypto.subtle.verify(
    "HMAC",
    key,
    proof as Uint8Array<ArrayBuffer>,
    proofData(prefix, challenge) as Uint8Array<ArrayBuffer>,
  );
}

/**
 * An authkey as bytes: a string is taken as its UTF-8 bytes; a
 * `Uint8Array` is copied.
 *
 * @throws {TypeError} For anything else.
 */
export function keyBytes(what: string, authkey: unknown): Uint8Array {
  if (typeof authkey === "string") return encoder.encode(authkey);
  if (authkey instanceof Uint8Array) return authkey.slice();
  throw new TypeError(
    `${what}: authkey must be a Uint8Array or a string, received ${
      describe(authkey)
    }`,
  );
}

/** HMAC-SHA256 of a whole frame. */
export async function sign(
  key: CryptoKey,
  data: Uint8Array,
): Promise<Uint8Array> {
  return new Uint8Array(
    await crypto.subtle.sign("HMAC", key, data as Uint8Array<ArrayBuffer>),
  );
}

/** Constant-time check of a frame's HMAC. */
export function verify(
  key: CryptoKey,
  data: Uint8Array,
  mac: Uint8Array,
): Promise<boolean> {
  return crypto.subtle.verify(
    "HMAC",
    key,
    mac as Uint8Array<ArrayBuffer>,
    data as Uint8Array<ArrayBuffer>,
  );
}

/**
 * Frames up to this many bytes are signed by the SHA-256 below; longer ones
 * by node:crypto, whose native hash is ~10x faster per byte but whose
 * JavaScript layers cost ~70 us per call on a latency path (a process woken
 * from its event loop runs them with cold caches), against ~20 us for the
 * small function here. Hot, both take 15-20 us at this size.
 */
const SMALL_FRAME = 1024;

/** SHA-256 round constants (FIPS 180-4, 4.2.2). */
// deno-fmt-ignore
const K = new Uint32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1,
  0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
  0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
  0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
  0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
  0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
  0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
  0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);
/** SHA-256 initial hash value (FIPS 180-4, 5.3.3). */
// deno-fmt-ignore
const IV = new Uint32Array([
  0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c,
  0x1f83d9ab, 0x5be0cd19,
]);
const BLOCK = 64;
/** The message schedule, reused by every compression (single-threaded). */
const schedule = new Uint32Array(64);

/** Runs the SHA-256 compression of the 64-byte block at `o` into `h`. */
function compress(h: Uint32Array, bytes: Uint8Array, o: number): void {
  const w = schedule;
  for (let i = 0; i < 16; i++, o += 4) {
    w[i] = (bytes[o]! << 24) | (bytes[o + 1]! << 16) | (bytes[o + 2]! << 8) |
      bytes[o + 3]!;
  }
  for (let i = 16; i < 64; i++) {
    const a = w[i - 15]!;
    const b = w[i - 2]!;
    const s0 = ((a >>> 7) | (a << 25)) ^ ((a >>> 18) | (a << 14)) ^ (a >>> 3);
    const s1 = ((b >>> 17) | (b << 15)) ^ ((b >>> 19) | (b << 13)) ^
      (b >>> 10);
    w[i] = (w[i - 16]! + s0 + w[i - 7]! + s1) | 0;
  }
  let a = h[0]!;
  let b = h[1]!;
  let c = h[2]!;
  let d = h[3]!;
  let e = h[4]!;
  let f = h[5]!;
  let g = h[6]!;
  let k = h[7]!;
  for (let i = 0; i < 64; i++) {
    const s1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^
      ((e >>> 25) | (e << 7));
    const t1 = (k + s1 + ((e & f) ^ (~e & g)) + K[i]! + w[i]!) | 0;
    const s0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^
      ((a >>> 22) | (a << 10));
    const t2 = (s0 + ((a & b) ^ (a & c) ^ (b & c))) | 0;
    k = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = b;
    b = a;
    a = (t1 + t2) | 0;
  }
  h[0] = h[0]! + a;
  h[1] = h[1]! + b;
  h[2] = h[2]! + c;
  h[3] = h[3]! + d;
  h[4] = h[4]! + e;
  h[5] = h[5]! + f;
  h[6] = h[6]! + g;
  h[7] = h[7]! + k;
}

/**
 * Hashes `data` on from state `h`, which has taken `before` bytes already
 * (a multiple of 64), and pads and finishes it.
 */
function finish(h: Uint32Array, before: number, data: Uint8Array): void {
  let o = 0;
  for (; o + BLOCK <= data.length; o += BLOCK) compress(h, data, o);
  const rest = data.length - o;
  const tail = new Uint8Array(rest + 9 <= BLOCK ? BLOCK : 2 * BLOCK);
  tail.set(data.subarray(o));
  tail[rest] = 0x80;
  const bits = (before + data.length) * 8;
  const view = new DataView(tail.buffer);
  view.setUint32(tail.length - 8, Math.floor(bits / 0x1_0000_0000));
  view.setUint32(tail.length - 4, bits >>> 0);
  compress(h, tail, 0);
  if (tail.length > BLOCK) compress(h, tail, BLOCK);
}

/** The state words as the 32 bytes of a digest. */
function digestBytes(h: Uint32Array): Uint8Array {
  const out = new Uint8Array(32);
  const view = new DataView(out.buffer);
  for (let i = 0; i < 8; i++) view.setUint32(4 * i, h[i]!);
  return out;
}

/** The SHA-256 states after an authkey's inner and outer pads (RFC 2104). */
interface Pads {
  inner: Uint32Array;
  outer: Uint32Array;
}

/**
 * Pads per authkey: a connection signs every frame with the same key. The
 * arrays signed with are the toolkit's own copies ({@linkcode keyBytes}),
 * never written to after.
 */
const padsOf = new WeakMap<Uint8Array, Pads>();

function pads(authkey: Uint8Array): Pads {
  let p = padsOf.get(authkey);
  if (p !== undefined) return p;
  const block = new Uint8Array(BLOCK);
  if (authkey.length > BLOCK) {
    const h = IV.slice();
    finish(h, 0, authkey);
    block.set(digestBytes(h));
  } else block.set(authkey);
  for (let i = 0; i < BLOCK; i++) block[i]! ^= 0x36;
  const inner = IV.slice();
  compress(inner, block, 0);
  for (let i = 0; i < BLOCK; i++) block[i]! ^= 0x36 ^ 0x5c;
  const outer = IV.slice();
  compress(outer, block, 0);
  p = { inner, outer };
  padsOf.set(authkey, p);
  return p;
}

/** HMAC-SHA256 of a small frame, in JavaScript. */
function hmacSmall(authkey: Uint8Array, data: Uint8Array): Uint8Array {
  const { inner, outer } = pads(authkey);
  const h = inner.slice();
  finish(h, BLOCK, data);
  const o = outer.slice();
  finish(o, BLOCK, digestBytes(h));
  return digestBytes(o);
}

interface NodeCrypto {
  createHmac(
    algorithm: string,
    key: Uint8Array,
  ): { update(data: Uint8Array): { digest(): Uint8Array } };
}

let nodeCrypto: NodeCrypto | null = null;

/** node:crypto, loaded on first use (it costs tens of ms to load). */
function loadNodeCrypto(): NodeCrypto {
  if (nodeCrypto === null) {
    const process = (globalThis as unknown as {
      process: { getBuiltinModule(id: string): unknown };
    }).process;
    nodeCrypto = process.getBuiltinModule("node:crypto") as NodeCrypto;
  }
  return nodeCrypto;
}

/**
 * HMAC-SHA256 of a whole frame, computed synchronously: the same bytes as
 * {@linkcode sign}, for frames on a latency path (the cluster signs and
 * checks four per task round trip). One awaited Web Crypto call costs
 * ~100 us here (a hop to a thread pool); this ~7 us on a small frame, ~20
 * us with cold caches. Long frames go to node:crypto, loaded on first use
 * so that modules that never sign one do not pay for it.
 */
export function signSync(authkey: Uint8Array, data: Uint8Array): Uint8Array {
  if (data.length <= SMALL_FRAME) return hmacSmall(authkey, data);
  const digest = loadNodeCrypto().createHmac("sha256", authkey).update(data)
    .digest();
  return new Uint8Array(digest.buffer, digest.byteOffset, digest.byteLength);
}

/** Constant-time check of a frame's HMAC, synchronously (see signSync). */
export function verifySync(
  authkey: Uint8Array,
  data: Uint8Array,
  mac: Uint8Array,
): boolean {
  const expected = signSync(authkey, data);
  if (mac.length !== expected.length) return false;
  // Every byte is compared whatever the first difference, so the time
  // taken says nothing about where a forged MAC goes wrong.
  let diff = 0;
  for (let i = 0; i < expected.length; i++) diff |= expected[i]! ^ mac[i]!;
  return diff === 0;
}
