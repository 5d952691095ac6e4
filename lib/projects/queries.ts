import { and, asc, eq } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { projects } from "@/db/schema";

const columns = { id: projects.id, name: projects.name, description: projects.description, createdAt: projects.createdAt, updatedAt: projects.updatedAt };

/** Every project query is scoped by owner: there is no way to read another user's project through here. */
export function listProjects(db: Executor, ownerId: string) {
  return db.select(columns).from(projects).where(eq(projects.ownerId, ownerId)).orderBy(asc(projects.name));
}

export async function findProject(db: Executor, ownerId: string, projectId: string) {
  const [row] = await db.select(columns).from(projects).where(and(eq(projects.ownerId, ownerId), eq(projects.id, projectId)));
  return row ?? null;
}
