import { boolean, index, jsonb, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { users } from "./users";

export const reportStatusEnum = pgEnum("report_status", ["new", "triaged", "resolved"]);

/**
 * A problem someone reported from a page. `context` holds what the browser
 * showed the user before sending; `serverContext` holds what the server
 * attached itself (flags, impersonation, recent audit events) and is never
 * taken from the browser.
 */
export const problemReports = pgTable(
  "problem_reports",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    /** What the reporter is told and quotes to support, e.g. BW-7K3Q9P2M. */
    reference: text("reference").notNull(),
    status: reportStatusEnum("status").notNull().default("new"),
    description: text("description").notNull(),
    /** The session's user, never a value from the payload; null when signed out. */
    userId: uuid("user_id").references(() => users.id, { onDelete: "set null" }),
    /** Where to write back: the session user's email, or the one a signed-out reporter typed. */
    contactEmail: text("contact_email"),
    /** Sent by staff during a read-only support session. */
    fromStaff: boolean("from_staff").notNull().default(false),
    impersonatorId: text("impersonator_id"),
    pageUrl: text("page_url"),
    errorIds: jsonb("error_ids").$type<string[]>().notNull().default([]),
    context: jsonb("context").$type<Record<string, unknown>>().notNull().default({}),
    serverContext: jsonb("server_context").$type<Record<string, unknown>>().notNull().default({}),
    requestId: text("request_id"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    resolvedAt: timestamp("resolved_at", { withTimezone: true }),
  },
  (t) => [
    uniqueIndex("problem_reports_reference_key").on(t.reference),
    index("problem_reports_status_idx").on(t.status, t.createdAt),
    index("problem_reports_user_idx").on(t.userId, t.createdAt),
  ],
);

export type ProblemReport = typeof problemReports.$inferSelect;
export type ReportStatus = (typeof reportStatusEnum.enumValues)[number];
