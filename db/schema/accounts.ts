import { sql } from "drizzle-orm";
import { bigserial, index, integer, jsonb, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { users } from "./users";

/**
 * Server-issued, single-use confirmations for irreversible actions. Only the
 * sha256 of the token is stored; it is bound to actor + action + target and
 * expires after five minutes.
 */
export const confirmationTokens = pgTable(
  "confirmation_tokens",
  {
    tokenHash: text("token_hash").primaryKey(),
    actorId: uuid("actor_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    action: text("action").notNull(),
    targetId: text("target_id").notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    usedAt: timestamp("used_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("confirmation_tokens_actor_idx").on(t.actorId)],
);

export const deletionRequestStatusEnum = pgEnum("deletion_request_status", ["pending", "cancelled", "completed"]);

/** A user's request to delete their account; the purge runs once `purge_after` has passed. */
export const deletionRequests = pgTable(
  "deletion_requests",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    status: deletionRequestStatusEnum("status").notNull().default("pending"),
    requestedAt: timestamp("requested_at", { withTimezone: true }).notNull().defaultNow(),
    purgeAfter: timestamp("purge_after", { withTimezone: true }).notNull(),
    cancelledAt: timestamp("cancelled_at", { withTimezone: true }),
    /** The user themself or a support agent. */
    cancelledBy: uuid("cancelled_by"),
    /** Receipt promised at request time; the purge completes it. */
    receiptId: uuid("receipt_id").notNull(),
  },
  (t) => [
    uniqueIndex("deletion_requests_one_pending").on(t.userId).where(sql`${t.status} = 'pending'`),
    index("deletion_requests_due_idx").on(t.status, t.purgeAfter),
  ],
);

/**
 * What a deletion deleted, what it kept and until when, and why. Holds only
 * the tombstone id: it outlives the account it describes.
 */
export const deletionReceipts = pgTable("deletion_receipts", {
  id: uuid("id").primaryKey(),
  tombstoneId: text("tombstone_id").notNull(),
  requestedAt: timestamp("requested_at", { withTimezone: true }).notNull(),
  completedAt: timestamp("completed_at", { withTimezone: true }),
  deleted: jsonb("deleted").$type<Record<string, number>>().notNull().default({}),
  retained: jsonb("retained").$type<{ category: string; until: string; why: string }[]>().notNull().default([]),
  reason: text("reason").notNull(),
});

/** Blocks every purge of a user's data while `lifted_at` is null. */
export const legalHolds = pgTable(
  "legal_holds",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    reason: text("reason").notNull(),
    placedBy: uuid("placed_by").notNull(),
    placedAt: timestamp("placed_at", { withTimezone: true }).notNull().defaultNow(),
    liftedAt: timestamp("lifted_at", { withTimezone: true }),
    liftedBy: uuid("lifted_by"),
  },
  (t) => [index("legal_holds_user_idx").on(t.userId)],
);

/**
 * Completed erasures, by tombstone id only. Exported beside every backup
 * (`npm run ops -- erasures export`) and replayed after a restore, so a
 * restored backup cannot bring a deleted person back.
 */
export const erasureLedger = pgTable(
  "erasure_ledger",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    tombstoneId: text("tombstone_id").notNull(),
    erasedAt: timestamp("erased_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("erasure_ledger_tombstone_key").on(t.tombstoneId)],
);

/**
 * Invoices kept for the legal retention period after their account is purged,
 * pseudonymised: the tombstone id replaces the person.
 */
export const retainedInvoices = pgTable(
  "retained_invoices",
  {
    id: uuid("id").primaryKey(),
    tombstoneId: text("tombstone_id").notNull(),
    plan: text("plan").notNull(),
    amountCents: integer("amount_cents").notNull(),
    currency: text("currency").notNull(),
    status: text("status").notNull(),
    description: text("description").notNull(),
    providerChargeId: text("provider_charge_id"),
    issuedAt: timestamp("issued_at", { withTimezone: true }).notNull(),
    retainUntil: timestamp("retain_until", { withTimezone: true }).notNull(),
  },
  (t) => [index("retained_invoices_tombstone_idx").on(t.tombstoneId), index("retained_invoices_until_idx").on(t.retainUntil)],
);

export type DeletionRequest = typeof deletionRequests.$inferSelect;
export type LegalHold = typeof legalHolds.$inferSelect;
