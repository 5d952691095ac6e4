import { bigserial, boolean, doublePrecision, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";

/**
 * Operability: status page, incidents, SLOs. Component and state names are validated in
 * lib/status (zod), so they are plain text here: adding a component never
 * needs a migration.
 */

/** One sample per component per minute, written by the uptime_check job: the one measure behind uptime bars and availability SLOs. */
export const statusChecks = pgTable(
  "status_checks",
  {
    minute: timestamp("minute", { withTimezone: true }).notNull(),
    component: text("component").notNull(),
    state: text("state").notNull(),
    latencyMs: integer("latency_ms"),
  },
  (t) => [primaryKey({ columns: [t.component, t.minute] }), index("status_checks_minute_idx").on(t.minute)],
);

/** Request outcomes aggregated per minute and route group (never a row per request). */
export const requestMinutes = pgTable(
  "request_minutes",
  {
    minute: timestamp("minute", { withTimezone: true }).notNull(),
    route: text("route").notNull(),
    total: integer("total").notNull().default(0),
    errors: integer("errors").notNull().default(0),
    /** Requests slower than the route group's latency threshold (the latency SLO's bad events). */
    slow: integer("slow").notNull().default(0),
    sumMs: doublePrecision("sum_ms").notNull().default(0),
    maxMs: doublePrecision("max_ms").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.route, t.minute] })],
);

export const incidents = pgTable(
  "incidents",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    title: text("title").notNull(),
    /** draft | investigating | identified | monitoring | resolved | discarded */
    status: text("status").notNull(),
    /** minor | major | critical: how it shows on the status page. */
    impact: text("impact").notNull(),
    severity: text("severity").notNull().default("P2"),
    components: jsonb("components").$type<string[]>().notNull().default([]),
    runbook: text("runbook"),
    /** What drafted it automatically (e.g. `kill_switch:payments`), so one condition drafts one incident. */
    sourceKey: text("source_key"),
    createdBy: text("created_by"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    publishedAt: timestamp("published_at", { withTimezone: true }),
    resolvedAt: timestamp("resolved_at", { withTimezone: true }),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("incidents_created_idx").on(t.createdAt), index("incidents_source_idx").on(t.sourceKey, t.status)],
);

export const incidentUpdates = pgTable(
  "incident_updates",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    incidentId: uuid("incident_id")
      .notNull()
      .references(() => incidents.id, { onDelete: "cascade" }),
    status: text("status").notNull(),
    body: text("body").notNull(),
    authorId: text("author_id"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("incident_updates_incident_idx").on(t.incidentId, t.createdAt)],
);

export const maintenanceWindows = pgTable("maintenance_windows", {
  id: uuid("id").primaryKey().defaultRandom(),
  title: text("title").notNull(),
  body: text("body").notNull().default(""),
  components: jsonb("components").$type<string[]>().notNull().default([]),
  startsAt: timestamp("starts_at", { withTimezone: true }).notNull(),
  endsAt: timestamp("ends_at", { withTimezone: true }).notNull(),
  createdBy: text("created_by"),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});

/** Multi-window burn-rate alerts as they fire and clear. */
export const sloAlerts = pgTable(
  "slo_alerts",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    slo: text("slo").notNull(),
    /** page (14.4×, 1 h & 5 min) | ticket (6×, 6 h & 30 min) */
    severity: text("severity").notNull(),
    burnRate: doublePrecision("burn_rate").notNull(),
    firedAt: timestamp("fired_at", { withTimezone: true }).notNull().defaultNow(),
    resolvedAt: timestamp("resolved_at", { withTimezone: true }),
  },
  (t) => [index("slo_alerts_open_idx").on(t.slo, t.severity, t.resolvedAt)],
);

/** Every sign-off ever given; an attestation's status is derived from its latest one and its expiry. */
export const readinessSignoffs = pgTable(
  "readiness_signoffs",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    attestation: text("attestation").notNull(),
    signedBy: text("signed_by").notNull(),
    signedByEmail: text("signed_by_email").notNull(),
    note: text("note").notNull(),
    evidenceUrl: text("evidence_url"),
    signedAt: timestamp("signed_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("readiness_signoffs_attestation_idx").on(t.attestation, t.signedAt)],
);

/** Since when each abnormal condition (kill switch off, breaker open) has been seen, for drafting incidents after a grace period. */
export const statusConditions = pgTable("status_conditions", {
  key: text("key").primaryKey(),
  since: timestamp("since", { withTimezone: true }).notNull(),
  lastSeenAt: timestamp("last_seen_at", { withTimezone: true }).notNull(),
});

/**
 * The outside view of uptime: one HTTP probe of the public readiness URL per
 * minute, made the way an external checker makes it (a fresh request to
 * APP_URL), so the status page does not rest on the app grading itself.
 */
export const uptimeProbes = pgTable("uptime_probes", {
  minute: timestamp("minute", { withTimezone: true }).primaryKey(),
  ok: boolean("ok").notNull(),
  httpStatus: integer("http_status"),
  latencyMs: integer("latency_ms").notNull(),
  error: text("error"),
});

export type Incident = typeof incidents.$inferSelect;
export type IncidentUpdate = typeof incidentUpdates.$inferSelect;
export type MaintenanceWindow = typeof maintenanceWindows.$inferSelect;
