import { eq } from "drizzle-orm";
import { NextRequest } from "next/server";
import { describe, expect, it, vi } from "vitest";
import { getDb } from "@/lib/database";
import { jobRuns } from "@/db/schema";
import { contextFor, createTestUser } from "@/test/factories";
import type { JobName } from "./declarations";
import { healthOfJobs } from "./health";
import { jobsOverview } from "./queries";

/**
 * The app's side of `npm run dev`'s local scheduler: it calls the same cron
 * route with the same secret, and the run is recorded (and shown on
 * /admin/jobs) as started by the local scheduler.
 */
const SECRET = vi.hoisted(() => {
  process.env.CRON_SECRET = "local-scheduler-secret-123456";
  return "local-scheduler-secret-123456";
});

async function callCron(headers: Record<string, string>) {
  const { GET } = await import("@/app/api/cron/[job]/route");
  const response = await GET(new NextRequest("http://localhost/api/cron/notification_delivery", { headers }), { params: Promise.resolve({ job: "notification_delivery" }) });
  return { status: response.status, body: (await response.json()) as { runId?: string } };
}

describe("runs started by the local scheduler", () => {
  it("need the cron secret like any other call", async () => {
    expect((await callCron({ "x-cron-trigger": "local-scheduler" })).status).toBe(401);
  });

  it("are recorded with their own trigger, and /admin/jobs names it as what runs the schedules", async () => {
    const db = await getDb();
    const local = await callCron({ authorization: `Bearer ${SECRET}`, "x-cron-trigger": "local-scheduler" });
    expect(local.status).toBe(200);
    const [row] = await db.select().from(jobRuns).where(eq(jobRuns.id, local.body.runId!));
    expect(row?.trigger).toBe("local_scheduler");
    const vercel = await callCron({ authorization: `Bearer ${SECRET}` });
    const [plain] = await db.select().from(jobRuns).where(eq(jobRuns.id, vercel.body.runId!));
    expect(plain?.trigger).toBe("cron");

    await db.update(jobRuns).set({ startedAt: new Date(Date.now() + 1_000) }).where(eq(jobRuns.id, local.body.runId!));
    const page = await jobsOverview.run({}, contextFor(await createTestUser({ role: "admin" })));
    if (!page.ok) throw new Error(page.message);
    expect(page.data.runs.find((r) => r.id === local.body.runId)?.triggerLabel).toBe("local scheduler");
    expect(page.data.lastScheduled).toMatchObject({ by: "local scheduler" });
  });
});

describe("the dead-man's switch during a job's first run", () => {
  it("does not call a job missed while its very first run is still in progress", async () => {
    const db = await getDb();
    const started = new Date();
    // A name of its own, so no other test's runs of a real job (the suite may share one database) count.
    const name = `first_run_${crypto.randomUUID().slice(0, 8)}` as JobName;
    await db.insert(jobRuns).values({ job: name, trigger: "test", status: "running", startedAt: started, deadlineAt: new Date(started.getTime() + 40_000) });
    const schedule = [{ name, schedule: "* * * * *", runbook: "cron-backlog" }];
    expect((await healthOfJobs(schedule, new Date(started.getTime() + 1_000)))[0]?.status).toBe("unknown");
    // Past its deadline it is a run that never finished.
    expect((await healthOfJobs(schedule, new Date(started.getTime() + 60_000)))[0]?.status).toBe("timed_out");
  });
});
