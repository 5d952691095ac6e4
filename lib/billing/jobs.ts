import "server-only";
import { and, asc, eq, gt, inArray, lte, ne, or } from "drizzle-orm";
import { renewalAttempts, subscriptions, users } from "@/db/schema";
import { reconcileAlerts } from "@/lib/alerts";
import { callThroughBreaker, DependencyDownError } from "@/lib/breakers";
import { providers } from "@/lib/providers";
import type { Db } from "@/lib/database";
import { defineJob, type ItemOutcome } from "@/lib/jobs";
import { systemContext, type RequestContext } from "@/lib/safety";
import { DUNNING_DAYS, enforceInvoiceRetention, reconcilePayment, refundUnbilledCharge, renewalKey, renewSubscription, sendQueuedCancellation } from "./actions";
import { queuedCancellations } from "./cancellations";
import { attemptsToReconcile, unbilledCharges } from "./reconcile";

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * One subscription's renewal step: the next dunning attempt if it is due
 * (period end + 0, 1, 3, 7 days), else skipped. Safe to call twice at once:
 * the attempt claim in `renewSubscription` lets only one through.
 */
export async function renewIfDue(db: Db, sub: { id: string; periodEnd: Date }, now: Date, request: RequestContext = systemContext("cron:renewals"), runId?: string): Promise<ItemOutcome> {
  const failed = await db
    .select({ attempt: renewalAttempts.attempt })
    .from(renewalAttempts)
    .where(and(eq(renewalAttempts.idempotencyKey, renewalKey(sub.id, sub.periodEnd)), eq(renewalAttempts.status, "failed")));
  const attempt = failed.length;
  const dueDay = DUNNING_DAYS[attempt];
  if (dueDay === undefined || now.getTime() < sub.periodEnd.getTime() + dueDay * DAY_MS) return "skipped";
  const result = await renewSubscription.run({ subscriptionId: sub.id, periodEnd: sub.periodEnd.toISOString(), attempt, runId }, request);
  if (result.ok) return "processed";
  if (result.code === "dependency_down") throw new DependencyDownError("payments", result.message);
  // Claimed by a concurrent run, or no longer due: not a failure.
  if (result.code === "conflict") return "skipped";
  throw new Error(`renewal ${sub.id}: ${result.code} ${result.message}`);
}

/**
 * Renewals with dunning. Work is chosen by state (period ended, not yet
 * renewed), so a run that stops early leaves the rest due for the next one.
 * Within a run a keyset cursor walks the due list once, so subscriptions
 * whose next dunning attempt is not due yet are skipped, not revisited.
 */
// INCIDENT: renewals is missed or failing: subscriptions past their period end are not renewed.
// FAILURE MODE: work is chosen by state, so what a failed run left is due for the next one; access continues through dunning.
// SAFE TO RETRY: yes; a period is charged at most once (idempotency key per period).
// OPERATOR ACTION: runbook charge-failures-dunning (runbook cron-backlog when it does not run at all).
export const renewalsJob = defineJob("renewals", {
  timeBudgetMs: 50_000,
  batchSize: 50,
  // A charge is not retried within a run: dunning retries it on day 1, 3 and 7.
  maxAttempts: 1,
  run: async (ctx) => {
    let after: { periodEnd: Date; id: string } | null = null;
    while (ctx.hasTime()) {
      const batch = await ctx.db
        .select({ id: subscriptions.id, periodEnd: subscriptions.currentPeriodEnd })
        .from(subscriptions)
        .innerJoin(users, eq(users.id, subscriptions.userId))
        .where(
          and(
            eq(users.status, "active"),
            inArray(subscriptions.status, ["active", "past_due"]),
            ne(subscriptions.plan, "free"),
            lte(subscriptions.currentPeriodEnd, ctx.now),
            after
              ? or(gt(subscriptions.currentPeriodEnd, after.periodEnd), and(eq(subscriptions.currentPeriodEnd, after.periodEnd), gt(subscriptions.id, after.id)))
              : undefined,
          ),
        )
        .orderBy(asc(subscriptions.currentPeriodEnd), asc(subscriptions.id))
        .limit(ctx.batchSize);
      if (batch.length === 0) return;
      after = batch.at(-1)!;
      await ctx.forEachItem(batch, (sub) => renewIfDue(ctx.db, sub, ctx.now, ctx.request, ctx.runId));
      if (batch.length < ctx.batchSize) return;
    }
  },
});

