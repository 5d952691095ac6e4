import { and, eq } from "drizzle-orm";
import { NextRequest } from "next/server";
import { afterEach, describe, expect, it, vi } from "vitest";
import { getDb } from "@/lib/database";
import { jobRuns, jobState } from "@/db/schema";
import { DependencyDownError } from "@/lib/breakers";
import { isCronAuthorized } from "./cron-auth";
import type { JobDefinition } from "./define";
import { findJob, jobHealth } from "./registry";
import { LOCK_LEASE_MS, maxRuntimeMs, runJob } from "./runner";

const SECRET = vi.hoisted(() => {
  process.env.CRON_SECRET = "test-cron-secret-1234567890";
  return "test-cron-secret-1234567890";
});

afterEach(() => vi.unstubAllEnvs());

function job(name: string): JobDefinition {
  const found = findJob(name);
  if (!found) throw new Error(`no job ${name}`);
  return found;
}

describe("/api/cron/[job]", () => {
  const call = async (headers: Record<string, string>, name = "notification_delivery") => {
    const { GET } = await import("@/app/api/cron/[job]/route");
    return GET(new NextRequest(`http://localhost/api/cron/${name}`, { headers }), { params: Promise.resolve({ job: name }) });
  };

  it.each([
    ["no header", {}],
    ["wrong secret", { authorization: "Bearer wrong-secret-wrong-secret" }],
    ["secret without Bearer", { authorization: SECRET }],
    ["secret with a suffix", { authorization: `Bearer ${SECRET}x` }],
  ])("refuses %s with 401 and runs nothing", async (_, headers) => {
    const db = await getDb();
    const before = await db.select().from(jobRuns).where(eq(jobRuns.job, "notification_delivery"));
    const response = await call(headers);
    expect(response.status).toBe(401);
    expect(await db.select().from(jobRuns).where(eq(jobRuns.job, "notification_delivery"))).toHaveLength(before.length);
  });

  it("runs the job with the right secret and records the run", async () => {
    const response = await call({ authorization: `Bearer ${SECRET}` });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { runId: string; status: string };
    const db = await getDb();
    const [row] = await db.select().from(jobRuns).where(eq(jobRuns.id, body.runId));
    expect(row?.finishedAt).toBeInstanceOf(Date);
  });

  it("404s an unknown job (after auth)", async () => {
    expect((await call({ authorization: `Bearer ${SECRET}` }, "no_such_job")).status).toBe(404);
  });

  it("refuses everyone when no secret is configured", () => {
    expect(isCronAuthorized("Bearer ", undefined)).toBe(false);
    expect(isCronAuthorized("Bearer undefined", undefined)).toBe(false);
    expect(isCronAuthorized(null, "x".repeat(16))).toBe(false);
  });
});

