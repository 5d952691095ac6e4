import { and, eq, inArray } from "drizzle-orm";
import { describe, expect, it, vi } from "vitest";
import { getDb } from "@/lib/database";
import { incidents, requestMinutes, statusChecks } from "@/db/schema";
import { listOpenAlerts } from "@/lib/alerts";
import { healthOfJobs, type JobName } from "@/lib/jobs";
import { findJob, runJob } from "@/lib/jobs/server";
import { checkReadiness, readinessNoticesSettled } from "./health";
import { recordUptimeSample } from "./monitor";
import { uptimeBars } from "./reads";
import { jobFreshness } from "./sources";
import { noticeJobHealth } from "./watch";

const HOUR = 3_600_000;

describe("nothing fails silently: jobs", () => {
  it("a missed job degrades readiness, raises an alert and drafts an incident", async () => {
    const db = await getDb();
    const renewals = findJob("renewals")!;
    // A successful run now; ten hours later the hourly job has missed its window.
    expect((await runJob({ ...renewals, run: async () => {} }, { trigger: "test" })).status).toBe("succeeded");
    const later = new Date(Date.now() + 10 * HOUR);
    const readiness = await checkReadiness(later);
    expect(readiness.checks.find((c) => c.name === "cron")).toMatchObject({ status: "degraded", detail: expect.stringContaining("renewals") });
    // Readiness keeps the alerts current in the background: whatever polls it notices a dead cron.
    await vi.waitFor(async () => {
      const alerts = await listOpenAlerts(db, ["jobs"]);
      expect(alerts.find((a) => a.dedupKey === "job_missed:renewals")).toMatchObject({ severity: "page", runbook: "charge-failures-dunning" });
      const drafts = await db.select().from(incidents).where(and(eq(incidents.sourceKey, "job_missed:renewals"), eq(incidents.status, "draft")));
      expect(drafts).toHaveLength(1);
    });
    // That background update is the whole truth about jobs as of ten hours from now; let it finish
    // before writing newer truths, or it would resolve what the next test raises.
    await readinessNoticesSettled();
    // Noticing again drafts nothing new while the draft is open; the job running again resolves the alert.
    await noticeJobHealth(db, await jobFreshness([renewals], later), later, { type: "system", id: "test" });
    expect(await db.select().from(incidents).where(and(eq(incidents.sourceKey, "job_missed:renewals"), inArray(incidents.status, ["draft"])))).toHaveLength(1);
    await noticeJobHealth(db, await jobFreshness([renewals]), new Date(), { type: "system", id: "test" });
    expect((await listOpenAlerts(db, ["jobs"])).some((a) => a.dedupKey === "job_missed:renewals")).toBe(false);
    await db.update(incidents).set({ status: "discarded" }).where(eq(incidents.sourceKey, "job_missed:renewals"));
  });

  it("a job that never ran is unknown, not healthy, and says so", async () => {
    const never = { name: `never_${crypto.randomUUID().slice(0, 8)}` as JobName, schedule: "*/10 * * * *", runbook: "cron-backlog" };
    const [health] = await healthOfJobs([never]);
    expect(health?.status).toBe("unknown");
    const freshness = await jobFreshness([never]);
    expect(freshness[0]).toMatchObject({ missed: false, neverRan: true });
    const db = await getDb();
    await noticeJobHealth(db, freshness, new Date(), { type: "system", id: "test" });
    expect((await listOpenAlerts(db, ["jobs"])).find((a) => a.dedupKey === `job_unknown:${never.name}`)).toMatchObject({ severity: "info" });
    await noticeJobHealth(db, [], new Date(), { type: "system", id: "test" });
  });
});

describe("nothing fails silently: uptime samples", () => {
  // A far-future day of its own, so no other test's samples fall in it.
  const day = Date.UTC(2033, 0, 1) + Math.floor(Math.random() * 20_000) * 86_400_000;

  it("measure the API: a minute of mostly failed API requests is sampled as an outage, not as up", async () => {
    const db = await getDb();
    const now = new Date(day + 10 * 60_000 + 5_000);
    await db.insert(requestMinutes).values({ minute: new Date(day + 9 * 60_000), route: "api", total: 40, errors: 30, slow: 0, sumMs: 0, maxMs: 0 });
    await recordUptimeSample(db, now, []);
    const [api] = await db.select().from(statusChecks).where(and(eq(statusChecks.component, "api"), eq(statusChecks.minute, new Date(day + 10 * 60_000))));
    expect(api?.state).toBe("major_outage");
  });

  it("measure the web app: people's actions failing on our side, with crashed page renders, make its sample an outage", async () => {
    const db = await getDb();
    // The next day: an outage sampled here must not change the uptime the next test counts for `day`.
    const at = day + 86_400_000 + 12 * 60_000;
    await db.insert(requestMinutes).values([
      { minute: new Date(at - 60_000), route: "actions", total: 10, errors: 4, slow: 0, sumMs: 0, maxMs: 0 },
      { minute: new Date(at - 60_000), route: "pages", total: 10, errors: 7, slow: 0, sumMs: 0, maxMs: 0 },
    ]);
    await recordUptimeSample(db, new Date(at + 5_000), []);
    const [web] = await db.select().from(statusChecks).where(and(eq(statusChecks.component, "web"), eq(statusChecks.minute, new Date(at))));
    expect(web?.state).toBe("major_outage");
    // The API is judged by its own requests: none that minute, so the web's failures change nothing for it. Whatever
    // else the database holds (another test's incident, a switch) weighs on a control minute with no requests alike,
    // so the API's sample is compared with that minute's rather than with "operational".
    const control = at + 5 * 60_000;
    await recordUptimeSample(db, new Date(control + 5_000), []);
    const apiAt = async (minute: number) =>
      (await db.select().from(statusChecks).where(and(eq(statusChecks.component, "api"), eq(statusChecks.minute, new Date(minute)))))[0]?.state;
    expect(await apiAt(at)).toBeDefined();
    expect(await apiAt(at)).toBe(await apiAt(control));
  });

  it("count a minute without a sample as unknown, never as up", async () => {
    const db = await getDb();
    const start = day + 20 * 60_000;
    // Sampling covers this day from its first minute; then ten minutes, one never sampled (the check did not run).
    const minutes = [day, ...Array.from({ length: 10 }, (_, i) => start + i * 60_000).filter((_, i) => i !== 4)];
    await db.insert(statusChecks).values(minutes.map((m) => ({ minute: new Date(m), component: "web", state: "operational" }))).onConflictDoNothing();
    const now = new Date(start + 10 * 60_000);
    const web = (await uptimeBars(db, now)).find((b) => b.component === "web")!;
    const today = web.days.at(-1)!;
    expect(today.uptime).toBe(1);
    const sampled = (await db.select().from(statusChecks).where(eq(statusChecks.component, "web"))).filter((r) => r.minute.getTime() >= day && r.minute < now).length;
    // 30 minutes were due today; every one without a sample is unknown (the skipped one among them).
    expect(today.unknownMinutes).toBe(30 - sampled);
    expect(today.unknownMinutes).toBeGreaterThanOrEqual(1);
  });
});
