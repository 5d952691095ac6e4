import { bigint, index, integer, jsonb, pgEnum, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";

/** A user attribute a segment condition can test (see lib/flags/model.ts for validation). */
export type FlagAttribute = "id" | "email" | "email_domain" | "role" | "plan" | "country" | "signup_date" | "beta_opt_in" | "app_version";
export type FlagOperator = "in" | "not_in" | "equals" | "not_equals" | "contains" | "starts_with" | "ends_with" | "before" | "after" | "semver_gte" | "semver_lt";
export type SegmentCondition = { attribute: FlagAttribute; operator: FlagOperator; values: string[] };
/** One targeting rule: a named segment or inline conditions (all must hold), serving a variant key. */
export type FlagRule = { segment?: string; conditions?: SegmentCondition[]; variant: string };
/** Boolean flags use the implicit variants "on" (true) and "off" (false). */
export type FlagVariant = { key: string; value: unknown; weight: number };
export type EnvironmentState = {
  /** Off: everyone gets the flag's off value. */
  enabled: boolean;
  /** While off, the moment it turns itself back on (ISO time): auto-revert after an incident window. */
  reenableAt?: string | null;
  /** Individual ids pinned to a variant. */
  targets: { variant: string; ids: string[] }[];
  rules: FlagRule[];
  /** Percentage (0–100, three decimals) of the remaining users who get the rollout. */
  rollout: number;
};

export const flagKindEnum = pgEnum("flag_kind", ["kill_switch", "release", "experiment", "ops"]);
export const flagValueTypeEnum = pgEnum("flag_value_type", ["boolean", "string", "number", "json"]);

/**
 * Feature flags and kill switches. Per-environment state, rules and
 * variants are validated JSON (lib/flags/model.ts): the evaluator reads them
 * whole into an in-process snapshot, so they never need to be queried by field.
 */
export const flags = pgTable("flags", {
  key: text("key").primaryKey(),
  description: text("description").notNull().default(""),
  kind: flagKindEnum("kind").notNull(),
  owner: text("owner").notNull().default(""),
  valueType: flagValueTypeEnum("value_type").notNull().default("boolean"),
  /** Multivariate flags: the values a user can get, with rollout weights. Boolean flags: empty. */
  variants: jsonb("variants").$type<FlagVariant[]>().notNull().default([]),
  defaultValue: jsonb("default_value").$type<unknown>().notNull(),
  /** Value served while the flag is switched off in an environment. */
  offValue: jsonb("off_value").$type<unknown>().notNull(),
  environments: jsonb("environments").$type<Record<string, EnvironmentState>>().notNull().default({}),
  /** Flags that must evaluate truthy for this one to be on. */
  prerequisites: jsonb("prerequisites").$type<string[]>().notNull().default([]),
  /** Hash seed: changing it reshuffles who is in a rollout. */
  seed: text("seed").notNull().default(""),
  reviewBy: timestamp("review_by", { withTimezone: true }),
  createdBy: text("created_by").notNull(),
  updatedBy: text("updated_by").notNull(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  /** Bumped on every change to this flag (optimistic concurrency for the editor). */
  revision: integer("revision").notNull().default(1),
});

/** Reusable named rule sets; a user is in the segment when every condition holds. */
export const flagSegments = pgTable("flag_segments", {
  key: text("key").primaryKey(),
  description: text("description").notNull().default(""),
  conditions: jsonb("conditions").$type<SegmentCondition[]>().notNull().default([]),
  updatedBy: text("updated_by").notNull(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

/**
 * One row (id = 1): bumped in the same transaction as any flag or segment
 * change. Instances compare it with their snapshot's version; the session
 * lookup reads it in the same query as the user.
 */
export const flagConfigVersion = pgTable("flag_config_version", {
  id: integer("id").primaryKey(),
  version: bigint("version", { mode: "number" }).notNull().default(0),
  changedAt: timestamp("changed_at", { withTimezone: true }).notNull().defaultNow(),
});

/** The config version each instance last served (the admin propagation view). */
export const flagInstances = pgTable(
  "flag_instances",
  {
    instanceId: text("instance_id").primaryKey(),
    version: bigint("version", { mode: "number" }).notNull(),
    seenAt: timestamp("seen_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("flag_instances_seen_idx").on(t.seenAt)],
);

export type FlagRow = typeof flags.$inferSelect;
export type FlagSegmentRow = typeof flagSegments.$inferSelect;

/**
 * Four-eyes: a production rollout/targeting change to a release or
 * experiment flag waits here for a second admin ("approval"); turning a kill
 * switch off applies at once and leaves a "review" for a second admin.
 */
export const flagChangeRequests = pgTable(
  "flag_change_requests",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    flagKey: text("flag_key").notNull(),
    kind: text("kind").$type<"approval" | "review">().notNull(),
    environment: text("environment").notNull(),
    /** approval: the validated save input to apply; review: what was done. */
    payload: jsonb("payload").$type<Record<string, unknown>>().notNull(),
    reason: text("reason").notNull(),
    requestedBy: text("requested_by").notNull(),
    status: text("status").$type<"pending" | "applied" | "rejected" | "reviewed">().notNull().default("pending"),
    decidedBy: text("decided_by"),
    decidedAt: timestamp("decided_at", { withTimezone: true }),
    decisionNote: text("decision_note"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("flag_change_requests_status_idx").on(t.status, t.createdAt)],
);

export type FlagChangeRequest = typeof flagChangeRequests.$inferSelect;

/**
 * Each version of the app, with the first moment an instance of it started
 * serving: "since the last deploy" for `npm run ops -- rollback`.
 */
export const deploys = pgTable("deploys", {
  version: text("version").primaryKey(),
  startedAt: timestamp("started_at", { withTimezone: true }).notNull().defaultNow(),
});

/** One step of a phased rollout: who gets the flag (a segment, a percentage of everyone, or both) and how long it soaks. */
export type RolloutPhase = { name: string; segment?: string; rollout: number; soakMinutes: number };
/** When a phase reverts itself: the flagged cohort's error rate over a short window, or a lower one held for longer. */
export type RolloutThresholds = { revertErrorRate: number; revertWindowMinutes: number; sustainedErrorRate: number; sustainedMinutes: number; minCalls: number };

/**
 * A release flag's rollout plan in the environment the app serves: its
 * phases, the actions whose outcomes judge it (counted for people inside and
 * outside the flag), and where it stands. Advancing a phase is a four-eyes
 * change; a failing cohort reverts it to the previous phase by itself.
 */
export const flagRollouts = pgTable("flag_rollouts", {
  flagKey: text("flag_key")
    .primaryKey()
    .references(() => flags.key, { onDelete: "cascade" }),
  phases: jsonb("phases").$type<RolloutPhase[]>().notNull(),
  guards: jsonb("guards").$type<string[]>().notNull().default([]),
  thresholds: jsonb("thresholds").$type<RolloutThresholds>().notNull(),
  /** The phase serving now; -1 before the first. */
  phase: integer("phase").notNull().default(-1),
  phaseStartedAt: timestamp("phase_started_at", { withTimezone: true }),
  /** The last automatic revert, kept until the plan advances again. */
  revertedAt: timestamp("reverted_at", { withTimezone: true }),
  revertReason: text("revert_reason"),
  updatedBy: text("updated_by").notNull(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

export type FlagRolloutRow = typeof flagRollouts.$inferSelect;
