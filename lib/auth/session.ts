import "server-only";
import { headers } from "next/headers";
import { NextResponse, type NextRequest } from "next/server";
import { cache } from "react";
import { getDb } from "@/lib/database";
import { loadInactiveAccount } from "@/lib/accounts";
import type { RequestContext } from "@/lib/safety";
import { readImpersonationCookie, recordSupportPageView, resolveImpersonation, type ActiveImpersonation } from "@/lib/impersonation";
import { logger } from "@/lib/observability";
import { auth, handlers } from "./config";
import { requestMetaFrom } from "./request-meta";
import { loadSessionUser } from "./session-user";
import type { SessionUser } from "./types";

/**
 * The signed-in user for this request, read from the database every time
 * (once per request, via React's cache). A role change takes effect on the
 * next request; a bumped session version, a deactivated or deleted account
 * signs the session out at once instead of at token expiry.
 */
export const getSessionUser = cache(async (): Promise<SessionUser | null> => {
  const { user, impersonation } = await getSignedIn();
  // During a read-only support session every page sees the viewed user; the staff member's own session is untouched.
  return impersonation?.target ?? user;
});

/** The account that actually signed in, and its read-only support session if one is active. */
const getSignedIn = cache(async (): Promise<{ user: SessionUser | null; impersonation: ActiveImpersonation | null }> => {
  const session = await auth();
  const userId = session?.user?.id;
  if (!userId) return { user: null, impersonation: null };
  const db = await getDb();
  const user = await loadSessionUser(db, { userId, sessionVersion: session.sessionVersion, sessionId: session.sessionId, authTime: session.authTime });
  if (!user) return { user: null, impersonation: null };
  return { user, impersonation: await resolveImpersonation(db, user, await readImpersonationCookie()) };
});

/** The active read-only support session for this request, or null. */
export const getImpersonation = cache(async (): Promise<ActiveImpersonation | null> => (await getSignedIn()).impersonation);

/**
 * A valid session of a deactivated or pending-deletion account:
 * such an account sees only /account/deactivated, which offers the way back.
 */
export const getInactiveAccount = cache(async () => {
  const session = await auth();
  const userId = session?.user?.id;
  return userId ? loadInactiveAccount(await getDb(), { userId, sessionVersion: session.sessionVersion, sessionId: session.sessionId }) : null;
});

/** Who is asking and from where, for the guarded path. A web request never carries a system principal. */
export const getRequestContext = cache(async (via: "server_action" | "route" | "page"): Promise<RequestContext<SessionUser, ActiveImpersonation>> => {
  const anonymous = await getAnonymousRequestContext(via);
  const impersonation = await getImpersonation();
  if (impersonation && via === "page") await notePageView(impersonation, anonymous);
  return { ...anonymous, user: await getSessionUser(), impersonation };
});

/**
 * A page rendered during a support session is recorded here, by the server,
 * once per request (the path comes from proxy.ts). Link prefetches are not
 * views. A failed write is logged, never shown: the page is read-only anyway.
 */
const notePageView = cache(async (session: ActiveImpersonation, request: { requestId: string; ip: string | null; userAgent: string | null }) => {
  const h = await headers();
  const path = h.get("x-request-path");
  if (!path || h.get("next-router-prefetch") !== null) return;
  await recordSupportPageView(await getDb(), session, { path, request }).catch((error: unknown) => logger.error({ err: error }, "could not record a support page view"));
});

/**
 * The same context without looking at the session: for public reads that are
 * the same for everyone (health probes, the status page), so a request
 * carrying a cookie costs them no session lookup.
 */
export const getAnonymousRequestContext = cache(async (via: "server_action" | "route" | "page"): Promise<RequestContext<SessionUser, ActiveImpersonation>> => {
  const h = await headers();
  return {
    user: null,
    impersonation: null,
    system: null,
    via,
    requestId: h.get("x-request-id") ?? crypto.randomUUID(),
    ...requestMetaFrom(h),
    origin: { origin: h.get("origin"), secFetchSite: h.get("sec-fetch-site"), host: h.get("host") },
  };
});

/**
 * Auth.js's GET endpoints, with `/api/auth/session` honouring this app's
 * revocation: a token that still decodes but no longer signs anyone in
 * (signed out, revoked, suspended, past its lifetime) gets `null` and its
 * cookie cleared, instead of Auth.js's view of the token alone.
 */
export async function authGet(request: NextRequest): Promise<Response> {
  if (request.nextUrl.pathname.endsWith("/session") && (await auth())?.user?.id && !(await getSignedIn()).user) {
    const response = NextResponse.json(null, { headers: { "Cache-Control": "no-store" } });
    for (const cookie of request.cookies.getAll()) {
      if (cookie.name.includes("authjs.session-token")) response.cookies.set(cookie.name, "", { path: "/", maxAge: 0, httpOnly: true, sameSite: "lax", secure: cookie.name.startsWith("__Secure-") });
    }
    return response;
  }
  return handlers.GET(request);
}
