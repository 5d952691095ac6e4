import { and, eq, isNotNull, isNull, lte, sql } from "drizzle-orm";
import { z } from "zod";
import type { Executor } from "@/db/client";
import { deletionReceipts, deletionRequests, legalHolds, projects, users } from "@/db/schema";
import { verifyPassword } from "@/lib/auth/password";
import { hasPermission } from "@/lib/auth/permissions";
import { DependencyDownError } from "@/lib/breakers";
import { ActionFailure, defineAction } from "@/lib/safety";
import { consumeConfirmation, issueConfirmation, verifyComebackToken } from "./confirmations";
import { EXPORT_FORMATS } from "./export";
import { addDays, deletionGraceDays, retainedOnDeletion } from "./policy";
import { activeLegalHold, cancelSubscriptionAtProvider, purgeUserData } from "./purge";
import { tombstoneId } from "./tombstone";

const userId = z.string().uuid("Unknown user.");
const confirmation = z.string().min(1, "Confirm first.").max(200);
const password = z.string().min(1, "Enter your password.").max(200);

/** Re-authentication for sensitive self-service actions: checked before any transaction opens. */
async function checkPassword(db: Executor, id: string, given: string): Promise<void> {
  const [row] = await db.select({ passwordHash: users.passwordHash }).from(users).where(eq(users.id, id));
  if (!(await verifyPassword(given, row?.passwordHash ?? null))) {
    throw new ActionFailure("invalid_input", "That password is not correct. Nothing was changed.", { fieldErrors: { password: "That password is not correct." } });
  }
}

const selfTargets = ["account.delete", "trash.empty", "project.purge"] as const;

// Hands out the single-use token an irreversible action will demand; bound to this actor, action and target.
export const requestConfirmation = defineAction({
  name: "accounts.request_confirmation",
  permission: "self:write",
  input: z.object({ action: z.enum([...selfTargets, "account.purge"]), targetId: z.string().min(1).max(100) }),
  handler: async ({ tx, user, input }) => {
    if (input.action === "account.purge") {
      if (!hasPermission(user.role, "admin:write")) throw new ActionFailure("forbidden");
    } else if (input.action === "project.purge") {
      const [own] = await tx
        .select({ id: projects.id })
        .from(projects)
        .where(and(eq(projects.id, z.string().uuid().catch("00000000-0000-0000-0000-000000000000").parse(input.targetId)), eq(projects.ownerId, user.id), isNotNull(projects.deletedAt)));
      if (!own) throw new ActionFailure("not_found", "That project isn't in your trash.");
    } else if (input.targetId !== user.id) {
      throw new ActionFailure("forbidden", "You can only confirm that for your own account.");
    }
    return issueConfirmation(tx, { actorId: user.id, action: input.action, targetId: input.targetId });
  },
  audit: { action: "account.confirmation_issue", target: (input) => ({ type: input.action, id: input.targetId }) },
});

// Deactivation pauses the account: billing and notifications stop, every session ends, nothing is deleted.
export const deactivateAccount = defineAction({
  name: "accounts.deactivate",
  permission: "self:write",
  input: z.object({}).strict(),
  handler: async ({ tx, user }) => {
    const [row] = await tx
      .update(users)
      .set({ status: "deactivated", sessionVersion: sql`${users.sessionVersion} + 1`, updatedAt: new Date() })
      .where(and(eq(users.id, user.id), eq(users.status, "active")))
      .returning({ id: users.id });
    if (!row) throw new ActionFailure("conflict", "This account isn't active.");
    return row;
  },
  audit: { action: "account.deactivate", target: (_, data) => ({ type: "user", id: data?.id ?? null }) },
});

/**
 * A signed-out account's way back in. A deactivated (or pending-deletion)
 * user has no session the guarded path accepts, so the page they land on
 * after signing in hands them a short-lived signed token instead.
 */
function comebackUser(token: string, purpose: "reactivate" | "cancel_deletion") {
  const claims = verifyComebackToken(token, purpose);
  if (!claims) throw new ActionFailure("unauthenticated", "This page has expired. Sign in again to continue.");
  return claims;
}

async function lockComebackUser(tx: Executor, claims: { userId: string; sessionVersion: number }, status: "deactivated" | "pending_deletion") {
  const [row] = await tx.select({ status: users.status, sessionVersion: users.sessionVersion }).from(users).where(eq(users.id, claims.userId)).for("update");
  if (!row || row.sessionVersion !== claims.sessionVersion) throw new ActionFailure("unauthenticated", "This page has expired. Sign in again to continue.");
  if (row.status !== status) throw new ActionFailure("conflict", status === "deactivated" ? "This account isn't deactivated." : "This account has no pending deletion.");
}

