import "server-only";
import { and, eq, inArray, lt, or } from "drizzle-orm";
import type { Executor } from "@/lib/database";
import { invoices, OPEN_PAYMENT_STATUSES, paymentAttempts, retainedInvoices, subscriptions } from "@/db/schema";
import type { Charge } from "@/lib/providers";

/**
 * How long after an attempt last changed its outcome can be judged: longer
 * than any provider call could still be running (the breaker times calls out
 * after 5 s), so "the provider has no charge" is then an answer.
 */
export const SETTLE_MS = 2 * 60_000;

/**
 * Attempts to settle with the provider: every timed-out one (a charge found
 * is an answer at once), and any other left open past the settle window (a
 * request that died between the charge and its commit, a refund to retry).
 */
export function attemptsToReconcile(db: Executor, now: Date, limit: number) {
  return db
    .select({ id: paymentAttempts.id })
    .from(paymentAttempts)
    .where(
      or(
        eq(paymentAttempts.status, "unknown"),
        and(inArray(paymentAttempts.status, [...OPEN_PAYMENT_STATUSES]), lt(paymentAttempts.updatedAt, new Date(now.getTime() - SETTLE_MS))),
      ),
    )
    .orderBy(paymentAttempts.createdAt)
    .limit(limit);
}

export type ChargeVerdict = { charge: Charge; reason: string };

const PLAN_KEY = /^plan-change:([0-9a-f-]{36})$/;
const RENEWAL_KEY = /^renewal:([0-9a-f-]{36}):(\d+)$/;

/**
 * Of the provider's charges, those no invoice accounts for and nothing of
 * ours will: `refund` (a plan change whose attempt is closed, a renewal for
 * a period no longer due), and `foreign` (a key we never issue: someone
 * charged outside the app; an operator decides, nothing is refunded).
 */
export async function unbilledCharges(db: Executor, charges: readonly Charge[], now: Date): Promise<{ refund: ChargeVerdict[]; foreign: Charge[] }> {
  const candidates = charges.filter((c) => !c.refunded && c.createdAt.getTime() < now.getTime() - SETTLE_MS);
  if (candidates.length === 0) return { refund: [], foreign: [] };
  const ids = candidates.map((c) => c.chargeId);
  const billed = new Set([
    ...(await db.select({ id: invoices.providerChargeId }).from(invoices).where(inArray(invoices.providerChargeId, ids))).map((r) => r.id),
    ...(await db.select({ id: retainedInvoices.providerChargeId }).from(retainedInvoices).where(inArray(retainedInvoices.providerChargeId, ids))).map((r) => r.id),
  ]);
  const refund: ChargeVerdict[] = [];
  const foreign: Charge[] = [];
  for (const charge of candidates) {
    if (billed.has(charge.chargeId)) continue;
    const plan = PLAN_KEY.exec(charge.idempotencyKey);
    const renewal = RENEWAL_KEY.exec(charge.idempotencyKey);
    if (plan) {
      const [attempt] = await db.select({ status: paymentAttempts.status }).from(paymentAttempts).where(eq(paymentAttempts.id, plan[1]!));
      // An open attempt is settled by reconcilePayment, which may still apply the change.
      if (attempt && (OPEN_PAYMENT_STATUSES as readonly string[]).includes(attempt.status)) continue;
      refund.push({ charge, reason: "a plan-change charge without an invoice" });
    } else if (renewal) {
      const [sub] = await db.select({ periodEnd: subscriptions.currentPeriodEnd, status: subscriptions.status }).from(subscriptions).where(eq(subscriptions.id, renewal[1]!));
      // Still due for that period: the renewals job retries with the same key, gets this charge back and bills it.
      if (sub && sub.status !== "canceled" && sub.periodEnd.getTime() === Number(renewal[2])) continue;
      refund.push({ charge, reason: "a renewal charge for a period that is no longer due" });
    } else {
      foreign.push(charge);
    }
  }
  return { refund, foreign };
}
