import { sql } from "drizzle-orm";
import { index, integer, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";

export const roleEnum = pgEnum("role", ["user", "support", "admin"]);
/** `suspended`: stopped by two admins; no session and no sign-in until two admins lift it. */
export const userStatusEnum = pgEnum("user_status", ["active", "deactivated", "pending_deletion", "suspended"]);

export const users = pgTable(
  "users",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    email: text("email").notNull(),
    name: text("name").notNull(),
    /** bcrypt hash; null for accounts that only sign in with OAuth. */
    passwordHash: text("password_hash"),
    role: roleEnum("role").notNull().default("user"),
    status: userStatusEnum("status").notNull().default("active"),
    /** Bumped to revoke every outstanding session (JWTs carry the version they were issued at). */
    sessionVersion: integer("session_version").notNull().default(0),
    /** When a role change made this account an admin; null for accounts that were never promoted (seeded, created as admin). */
    promotedAt: timestamp("promoted_at", { withTimezone: true }),
    /** When the owner proved the address by following the link we emailed; null until then. */
    emailVerifiedAt: timestamp("email_verified_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("users_email_key").on(sql`lower(${t.email})`)],
);

/**
 * Single-use tokens sent by email (password reset, address verification).
 * Only a SHA-256 of the token is stored: a copy of the database cannot be
 * used to reset anyone's password.
 */
export const emailTokens = pgTable(
  "email_tokens",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    purpose: text("purpose").$type<"password_reset" | "email_verification">().notNull(),
    tokenHash: text("token_hash").notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    usedAt: timestamp("used_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("email_tokens_hash_key").on(t.tokenHash), index("email_tokens_user_idx").on(t.userId, t.purpose)],
);

export type User = typeof users.$inferSelect;
export type Role = (typeof roleEnum.enumValues)[number];
