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

interface NodeCrypto {
  createHmac(
    algorithm: string,
    key: Uint8Array,
  ): { update(data: Uint8Array): { digest(): Uint8Array } };
  timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean;
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
 * ~100 us here (a hop to a thread pool), this ~10 us. node:crypto is loaded
 * on first use, so modules that never call this do not pay for it.
 */
export function signSync(authkey: Uint8Array, data: Uint8Array): Uint8Array {
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
  return mac.length === expected.length &&
    loadNodeCrypto().timingSafeEqual(expected, mac);
}
