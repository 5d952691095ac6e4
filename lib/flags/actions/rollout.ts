import "server-only";
import { eq } from "drizzle-orm";
import { z } from "zod";
import { flagChangeRequests, flagRollouts, flags, flagSegments, type FlagRolloutRow, type FlagRow } from "@/db/schema";
import { budgetFreeze, raiseAlert, resolveAlert } from "@/lib/alerts";
import { actorLabel, actorOf } from "@/lib/audit";
import type { Db, Executor, Tx } from "@/lib/database";
import { logger } from "@/lib/observability";
import { ActionFailure, defineAction, systemContext } from "@/lib/procedures";
import { burningSlos, cohortOutcomes, draftIncident, listOpenIncidents, outstandingGaBlocking } from "@/lib/status";
import { flagKeySchema } from "../model";
import { errorRate, phaseState, revertReason, rolloutPlanSchema, type Gate, type RolloutPlan } from "../rollouts";
import { bumpConfigVersion, currentEnvironment } from "../store";
import { definitionOf, jsonText, reasonSchema, reloadHere } from "./shared";

/**
 * Phased rollouts of release flags: a plan is saved as data, each next phase
 * is asked for by one admin and applied by a second (flags.decide_change)
 * only while its go/no-go gates pass, and the uptime job reverts a phase
 * whose flagged cohort fails (runRolloutReverts).
 */
const MINUTE = 60_000;
/** Minutes are counted whole: a phase is judged from the first minute that started after it did. */
const nextMinute = (at: Date) => new Date(Math.ceil(at.getTime() / MINUTE) * MINUTE);
const later = (a: Date, b: Date) => (a > b ? a : b);

/** The flag's state in the serving environment as phase `phase` of `plan`, written with the plan, the config version bumped. */
async function writePhase(tx: Tx, flag: FlagRow, plan: FlagRolloutRow, phase: number, who: string, now: Date, revert: string | null) {
  const environment = currentEnvironment();
  const before = flag.environments[environment] ?? null;
  const after = phaseState(plan.phases, phase, before ?? undefined);
  const environments = { ...flag.environments, [environment]: after };
  await tx.update(flags).set({ environments, revision: flag.revision + 1, updatedBy: who, updatedAt: now }).where(eq(flags.key, flag.key));
  await tx
    .update(flagRollouts)
    .set({ phase, phaseStartedAt: now, updatedBy: who, updatedAt: now, ...(revert ? { revertedAt: now, revertReason: revert } : { revertedAt: null, revertReason: null }) })
    .where(eq(flagRollouts.flagKey, flag.key));
  const version = await bumpConfigVersion(tx);
  return { environment, before, after, definition: definitionOf(flag, environments), version };
}

