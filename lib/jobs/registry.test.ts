import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { KILL_SWITCHES, PRODUCT_KILL_SWITCHES } from "@/lib/flags";
import { cronIntervalMs } from "./cron";
import { JOB_DECLARATIONS, JOB_NAMES } from "./declarations";
import { findJob, JOBS } from "./registry";

describe("job registry", () => {
  it("vercel.json has exactly one cron per registered job, with the same schedule", () => {
    const vercel = JSON.parse(fs.readFileSync(path.join(process.cwd(), "vercel.json"), "utf8")) as { crons: { path: string; schedule: string }[] };
    const fromVercel = vercel.crons.map((c) => `${c.path} ${c.schedule}`).sort();
    const fromRegistry = JOBS.map((j) => `/api/cron/${j.name} ${j.schedule}`).sort();
    expect(fromVercel).toEqual(fromRegistry);
  });

  it("lists every declared job once, under its own name", () => {
    expect(JOBS.map((j) => j.name)).toEqual(JOB_NAMES);
    for (const name of JOB_NAMES) {
      expect(findJob(name)?.name).toBe(name);
      expect(findJob(name)?.schedule).toBe(JOB_DECLARATIONS[name].schedule);
    }
    expect(findJob("no_such_job")).toBeUndefined();
    expect(findJob("constructor")).toBeUndefined();
  });

  it("a job is paused only by declared product kill switches, and only the uptime monitor watches while jobs are paused", () => {
    for (const job of JOBS) for (const product of job.pausedBy) expect(Object.keys(PRODUCT_KILL_SWITCHES), job.name).toContain(product);
    expect(JOBS.filter((j) => j.watchesWhilePaused).map((j) => j.name)).toEqual(["uptime_check"]);
  });

  it("every job fits its time budget inside the function timeout and has a sane name and schedule", () => {
    for (const job of JOBS) {
      expect(job.name).toMatch(/^[a-z][a-z0-9_]*$/);
      expect(job.timeBudgetMs, job.name).toBeLessThan(60_000);
      expect(cronIntervalMs(job.schedule), job.name).toBeGreaterThan(0);
    }
  });

  it("every job's kill switch is known to the flags capability, as job_<name> with the job's declared safe behaviour", () => {
    for (const job of JOBS) {
      expect(job.killSwitch).toBe(`job_${job.name}`);
      expect(KILL_SWITCHES[job.killSwitch]).toMatchObject(JOB_DECLARATIONS[job.name].killSwitch);
    }
  });

  it("every job names a runbook that exists", () => {
    const missing = JOBS.filter((job) => !fs.existsSync(path.join(process.cwd(), "runbooks", `${job.runbook}.md`))).map((job) => `${job.name} → ${job.runbook}`);
    expect(missing).toEqual([]);
  });

  it("cron intervals are read correctly", () => {
    expect(cronIntervalMs("0 * * * *")).toBe(3_600_000);
    expect(cronIntervalMs("*/10 * * * *")).toBe(600_000);
    expect(cronIntervalMs("30 3 * * *")).toBe(86_400_000);
    expect(cronIntervalMs("0 3 * * 1")).toBe(7 * 86_400_000);
    expect(() => cronIntervalMs("61 * * * *")).toThrow();
    expect(() => cronIntervalMs("* * *")).toThrow();
  });
});
