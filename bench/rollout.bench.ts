// Time to revert a phased rollout whose cohort fails, in one run. Each round: a fresh release flag with a
// plan, serving its second phase for a few minutes already, whose guarded action then fails for twenty
// calls by a person inside it (through the whole guarded path, as a person's calls are counted). The figure
// is the time from the last failed call's answer to the revert committed, through what the uptime job does:
// flush this instance's counts, read the cohorts, revert, alert, draft. The job runs every minute, so the
// time from a threshold crossing to the revert is at most that schedule plus this figure (goal ≤ 60 s in all:
// one evaluation window).
// On DATABASE_URL when set (Postgres), else an in-memory PGlite.
import { z } from "zod";
import { quantile } from "./lib/timing";
import type { BenchResult } from "./types";

const ROUNDS = 20;
const FAILURES = 20;

export default async function run(): Promise<BenchResult[]> {
  if (!process.env.DATABASE_URL) process.env.PGLITE_DIR = "memory://";
  // Every call here fails on purpose: its error lines are not what is measured. Set on the logger itself: an
  // earlier bench file in this process may have created it, reading LOG_LEVEL then.
  (await import("@/lib/observability")).logger.level = process.env.LOG_LEVEL ?? "fatal";
  const { eq, sql } = await import("drizzle-orm");
  const { getDb } = await import("@/lib/database");
  const { flagRollouts } = await import("@/db/schema");
  const { defineAction } = await import("@/lib/procedures");
  const { saveFlagAction, saveRolloutPlanAction, runRolloutReverts } = await import("@/lib/flags/actions");
  const { currentEnvironment } = await import("@/lib/flags/store");
  const { flushRequestOutcomes } = await import("@/lib/status/outcomes");
  const { contextFor, createTestUser, flagFormInput } = await import("@/test/factories");
  const db = await getDb();
  const admin = contextFor(await createTestUser({ role: "admin" }));
  const person = contextFor(await createTestUser());
  const checkout = defineAction({
    name: "bench.rollout_checkout",
    permission: "self:write",
    input: z.object({}),
    handler: async () => {
      throw new Error("the new release fails");
    },
    audit: { action: "report.submit", target: () => ({ type: "problem_report", id: null }) },
  });

  const took: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const key = `bench_rollout_${round}_${crypto.randomUUID().slice(0, 6)}`;
    // Everyone is inside: both phases serve 100 %, so every call is the cohort's.
    const saved = await saveFlagAction.run(flagFormInput(key, { environment: currentEnvironment(), rollout: "100", reason: "time-to-revert bench" }), admin);
    if (!saved.ok) throw new Error(saved.message);
    const plan = { phases: [{ name: "first", rollout: 100, soakMinutes: 0 }, { name: "second", rollout: 100, soakMinutes: 0 }], guards: [checkout.definition.name] };
    const planned = await saveRolloutPlanAction.run({ key, plan: JSON.stringify(plan), reason: "time-to-revert bench" }, admin);
    if (!planned.ok) throw new Error(planned.message);
    await db.update(flagRollouts).set({ phase: 1, phaseStartedAt: sql`now() - interval '3 minutes'` }).where(eq(flagRollouts.flagKey, key));
    for (let i = 0; i < FAILURES; i++) await checkout.run({}, person);
    const crossed = performance.now();
    await flushRequestOutcomes();
    const reverted = await runRolloutReverts(db, new Date());
    took.push(performance.now() - crossed);
    if (!reverted.includes(key)) throw new Error(`round ${round}: ${key} was not reverted`);
    // This round's rollout is done with: the next round's job run reads only its own.
    await db.delete(flagRollouts).where(eq(flagRollouts.flagKey, key));
  }
  const p50 = quantile(took, 0.5);
  const p99 = quantile(took, 0.99);
  const note = `${ROUNDS} rounds; failures → counts flushed → cohorts read → reverted, alerted, drafted; plus the uptime job's one-minute schedule (goal ≤ 60 s in all)`;
  return [
    { name: "rollout auto-revert: last failure to revert, p50", value: Number(p50.toFixed(1)), unit: "ms", note },
    { name: "rollout auto-revert: last failure to revert, p99", value: Number(p99.toFixed(1)), unit: "ms" },
  ];
}
