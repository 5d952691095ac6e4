import { and, eq } from "drizzle-orm";
import { afterEach, describe, expect, it, vi } from "vitest";
import { getDb } from "@/lib/database";
import { auditEvents, fakePaymentCharges, invoices, notifications, paymentAttempts, subscriptions } from "@/db/schema";
import { listOpenAlerts } from "@/lib/alerts";
import { getBreaker } from "@/lib/breakers";
import { runJob } from "@/lib/jobs/server";
import { providers } from "@/lib/providers";
import { contextFor, createTestUser } from "@/test/factories";
import { changePlan, reconcilePayment } from "./actions";
import { paymentReconciliationJob } from "./jobs";
import { billingOverview } from "./queries";
import { SETTLE_MS } from "./reconcile";

afterEach(async () => {
  vi.restoreAllMocks();
  await getBreaker("payments").force("reset", "payments test done", null);
});

const later = (ms: number) => new Date(Date.now() + ms);

async function attemptOf(userId: string) {
  const [row] = await (await getDb()).select().from(paymentAttempts).where(eq(paymentAttempts.userId, userId));
  return row!;
}
async function chargesOf(userId: string) {
  return (await getDb()).select().from(fakePaymentCharges).where(eq(fakePaymentCharges.customerRef, userId));
}
async function planOf(userId: string) {
  return (await (await getDb()).select().from(subscriptions).where(eq(subscriptions.userId, userId)))[0]!.plan;
}
async function invoicesOf(userId: string) {
  return (await getDb()).select().from(invoices).where(eq(invoices.userId, userId));
}
async function mailTo(userId: string, template: string) {
  return (await getDb()).select().from(notifications).where(and(eq(notifications.userId, userId), eq(notifications.template, template)));
}

/** The provider charges, but its answer never arrives: the breaker times the call out after 5 s. */
function chargeThenSilence() {
  const original = providers.payments.charge.bind(providers.payments);
  vi.spyOn(providers.payments, "charge").mockImplementation(async (request) => {
    await original(request);
    return new Promise(() => {});
  });
}

describe("a charge whose outcome is unknown", () => {
  it("is recorded as unknown and the user is told the truth; reconciliation finds the charge and completes the change, once", { timeout: 30_000 }, async () => {
    const user = await createTestUser();
    chargeThenSilence();
    const result = await changePlan.run({ plan: "pro" }, contextFor(user));
    expect(result).toMatchObject({ ok: false, code: "payment_pending", message: expect.stringContaining("won't be charged twice") });
    vi.restoreAllMocks();
    // The provider did charge; we recorded that we don't know, changed nothing, and say so on the billing page.
    expect(await chargesOf(user.id)).toHaveLength(1);
    expect(await attemptOf(user.id)).toMatchObject({ status: "unknown" });
    expect(await planOf(user.id)).toBe("free");
    expect(await invoicesOf(user.id)).toHaveLength(0);
    expect(await billingOverview.run({}, contextFor(user))).toMatchObject({ ok: true, data: { checkingPaymentSince: expect.any(Date) } });
    // Asking again before it is settled charges nothing more.
    expect(await changePlan.run({ plan: "pro" }, contextFor(user))).toMatchObject({ ok: false, code: "payment_pending" });
    expect(await chargesOf(user.id)).toHaveLength(1);

    const run = await runJob(paymentReconciliationJob, { trigger: "test" });
    expect(run.status).toBe("succeeded");
    expect(await attemptOf(user.id)).toMatchObject({ status: "settled" });
    expect(await planOf(user.id)).toBe("pro");
    expect((await invoicesOf(user.id)).map((i) => i.providerChargeId)).toEqual([(await chargesOf(user.id))[0]!.id]);
    expect(await mailTo(user.id, "payment_applied")).toHaveLength(1);
    // A second pass finds nothing left to do.
    await runJob(paymentReconciliationJob, { trigger: "test" });
    expect(await chargesOf(user.id)).toHaveLength(1);
    expect(await invoicesOf(user.id)).toHaveLength(1);
  });

  it("with no charge at the provider, is settled as not charged once the provider can no longer be working on it", { timeout: 30_000 }, async () => {
    const user = await createTestUser();
    vi.spyOn(providers.payments, "charge").mockImplementation(() => new Promise(() => {}));
    expect(await changePlan.run({ plan: "team" }, contextFor(user))).toMatchObject({ ok: false, code: "payment_pending" });
    vi.restoreAllMocks();
    const { id } = await attemptOf(user.id);
    // Too early to tell: the provider may still be processing it.
    expect(await reconcilePayment.run({ attemptId: id }, { ...contextFor(null), system: "cron:payment_reconciliation", via: "job" })).toMatchObject({ ok: false, code: "conflict" });
    await runJob(paymentReconciliationJob, { trigger: "test", now: later(SETTLE_MS + 60_000) });
    expect(await attemptOf(user.id)).toMatchObject({ status: "failed" });
    expect(await planOf(user.id)).toBe("free");
    expect(await mailTo(user.id, "payment_not_charged")).toHaveLength(1);
    // Settled: the user can change plan again.
    expect(await changePlan.run({ plan: "team" }, contextFor(user))).toMatchObject({ ok: true });
  });
});

