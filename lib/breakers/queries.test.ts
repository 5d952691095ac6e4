import { afterAll, describe, expect, it } from "vitest";
import { setFaults } from "@/lib/providers";
import { contextFor, createTestUser } from "@/test/factories";
import { breakersOverview } from "./queries";

// Faults live in the shared database: leave the payments provider healthy for the files that run after this one.
afterAll(() => setFaults("payments", { failPercent: 0, timeoutPercent: 0, latencyMs: 0 }));

describe("breakers overview", () => {
  it("refuses a plain user", async () => {
    expect(await breakersOverview.run({}, contextFor(await createTestUser()))).toMatchObject({ ok: false, code: "forbidden" });
  });

  it("shows support every breaker read-only, without the fault panel", async () => {
    const result = await breakersOverview.run({}, contextFor(await createTestUser({ role: "support" })));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.data.canWrite).toBe(false);
    expect(result.data.faultPanel).toBeNull();
    expect(result.data.breakers.map((b) => b.name).sort()).toEqual(["email", "pagerduty", "payments", "slack"]);
    expect(result.data.breakers[0]).toHaveProperty("transitions");
    expect(Array.isArray(result.data.limiter)).toBe(true);
  });

  it("gives admins outside production the fault panel with the saved faults and call counts", async () => {
    await setFaults("payments", { failPercent: 40, timeoutPercent: 5, latencyMs: 100 });
    const result = await breakersOverview.run({}, contextFor(await createTestUser({ role: "admin" })));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.data.canWrite).toBe(true);
    expect(result.data.faultPanel).toEqual([
      { provider: "payments", calls: expect.any(Number), faults: { failPercent: 40, timeoutPercent: 5, latencyMs: 100 } },
      { provider: "email", calls: expect.any(Number), faults: { failPercent: 0, timeoutPercent: 0, latencyMs: 0 } },
    ]);
  });
});