/** The go/no-go gates for moving `plan` to phase `next`, from the app's own signals. */
export async function rolloutGates(db: Executor, plan: FlagRolloutRow, next: number, now: Date): Promise<Gate[]> {
  const gates: Gate[] = [];
  const current = plan.phases[plan.phase];
  if (!current || !plan.phaseStartedAt) {
    gates.push({ gate: "soak", ok: true, detail: "First phase: nothing to soak yet." });
    gates.push({ gate: "cohort_errors", ok: true, detail: "First phase: no cohort yet." });
  } else {
    const soaked = Math.floor((now.getTime() - plan.phaseStartedAt.getTime()) / MINUTE);
    gates.push({ gate: "soak", ok: soaked >= current.soakMinutes, detail: `${current.name} has soaked ${soaked} of ${current.soakMinutes} min.` });
    const { inside, outside } = await cohortOutcomes(db, plan.flagKey, later(nextMinute(plan.phaseStartedAt), new Date(now.getTime() - 60 * MINUTE)), now);
    const pct = (c: { total: number; errors: number }) => `${c.errors}/${c.total} (${(errorRate(c) * 100).toFixed(1)} %)`;
    const ok = errorRate(inside) < plan.thresholds.sustainedErrorRate || errorRate(inside) <= errorRate(outside);
    gates.push({ gate: "cohort_errors", ok, detail: `Guarded calls failing inside the flag ${pct(inside)}, outside ${pct(outside)}.` });
  }
  const burning = await burningSlos(db, now);
  const frozen = await budgetFreeze(db);
  gates.push({
    gate: "burn_rate",
    ok: burning.length === 0 && frozen.length === 0,
    detail: burning.length + frozen.length === 0 ? "No SLO is burning its error budget." : `Burning or exhausted: ${[...burning.map((b) => b.title), ...frozen.map((f) => f.title)].join("; ")}.`,
  });
  const serious = (await listOpenIncidents(db)).filter((i) => i.status !== "draft" && (i.severity === "P0" || i.severity === "P1"));
  gates.push({ gate: "incidents", ok: serious.length === 0, detail: serious.length === 0 ? "No open P0 or P1 incident." : `Open: ${serious.map((i) => `${i.severity} ${i.title}`).join("; ")}.` });
  if (next === plan.phases.length - 1 || plan.phases[next]!.rollout >= 100) {
    const outstanding = await outstandingGaBlocking(db, now);
    gates.push({ gate: "readiness", ok: outstanding.length === 0, detail: outstanding.length === 0 ? "Every GA-blocking readiness item is signed off." : `Not signed off: ${outstanding.map((a) => a.title).join("; ")}.` });
  }
  return gates;
}

function refuseFailingGates(gates: Gate[]): void {
  const failing = gates.filter((g) => !g.ok);
  if (failing.length === 0) return;
  throw new ActionFailure("conflict", `The rollout is held: ${failing.map((g) => `${g.gate.replace("_", " ")}: ${g.detail}`).join(" ")}`);
}

async function lockedPlan(tx: Tx, key: string): Promise<{ flag: FlagRow; plan: FlagRolloutRow }> {
  const [flag] = await tx.select().from(flags).where(eq(flags.key, key)).for("update");
  if (!flag) throw new ActionFailure("not_found", "That flag doesn't exist.");
  const [plan] = await tx.select().from(flagRollouts).where(eq(flagRollouts.flagKey, key)).for("update");
  if (!plan) throw new ActionFailure("not_found", "That flag has no rollout plan.");
  return { flag, plan };
}

// A plan is data an admin saves; it changes who sees nothing until a phase is applied. Phases already served stay as they were.
export const saveRolloutPlanAction = defineAction({
  name: "flags.save_rollout_plan",
  permission: "admin:write",
  input: z.object({ key: flagKeySchema, plan: jsonText(rolloutPlanSchema, "Plan"), reason: reasonSchema }),
  handler: async ({ tx, request, input }) => {
    const [flag] = await tx.select().from(flags).where(eq(flags.key, input.key)).for("update");
    if (!flag) throw new ActionFailure("not_found", "That flag doesn't exist.");
    if (flag.kind !== "release" || flag.valueType !== "boolean") throw new ActionFailure("conflict", "Rollout plans are for boolean release flags.");
    const known = new Set((await tx.select({ key: flagSegments.key }).from(flagSegments)).map((s) => s.key));
    const unknown = input.plan.phases.find((p) => p.segment && !known.has(p.segment));
    if (unknown) throw new ActionFailure("invalid_input", `Phase "${unknown.name}" names unknown segment "${unknown.segment}".`, { fieldErrors: { plan: `Unknown segment "${unknown.segment}".` } });
    const [existing] = await tx.select().from(flagRollouts).where(eq(flagRollouts.flagKey, input.key)).for("update");
    const served = existing ? existing.phases.slice(0, existing.phase + 1) : [];
    if (JSON.stringify(served) !== JSON.stringify(input.plan.phases.slice(0, served.length))) {
      throw new ActionFailure("conflict", "Phases already served can't change; change the phases after the current one, or roll back first.", { fieldErrors: { plan: "Keep the served phases as they are." } });
    }
    const who = actorLabel(actorOf(request));
    const values = { phases: input.plan.phases, guards: input.plan.guards, thresholds: input.plan.thresholds, updatedBy: who, updatedAt: new Date() };
    if (existing) await tx.update(flagRollouts).set(values).where(eq(flagRollouts.flagKey, input.key));
    else await tx.insert(flagRollouts).values({ flagKey: input.key, ...values });
    // The guards ride in the flag snapshot (the outcome counter reads them), so instances reload.
    const version = await bumpConfigVersion(tx);
    return { key: input.key, phase: existing?.phase ?? -1, version };
  },
  afterCommit: reloadHere,
  audit: {
    action: "flag.rollout_plan",
    target: ({ input }) => ({ type: "flag", id: input.key }),
    metadata: ({ input, data }) => ({ reason: input.reason, plan: input.plan, phase: data?.phase, configVersion: data?.version }),
  },
});

