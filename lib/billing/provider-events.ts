import "server-only";
import { and, eq, gte, inArray, sql } from "drizzle-orm";
import { invoices, renewalAttempts, subscriptions, users } from "@/db/schema";
import type { Executor } from "@/lib/database";
import type { NotificationInput } from "@/lib/notifications";
import { BILLING_PERIOD_DAYS, formatCents } from "./constants";

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * What the payments provider tells us after the fact (its webhooks and the
 * reconciliation job), applied to our invoices and subscriptions. The
 * provider is the truth about money that moved; each change here is
 * idempotent, so a redelivered event or a second reconciliation run does
 * nothing more.
 */

export async function invoiceForCharge(db: Executor, chargeId: string) {
  const [row] = await db.select().from(invoices).where(eq(invoices.providerChargeId, chargeId));
  return row ?? null;
}

/** A charge refunded at the provider (by support, compensation or its dashboard): the invoice says refunded. */
export async function markInvoiceRefunded(tx: Executor, chargeId: string, notify: ((n: NotificationInput) => Promise<void>) | null) {
  const [invoice] = await tx
    .update(invoices)
    .set({ status: "refunded" })
    .where(and(eq(invoices.providerChargeId, chargeId), eq(invoices.status, "paid")))
    .returning();
  if (!invoice) return null;
  const [owner] = await tx.select({ email: users.email }).from(users).where(eq(users.id, invoice.userId));
  if (owner && notify) {
    await notify({
      userId: invoice.userId,
      to: owner.email,
      template: "payment_refunded",
      subject: "Your Breakwater payment was refunded",
      body: `We refunded ${formatCents(invoice.amountCents, invoice.currency)} for "${invoice.description}". It reaches your card within 5 to 10 business days.`,
    });
  }
  return invoice;
}

/**
 * A payment we recorded as paid failed at the provider afterwards (a charge
 * that was still settling). The invoice says failed, the subscription is
 * past due, and a renewal goes back into dunning: its attempt counts as
 * failed and the period end returns to where it was, so the renewals job
 * retries it on the next dunning day.
 */
export async function applyFailedPayment(tx: Executor, chargeId: string, reason: string, notify: (n: NotificationInput) => Promise<void>) {
  const [invoice] = await tx
    .update(invoices)
    .set({ status: "failed" })
    .where(and(eq(invoices.providerChargeId, chargeId), eq(invoices.status, "paid")))
    .returning();
  if (!invoice) return null;
  const [attempt] = await tx
    .update(renewalAttempts)
    .set({ status: "failed", error: reason })
    .where(and(eq(renewalAttempts.chargeId, chargeId), eq(renewalAttempts.status, "paid")))
    .returning();
  if (invoice.subscriptionId) {
    const renewedTo = attempt ? new Date(attempt.periodEnd.getTime() + BILLING_PERIOD_DAYS * DAY_MS) : null;
    await tx
      .update(subscriptions)
      .set({
        status: "past_due",
        // Only if nothing moved the period since this renewal.
        currentPeriodEnd: renewedTo
          ? sql`case when date_trunc('milliseconds', ${subscriptions.currentPeriodEnd}) = ${renewedTo.toISOString()}::timestamptz then ${attempt!.periodEnd.toISOString()}::timestamptz else ${subscriptions.currentPeriodEnd} end`
          : sql`${subscriptions.currentPeriodEnd}`,
        updatedAt: new Date(),
      })
      .where(and(eq(subscriptions.id, invoice.subscriptionId), inArray(subscriptions.status, ["active", "past_due"])));
  }
  const [owner] = await tx.select({ email: users.email }).from(users).where(eq(users.id, invoice.userId));
  if (owner) {
    await notify({
      userId: invoice.userId,
      to: owner.email,
      template: "payment_failed",
      subject: "Your Breakwater payment failed",
      body: `Your payment of ${formatCents(invoice.amountCents, invoice.currency)} for "${invoice.description}" did not go through (${reason}). We will try again; you can update your card at /billing.`,
    });
  }
  return { invoice, renewal: Boolean(attempt) };
}

/** Paid invoices created since a moment that carry a provider charge id, for reconciliation. */
export function paidInvoicesSince(db: Executor, since: Date) {
  return db
    .select({ id: invoices.id, providerChargeId: invoices.providerChargeId, amountCents: invoices.amountCents, status: invoices.status, createdAt: invoices.createdAt })
    .from(invoices)
    .where(and(gte(invoices.createdAt, since), inArray(invoices.status, ["paid", "refunded"])));
}
