import "server-only";
import { and, eq, lt, or, sql } from "drizzle-orm";
import { z } from "zod";
import { invoices, jobRuns, renewalAttempts, subscriptions, users } from "@/db/schema";
import { callThroughBreaker } from "@/lib/breakers";
import { isProviderRefusal, providers } from "@/lib/providers";
import { ActionFailure, defineAction } from "@/lib/procedures";
import { BILLING_PERIOD_DAYS, formatCents, PLANS } from "../constants";
import { renewalAmount } from "../proration";

const DAY_MS = 24 * 60 * 60 * 1000;

// Renewals: run only by the renewals job (lib/billing/jobs.ts), never exposed as a server action.

/** Dunning: charge at period end, retry 1, 3 and 7 days later, then cancel. */
export const DUNNING_DAYS = [0, 1, 3, 7] as const;
/**
 * A claimed attempt is taken over (the provider's idempotency key makes that
 * safe) once the job run holding it is dead, or, for a claim no run holds,
 * after this long.
 */
const CLAIM_STALE_MS = 15 * 60 * 1000;

export function renewalKey(subscriptionId: string, periodEnd: Date): string {
  return `renewal:${subscriptionId}:${periodEnd.getTime()}`;
}

/**
 * Charges one renewal attempt. `prepare` claims the attempt with a unique
 * (idempotency key per billing period, attempt) row before charging, so two
 * concurrent job runs cannot both charge it; the same key goes to the
 * provider, so even a taken-over stale claim charges at most once.
 */