// The next phase, asked for with the gates' results; a second admin applies it (flags.decide_change), the gates checked again then.
export const advanceRolloutAction = defineAction({
  name: "flags.advance_rollout",
  permission: "admin:write",
  input: z.object({ key: flagKeySchema, reason: reasonSchema }),
  handler: async ({ tx, request, input }) => {
    const { flag, plan } = await lockedPlan(tx, input.key);
    const next = plan.phase + 1;
    if (next >= plan.phases.length) throw new ActionFailure("conflict", "The rollout is already at its last phase.");
    const gates = await rolloutGates(tx, plan, next, new Date());
    refuseFailingGates(gates);
    const [pending] = await tx
      .insert(flagChangeRequests)
      .values({
        flagKey: input.key,
        kind: "approval",
        environment: currentEnvironment(),
        payload: { change: "rollout_phase", phase: next, from: plan.phase, revision: flag.revision },
        reason: input.reason,
        requestedBy: actorLabel(actorOf(request)),
      })
      .returning({ id: flagChangeRequests.id });
    return { key: input.key, phase: next, name: plan.phases[next]!.name, gates, pendingApproval: pending!.id };
  },
  audit: {
    action: "flag.rollout_advance",
    target: ({ input }) => ({ type: "flag", id: input.key }),
    metadata: ({ input, data }) => ({ reason: input.reason, phase: data?.phase, name: data?.name, gates: data?.gates, pendingApproval: data?.pendingApproval }),
  },
});

export type RolloutPhasePayload = { change: "rollout_phase"; phase: number; from: number; revision: number };

/** Applies an approved phase (inside flags.decide_change): only over the state it was asked for, and only while the gates still pass. */
export async function applyRolloutPhase(tx: Tx, key: string, payload: RolloutPhasePayload, requestedBy: string) {
  const { flag, plan } = await lockedPlan(tx, key);
  if (plan.phase !== payload.from || flag.revision !== payload.revision) throw new ActionFailure("conflict", "The flag or its rollout changed since this phase was asked for; ask again.");
  const now = new Date();
  refuseFailingGates(await rolloutGates(tx, plan, payload.phase, now));
  const written = await writePhase(tx, flag, plan, payload.phase, requestedBy, now, null);
  // A person has looked at the rollout again: an earlier automatic revert's alert is done with.
  await resolveAlert(tx, revertAlertKey(key), now);
  return written;
}

const revertAlertKey = (key: string) => `rollout_reverted:${key}`;
export const AUTO_REVERT_PRINCIPAL = "cron:auto-revert" as const;

