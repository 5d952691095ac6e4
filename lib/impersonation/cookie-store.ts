import "server-only";
import { cookies } from "next/headers";
import { env } from "@/lib/env";
import { IMPERSONATION_COOKIE } from "./config";
import { encodeImpersonationToken, type ImpersonationToken } from "./cookie";

/** Reads the raw impersonation cookie; undefined outside a request (tests, scripts, jobs). */
export async function readImpersonationCookie(): Promise<string | undefined> {
  try {
    return (await cookies()).get(IMPERSONATION_COOKIE)?.value;
  } catch {
    return undefined;
  }
}

/**
 * The browser's cookie jar, or null when there is no browser: a script
 * running the actions (the demo seed) has no request to set a cookie on.
 * Any other failure is thrown.
 */
async function requestCookies() {
  try {
    return await cookies();
  } catch (error) {
    if (error instanceof Error && /outside a request scope/.test(error.message)) return null;
    throw error;
  }
}

export async function setImpersonationCookie(token: ImpersonationToken): Promise<void> {
  (await requestCookies())?.set(IMPERSONATION_COOKIE, encodeImpersonationToken(token), {
    httpOnly: true,
    sameSite: "lax",
    secure: env.NODE_ENV === "production",
    path: "/",
    expires: new Date(token.expiresAt),
  });
}

export async function clearImpersonationCookie(): Promise<void> {
  (await requestCookies())?.delete(IMPERSONATION_COOKIE);
}
