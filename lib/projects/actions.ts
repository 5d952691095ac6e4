import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { projects } from "@/db/schema";
import { ActionFailure, defineAction } from "@/lib/safety";

const projectName = z.string().trim().min(1, "Give the project a name.").max(80, "Use at most 80 characters.");
const projectId = z.string().uuid("Unknown project.");

// Users create projects; names are unique per owner.
export const createProject = defineAction({
  name: "projects.create",
  permission: "self:write",
  input: z.object({ name: projectName, description: z.string().trim().max(2000).default("") }),
  handler: async ({ tx, user, input }) => {
    const [row] = await tx
      .insert(projects)
      .values({ ownerId: user.id, name: input.name, description: input.description })
      .onConflictDoNothing()
      .returning({ id: projects.id, name: projects.name });
    if (!row) throw new ActionFailure("conflict", `You already have a project named "${input.name}".`, { fieldErrors: { name: "This name is taken." } });
    return row;
  },
  audit: { action: "project.create", target: (_, data) => ({ type: "project", id: data?.id ?? null }) },
});

// Renaming only touches the caller's own project; another user's id is "not found".
export const renameProject = defineAction({
  name: "projects.rename",
  permission: "self:write",
  input: z.object({ projectId, name: projectName }),
  handler: async ({ tx, user, input }) => {
    const [current] = await tx
      .select({ name: projects.name })
      .from(projects)
      .where(and(eq(projects.id, input.projectId), eq(projects.ownerId, user.id)))
      .for("update");
    if (!current) throw new ActionFailure("not_found", "That project doesn't exist.");
    const [clash] = await tx
      .select({ id: projects.id })
      .from(projects)
      .where(and(eq(projects.ownerId, user.id), eq(projects.name, input.name)));
    if (clash && clash.id !== input.projectId) {
      throw new ActionFailure("conflict", `You already have a project named "${input.name}".`, { fieldErrors: { name: "This name is taken." } });
    }
    await tx.update(projects).set({ name: input.name, updatedAt: new Date() }).where(and(eq(projects.id, input.projectId), eq(projects.ownerId, user.id)));
    return { id: input.projectId, previousName: current.name };
  },
  audit: {
    action: "project.rename",
    target: (input) => ({ type: "project", id: input.projectId }),
    metadata: (input, data) => ({ before: { name: data?.previousName }, after: { name: input.name } }),
  },
});

// Deletion is permanent for now; the account-lifecycle issue turns it into a move to the trash.
export const deleteProject = defineAction({
  name: "projects.delete",
  permission: "self:write",
  input: z.object({ projectId }),
  handler: async ({ tx, user, input }) => {
    const [row] = await tx
      .delete(projects)
      .where(and(eq(projects.id, input.projectId), eq(projects.ownerId, user.id)))
      .returning({ id: projects.id, name: projects.name });
    if (!row) throw new ActionFailure("not_found", "That project doesn't exist.");
    return row;
  },
  audit: { action: "project.delete", target: (input) => ({ type: "project", id: input.projectId }), metadata: (_, data) => ({ name: data?.name }) },
});
