import "server-only";
import { and, eq, inArray } from "drizzle-orm";
import { z } from "zod";
import { invoices, OPEN_PAYMENT_STATUSES, paymentAttempts, retainedInvoices, subscriptions, users, type PaymentAttempt } from "@/db/schema";
import { actorOf } from "@/lib/audit";
import { callThroughBreaker } from "@/lib/breakers";
import { getDb, type Executor } from "@/lib/database";
import { providers } from "@/lib/providers";
import { ActionFailure, defineAction } from "@/lib/procedures";
import { BILLING_PERIOD_DAYS, PLANS } from "../constants";
import { refundAttempt, settleAttempt } from "../payments";
import { SETTLE_MS } from "../reconcile";

const DAY_MS = 24 * 60 * 60 * 1000;

type Outcome = "applied" | "refunded" | "not_charged";

async function chargeIsInvoiced(db: Executor, chargeId: string): Promise<boolean> {
  const [billed] = await db.select({ id: invoices.id }).from(invoices).where(eq(invoices.providerChargeId, chargeId)).limit(1);
  if (billed) return true;
  const [kept] = await db.select({ id: retainedInvoices.id }).from(retainedInvoices).where(eq(retainedInvoices.providerChargeId, chargeId)).limit(1);
  return Boolean(kept);
}

/**
 * Settles one payment attempt whose outcome was left open (a timeout, or a
 * request that died mid-way), from what the provider says about its
 * idempotency key: no charge → not charged; a charge, and the change it paid
 * for still applies → the change is made with its invoice; a charge for a
 * change that no longer applies → refunded. The customer gets an email either way.
 */
export const reconcilePayment = defineAction({
  name: "billing.reconcile",
  permission: "system",
  // INCIDENT: payments is switched off while attempts are open.
  // FAILURE MODE: reconciliation is refused (disabled) and open attempts wait for the first run after payments is back on.
  // SAFE TO RETRY: yes; a refused call changed nothing.
  // OPERATOR ACTION: runbook billing-reconciliation.
  flag: "payments",
  input: z.object({ attemptId: z.string().uuid(), asOf: z.coerce.date().optional() }),
  prepare: async ({ db, input, request }) => {
    const [attempt] = await db.select().from(paymentAttempts).where(eq(paymentAttempts.id, input.attemptId));
    if (!attempt || !(OPEN_PAYMENT_STATUSES as readonly string[]).includes(attempt.status)) throw new ActionFailure("conflict", "This payment is already settled.");
    const [owner] = attempt.userId ? await db.select({ email: users.email, status: users.status }).from(users).where(eq(users.id, attempt.userId)) : [];
    const base = { attempt, email: owner?.email ?? null };
    if (attempt.status === "refunding") return { ...base, ...(await refundOrFail(attempt, request)) };
    // INCIDENT: payment attempts stay open (timed-out charges) and the provider does not answer.
    // FAILURE MODE: the lookup fails or the breaker refuses; the attempt stays open for the next run, nothing is charged or refunded.
    // SAFE TO RETRY: yes; it only reads the provider, by the attempt's idempotency key.
    // OPERATOR ACTION: runbook billing-reconciliation.
    const charge = await callThroughBreaker("payments", () => providers.payments.findCharge(attempt.idempotencyKey));
    if (!charge) {
      // "No charge" is only an answer once the provider cannot still be working on the request.
      if ((input.asOf ?? new Date()).getTime() - attempt.updatedAt.getTime() < SETTLE_MS) throw new ActionFailure("conflict", "Too early to tell: the provider may still be processing this charge.");
      return { ...base, outcome: "not_charged" as Outcome, chargeId: null };
    }
    if (charge.refunded) return { ...base, outcome: "refunded" as Outcome, chargeId: charge.chargeId };
    await db.update(paymentAttempts).set({ chargeId: charge.chargeId, updatedAt: new Date() }).where(eq(paymentAttempts.id, attempt.id));
    const [subscription] = attempt.subscriptionId ? await db.select().from(subscriptions).where(eq(subscriptions.id, attempt.subscriptionId)) : [];
    // Applied only if nothing changed since it was asked for: the customer paid for exactly that change.
    const stillApplies = subscription && owner?.status === "active" && subscription.updatedAt.getTime() === attempt.subscriptionVersion.getTime();
    if (stillApplies) return { ...base, outcome: "applied" as Outcome, chargeId: charge.chargeId };
    return { ...base, ...(await refundOrFail({ ...attempt, chargeId: charge.chargeId }, request)) };
  },
  handler: async ({ tx, notify, prepared }) => {
    const { attempt, outcome, chargeId, email } = prepared;
    const plan = PLANS[attempt.plan].label;
    if (outcome === "applied") {
      const now = new Date();
      const [updated] = await tx
        .update(subscriptions)
        .set({ plan: attempt.plan, status: "active", currentPeriodEnd: new Date(now.getTime() + BILLING_PERIOD_DAYS * DAY_MS), updatedAt: now })
        .where(and(eq(subscriptions.id, attempt.subscriptionId!), eq(subscriptions.updatedAt, attempt.subscriptionVersion)))
        .returning({ id: subscriptions.id });
      if (!updated) throw new ActionFailure("conflict", "The subscription changed while the payment was being checked.");
      await tx.update(paymentAttempts).set({ status: "charged" }).where(and(eq(paymentAttempts.id, attempt.id), inArray(paymentAttempts.status, ["pending", "unknown"])));
      await settleAttempt(tx, attempt.id);
      await tx.insert(invoices).values({
        userId: attempt.userId!,
        subscriptionId: attempt.subscriptionId,
        plan: attempt.plan,
        amountCents: attempt.amountCents,
        status: "paid",
        description: `${plan} plan, ${BILLING_PERIOD_DAYS} days`,
        providerChargeId: chargeId,
      });
    } else {
      await tx
        .update(paymentAttempts)
        .set({ status: outcome === "refunded" ? "refunded" : "failed", detail: outcome === "refunded" ? "refunded" : "the provider has no charge for this attempt", updatedAt: new Date(), resolvedAt: new Date() })
        .where(eq(paymentAttempts.id, attempt.id));
    }
    if (email && attempt.userId) {
      await notify({
        userId: attempt.userId,
        to: email,
        template: `payment_${outcome}`,
        subject: outcome === "applied" ? `Your change to the ${plan} plan went through` : `Your change to the ${plan} plan did not go through`,
        body:
          outcome === "applied"
            ? `We checked with our payment provider: the charge went through once, and you are now on the ${plan} plan.`
            : outcome === "refunded"
              ? `We checked with our payment provider: you were charged, but the change could not be made, so the charge was refunded in full. Your plan is unchanged.`
              : `We checked with our payment provider: you were not charged. Your plan is unchanged; you can try again.`,
      });
    }
    return { attemptId: attempt.id, outcome, chargeId };
  },
  compensate: async ({ prepared, request }) => {
    if (prepared.outcome === "applied") await refundAttempt(await getDb(), prepared.attempt.id, "the change could not be applied after the payment was found", actorOf(request));
  },
  audit: {
    action: "billing.reconcile",
    target: ({ input }) => ({ type: "payment_attempt", id: input.attemptId }),
    metadata: ({ data }) => ({ outcome: data?.outcome, chargeId: data?.chargeId }),
  },
});