export const renewSubscription = defineAction({
  name: "billing.renew",
  permission: "system",
  // INCIDENT: payments is switched off while renewals are due.
  // FAILURE MODE: renewals are refused (disabled); subscriptions stay due and the first run after payments is back on charges them.
  // SAFE TO RETRY: yes; a refused call changed nothing.
  // OPERATOR ACTION: runbook charge-failures-dunning.
  flag: "payments",
  input: z.object({
    subscriptionId: z.string().uuid(),
    periodEnd: z.coerce.date(),
    attempt: z.number().int().min(0).max(DUNNING_DAYS.length - 1),
    /** The job run making the attempt, so a claim outlives the run by no more than its lease. */
    runId: z.string().uuid().optional(),
  }),
  prepare: async ({ db, input }) => {
    const key = renewalKey(input.subscriptionId, input.periodEnd);
    const [claimed] = await db
      .insert(renewalAttempts)
      .values({ subscriptionId: input.subscriptionId, periodEnd: input.periodEnd, idempotencyKey: key, attempt: input.attempt, runId: input.runId ?? null })
      .onConflictDoNothing()
      .returning({ id: renewalAttempts.id });
    const claim =
      claimed ??
      (
        await db
          .update(renewalAttempts)
          .set({ createdAt: new Date(), runId: input.runId ?? null })
          .where(
            and(
              eq(renewalAttempts.idempotencyKey, key),
              eq(renewalAttempts.attempt, input.attempt),
              eq(renewalAttempts.status, "pending"),
              or(
                lt(renewalAttempts.createdAt, new Date(Date.now() - CLAIM_STALE_MS)),
                // Held by a run that is no longer running (killed mid-charge, then closed by the run that took over its lease).
                sql`exists (select 1 from ${jobRuns} where ${jobRuns.id} = ${renewalAttempts.runId} and ${jobRuns.status} <> 'running')`,
              ),
            ),
          )
          .returning({ id: renewalAttempts.id })
      )[0];
    if (!claim) throw new ActionFailure("conflict", "This renewal attempt is already being handled.");

    const [row] = await db
      .select({ subscription: subscriptions, email: users.email, userStatus: users.status })
      .from(subscriptions)
      .innerJoin(users, eq(users.id, subscriptions.userId))
      .where(eq(subscriptions.id, input.subscriptionId));
    const release = () => db.delete(renewalAttempts).where(eq(renewalAttempts.id, claim.id));
    if (!row || row.userStatus !== "active" || row.subscription.status === "canceled" || row.subscription.currentPeriodEnd.getTime() !== input.periodEnd.getTime()) {
      await release();
      throw new ActionFailure("conflict", "This subscription no longer needs this renewal.");
    }
    const plan = row.subscription.plan;
    // Credit left by a prorated downgrade is used first; a renewal it covers whole charges nothing.
    const { amountCents, creditUsed } = renewalAmount(plan, row.subscription.creditCents);
    try {
      const charge =
        amountCents === 0
          ? null
          // INCIDENT: renewals fail to charge (provider down, or a spike of declines).
          // FAILURE MODE: a decline starts dunning (day 1, 3 and 7); a timeout leaves the attempt open for payment_reconciliation.
          // SAFE TO RETRY: yes, at most one charge per period: the idempotency key is per billing period and goes to the provider.
          // OPERATOR ACTION: runbook charge-failures-dunning.
          : await callThroughBreaker("payments", () =>
              providers.payments.charge({
                customerRef: row.subscription.userId,
                amountCents,
                currency: "usd",
                description: `Breakwater ${PLANS[plan].label} plan renewal`,
                idempotencyKey: key,
              }),
            );
      return { claimId: claim.id, subscription: row.subscription, email: row.email, charge, creditUsed, declined: null };
    } catch (error) {
      if (isProviderRefusal(error)) {
        return { claimId: claim.id, subscription: row.subscription, email: row.email, charge: null, creditUsed: 0, declined: error.message };
      }
      // Not an answer (breaker open, timeout): free the attempt so a later run retries it.
      await release();
      throw error;
    }
  },
  handler: async ({ tx, input, notify, prepared: { claimId, subscription, email, charge, creditUsed, declined } }) => {
    const plan = subscription.plan;
    if (!declined) {
      const [renewed] = await tx
        .update(subscriptions)
        .set({
          status: "active",
          currentPeriodEnd: new Date(input.periodEnd.getTime() + BILLING_PERIOD_DAYS * DAY_MS),
          creditCents: sql`greatest(0, ${subscriptions.creditCents} - ${creditUsed})`,
          updatedAt: new Date(),
        })
        // date_trunc: a period end written by SQL has microseconds a JS Date cannot carry.
        .where(and(eq(subscriptions.id, subscription.id), sql`date_trunc('milliseconds', ${subscriptions.currentPeriodEnd}) = ${input.periodEnd.toISOString()}`))
        .returning({ id: subscriptions.id });
      if (!renewed) throw new ActionFailure("conflict", "The subscription changed while renewing.");
      await tx.update(renewalAttempts).set({ status: "paid", chargeId: charge?.chargeId ?? null }).where(eq(renewalAttempts.id, claimId));
      await tx.insert(invoices).values({
        userId: subscription.userId,
        subscriptionId: subscription.id,
        plan,
        amountCents: charge?.amountCents ?? 0,
        status: "paid",
        description: `${PLANS[plan].label} plan renewal, ${BILLING_PERIOD_DAYS} days${creditUsed > 0 ? `, less ${formatCents(creditUsed)} credit` : ""}`,
        providerChargeId: charge?.chargeId ?? null,
      });
      return { subscriptionId: subscription.id, outcome: "paid" as const, chargeId: charge?.chargeId ?? null };
    }
    await tx.update(renewalAttempts).set({ status: "failed", error: declined }).where(eq(renewalAttempts.id, claimId));
    const last = input.attempt >= DUNNING_DAYS.length - 1;
    await tx
      .update(subscriptions)
      .set({ status: last ? "canceled" : "past_due", updatedAt: new Date() })
      .where(eq(subscriptions.id, subscription.id));
    const nextDay = DUNNING_DAYS[input.attempt + 1];
    await notify(
      last
        ? {
            userId: subscription.userId,
            to: email,
            template: "renewal_canceled",
            subject: "Your Breakwater subscription was cancelled",
            body: `We could not charge your card for the ${PLANS[plan].label} plan after ${DUNNING_DAYS.length} attempts, so your subscription is cancelled.`,
          }
        : {
            userId: subscription.userId,
            to: email,
            template: "renewal_failed",
            subject: "Your Breakwater payment failed",
            body: `We could not charge your card for the ${PLANS[plan].label} plan. We will try again on ${new Date(input.periodEnd.getTime() + (nextDay ?? 0) * DAY_MS).toDateString()}.`,
          },
    );
    return { subscriptionId: subscription.id, outcome: last ? ("canceled" as const) : ("past_due" as const), chargeId: null };
  },
  audit: {
    action: "billing.renewal",
    target: ({ input }) => ({ type: "subscription", id: input.subscriptionId }),
    metadata: ({ input, data }) => ({ attempt: input.attempt, outcome: data?.outcome, chargeId: data?.chargeId }),
  },
});
