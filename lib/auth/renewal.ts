import "server-only";
import type { NextRequest, NextResponse } from "next/server";
import { env } from "@/lib/env";
import { decodeSessionToken, encodeSessionToken } from "./session-token";
import { SESSION_ABSOLUTE_SECONDS, SESSION_IDLE_SECONDS, SESSION_RENEW_AFTER_SECONDS } from "./session-policy";

const SESSION_COOKIES = ["__Secure-authjs.session-token", "authjs.session-token"] as const;

/**
 * Sliding renewal: a session in use gets a fresh cookie (expiring
 * SESSION_IDLE_SECONDS from now) once its token is a few minutes old, so an
 * active person stays signed in and an idle token lapses. Never past the
 * absolute lifetime from sign-in. Whether the session is still honoured
 * (revoked, suspended…) is not decided here: every request checks that.
 */
export async function renewSessionCookie(request: NextRequest, response: NextResponse, nowSeconds = Math.floor(Date.now() / 1000)): Promise<void> {
  const name = SESSION_COOKIES.find((n) => request.cookies.has(n));
  if (!name) return;
  const token = await decodeSessionToken({ token: request.cookies.get(name)!.value, secret: env.authSecret, salt: name }).catch(() => null);
  if (!token || typeof token.exp !== "number" || typeof token.at !== "number") return;
  const absoluteEnd = token.at + SESSION_ABSOLUTE_SECONDS;
  if (nowSeconds >= absoluteEnd) return;
  // Issued (or renewed) recently: nothing to do yet.
  if (token.exp - nowSeconds > SESSION_IDLE_SECONDS - SESSION_RENEW_AFTER_SECONDS) return;
  const maxAge = Math.min(SESSION_IDLE_SECONDS, absoluteEnd - nowSeconds);
  const { exp: _exp, iat: _iat, jti: _jti, ...claims } = token;
  const fresh = await encodeSessionToken({ token: claims, secret: env.authSecret, salt: name, maxAge });
  response.cookies.set(name, fresh, { httpOnly: true, sameSite: "lax", path: "/", secure: name.startsWith("__Secure-"), maxAge });
}
