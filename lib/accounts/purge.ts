import "server-only";
import { and, eq, like, or, sql } from "drizzle-orm";
import type { Executor } from "@/lib/database";
import {
  confirmationTokens,
  deletionReceipts,
  deletionRequests,
  emailOutbox,
  erasureLedger,
  fakePaymentCharges,
  invoices,
  legalHolds,
  notifications,
  problemReports,
  projects,
  retainedInvoices,
  tasks,
  users,
} from "@/db/schema";
import { eraseAuditPersonalData } from "@/lib/audit";
import { queueProviderCancellation } from "@/lib/billing";
import { callThroughBreaker, isDependencyDown } from "@/lib/breakers";
import { checkKillSwitch } from "@/lib/flags";
import { providers } from "@/lib/providers";
import { ActionFailure } from "@/lib/safety";
import { addDays, retainedOnDeletion, retentionPolicy } from "./policy";
import { tombstoneId } from "./tombstone";

export async function activeLegalHold(db: Executor, userId: string) {
  const [hold] = await db
    .select({ id: legalHolds.id, reason: legalHolds.reason, placedAt: legalHolds.placedAt })
    .from(legalHolds)
    .where(and(eq(legalHolds.userId, userId), sql`${legalHolds.liftedAt} is null`))
    .limit(1);
  return hold ?? null;
}

/**
 * Cancels the subscription at the payments provider, through its breaker,
 * before any transaction opens. With `payments` switched off the provider
 * is not called: the answer is "queue", and the purge queues the
 * cancellation in its transaction for the payment reconciliation job.
 */
export async function cancelAtProviderOrQueue(userId: string): Promise<"sent" | "queue"> {
  // INCIDENT: payments are switched off while account deletions are due.
  // FAILURE MODE: the provider is not called; the cancellation is queued with the purge and sent by payment_reconciliation later.
  // SAFE TO RETRY: yes; the queue is keyed by the tombstone.
  // OPERATOR ACTION: runbook payment-provider-down.
  if (!(await checkKillSwitch("payments"))) return "queue";
  try {
    // INCIDENT: the payments provider is down while account deletions are due.
    // FAILURE MODE: the breaker refuses or the call fails before any transaction opens: the account is not purged this run, nothing is half-deleted.
    // SAFE TO RETRY: yes; the purge only goes on after a successful cancel (or a queued one), and the next run tries again.
    // OPERATOR ACTION: runbook payment-provider-down.
    await callThroughBreaker("payments", () => providers.payments.cancelSubscription({ customerRef: userId }));
    return "sent";
  } catch (error) {
    if (isDependencyDown(error)) throw new ActionFailure("dependency_down", "The payments provider is unavailable; nothing was purged. Try again shortly.");
    throw error;
  }
}

/** Purges one account; a cancellation the provider was not told about yet is queued in the same transaction. */
export async function purgeWithCancellation(tx: Executor, userId: string, cancellation: "sent" | "queue", options: { now: Date; reason: string }) {
  if (cancellation === "queue") await queueProviderCancellation(tx, { userId, tombstoneId: tombstoneId(userId) });
  return { ...(await purgeUserData(tx, userId, options)), providerCancellation: cancellation === "queue" ? ("queued" as const) : ("sent" as const) };
}

export type PurgeOutcome = { tombstoneId: string; deleted: Record<string, number>; retained: Record<string, number> };

const count = (rows: unknown[]) => rows.length;

/**
 * Erases one user inside the caller's transaction:
 * - personal data is hard-deleted in every table that holds it;
 * - invoices are kept for the legal period, pseudonymised (tombstone id, no person);
 * - audit events keep only pseudonymous ids; their personal side rows are erased;
 * - the receipt is completed and the tombstone goes into the erasure ledger.
 * Refuses while a legal hold is active. Deleting the user row frees the email.
 */