describe("runJob", () => {
  it("records a skipped run when background_jobs is off", async () => {
    vi.stubEnv("FLAG_BACKGROUND_JOBS", "off");
    const run = await runJob(job("notification_delivery"), { trigger: "test" });
    expect(run).toMatchObject({ status: "skipped", error: "kill switch background_jobs is off" });
  });

  it("records a skipped run when the job's own switch is off", async () => {
    vi.stubEnv("FLAG_JOB_NOTIFICATION_DELIVERY", "off");
    const run = await runJob(job("notification_delivery"), { trigger: "test" });
    expect(run).toMatchObject({ status: "skipped", error: "kill switch job_notification_delivery is off" });
  });

  it("overlapping runs: the second is skipped while the first holds the lock", async () => {
    const base = job("notification_delivery");
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const slow = { ...base, run: async () => void (await gate) };
    const first = runJob(slow, { trigger: "test" });
    await vi.waitFor(async () => {
      const db = await getDb();
      const [state] = await db.select().from(jobState).where(eq(jobState.job, base.name));
      expect(state?.lockedBy).toBeTruthy();
    });
    const second = await runJob(slow, { trigger: "test" });
    release();
    expect(second).toMatchObject({ status: "skipped", error: "another run is in progress" });
    expect((await first).status).toBe("succeeded");
  });

  it("retries a failing item a bounded number of times, then counts it failed; resumes from the cursor", async () => {
    const base = job("notification_delivery");
    const attempts: Record<string, number> = {};
    const flaky = {
      ...base,
      maxAttempts: 3,
      run: async (ctx: Parameters<JobDefinition["run"]>[0]) => {
        await ctx.forEachItem(["good", "flaky", "bad"], async (item) => {
          attempts[item] = (attempts[item] ?? 0) + 1;
          if (item === "bad" || (item === "flaky" && attempts[item] < 2)) throw new Error(`${item} broke`);
        });
        return { cursor: `after:${ctx.cursor ?? "start"}` };
      },
    };
    const run = await runJob(flaky, { trigger: "test" });
    expect(attempts).toEqual({ good: 1, flaky: 2, bad: 3 });
    expect(run).toMatchObject({ status: "partial", processed: 2, failed: 1, skipped: 0 });
    const db = await getDb();
    const [state] = await db.select().from(jobState).where(eq(jobState.job, base.name));
    expect(state?.cursor).toMatch(/^after:/);
    expect(state?.lockedBy).toBeNull();
  });

  it("stops the batch when the dependency is down: the rest is skipped for next time", async () => {
    const base = job("notification_delivery");
    const seen: number[] = [];
    const down = {
      ...base,
      run: async (ctx: Parameters<JobDefinition["run"]>[0]) => {
        await ctx.forEachItem([1, 2, 3, 4], async (n) => {
          seen.push(n);
          if (n === 2) throw new DependencyDownError("email", null, "open");
        });
      },
    };
    const run = await runJob(down, { trigger: "test" });
    expect(seen).toEqual([1, 2]);
    // Stopped on purpose, not failed: the rest is still due, and the dead-man's switch does not count it as a success.
    expect(run).toMatchObject({ status: "stopped", processed: 1, skipped: 3 });
    expect(run.error).toContain("email is unavailable");
  });

  it("a run killed mid-way (its lease no longer renewed) is taken over well before its runtime allowance ends", async () => {
    const base = job("notification_delivery");
    const db = await getDb();
    const killedAt = new Date(Date.now() - LOCK_LEASE_MS - 1_000);
    const [dead] = await db
      .insert(jobRuns)
      .values({ job: base.name, trigger: "test", status: "running", startedAt: killedAt, deadlineAt: new Date(killedAt.getTime() + maxRuntimeMs(base)) })
      .returning();
    await db.insert(jobState).values({ job: base.name }).onConflictDoNothing();
    await db.update(jobState).set({ lockedBy: dead!.id, lockedUntil: new Date(killedAt.getTime() + LOCK_LEASE_MS) }).where(eq(jobState.job, base.name));
    const next = await runJob({ ...base, run: async () => {} }, { trigger: "test" });
    expect(next.status).toBe("succeeded");
    const [closed] = await db.select().from(jobRuns).where(eq(jobRuns.id, dead!.id));
    expect(closed).toMatchObject({ status: "failed", error: "timed out: the run never finished" });
  });

  it("a job that throws is recorded as failed with its error", async () => {
    const base = job("notification_delivery");
    const run = await runJob({ ...base, run: () => Promise.reject(new Error("boom")) }, { trigger: "test" });
    expect(run).toMatchObject({ status: "failed", error: "boom" });
  });
});

describe("dead-man's switch", () => {
  it("a job whose last success is older than its interval × tolerance shows as missed", async () => {
    const renewals = job("renewals");
    const run = await runJob({ ...renewals, run: async () => {} }, { trigger: "test" });
    expect(run.status).toBe("succeeded");
    const soon = (await jobHealth(new Date(run.startedAt.getTime() + 30 * 60_000))).find((h) => h.name === "renewals");
    expect(soon?.status).toBe("ok");
    // Hourly schedule, tolerance 1.5: three hours without a success is a missed window.
    const later = (await jobHealth(new Date(run.startedAt.getTime() + 3 * 3_600_000))).find((h) => h.name === "renewals");
    expect(later?.status).toBe("missed");
  });

  it("skipped runs do not count as success", async () => {
    vi.stubEnv("FLAG_JOB_RENEWALS", "off");
    const renewals = job("renewals");
    const skipped = await runJob(renewals, { trigger: "test", now: new Date(Date.now() + 10 * 3_600_000) });
    expect(skipped.status).toBe("skipped");
    const health = (await jobHealth(new Date(Date.now() + 10 * 3_600_000))).find((h) => h.name === "renewals");
    expect(health?.status).toBe("missed");
  });

  it("a run that never finished shows as timed out, and the next run closes it", async () => {
    const db = await getDb();
    const past = new Date(Date.now() - 10 * 60_000);
    const [stuck] = await db
      .insert(jobRuns)
      .values({ job: "notification_delivery", trigger: "test", status: "running", startedAt: past, deadlineAt: new Date(past.getTime() + 60_000) })
      .returning();
    expect((await jobHealth()).find((h) => h.name === "notification_delivery")?.status).toBe("timed_out");
    await runJob({ ...job("notification_delivery"), run: async () => {} }, { trigger: "test" });
    const [closed] = await db.select().from(jobRuns).where(and(eq(jobRuns.id, stuck!.id)));
    expect(closed).toMatchObject({ status: "failed", error: "timed out: the run never finished" });
    expect((await jobHealth()).find((h) => h.name === "notification_delivery")?.status).toBe("ok");
  });
});
