import { describe, expect, it } from "vitest";
import { contextFor, createTestUser } from "@/test/factories";
import { jobsOverview } from "./queries";

describe("jobs overview", () => {
  it("refuses a plain user", async () => {
    expect(await jobsOverview.run({}, contextFor(await createTestUser()))).toMatchObject({ ok: false, code: "forbidden" });
  });

  it("shows staff every registered job's health; only admins may run one", async () => {
    const bySupport = await jobsOverview.run({}, contextFor(await createTestUser({ role: "support" })));
    expect(bySupport.ok).toBe(true);
    if (!bySupport.ok) return;
    expect(bySupport.data.canRun).toBe(false);
    expect(bySupport.data.jobs.map((j) => j.name)).toContain("notification_delivery");
    expect(bySupport.data.jobs[0]).toMatchObject({ status: expect.any(String), schedule: expect.any(String), expectedIntervalMs: expect.any(Number) });
    expect(Array.isArray(bySupport.data.runs)).toBe(true);
    const byAdmin = await jobsOverview.run({}, contextFor(await createTestUser({ role: "admin" })));
    expect(byAdmin.ok && byAdmin.data.canRun).toBe(true);
  });
});
