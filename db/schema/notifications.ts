import { index, integer, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { users } from "./users";

/**
 * queued → sending (claimed, under a lease) → sent; a send the provider
 * refused or never received goes back to queued; one that timed out is
 * `unconfirmed` (it may have gone out: never resent blindly); `failed` is
 * final (suppressed for the account's state).
 */
export const notificationStatusEnum = pgEnum("notification_status", ["queued", "sending", "sent", "failed", "unconfirmed"]);

/**
 * Transactional outbox: a notification is queued in the same transaction as
 * the change that caused it, then delivered through the email provider. Its
 * id is the idempotency key the provider gets, so a provider that dedupes
 * (a stable Message-ID) never sends it twice.
 */
export const notifications = pgTable(
  "notifications",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id").references(() => users.id, { onDelete: "cascade" }),
    toEmail: text("to_email").notNull(),
    template: text("template").notNull(),
    subject: text("subject").notNull(),
    body: text("body").notNull(),
    status: notificationStatusEnum("status").notNull().default("queued"),
    lastError: text("last_error"),
    /** Until when the sender that claimed it owns it; an expired claim on a `sending` row means the sender died mid-send. */
    leaseUntil: timestamp("lease_until", { withTimezone: true }),
    attempts: integer("attempts").notNull().default(0),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    sentAt: timestamp("sent_at", { withTimezone: true }),
  },
  (t) => [index("notifications_status_idx").on(t.status, t.createdAt)],
);

/** What the development email provider "sent": shown at /admin/outbox. */
export const emailOutbox = pgTable(
  "email_outbox",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    toEmail: text("to_email").notNull(),
    subject: text("subject").notNull(),
    body: text("body").notNull(),
    /** The Message-ID a real transport would send: a resend of the same message is the same row. */
    messageId: text("message_id"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("email_outbox_message_id_key").on(t.messageId)],
);

/** Addresses that asked for no more optional notices (the List-Unsubscribe link); account, security and billing mail still goes. */
export const emailOptOuts = pgTable("email_opt_outs", {
  email: text("email").primaryKey(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});

export type Notification = typeof notifications.$inferSelect;
