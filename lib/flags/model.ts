import { z } from "zod";
import type { EnvironmentState, FlagAttribute, FlagOperator, FlagRule, FlagVariant, SegmentCondition } from "@/db/schema/flags";
import type { FlagKind, FlagValueType } from "./constants";

export type { EnvironmentState, FlagAttribute, FlagOperator, FlagRule, FlagVariant, SegmentCondition };
export { FLAG_KINDS, VALUE_TYPES, type FlagKind, type FlagValueType } from "./constants";
export const ENVIRONMENTS = ["development", "preview", "production"] as const;
export type Environment = (typeof ENVIRONMENTS)[number];

export const ATTRIBUTES = ["id", "email", "email_domain", "role", "plan", "country", "signup_date", "beta_opt_in", "app_version"] as const satisfies readonly FlagAttribute[];
export const OPERATORS = [
  "in",
  "not_in",
  "equals",
  "not_equals",
  "contains",
  "starts_with",
  "ends_with",
  "before",
  "after",
  "semver_gte",
  "semver_lt",
] as const satisfies readonly FlagOperator[];

/** Everything the evaluator needs; code only ever sees flags in this shape. */
export type FlagDefinition = {
  key: string;
  kind: FlagKind;
  valueType: FlagValueType;
  variants: FlagVariant[];
  defaultValue: unknown;
  offValue: unknown;
  environments: Partial<Record<Environment, EnvironmentState>>;
  prerequisites: string[];
  seed: string;
  /** Served when there is no snapshot at all (store never reached). */
  whenUnknown: unknown;
};

export type Segment = { key: string; conditions: SegmentCondition[] };

/** Who is asking. Anonymous visitors carry a stable id from a cookie. */
export type FlagContext = {
  id?: string | null;
  email?: string | null;
  role?: string | null;
  plan?: string | null;
  country?: string | null;
  /** ISO date. */
  signupDate?: string | null;
  betaOptIn?: boolean | null;
  appVersion?: string | null;
};

export type EvaluationReason = "override" | "disabled" | "target_match" | "rollout" | "default" | "fallback";

export type Evaluation = {
  value: unknown;
  reason: EvaluationReason;
  /** The variant key served, when there is one. */
  variant?: string;
  /** The config version this result came from (-1: no snapshot). */
  version: number;
  /** Why, in a few words (the prerequisite that failed, the rule that matched). */
  detail?: string;
};

export const FLAG_KEY = /^[a-z][a-z0-9_]{1,62}$/;

export const flagKeySchema = z.string().trim().regex(FLAG_KEY, "Use 2–63 lowercase letters, digits or underscores, starting with a letter.");

export const conditionSchema = z.object({
  attribute: z.enum(ATTRIBUTES, "Unknown attribute."),
  operator: z.enum(OPERATORS, "Unknown operator."),
  values: z.array(z.string().max(500)).min(1, "A condition needs at least one value.").max(10_000),
});

export const ruleSchema = z
  .object({
    segment: flagKeySchema.optional(),
    conditions: z.array(conditionSchema).max(50).optional(),
    variant: z.string().min(1).max(100),
  })
  .refine((r) => Boolean(r.segment) !== Boolean(r.conditions && r.conditions.length > 0), "A rule needs either a segment or conditions, not both.");

export const rolloutSchema = z
  .number("Rollout must be a number.")
  .min(0, "Rollout must be between 0 and 100 %.")
  .max(100, "Rollout must be between 0 and 100 %.");

export const environmentStateSchema = z.object({
  enabled: z.boolean(),
  reenableAt: z.string().datetime({ offset: true }).nullish(),
  targets: z.array(z.object({ variant: z.string().min(1).max(100), ids: z.array(z.string().min(1).max(200)).max(10_000) })).max(50).default([]),
  rules: z.array(ruleSchema).max(100).default([]),
  rollout: rolloutSchema.default(0),
});

export const variantSchema = z.object({
  key: z.string().regex(/^[a-z0-9_-]{1,100}$/, "Variant keys use lowercase letters, digits, - or _."),
  value: z.unknown(),
  weight: z.number().int().min(0).max(1_000_000),
});

/** The variant keys a flag's rules and targets may name. */
export function variantKeys(flag: Pick<FlagDefinition, "valueType" | "variants">): string[] {
  return flag.valueType === "boolean" ? ["on", "off"] : flag.variants.map((v) => v.key);
}

/** Checks the cross-field rules zod can't see alone; returns a sentence or null. */
export function checkFlagConsistency(flag: Pick<FlagDefinition, "key" | "valueType" | "variants" | "environments" | "prerequisites">, segments: ReadonlySet<string>): string | null {
  const keys = new Set(variantKeys(flag));
  if (flag.valueType !== "boolean" && keys.size === 0) return "A multivariate flag needs at least one variant.";
  if (keys.size !== variantKeys(flag).length) return "Variant keys must be unique.";
  if (flag.prerequisites.includes(flag.key)) return "A flag can't be its own prerequisite.";
  for (const [env, state] of Object.entries(flag.environments)) {
    if (!state) continue;
    for (const rule of state.rules) {
      if (!keys.has(rule.variant)) return `Rule in ${env} serves unknown variant "${rule.variant}".`;
      if (rule.segment && !segments.has(rule.segment)) return `Rule in ${env} uses unknown segment "${rule.segment}".`;
    }
    for (const t of state.targets) if (!keys.has(t.variant)) return `Target in ${env} serves unknown variant "${t.variant}".`;
  }
  return null;
}
