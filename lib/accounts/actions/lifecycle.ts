import "server-only";
import { and, asc, eq, gt, isNotNull, isNull, lte, sql } from "drizzle-orm";
import { z } from "zod";
import type { Executor } from "@/lib/database";
import { deletionReceipts, deletionRequests, erasureLedger, legalHolds, projects, users } from "@/db/schema";
import { hasPermission } from "@/lib/auth";
import { ActionFailure, defineAction } from "@/lib/procedures";
import { consumeConfirmation, issueConfirmation, requireConfirmationPhrase, verifyComebackToken } from "../confirmations";
import { readErasureLedger, readLedger, recordErasure, revokeErasure } from "../erasures";
import { EXPORT_FORMATS } from "../export";
import { addDays, deletionGraceDays, retainedOnDeletion } from "../policy";
import { activeLegalHold, cancelAtProviderOrQueue, purgeUserData, purgeWithCancellation } from "../purge";
import { reauthenticate } from "../reauth";
import { tombstoneId } from "../tombstone";

const userId = z.string().uuid("Unknown user.");
const confirmation = z.string().min(1, "Confirm first.").max(200);
const password = z.string().min(1, "Enter your password.").max(200);
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
  audit: { action: "account.confirmation_issue", target: ({ input }) => ({ type: input.action, id: input.targetId }) },
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
  audit: { action: "account.deactivate", target: ({ data }) => ({ type: "user", id: data?.id ?? null }) },
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
  rateLimit: { policy: "sign_in", by: "ip", scope: "reactivate" },
  input: z.object({ token: z.string().min(1).max(500) }),
  handler: async ({ tx, input }) => {
    const claims = comebackUser(input.token, "reactivate");
    await lockComebackUser(tx, claims, "deactivated");
    await tx.update(users).set({ status: "active", updatedAt: new Date() }).where(eq(users.id, claims.userId));
    return { id: claims.userId };
  },
  audit: {
    action: "account.reactivate",
    target: ({ data }) => ({ type: "user", id: data?.id ?? null }),
    actor: ({ data }) => ({ type: "user", id: data?.id ?? null }),
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
  rateLimit: { policy: "sign_in", by: "ip", scope: "cancel-deletion" },
  input: z.object({ token: z.string().min(1).max(500) }),
  handler: async ({ tx, input }) => {
    const claims = comebackUser(input.token, "cancel_deletion");
    await lockComebackUser(tx, claims, "pending_deletion");
    return cancelPendingDeletion(tx, claims.userId, claims.userId);
  },
  audit: {
    action: "account.deletion_cancel",
    target: ({ data }) => ({ type: "user", id: data?.id ?? null }),
    actor: ({ data }) => ({ type: "user", id: data?.id ?? null }),
  },
});

// Support can cancel a deletion during the grace period on the user's behalf: with a reason, which the user is emailed.
export const adminCancelDeletion = defineAction({
  name: "admin.cancel_deletion",
  permission: "support:write",
  rateLimit: { policy: "admin", by: "user" },
  input: z.object({ userId, reason: z.string("Give a reason.").trim().min(5, "Give a reason (at least 5 characters); the user is told it.").max(500) }),
  handler: async ({ tx, user, input, notify }) => {
    const cancelled = await cancelPendingDeletion(tx, input.userId, user.id);
    const [account] = await tx.select({ email: users.email }).from(users).where(eq(users.id, input.userId));
    await notify({
      userId: input.userId,
      to: account!.email,
      template: "deletion_cancelled_by_support",
      subject: "Your Breakwater account deletion was cancelled",
      body: `Our support team cancelled the deletion of your account, which is active again.\nReason: ${input.reason}\nIf you still want it deleted, you can request deletion again from your account settings.`,
    });
    return cancelled;
  },
  audit: { action: "account.deletion_cancel", target: ({ input }) => ({ type: "user", id: input.userId }), metadata: ({ input }) => ({ bySupport: true, reason: input.reason }) },
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
  prepare: async ({ db, user, input, request }) => {
    if (input.email.toLowerCase() !== user.email.toLowerCase()) {
      throw new ActionFailure("invalid_input", "The email you typed doesn't match this account. Nothing was changed.", {
        fieldErrors: { email: "Type your account's email address exactly." },
      });
    }
    await reauthenticate(db, user.id, input.password, "account.delete", request);
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
    target: ({ data }) => ({ type: "user", id: data?.userId ?? null }),
    metadata: ({ data }) => ({ purgeAfter: data?.purgeAfter?.toISOString(), receiptId: data?.receiptId }),
  },
});

