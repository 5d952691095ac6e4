import "server-only";
import { paidInvoicesSince } from "@/lib/billing";
import type { Executor } from "@/lib/database";
import type { Charge } from "./payments/types";

/** Charges and invoices younger than this are still being written by the request that made them. */
export const RECONCILE_GRACE_MS = 15 * 60_000;
const MARGIN_MS = 60 * 60_000;

/** The provider's charges a run needs: the window and its margin. */
export function chargesWindowStart(since: Date): Date {
  return new Date(since.getTime() - MARGIN_MS);
}

/** How far back each run looks; runs are hourly, so every charge is compared many times. */
export const RECONCILE_WINDOW_MS = 3 * 24 * 60 * 60_000;

export type Difference = {
  kind: "charge_without_invoice" | "invoice_without_charge" | "refunded_at_provider" | "amount_mismatch";
  chargeId: string | null;
  invoiceId: string | null;
  detail: string;
};

/**
 * Compares the provider's charges with our invoices over the window:
 * money taken with no invoice, an invoice whose charge the provider does not
 * have (failed or never made), a charge refunded at the provider that our
 * invoice still calls paid, and amounts that disagree.
 */
export async function compareWithProvider(db: Executor, charges: readonly Charge[], since: Date, now: Date): Promise<Difference[]> {
  // Judged: what happened in [since, now - grace]. Matched against: an hour more on each side, so a charge and its invoice written a moment apart never straddle the edge.
  const settled = (at: Date) => at.getTime() >= since.getTime() && now.getTime() - at.getTime() >= RECONCILE_GRACE_MS;
  const invoices = await paidInvoicesSince(db, new Date(since.getTime() - MARGIN_MS));
  const byCharge = new Map(invoices.filter((i) => i.providerChargeId).map((i) => [i.providerChargeId!, i]));
  const seen = new Map(charges.map((c) => [c.chargeId, c]));
  const differences: Difference[] = [];
  for (const charge of charges) {
    if (!settled(charge.createdAt)) continue;
    const invoice = byCharge.get(charge.chargeId);
    if (!invoice) {
      if (!charge.refunded) differences.push({ kind: "charge_without_invoice", chargeId: charge.chargeId, invoiceId: null, detail: `${charge.amountCents} cents taken under ${charge.idempotencyKey || "no key"}, no invoice` });
      continue;
    }
    if (charge.refunded && invoice.status === "paid") differences.push({ kind: "refunded_at_provider", chargeId: charge.chargeId, invoiceId: invoice.id, detail: "refunded at the provider, invoice says paid" });
    if (charge.amountCents !== invoice.amountCents) differences.push({ kind: "amount_mismatch", chargeId: charge.chargeId, invoiceId: invoice.id, detail: `provider ${charge.amountCents} cents, invoice ${invoice.amountCents} cents` });
  }
  for (const invoice of invoices) {
    if (!invoice.providerChargeId || invoice.status !== "paid" || !settled(invoice.createdAt) || seen.has(invoice.providerChargeId)) continue;
    differences.push({ kind: "invoice_without_charge", chargeId: invoice.providerChargeId, invoiceId: invoice.id, detail: "invoice paid, the provider has no successful charge" });
  }
  return differences;
}
