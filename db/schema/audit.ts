import { bigserial, index, jsonb, pgEnum, pgTable, text, timestamp } from "drizzle-orm/pg-core";

export const actorTypeEnum = pgEnum("actor_type", ["user", "support", "admin", "system", "cron", "anonymous"]);
export const auditOutcomeEnum = pgEnum("audit_outcome", ["success", "denied", "failure"]);

/**
 * Minimal audit trail, written in the same transaction as the change it
 * describes. The audit issue adds the hash chain and append-only triggers.
 */
export const auditEvents = pgTable(
  "audit_events",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    occurredAt: timestamp("occurred_at", { withTimezone: true }).notNull().defaultNow(),
    actorType: actorTypeEnum("actor_type").notNull(),
    actorId: text("actor_id"),
    action: text("action").notNull(),
    targetType: text("target_type"),
    targetId: text("target_id"),
    outcome: auditOutcomeEnum("outcome").notNull(),
    metadata: jsonb("metadata").$type<Record<string, unknown>>().notNull().default({}),
    requestId: text("request_id"),
  },
  (t) => [
    index("audit_events_actor_idx").on(t.actorId, t.id),
    index("audit_events_target_idx").on(t.targetType, t.targetId, t.id),
  ],
);

export type AuditEvent = typeof auditEvents.$inferSelect;
