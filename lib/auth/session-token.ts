import "server-only";
import { decode, encode, type JWT, type JWTDecodeParams, type JWTEncodeParams } from "next-auth/jwt";

/**
 * Auth.js's own session-token encryption, remembered. A signed-in request
 * decrypts its session cookie twice (the proxy's renewal check, then the
 * page's `auth()`) and `auth()` encrypts a fresh one that a page cannot even
 * set. Each is a chain of Web Crypto calls on libuv's thread pool (key
 * derivation, key thumbprint, AES, HMAC): 0.5–0.9 ms each, measured.
 *
 * - A browser sends the same cookie on every request until it is renewed, so
 *   a token that decrypted is remembered until its own expiry. Only tokens
 *   that decrypted are kept: a forged one never enters, and is refused by
 *   Auth.js each time as before.
 * - A token encrypted for the same claims, lifetime and secret within the same
 *   second is reused: Auth.js would produce the same expiry and differ only in
 *   its random `jti`, which nothing here reads.
 *
 * Whether a session is still honoured (revoked, signed out everywhere,
 * suspended) is decided per request from the database, not from the token,
 * so remembering a token changes nothing about revocation.
 */
const MAX_DECODED = 10_000;

type Decoded = { secret: JWTDecodeParams["secret"]; payload: JWT; expiresAt: number };
const decoded = new Map<string, Decoded>();

type Encoded = { secret: JWTEncodeParams["secret"]; token: string };
let encodedSecond = -1;
const encoded = new Map<string, Encoded>();

/** The same key material: a string, or the same strings in order (Auth.js accepts a list while secrets rotate). */
function sameSecret(a: string | string[], b: string | string[]): boolean {
  if (a === b) return true;
  return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((s, i) => s === b[i]);
}

/** The key material as it is now, kept beside a remembered token: a list changed in place later must not still match. */
function kept(secret: string | string[]): string | string[] {
  return Array.isArray(secret) ? [...secret] : secret;
}

/** `decode` from next-auth/jwt, remembered per token until the token expires. */
export async function decodeSessionToken(params: JWTDecodeParams): Promise<JWT | null> {
  if (!params.token) return null;
  const key = `${params.salt}\n${params.token}`;
  const hit = decoded.get(key);
  if (hit && sameSecret(hit.secret, params.secret) && Date.now() / 1000 < hit.expiresAt) return { ...hit.payload };
  if (hit) decoded.delete(key);
  const payload = await decode(params);
  if (payload && typeof payload.exp === "number") {
    // Oldest first out: a Map keeps insertion order.
    if (decoded.size >= MAX_DECODED) decoded.delete(decoded.keys().next().value!);
    decoded.set(key, { secret: kept(params.secret), payload: Object.freeze({ ...payload }), expiresAt: payload.exp });
  }
  // A copy: Auth.js hands the payload to callbacks that may change it.
  return payload ? { ...payload } : null;
}

/** `encode` from next-auth/jwt, reused within one second for the same claims. */
export async function encodeSessionToken(params: JWTEncodeParams): Promise<string> {
  const second = Math.floor(Date.now() / 1000);
  if (second !== encodedSecond) {
    encoded.clear();
    encodedSecond = second;
  }
  // Auth.js sets iat, exp and jti itself on every token, whatever the payload says.
  const { iat: _iat, exp: _exp, jti: _jti, ...claims } = params.token ?? {};
  const key = `${params.salt}\n${params.maxAge ?? ""}\n${JSON.stringify(claims)}`;
  const hit = encoded.get(key);
  if (hit && sameSecret(hit.secret, params.secret)) return hit.token;
  const token = await encode(params);
  if (Math.floor(Date.now() / 1000) === second) encoded.set(key, { secret: kept(params.secret), token });
  return token;
}

/** Test hook: forget every remembered token. */
export function forgetSessionTokensForTests(): void {
  decoded.clear();
  encoded.clear();
}
