import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { asc, eq } from "drizzle-orm";
import { describe, expect, it, vi } from "vitest";
import { closeDb, getDb, type Db } from "@/lib/database";
import * as schema from "@/db/schema";
import { subjectTimeline, verifyAuditChain } from "@/lib/audit";
import { DECLARED_JOBS, healthOfJobs } from "@/lib/jobs";
import { sloReport } from "@/lib/status";
import { uptimeBars } from "@/lib/status/reads";
import { resetDatabase, seedDemoData } from "./demo-data";

/**
 * The demo data shows the product, is the same every time for the same
 * clock, starts over with `npm run db:seed -- --reset`, and is refused in
 * production. It must also leave a working setup quiet: every job on time,
 * no error budget spent past its policy, the audit chain intact.
 */
const NOW = new Date("2026-11-23T12:34:00Z");

/** What a person would see, without the ids, tokens and moments the database and the app make up. */
async function snapshot(db: Db) {
  const s = schema;
  const rows = async <T>(q: Promise<T[]>) => q;
  return {
    users: await rows(db.select({ email: s.users.email, name: s.users.name, role: s.users.role, status: s.users.status, createdAt: s.users.createdAt }).from(s.users).orderBy(asc(s.users.email))),
    subscriptions: await rows(db.select({ plan: s.subscriptions.plan, status: s.subscriptions.status, end: s.subscriptions.currentPeriodEnd }).from(s.subscriptions).orderBy(asc(s.subscriptions.plan), asc(s.subscriptions.currentPeriodEnd))),
    projects: await rows(db.select({ name: s.projects.name, description: s.projects.description, trashed: s.projects.deletedAt }).from(s.projects).orderBy(asc(s.projects.name))).then((r) => r.map((p) => ({ ...p, trashed: p.trashed !== null }))),
    tasks: await rows(db.select({ title: s.tasks.title }).from(s.tasks).orderBy(asc(s.tasks.title))),
    invoices: await rows(db.select({ amount: s.invoices.amountCents, status: s.invoices.status, description: s.invoices.description, at: s.invoices.createdAt }).from(s.invoices).orderBy(asc(s.invoices.createdAt))),
    jobRuns: await rows(db.select({ job: s.jobRuns.job, trigger: s.jobRuns.trigger, status: s.jobRuns.status, at: s.jobRuns.startedAt, end: s.jobRuns.finishedAt, processed: s.jobRuns.processed, error: s.jobRuns.error }).from(s.jobRuns).orderBy(asc(s.jobRuns.startedAt), asc(s.jobRuns.job))),
    samples: await rows(db.select().from(s.statusChecks).orderBy(asc(s.statusChecks.minute), asc(s.statusChecks.component))),
    incidents: await rows(db.select({ title: s.incidents.title, status: s.incidents.status, resolvedAt: s.incidents.resolvedAt }).from(s.incidents)),
    updates: await rows(db.select({ status: s.incidentUpdates.status, body: s.incidentUpdates.body, at: s.incidentUpdates.createdAt }).from(s.incidentUpdates).orderBy(asc(s.incidentUpdates.createdAt))),
    breaker: await rows(db.select({ from: s.breakerTransitions.fromState, to: s.breakerTransitions.toState, at: s.breakerTransitions.at }).from(s.breakerTransitions).orderBy(asc(s.breakerTransitions.at))),
    reports: await rows(db.select({ description: s.problemReports.description, status: s.problemReports.status }).from(s.problemReports)),
    supportSessions: await rows(db.select({ reason: s.impersonationSessions.reason }).from(s.impersonationSessions)),
    flags: await rows(db.select({ key: s.flags.key, environments: s.flags.environments }).from(s.flags)),
    changeRequests: await rows(db.select({ flag: s.flagChangeRequests.flagKey, status: s.flagChangeRequests.status, environment: s.flagChangeRequests.environment }).from(s.flagChangeRequests)),
    audit: await rows(db.select({ action: s.auditEvents.action, outcome: s.auditEvents.outcome, actor: s.auditEvents.actorType }).from(s.auditEvents).orderBy(asc(s.auditEvents.id))),
    outbox: await rows(db.select({ template: s.notifications.template, subject: s.notifications.subject }).from(s.notifications).orderBy(asc(s.notifications.template))),
  };
}

