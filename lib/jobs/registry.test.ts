import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { cronIntervalMs } from "./cron";
import { loadJobs } from "./runner";

describe("job registry", () => {
  it("vercel.json has exactly one cron per registered job, with the same schedule", async () => {
    const vercel = JSON.parse(fs.readFileSync(path.join(process.cwd(), "vercel.json"), "utf8")) as { crons: { path: string; schedule: string }[] };
    const fromVercel = vercel.crons.map((c) => `${c.path} ${c.schedule}`).sort();
    const fromRegistry = (await loadJobs()).map((j) => `/api/cron/${j.name} ${j.schedule}`).sort();
    expect(fromVercel).toEqual(fromRegistry);
  });

  it("every job fits its time budget inside the function timeout and has a sane schedule", async () => {
    for (const job of await loadJobs()) {
      expect(job.timeBudgetMs, job.name).toBeLessThan(60_000);
      expect(cronIntervalMs(job.schedule), job.name).toBeGreaterThan(0);
    }
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
