import { describe, expect, it } from "vitest";
import { quotePlanChange, renewalAmount } from "./proration";

const DAY = 86_400_000;
const now = new Date("2026-12-01T12:00:00Z");
const endsIn = (days: number) => new Date(now.getTime() + days * DAY);

describe("plan change proration", () => {
  it("credits the unused part and charges the rest of the same period, keeping the renewal date", () => {
    const quote = quotePlanChange({ plan: "pro", status: "active", currentPeriodEnd: endsIn(15), creditCents: 0 }, "team", now);
    // Half a period left: $25.00 of Team less $10.00 of unused Pro.
    expect(quote).toMatchObject({ amountCents: 1500, creditCents: 0, prorated: true, periodEnd: endsIn(15) });
    expect(quote.description).toBe("Team plan from Pro, prorated for the 15 days left in this period: $25.00 less $10.00 for unused Pro");
  });

  it("turns a downgrade into credit taken off the next charge: Pro → Team → Pro on one day costs the Pro price once", () => {
    const start = { plan: "free" as const, status: "active" as const, currentPeriodEnd: now, creditCents: 0 };
    const toPro = quotePlanChange(start, "pro", now);
    expect(toPro).toMatchObject({ amountCents: 2000, prorated: false, periodEnd: endsIn(30), description: "Pro plan, 30 days" });
    const toTeam = quotePlanChange({ plan: "pro", status: "active", currentPeriodEnd: toPro.periodEnd, creditCents: toPro.creditCents }, "team", now);
    expect(toTeam).toMatchObject({ amountCents: 3000, creditCents: 0, periodEnd: endsIn(30) });
    const backToPro = quotePlanChange({ plan: "team", status: "active", currentPeriodEnd: toTeam.periodEnd, creditCents: toTeam.creditCents }, "pro", now);
    expect(backToPro).toMatchObject({ amountCents: 0, creditCents: 3000, periodEnd: endsIn(30) });
    expect(backToPro.description).toContain("$30.00 credit kept for your next charge");
    // The next renewal uses the credit first.
    expect(renewalAmount("pro", backToPro.creditCents)).toEqual({ amountCents: 0, creditUsed: 2000 });
    expect(renewalAmount("pro", 1000)).toEqual({ amountCents: 1000, creditUsed: 1000 });
  });

  it("starts a fresh period when the current one is not paid for (past due or over)", () => {
    expect(quotePlanChange({ plan: "pro", status: "past_due", currentPeriodEnd: endsIn(10), creditCents: 0 }, "team", now)).toMatchObject({ amountCents: 5000, prorated: false, periodEnd: endsIn(30) });
    expect(quotePlanChange({ plan: "pro", status: "active", currentPeriodEnd: endsIn(-1), creditCents: 500 }, "team", now)).toMatchObject({
      amountCents: 4500,
      creditCents: 0,
      description: "Team plan, 30 days less $5.00 credit",
    });
  });

  it("credits the unused part of a cancelled but paid period", () => {
    expect(quotePlanChange({ plan: "team", status: "canceled", currentPeriodEnd: endsIn(6), creditCents: 0 }, "free", now)).toMatchObject({ amountCents: 0, creditCents: 1000, periodEnd: endsIn(6) });
  });
});