// Admin override: purge an account now, skipping the grace period. Needs a confirmation token.
export const purgeAccountNow = defineAction({
  name: "admin.purge_account",
  permission: "admin:write",
  // INCIDENT: an admin purge misbehaves and must stop while it is investigated.
  // FAILURE MODE: with admin_destructive off the purge is refused with the switch's sentence before any work; nothing is half-deleted.
  // SAFE TO RETRY: yes; a refused call changed nothing.
  // OPERATOR ACTION: runbook account-deletion-erasure; switch admin_destructive off in /admin/flags.
  flag: "admin_destructive",
  rateLimit: { policy: "admin", by: "user" },
  input: z.object({ userId, confirmation, confirmText: z.string().max(400).optional() }),
  prepare: async ({ db, user, input }) => {
    if (input.userId === user.id) throw new ActionFailure("forbidden", "You can't purge your own account from here.");
    // Checked before the provider is called: a mistyped email stops everything.
    const [target] = await db.select({ email: users.email }).from(users).where(eq(users.id, input.userId));
    if (!target) throw new ActionFailure("not_found", "That account doesn't exist (it may already be purged).");
    requireConfirmationPhrase(input.confirmText, target.email, "the account's email");
    if (await activeLegalHold(db, input.userId)) throw new ActionFailure("conflict", "This account is under a legal hold; nothing was purged.");
    const cancellation = await cancelAtProviderOrQueue(input.userId);
    await recordErasure(tombstoneId(input.userId));
    return cancellation;
  },
  handler: async ({ tx, user, input, prepared }) => {
    await consumeConfirmation(tx, input.confirmation, { actorId: user.id, action: "account.purge", targetId: input.userId });
    return purgeWithCancellation(tx, input.userId, prepared, { now: new Date(), reason: "Purged immediately by an administrator." });
  },
  compensate: ({ input, error }) => revokeErasure(tombstoneId(input.userId), `purge did not commit (${error.code})`),
  // The audit event names the tombstone, never the purged user's id.
  audit: {
    action: "account.purge",
    target: ({ data }) => ({ type: "tombstone", id: data?.tombstoneId ?? null }),
    metadata: ({ data }) => ({ deleted: data?.deleted, retained: data?.retained, providerCancellation: data?.providerCancellation }),
  },
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
  permission: "system",
  input: z.object({ userId, now: z.coerce.date() }),
  prepare: async ({ db, input }) => {
    const [due] = await db
      .select({ id: deletionRequests.id })
      .from(deletionRequests)
      .where(and(eq(deletionRequests.userId, input.userId), eq(deletionRequests.status, "pending"), lte(deletionRequests.purgeAfter, input.now)));
    if (!due) throw new ActionFailure("conflict", "No deletion is due for this account.");
    if (await activeLegalHold(db, input.userId)) throw new ActionFailure("conflict", "This account is under a legal hold.");
    const cancellation = await cancelAtProviderOrQueue(input.userId);
    await recordErasure(tombstoneId(input.userId));
    return cancellation;
  },
  handler: async ({ tx, input, prepared }) => {
    const [still] = await tx
      .select({ id: deletionRequests.id })
      .from(deletionRequests)
      .where(and(eq(deletionRequests.userId, input.userId), eq(deletionRequests.status, "pending")))
      .for("update");
    // Cancelled between prepare and now: leave the account alone.
    if (!still) throw new ActionFailure("conflict", "The deletion was cancelled.");
    return purgeWithCancellation(tx, input.userId, prepared, { now: input.now, reason: "Deleted at the account holder's request after the grace period." });
  },
  compensate: ({ input, error }) => revokeErasure(tombstoneId(input.userId), `purge did not commit (${error.code})`),
  audit: {
    action: "account.purge",
    target: ({ data }) => ({ type: "tombstone", id: data?.tombstoneId ?? null }),
    metadata: ({ data }) => ({ deleted: data?.deleted, retained: data?.retained, providerCancellation: data?.providerCancellation, scheduled: true }),
  },
});

