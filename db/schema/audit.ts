import { sql } from "drizzle-orm";
import { bigint, bigserial, boolean, check, index, integer, jsonb, pgEnum, pgTable, primaryKey, smallint, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { users } from "./users";

export const actorTypeEnum = pgEnum("actor_type", ["user", "support", "admin", "system", "cron", "anonymous"]);
export const auditOutcomeEnum = pgEnum("audit_outcome", ["success", "denied", "failure"]);

/**
 * The audit trail, written in the same transaction as the change it
 * describes. Append-only (UPDATE, DELETE and TRUNCATE are rejected except
 * through the retention function, which only the retention role may call)
 * and chained per category and lane by the application with a keyed HMAC
 * (lib/audit/chain.ts): the key lives in the app's secrets, never in the
 * database, so no database role can recompute a chain it has changed.
 * Only pseudonymous ids live here; personal data sits in
 * `audit_event_personal`, whose keyed digest is sealed into its event.
 */
export const auditEvents = pgTable(
  "audit_events",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    occurredAt: timestamp("occurred_at", { withTimezone: true }).notNull().defaultNow(),
    actorType: actorTypeEnum("actor_type").notNull(),
    actorId: text("actor_id"),
    /** The staff member behind the actor during a read-only support session. */
    impersonatorId: text("impersonator_id"),
    action: text("action").notNull(),
    /** Retention category (lib/audit/retention.ts); each of its lanes is its own hash chain. */
    category: text("category").notNull().default("general"),
    /** Which of the category's chains holds this event (lib/audit/lanes.ts); 0 for every event written before lanes. */
    lane: smallint("lane").notNull().default(0),
    targetType: text("target_type"),
    targetId: text("target_id"),
    outcome: auditOutcomeEnum("outcome").notNull(),
    metadata: jsonb("metadata").$type<Record<string, unknown>>().notNull().default({}),
    requestId: text("request_id"),
    /** Position in its lane's keyed chain (1, 2, …); null on events written before the chain was keyed. */
    seq: bigint("seq", { mode: "number" }),
    /** Keyed digest of this event's personal-data row, when it has one (sealed into `hash`). */
    personalDigest: text("personal_digest"),
    prevHash: text("prev_hash"),
    hash: text("hash"),
  },
  (t) => [
    index("audit_events_actor_idx").on(t.actorId, t.id),
    index("audit_events_target_idx").on(t.targetType, t.targetId, t.id),
    // The admin filter searches by target id alone, and by actor-or-impersonator: both must stay index scans at 1M events.
    index("audit_events_target_id_idx").on(t.targetId, t.id),
    index("audit_events_impersonator_idx").on(t.impersonatorId, t.id).where(sql`${t.impersonatorId} is not null`),
    index("audit_events_category_idx").on(t.category, t.id),
    // Verify, anchor and retention walk one lane's chain at a time.
    index("audit_events_lane_idx").on(t.category, t.lane, t.id),
    index("audit_events_action_idx").on(t.action, t.id),
    index("audit_events_occurred_idx").on(t.occurredAt),
  ],
);

/**
 * Personal data about an event (email, ip, user agent, names), outside the
 * chain. Its keyed digest (over a random salt and the content) is sealed
 * into the event, so a changed or missing row is detected. Erasing a user
 * empties their rows and records the erasure with its own keyed mark; the
 * chained event keeps only pseudonymous ids and still verifies.
 */
export const auditEventPersonal = pgTable(
  "audit_event_personal",
  {
    eventId: bigint("event_id", { mode: "number" })
      .primaryKey()
      .references(() => auditEvents.id, { onDelete: "cascade" }),
    /** Whose data this is, so erasure can find it. */
    subjectUserId: text("subject_user_id"),
    ip: text("ip"),
    userAgent: text("user_agent"),
    /** The personal keys split out of the event's metadata, same shape. */
    data: jsonb("data").$type<Record<string, unknown>>().notNull().default({}),
    /** Random per row, erased with the content: an erased row's digest can no longer be matched to a guess. */
    salt: text("salt"),
    /** Set when the content was erased; `erasureMac` proves the app (holder of the chain key) erased it. */
    erasedAt: timestamp("erased_at", { withTimezone: true }),
    erasureMac: text("erasure_mac"),
  },
  (t) => [index("audit_event_personal_subject_idx").on(t.subjectUserId)],
);

/**
 * The newest link of each (category, lane) chain. Appends move it forward
 * with a compare-and-set; a writer in a transaction holds its lane's row
 * until it commits, and other writers take a lane nobody holds
 * (lib/audit/append.ts). A hint for writers, never trusted by verification.
 */
export const auditChainHeads = pgTable(
  "audit_chain_heads",
  {
    category: text("category").notNull(),
    lane: smallint("lane").notNull().default(0),
    seq: bigint("seq", { mode: "number" }).notNull().default(0),
    lastHash: text("last_hash"),
  },
  (t) => [primaryKey({ columns: [t.category, t.lane] })],
);

/**
 * This database's chain identity, created once by the migration. It is
 * sealed into every event's HMAC and names the anchor streams in the vault,
 * so anchors always refer to this database (and survive its restore).
 */
export const auditChain = pgTable(
  "audit_chain",
  {
    singleton: boolean("singleton").primaryKey().default(true),
    chainId: uuid("chain_id").notNull().defaultRandom(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [check("audit_chain_singleton", sql`${t.singleton}`)],
);

/** Signed record of a removed chain prefix, so the remaining chain still verifies from a known hash. */
export const auditCheckpoints = pgTable(
  "audit_checkpoints",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    category: text("category").notNull(),
    /** The lane whose chain prefix was removed; 0 for checkpoints written before lanes. */
    lane: smallint("lane").notNull().default(0),
    lastEventId: bigint("last_event_id", { mode: "number" }).notNull(),
    lastHash: text("last_hash").notNull(),
    removedCount: integer("removed_count").notNull(),
    cutoff: timestamp("cutoff", { withTimezone: true }).notNull(),
    /** HMAC over (category, lane, lastEventId, lastHash) with the audit chain key (lib/audit/chain.ts). */
    signature: text("signature").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("audit_checkpoints_category_idx").on(t.category, t.lastEventId)],
);

/** Outcome of each chain verification; the admin audit page shows the latest. */
export const auditVerifications = pgTable("audit_verifications", {
  id: uuid("id").primaryKey().defaultRandom(),
  ranAt: timestamp("ran_at", { withTimezone: true }).notNull().defaultNow(),
  ok: boolean("ok").notNull(),
  checkedCount: integer("checked_count").notNull(),
  firstBrokenId: bigint("first_broken_id", { mode: "number" }),
  detail: text("detail").notNull(),
  /** Who ran it: a user id, or "cli"/"job". */
  ranBy: text("ran_by").notNull(),
});

/** A read-only support session: staff views the app as `targetUserId` until it ends or expires. */
export const impersonationSessions = pgTable(
  "impersonation_sessions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    impersonatorId: uuid("impersonator_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    targetUserId: uuid("target_user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    reason: text("reason").notNull(),
    startedAt: timestamp("started_at", { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    endedAt: timestamp("ended_at", { withTimezone: true }),
  },
  (t) => [index("impersonation_sessions_impersonator_idx").on(t.impersonatorId, t.endedAt)],
);

export type AuditEvent = typeof auditEvents.$inferSelect;
export type AuditEventPersonal = typeof auditEventPersonal.$inferSelect;
export type AuditCheckpoint = typeof auditCheckpoints.$inferSelect;
export type ImpersonationSession = typeof impersonationSessions.$inferSelect;
