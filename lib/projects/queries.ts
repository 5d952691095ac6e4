import "server-only";
import { z } from "zod";
import { addDays, trashRetentionDays } from "@/lib/accounts";
import { ActionFailure, defineQuery } from "@/lib/procedures";
import { findProject, listProjects, listTasks, listTrash } from "./reads";

// The caller's live projects (never another owner's, never a trashed one).
export const myProjects = defineQuery({
  name: "projects.list",
  permission: "self:write",
  input: z.object({}),
  handler: async ({ db, user }) => ({ projects: await listProjects(db, user.id), trashDays: trashRetentionDays() }),
});

// One of the caller's live projects with its tasks; another owner's id, or a trashed project, is "not found".
export const projectDetail = defineQuery({
  name: "projects.get",
  permission: "self:write",
  input: z.object({ id: z.string().uuid("Unknown project.") }),
  handler: async ({ db, user, input }) => {
    const project = await findProject(db, user.id, input.id);
    if (!project) throw new ActionFailure("not_found", "That project doesn't exist.");
    return { project, tasks: await listTasks(db, user.id, project.id), trashDays: trashRetentionDays() };
  },
});

// The caller's trash, with the day each project is removed for good.
export const projectTrash = defineQuery({
  name: "projects.trash",
  permission: "self:write",
  input: z.object({}),
  handler: async ({ db, user }) => {
    const days = trashRetentionDays();
    const trashed = await listTrash(db, user.id);
    return {
      ownerId: user.id,
      days,
      projects: trashed.map((p) => ({ id: p.id, name: p.name, deletedAt: p.deletedAt!, purgeAfter: addDays(p.deletedAt!, days) })),
    };
  },
});