// Export, step 1: re-authenticate, then get a single-use download link. Refused while impersonating (guarded path) and past 3
// successful exports an hour (a wrong password spends the separate re-authentication budget instead). The file streams from /api/export/[token].
export const requestExport = defineAction({
  name: "accounts.request_export",
  permission: "self:write",
  // INCIDENT: exports overload the database or produce broken files.
  // FAILURE MODE: with exports off the request is refused with the switch's sentence before the password check; no download token is issued.
  // SAFE TO RETRY: yes; a refused call changed nothing and spent no export budget.
  // OPERATOR ACTION: runbook rollback; switch exports off.
  flag: "exports",
  rateLimit: { policy: "export", by: "user", counts: "successes" },
  input: z.object({ format: z.enum(EXPORT_FORMATS, "Choose JSON or ZIP."), password }),
  prepare: ({ db, user, input, request }) => reauthenticate(db, user.id, input.password, "account.export", request),
  handler: async ({ tx, user, input }) => {
    const { token, expiresAt } = await issueConfirmation(tx, { actorId: user.id, action: "account.export", targetId: `${user.id}:${input.format}` });
    return { userId: user.id, url: `/api/export/${input.format}/${token}`, expiresAt };
  },
  audit: { action: "account.export", target: ({ data }) => ({ type: "user", id: data?.userId ?? null }), metadata: ({ input }) => ({ format: input.format }) },
});

// Export, step 2: spends the download token (once) right before the file streams.
export const startExportDownload = defineAction({
  name: "accounts.start_export_download",
  permission: "self:write",
  // INCIDENT: exports were switched off between a request and its download.
  // FAILURE MODE: the download is refused before the token is spent, so it still works once exports are back on (until it expires).
  // SAFE TO RETRY: yes; a refused call changed nothing.
  // OPERATOR ACTION: runbook rollback; switch exports back on when the cause is fixed.
  flag: "exports",
  input: z.object({ format: z.enum(EXPORT_FORMATS), token: z.string().min(1).max(200) }),
  handler: async ({ tx, user, input }) => {
    await consumeConfirmation(tx, input.token, { actorId: user.id, action: "account.export", targetId: `${user.id}:${input.format}` });
    return { userId: user.id, format: input.format };
  },
  audit: { action: "account.export_download", target: ({ data }) => ({ type: "user", id: data?.userId ?? null }), metadata: ({ input }) => ({ format: input.format }) },
});

const tombstone = z.string().regex(/^tomb_[0-9a-f]{32}$/, "Not a tombstone id.");

/**
 * After a restore: re-erases every user whose tombstone is in the ledger
 * (the vault's, which no restore rolls back, the restored table, and any
 * tombstones passed in). A tombstone can't be reversed, so each user's id is
 * hashed and looked up instead.
 */
export const replayErasures = defineAction({
  name: "accounts.replay_erasures",
  permission: "system",
  input: z.object({ tombstones: z.array(tombstone).max(1_000_000).default([]) }),
  prepare: () => readErasureLedger(),
  handler: async ({ tx, input, prepared: vaulted }) => {
    const ledger = new Set([...vaulted, ...(await readLedger(tx)), ...input.tombstones]);
    const erased: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page: { id: string }[] = await tx
        .select({ id: users.id })
        .from(users)
        .where(after ? gt(users.id, after) : undefined)
        .orderBy(asc(users.id))
        .limit(1000);
      for (const { id } of page) {
        const tomb = tombstoneId(id);
        if (!ledger.has(tomb)) continue;
        await purgeUserData(tx, id, { now: new Date(), reason: "Erasure replayed after a database restore.", replay: true });
        erased.push(tomb);
      }
      if (page.length < 1000) break;
      after = page[page.length - 1]!.id;
    }
    // The restored table may be older than the vault: bring it up to date.
    for (const t of new Set([...vaulted, ...input.tombstones])) await tx.insert(erasureLedger).values({ tombstoneId: t }).onConflictDoNothing();
    return { checked: ledger.size, reErased: erased };
  },
  audit: {
    action: "account.erasure_replay",
    target: () => ({ type: "erasure_ledger", id: null }),
    metadata: ({ data }) => ({ ledgerSize: data?.checked, reErased: data?.reErased }),
  },
});
