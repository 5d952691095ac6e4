import { and, eq } from "drizzle-orm";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { alerts, auditEvents, invoices, notifications, paymentCustomers, renewalAttempts, subscriptions, webhookEvents } from "@/db/schema";
import { changePlan } from "@/lib/billing/actions";
import { renewIfDue } from "@/lib/billing/jobs";
import { getBreaker } from "@/lib/breakers";
import { getDb } from "@/lib/database";
import { systemContext } from "@/lib/safety";
import { nextAdapters } from "@/lib/safety/next";
import { contextFor, createTestUser } from "@/test/factories";
import { setKillSwitch } from "@/test/kill-switch";

// The whole app's payments go to Stripe in this file: the official SDK pointed at a local stand-in, configured before the app loads.
const stripe = await vi.hoisted(async () => {
  const { startStripeStandIn } = await import("@/test/fixtures/stripe-stand-in");
  const standIn = await startStripeStandIn();
  process.env.STRIPE_SECRET_KEY = "sk_test_stand_in";
  process.env.STRIPE_WEBHOOK_SECRET = "whsec_stand_in";
  process.env.STRIPE_API_BASE = standIn.url;
  process.env.APP_URL = "https://app.breakwater.test";
  return standIn;
});

const { configuredStripe, providerErrorKind, providers, providerSetup, stripeWebhookAnswer } = await import("./index");
const { receiveStripeWebhook, reconcilePayments, startCardSetup } = await import("./actions");

afterAll(() => stripe.close());
afterEach(async () => {
  stripe.clearFailures();
  await getBreaker("payments").force("reset", "test done", null);
});

const DAY = 86_400_000;
const unused = async (): Promise<never> => {
  throw new Error("a webhook has no session");
};
const { webhookRoute } = nextAdapters({ context: unused, anonymousContext: unused, onUnauthenticated: unused });
/** The route exactly as app/api/webhooks/stripe/route.ts builds it. */
const postWebhook = webhookRoute(receiveStripeWebhook, { principal: "webhook:stripe", signatureHeader: "stripe-signature", respond: stripeWebhookAnswer });

let eventSeq = 0;
function event(type: string, object: Record<string, unknown>) {
  return { id: `evt_test_${++eventSeq}_${crypto.randomUUID().slice(0, 8)}`, object: "event", type, created: Math.floor(Date.now() / 1000), data: { object } };
}

function signed(payload: string, options: { secret?: string; timestamp?: number } = {}) {
  return configuredStripe()!.webhooks.generateTestHeaderString({ payload, secret: options.secret ?? "whsec_stand_in", timestamp: options.timestamp });
}

