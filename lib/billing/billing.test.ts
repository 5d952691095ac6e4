import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
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
