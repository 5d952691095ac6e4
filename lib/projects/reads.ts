import "server-only";
import { and, asc, count, desc, eq, isNotNull } from "drizzle-orm";
import type { Executor } from "@/lib/database";
import { liveProjects, liveTasks, projects } from "@/db/schema";

/**
 * Every project query is scoped by owner, and every query for normal pages
 * reads the `live_projects` / `live_tasks` views: a trashed row is not in
 * them, so no list or detail page can show one. Only the trash queries below
 * read the `projects` table itself.
 */
const columns = {
  id: liveProjects.id,
  name: liveProjects.name,
  description: liveProjects.description,
  createdAt: liveProjects.createdAt,
  updatedAt: liveProjects.updatedAt,
};

export function listProjects(db: Executor, ownerId: string) {
  return db.select(columns).from(liveProjects).where(eq(liveProjects.ownerId, ownerId)).orderBy(asc(liveProjects.name));
}

export async function findProject(db: Executor, ownerId: string, projectId: string) {
  const [row] = await db.select(columns).from(liveProjects).where(and(eq(liveProjects.ownerId, ownerId), eq(liveProjects.id, projectId)));
  return row ?? null;
}

export function listTasks(db: Executor, ownerId: string, projectId: string) {
  return db
    .select({ id: liveTasks.id, title: liveTasks.title, done: liveTasks.done, createdAt: liveTasks.createdAt })
    .from(liveTasks)
    .where(and(eq(liveTasks.ownerId, ownerId), eq(liveTasks.projectId, projectId)))
    .orderBy(asc(liveTasks.createdAt), asc(liveTasks.id));
}

/** The trash: the owner's soft-deleted projects, newest deletion first. */
export function listTrash(db: Executor, ownerId: string) {
  return db
    .select({ id: projects.id, name: projects.name, deletedAt: projects.deletedAt })
    .from(projects)
    .where(and(eq(projects.ownerId, ownerId), isNotNull(projects.deletedAt)))
    .orderBy(desc(projects.deletedAt));
}

/** Number of live projects across all users (admin dashboard). */
export async function countLiveProjects(db: Executor): Promise<number> {
  const [row] = await db.select({ n: count() }).from(liveProjects);
  return row?.n ?? 0;
}