async function deliver(body: unknown, signature?: string) {
  const payload = typeof body === "string" ? body : JSON.stringify(body);
  const response = await postWebhook(new Request("http://app/api/webhooks/stripe", { method: "POST", headers: { "stripe-signature": signature ?? signed(payload), "content-type": "application/json" }, body: payload }));
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** Saves a card the way a customer does: Stripe's hosted setup page, then the checkout.session.completed webhook. */
async function withCard(user: Awaited<ReturnType<typeof createTestUser>>, paymentMethod = "pm_card_visa") {
  const setup = await startCardSetup.run({}, contextFor(user));
  if (!setup.ok) throw new Error(setup.message);
  const setupIntent = /\/pay\/(seti_[a-z0-9]+)/.exec(setup.data.url)![1]!;
  const session = stripe.completeSetup(setupIntent, paymentMethod);
  expect(await deliver(event("checkout.session.completed", session))).toEqual({ status: 200, body: { received: true, outcome: "applied" } });
  const [row] = await (await getDb()).select().from(paymentCustomers).where(eq(paymentCustomers.userId, user.id));
  return row!;
}

async function userInvoices(userId: string) {
  return (await (await getDb()).select().from(invoices).where(eq(invoices.userId, userId))).sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
}

function intentsFor(userId: string) {
  return [...stripe.intents.values()].filter((i) => (i.metadata as Record<string, string>).breakwater_user_id === userId);
}

describe("payments on Stripe", () => {
  it("is the configured provider when STRIPE_SECRET_KEY is set", () => {
    expect(providerSetup().payments).toBe("stripe");
  });

  it("a health probe reads the balance, charges nothing, and fails as transient while Stripe answers 500", async () => {
    const intents = stripe.intents.size;
    await expect(providers.payments.ping()).resolves.toBeUndefined();
    expect(stripe.intents.size).toBe(intents);
    stripe.failNext(500, 3);
    const failure = await providers.payments.ping().catch((error: unknown) => error);
    expect(providerErrorKind(failure)).toBe("transient");
  });

  it("asks for a card first, saves one through Stripe's hosted page and the webhook, then charges it under our idempotency key", async () => {
    const user = await createTestUser();
    expect(await changePlan.run({ plan: "pro" }, contextFor(user))).toMatchObject({ ok: false, code: "payment_failed", message: expect.stringContaining("Add a card") });
    expect(intentsFor(user.id)).toHaveLength(0);
    const customer = await withCard(user);
    expect(customer).toMatchObject({ provider: "stripe", defaultPaymentMethod: "pm_card_visa" });
    expect(stripe.customers.get(customer.customerId)).toMatchObject({ metadata: { breakwater_user_id: user.id }, invoice_settings: { default_payment_method: "pm_card_visa" } });

    expect(await changePlan.run({ plan: "pro" }, contextFor(user))).toMatchObject({ ok: true });
    const [intent] = intentsFor(user.id);
    expect(intent).toMatchObject({ amount: 2000, currency: "usd", customer: customer.customerId, status: "succeeded", payment_method: "pm_card_visa" });
    const request = stripe.requests.find((r) => r.path === "/v1/payment_intents" && r.method === "POST" && (r.params.metadata as Record<string, string>).breakwater_user_id === user.id)!;
    expect(request.idempotencyKey).toMatch(/^plan-change:/);
    expect(request.params).toMatchObject({ confirm: "true", off_session: "true", metadata: { idempotency_key: request.idempotencyKey } });
    expect(await userInvoices(user.id)).toEqual([expect.objectContaining({ amountCents: 2000, status: "paid", providerChargeId: intent!.id })]);
  });

  it("prorates on Stripe too: Pro → Team charges the difference for the rest of the period, renewal date kept", async () => {
    const user = await createTestUser({ plan: "pro" });
    const db = await getDb();
    const periodEnd = new Date(Date.now() + 15 * DAY);
    await db.update(subscriptions).set({ currentPeriodEnd: periodEnd }).where(eq(subscriptions.userId, user.id));
    await withCard(user);
    expect(await changePlan.run({ plan: "team" }, contextFor(user))).toMatchObject({ ok: true });
    const [intent] = intentsFor(user.id);
    // 15 of 30 days left: $25.00 of Team less $10.00 of unused Pro.
    expect(intent).toMatchObject({ amount: 1500, description: expect.stringContaining("Team plan from Pro, prorated for the 15 days left") });
    const [sub] = await db.select().from(subscriptions).where(eq(subscriptions.userId, user.id));
    expect(sub!.currentPeriodEnd.getTime()).toBe(periodEnd.getTime());
    expect((await userInvoices(user.id))[0]).toMatchObject({ amountCents: 1500, description: "Team plan from Pro, prorated for the 15 days left in this period: $25.00 less $10.00 for unused Pro" });
  });

  it("charges once when the same change is submitted twice at the same moment", async () => {
    const user = await createTestUser();
    await withCard(user);
    const results = await Promise.all([changePlan.run({ plan: "team" }, contextFor(user)), changePlan.run({ plan: "team" }, contextFor(user))]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(intentsFor(user.id)).toHaveLength(1);
    expect(await userInvoices(user.id)).toHaveLength(1);
  });

  it("a declined renewal goes through dunning; the retry under the same key reaches Stripe again and charges once", async () => {
    const user = await createTestUser({ plan: "pro" });
    const db = await getDb();
    const periodEnd = new Date(Math.floor((Date.now() - 3_600_000) / 1000) * 1000);
    const [sub] = await db.update(subscriptions).set({ currentPeriodEnd: periodEnd }).where(eq(subscriptions.userId, user.id)).returning();
    await withCard(user, "pm_card_chargeDeclined");
    expect(await renewIfDue(db, { id: sub!.id, periodEnd }, new Date())).toBe("processed");
    expect((await db.select().from(subscriptions).where(eq(subscriptions.id, sub!.id)))[0]!.status).toBe("past_due");
    // The customer saves a working card; the day-1 retry uses the same renewal key, which Stripe would replay as declined.
    await withCard(user, "pm_card_visa");
    expect(await renewIfDue(db, { id: sub!.id, periodEnd }, new Date(periodEnd.getTime() + DAY + 60_000))).toBe("processed");
    const intents = intentsFor(user.id);
    expect(intents.map((i) => i.status).sort()).toEqual(["requires_payment_method", "succeeded"]);
    const replayed = stripe.requests.filter((r) => r.path === "/v1/payment_intents" && r.method === "POST" && r.idempotencyKey?.startsWith(`renewal:${sub!.id}`));
    expect(replayed.map((r) => r.idempotencyKey)).toEqual([`renewal:${sub!.id}:${periodEnd.getTime()}`, `renewal:${sub!.id}:${periodEnd.getTime()}`, `renewal:${sub!.id}:${periodEnd.getTime()}:after:${intents.find((i) => i.status !== "succeeded")!.id}`]);
    const [after] = await db.select().from(subscriptions).where(eq(subscriptions.id, sub!.id));
    expect(after).toMatchObject({ status: "active" });
    expect(after!.currentPeriodEnd.getTime()).toBe(periodEnd.getTime() + 30 * DAY);
    expect(await userInvoices(user.id)).toEqual([expect.objectContaining({ status: "paid", amountCents: 2000 })]);
  });

  it("goes through the payments breaker: a Stripe outage is dependency_down, and the kill switch stops calls before Stripe", async () => {
    const user = await createTestUser();
    await withCard(user);
    stripe.failNext(503, 2); // the call and the SDK's one retry
    expect(await changePlan.run({ plan: "pro" }, contextFor(user))).toMatchObject({ ok: false, code: "dependency_down" });
    expect(await userInvoices(user.id)).toHaveLength(0);
    const admin = await createTestUser({ role: "admin" });
    await setKillSwitch({ key: "payments", on: false, reason: "test: payments off", actor: admin });
    try {
      const before = stripe.requests.length;
      expect(await changePlan.run({ plan: "pro" }, contextFor(user))).toMatchObject({ ok: false, code: "disabled" });
      expect(stripe.requests.length).toBe(before);
    } finally {
      await setKillSwitch({ key: "payments", on: true, reason: "test: payments back", actor: admin });
    }
  });

  it("finds, lists and refunds charges by our idempotency key", async () => {
    const user = await createTestUser();
    await withCard(user);
    const since = new Date(Date.now() - 60_000);
    expect((await changePlan.run({ plan: "pro" }, contextFor(user))).ok).toBe(true);
    const [invoice] = await userInvoices(user.id);
    const key = stripe.requests.find((r) => r.path === "/v1/payment_intents" && (r.params.metadata as Record<string, string> | undefined)?.breakwater_user_id === user.id)!.idempotencyKey!;
    const found = await providers.payments.findCharge(key);
    expect(found).toMatchObject({ chargeId: invoice!.providerChargeId, amountCents: 2000, idempotencyKey: key, refunded: false });
    expect(await providers.payments.findCharge(`${key}-never-used`)).toBeNull();
    expect((await providers.payments.listCharges({ since })).map((c) => c.chargeId)).toContain(invoice!.providerChargeId);
    const first = await providers.payments.refund({ chargeId: invoice!.providerChargeId!, idempotencyKey: `refund:${invoice!.id}`, reason: "duplicate charge" });
    const again = await providers.payments.refund({ chargeId: invoice!.providerChargeId!, idempotencyKey: `refund:${invoice!.id}`, reason: "duplicate charge" });
    expect(again).toEqual(first);
    expect(await providers.payments.findCharge(key)).toMatchObject({ refunded: true });
  });
});

describe("the Stripe webhook", () => {
  async function auditOf(eventId: string | null, outcome?: string) {
    const rows = await (await getDb()).select().from(auditEvents).where(eq(auditEvents.action, "billing.provider_event"));
    return rows.filter((r) => (eventId ? r.targetId === eventId : true) && (outcome ? (r.metadata as Record<string, unknown>).outcome === outcome : true));
  }

  it("refuses a wrong signature, a stale one and a malformed body with 400, changes nothing and audits the refusal", async () => {
    const user = await createTestUser({ plan: "pro" });
    const db = await getDb();
    await withCard(user);
    expect((await changePlan.run({ plan: "team" }, contextFor(user))).ok).toBe(true);
    const [invoice] = await userInvoices(user.id);
    const refund = event("charge.refunded", { ...stripe.chargeFor(stripe.intents.get(invoice!.providerChargeId!)!), refunded: true });
    const payload = JSON.stringify(refund);
    const rejectedBefore = (await auditOf(null, "rejected")).length;

    expect(await deliver(payload, signed(payload, { secret: "whsec_someone_else" }))).toMatchObject({ status: 400, body: { error: { code: "invalid_signature" } } });
    expect(await deliver(payload, signed(payload, { timestamp: Math.floor(Date.now() / 1000) - 600 }))).toMatchObject({ status: 400 });
    expect(await deliver(payload, "t=1,v1=deadbeef")).toMatchObject({ status: 400 });
    const malformed = "{ not json";
    expect(await deliver(malformed, signed(malformed))).toMatchObject({ status: 400 });

    expect((await userInvoices(user.id))[0]!.status).toBe("paid");
    expect(await db.select().from(webhookEvents).where(eq(webhookEvents.id, refund.id))).toHaveLength(0);
    const rejected = await auditOf(null, "rejected");
    expect(rejected.length - rejectedBefore).toBe(4);
    expect(rejected.at(-1)).toMatchObject({ actorType: "system", actorId: "webhook:stripe", outcome: "success" });
  });

  it("applies a refund once however often it is delivered, and tells the customer once", async () => {
    const user = await createTestUser();
    const db = await getDb();
    await withCard(user);
    expect((await changePlan.run({ plan: "pro" }, contextFor(user))).ok).toBe(true);
    const [invoice] = await userInvoices(user.id);
    const refund = event("charge.refunded", { ...stripe.chargeFor(stripe.intents.get(invoice!.providerChargeId!)!), refunded: true });
    expect(await deliver(refund)).toEqual({ status: 200, body: { received: true, outcome: "applied" } });
    expect(await deliver(refund)).toEqual({ status: 200, body: { received: true, outcome: "duplicate" } });
    const both = await Promise.all([deliver(refund), deliver(refund)]);
    expect(both.map((r) => r.body.outcome)).toEqual(["duplicate", "duplicate"]);
    expect((await userInvoices(user.id))[0]!.status).toBe("refunded");
    const mails = await db.select().from(notifications).where(and(eq(notifications.userId, user.id), eq(notifications.template, "payment_refunded")));
    expect(mails).toHaveLength(1);
    expect(await db.select().from(webhookEvents).where(eq(webhookEvents.id, refund.id))).toEqual([expect.objectContaining({ type: "charge.refunded", outcome: "applied" })]);
  });

  it("records an event type it does not use as ignored, with 200 so Stripe stops retrying", async () => {
    const unknown = event("customer.tax_id.created", { id: "txi_123", object: "tax_id" });
    expect(await deliver(unknown)).toEqual({ status: 200, body: { received: true, outcome: "ignored" } });
    const [row] = await (await getDb()).select().from(webhookEvents).where(eq(webhookEvents.id, unknown.id));
    expect(row).toMatchObject({ outcome: "ignored", detail: "event type not used" });
  });

  it("a payment that fails after we recorded it puts the renewal back into dunning and tells the customer", async () => {
    const user = await createTestUser({ plan: "pro" });
    const db = await getDb();
    const periodEnd = new Date(Math.floor((Date.now() - 3_600_000) / 1000) * 1000);
    const [sub] = await db.update(subscriptions).set({ currentPeriodEnd: periodEnd }).where(eq(subscriptions.userId, user.id)).returning();
    await withCard(user);
    expect(await renewIfDue(db, { id: sub!.id, periodEnd }, new Date())).toBe("processed");
    const [invoice] = await userInvoices(user.id);
    const intent = stripe.intents.get(invoice!.providerChargeId!)!;
    const failed = event("payment_intent.payment_failed", { ...intent, status: "requires_payment_method", last_payment_error: { message: "Your card has insufficient funds." } });
    expect(await deliver(failed)).toMatchObject({ status: 200, body: { outcome: "applied" } });
    const [after] = await db.select().from(subscriptions).where(eq(subscriptions.id, sub!.id));
    expect(after).toMatchObject({ status: "past_due" });
    expect(after!.currentPeriodEnd.getTime()).toBe(periodEnd.getTime());
    expect((await userInvoices(user.id))[0]!.status).toBe("failed");
    expect(await db.select().from(renewalAttempts).where(eq(renewalAttempts.subscriptionId, sub!.id))).toEqual([expect.objectContaining({ attempt: 0, status: "failed" })]);
    const mails = await db.select().from(notifications).where(and(eq(notifications.userId, user.id), eq(notifications.template, "payment_failed")));
    expect(mails[0]!.body).toContain("insufficient funds");
    // Dunning goes on: the day-1 retry charges again.
    expect(await renewIfDue(db, { id: sub!.id, periodEnd }, new Date(periodEnd.getTime() + DAY + 60_000))).toBe("processed");
    expect((await db.select().from(subscriptions).where(eq(subscriptions.id, sub!.id)))[0]!.status).toBe("active");
  });

  it("raises a dispute as an alert and resolves it when the dispute closes", async () => {
    const dispute = { id: `dp_${crypto.randomUUID().slice(0, 8)}`, object: "dispute", amount: 2000, currency: "usd", reason: "fraudulent", status: "needs_response", charge: "ch_123" };
    await deliver(event("charge.dispute.created", dispute));
    const db = await getDb();
    const open = await db.select().from(alerts).where(eq(alerts.dedupKey, `payment_dispute:${dispute.id}`));
    expect(open).toEqual([expect.objectContaining({ status: "open", severity: "ticket", title: "A customer disputed a payment of $20.00" })]);
    await deliver(event("charge.dispute.closed", { ...dispute, status: "won" }));
    expect((await db.select().from(alerts).where(eq(alerts.dedupKey, `payment_dispute:${dispute.id}`)))[0]!.status).toBe("resolved");
  });
});

describe("reconciliation with Stripe", () => {
  it("reports a charge without an invoice, fixes a refund the invoice missed, and clears its alert once they agree", async () => {
    const user = await createTestUser();
    const db = await getDb();
    const customer = await withCard(user);
    expect((await changePlan.run({ plan: "pro" }, contextFor(user))).ok).toBe(true);
    const [invoice] = await userInvoices(user.id);
    stripe.age(invoice!.providerChargeId!, 3600);
    await db.update(invoices).set({ createdAt: new Date(Date.now() - 3_600_000) }).where(eq(invoices.id, invoice!.id));
    stripe.refundOutsideTheApp(invoice!.providerChargeId!);
    const stray = stripe.chargeOutsideTheApp(customer.customerId, 5000, { idempotency_key: "plan-change:lost-answer" }, 3600);

    const result = await reconcilePayments.run({}, systemContext("cron:invoice_reconciliation"));
    expect(result).toMatchObject({ ok: true, data: { fixed: 1 } });
    if (!result.ok) return;
    expect(result.data.differences).toEqual(expect.arrayContaining([expect.objectContaining({ kind: "charge_without_invoice", chargeId: stray.id })]));
    expect((await userInvoices(user.id))[0]!.status).toBe("refunded");
    const [alert] = await db.select().from(alerts).where(and(eq(alerts.dedupKey, "invoice_reconciliation"), eq(alerts.status, "open")));
    expect(alert!.detail).toContain(`charge_without_invoice: charge ${stray.id}`);

    // Once the stray charge is refunded at Stripe, nothing disagrees any more (for this customer's charges) and a clean run clears the alert.
    stripe.refundOutsideTheApp(stray.id as string);
    const again = await reconcilePayments.run({}, systemContext("cron:invoice_reconciliation"));
    expect(again.ok && again.data.differences.filter((d) => d.chargeId === stray.id || d.invoiceId === invoice!.id)).toEqual([]);
  });
});
