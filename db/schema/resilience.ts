import { bigserial, index, integer, jsonb, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { subscriptions } from "./billing";

export const breakerStateEnum = pgEnum("breaker_state", ["closed", "open", "half_open"]);

/**
 * Shared breaker state when Redis is not configured. Only transitions are
 * written here; call counts stay in each instance's memory. `version` makes
 * every transition a compare-and-set; `probe_owner`/`probe_until` elect the
 * single half-open probe across instances.
 */
export const breakerStates = pgTable("breaker_states", {
  name: text("name").primaryKey(),
  state: breakerStateEnum("state").notNull().default("closed"),
  /** An admin override: "open" isolates the dependency, "closed" ignores failures. */
  forced: text("forced"),
  openedAt: timestamp("opened_at", { withTimezone: true }),
  cooldownUntil: timestamp("cooldown_until", { withTimezone: true }),
  probeOwner: text("probe_owner"),
  probeUntil: timestamp("probe_until", { withTimezone: true }),
  version: integer("version").notNull().default(0),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

/** Every breaker transition, for /admin/breakers and the status page. */
export const breakerTransitions = pgTable(
  "breaker_transitions",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    name: text("name").notNull(),
    fromState: text("from_state").notNull(),
    toState: text("to_state").notNull(),
    reason: text("reason").notNull(),
    /** Failure rate seen by the instance that tripped it, 0..1. */
    failureRate: integer("failure_rate_pct"),
    actorId: text("actor_id"),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("breaker_transitions_name_idx").on(t.name, t.at)],
);

/** Fixed-window counters of the Postgres rate-limit backend; one row per (policy, key, window). */
export const rateLimitCounters = pgTable(
  "rate_limit_counters",
  {
    key: text("key").primaryKey(),
    count: integer("count").notNull().default(0),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
  },
  (t) => [index("rate_limit_counters_expires_idx").on(t.expiresAt)],
);

/** Counters for operational events (e.g. `limiter_unavailable:sign_in`), shown on /admin/breakers. */
export const resilienceCounters = pgTable("resilience_counters", {
  name: text("name").primaryKey(),
  count: integer("count").notNull().default(0),
  lastAt: timestamp("last_at", { withTimezone: true }).notNull().defaultNow(),
});

/** `stopped`: the run ended early because a dependency it needs is down (the rest is left for the next run). */
export const jobRunStatusEnum = pgEnum("job_run_status", ["running", "succeeded", "partial", "failed", "skipped", "stopped"]);

export const jobRuns = pgTable(
  "job_runs",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    job: text("job").notNull(),
    trigger: text("trigger").notNull(),
    status: jobRunStatusEnum("status").notNull(),
    startedAt: timestamp("started_at", { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
    /** After this a still-running run counts as timed out. */
    deadlineAt: timestamp("deadline_at", { withTimezone: true }).notNull(),
    processed: integer("processed").notNull().default(0),
    failed: integer("failed").notNull().default(0),
    skipped: integer("skipped").notNull().default(0),
    error: text("error"),
    details: jsonb("details").$type<Record<string, unknown>>().notNull().default({}),
  },
  (t) => [index("job_runs_job_idx").on(t.job, t.startedAt)],
);

/** One row per job: the overlap lock (holder + expiry) and where the last run stopped. */
export const jobState = pgTable("job_state", {
  job: text("job").primaryKey(),
  lockedBy: uuid("locked_by"),
  lockedUntil: timestamp("locked_until", { withTimezone: true }),
  cursor: text("cursor"),
});

/**
 * One row per charge attempt of a renewal. The unique (idempotency key,
 * attempt) means two concurrent runs cannot both claim the same attempt; the
 * key is per billing period and is also the provider's idempotency key.
 */
export const renewalAttempts = pgTable(
  "renewal_attempts",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    subscriptionId: uuid("subscription_id")
      .notNull()
      .references(() => subscriptions.id, { onDelete: "cascade" }),
    periodEnd: timestamp("period_end", { withTimezone: true }).notNull(),
    idempotencyKey: text("idempotency_key").notNull(),
    attempt: integer("attempt").notNull(),
    status: text("status").notNull().default("pending"),
    /** The job run holding the claim: once that run is dead (its lease lapsed), the claim can be taken over at once. */
    runId: uuid("run_id"),
    chargeId: text("charge_id"),
    error: text("error"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("renewal_attempts_key_attempt").on(t.idempotencyKey, t.attempt)],
);

export type JobRun = typeof jobRuns.$inferSelect;
export type BreakerTransition = typeof breakerTransitions.$inferSelect;
