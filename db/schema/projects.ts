import { isNull, sql } from "drizzle-orm";
import { boolean, index, pgTable, pgView, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { users } from "./users";

/**
 * Projects and their tasks are soft-deleted: `deleted_at` moves a row to the
 * trash and `deletion_batch_id` groups everything one deletion removed, so a
 * restore brings back exactly that batch and not children deleted earlier on
 * their own. Application code reads live rows through the `live_*` views
 * below, never these tables, so a deleted row cannot leak into a list.
 */
export const projects = pgTable(
  "projects",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    ownerId: uuid("owner_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    description: text("description").notNull().default(""),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    deletedAt: timestamp("deleted_at", { withTimezone: true }),
    deletionBatchId: uuid("deletion_batch_id"),
  },
  (t) => [
    // Only live projects compete for a name: a trashed project's name can be reused.
    uniqueIndex("projects_owner_name_live_key").on(t.ownerId, t.name).where(sql`${t.deletedAt} is null`),
    // (owner, id) serves both owner-scoped lists and keyset-paged exports.
    index("projects_owner_id_idx").on(t.ownerId, t.id),
    index("projects_trash_idx").on(t.deletedAt).where(sql`${t.deletedAt} is not null`),
  ],
);

export const tasks = pgTable(
  "tasks",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    projectId: uuid("project_id")
      .notNull()
      .references(() => projects.id, { onDelete: "cascade" }),
    /** Denormalised owner so every task query is scoped by owner without a join. */
    ownerId: uuid("owner_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    title: text("title").notNull(),
    done: boolean("done").notNull().default(false),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    deletedAt: timestamp("deleted_at", { withTimezone: true }),
    deletionBatchId: uuid("deletion_batch_id"),
  },
  (t) => [index("tasks_project_idx").on(t.projectId), index("tasks_owner_id_idx").on(t.ownerId, t.id)],
);

/** Live (not trashed) projects: the only relation list and detail pages read. */
export const liveProjects = pgView("live_projects").as((qb) => qb.select().from(projects).where(isNull(projects.deletedAt)));

/** Live tasks (trashing a project trashes its tasks in the same batch). */
export const liveTasks = pgView("live_tasks").as((qb) => qb.select().from(tasks).where(isNull(tasks.deletedAt)));

export type Project = typeof projects.$inferSelect;
export type Task = typeof tasks.$inferSelect;
