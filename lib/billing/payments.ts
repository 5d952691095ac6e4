import "server-only";
import { and, eq, inArray } from "drizzle-orm";
import type { Db, Executor } from "@/lib/database";
import { OPEN_PAYMENT_STATUSES, paymentAttempts, type PaymentAttempt, type Subscription } from "@/db/schema";
import { recordAuditEvent, type AuditActor } from "@/lib/audit";
import { callThroughBreaker, isDependencyDown } from "@/lib/breakers";
import { isProviderRefusal, isProviderTimeout, providers, type Charge } from "@/lib/providers";
import { ActionFailure } from "@/lib/safety";
import type { Plan } from "./constants";

/**
 * The money side of a plan change, told truthfully. Every attempt is written
 * down before the provider is called, with the idempotency key it uses, so
 * whatever happens next (an answer, a refusal, a timeout, a crash) leaves a
 * record of what may have been charged:
 *
 * - charged: the change commits with its invoice (the attempt `settled`), or
 *   the transaction fails and `compensate` refunds the charge;
 * - declined or failed (the provider said no, or was never reached): not charged;
 * - unknown (the call timed out): the user is told we're checking, and the
 *   reconciliation job (./reconcile.ts) asks the provider by idempotency key.
 */

export function planChargeKey(attemptId: string): string {
  return `plan-change:${attemptId}`;
}

/**
 * Opens the attempt for a plan change. One attempt is open per subscription
 * at a time (a unique index): a double submit, or a second change while the
 * first's outcome is unknown, finds the open one instead of charging again.
 */
export async function openAttempt(db: Executor, a: { userId: string; subscription: Subscription; plan: Plan; amountCents: number }): Promise<PaymentAttempt> {
  const id = crypto.randomUUID();
  const [attempt] = await db
    .insert(paymentAttempts)
    .values({
      id,
      userId: a.userId,
      subscriptionId: a.subscription.id,
      plan: a.plan,
      amountCents: a.amountCents,
      subscriptionVersion: a.subscription.updatedAt,
      idempotencyKey: planChargeKey(id),
    })
    .onConflictDoNothing()
    .returning();
  if (attempt) return attempt;
  const [open] = await db
    .select({ status: paymentAttempts.status })
    .from(paymentAttempts)
    .where(and(eq(paymentAttempts.subscriptionId, a.subscription.id), inArray(paymentAttempts.status, [...OPEN_PAYMENT_STATUSES])));
  if (open?.status === "unknown") throw new ActionFailure("payment_pending", "We're still checking whether your last payment went through; you won't be charged twice. Try again once we've emailed you.");
  throw new ActionFailure("conflict", "A payment for your subscription is already being processed; nothing more was charged.");
}

async function setStatus(db: Executor, id: string, status: PaymentAttempt["status"], extra: Partial<Pick<PaymentAttempt, "chargeId" | "detail">> = {}) {
  const final = status === "settled" || status === "declined" || status === "failed" || status === "refunded";
  await db
    .update(paymentAttempts)
    .set({ status, ...extra, updatedAt: new Date(), ...(final ? { resolvedAt: new Date() } : {}) })
    .where(eq(paymentAttempts.id, id));
}

/**
 * Charges an open attempt through the payments breaker and records what is
 * known. A timeout is not "not charged": it is recorded as unknown and the
 * caller is told the truth (`payment_pending`). `description` is what the
 * customer reads on their statement line (a prorated change says how it was reached).
 */
