import { and, eq, gte } from "drizzle-orm";
import { expect, it } from "vitest";
import { auditEvents, flags, statusChecks } from "@/db/schema";
import { listOpenAlerts } from "@/lib/alerts";
import { reconcileDerivedAlerts } from "@/lib/alerts/conditions";
import { getDb } from "@/lib/database";
import { contextFor, createTestUser, flagFormInput } from "@/test/factories";
import { decideChangeAction, saveFlagAction } from "./actions";

const input = (key: string, over: Record<string, string> = {}) => flagFormInput(key, { reason: "budget freeze test", ...over });

/** Ten minutes of the web app down, ending now: far more than a 99.9 % budget allows. */
async function exhaustWebBudget(): Promise<Date> {
  const db = await getDb();
  const now = Date.now() - (Date.now() % 60_000);
  const from = new Date(now - 10 * 60_000);
  await db
    .insert(statusChecks)
    .values(Array.from({ length: 10 }, (_, i) => ({ minute: new Date(from.getTime() + i * 60_000), component: "web", state: "major_outage" })))
    .onConflictDoUpdate({ target: [statusChecks.minute, statusChecks.component], set: { state: "major_outage" } });
  return from;
}

// An exhausted budget freezes the whole deployment's releases: this file's database is its own in both phases.
it(
  "an exhausted error budget freezes production widenings until an admin overrides it, audited; narrowing and other environments stay free",
  async () => {
    const db = await getDb();
    const [admin, second] = [await createTestUser({ role: "admin" }), await createTestUser({ role: "admin" })];
    const key = `bf_${crypto.randomUUID().slice(0, 8)}`;
    const other = `bf_${crypto.randomUUID().slice(0, 8)}`;
    // Before the freeze: one flag already half-way out in production (a second admin approved it).
    expect((await saveFlagAction.run(input(key), contextFor(admin))).ok).toBe(true);
    const half = await saveFlagAction.run(input(key, { revision: "1", rollout: "50" }), contextFor(admin));
    expect(await decideChangeAction.run({ requestId: half.ok ? half.data.pendingApproval! : "", decision: "approve", reason: "half-way" }, contextFor(second))).toMatchObject({ ok: true });

    // And a widening asked for before the freeze, still waiting for its second admin.
    const queued = `bf_${crypto.randomUUID().slice(0, 8)}`;
    expect((await saveFlagAction.run(input(queued), contextFor(admin))).ok).toBe(true);
    const waiting = await saveFlagAction.run(input(queued, { revision: "1", rollout: "10" }), contextFor(admin));
    expect(waiting).toMatchObject({ ok: true, data: { pendingApproval: expect.any(String) } });

    const from = await exhaustWebBudget();
    await reconcileDerivedAlerts(db);
    expect((await listOpenAlerts(db, ["budget_exhausted"])).map((a) => a.dedupKey)).toContain("budget_exhausted:web_availability");

    // Widening in production is refused, saying which budget and how to proceed.
    const wider = await saveFlagAction.run(input(key, { revision: "2", rollout: "75" }), contextFor(admin));
    expect(wider).toMatchObject({ ok: false, code: "conflict", fieldErrors: { overrideFreeze: expect.any(String) } });
    expect(wider.ok ? "" : wider.message).toContain("Web app availability");
    // Approving is applying: the request from before the freeze is checked again and held.
    expect(await decideChangeAction.run({ requestId: waiting.ok ? waiting.data.pendingApproval! : "", decision: "approve", reason: "looks fine" }, contextFor(second))).toMatchObject({
      ok: false,
      code: "conflict",
    });
    // A new production release that nobody sees yet is not a widening; giving it a target is.
    expect((await saveFlagAction.run(input(other), contextFor(admin))).ok).toBe(true);
    expect(await saveFlagAction.run(input(other, { revision: "1", targets: JSON.stringify([{ variant: "on", ids: ["someone@example.com"] }]) }), contextFor(admin))).toMatchObject({
      ok: false,
      code: "conflict",
    });
    // Rolling back is what the policy wants: narrowing is not refused (it waits for its second admin as before), and
    // turning off applies at once.
    expect(await saveFlagAction.run(input(key, { revision: "2", rollout: "25" }), contextFor(admin))).toMatchObject({ ok: true, data: { pendingApproval: expect.any(String) } });
    expect(await saveFlagAction.run(input(key, { revision: "2", rollout: "50", enabled: "off" }), contextFor(admin))).toMatchObject({ ok: true, data: { pendingApproval: null } });
    // Other environments are not under the production budget.
    expect((await saveFlagAction.run(input(key, { revision: "3", environment: "development", rollout: "100" }), contextFor(admin))).ok).toBe(true);

    // The explicit override: the change still needs its second admin, and both steps record what was overridden.
    const overridden = await saveFlagAction.run(input(key, { revision: "4", rollout: "75", overrideFreeze: "on", reason: "fix for the outage itself" }), contextFor(admin));
    expect(overridden).toMatchObject({ ok: true, data: { pendingApproval: expect.any(String) } });
    const requestId = overridden.ok ? overridden.data.pendingApproval! : "";
    expect(await decideChangeAction.run({ requestId, decision: "approve", reason: "the fix" }, contextFor(second))).toMatchObject({ ok: true });
    const [row] = await db.select().from(flags).where(eq(flags.key, key));
    expect(row!.environments.production).toMatchObject({ enabled: true, rollout: 75 });
    const events = await db.select().from(auditEvents).where(and(eq(auditEvents.targetType, "flag"), eq(auditEvents.targetId, key)));
    expect(events.filter((e) => e.metadata.freezeOverridden !== undefined).map((e) => [e.action, e.metadata.freezeOverridden])).toEqual([
      ["flag.update", ["web_availability"]],
      ["flag.change_decided", ["web_availability"]],
    ]);

    // The budget back in credit (the outage minutes gone from the window): the freeze lifts by itself.
    await db.delete(statusChecks).where(and(eq(statusChecks.component, "web"), gte(statusChecks.minute, from)));
    await reconcileDerivedAlerts(db);
    expect(await listOpenAlerts(db, ["budget_exhausted"])).toEqual([]);
    expect(await saveFlagAction.run(input(key, { revision: "5", rollout: "90" }), contextFor(admin))).toMatchObject({ ok: true, data: { pendingApproval: expect.any(String) } });
  },
);
