import { z } from "zod";
import type { RolloutPhase, RolloutThresholds } from "@/db/schema/flags";
import { flagKeySchema, rolloutSchema, type EnvironmentState } from "./model";

export type { RolloutPhase, RolloutThresholds };

/**
 * Phased rollouts as data. A plan lists phases in order (an internal domain,
 * opted-in beta users, then percentages of everyone); a phase serves the
 * segments of every phase up to it plus its own percentage. Plans hold
 * boolean release flags only: "in the cohort" is "the flag is on for them".
 */
export const DEFAULT_THRESHOLDS: RolloutThresholds = { revertErrorRate: 0.05, revertWindowMinutes: 5, sustainedErrorRate: 0.02, sustainedMinutes: 15, minCalls: 20 };

const actionName = z.string().regex(/^[a-z][a-z0-9_]*\.[a-z][a-z0-9_.]*$/, "Guards are action names such as billing.change_plan.");

export const rolloutPlanSchema = z.object({
  phases: z
    .array(
      z.object({
        name: z.string().trim().min(1, "Name every phase.").max(60),
        segment: flagKeySchema.optional(),
        rollout: rolloutSchema,
        soakMinutes: z.number().int().min(0).max(14 * 24 * 60),
      }),
    )
    .min(1, "A plan needs at least one phase.")
    .max(10, "At most 10 phases.")
    .refine((phases) => phases.every((p, i) => i === 0 || p.rollout >= phases[i - 1]!.rollout), "Each phase reaches at least as many people as the one before.")
    .refine((phases) => phases.every((p) => p.rollout > 0 || p.segment), "A phase needs a segment or a percentage above 0."),
  guards: z.array(actionName).max(20).default([]),
  thresholds: z
    .object({
      revertErrorRate: z.number().gt(0).max(1),
      revertWindowMinutes: z.number().int().min(1).max(60),
      sustainedErrorRate: z.number().gt(0).max(1),
      sustainedMinutes: z.number().int().min(1).max(24 * 60),
      minCalls: z.number().int().min(1).max(1_000_000),
    })
    .refine((t) => t.sustainedErrorRate <= t.revertErrorRate, "The sustained threshold is the lower one.")
    .default(DEFAULT_THRESHOLDS),
});

export type RolloutPlan = z.output<typeof rolloutPlanSchema>;

/** What phase `phase` serves (-1: nothing, the flag off), keeping the flag's pinned targets. */
export function phaseState(phases: readonly RolloutPhase[], phase: number, base: EnvironmentState | undefined): EnvironmentState {
  const targets = base?.targets ?? [];
  if (phase < 0) return { enabled: false, reenableAt: null, targets, rules: base?.rules ?? [], rollout: base?.rollout ?? 0 };
  const segments = [...new Set(phases.slice(0, phase + 1).flatMap((p) => (p.segment ? [p.segment] : [])))];
  return { enabled: true, reenableAt: null, targets, rules: segments.map((segment) => ({ segment, variant: "on" })), rollout: phases[phase]!.rollout };
}

/** The request-outcome route a guarded action's call is also counted under, for people inside or outside a flag. */
export const cohortRoute = (flag: string, inside: boolean) => `cohort:${flag}:${inside ? "in" : "out"}`;

export type Counts = { total: number; errors: number };
export const errorRate = (c: Counts) => (c.total === 0 ? 0 : c.errors / c.total);

/**
 * Whether the flagged cohort's outcomes call for reverting now, by which
 * rule and why (null: no). `recent` covers the short window, `sustained` the long one
 * that ends with it; a rate "held" for the long window is at the sustained
 * threshold both in the short window and in the part before it.
 */
export function revertReason(t: RolloutThresholds, recent: Counts, sustained: Counts, phaseAgeMinutes: number): { rule: "fast" | "sustained"; reason: string } | null {
  const pct = (c: Counts) => `${(errorRate(c) * 100).toFixed(1)} %`;
  if (recent.total >= t.minCalls && errorRate(recent) > t.revertErrorRate) {
    return { rule: "fast", reason: `${recent.errors} of ${recent.total} guarded calls (${pct(recent)}) failed for the flagged cohort in the last ${t.revertWindowMinutes} min, over the ${t.revertErrorRate * 100} % revert threshold` };
  }
  const before = { total: sustained.total - recent.total, errors: sustained.errors - recent.errors };
  const held = before.total > 0 && errorRate(before) >= t.sustainedErrorRate && errorRate(recent) >= t.sustainedErrorRate;
  if (phaseAgeMinutes >= t.sustainedMinutes && sustained.total >= t.minCalls && held && errorRate(sustained) >= t.sustainedErrorRate) {
    return { rule: "sustained", reason: `${pct(sustained)} of guarded calls failed for the flagged cohort over ${t.sustainedMinutes} min, at or over the sustained ${t.sustainedErrorRate * 100} % threshold` };
  }
  return null;
}

export type Gate = { gate: "soak" | "cohort_errors" | "burn_rate" | "incidents" | "readiness"; ok: boolean; detail: string };
