import { and, eq, isNull } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { getDb } from "@/lib/database";
import { requestMinutes, sloAlerts } from "@/db/schema";

/**
 * Under `next dev` (NODE_ENV=development) pages and routes compile on their
 * first request: a fresh dev setup used to show "Page p99 latency" firing
 * with its budget at −7,307 %. A dev server must neither record latency nor
 * budget or alert on it; every other SLO is judged as in production.
 */
type Modules = {
  report: typeof import("./slo-report");
  monitor: typeof import("./monitor");
  outcomes: typeof import("./outcomes");
  timing: typeof import("./page-timing");
};

async function loadAs(nodeEnv: "development" | "test"): Promise<Modules> {
  vi.stubEnv("NODE_ENV", nodeEnv);
  vi.resetModules();
  return { report: await import("./slo-report"), monitor: await import("./monitor"), outcomes: await import("./outcomes"), timing: await import("./page-timing") };
}

// Far in the future, so no other test's rows fall in the windows.
const now = new Date(Date.UTC(2033, 0, 1, 12, 0) + Math.floor(Math.random() * 100_000) * 86_400_000);

beforeAll(async () => {
  const db = await getDb();
  // The suite may share one database: start without an open page-latency alert from an earlier file.
  await db.update(sloAlerts).set({ resolvedAt: new Date() }).where(and(eq(sloAlerts.slo, "pages_latency_p99"), isNull(sloAlerts.resolvedAt)));
  // An hour of page renders, every one slower than the 1 s objective: what compile time looks like.
  const rows = Array.from({ length: 70 }, (_, i) => ({ minute: new Date(now.getTime() - (i + 1) * 60_000), route: "pages", total: 20, slow: 20, errors: 0, sumMs: 0, maxMs: 0 }));
  await db.insert(requestMinutes).values(rows).onConflictDoNothing();
});
afterAll(() => vi.unstubAllEnvs());

describe("SLOs on a dev server", () => {
  it("the same slow pages exhaust the page-latency budget and fire its alerts in production", async () => {
    const { report, monitor } = await loadAs("test");
    const db = await getDb();
    const { reports, policyInForce } = await report.sloReport(db, now);
    expect(reports.find((r) => r.slo.id === "pages_latency_p99")).toMatchObject({ notMeasured: null, budget: { exhausted: true } });
    expect(policyInForce).toContain("pages_latency_p99");
    const { fired } = await monitor.evaluateSloAlerts(db, now);
    expect(fired).toEqual(expect.arrayContaining(["pages_latency_p99:page", "pages_latency_p99:ticket"]));
  });

  it("under next dev they are 'not measured in development': no budget spent, no policy, open alerts cleared", async () => {
    const { report, monitor } = await loadAs("development");
    const db = await getDb();
    const { reports, policyInForce } = await report.sloReport(db, now);
    const pages = reports.find((r) => r.slo.id === "pages_latency_p99")!;
    expect(pages.notMeasured).toMatch(/^Not measured in development/);
    expect(pages.budget).toMatchObject({ exhausted: false, total: 0 });
    expect(pages.alerts.some((a) => a.firing)).toBe(false);
    expect(reports.find((r) => r.slo.id === "api_latency_p99")!.notMeasured).not.toBeNull();
    expect(reports.find((r) => r.slo.id === "web_availability")!.notMeasured).toBeNull();
    expect(policyInForce).not.toContain("pages_latency_p99");

    const { fired, resolved } = await monitor.evaluateSloAlerts(db, now);
    expect(fired.filter((f) => f.startsWith("pages_latency_p99"))).toEqual([]);
    expect(resolved).toEqual(expect.arrayContaining(["pages_latency_p99:page", "pages_latency_p99:ticket"]));
    expect(await db.select().from(sloAlerts).where(and(eq(sloAlerts.slo, "pages_latency_p99"), isNull(sloAlerts.resolvedAt)))).toEqual([]);
  });

  it("under next dev a page render and an API call record nothing", async () => {
    const { outcomes, timing } = await loadAs("development");
    // Outside a request `after()` would throw: returning first is what proves nothing is scheduled.
    expect(() => timing.timePageRender(String(Date.now() - 30_000))).not.toThrow();
    const route = `dev_${crypto.randomUUID().slice(0, 8)}`;
    const handler = outcomes.withRequestOutcome(route, () => new Response("ok"));
    expect((await handler()).status).toBe(200);
    await outcomes.flushRequestOutcomes();
    const db = await getDb();
    expect(await db.select().from(requestMinutes).where(eq(requestMinutes.route, route))).toEqual([]);
  });
});
