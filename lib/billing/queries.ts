import "server-only";
import { z } from "zod";
import { defineQuery } from "@/lib/procedures";
import { cardOnFile } from "@/lib/providers";
import { formatCents, PLANS } from "./constants";
import { uncertainAttempt } from "./payments";
import { findSubscription, listInvoices } from "./reads";

// The billing page: the caller's own plan and invoices, with the choices the page offers.
export const billingOverview = defineQuery({
  name: "billing.overview",
  permission: "self:write",
  input: z.object({}),
  handler: async ({ db, user }) => {
    const [subscription, invoices, checking, card] = await Promise.all([findSubscription(db, user.id), listInvoices(db, user.id), uncertainAttempt(db, user.id), cardOnFile(db, user.id)]);
    const plan = subscription?.plan ?? "free";
    const canceled = subscription?.status === "canceled";
    const paid = PLANS[plan].priceCents > 0;
    return {
      planLabel: PLANS[plan].label,
      price: paid ? `${formatCents(PLANS[plan].priceCents)} per 30 days.` : "No charge.",
      /** When a paid plan renews, or (cancelled) when access ends. */
      period: subscription && paid ? { ends: subscription.currentPeriodEnd, canceled } : null,
      /** The plan the switch buttons treat as current: a cancelled plan is on its way to Free. */
      current: canceled ? ("free" as const) : plan,
      canCancel: !canceled && plan !== "free",
      /** Since when a payment's outcome is being checked with the provider (a timed-out charge), or null. */
      checkingPaymentSince: checking?.since ?? null,
      /** Credit from a prorated downgrade, taken off the next charge. */
      credit: subscription && subscription.creditCents > 0 ? formatCents(subscription.creditCents) : null,
      /** With a real provider, charges need a saved card: null when none is needed. */
      card,
      invoices: invoices.map((invoice) => ({
        id: invoice.id,
        createdAt: invoice.createdAt,
        description: invoice.description,
        amount: formatCents(invoice.amountCents, invoice.currency),
        status: invoice.status,
      })),
    };
  },
});
