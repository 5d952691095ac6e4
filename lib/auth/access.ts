import "server-only";
import { and, desc, eq, sql } from "drizzle-orm";
import type { Executor } from "@/lib/database";
import { accountChangeRequests, users, type AccountChangeKind, type AccountChangeRequest } from "@/db/schema";
import type { NotificationInput } from "@/lib/notifications";
import { ActionFailure } from "@/lib/safety";

/**
 * Changes to someone's access that need two admins: making them an admin,
 * suspending them (and lifting it), and ending all their sessions. One admin
 * asks with a reason; a second decides; the person is emailed when it is applied.
 */
export const ACCESS_CHANGES: Record<AccountChangeKind, { label: string; email?: { subject: string; body: (reason: string) => string } }> = {
  promote_admin: { label: "Make admin" },
  suspend: {
    label: "Suspend account",
    email: {
      subject: "Your Breakwater account has been suspended",
      body: (reason) => `Two administrators suspended your account and signed it out everywhere.\nReason: ${reason}\nReply to this email if you think this is a mistake.`,
    },
  },
  unsuspend: {
    label: "Lift suspension",
    email: { subject: "Your Breakwater account is active again", body: (reason) => `Your account's suspension was lifted. You can sign in again.\nNote: ${reason}` },
  },
  revoke_sessions: {
    label: "Sign out everywhere",
    email: {
      subject: "You were signed out of Breakwater everywhere",
      body: (reason) => `An administrator ended every session of your account; sign in again to continue.\nReason: ${reason}\nIf you did not expect this, change your password.`,
    },
  },
};

/** A new request; refused for yourself, and while the same change is already waiting. */
export async function fileAccessChange(tx: Executor, change: { kind: AccountChangeKind; targetUserId: string; reason: string; requestedBy: string; requesterId: string }) {
  if (change.targetUserId === change.requesterId) throw new ActionFailure("forbidden", "You can't change your own access.");
  const [target] = await tx.select({ role: users.role, status: users.status }).from(users).where(eq(users.id, change.targetUserId)).for("update");
  if (!target) throw new ActionFailure("not_found", "That user doesn't exist.");
  if (change.kind === "promote_admin" && target.role === "admin") throw new ActionFailure("conflict", "This user is already an admin.");
  if (change.kind === "suspend" && target.status === "suspended") throw new ActionFailure("conflict", "This account is already suspended.");
  if (change.kind === "unsuspend" && target.status !== "suspended") throw new ActionFailure("conflict", "This account isn't suspended.");
  const [waiting] = await tx
    .select({ id: accountChangeRequests.id })
    .from(accountChangeRequests)
    .where(and(eq(accountChangeRequests.targetUserId, change.targetUserId), eq(accountChangeRequests.kind, change.kind), eq(accountChangeRequests.status, "pending")));
  if (waiting) throw new ActionFailure("conflict", "The same change is already waiting for a second admin.");
  const [row] = await tx
    .insert(accountChangeRequests)
    .values({ kind: change.kind, targetUserId: change.targetUserId, reason: change.reason, requestedBy: change.requestedBy, payload: { before: { role: target.role, status: target.status } } })
    .returning();
  return row!;
}

/** Applies an approved request, inside the deciding action's transaction. */
export async function applyAccessChange(tx: Executor, request: AccountChangeRequest, notify: (n: NotificationInput) => Promise<void>) {
  const [target] = await tx.select({ email: users.email, role: users.role, status: users.status }).from(users).where(eq(users.id, request.targetUserId)).for("update");
  if (!target) throw new ActionFailure("not_found", "That user doesn't exist any more.");
  const now = new Date();
  const endSessions = { sessionVersion: sql`${users.sessionVersion} + 1`, updatedAt: now };
  switch (request.kind) {
    case "promote_admin":
      if (target.role === "admin") throw new ActionFailure("conflict", "This user is already an admin.");
      await tx.update(users).set({ role: "admin", promotedAt: now, updatedAt: now }).where(eq(users.id, request.targetUserId));
      break;
    case "suspend":
      if (target.status === "suspended") throw new ActionFailure("conflict", "This account is already suspended.");
      await tx.update(users).set({ status: "suspended", ...endSessions }).where(eq(users.id, request.targetUserId));
      break;
    case "unsuspend":
      if (target.status !== "suspended") throw new ActionFailure("conflict", "This account isn't suspended.");
      await tx.update(users).set({ status: "active", updatedAt: now }).where(eq(users.id, request.targetUserId));
      break;
    case "revoke_sessions":
      await tx.update(users).set(endSessions).where(eq(users.id, request.targetUserId));
      break;
  }
  const email = ACCESS_CHANGES[request.kind].email;
  if (email) {
    // A suspended account gets no ordinary mail; this notice goes to the address itself so it is still delivered.
    await notify({ userId: request.kind === "suspend" ? null : request.targetUserId, to: target.email, template: `access_${request.kind}`, subject: email.subject, body: email.body(request.reason) });
  }
  return { before: { role: target.role, status: target.status } };
}

/** Requests about one account, newest first, for its admin page. */
export async function accessRequestsFor(db: Executor, targetUserId: string) {
  return db.select().from(accountChangeRequests).where(eq(accountChangeRequests.targetUserId, targetUserId)).orderBy(desc(accountChangeRequests.createdAt)).limit(20);
}
