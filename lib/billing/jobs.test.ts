import { and, eq, like } from "drizzle-orm";
import { afterEach, describe, expect, it, vi } from "vitest";
import { getDb } from "@/lib/database";
import { fakePaymentCharges, invoices, notifications, renewalAttempts, subscriptions, users } from "@/db/schema";
import { getBreaker } from "@/lib/breakers";
import { runJob } from "@/lib/jobs/server";
import { providers, ProviderError } from "@/lib/providers";
import { createTestUser } from "@/test/factories";
import { renewalKey } from "./actions";
import { renewalsJob, renewIfDue } from "./jobs";

const DAY = 86_400_000;

afterEach(() => vi.restoreAllMocks());

async function dueSubscription(options: { plan?: "pro" | "team"; userStatus?: "active" | "deactivated" } = {}) {
  const user = await createTestUser({ plan: options.plan ?? "pro" });
  const db = await getDb();
  const periodEnd = new Date(Math.floor((Date.now() - 3_600_000) / 1000) * 1000);
  const [sub] = await db.update(subscriptions).set({ currentPeriodEnd: periodEnd }).where(eq(subscriptions.userId, user.id)).returning();
  if (options.userStatus) await db.update(users).set({ status: options.userStatus }).where(eq(users.id, user.id));
  return { user, sub: sub!, periodEnd };
}

async function chargesFor(subId: string, periodEnd: Date) {
  const db = await getDb();
  return db.select().from(fakePaymentCharges).where(eq(fakePaymentCharges.idempotencyKey, renewalKey(subId, periodEnd)));
}

