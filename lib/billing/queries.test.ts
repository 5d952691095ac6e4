import { describe, expect, it } from "vitest";
import { contextFor, createTestUser } from "@/test/factories";
import { changePlan } from "./actions";
import { billingOverview } from "./queries";

describe("billing overview", () => {
  it("needs a signed-in caller", async () => {
    expect(await billingOverview.run({}, contextFor(null))).toMatchObject({ ok: false, code: "unauthenticated" });
  });

  it("shows a free account no charge, nothing to cancel and no invoices", async () => {
    const user = await createTestUser();
    expect(await billingOverview.run({}, contextFor(user))).toMatchObject({
      ok: true,
      data: { planLabel: "Free", price: "No charge.", period: null, current: "free", canCancel: false, invoices: [] },
    });
  });

  it("shows a paid plan's renewal and the caller's own invoices only", async () => {
    const user = await createTestUser();
    const other = await createTestUser();
    expect((await changePlan.run({ plan: "pro" }, contextFor(user))).ok).toBe(true);
    const overview = await billingOverview.run({}, contextFor(user));
    if (!overview.ok) throw new Error(overview.message);
    expect(overview.data).toMatchObject({ planLabel: "Pro", price: "$20.00 per 30 days.", current: "pro", canCancel: true, period: { canceled: false } });
    expect(overview.data.invoices).toEqual([expect.objectContaining({ amount: "$20.00", status: "paid" })]);
    expect(await billingOverview.run({}, contextFor(other))).toMatchObject({ ok: true, data: { invoices: [] } });
  });
});
