import "server-only";
import { and, desc, eq, sql } from "drizzle-orm";
import type { Executor } from "@/lib/database";
import { deletionRequests, legalHolds, revokedSessions, users } from "@/db/schema";

/** Lifecycle state of one user, for their own pages and the admin user page. */
export async function accountLifecycle(db: Executor, userId: string) {
  const [user] = await db.select({ id: users.id, email: users.email, status: users.status, sessionVersion: users.sessionVersion }).from(users).where(eq(users.id, userId));
  if (!user) return null;
  const [pending] = await db
    .select({ purgeAfter: deletionRequests.purgeAfter, requestedAt: deletionRequests.requestedAt, receiptId: deletionRequests.receiptId })
    .from(deletionRequests)
    .where(and(eq(deletionRequests.userId, userId), eq(deletionRequests.status, "pending")));
  const holds = await db.select().from(legalHolds).where(eq(legalHolds.userId, userId)).orderBy(desc(legalHolds.placedAt));
  return { ...user, pendingDeletion: pending ?? null, activeHold: holds.find((h) => !h.liftedAt) ?? null, holds };
}

export type AccountLifecycle = NonNullable<Awaited<ReturnType<typeof accountLifecycle>>>;

/**
 * For a valid session of an account that is deactivated or pending deletion:
 * the account (so the one page it may see can offer the way back), else null.
 * A suspended account has no way back of its own, and a signed-out session none either.
 */
export async function loadInactiveAccount(db: Executor, claims: { userId: string; sessionVersion: number; sessionId: string | null }) {
  const [row] = await db
    .select({
      id: users.id,
      email: users.email,
      name: users.name,
      status: users.status,
      sessionVersion: users.sessionVersion,
      revoked: claims.sessionId ? sql<boolean>`exists (select 1 from ${revokedSessions} where ${revokedSessions.sessionId} = ${claims.sessionId})` : sql<boolean>`true`,
    })
    .from(users)
    .where(eq(users.id, claims.userId));
  if (!row || row.revoked || row.sessionVersion !== claims.sessionVersion || row.status === "active" || row.status === "suspended") return null;
  const { revoked: _revoked, ...account } = row;
  return account;
}