describe("renewals", () => {
  it("two concurrent job runs charge each subscription exactly once", async () => {
    const { sub, periodEnd } = await dueSubscription();
    const runs = await Promise.all([runJob(renewalsJob, { trigger: "test" }), runJob(renewalsJob, { trigger: "test" })]);
    expect(runs.map((r) => r.status).sort()).toEqual(["skipped", "succeeded"]);
    expect(await chargesFor(sub.id, periodEnd)).toHaveLength(1);
    const db = await getDb();
    const [after] = await db.select().from(subscriptions).where(eq(subscriptions.id, sub.id));
    expect(after!.currentPeriodEnd.getTime()).toBe(periodEnd.getTime() + 30 * DAY);
    expect(await db.select().from(invoices).where(eq(invoices.subscriptionId, sub.id))).toHaveLength(1);
  });

  it("even without the job lock, racing renewals of one period charge once (unique attempt per period key)", async () => {
    const { sub, periodEnd } = await dueSubscription({ plan: "team" });
    const db = await getDb();
    const outcomes = await Promise.all(Array.from({ length: 4 }, () => renewIfDue(db, { id: sub.id, periodEnd }, new Date())));
    expect(outcomes.filter((o) => o === "processed")).toHaveLength(1);
    expect(await chargesFor(sub.id, periodEnd)).toHaveLength(1);
    expect(await db.select().from(invoices).where(eq(invoices.subscriptionId, sub.id))).toHaveLength(1);
    // And again later: the period moved on, the old one is never charged again.
    expect(await renewIfDue(db, { id: sub.id, periodEnd }, new Date())).toBe("skipped");
    expect(await chargesFor(sub.id, periodEnd)).toHaveLength(1);
  });

  it("takes credit from a prorated downgrade off the renewal before charging the card", async () => {
    const { sub, periodEnd } = await dueSubscription({ plan: "pro" });
    const db = await getDb();
    await db.update(subscriptions).set({ creditCents: 3000 }).where(eq(subscriptions.id, sub.id));
    expect(await renewIfDue(db, { id: sub.id, periodEnd }, new Date())).toBe("processed");
    expect(await chargesFor(sub.id, periodEnd)).toHaveLength(0);
    const [after] = await db.select().from(subscriptions).where(eq(subscriptions.id, sub.id));
    expect(after).toMatchObject({ creditCents: 1000, status: "active" });
    expect(after!.currentPeriodEnd.getTime()).toBe(periodEnd.getTime() + 30 * DAY);
    const [invoice] = await db.select().from(invoices).where(eq(invoices.subscriptionId, sub.id));
    expect(invoice).toMatchObject({ amountCents: 0, status: "paid", description: "Pro plan renewal, 30 days, less $20.00 credit" });
  });

  it("skips users whose status is not active", async () => {
    const { sub, periodEnd } = await dueSubscription({ userStatus: "deactivated" });
    await runJob(renewalsJob, { trigger: "test" });
    expect(await chargesFor(sub.id, periodEnd)).toHaveLength(0);
  });

  it("dunning: declined on day 0, 1, 3 and 7 notifies each time, then cancels", async () => {
    const { user, sub, periodEnd } = await dueSubscription();
    const original = providers.payments.charge.bind(providers.payments);
    vi.spyOn(providers.payments, "charge").mockImplementation((req) =>
      req.customerRef === user.id ? Promise.reject(new ProviderError("payments", "refused", "card declined")) : original(req),
    );
    const db = await getDb();
    const at = (days: number) => new Date(periodEnd.getTime() + days * DAY + 60_000);
    const step = (days: number) => renewIfDue(db, { id: sub.id, periodEnd }, at(days));
    const status = async () => (await db.select().from(subscriptions).where(eq(subscriptions.id, sub.id)))[0]!.status;

    expect(await step(0)).toBe("processed");
    expect(await status()).toBe("past_due");
    expect(await step(0.5)).toBe("skipped"); // day 1 retry not due yet
    expect(await step(1)).toBe("processed");
    expect(await step(2)).toBe("skipped");
    expect(await step(3)).toBe("processed");
    expect(await status()).toBe("past_due");
    expect(await step(7)).toBe("processed");
    expect(await status()).toBe("canceled");
    expect(await step(30)).toBe("skipped");

    const attempts = await db.select().from(renewalAttempts).where(eq(renewalAttempts.subscriptionId, sub.id));
    expect(attempts.map((a) => [a.attempt, a.status]).sort()).toEqual([
      [0, "failed"],
      [1, "failed"],
      [2, "failed"],
      [3, "failed"],
    ]);
    const mails = await db.select().from(notifications).where(and(eq(notifications.userId, user.id), like(notifications.template, "renewal_%")));
    expect(mails.map((m) => m.template).sort()).toEqual(["renewal_canceled", "renewal_failed", "renewal_failed", "renewal_failed"]);
  });

  it("an open payments breaker skips the whole run and charges nothing", async () => {
    const { sub, periodEnd } = await dueSubscription();
    const breaker = getBreaker("payments");
    await breaker.force("open", "test isolation", null);
    try {
      const run = await runJob(renewalsJob, { trigger: "test" });
      expect(run).toMatchObject({ status: "skipped", error: "breaker payments is open" });
      expect(await chargesFor(sub.id, periodEnd)).toHaveLength(0);
    } finally {
      await breaker.force("reset", "test done", null);
    }
  });

  it("a provider outage mid-run frees the attempt so the next run retries it", async () => {
    const { user, sub, periodEnd } = await dueSubscription();
    const original = providers.payments.charge.bind(providers.payments);
    const spy = vi.spyOn(providers.payments, "charge").mockImplementation((req) =>
      req.customerRef === user.id ? Promise.reject(new ProviderError("payments", "transient", "503")) : original(req),
    );
    const db = await getDb();
    await expect(renewIfDue(db, { id: sub.id, periodEnd }, new Date())).rejects.toThrow("payments is unavailable");
    expect(await db.select().from(renewalAttempts).where(eq(renewalAttempts.subscriptionId, sub.id))).toHaveLength(0);
    spy.mockRestore();
    await getBreaker("payments").force("reset", "test done", null);
    expect(await renewIfDue(db, { id: sub.id, periodEnd }, new Date())).toBe("processed");
    expect(await chargesFor(sub.id, periodEnd)).toHaveLength(1);
  });
});
