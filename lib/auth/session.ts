import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { cache } from "react";
import { getDb } from "@/db/client";
import type { RequestContext } from "@/lib/safety/context";
import { readImpersonationCookie, resolveImpersonation, type ActiveImpersonation } from "@/lib/impersonation";
import "@/lib/impersonation/guard";
import { auth } from "./config";
import { hasPermission, type Permission } from "./permissions";
import { loadInactiveAccount } from "@/lib/accounts/queries";
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

/** The account that actually signed in, and its read-only support session if one is active (issue 4). */
const getSignedIn = cache(async (): Promise<{ user: SessionUser | null; impersonation: ActiveImpersonation | null }> => {
  const session = await auth();
  const userId = session?.user?.id;
  if (!userId) return { user: null, impersonation: null };
  const db = await getDb();
  const user = await loadSessionUser(db, { userId, sessionVersion: session.sessionVersion });
  if (!user) return { user: null, impersonation: null };
  return { user, impersonation: await resolveImpersonation(db, user, await readImpersonationCookie()) };
});

/** The active read-only support session for this request, or null. */
export const getImpersonation = cache(async (): Promise<ActiveImpersonation | null> => (await getSignedIn()).impersonation);

/**
 * A valid session of a deactivated or pending-deletion account (issue 5):
 * such an account sees only /account/deactivated, which offers the way back.
 */
export const getInactiveAccount = cache(async () => {
  const session = await auth();
  const userId = session?.user?.id;
  return userId ? loadInactiveAccount(await getDb(), { userId, sessionVersion: session.sessionVersion }) : null;
});

/** For pages: the signed-in user, or a redirect to sign in (or to the deactivated page). */
export async function requireUser(): Promise<SessionUser> {
  const user = await getSessionUser();
  if (!user) redirect((await getInactiveAccount()) ? "/account/deactivated" : "/sign-in");
  return user;
}

/** For pages: the user if they hold the permission, otherwise null (the page renders "Access denied"). */
export async function userWithPermission(permission: Permission): Promise<SessionUser | null> {
  const user = await requireUser();
  return hasPermission(user.role, permission) ? user : null;
}

/** Who is asking and from where, for the guarded path. */
export const getRequestContext = cache(async (): Promise<RequestContext> => {
  const h = await headers();
  return {
    user: await getSessionUser(),
    impersonation: await getImpersonation(),
    requestId: h.get("x-request-id") ?? crypto.randomUUID(),
    ...requestMetaFrom(h),
  };
});
