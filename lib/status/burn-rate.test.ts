import { describe, expect, it } from "vitest";
import { burnRate, evaluateAlerts, MINUTE_MS, summariseBudget, type MinutePoint } from "./burn-rate";

const NOW = Date.UTC(2026, 10, 23, 12, 0);
const OBJECTIVE = 0.999;

/** `minutes` of synthetic traffic ending at NOW, 10 000 requests a minute, with an error ratio per minute age. */
function series(minutes: number, errorRatioAt: (ageMinutes: number) => number): MinutePoint[] {
  const points: MinutePoint[] = [];
  for (let age = 1; age <= minutes; age++) {
    const total = 10_000;
    points.push({ minute: NOW - age * MINUTE_MS, total, good: total - Math.round(total * errorRatioAt(age)) });
  }
  return points;
}

const firing = (points: MinutePoint[]) =>
  evaluateAlerts(points, OBJECTIVE, NOW)
    .filter((a) => a.firing)
    .map((a) => a.severity);

describe("multi-window multi-burn-rate alerts", () => {
  it("a fast burn fires the 14.4× page", () => {
    // 2 % errors for the last 90 minutes = burn 20×, on a quiet day.
    const points = series(24 * 60, (age) => (age <= 90 ? 0.02 : 0));
    expect(firing(points)).toContain("page");
  });

  it("a slow burn fires only the 6× ticket", () => {
    // 0.8 % errors for 8 hours = burn 8×: past 6× but never near 14.4×.
    const points = series(24 * 60, (age) => (age <= 480 ? 0.008 : 0));
    expect(firing(points)).toEqual(["ticket"]);
  });

  it("a healthy period fires nothing", () => {
    const points = series(24 * 60, () => 0.0005);
    expect(firing(points)).toEqual([]);
  });

  it("a burn that already stopped does not page (the short window resets it)", () => {
    // Heavy errors 20–80 minutes ago, clean for the last 20 minutes.
    const points = series(24 * 60, (age) => (age > 20 && age <= 80 ? 0.05 : 0));
    const page = evaluateAlerts(points, OBJECTIVE, NOW).find((a) => a.severity === "page")!;
    expect(page.longBurn).toBeGreaterThan(14.4);
    expect(page.firing).toBe(false);
  });

  it("no traffic is no burn", () => {
    expect(burnRate([], OBJECTIVE, NOW, 60)).toBe(0);
    expect(firing([])).toEqual([]);
  });
});

describe("error budget", () => {
  it("reports compliance, remaining budget and exhaustion", () => {
    const healthy = summariseBudget(series(60, () => 0), OBJECTIVE, 30, NOW);
    expect(healthy.compliance).toBe(1);
    expect(healthy.budgetRemaining).toBe(1);
    expect(healthy.exhausted).toBe(false);

    const half = summariseBudget(series(60, () => 0.0005), OBJECTIVE, 30, NOW);
    expect(half.budgetRemaining).toBeCloseTo(0.5, 5);

    const spent = summariseBudget(series(60, () => 0.002), OBJECTIVE, 30, NOW);
    expect(spent.exhausted).toBe(true);
    expect(spent.budgetRemaining).toBeCloseTo(-1, 5);
  });

  it("has no compliance figure without data", () => {
    expect(summariseBudget([], OBJECTIVE, 30, NOW).compliance).toBeNull();
  });
});
