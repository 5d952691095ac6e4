import { and, eq, lt, sql } from "drizzle-orm";
import { z } from "zod";
import { invoices, planEnum, renewalAttempts, subscriptions, users } from "@/db/schema";
import { callThroughBreaker, DependencyDownError } from "@/lib/breakers";
import { providers, ProviderError } from "@/lib/providers";
import { ActionFailure, defineAction } from "@/lib/safety";
import { BILLING_PERIOD_DAYS, PLANS } from "./plans";
import { findSubscription } from "./queries";

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Charges through the payments breaker, outside any transaction. The
 * idempotency key is derived from the subscription's current version, so a
 * double submit of the same change can never charge twice.
 */
async function chargeForPlan(userId: string, subscription: { id: string; updatedAt: Date }, plan: keyof typeof PLANS) {
  const amountCents = PLANS[plan].priceCents;
  if (amountCents === 0) return null;
  try {
    return await callThroughBreaker("payments", () =>
      providers.payments.charge({
        customerRef: userId,
        amountCents,
        currency: "usd",
        description: `Breakwater ${PLANS[plan].label} plan`,
        idempotencyKey: `plan-change:${subscription.id}:${plan}:${subscription.updatedAt.getTime()}`,
      }),
    );
  } catch (error) {
    if (error instanceof ProviderError && error.kind === "refused") throw new ActionFailure("payment_failed", "Your card was declined; you have not been charged.");
    if (error instanceof DependencyDownError) throw new ActionFailure("dependency_down", "Our payment provider is unavailable; you have not been charged. Please try again shortly.");
    throw error;
  }
}

// Switching plan charges the new plan's first period at once and starts a new period.
export const changePlan = defineAction({
  name: "billing.change_plan",
  permission: "self:write",
  flag: "payments",
  rateLimit: { policy: "payment", key: ({ user }) => `user:${user.id}` },
  input: z.object({ plan: z.enum(planEnum.enumValues, "Choose free, pro or team.") }),
  prepare: async ({ db, user, input }) => {
    const subscription = await findSubscription(db, user.id);
    if (!subscription) throw new ActionFailure("not_found", "You don't have a subscription yet.");
    if (subscription.plan === input.plan && subscription.status === "active") {
      throw new ActionFailure("conflict", `You're already on the ${PLANS[input.plan].label} plan.`);
    }
    return { subscription, charge: await chargeForPlan(user.id, subscription, input.plan) };
  },
  handler: async ({ tx, user, input, notify, prepared: { subscription, charge } }) => {
    const now = new Date();
    const [updated] = await tx
      .update(subscriptions)
      .set({ plan: input.plan, status: "active", currentPeriodEnd: new Date(now.getTime() + BILLING_PERIOD_DAYS * DAY_MS), updatedAt: now })
      // Optimistic check: a concurrent change since we charged means this request lost.
      .where(and(eq(subscriptions.id, subscription.id), eq(subscriptions.updatedAt, subscription.updatedAt)))
      .returning({ id: subscriptions.id });
    if (!updated) throw new ActionFailure("conflict", "Your plan was changed by another request; refresh and try again.");
    if (charge) {
      await tx.insert(invoices).values({
        userId: user.id,
        subscriptionId: subscription.id,
        plan: input.plan,
        amountCents: charge.amountCents,
        status: "paid",
        description: `${PLANS[input.plan].label} plan, ${BILLING_PERIOD_DAYS} days`,
        providerChargeId: charge.chargeId,
      });
    }
    await notify({
      userId: user.id,
      to: user.email,
      template: "plan_changed",
      subject: `Your Breakwater plan is now ${PLANS[input.plan].label}`,
      body: `Your plan changed from ${PLANS[subscription.plan].label} to ${PLANS[input.plan].label}.`,
    });
    return { subscriptionId: subscription.id, previousPlan: subscription.plan, plan: input.plan, chargeId: charge?.chargeId ?? null };
  },
  audit: {
    action: "billing.plan_change",
    target: (_, data) => ({ type: "subscription", id: data?.subscriptionId ?? null }),
    metadata: (input, data) => ({ before: { plan: data?.previousPlan }, after: { plan: input.plan }, chargeId: data?.chargeId }),
  },
});

