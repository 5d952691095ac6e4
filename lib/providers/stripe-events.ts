import "server-only";
import { eq } from "drizzle-orm";
import type Stripe from "stripe";
import { paymentCustomers, webhookEvents } from "@/db/schema";
import { raiseAlert, resolveAlert } from "@/lib/alerts";
import { applyFailedPayment, formatCents, invoiceForCharge, markInvoiceRefunded } from "@/lib/billing";
import { callThroughBreaker } from "@/lib/breakers";
import type { Executor } from "@/lib/database";
import { env } from "@/lib/env";
import type { NotificationInput } from "@/lib/notifications";
import { configuredStripe } from "./payments/stripe-client";

export type Verified = { ok: true; event: Stripe.Event } | { ok: false; reason: string };

/**
 * The signature check (Stripe-Signature over the raw body, with the
 * endpoint's secret and a 5-minute tolerance) is the only thing that makes
 * an event Stripe's: anything else is rejected before it is even parsed.
 */
export function verifyStripeEvent(payload: string, signature: string): Verified {
  const stripe = configuredStripe();
  if (!stripe || !env.STRIPE_WEBHOOK_SECRET) return { ok: false, reason: "Stripe is not configured" };
  try {
    return { ok: true, event: stripe.webhooks.constructEvent(payload, signature, env.STRIPE_WEBHOOK_SECRET) };
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message.split("\n")[0]!.slice(0, 200) : "invalid event" };
  }
}

export async function alreadyApplied(db: Executor, eventId: string): Promise<boolean> {
  const [row] = await db.select({ id: webhookEvents.id }).from(webhookEvents).where(eq(webhookEvents.id, eventId));
  return Boolean(row);
}

/** A card saved on Stripe's hosted page: made the customer's default there (a provider call, before the transaction). */
export async function saveCardFromCheckout(db: Executor, event: Stripe.Event): Promise<{ userId: string; paymentMethod: string } | null> {
  if (event.type !== "checkout.session.completed") return null;
  const session = event.data.object;
  if (session.mode !== "setup" || !session.setup_intent || !session.customer) return null;
  const stripe = configuredStripe()!;
  const customerId = typeof session.customer === "string" ? session.customer : session.customer.id;
  const [owner] = await db.select({ userId: paymentCustomers.userId }).from(paymentCustomers).where(eq(paymentCustomers.customerId, customerId));
  if (!owner) return null;
  const setupIntentId = typeof session.setup_intent === "string" ? session.setup_intent : session.setup_intent.id;
  // INCIDENT: Stripe does not answer while a card-setup webhook is handled.
  // FAILURE MODE: the event is not recorded as applied and the webhook call fails, so Stripe delivers it again later and the card is saved then.
  // SAFE TO RETRY: yes; the default-card update carries the idempotency key default-card:<event id>.
  // OPERATOR ACTION: runbook payment-provider-down.
  const paymentMethod = await callThroughBreaker("payments", async () => {
    const intent = await stripe.setupIntents.retrieve(setupIntentId);
    const pm = typeof intent.payment_method === "string" ? intent.payment_method : intent.payment_method?.id;
    if (!pm) return null;
    await stripe.customers.update(customerId, { invoice_settings: { default_payment_method: pm } }, { idempotencyKey: `default-card:${event.id}` });
    return pm;
  });
  return paymentMethod ? { userId: owner.userId, paymentMethod } : null;
}

type Applied = { outcome: "applied" | "ignored"; detail: string };

function intentIdOf(charge: Stripe.Charge): string | null {
  return typeof charge.payment_intent === "string" ? charge.payment_intent : (charge.payment_intent?.id ?? null);
}

/** One verified event, inside the procedure's transaction. Types we don't act on are recorded as ignored. */
export async function applyStripeEvent(tx: Executor, event: Stripe.Event, cardSaved: { userId: string; paymentMethod: string } | null, notify: (n: NotificationInput) => Promise<void>): Promise<Applied> {
  switch (event.type) {
    case "checkout.session.completed": {
      if (!cardSaved) return { outcome: "ignored", detail: "not a card setup we started" };
      await tx.update(paymentCustomers).set({ defaultPaymentMethod: cardSaved.paymentMethod, updatedAt: new Date() }).where(eq(paymentCustomers.userId, cardSaved.userId));
      return { outcome: "applied", detail: `card saved for user ${cardSaved.userId}` };
    }
    case "payment_intent.succeeded": {
      const invoice = await invoiceForCharge(tx, event.data.object.id);
      // Our own transaction may not have committed yet: an intent without an invoice is the reconciliation job's to judge, after a grace period.
      return invoice ? { outcome: "applied", detail: `invoice ${invoice.id} is ${invoice.status}` } : { outcome: "ignored", detail: "no invoice (yet): left to reconciliation" };
    }
    case "payment_intent.payment_failed": {
      const intent = event.data.object;
      const reason = intent.last_payment_error?.message ?? "payment failed";
      const failed = await applyFailedPayment(tx, intent.id, reason, notify);
      return failed ? { outcome: "applied", detail: `invoice ${failed.invoice.id} failed${failed.renewal ? ", renewal back in dunning" : ""}` } : { outcome: "ignored", detail: "no paid invoice for this payment" };
    }
    case "charge.refunded": {
      const intentId = intentIdOf(event.data.object);
      const invoice = intentId ? await markInvoiceRefunded(tx, intentId, notify) : null;
      return invoice ? { outcome: "applied", detail: `invoice ${invoice.id} refunded` } : { outcome: "ignored", detail: "no paid invoice for this charge" };
    }
    case "charge.dispute.created": {
      const dispute = event.data.object;
      await raiseAlert(tx, {
        dedupKey: `payment_dispute:${dispute.id}`,
        source: "payments",
        severity: "ticket",
        title: `A customer disputed a payment of ${formatCents(dispute.amount, dispute.currency)}`,
        detail: `Reason: ${dispute.reason}. Answer it in the Stripe dashboard before the deadline.`,
        runbook: "billing-reconciliation",
        context: { dispute: dispute.id, charge: typeof dispute.charge === "string" ? dispute.charge : dispute.charge.id },
      });
      return { outcome: "applied", detail: `dispute ${dispute.id} raised as an alert` };
    }
    case "charge.dispute.closed": {
      await resolveAlert(tx, `payment_dispute:${event.data.object.id}`);
      return { outcome: "applied", detail: `dispute ${event.data.object.id} closed (${event.data.object.status})` };
    }
    default:
      return { outcome: "ignored", detail: "event type not used" };
  }
}

/**
 * Claims an event by its id before anything is applied: a concurrent second
 * delivery waits on this row and then finds it taken, so an event is applied
 * once however often it arrives.
 */
export async function claimWebhookEvent(tx: Executor, event: Stripe.Event): Promise<boolean> {
  const [row] = await tx.insert(webhookEvents).values({ id: event.id, provider: "stripe", type: event.type, outcome: "applied" }).onConflictDoNothing().returning({ id: webhookEvents.id });
  return Boolean(row);
}

export async function noteWebhookOutcome(tx: Executor, eventId: string, applied: Applied): Promise<void> {
  await tx.update(webhookEvents).set({ outcome: applied.outcome, detail: applied.detail }).where(eq(webhookEvents.id, eventId));
}