async function refundOrFail(attempt: PaymentAttempt, request: Parameters<typeof actorOf>[0]): Promise<{ outcome: Outcome; chargeId: string | null }> {
  const outcome = await refundAttempt(await getDb(), attempt.id, "the change it paid for no longer applies", actorOf(request));
  if (outcome === "refund_pending") throw new ActionFailure("dependency_down", "The refund could not be made yet; it will be retried.");
  return { outcome: "refunded", chargeId: attempt.chargeId };
}

/**
 * Refunds a charge the provider holds that no invoice of ours accounts for
 * (and no open attempt or due renewal will): money taken for nothing.
 */
export const refundUnbilledCharge = defineAction({
  name: "billing.refund_unbilled",
  permission: "system",
  // INCIDENT: payments is switched off while a charge without an invoice waits for its refund.
  // FAILURE MODE: the refund is refused (disabled); the charge stays in the invoice_reconciliation alert until a later run refunds it.
  // SAFE TO RETRY: yes; a refused call changed nothing.
  // OPERATOR ACTION: runbook billing-reconciliation.
  flag: "payments",
  input: z.object({ chargeId: z.string().min(1).max(200), amountCents: z.number().int().min(0), reason: z.string().max(300) }),
  prepare: async ({ db, input }) => {
    if (await chargeIsInvoiced(db, input.chargeId)) throw new ActionFailure("conflict", "This charge has an invoice.");
    // INCIDENT: a charge nobody was billed for cannot be refunded (provider down or refusing).
    // FAILURE MODE: the refund fails; the charge is found and reported again by the next run.
    // SAFE TO RETRY: yes; the refund carries the idempotency key refund:<charge id>, so the provider refunds it at most once.
    // OPERATOR ACTION: runbook billing-reconciliation.
    return callThroughBreaker("payments", () => providers.payments.refund({ chargeId: input.chargeId, idempotencyKey: `refund:${input.chargeId}`, reason: input.reason }));
  },
  handler: async ({ tx, input, prepared }) => {
    await tx.update(paymentAttempts).set({ status: "refunded", updatedAt: new Date(), resolvedAt: new Date() }).where(eq(paymentAttempts.chargeId, input.chargeId));
    return { chargeId: input.chargeId, refundId: prepared.refundId };
  },
  audit: {
    action: "billing.refund",
    target: ({ input }) => ({ type: "charge", id: input.chargeId }),
    metadata: ({ input, data }) => ({ refundId: data?.refundId, amountCents: input.amountCents, reason: input.reason }),
  },
});
