import { cookies } from "next/headers";
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

export async function setImpersonationCookie(token: ImpersonationToken): Promise<void> {
  (await cookies()).set(IMPERSONATION_COOKIE, encodeImpersonationToken(token), {
    httpOnly: true,
    sameSite: "lax",
    secure: process.env.NODE_ENV === "production",
    path: "/",
    expires: new Date(token.expiresAt),
  });
}

export async function clearImpersonationCookie(): Promise<void> {
  (await cookies()).delete(IMPERSONATION_COOKIE);
}
