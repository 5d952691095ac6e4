import { and, desc, eq } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { deletionRequests, legalHolds, users } from "@/db/schema";

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
 */
export async function loadInactiveAccount(db: Executor, claims: { userId: string; sessionVersion: number }) {
  const [row] = await db
    .select({ id: users.id, email: users.email, name: users.name, status: users.status, sessionVersion: users.sessionVersion })
    .from(users)
    .where(eq(users.id, claims.userId));
  if (!row || row.sessionVersion !== claims.sessionVersion || row.status === "active") return null;
  return row;
}
