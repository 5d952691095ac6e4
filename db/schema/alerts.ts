import { sql } from "drizzle-orm";
import { index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";

/**
 * Conditions a person should hear about: a burning error budget, a missed
 * job, a breaker open too long, an automatic kill, a drafted incident, a
 * broken audit chain. One open row per condition (`dedup_key`): raising it
 * again only bumps `last_seen_at`; it closes when the condition clears.
 * Delivery to people (Slack, PagerDuty, email) is recorded per destination.
 */
export const alerts = pgTable(
  "alerts",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    /** The condition, e.g. `job_missed:renewals`; one open alert per key. */
    dedupKey: text("dedup_key").notNull(),
    /** What raised it: slo, job, breaker, auto_kill, incident, audit_chain… */
    source: text("source").notNull(),
    /** page (wake someone), ticket (next working hours) or info. */
    severity: text("severity").notNull(),
    title: text("title").notNull(),
    detail: text("detail").notNull().default(""),
    /** The runbook slug an operator should open. */
    runbook: text("runbook"),
    context: jsonb("context").$type<Record<string, unknown>>().notNull().default({}),
    status: text("status").notNull().default("open"),
    occurrences: integer("occurrences").notNull().default(1),
    raisedAt: timestamp("raised_at", { withTimezone: true }).notNull().defaultNow(),
    lastSeenAt: timestamp("last_seen_at", { withTimezone: true }).notNull().defaultNow(),
    resolvedAt: timestamp("resolved_at", { withTimezone: true }),
  },
  (t) => [uniqueIndex("alerts_open_key").on(t.dedupKey).where(sql`${t.status} = 'open'`), index("alerts_raised_idx").on(t.raisedAt)],
);

/**
 * Delivery of an alert to one destination (slack, pagerduty, email): one row
 * per alert, destination and event (trigger, resolve), retried until sent.
 */
export const alertDeliveries = pgTable(
  "alert_deliveries",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    alertId: uuid("alert_id")
      .notNull()
      .references(() => alerts.id, { onDelete: "cascade" }),
    destination: text("destination").notNull(),
    event: text("event").$type<"trigger" | "resolve">().notNull(),
    /** pending | sent | failed (gave up after the last attempt) */
    status: text("status").notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    lastError: text("last_error"),
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true }).notNull().defaultNow(),
    sentAt: timestamp("sent_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("alert_deliveries_key").on(t.alertId, t.destination, t.event), index("alert_deliveries_due_idx").on(t.status, t.nextAttemptAt)],
);

export type Alert = typeof alerts.$inferSelect;
export type AlertDelivery = typeof alertDeliveries.$inferSelect;