// Seeds an empty database: on the suite's shared Postgres (other files' users) it runs as part of the e2e server's `npm run db:seed` instead.
describe.skipIf(Boolean(process.env.DATABASE_URL))("demo data", () => {
  let first: Awaited<ReturnType<typeof snapshot>>;

  it("shows the product: projects with tasks, invoices, history, a resolved incident, a report, a support session, a rollout", { timeout: 120_000 }, async () => {
    const db = await getDb();
    expect(await seedDemoData(db, { now: NOW })).toEqual({ seeded: true });
    first = await snapshot(db);

    expect(first.projects.filter((p) => !p.trashed).map((p) => p.name)).toEqual(["Mobile app", "Quarterly report", "Website relaunch"]);
    expect(first.projects.filter((p) => p.trashed)).toHaveLength(1);
    expect(first.tasks.length).toBeGreaterThanOrEqual(10);
    expect(first.invoices.map((i) => i.status)).toEqual(["paid", "paid", "paid", "paid"]);
    expect(first.invoices.at(0)!.at.getTime()).toBeLessThan(NOW.getTime() - 90 * 86_400_000);
    expect(new Set(first.jobRuns.map((r) => r.job))).toEqual(new Set(DECLARED_JOBS.map((j) => j.name)));
    expect(first.samples.length).toBeGreaterThan(20_000);
    expect(first.incidents).toEqual([{ title: "Card payments failing (game day)", status: "resolved", resolvedAt: expect.any(Date) }]);
    expect(first.updates.at(-1)!.body).toContain("/admin/runbooks/postmortem-practice-2026-11");
    expect(first.breaker.at(-1)).toMatchObject({ from: "half_open", to: "closed" });
    expect(first.reports).toHaveLength(1);
    expect(first.flags).toEqual([
      { key: "new_dashboard", environments: { development: expect.objectContaining({ enabled: true, rollout: 30 }) } },
      // Every release flag the product reads (flags.ts) is there to roll out, and off for everyone.
      { key: "billing_plan_comparison", environments: { development: expect.objectContaining({ enabled: true, rollout: 0, targets: [], rules: [] }) } },
    ]);
    expect(first.flags.map((f) => f.key)).toEqual(expect.arrayContaining(Object.values(await import("@/flags")).map((f) => f.key)));
    expect(first.changeRequests).toEqual([{ flag: "new_dashboard", status: "pending", environment: "production" }]);
    expect(first.users.find((u) => u.email === "dana@breakwater.test")?.status).toBe("pending_deletion");

    const [uma] = await db.select().from(schema.users).where(eq(schema.users.email, "user@breakwater.test"));
    const visits = (await subjectTimeline(db, uma!.id)).filter((e) => e.supportSession);
    expect(visits[0]?.supportSession).toMatchObject({ reason: expect.stringContaining("renewal after the outage"), pagesViewed: 2 });
    const bars = (await uptimeBars(db, NOW)).find((c) => c.component === "billing")!;
    expect(bars.days.filter((d) => d.uptime !== null).length).toBeGreaterThanOrEqual(30);
    expect(bars.days.filter((d) => d.worst === "degraded")).toHaveLength(1);
  });

  it("leaves a working setup quiet: every job on time, no error-budget policy, no alert firing, the audit chain intact", async () => {
    const db = await getDb();
    expect((await healthOfJobs(DECLARED_JOBS, NOW)).filter((j) => j.status !== "ok")).toEqual([]);
    const { reports, policyInForce } = await sloReport(db, NOW);
    expect(policyInForce).toEqual([]);
    expect(reports.filter((r) => r.alerts.some((a) => a.firing)).map((r) => r.slo.id)).toEqual([]);
    expect((await verifyAuditChain(db)).ok).toBe(true);
  });

  it("is the same for the same clock after a reset", { timeout: 120_000 }, async () => {
    await resetDatabase(await getDb());
    await closeDb();
    const db = await getDb();
    expect(await seedDemoData(db, { now: NOW })).toEqual({ seeded: true });
    expect(await snapshot(db)).toEqual(first);
    // A second seed into a database with users changes nothing.
    expect(await seedDemoData(db, { now: NOW })).toEqual({ seeded: false });
  });

  it("is refused in production, before anything is read or written", async () => {
    vi.stubEnv("APP_ENV", "production");
    for (const key of ["AUTH_SECRET", "CRON_SECRET"]) vi.stubEnv(key, "x".repeat(32));
    for (const key of ["DATABASE_URL", "VAULT_DATABASE_URL"]) vi.stubEnv(key, "postgres://nobody@127.0.0.1:1/none");
    const complete = { AUDIT_CHAIN_KEY: "k".repeat(48), APP_URL: "https://breakwater.example", TRUSTED_PROXIES: "10.0.0.0/8", STRIPE_SECRET_KEY: "sk_live_x", STRIPE_WEBHOOK_SECRET: "whsec_x", SMTP_URL: "smtps://mail.example:465", EMAIL_FROM: "Breakwater <no-reply@breakwater.example>" };
    for (const [key, value] of Object.entries(complete)) vi.stubEnv(key, value);
    vi.resetModules();
    try {
      const { seedDemoData: seedInProduction, resetDatabase: resetInProduction } = await import("./demo-data");
      const untouchable = new Proxy({}, { get: () => { throw new Error("the database was touched"); } }) as Db;
      await expect(seedInProduction(untouchable)).rejects.toThrow(/refuses APP_ENV=production/);
      await expect(resetInProduction(untouchable)).rejects.toThrow(/refuses APP_ENV=production/);
    } finally {
      vi.unstubAllEnvs();
      vi.resetModules();
    }
  });
});

describe.skipIf(Boolean(process.env.DATABASE_URL))("npm run db:seed -- --reset", () => {
  it("starts over on the embedded database: the same people once, not twice", { timeout: 240_000 }, async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bw-seed-"));
    const run = (...args: string[]) =>
      promisify(execFile)("npm", ["run", "--silent", "db:seed", "--", ...args], { env: { ...process.env, DATABASE_URL: undefined, PGLITE_DIR: path.join(dir, "pglite"), VAULT_DIR: path.join(dir, "vault") } });
    try {
      expect((await run()).stdout).toContain("Seeded demo data.");
      expect((await run("--reset")).stdout).toContain("Seeded demo data into a reset database.");
      const { PGlite } = await import("@electric-sql/pglite");
      const pg = new PGlite(path.join(dir, "pglite"));
      try {
        expect((await pg.query<{ n: number }>("select count(*)::int as n from users")).rows[0]!.n).toBe(4);
        expect((await pg.query<{ n: number }>("select count(*)::int as n from invoices")).rows[0]!.n).toBe(4);
      } finally {
        await pg.close();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
