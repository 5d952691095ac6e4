import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { getDb } from "@/lib/database";
import { emailOutbox, fakePaymentCharges, invoices, subscriptions } from "@/db/schema";
import { parseFaults, setFaults } from "@/lib/providers";
import { contextFor, createTestUser } from "@/test/factories";
import { cancelSubscription, changePlan } from "./actions";

async function chargesFor(userId: string) {
  return (await getDb()).select().from(fakePaymentCharges).where(eq(fakePaymentCharges.customerRef, userId));
}

afterEach(async () => {
  await setFaults("payments", parseFaults(""));
});

describe("plan changes", () => {
  it("charges the provider, records a paid invoice and emails the user", async () => {
    const user = await createTestUser();
    const result = await changePlan.run({ plan: "pro" }, contextFor(user));
    expect(result).toMatchObject({ ok: true, data: { plan: "pro", previousPlan: "free" } });
    const charges = await chargesFor(user.id);
    expect(charges).toHaveLength(1);
    expect(charges[0]?.amountCents).toBe(2000);
    const db = await getDb();
    const [invoice] = await db.select().from(invoices).where(eq(invoices.userId, user.id));
    expect(invoice).toMatchObject({ status: "paid", amountCents: 2000, providerChargeId: charges[0]!.id });
    const mail = await db.select().from(emailOutbox).where(eq(emailOutbox.toEmail, user.email));
    expect(mail.map((m) => m.subject)).toContain("Your Breakwater plan is now Pro");
  });

  it("charges once when the same change is submitted twice at the same moment", async () => {
    const user = await createTestUser();
    const results = await Promise.all([changePlan.run({ plan: "team" }, contextFor(user)), changePlan.run({ plan: "team" }, contextFor(user))]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(await chargesFor(user.id)).toHaveLength(1);
    expect(await (await getDb()).select().from(invoices).where(eq(invoices.userId, user.id))).toHaveLength(1);
  });

  it("fails with dependency_down and changes nothing when the provider is failing", async () => {
    const user = await createTestUser();
    await setFaults("payments", parseFaults("fail=100%"));
    const result = await changePlan.run({ plan: "pro" }, contextFor(user));
    expect(result).toMatchObject({ ok: false, code: "dependency_down" });
    expect(await chargesFor(user.id)).toHaveLength(0);
    const [subscription] = await (await getDb()).select().from(subscriptions).where(eq(subscriptions.userId, user.id));
    expect(subscription?.plan).toBe("free");
  });

  it("prorates: Pro → Team → Pro on one day charges the difference once, keeps the renewal date, and the invoices say so", async () => {
    const user = await createTestUser();
    const db = await getDb();
    expect((await changePlan.run({ plan: "pro" }, contextFor(user))).ok).toBe(true);
    const [afterPro] = await db.select().from(subscriptions).where(eq(subscriptions.userId, user.id));
    expect((await changePlan.run({ plan: "team" }, contextFor(user))).ok).toBe(true);
    expect((await changePlan.run({ plan: "pro" }, contextFor(user))).ok).toBe(true);
    const [after] = await db.select().from(subscriptions).where(eq(subscriptions.userId, user.id));
    expect(after!.currentPeriodEnd.getTime()).toBe(afterPro!.currentPeriodEnd.getTime());
    expect(after).toMatchObject({ plan: "pro", creditCents: 3000 });
    // $20 for Pro, then about $30 for the rest of the period on Team; going back to Pro charges nothing and keeps $30 of credit.
    const charged = (await chargesFor(user.id)).map((c) => c.amountCents).sort((a, b) => a - b);
    expect(charged).toEqual([2000, 3000]);
    const lines = (await db.select().from(invoices).where(eq(invoices.userId, user.id))).sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
    expect(lines.map((i) => i.amountCents)).toEqual([2000, 3000, 0]);
    expect(lines[1]!.description).toMatch(/^Team plan from Pro, prorated for the 30 days left in this period: \$50\.00 less \$20\.00 for unused Pro$/);
    expect(lines[2]!.description).toMatch(/^Pro plan from Team, prorated .*: \$20\.00 less \$50\.00 for unused Team; \$30\.00 credit kept for your next charge$/);
  });

  it("downgrades to free without a charge", async () => {
    const user = await createTestUser({ plan: "pro" });
    expect(await changePlan.run({ plan: "free" }, contextFor(user))).toMatchObject({ ok: true });
    expect(await chargesFor(user.id)).toHaveLength(0);
  });

  it("cancels once; a second cancel is a clear conflict", async () => {
    const user = await createTestUser({ plan: "pro" });
    expect(await cancelSubscription.run({}, contextFor(user))).toMatchObject({ ok: true });
    expect(await cancelSubscription.run({}, contextFor(user))).toMatchObject({ ok: false, code: "conflict" });
  });
});

describe("fault specs", () => {
  it("parses percentages and latency, and rejects nonsense", () => {
    expect(parseFaults("fail=100%,timeout=5%,latency=200ms")).toEqual({ failPercent: 100, timeoutPercent: 5, latencyMs: 200 });
    expect(() => parseFaults("explode=1")).toThrow(/Unknown fault/);
    expect(() => parseFaults("fail=-3")).toThrow(/Bad fault/);
  });
});