// Narrowing never waits for anyone: the phase a failing cohort is in goes back one, as the auto-revert principal.
export const revertRolloutAction = defineAction({
  name: "flags.auto_revert_rollout",
  permission: "system",
  input: z.object({ key: flagKeySchema, fromPhase: z.number().int().min(0), reason: z.string().min(1).max(500) }),
  handler: async ({ tx, request, input }) => {
    const { flag, plan } = await lockedPlan(tx, input.key);
    // Another instance's run got here first.
    if (plan.phase !== input.fromPhase) return { key: input.key, changed: false as const };
    const written = await writePhase(tx, flag, plan, plan.phase - 1, actorLabel(actorOf(request)), new Date(), input.reason);
    return { key: input.key, changed: true as const, from: plan.phases[plan.phase]!.name, to: plan.phases[plan.phase - 1]?.name ?? "off", ...written };
  },
  afterCommit: reloadHere,
  audit: {
    action: "flag.update",
    target: ({ input }) => ({ type: "flag", id: input.key }),
    metadata: ({ input, data }) =>
      data?.changed
        ? { reason: input.reason, autoRevert: true, environment: data.environment, rollout: { from: data.from, to: data.to }, before: { environment: data.before }, after: { environment: data.after }, definition: data.definition, configVersion: data.version }
        : { reason: input.reason, autoRevert: true, changed: false },
  },
});

/**
 * Checks every started rollout once (the uptime job, every minute) and
 * reverts each whose flagged cohort fails: over the revert threshold in the
 * short window, or at the sustained threshold for its longer window. Each
 * revert raises an alert (page for the short window, ticket for the
 * sustained one) and drafts an incident with the evidence. Returns the flags
 * it reverted.
 */
export async function runRolloutReverts(db: Db, now: Date): Promise<string[]> {
  const reverted: string[] = [];
  const started = (await db.select().from(flagRollouts)).filter((p) => p.phase >= 0 && p.phaseStartedAt);
  for (const plan of started) {
    const since = nextMinute(plan.phaseStartedAt!);
    const t = plan.thresholds;
    const recent = await cohortOutcomes(db, plan.flagKey, later(since, new Date(now.getTime() - t.revertWindowMinutes * MINUTE)), now);
    const sustained = await cohortOutcomes(db, plan.flagKey, later(since, new Date(now.getTime() - t.sustainedMinutes * MINUTE)), now);
    const revert = revertReason(t, recent.inside, sustained.inside, (now.getTime() - since.getTime()) / MINUTE);
    if (!revert) continue;
    const { rule, reason } = revert;
    // INCIDENT: a release in a phased rollout fails for the people it was turned on for.
    // FAILURE MODE: the flag goes back to its previous phase at once, audited as the auto-revert principal, with an alert and a drafted incident carrying the evidence; the rollout holds there until an admin advances it again.
    // SAFE TO RETRY: yes; a phase another instance already reverted is left alone.
    // OPERATOR ACTION: runbook rollback.
    const result = await revertRolloutAction.run({ key: plan.flagKey, fromPhase: plan.phase, reason: `automatic: ${reason}` }, systemContext(AUTO_REVERT_PRINCIPAL));
    if (!result.ok) {
      logger.error({ flag: plan.flagKey, code: result.code }, "automatic rollout revert refused");
      continue;
    }
    if (!result.data.changed) continue;
    reverted.push(plan.flagKey);
    const title = `Release ${plan.flagKey} reverted itself from ${result.data.from} to ${result.data.to}`;
    await raiseAlert(db, { dedupKey: revertAlertKey(plan.flagKey), source: "flags", severity: rule === "fast" ? "page" : "ticket", title, detail: reason, runbook: "rollback", context: { flag: plan.flagKey, from: result.data.from, to: result.data.to, inside: recent.inside, outside: recent.outside } }, now);
    await draftIncident(db, { key: revertAlertKey(plan.flagKey), component: "web", title, runbook: "rollback", impact: "minor", since: now, by: { type: "system", id: AUTO_REVERT_PRINCIPAL }, evidence: reason });
    logger.error({ flag: plan.flagKey, reason }, "release rollout reverted automatically");
  }
  return reverted;
}

export type { RolloutPlan };