/** How far back the provider's charges are compared with our invoices. */
const RECONCILE_LOOKBACK_MS = 7 * DAY_MS;

/**
 * Payment reconciliation: first sends the provider cancellations purges
 * queued while payments were off (this job is paused with them); then settles every payment attempt whose outcome was
 * left open (timed out, or cut off mid-way) against the provider, by
 * idempotency key; then refunds any charge the provider holds that no
 * invoice accounts for and nothing of ours still will; and keeps an alert
 * open for charges it must not touch (made outside the app).
 */
// INCIDENT: payment attempts stay open, or charges have no invoice.
// FAILURE MODE: a failed run leaves attempts open and unbilled charges unrefunded until the next run; nothing is refunded twice.
// SAFE TO RETRY: yes; attempts are settled and refunds made by idempotency key.
// OPERATOR ACTION: runbook billing-reconciliation.
export const paymentReconciliationJob = defineJob("payment_reconciliation", {
  timeBudgetMs: 50_000,
  batchSize: 50,
  maxAttempts: 1,
  run: async (ctx) => {
    const stopOn = (result: { ok: false; code: string; message: string }) => {
      if (result.code === "dependency_down") throw new DependencyDownError("payments", new Error(result.message));
      if (result.code === "conflict") return "skipped" as const;
      throw new Error(`${result.code}: ${result.message}`);
    };
    await ctx.forEachItem(await queuedCancellations(ctx.db, ctx.batchSize), async ({ tombstoneId }) => {
      const result = await sendQueuedCancellation.run({ tombstoneId }, ctx.request);
      return result.ok ? "processed" : stopOn(result);
    });
    const open = await attemptsToReconcile(ctx.db, ctx.now, ctx.batchSize);
    await ctx.forEachItem(open, async ({ id }) => {
      const result = await reconcilePayment.run({ attemptId: id, asOf: ctx.now.toISOString() }, ctx.request);
      return result.ok ? "processed" : stopOn(result);
    });
    // INCIDENT: the provider does not answer while charges are reconciled.
    // FAILURE MODE: the run fails after settling the open attempts; charges without an invoice are found by the next run.
    // SAFE TO RETRY: yes; it only reads the provider.
    // OPERATOR ACTION: runbook payment-provider-down.
    const charges = await callThroughBreaker("payments", () => providers.payments.listCharges({ since: new Date(ctx.now.getTime() - RECONCILE_LOOKBACK_MS) }));
    const { refund, foreign } = await unbilledCharges(ctx.db, charges, ctx.now);
    await ctx.forEachItem(refund.slice(0, ctx.batchSize), async ({ charge, reason }) => {
      const result = await refundUnbilledCharge.run({ chargeId: charge.chargeId, amountCents: charge.amountCents, reason }, ctx.request);
      return result.ok ? "processed" : stopOn(result);
    });
    await reconcileAlerts(
      ctx.db,
      "payments",
      foreign.map((c) => ({
        dedupKey: `unbilled_charge:${c.chargeId}`,
        source: "payments",
        severity: "ticket" as const,
        title: `A charge of ${c.amountCents} cents has no invoice and was not made by the app`,
        detail: `Charge ${c.chargeId} (key ${c.idempotencyKey}, ${c.createdAt.toISOString()}): decide whether to refund it or record it.`,
        runbook: "billing-reconciliation",
      })),
      ctx.now,
    );
  },
});

// Daily: invoices past the declared retention (RETENTION_POLICIES "invoices") are deleted, in bounded batches.
// INCIDENT: invoice retention deletes the wrong rows, or fails every night.
// FAILURE MODE: a failed run deletes nothing more than its finished batches; held accounts' invoices are never deleted.
// SAFE TO RETRY: yes; each run picks what is past retention now.
// OPERATOR ACTION: runbook cron-backlog.
export const invoiceRetentionJob = defineJob("invoice_retention", {
  timeBudgetMs: 20_000,
  batchSize: 500,
  maxAttempts: 2,
  run: async (ctx) => {
    while (ctx.hasTime()) {
      const result = await enforceInvoiceRetention.run({ now: ctx.now, limit: ctx.batchSize }, ctx.request);
      if (!result.ok) throw new Error(`invoice retention refused: ${result.code}: ${result.message}`);
      ctx.counts.processed += result.data.live + result.data.retained;
      if (result.data.live < ctx.batchSize && result.data.retained < ctx.batchSize) return;
    }
  },
});