export const reactivateAccount = defineAction({
  name: "accounts.reactivate",
  permission: "public",
  rateLimit: { policy: "sign_in", key: ({ request }) => `reactivate:${request.ip ?? "unknown"}` },
  input: z.object({ token: z.string().min(1).max(500) }),
  handler: async ({ tx, input }) => {
    const claims = comebackUser(input.token, "reactivate");
    await lockComebackUser(tx, claims, "deactivated");
    await tx.update(users).set({ status: "active", updatedAt: new Date() }).where(eq(users.id, claims.userId));
    return { id: claims.userId };
  },
  audit: {
    action: "account.reactivate",
    target: (_, data) => ({ type: "user", id: data?.id ?? null }),
    actor: (_, data) => ({ type: "user", id: data?.id ?? null }),
  },
});

/** Turns a pending deletion back into an active account. */
async function cancelPendingDeletion(tx: Executor, id: string, by: string) {
  const [request] = await tx
    .update(deletionRequests)
    .set({ status: "cancelled", cancelledAt: new Date(), cancelledBy: by })
    .where(and(eq(deletionRequests.userId, id), eq(deletionRequests.status, "pending")))
    .returning({ receiptId: deletionRequests.receiptId });
  if (!request) throw new ActionFailure("conflict", "This account has no pending deletion.");
  await tx.delete(deletionReceipts).where(and(eq(deletionReceipts.id, request.receiptId), isNull(deletionReceipts.completedAt)));
  await tx.update(users).set({ status: "active", updatedAt: new Date() }).where(eq(users.id, id));
  return { id };
}

// Signing in during the grace period offers (not forces) a cancellation: see app/account/deactivated.
export const cancelDeletion = defineAction({
  name: "accounts.cancel_deletion",
  permission: "public",
  rateLimit: { policy: "sign_in", key: ({ request }) => `cancel-deletion:${request.ip ?? "unknown"}` },
  input: z.object({ token: z.string().min(1).max(500) }),
  handler: async ({ tx, input }) => {
    const claims = comebackUser(input.token, "cancel_deletion");
    await lockComebackUser(tx, claims, "pending_deletion");
    return cancelPendingDeletion(tx, claims.userId, claims.userId);
  },
  audit: {
    action: "account.deletion_cancel",
    target: (_, data) => ({ type: "user", id: data?.id ?? null }),
    actor: (_, data) => ({ type: "user", id: data?.id ?? null }),
  },
});

// Support can cancel a deletion during the grace period on the user's behalf.
export const adminCancelDeletion = defineAction({
  name: "admin.cancel_deletion",
  permission: "support:write",
  rateLimit: { policy: "admin", key: ({ user }) => `user:${user.id}` },
  input: z.object({ userId }),
  handler: ({ tx, user, input }) => cancelPendingDeletion(tx, input.userId, user.id),
  audit: { action: "account.deletion_cancel", target: (input) => ({ type: "user", id: input.userId }), metadata: () => ({ bySupport: true }) },
});

/**
 * Deletion is permanent: typed email + password + a confirmation token. The
 * account locks at once (sessions end) and is purged after the grace period;
 * the receipt of what will be deleted and kept is written and emailed now.
 */
