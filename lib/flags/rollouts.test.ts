import { and, desc, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { auditEvents, flagRollouts, flags, incidents, incidentUpdates } from "@/db/schema";
import { listOpenAlerts } from "@/lib/alerts";
import { getDb } from "@/lib/database";
import { defineAction } from "@/lib/procedures";
import { flushRequestOutcomes } from "@/lib/status/outcomes";
import { contextFor, createTestUser, flagFormInput } from "@/test/factories";
import { advanceRolloutAction, decideChangeAction, runRolloutReverts, saveFlagAction, saveRolloutPlanAction } from "./actions";
import { DEFAULT_THRESHOLDS, phaseState, revertReason, rolloutPlanSchema } from "./rollouts";
import { currentEnvironment } from "./store";
import { rolloutCohorts } from "./runtime";

describe("rollout plans (pure)", () => {
  const phases = [
    { name: "staff", segment: "internal_staff", rollout: 0, soakMinutes: 60 },
    { name: "beta", segment: "beta_users", rollout: 0, soakMinutes: 60 },
    { name: "quarter", rollout: 25, soakMinutes: 60 },
    { name: "everyone", rollout: 100, soakMinutes: 0 },
  ];

  it("a phase serves the segments of every phase up to it plus its own percentage, keeping pinned targets; before the first, the flag is off", () => {
    const base = { enabled: true, reenableAt: null, targets: [{ variant: "on", ids: ["qa@example.com"] }], rules: [], rollout: 0 };
    expect(phaseState(phases, 2, base)).toEqual({
      enabled: true,
      reenableAt: null,
      targets: base.targets,
      rules: [
        { segment: "internal_staff", variant: "on" },
        { segment: "beta_users", variant: "on" },
      ],
      rollout: 25,
    });
    expect(phaseState(phases, -1, base)).toMatchObject({ enabled: false });
  });

  it("refuses plans that shrink between phases or reach nobody", () => {
    expect(rolloutPlanSchema.safeParse({ phases }).success).toBe(true);
    expect(rolloutPlanSchema.safeParse({ phases: [phases[2], { name: "less", rollout: 10, soakMinutes: 0 }] }).success).toBe(false);
    expect(rolloutPlanSchema.safeParse({ phases: [{ name: "nobody", rollout: 0, soakMinutes: 0 }] }).success).toBe(false);
  });

  it("reverts over 5 % in the short window at once, and at 2 % only once it has held for the sustained window", () => {
    const t = { ...DEFAULT_THRESHOLDS, minCalls: 20 };
    expect(revertReason(t, { total: 40, errors: 3 }, { total: 40, errors: 3 }, 1)).toMatchObject({ rule: "fast", reason: expect.stringContaining("revert threshold") });
    expect(revertReason(t, { total: 40, errors: 2 }, { total: 40, errors: 2 }, 1)).toBeNull();
    expect(revertReason(t, { total: 40, errors: 2 }, { total: 100, errors: 4 }, 15)).toMatchObject({ rule: "sustained", reason: expect.stringContaining("sustained") });
    // The same rate seen only in the last few minutes has not been held for the long window.
    expect(revertReason(t, { total: 40, errors: 2 }, { total: 40, errors: 2 }, 15)).toBeNull();
    expect(revertReason(t, { total: 40, errors: 2 }, { total: 100, errors: 2 }, 15)).toBeNull();
    expect(revertReason(t, { total: 10, errors: 10 }, { total: 10, errors: 10 }, 30)).toBeNull();
  });
});

// A guarded action the flag's cohort calls: it fails the way a bad release does, for whoever the test says.
const checkout = defineAction({
  name: `test.rollout_checkout_${crypto.randomUUID().slice(0, 6)}`,
  permission: "self:write",
  input: z.object({ fail: z.boolean() }),
  handler: async ({ input }) => {
    if (input.fail) throw new Error("deliberate failure of the new release");
    return { fine: true };
  },
  audit: { action: "report.submit", target: () => ({ type: "problem_report", id: null }) },
});

it(
  "a release flag rolls through its phases by four-eyes advances held by failing gates, and reverts itself when its cohort fails: audited, alerted, an incident drafted",
  { timeout: 120_000 },
  async () => {
    const db = await getDb();
    const environment = currentEnvironment();
    const [admin, second] = [await createTestUser({ role: "admin" }), await createTestUser({ role: "admin" })];
    const key = `ro_${crypto.randomUUID().slice(0, 8)}`;
    expect((await saveFlagAction.run(flagFormInput(key, { reason: "rollout test", environment, enabled: "off" }), contextFor(admin))).ok).toBe(true);
    const plan = {
      phases: [
        { name: "a quarter", rollout: 25, soakMinutes: 0 },
        { name: "half", rollout: 50, soakMinutes: 30 },
        { name: "everyone", rollout: 100, soakMinutes: 0 },
      ],
      guards: [checkout.definition.name],
      thresholds: { ...DEFAULT_THRESHOLDS, minCalls: 20 },
    };
    expect(await saveRolloutPlanAction.run({ key, plan: JSON.stringify(plan), reason: "ship it in phases" }, contextFor(admin))).toMatchObject({ ok: true });

    const advance = async () => advanceRolloutAction.run({ key, reason: "next phase" }, contextFor(admin));
    const approve = async (requestId: string, by = second) => decideChangeAction.run({ requestId, decision: "approve", reason: "gates look fine" }, contextFor(by));
    const state = async () => (await db.select().from(flags).where(eq(flags.key, key)))[0]!.environments[environment];
    const phase = async () => (await db.select().from(flagRollouts).where(eq(flagRollouts.flagKey, key)))[0]!;

    // Phase 1: asked for by one admin with the gates' results, applied only by another.
    const first = await advance();
    expect(first).toMatchObject({ ok: true, data: { phase: 0, gates: expect.arrayContaining([expect.objectContaining({ gate: "incidents", ok: true })]) } });
    const firstId = first.ok ? first.data.pendingApproval : "";
    expect(await state()).toMatchObject({ enabled: false });
    expect(await approve(firstId, admin)).toMatchObject({ ok: false, code: "forbidden" });
    expect(await approve(firstId)).toMatchObject({ ok: true });
    expect(await state()).toMatchObject({ enabled: true, rollout: 25 });

    // Phase 2 (no soak asked of phase 1), then phase 3 is held: phase 2 has not soaked its 30 minutes.
    const secondPhase = await advance();
    expect(await approve(secondPhase.ok ? secondPhase.data.pendingApproval : "")).toMatchObject({ ok: true });
    expect(await state()).toMatchObject({ enabled: true, rollout: 50 });
    const held = await advance();
    expect(held).toMatchObject({ ok: false, code: "conflict" });
    expect(held.ok ? "" : held.message).toContain("half has soaked 0 of 30 min");

    // The cohort: one person inside the flag, one outside (the outcome counter tells them apart the same way).
    const users = [];
    let inside, outside;
    while (!inside || !outside) {
      const user = await createTestUser();
      users.push(user);
      const [cohort] = rolloutCohorts(checkout.definition.name, user);
      if (cohort?.inside) inside ??= user;
      else if (cohort) outside ??= user;
    }
    // The phase went out 40 minutes ago (it has soaked), and its cohort has been failing a little: 1 call in 20, nobody else.
    await db.update(flagRollouts).set({ phaseStartedAt: new Date(Date.now() - 40 * 60_000) }).where(eq(flagRollouts.flagKey, key));
    const calls = async (user: typeof inside, ok: number, failing: number) => {
      for (let i = 0; i < ok; i++) expect((await checkout.run({ fail: false }, contextFor(user!))).ok).toBe(true);
      for (let i = 0; i < failing; i++) expect(await checkout.run({ fail: true }, contextFor(user!))).toMatchObject({ ok: false, code: "internal" });
    };
    await calls(inside, 19, 1);
    await calls(outside, 20, 0);
    await flushRequestOutcomes();
    // 5 % is not over the 5 % revert threshold, and the sustained 2 % has not been held for 15 minutes: no revert yet, but
    // the cohort gate holds the rollout.
    expect(await runRolloutReverts(db, new Date())).toEqual([]);
    const gated = await advance();
    expect(gated.ok ? "" : gated.message).toContain("cohort errors: Guarded calls failing inside the flag 1/20 (5.0 %), outside 0/20 (0.0 %)");

    // The release breaks for its cohort: 6 failures in 40 calls. The next minute's check reverts to the previous phase at once.
    await calls(inside, 15, 5);
    await flushRequestOutcomes();
    expect(await runRolloutReverts(db, new Date())).toEqual([key]);
    expect(await state()).toMatchObject({ enabled: true, rollout: 25 });
    expect(await phase()).toMatchObject({ phase: 0, revertReason: expect.stringContaining("6 of 40 guarded calls (15.0 %) failed for the flagged cohort") });

    const [event] = await db.select().from(auditEvents).where(and(eq(auditEvents.targetId, key), eq(auditEvents.action, "flag.update"))).orderBy(desc(auditEvents.id)).limit(1);
    expect(event).toMatchObject({ actorType: "system", actorId: "cron:auto-revert", outcome: "success" });
    expect(event!.metadata).toMatchObject({ autoRevert: true, rollout: { from: "half", to: "a quarter" }, after: { environment: { rollout: 25 } } });
    const [alert] = (await listOpenAlerts(db)).filter((a) => a.dedupKey === `rollout_reverted:${key}`);
    expect(alert).toMatchObject({ severity: "page", runbook: "rollback", title: `Release ${key} reverted itself from half to a quarter` });
    const [draft] = await db.select().from(incidents).where(eq(incidents.sourceKey, `rollout_reverted:${key}`));
    expect(draft).toMatchObject({ status: "draft", runbook: "rollback" });
    const [update] = await db.select().from(incidentUpdates).where(eq(incidentUpdates.incidentId, draft!.id));
    expect(update!.body).toContain("Evidence: 6 of 40 guarded calls");

    // The failures that caused the revert are not counted again against the phase it went back to.
    expect(await runRolloutReverts(db, new Date())).toEqual([]);
    expect(await phase()).toMatchObject({ phase: 0 });
  },
);