export async function purgeUserData(tx: Executor, userId: string, options: { now: Date; reason: string; replay?: boolean }): Promise<PurgeOutcome> {
  const [user] = await tx.select({ id: users.id, email: users.email }).from(users).where(eq(users.id, userId)).for("update");
  if (!user) throw new ActionFailure("not_found", "That account doesn't exist (it may already be purged).");
  // A replayed erasure already happened once; a hold restored from an older backup can't undo it.
  if (!options.replay && (await activeLegalHold(tx, userId))) throw new ActionFailure("conflict", "This account is under a legal hold; nothing was purged.");
  const tomb = tombstoneId(userId);
  const email = user.email.toLowerCase();
  const deleted: Record<string, number> = {};
  const retained: Record<string, number> = {};

  const invoicePolicy = retentionPolicy("invoices");
  const kept = await tx.select().from(invoices).where(eq(invoices.userId, userId));
  if (kept.length > 0) {
    await tx
      .insert(retainedInvoices)
      .values(
        kept.map((i) => ({
          id: i.id,
          tombstoneId: tomb,
          plan: i.plan,
          amountCents: i.amountCents,
          currency: i.currency,
          status: i.status,
          description: i.description,
          providerChargeId: i.providerChargeId,
          issuedAt: i.createdAt,
          retainUntil: addDays(i.createdAt, invoicePolicy.retentionDays!),
        })),
      )
      .onConflictDoNothing();
  }
  retained.invoices = kept.length;
  // The fake provider's ledger mirrors what a real provider keeps; it names the customer by our id.
  retained.provider_charges = count(await tx.update(fakePaymentCharges).set({ customerRef: tomb }).where(eq(fakePaymentCharges.customerRef, userId)).returning({ id: fakePaymentCharges.id }));

  // Personal data of audit events lives outside the hash chain, so erasing it leaves the chain verifiable.
  deleted.audit_personal = await eraseAuditPersonalData(tx, userId);
  deleted.notifications = count(
    await tx.delete(notifications).where(or(eq(notifications.userId, userId), eq(sql`lower(${notifications.toEmail})`, email))).returning({ id: notifications.id }),
  );
  deleted.email_outbox = count(await tx.delete(emailOutbox).where(eq(sql`lower(${emailOutbox.toEmail})`, email)).returning({ id: emailOutbox.id }));
  deleted.problem_reports = count(
    await tx.delete(problemReports).where(or(eq(problemReports.userId, userId), eq(sql`lower(${problemReports.contactEmail})`, email))).returning({ id: problemReports.id }),
  );
  // Tokens others hold against this account (an admin's purge confirmation) name it too.
  deleted.confirmation_tokens = count(
    await tx.delete(confirmationTokens).where(or(eq(confirmationTokens.targetId, userId), like(confirmationTokens.targetId, `${userId}:%`))).returning({ id: confirmationTokens.tokenHash }),
  );
  deleted.tasks = count(await tx.delete(tasks).where(eq(tasks.ownerId, userId)).returning({ id: tasks.id }));
  deleted.projects = count(await tx.delete(projects).where(eq(projects.ownerId, userId)).returning({ id: projects.id }));
  deleted.invoices = count(await tx.delete(invoices).where(eq(invoices.userId, userId)).returning({ id: invoices.id }));

  const [request] = await tx
    .select({ receiptId: deletionRequests.receiptId, requestedAt: deletionRequests.requestedAt })
    .from(deletionRequests)
    .where(eq(deletionRequests.userId, userId))
    .orderBy(sql`${deletionRequests.requestedAt} desc`)
    .limit(1);
  // Everything else that references the user (subscription, tokens, requests, sessions) goes with the row.
  await tx.delete(users).where(eq(users.id, userId));
  deleted.profile = 1;

  const receipt = { tombstoneId: tomb, completedAt: options.now, deleted, reason: options.reason };
  if (request) {
    await tx.update(deletionReceipts).set(receipt).where(eq(deletionReceipts.id, request.receiptId));
  } else {
    await tx.insert(deletionReceipts).values({ id: crypto.randomUUID(), requestedAt: options.now, retained: retainedOnDeletion(options.now), ...receipt });
  }
  await tx.insert(erasureLedger).values({ tombstoneId: tomb, erasedAt: options.now }).onConflictDoNothing();
  return { tombstoneId: tomb, deleted, retained };
}