export async function chargeAttempt(db: Db, attempt: PaymentAttempt, customerRef: string, description: string): Promise<Charge> {
  try {
    // INCIDENT: customers see "payment pending" or failed charges: provider outage or latency.
    // FAILURE MODE: a timeout is recorded as unknown and the customer told payment_pending, never "not charged"; payment_reconciliation settles it.
    // SAFE TO RETRY: only as the same attempt: its idempotency key makes the provider charge at most once. Never start a new attempt by hand.
    // OPERATOR ACTION: runbook payment-provider-down.
    const charge = await callThroughBreaker("payments", () =>
      providers.payments.charge({
        customerRef,
        amountCents: attempt.amountCents,
        currency: attempt.currency,
        description: `Breakwater ${description}`,
        idempotencyKey: attempt.idempotencyKey,
      }),
    );
    await setStatus(db, attempt.id, "charged", { chargeId: charge.chargeId });
    return charge;
  } catch (error) {
    if (isProviderRefusal(error)) {
      await setStatus(db, attempt.id, "declined", { detail: error.message });
      if (/no card on file/.test(error.message)) throw new ActionFailure("payment_failed", "Add a card on this page first; you have not been charged.");
      throw new ActionFailure("payment_failed", "Your card was declined; you have not been charged.");
    }
    if (isProviderTimeout(error)) {
      await setStatus(db, attempt.id, "unknown", { detail: "the charge timed out" });
      throw new ActionFailure("payment_pending");
    }
    if (isDependencyDown(error)) {
      // The breaker refused, or the provider answered with an error: no charge was made (reconciliation double-checks).
      await setStatus(db, attempt.id, "failed", { detail: error instanceof Error ? error.message : String(error) });
      throw new ActionFailure("dependency_down", "Our payment provider is unavailable; you have not been charged. Please try again shortly.");
    }
    // Anything else happened after the request may have left: we don't know.
    await setStatus(db, attempt.id, "unknown", { detail: error instanceof Error ? error.message : String(error) }).catch(() => {});
    throw error;
  }
}

/** In the change's transaction: the attempt is settled with its invoice, unless a compensation got to it first. */
export async function settleAttempt(tx: Executor, attemptId: string): Promise<void> {
  const [settled] = await tx
    .update(paymentAttempts)
    .set({ status: "settled", updatedAt: new Date(), resolvedAt: new Date() })
    .where(and(eq(paymentAttempts.id, attemptId), eq(paymentAttempts.status, "charged")))
    .returning({ id: paymentAttempts.id });
  if (!settled) throw new ActionFailure("conflict", "This payment was refunded while your change was being saved; you have not been charged.");
}

export type RefundOutcome = "refunded" | "refund_pending" | "nothing_to_refund";

/**
 * Refunds an attempt's charge unless its change committed. The attempt is
 * marked `refunding` first, under a row lock, so a concurrent request that
 * settles it and this refund cannot both win; a refund the provider does not
 * confirm stays `refunding` and the reconciliation job retries it (same
 * refund key, so at most one refund). Every refund is audited.
 */
export async function refundAttempt(db: Db, attemptId: string, reason: string, actor: AuditActor): Promise<RefundOutcome> {
  const attempt = await db.transaction(async (tx) => {
    const [row] = await tx.select().from(paymentAttempts).where(eq(paymentAttempts.id, attemptId)).for("update");
    if (!row?.chargeId || !["charged", "pending", "unknown", "refunding"].includes(row.status)) return null;
    await tx.update(paymentAttempts).set({ status: "refunding", detail: reason, updatedAt: new Date() }).where(eq(paymentAttempts.id, attemptId));
    return row;
  });
  if (!attempt) return "nothing_to_refund";
  const chargeId = attempt.chargeId!;
  try {
    // INCIDENT: a refund (compensating a change that did not commit) fails.
    // FAILURE MODE: the attempt stays "refunding"; payment_reconciliation tries the refund again.
    // SAFE TO RETRY: yes; idempotency key refund:<charge id>.
    // OPERATOR ACTION: runbook billing-reconciliation.
    const { refundId } = await callThroughBreaker("payments", () => providers.payments.refund({ chargeId, idempotencyKey: `refund:${chargeId}`, reason }));
    await db.transaction(async (tx) => {
      await setStatus(tx, attemptId, "refunded");
      await recordAuditEvent(tx, {
        actor,
        action: "billing.refund",
        target: { type: "charge", id: chargeId },
        outcome: "success",
        metadata: { attemptId, refundId, amountCents: attempt.amountCents, reason },
      });
    });
    return "refunded";
  } catch {
    return "refund_pending";
  }
}

/** The caller's attempt whose outcome we are still checking, if any (the billing page says so). */
export async function uncertainAttempt(db: Executor, userId: string): Promise<{ since: Date } | null> {
  const [row] = await db
    .select({ since: paymentAttempts.createdAt })
    .from(paymentAttempts)
    .where(and(eq(paymentAttempts.userId, userId), eq(paymentAttempts.status, "unknown")))
    .limit(1);
  return row ?? null;
}
