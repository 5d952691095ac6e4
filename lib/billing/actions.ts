import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { invoices, planEnum, subscriptions } from "@/db/schema";
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
