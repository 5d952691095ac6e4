import { index, integer, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { users } from "./users";

/**
 * Sessions ended before their token expired (sign-out, revocation). A JWT
 * carries its session id; a listed id signs nobody in. Rows can go once the
 * token's absolute lifetime is over (`expires_at`).
 */
export const revokedSessions = pgTable(
  "revoked_sessions",
  {
    sessionId: text("session_id").primaryKey(),
    userId: uuid("user_id").notNull(),
    revokedAt: timestamp("revoked_at", { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
  },
  (t) => [index("revoked_sessions_expires_idx").on(t.expiresAt)],
);

/**
 * Failed sign-ins per key (an account from an unknown device, an account from
 * its known device, a client address, everyone): each extra failure past a
 * free allowance doubles the wait before the next attempt, up to a cap.
 */
export const signInFailures = pgTable("sign_in_failures", {
  key: text("key").primaryKey(),
  failures: integer("failures").notNull().default(0),
  firstFailureAt: timestamp("first_failure_at", { withTimezone: true }).notNull().defaultNow(),
  lastFailureAt: timestamp("last_failure_at", { withTimezone: true }).notNull().defaultNow(),
});

export type AccountChangeKind = "promote_admin" | "suspend" | "unsuspend" | "revoke_sessions";

/** A change to someone's access that one admin asks for and a second admin decides. */
export const accountChangeRequests = pgTable(
  "account_change_requests",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    kind: text("kind").$type<AccountChangeKind>().notNull(),
    targetUserId: uuid("target_user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    payload: jsonb("payload").$type<Record<string, unknown>>().notNull().default({}),
    reason: text("reason").notNull(),
    /** The requester's actor label (`admin:<uuid>`), as four-eyes checks compare them. */
    requestedBy: text("requested_by").notNull(),
    status: text("status").$type<"pending" | "applied" | "rejected">().notNull().default("pending"),
    decidedBy: text("decided_by"),
    decidedAt: timestamp("decided_at", { withTimezone: true }),
    decisionNote: text("decision_note"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("account_change_requests_target_idx").on(t.targetUserId, t.status)],
);

export type AccountChangeRequest = typeof accountChangeRequests.$inferSelect;
