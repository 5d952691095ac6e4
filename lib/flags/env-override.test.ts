import { and, eq } from "drizzle-orm";
import { afterAll, describe, expect, it, vi } from "vitest";
import { getDb } from "@/lib/database";
import { auditEvents } from "@/db/schema";
import { contextFor, createTestUser } from "@/test/factories";
import { flagDetail, flagsOverview } from "./queries";
import { invalidateFlagSnapshot, refreshFlagSnapshot } from "./store";

afterAll(() => vi.unstubAllEnvs());

async function overrideEvents() {
  const db = await getDb();
  return db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.action, "flag.env_override"), eq(auditEvents.targetId, "exports")));
}

describe("an environment override (FLAG_X=off)", () => {
  it("is recorded in the audit log once per process, shown on /admin/flags, and applied by the replay", async () => {
    const before = new Date(Date.now() - 60_000);
    vi.stubEnv("FLAG_EXPORTS", "off");
    invalidateFlagSnapshot();
    await refreshFlagSnapshot();
    invalidateFlagSnapshot();
    await refreshFlagSnapshot();
    const events = await overrideEvents();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ actorType: "system", targetType: "flag", outcome: "success", metadata: { variable: "FLAG_EXPORTS", value: "off" } });

    const admin = await createTestUser({ role: "admin" });
    const overview = await flagsOverview.run({}, contextFor(admin));
    if (!overview.ok) throw new Error(overview.message);
    expect(overview.data.killSwitches.find((s) => s.key === "exports")).toMatchObject({ on: false, environmentOverride: "FLAG_EXPORTS=off" });

    await new Promise((r) => setTimeout(r, 5));
    const replay = async (at: Date) => {
      const detail = await flagDetail.run({ key: "exports", replayEmail: admin.email, replayAt: at.toISOString() }, contextFor(admin));
      if (!detail.ok || !detail.data.replay || !("evaluation" in detail.data.replay)) throw new Error("no replay");
      return detail.data.replay.evaluation;
    };
    expect(await replay(new Date())).toMatchObject({ value: false, reason: "override" });
    expect(await replay(before)).toMatchObject({ value: true });
  });
});