export const requestAccountDeletion = defineAction({
  name: "accounts.request_deletion",
  permission: "self:write",
  input: z.object({ email: z.string().trim().max(320), password, confirmation }),
  prepare: async ({ db, user, input }) => {
    if (input.email.toLowerCase() !== user.email.toLowerCase()) {
      throw new ActionFailure("invalid_input", "The email you typed doesn't match this account. Nothing was changed.", {
        fieldErrors: { email: "Type your account's email address exactly." },
      });
    }
    await checkPassword(db, user.id, input.password);
  },
  handler: async ({ tx, user, input, notify }) => {
    await consumeConfirmation(tx, input.confirmation, { actorId: user.id, action: "account.delete", targetId: user.id });
    const now = new Date();
    const purgeAfter = addDays(now, deletionGraceDays());
    const retained = retainedOnDeletion(now);
    const receiptId = crypto.randomUUID();
    await tx.insert(deletionReceipts).values({ id: receiptId, tombstoneId: tombstoneId(user.id), requestedAt: now, retained, reason: "Requested by the account holder." });
    await tx.insert(deletionRequests).values({ userId: user.id, purgeAfter, receiptId, requestedAt: now });
    const [row] = await tx
      .update(users)
      .set({ status: "pending_deletion", sessionVersion: sql`${users.sessionVersion} + 1`, updatedAt: now })
      .where(and(eq(users.id, user.id), eq(users.status, "active")))
      .returning({ id: users.id });
    if (!row) throw new ActionFailure("conflict", "This account isn't active.");
    const day = purgeAfter.toISOString().slice(0, 10);
    await notify({
      userId: user.id,
      to: user.email,
      template: "deletion_receipt",
      subject: "Your Breakwater account will be deleted",
      body: [
        `We received your request to delete your account. It is locked now and will be deleted permanently on ${day}.`,
        `To cancel, sign in before ${day} and choose "Cancel deletion".`,
        "Deleted: your profile, projects and tasks, notifications, problem reports and sessions.",
        `Kept: ${retained.map((r) => `${r.category} (${r.until}: ${r.why})`).join("; ")}.`,
        `Receipt: ${receiptId}`,
      ].join("\n"),
    });
    return { userId: user.id, purgeAfter, receiptId };
  },
  audit: {
    action: "account.deletion_request",
    target: (_, data) => ({ type: "user", id: data?.userId ?? null }),
    metadata: (_, data) => ({ purgeAfter: data?.purgeAfter?.toISOString(), receiptId: data?.receiptId }),
  },
});

/** Purge with the provider cancellation done first, outside the transaction. */
async function cancelAtProvider(id: string) {
  try {
    await cancelSubscriptionAtProvider(id);
  } catch (error) {
    if (error instanceof DependencyDownError) throw new ActionFailure("dependency_down", "The payments provider is unavailable; nothing was purged. Try again shortly.");
    throw error;
  }
}

// Admin override: purge an account now, skipping the grace period. Needs a confirmation token.
export const purgeAccountNow = defineAction({
  name: "admin.purge_account",
  permission: "admin:write",
  flag: "admin_destructive",
  rateLimit: { policy: "admin", key: ({ user }) => `user:${user.id}` },
  input: z.object({ userId, confirmation }),
  prepare: async ({ db, user, input }) => {
    if (input.userId === user.id) throw new ActionFailure("forbidden", "You can't purge your own account from here.");
    if (await activeLegalHold(db, input.userId)) throw new ActionFailure("conflict", "This account is under a legal hold; nothing was purged.");
    await cancelAtProvider(input.userId);
  },
  handler: async ({ tx, user, input }) => {
    await consumeConfirmation(tx, input.confirmation, { actorId: user.id, action: "account.purge", targetId: input.userId });
    return purgeUserData(tx, input.userId, { now: new Date(), reason: "Purged immediately by an administrator." });
  },
  // The audit event names the tombstone, never the purged user's id.
  audit: { action: "account.purge", target: (_, data) => ({ type: "tombstone", id: data?.tombstoneId ?? null }), metadata: (_, data) => ({ deleted: data?.deleted, retained: data?.retained }) },
});

/** Pending deletions whose grace period is over and that are not under a legal hold. */
export async function findDueDeletions(db: Executor, now: Date, limit: number): Promise<string[]> {
  const rows = await db
    .select({ userId: deletionRequests.userId })
    .from(deletionRequests)
    .where(
      and(
        eq(deletionRequests.status, "pending"),
        lte(deletionRequests.purgeAfter, now),
        sql`not exists (select 1 from ${legalHolds} where ${legalHolds.userId} = ${deletionRequests.userId} and ${legalHolds.liftedAt} is null)`,
      ),
    )
    .orderBy(deletionRequests.purgeAfter)
    .limit(limit);
  return rows.map((r) => r.userId);
}

