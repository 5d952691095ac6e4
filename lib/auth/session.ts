import { eq } from "drizzle-orm";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { cache } from "react";
import { getDb } from "@/db/client";
import { users } from "@/db/schema";
import type { RequestContext } from "@/lib/safety/context";
import { auth } from "./config";
import { hasPermission, type Permission } from "./permissions";
import type { SessionUser } from "./types";

/**
 * The signed-in user for this request, read from the database every time
 * (once per request, via React's cache). A role change takes effect on the
 * next request; a bumped session version, a deactivated or deleted account
 * signs the session out at once instead of at token expiry.
 */
export const getSessionUser = cache(async (): Promise<SessionUser | null> => {
  const session = await auth();
  const id = session?.user?.id;
  if (!id) return null;
  const db = await getDb();
  const [row] = await db
    .select({ id: users.id, email: users.email, name: users.name, role: users.role, status: users.status, sessionVersion: users.sessionVersion })
    .from(users)
    .where(eq(users.id, id));
  if (!row || row.sessionVersion !== session.sessionVersion || row.status !== "active") return null;
  return { id: row.id, email: row.email, name: row.name, role: row.role, status: row.status };
});

/** For pages: the signed-in user, or a redirect to sign in. */
export async function requireUser(): Promise<SessionUser> {
  const user = await getSessionUser();
  if (!user) redirect("/sign-in");
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
    impersonation: null,
    requestId: h.get("x-request-id") ?? crypto.randomUUID(),
    ip: h.get("x-forwarded-for")?.split(",")[0]?.trim() ?? h.get("x-real-ip") ?? null,
    userAgent: h.get("user-agent"),
  };
});
