import { and, desc, eq, gte } from "drizzle-orm";
import { NextRequest } from "next/server";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { getDb } from "@/lib/database";
import { auditEvents, jobRuns, projects } from "@/db/schema";
import { runJob } from "@/lib/jobs/runner";
import { createProject } from "@/lib/projects/actions";
import { myProjects } from "@/lib/projects/queries";
import { systemContext } from "@/lib/safety";
import { trashPurgeJob } from "@/lib/accounts/jobs";
import { uptimeCheck } from "@/lib/status/jobs";
import { readinessResponse, type Readiness } from "@/lib/status";
import { livenessProbe, readinessProbe } from "@/lib/status/queries";
import { currentStatusSnapshot } from "@/lib/status/snapshot";
import { contextFor, createTestUser } from "@/test/factories";
import { setKillSwitch } from "@/test/kill-switch";
import { setMaintenanceAction } from "./actions";
import { currentMaintenance, writeMaintenance } from "./state";

const SECRET = vi.hoisted(() => {
  process.env.CRON_SECRET = "test-cron-secret-1234567890";
  return "test-cron-secret-1234567890";
});

beforeAll(async () => {
  await getDb();
});

// Whatever a test did, the app leaves maintenance: other files may share this database.
afterEach(async () => {
  await setMaintenanceAction.run({ on: false, reason: "maintenance test done" }, systemContext("cli:ops"));
});

const turnOn = (reason = "restore drill") => setMaintenanceAction.run({ on: true, reason }, systemContext("cli:ops"));

/** Polls (no fixed sleep) until `check` passes: the switch reaches other readers within about a second. */
async function eventually<T>(read: () => Promise<T>, check: (value: T) => boolean, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (check(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe("read-only maintenance", () => {
  it("refuses guarded writes with its own code, keeps reads, the switch and the ops CLI working, and audits on and off", async () => {
    const admin = await createTestUser({ role: "admin" });
    const user = await createTestUser();
    const since = new Date(Date.now() - 1000);
    const on = await setMaintenanceAction.run({ on: true, reason: "restoring last night's backup" }, contextFor(admin));
    expect(on).toMatchObject({ ok: true, data: { before: { active: false }, after: { active: true, reason: "restoring last night's backup" } } });

    const refused = await createProject.run({ name: "During maintenance" }, contextFor(user));
    expect(refused).toMatchObject({ ok: false, code: "maintenance" });
    expect(refused.ok ? "" : refused.message).toMatch(/read-only maintenance/);
    const db = await getDb();
    expect(await db.select().from(projects).where(eq(projects.ownerId, user.id))).toEqual([]);
    // Reads keep working.
    expect(await myProjects.run({}, contextFor(user))).toMatchObject({ ok: true });
    // The operator's CLI keeps working (here: a kill switch flipped as cli:ops).
    expect(await setKillSwitch({ key: "exports", on: false, reason: "cli during maintenance", actor: "cli:ops" })).toMatchObject({ ok: true });
    expect(await setKillSwitch({ key: "exports", on: true, reason: "cli during maintenance done", actor: "cli:ops" })).toMatchObject({ ok: true });

    // The switch itself works during maintenance, and writes work again right after.
    expect(await setMaintenanceAction.run({ on: false, reason: "restore verified" }, contextFor(admin))).toMatchObject({ ok: true, data: { after: { active: false } } });
    expect(await createProject.run({ name: "After maintenance" }, contextFor(user))).toMatchObject({ ok: true });

    const events = await db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, "system.maintenance"), eq(auditEvents.actorId, admin.id), gte(auditEvents.occurredAt, since)))
      .orderBy(auditEvents.id);
    expect(events.map((e) => [e.outcome, (e.metadata as { after: boolean }).after])).toEqual([
      ["success", true],
      ["success", false],
    ]);
  });

  it("only admins (and the ops CLI) flip it", async () => {
    const support = await createTestUser({ role: "support" });
    expect(await setMaintenanceAction.run({ on: true, reason: "not mine to flip" }, contextFor(support))).toMatchObject({ ok: false, code: "forbidden" });
    expect((await currentMaintenance()).active).toBe(false);
  });

  it("jobs skip with a 'skipped: maintenance' run, the uptime monitor too, and cron gets 200", async () => {
    expect(await turnOn()).toMatchObject({ ok: true });
    expect(await runJob(trashPurgeJob, { trigger: "test" })).toMatchObject({ status: "skipped", error: "skipped: maintenance" });
    expect(await runJob(uptimeCheck, { trigger: "test" })).toMatchObject({ status: "skipped", error: "skipped: maintenance" });

    const { GET } = await import("@/app/api/cron/[job]/route");
    const response = await GET(new NextRequest("http://localhost/api/cron/trash_purge", { headers: { authorization: `Bearer ${SECRET}` } }), {
      params: Promise.resolve({ job: "trash_purge" }),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: "skipped", error: "skipped: maintenance" });
    const db = await getDb();
    const [latest] = await db.select().from(jobRuns).where(eq(jobRuns.job, "trash_purge")).orderBy(desc(jobRuns.startedAt)).limit(1);
    expect(latest).toMatchObject({ status: "skipped", processed: 0, failed: 0 });
  });

  it("health stays honest: alive and ready (the answers /api/health and /api/health/ready send), both saying maintenance, not down", async () => {
    expect(await turnOn()).toMatchObject({ ok: true });
    // Liveness answers from what this instance last read (it never waits on the database): poll, no sleep.
    const live = await eventually(
      () => livenessProbe.run({}, contextFor(null)),
      (r) => r.ok && r.data.maintenance,
    );
    expect(live).toMatchObject({ ok: true, data: { status: "ok", maintenance: true } });
    const ready = await readinessProbe.run({}, contextFor(null));
    expect(ready).toMatchObject({ ok: true, data: { status: "ready", maintenance: { since: expect.any(String) } } });
    expect(readinessResponse((ready as { data: Readiness }).data).status).toBe(200);
  });

  it("the status snapshot shows the notice within about a second when another instance turns it on, and drops it when off", async () => {
    expect((await currentStatusSnapshot()).status.readOnlyMaintenance).toBeNull();
    // Written straight to the database, the way another instance's change arrives here: no local invalidation.
    const db = await getDb();
    await db.transaction((tx) => writeMaintenance(tx, { active: true, reason: "another instance", by: "cli:ops" }));
    const during = await eventually(currentStatusSnapshot, (s) => s.status.readOnlyMaintenance !== null);
    expect(during.status.readOnlyMaintenance).toEqual({ since: expect.any(String) });
    // The operator's reason stays internal.
    expect(JSON.stringify(during.status)).not.toContain("another instance");
    await db.transaction((tx) => writeMaintenance(tx, { active: false, reason: "done", by: "cli:ops" }));
    const after = await eventually(currentStatusSnapshot, (s) => s.status.readOnlyMaintenance === null);
    expect(after.status.readOnlyMaintenance).toBeNull();
  });
});
