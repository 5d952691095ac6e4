import { and, eq } from "drizzle-orm";
import { afterEach, describe, expect, it, vi } from "vitest";
import { getDb } from "@/lib/database";
import { incidents } from "@/db/schema";
import { runJob } from "@/lib/jobs/server";
import { uptimeCheck } from "./jobs";

afterEach(() => vi.unstubAllEnvs());

describe("the background jobs paused condition", () => {
  it("fires: the uptime monitor keeps watching while every other job is paused, and drafts the incident", async () => {
    const db = await getDb();
    await db.update(incidents).set({ status: "discarded" }).where(and(eq(incidents.sourceKey, "kill_switch:background_jobs"), eq(incidents.status, "draft")));
    vi.stubEnv("FLAG_BACKGROUND_JOBS", "off");
    const t0 = new Date(Date.now() + 400 * 86_400_000);
    const first = await runJob(uptimeCheck, { trigger: "test", now: t0 });
    expect(first.status).toBe("succeeded");
    const later = await runJob(uptimeCheck, { trigger: "test", now: new Date(t0.getTime() + 6 * 60_000) });
    expect(later.status).toBe("succeeded");
    const drafted = await db.select().from(incidents).where(and(eq(incidents.sourceKey, "kill_switch:background_jobs"), eq(incidents.status, "draft")));
    expect(drafted).toHaveLength(1);
    expect(drafted[0]).toMatchObject({ title: "Background jobs are paused", components: ["jobs"], runbook: "cron-backlog" });
  });

  it("its own switch still stops the monitor", async () => {
    vi.stubEnv("FLAG_JOB_UPTIME_CHECK", "off");
    expect(await runJob(uptimeCheck, { trigger: "test" })).toMatchObject({ status: "skipped", error: "kill switch job_uptime_check is off" });
  });
});
