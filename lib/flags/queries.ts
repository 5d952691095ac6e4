import "server-only";
import { z } from "zod";
import { budgetFreeze } from "@/lib/alerts";
import { hasPermission } from "@/lib/auth";
import type { Executor } from "@/lib/database";
import { ActionFailure, defineQuery } from "@/lib/procedures";
import { loadRunbooks, runbookFor } from "@/lib/runbooks";
import { isKillSwitch, KILL_SWITCH_KEYS } from "./kill-switches";
import { ENVIRONMENTS, type Environment } from "./model";
import { findFlagRow, findRolloutPlan, findUserForReplay, flagHistory, isStale, lastKillSwitchChanges, listFlagRows, listSegments, pendingChangeRequests, recentInstances } from "./reads";
import { replayEvaluation } from "./replay";
import { rolloutGates } from "./actions/rollout";
import { environmentOverrideOf, getKillSwitchStates } from "./runtime";
import { currentEnvironment, instanceId, refreshFlagSnapshot } from "./store";

// Admin reads go straight to the database (./reads): an admin page must never show a cached flag.

type ChangeRequestPayload = { rollout?: unknown; rules?: unknown; targets?: unknown; change?: unknown; conditions?: unknown; phase?: unknown };

function changeSummary(kind: string, payload: ChangeRequestPayload): string {
  if (kind === "review") return "turned off; review after the fact";
  if (payload.change === "kill_switch_on") return "turn the kill switch back on";
  if (payload.change === "rollout_phase") return `advance the phased rollout to phase ${Number(payload.phase) + 1} (the gates are checked again when you approve)`;
  if (payload.change === "segment") return `segment edit (${Array.isArray(payload.conditions) ? payload.conditions.length : 0} conditions) changing who production flags serve`;
  const count = (list: unknown) => (Array.isArray(list) ? list.length : 0);
  return `rollout ${String(payload.rollout)} %, ${count(payload.rules)} rules, ${count(payload.targets)} id targets`;
}

/** The flags page: kill switches, changes waiting for a second admin, feature flags and segments. */
export const flagsOverview = defineQuery({
  name: "flags.overview",
  permission: "admin:read",
  input: z.object({}),
  handler: async ({ db, user }) => {
    const [states, rows, segments, requests, runbooks, changes] = await Promise.all([
      getKillSwitchStates(),
      listFlagRows(db),
      listSegments(db),
      pendingChangeRequests(db),
      loadRunbooks(),
      lastKillSwitchChanges(db, KILL_SWITCH_KEYS),
    ]);
    return {
      environment: currentEnvironment(),
      canChange: hasPermission(user.role, "admin:write"),
      // What is off reads first: during an incident that is what the operator came for.
      killSwitches: [...states.filter((s) => !s.on), ...states.filter((s) => s.on)].map((s) => {
        const runbook = runbookFor(runbooks, "flags", s.key);
        return { ...s, updatedAt: s.updatedAt?.toISOString() ?? null, who: changes.get(s.key)?.who ?? null, why: changes.get(s.key)?.why ?? null, runbook: runbook && { slug: runbook.slug, title: runbook.title } };
      }),
      changeRequests: requests.map((r) => ({
        id: r.id,
        flagKey: r.flagKey,
        kind: r.kind,
        environment: r.environment,
        reason: r.reason,
        requestedBy: r.requestedBy,
        createdAt: r.createdAt.toISOString(),
        summary: changeSummary(r.kind, r.payload),
      })),
      flags: rows.filter((r) => !isKillSwitch(r.key)).map((r) => ({ ...r, stale: isStale(r.reviewBy), environmentOverride: environmentOverrideOf(r.key) })),
      segments,
    };
  },
});

// Search params are hints: a malformed one is ignored (the page falls back to its default), never a 404.
const hint = <T extends z.ZodType>(schema: T) => schema.optional().catch(undefined);

async function replayFor(db: Executor, key: string, email: string, at: string, environment: Environment) {
  const time = Date.parse(at);
  if (Number.isNaN(time)) return { error: "Enter the moment as an ISO time, e.g. 2026-11-23T04:00:00Z." };
  const user = await findUserForReplay(db, email);
  if (!user) return { error: "No user with that email." };
  return replayEvaluation(db, { key, at: new Date(time), environment, context: { id: user.id, email: user.email, role: user.role, plan: user.plan, signupDate: user.createdAt.toISOString() } });
}

/** One flag (or kill switch): its state per environment, history, propagation, and an optional "what did a user get" replay. */
export const flagDetail = defineQuery({
  name: "flags.detail",
  permission: "admin:read",
  input: z.object({
    key: z.string().max(100),
    env: hint(z.enum(ENVIRONMENTS)),
    replayEmail: hint(z.string().trim().toLowerCase().max(320)),
    replayAt: hint(z.string().trim().max(40)),
  }),
  handler: async ({ db, user, input }) => {
    const { key } = input;
    const killSwitch = isKillSwitch(key);
    const [row, history, segments, propagation, frozen, plan] = await Promise.all([findFlagRow(db, key), flagHistory(db, key), listSegments(db), recentInstances(db), budgetFreeze(db), findRolloutPlan(db, key)]);
    if (!row && !killSwitch) throw new ActionFailure("not_found", "There is no flag with that key.");
    const environment = input.env ?? currentEnvironment();
    const replay = input.replayEmail && input.replayAt ? await replayFor(db, key, input.replayEmail, input.replayAt, environment) : null;
    return {
      key,
      environment,
      // Kill switches are declared in code: the page shows them read-only and points at the panel.
      flag: killSwitch ? null : row,
      stale: row !== null && isStale(row.reviewBy),
      reviewBy: row?.reviewBy ?? null,
      description: row?.description,
      canChange: hasPermission(user.role, "admin:write") && row !== null && !killSwitch,
      segments: segments.map((s) => s.key),
      query: { replayEmail: input.replayEmail, replayAt: input.replayAt },
      replay,
      propagation,
      history,
      freeze: frozen.map((f) => f.title),
      // A plan drives the environment this deployment serves.
      servingEnvironment: currentEnvironment(),
      rollout: plan && {
        phases: plan.phases,
        guards: plan.guards,
        thresholds: plan.thresholds,
        phase: plan.phase,
        phaseStartedAt: plan.phaseStartedAt,
        revertedAt: plan.revertedAt,
        revertReason: plan.revertReason,
        // What advancing would meet now; the same gates are checked when it is asked for and when it is applied.
        gates: plan.phase + 1 < plan.phases.length ? await rolloutGates(db, plan, plan.phase + 1, new Date()) : [],
      },
    };
  },
});

/** The new-flag form: only admins create flags. */
export const newFlagForm = defineQuery({
  name: "flags.new_form",
  permission: "admin:write",
  input: z.object({}),
  handler: async ({ db }) => ({ environment: currentEnvironment(), segments: (await listSegments(db)).map((s) => s.key) }),
});

/**
 * What this instance serves, read per request: how an operator (or the
 * propagation test) sees a change arrive. Which paths are paused is public
 * (the status page shows it); who changed what is for staff.
 */
export const flagState = defineQuery({
  name: "flags.state",
  permission: "public",
  input: z.object({}),
  handler: async ({ user }) => {
    const snapshot = await refreshFlagSnapshot();
    const states = await getKillSwitchStates();
    const served = { instance: instanceId(), version: snapshot?.version ?? -1, paused: states.filter((s) => !s.on).map((s) => s.key) };
    return user && hasPermission(user.role, "admin:read") ? { ...served, killSwitches: states } : served;
  },
});
