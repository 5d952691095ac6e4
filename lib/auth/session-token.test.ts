import { afterEach, beforeEach, expect, it, vi } from "vitest";
import * as jwt from "next-auth/jwt";
import { decodeSessionToken, encodeSessionToken, forgetSessionTokensForTests } from "./session-token";

// Auth.js's own functions, counted: what is remembered must not reach them again.
vi.mock("next-auth/jwt", async (original) => {
  const actual = await original<typeof import("next-auth/jwt")>();
  return { ...actual, decode: vi.fn(actual.decode), encode: vi.fn(actual.encode) };
});

const secret = "session-token-test-secret-0123456789";
const salt = "authjs.session-token";
const claims = { sub: "user-1", sid: "session-1", sv: 0, at: 1_000 };

beforeEach(() => {
  forgetSessionTokensForTests();
  vi.mocked(jwt.decode).mockClear();
  vi.mocked(jwt.encode).mockClear();
});

afterEach(() => {
  vi.useRealTimers();
});

it("decrypts a token once and answers later reads of the same token from memory, with a copy each time", async () => {
  const token = await jwt.encode({ token: claims, secret, salt, maxAge: 600 });
  const first = await decodeSessionToken({ token, secret, salt });
  expect(first).toMatchObject(claims);
  first!.sub = "someone-else";
  const second = await decodeSessionToken({ token, secret, salt });
  expect(second).toMatchObject(claims);
  expect(jwt.decode).toHaveBeenCalledTimes(1);
});

it("refuses a tampered token every time and never remembers it", async () => {
  const token = await jwt.encode({ token: claims, secret, salt, maxAge: 600 });
  const parts = token.split(".");
  parts[3] = `${parts[3]!.slice(0, -2)}${parts[3]!.endsWith("AA") ? "BB" : "AA"}`;
  const forged = parts.join(".");
  await expect(decodeSessionToken({ token: forged, secret, salt })).rejects.toThrow();
  await expect(decodeSessionToken({ token: forged, secret, salt })).rejects.toThrow();
  expect(jwt.decode).toHaveBeenCalledTimes(2);
});

it("does not answer for another secret or another cookie name", async () => {
  const token = await jwt.encode({ token: claims, secret, salt, maxAge: 600 });
  await decodeSessionToken({ token, secret, salt });
  await expect(decodeSessionToken({ token, secret: "another-secret-0123456789abcdef", salt })).rejects.toThrow();
  await expect(decodeSessionToken({ token, secret, salt: "__Secure-authjs.session-token" })).rejects.toThrow();
});

it("forgets a token at its expiry: an expired session is refused as Auth.js refuses it", async () => {
  vi.useFakeTimers({ toFake: ["Date"] });
  const token = await jwt.encode({ token: claims, secret, salt, maxAge: 60 });
  expect(await decodeSessionToken({ token, secret, salt })).toMatchObject(claims);
  // Past the expiry and Auth.js's 15 s clock tolerance.
  vi.setSystemTime(Date.now() + 120_000);
  await expect(decodeSessionToken({ token, secret, salt })).rejects.toThrow(/exp/);
  expect(jwt.decode).toHaveBeenCalledTimes(2);
});

it("reuses a token encrypted for the same claims within one second, and only then", async () => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(new Date("2026-01-01T00:00:00.100Z"));
  const a = await encodeSessionToken({ token: { ...claims, jti: "x", iat: 1, exp: 2 }, secret, salt, maxAge: 600 });
  const b = await encodeSessionToken({ token: { ...claims, jti: "y", iat: 3, exp: 4 }, secret, salt, maxAge: 600 });
  expect(b).toBe(a);
  const other = await encodeSessionToken({ token: { ...claims, sv: 1 }, secret, salt, maxAge: 600 });
  expect(other).not.toBe(a);
  const shorter = await encodeSessionToken({ token: claims, secret, salt, maxAge: 300 });
  expect(shorter).not.toBe(a);
  vi.setSystemTime(new Date("2026-01-01T00:00:01.100Z"));
  const later = await encodeSessionToken({ token: claims, secret, salt, maxAge: 600 });
  expect(later).not.toBe(a);
  expect(jwt.encode).toHaveBeenCalledTimes(4);
  expect(await jwt.decode({ token: a, secret, salt })).toMatchObject({ ...claims, exp: Math.floor(Date.parse("2026-01-01T00:00:00Z") / 1000) + 600 });
});

it("answers from memory for a list of secrets equal to the one it decrypted with, not for a changed list", async () => {
  const token = await jwt.encode({ token: claims, secret, salt, maxAge: 600 });
  const secrets = [secret, "an-older-secret-0123456789abcdef"];
  await decodeSessionToken({ token, secret: secrets, salt });
  expect(await decodeSessionToken({ token, secret: [...secrets], salt })).toMatchObject(claims);
  expect(jwt.decode).toHaveBeenCalledTimes(1);
  secrets[0] = "a-rotated-secret-0123456789abcdef";
  await expect(decodeSessionToken({ token, secret: secrets, salt })).rejects.toThrow();
});