describe("compensation", () => {
  it("a charge followed by a conflicting change is refunded, the refund audited, and the user told", async () => {
    const user = await createTestUser();
    const db = await getDb();
    const original = providers.payments.charge.bind(providers.payments);
    vi.spyOn(providers.payments, "charge").mockImplementation(async (request) => {
      const charge = await original(request);
      // Someone else changes the subscription between the charge and the commit.
      await db.update(subscriptions).set({ updatedAt: new Date(Date.now() + 1_000) }).where(eq(subscriptions.userId, user.id));
      return charge;
    });
    const result = await changePlan.run({ plan: "pro" }, contextFor(user));
    expect(result).toMatchObject({ ok: false, code: "conflict", message: expect.stringContaining("The charge was refunded; you have not been charged.") });
    const [charge] = await chargesOf(user.id);
    expect(charge?.refundedAt).not.toBeNull();
    expect(await attemptOf(user.id)).toMatchObject({ status: "refunded" });
    expect(await invoicesOf(user.id)).toHaveLength(0);
    const refunds = await db.select().from(auditEvents).where(and(eq(auditEvents.action, "billing.refund"), eq(auditEvents.targetId, charge!.id)));
    expect(refunds).toHaveLength(1);
    expect(refunds[0]).toMatchObject({ outcome: "success", actorId: user.id });
  });
});

describe("charges without an invoice", () => {
  it("are refunded by the reconciliation job; a charge the app never made raises an alert instead", async () => {
    const user = await createTestUser();
    const db = await getDb();
    // A plan-change charge whose attempt closed without an invoice (the process died after a failed refund, say)…
    expect(await changePlan.run({ plan: "pro" }, contextFor(user))).toMatchObject({ ok: true });
    const [invoice] = await invoicesOf(user.id);
    await db.delete(invoices).where(eq(invoices.id, invoice!.id));
    // …and one made outside the app.
    const foreign = await providers.payments.charge({ customerRef: user.id, amountCents: 1234, currency: "usd", description: "manual", idempotencyKey: `dashboard:${crypto.randomUUID()}` });
    await runJob(paymentReconciliationJob, { trigger: "test", now: later(SETTLE_MS + 60_000) });
    const charges = await chargesOf(user.id);
    expect(charges.find((c) => c.id === invoice!.providerChargeId)?.refundedAt).not.toBeNull();
    expect(charges.find((c) => c.id === foreign.chargeId)?.refundedAt).toBeNull();
    const alerts = await listOpenAlerts(db, ["payments"]);
    expect(alerts.some((a) => a.dedupKey === `unbilled_charge:${foreign.chargeId}`)).toBe(true);
    expect(await db.select().from(auditEvents).where(and(eq(auditEvents.action, "billing.refund"), eq(auditEvents.targetId, invoice!.providerChargeId!)))).toHaveLength(1);
  });
});