// Cancelling stops renewals; access continues until the end of the paid period.
export const cancelSubscription = defineAction({
  name: "billing.cancel",
  permission: "self:write",
  flag: "payments",
  input: z.object({}).strict(),
  handler: async ({ tx, user, notify }) => {
    const [row] = await tx
      .update(subscriptions)
      .set({ status: "canceled", updatedAt: new Date() })
      .where(and(eq(subscriptions.userId, user.id), eq(subscriptions.status, "active")))
      .returning({ subscriptionId: subscriptions.id, currentPeriodEnd: subscriptions.currentPeriodEnd });
    if (!row) throw new ActionFailure("conflict", "There is no active subscription to cancel.");
    await notify({
      userId: user.id,
      to: user.email,
      template: "subscription_canceled",
      subject: "Your Breakwater subscription was cancelled",
      body: `Your subscription is cancelled. You keep access until ${row.currentPeriodEnd.toDateString()}.`,
    });
    return row;
  },
  audit: { action: "billing.cancel", target: (_, data) => ({ type: "subscription", id: data?.subscriptionId ?? null }) },
});

// ---- Renewals (issue 6): run only by the renewals job (lib/billing/jobs.ts), never exposed as a server action. ----

/** Dunning: charge at period end, retry 1, 3 and 7 days later, then cancel. */
export const DUNNING_DAYS = [0, 1, 3, 7] as const;
/** A claimed attempt whose run died is taken over after this long (the provider's idempotency key makes that safe). */
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
  permission: "public",
  flag: "payments",
  input: z.object({ subscriptionId: z.string().uuid(), periodEnd: z.coerce.date(), attempt: z.number().int().min(0).max(DUNNING_DAYS.length - 1) }),
  prepare: async ({ db, input }) => {
    const key = renewalKey(input.subscriptionId, input.periodEnd);
    const [claimed] = await db
      .insert(renewalAttempts)
      .values({ subscriptionId: input.subscriptionId, periodEnd: input.periodEnd, idempotencyKey: key, attempt: input.attempt })
      .onConflictDoNothing()
      .returning({ id: renewalAttempts.id });
    const claim =
      claimed ??
      (
        await db
          .update(renewalAttempts)
          .set({ createdAt: new Date() })
          .where(
            and(
              eq(renewalAttempts.idempotencyKey, key),
              eq(renewalAttempts.attempt, input.attempt),
              eq(renewalAttempts.status, "pending"),
              lt(renewalAttempts.createdAt, new Date(Date.now() - CLAIM_STALE_MS)),
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
    try {
      const charge = await callThroughBreaker("payments", () =>
        providers.payments.charge({
          customerRef: row.subscription.userId,
          amountCents: PLANS[plan].priceCents,
          currency: "usd",
          description: `Breakwater ${PLANS[plan].label} plan renewal`,
          idempotencyKey: key,
        }),
      );
      return { claimId: claim.id, subscription: row.subscription, email: row.email, charge, declined: null };
    } catch (error) {
      if (error instanceof ProviderError && error.kind === "refused") {
        return { claimId: claim.id, subscription: row.subscription, email: row.email, charge: null, declined: error.message };
      }
      // Not an answer (breaker open, timeout): free the attempt so a later run retries it.
      await release();
      throw error;
    }
  },
  handler: async ({ tx, input, notify, prepared: { claimId, subscription, email, charge, declined } }) => {
    const plan = subscription.plan;
    if (charge) {
      const [renewed] = await tx
        .update(subscriptions)
        .set({ status: "active", currentPeriodEnd: new Date(input.periodEnd.getTime() + BILLING_PERIOD_DAYS * DAY_MS), updatedAt: new Date() })
        // date_trunc: a period end written by SQL has microseconds a JS Date cannot carry.
        .where(and(eq(subscriptions.id, subscription.id), sql`date_trunc('milliseconds', ${subscriptions.currentPeriodEnd}) = ${input.periodEnd.toISOString()}`))
        .returning({ id: subscriptions.id });
      if (!renewed) throw new ActionFailure("conflict", "The subscription changed while renewing.");
      await tx.update(renewalAttempts).set({ status: "paid", chargeId: charge.chargeId }).where(eq(renewalAttempts.id, claimId));
      await tx.insert(invoices).values({
        userId: subscription.userId,
        subscriptionId: subscription.id,
        plan,
        amountCents: charge.amountCents,
        status: "paid",
        description: `${PLANS[plan].label} plan renewal, ${BILLING_PERIOD_DAYS} days`,
        providerChargeId: charge.chargeId,
      });
      return { subscriptionId: subscription.id, outcome: "paid" as const, chargeId: charge.chargeId };
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
    actor: () => ({ type: "cron", id: "renewals" }),
    target: (input) => ({ type: "subscription", id: input.subscriptionId }),
    metadata: (input, data) => ({ attempt: input.attempt, outcome: data?.outcome, chargeId: data?.chargeId }),
  },
});
