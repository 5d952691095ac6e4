import "server-only";
import { createHmac, timingSafeEqual } from "node:crypto";
import { env } from "@/lib/env";

/**
 * The impersonation cookie names a session row and its expiry, signed with
 * the server secret. It sits beside the staff member's own Auth.js cookie,
 * which is never touched: exiting just drops this one.
 */
export type ImpersonationToken = { sessionId: string; expiresAt: number };

function sign(payload: string): string {
  return createHmac("sha256", `impersonation:${env.authSecret}`).update(payload).digest("base64url");
}

export function encodeImpersonationToken(token: ImpersonationToken): string {
  const payload = `${token.sessionId}.${token.expiresAt}`;
  return `${payload}.${sign(payload)}`;
}

/** Null for anything not signed by us or already expired. */
export function decodeImpersonationToken(value: string | undefined, now = Date.now()): ImpersonationToken | null {
  if (!value || value.length > 200) return null;
  const parts = value.split(".");
  if (parts.length !== 3) return null;
  const [sessionId, exp, signature] = parts as [string, string, string];
  const expected = Buffer.from(sign(`${sessionId}.${exp}`));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
  const expiresAt = Number(exp);
  if (!/^[0-9a-f-]{36}$/.test(sessionId) || !Number.isSafeInteger(expiresAt) || expiresAt <= now) return null;
  return { sessionId, expiresAt };
}