// Job step: purges one account whose grace period has passed (idempotent: a purged account is "not_found").
export const purgeDueAccount = defineAction({
  name: "accounts.purge_due",
  permission: "admin:write",
  input: z.object({ userId, now: z.coerce.date() }),
  prepare: async ({ db, input }) => {
    const [due] = await db
      .select({ id: deletionRequests.id })
      .from(deletionRequests)
      .where(and(eq(deletionRequests.userId, input.userId), eq(deletionRequests.status, "pending"), lte(deletionRequests.purgeAfter, input.now)));
    if (!due) throw new ActionFailure("conflict", "No deletion is due for this account.");
    if (await activeLegalHold(db, input.userId)) throw new ActionFailure("conflict", "This account is under a legal hold.");
    await cancelAtProvider(input.userId);
  },
  handler: async ({ tx, input }) => {
    const [still] = await tx
      .select({ id: deletionRequests.id })
      .from(deletionRequests)
      .where(and(eq(deletionRequests.userId, input.userId), eq(deletionRequests.status, "pending")))
      .for("update");
    // Cancelled between prepare and now: leave the account alone.
    if (!still) throw new ActionFailure("conflict", "The deletion was cancelled.");
    return purgeUserData(tx, input.userId, { now: input.now, reason: "Deleted at the account holder's request after the grace period." });
  },
  audit: {
    action: "account.purge",
    target: (_, data) => ({ type: "tombstone", id: data?.tombstoneId ?? null }),
    metadata: (_, data) => ({ deleted: data?.deleted, retained: data?.retained, scheduled: true }),
    actor: () => ({ type: "cron", id: null }),
  },
});

// Legal hold: blocks every purge of this user's data until lifted.
export const placeLegalHold = defineAction({
  name: "admin.place_legal_hold",
  permission: "admin:write",
  rateLimit: { policy: "admin", key: ({ user }) => `user:${user.id}` },
  input: z.object({ userId, reason: z.string().trim().min(5, "Give the reason (at least 5 characters).").max(500) }),
  handler: async ({ tx, user, input }) => {
    const [target] = await tx.select({ id: users.id }).from(users).where(eq(users.id, input.userId));
    if (!target) throw new ActionFailure("not_found", "That user doesn't exist.");
    if (await activeLegalHold(tx, input.userId)) throw new ActionFailure("conflict", "This user is already under a legal hold.");
    const [hold] = await tx.insert(legalHolds).values({ userId: input.userId, reason: input.reason, placedBy: user.id }).returning({ id: legalHolds.id });
    return hold!;
  },
  audit: { action: "account.legal_hold_place", target: (input) => ({ type: "user", id: input.userId }), metadata: (input) => ({ reason: input.reason }) },
});

export const liftLegalHold = defineAction({
  name: "admin.lift_legal_hold",
  permission: "admin:write",
  rateLimit: { policy: "admin", key: ({ user }) => `user:${user.id}` },
  input: z.object({ userId }),
  handler: async ({ tx, user, input }) => {
    const lifted = await tx
      .update(legalHolds)
      .set({ liftedAt: new Date(), liftedBy: user.id })
      .where(and(eq(legalHolds.userId, input.userId), isNull(legalHolds.liftedAt)))
      .returning({ id: legalHolds.id });
    if (lifted.length === 0) throw new ActionFailure("not_found", "This user has no active legal hold.");
    return { lifted: lifted.length };
  },
  audit: { action: "account.legal_hold_lift", target: (input) => ({ type: "user", id: input.userId }) },
});

/**
 * Export, step 1: re-authenticate, then get a single-use download link.
 * Refused while impersonating (guarded path), while exports are switched off,
 * and past 3 per hour. The file itself streams from /api/export/[token].
 */
export const requestExport = defineAction({
  name: "accounts.request_export",
  permission: "self:write",
  flag: "exports",
  rateLimit: { policy: "export", key: ({ user }) => `user:${user.id}` },
  input: z.object({ format: z.enum(EXPORT_FORMATS, "Choose JSON or ZIP."), password }),
  prepare: ({ db, user, input }) => checkPassword(db, user.id, input.password),
  handler: async ({ tx, user, input }) => {
    const { token, expiresAt } = await issueConfirmation(tx, { actorId: user.id, action: "account.export", targetId: `${user.id}:${input.format}` });
    return { userId: user.id, url: `/api/export/${input.format}/${token}`, expiresAt };
  },
  audit: { action: "account.export", target: (_, data) => ({ type: "user", id: data?.userId ?? null }), metadata: (input) => ({ format: input.format }) },
});

// Export, step 2: spends the download token (once) right before the file streams.
export const startExportDownload = defineAction({
  name: "accounts.start_export_download",
  permission: "self:write",
  flag: "exports",
  input: z.object({ format: z.enum(EXPORT_FORMATS), token: z.string().min(1).max(200) }),
  handler: async ({ tx, user, input }) => {
    await consumeConfirmation(tx, input.token, { actorId: user.id, action: "account.export", targetId: `${user.id}:${input.format}` });
    return { userId: user.id, format: input.format };
  },
  audit: { action: "account.export_download", target: (_, data) => ({ type: "user", id: data?.userId ?? null }), metadata: (input) => ({ format: input.format }) },
});
