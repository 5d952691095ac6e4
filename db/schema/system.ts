import { boolean, pgTable, text, timestamp } from "drizzle-orm/pg-core";

/**
 * App-wide operating state an operator switches, one row per key. Today one
 * key: "maintenance" (read-only maintenance: writes refused, jobs skip). No
 * row means the normal state.
 */
export const systemState = pgTable("system_state", {
  key: text("key").primaryKey(),
  active: boolean("active").notNull(),
  /** Why it is on, as the operator wrote it (shown to staff, never on the public status page). */
  reason: text("reason").notNull().default(""),
  /** When it was turned on (null while off; the audit log keeps the history). */
  since: timestamp("since", { withTimezone: true }),
  updatedBy: text("updated_by").notNull(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

export type SystemStateRow = typeof systemState.$inferSelect;
