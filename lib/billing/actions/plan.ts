import "server-only";
import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { invoices, planEnum, subscriptions } from "@/db/schema";
import { actorOf } from "@/lib/audit";
import { getDb } from "@/lib/database";
import { ActionFailure, defineAction } from "@/lib/procedures";
import { fail } from "@/lib/safety";
import { PLANS } from "../constants";
import { chargeAttempt, openAttempt, refundAttempt, settleAttempt } from "../payments";
import { quotePlanChange } from "../proration";
import { findSubscription } from "../reads";

/**
 * Switching plan is prorated (../proration.ts): the unused part of a paid
 * period is credited and the renewal date kept. The charge happens in `prepare` (outside the transaction), as an
 * attempt recorded before the provider is called (../payments.ts); if the
 * change then fails to commit, `compensate` refunds the charge and says so.
 */
export const changePlan = defineAction({
  name: "billing.change_plan",
  permission: "self:write",
  // INCIDENT: charges fail or misbehave, or the payments provider is down.
  // FAILURE MODE: with payments off the call is refused with the switch's sentence before any provider call or charge.
  // SAFE TO RETRY: yes; a refused call changed nothing and charged nothing.
  // OPERATOR ACTION: runbook payment-provider-down; switch payments off.
  flag: "payments",
  rateLimit: { policy: "payment", by: "user" },
  input: z.object({ plan: z.enum(planEnum.enumValues, "Choose free, pro or team.") }),
  prepare: async ({ db, user, input }) => {
    const subscription = await findSubscription(db, user.id);
    if (!subscription) throw new ActionFailure("not_found", "You don't have a subscription yet.");
    if (subscription.plan === input.plan && subscription.status === "active") {
      throw new ActionFailure("conflict", `You're already on the ${PLANS[input.plan].label} plan.`);
    }
    const quote = quotePlanChange(subscription, input.plan, new Date());
    if (quote.amountCents === 0) return { subscription, quote, attempt: null, charge: null };
    const attempt = await openAttempt(db, { userId: user.id, subscription, plan: input.plan, amountCents: quote.amountCents });
    return { subscription, quote, attempt, charge: await chargeAttempt(db, attempt, user.id, quote.description) };
  },
  handler: async ({ tx, user, input, notify, prepared: { subscription, quote, attempt, charge } }) => {
    const now = new Date();
    const [updated] = await tx
      .update(subscriptions)
      .set({ plan: input.plan, status: "active", currentPeriodEnd: quote.periodEnd, creditCents: quote.creditCents, updatedAt: now })
      // Optimistic check: a concurrent change since we charged means this request lost.
      .where(and(eq(subscriptions.id, subscription.id), eq(subscriptions.updatedAt, subscription.updatedAt)))
      .returning({ id: subscriptions.id });
    if (!updated) throw new ActionFailure("conflict", "Your plan was changed by another request; refresh and try again.");
    if (attempt && charge) await settleAttempt(tx, attempt.id);
    // A prorated change is invoiced even when nothing is charged: the line says where the credit went.
    if (charge || quote.prorated) {
      await tx.insert(invoices).values({
        userId: user.id,
        subscriptionId: subscription.id,
        plan: input.plan,
        amountCents: charge?.amountCents ?? 0,
        status: "paid",
        description: quote.description,
        providerChargeId: charge?.chargeId ?? null,
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
  // Charged, but the change did not commit: the charge is refunded (audited), and the caller is told.
  compensate: async ({ prepared, error, request }) => {
    if (!prepared.attempt || !prepared.charge) return;
    const outcome = await refundAttempt(await getDb(), prepared.attempt.id, `plan change did not complete (${error.code})`, actorOf(request));
    if (outcome === "refunded") return fail(error.code, `${error.message} The charge was refunded; you have not been charged.`);
    if (outcome === "refund_pending") return fail(error.code, `${error.message} We couldn't refund the charge just now; it will be refunded automatically, and we'll email you.`);
  },
  audit: {
    action: "billing.plan_change",
    target: ({ data }) => ({ type: "subscription", id: data?.subscriptionId ?? null }),
    metadata: ({ input, data }) => ({ before: { plan: data?.previousPlan }, after: { plan: input.plan }, chargeId: data?.chargeId }),
  },
});

// Cancelling stops renewals; access continues until the end of the paid period.
export const cancelSubscription = defineAction({
  name: "billing.cancel",
  permission: "self:write",
  // INCIDENT: the payments path is switched off during a provider incident.
  // FAILURE MODE: cancelling is refused too while payments is off (renewals are off as well, so nobody is charged meanwhile).
  // SAFE TO RETRY: yes; a refused call changed nothing.
  // OPERATOR ACTION: runbook payment-provider-down.
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
  audit: { action: "billing.cancel", target: ({ data }) => ({ type: "subscription", id: data?.subscriptionId ?? null }) },
});
