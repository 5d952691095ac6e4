import "server-only";
import { and, eq, inArray, isNotNull, isNull, lt, sql } from "drizzle-orm";
import { z } from "zod";
import type { Executor } from "@/lib/database";
import { legalHolds, liveProjects, projects, tasks } from "@/db/schema";
import { activeLegalHold, consumeConfirmation, requireConfirmationPhrase } from "@/lib/accounts";
import { ActionFailure, defineAction } from "@/lib/procedures";
import { EMPTY_TRASH_PHRASE, PROJECT_NAME_MAX_LENGTH, TASK_TITLE_MAX_LENGTH } from "./constants";

const projectName = z.string().trim().min(1, "Give the project a name.").max(PROJECT_NAME_MAX_LENGTH, `Use at most ${PROJECT_NAME_MAX_LENGTH} characters.`);
const projectId = z.string().uuid("Unknown project.");
const confirmationToken = z.string().min(1, "Confirm first.").max(200);
/** What the person typed in the confirmation dialog. */
const confirmText = z.string().max(400).optional();

/** Trash under a legal hold stays; the owner is not told why (a hold can be confidential), only that it stays. */
async function refuseWhileHeld(tx: Executor, ownerId: string): Promise<void> {
  if (await activeLegalHold(tx, ownerId)) throw new ActionFailure("conflict", "This can't be deleted permanently right now; it stays in your trash. Contact support if you need it gone.");
}

const taken = (name: string) =>
  new ActionFailure("conflict", `You already have a project named "${name}".`, { fieldErrors: { name: "This name is taken." } });

async function liveNameTaken(tx: Executor, ownerId: string, name: string): Promise<string | null> {
  const [clash] = await tx.select({ id: liveProjects.id }).from(liveProjects).where(and(eq(liveProjects.ownerId, ownerId), eq(liveProjects.name, name)));
  return clash?.id ?? null;
}

// Users create projects; names are unique per owner among live projects (a trashed project's name is free).
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
    if (!row) throw taken(input.name);
    return row;
  },
  audit: { action: "project.create", target: ({ data }) => ({ type: "project", id: data?.id ?? null }) },
});

// Renaming only touches the caller's own live project; another user's id is "not found".
export const renameProject = defineAction({
  name: "projects.rename",
  permission: "self:write",
  input: z.object({ projectId, name: projectName }),
  handler: async ({ tx, user, input }) => {
    const [current] = await tx
      .select({ name: projects.name })
      .from(projects)
      .where(and(eq(projects.id, input.projectId), eq(projects.ownerId, user.id), isNull(projects.deletedAt)))
      .for("update");
    if (!current) throw new ActionFailure("not_found", "That project doesn't exist.");
    const clash = await liveNameTaken(tx, user.id, input.name);
    if (clash && clash !== input.projectId) throw taken(input.name);
    await tx.update(projects).set({ name: input.name, updatedAt: new Date() }).where(and(eq(projects.id, input.projectId), eq(projects.ownerId, user.id)));
    return { id: input.projectId, previousName: current.name };
  },
  audit: {
    action: "project.rename",
    target: ({ input }) => ({ type: "project", id: input.projectId }),
    metadata: ({ input, data }) => ({ before: { name: data?.previousName }, after: { name: input.name } }),
  },
});

/** Moves a project and its live tasks to the trash as one batch. */
async function trashProjectRows(tx: Executor, ownerId: string, id: string, now: Date) {
  const batchId = crypto.randomUUID();
  const [row] = await tx
    .update(projects)
    .set({ deletedAt: now, deletionBatchId: batchId })
    .where(and(eq(projects.id, id), eq(projects.ownerId, ownerId), isNull(projects.deletedAt)))
    .returning({ id: projects.id, name: projects.name });
  if (!row) throw new ActionFailure("not_found", "That project doesn't exist.");
  const children = await tx
    .update(tasks)
    .set({ deletedAt: now, deletionBatchId: batchId })
    .where(and(eq(tasks.projectId, id), isNull(tasks.deletedAt)))
    .returning({ id: tasks.id });
  return { ...row, batchId, tasks: children.length };
}

// Deleting a project moves it to the trash; it can be restored until the trash empties itself.
export const deleteProject = defineAction({
  name: "projects.delete",
  permission: "self:write",
  input: z.object({ projectId }),
  handler: ({ tx, user, input }) => trashProjectRows(tx, user.id, input.projectId, new Date()),
  audit: {
    action: "project.delete",
    target: ({ input }) => ({ type: "project", id: input.projectId }),
    metadata: ({ data }) => ({ name: data?.name, batchId: data?.batchId, tasks: data?.tasks, soft: true }),
  },
});

/**
 * Restores a trashed project and exactly the children deleted with it (same
 * batch), not tasks deleted earlier on their own. If a live project took the
 * name meanwhile, the restored one is renamed rather than refused.
 */
async function restoreProjectRows(tx: Executor, ownerId: string, id: string) {
  const [row] = await tx
    .select({ id: projects.id, name: projects.name, batchId: projects.deletionBatchId })
    .from(projects)
    .where(and(eq(projects.id, id), eq(projects.ownerId, ownerId), isNotNull(projects.deletedAt)))
    .for("update");
  if (!row) throw new ActionFailure("not_found", "That project isn't in the trash.");
  let name = row.name;
  for (let n = 1; await liveNameTaken(tx, ownerId, name); n++) {
    name = `${row.name} (restored${n > 1 ? ` ${n}` : ""})`.slice(0, 120);
  }
  await tx.update(projects).set({ deletedAt: null, deletionBatchId: null, name, updatedAt: new Date() }).where(eq(projects.id, id));
  const children = row.batchId
    ? await tx
        .update(tasks)
        .set({ deletedAt: null, deletionBatchId: null })
        .where(and(eq(tasks.projectId, id), eq(tasks.deletionBatchId, row.batchId)))
        .returning({ id: tasks.id })
    : [];
  return { id, name, renamedFrom: name === row.name ? null : row.name, tasks: children.length };
}

export const restoreProject = defineAction({
  name: "projects.restore",
  permission: "self:write",
  input: z.object({ projectId }),
  handler: ({ tx, user, input }) => restoreProjectRows(tx, user.id, input.projectId),
  audit: {
    action: "project.restore",
    target: ({ input }) => ({ type: "project", id: input.projectId }),
    metadata: ({ data }) => ({ name: data?.name, renamedFrom: data?.renamedFrom, tasks: data?.tasks }),
  },
});

// Deleting from the trash is permanent: it needs a confirmation token bound to this project.
export const purgeProject = defineAction({
  name: "projects.purge",
  permission: "self:write",
  input: z.object({ projectId, confirmation: confirmationToken, confirmText }),
  handler: async ({ tx, user, input }) => {
    const [trashed] = await tx
      .select({ name: projects.name })
      .from(projects)
      .where(and(eq(projects.id, input.projectId), eq(projects.ownerId, user.id), isNotNull(projects.deletedAt)));
    if (!trashed) throw new ActionFailure("not_found", "That project isn't in the trash.");
    requireConfirmationPhrase(input.confirmText, trashed.name, "the project's name");
    await consumeConfirmation(tx, input.confirmation, { actorId: user.id, action: "project.purge", targetId: input.projectId });
    await refuseWhileHeld(tx, user.id);
    const [row] = await tx
      .delete(projects)
      .where(and(eq(projects.id, input.projectId), eq(projects.ownerId, user.id), isNotNull(projects.deletedAt)))
      .returning({ id: projects.id, name: projects.name });
    if (!row) throw new ActionFailure("not_found", "That project isn't in the trash.");
    return row;
  },
  audit: { action: "project.purge", target: ({ input }) => ({ type: "project", id: input.projectId }) },
});

// Emptying the trash is permanent: it needs a confirmation token bound to this user.
export const emptyTrash = defineAction({
  name: "projects.empty_trash",
  permission: "self:write",
  input: z.object({ confirmation: confirmationToken, confirmText }),
  handler: async ({ tx, user, input }) => {
    requireConfirmationPhrase(input.confirmText, EMPTY_TRASH_PHRASE, `“${EMPTY_TRASH_PHRASE}”`);
    await consumeConfirmation(tx, input.confirmation, { actorId: user.id, action: "trash.empty", targetId: user.id });
    await refuseWhileHeld(tx, user.id);
    const rows = await tx
      .delete(projects)
      .where(and(eq(projects.ownerId, user.id), isNotNull(projects.deletedAt)))
      .returning({ id: projects.id });
    return { purged: rows.length };
  },
  audit: { action: "project.trash_empty", target: () => ({ type: "trash", id: null }), metadata: ({ data }) => ({ purged: data?.purged }) },
});

// Tasks give projects children, so "restore brings back what was deleted with it" means something.
export const createTask = defineAction({
  name: "projects.create_task",
  permission: "self:write",
  input: z.object({ projectId, title: z.string().trim().min(1, "Give the task a title.").max(TASK_TITLE_MAX_LENGTH, `Use at most ${TASK_TITLE_MAX_LENGTH} characters.`) }),
  handler: async ({ tx, user, input }) => {
    const [project] = await tx.select({ id: liveProjects.id }).from(liveProjects).where(and(eq(liveProjects.id, input.projectId), eq(liveProjects.ownerId, user.id)));
    if (!project) throw new ActionFailure("not_found", "That project doesn't exist.");
    const [row] = await tx.insert(tasks).values({ projectId: input.projectId, ownerId: user.id, title: input.title }).returning({ id: tasks.id });
    return row!;
  },
  audit: { action: "task.create", target: ({ data }) => ({ type: "task", id: data?.id ?? null }) },
});

// A task deleted on its own gets its own batch, so restoring its project later leaves it deleted.
export const deleteTask = defineAction({
  name: "projects.delete_task",
  permission: "self:write",
  input: z.object({ taskId: z.string().uuid("Unknown task.") }),
  handler: async ({ tx, user, input }) => {
    const [row] = await tx
      .update(tasks)
      .set({ deletedAt: new Date(), deletionBatchId: crypto.randomUUID() })
      .where(and(eq(tasks.id, input.taskId), eq(tasks.ownerId, user.id), isNull(tasks.deletedAt)))
      .returning({ id: tasks.id, projectId: tasks.projectId });
    if (!row) throw new ActionFailure("not_found", "That task doesn't exist.");
    return row;
  },
  audit: { action: "task.delete", target: ({ input }) => ({ type: "task", id: input.taskId }) },
});

// Admin override: restore any user's trashed project.
export const adminRestoreProject = defineAction({
  name: "admin.restore_project",
  permission: "admin:write",
  rateLimit: { policy: "admin", by: "user" },
  input: z.object({ userId: z.string().uuid("Unknown user."), projectId }),
  handler: ({ tx, input }) => restoreProjectRows(tx, input.userId, input.projectId),
  audit: {
    action: "project.restore",
    target: ({ input }) => ({ type: "project", id: input.projectId }),
    metadata: ({ input, data }) => ({ ownerId: input.userId, name: data?.name, tasks: data?.tasks, override: true }),
  },
});

/**
 * Job step: permanently deletes projects that have sat in the trash past the
 * declared period (RETENTION_POLICIES "trash"). Bounded batch; run again for more.
 */
export const purgeExpiredTrash = defineAction({
  name: "projects.purge_expired_trash",
  permission: "system",
  input: z.object({ before: z.coerce.date(), limit: z.number().int().min(1).max(1000) }),
  handler: async ({ tx, input }) => {
    const due = await tx
      .select({ id: projects.id })
      .from(projects)
      .where(
        and(
          isNotNull(projects.deletedAt),
          lt(projects.deletedAt, input.before),
          // Held accounts' trash stays until the hold is lifted.
          sql`not exists (select 1 from ${legalHolds} where ${legalHolds.userId} = ${projects.ownerId} and ${legalHolds.liftedAt} is null)`,
        ),
      )
      .limit(input.limit)
      .for("update", { skipLocked: true });
    if (due.length === 0) return { purged: 0 };
    const rows = await tx
      .delete(projects)
      .where(inArray(
        projects.id,
        due.map((d) => d.id),
      ))
      .returning({ id: projects.id });
    return { purged: rows.length };
  },
  audit: {
    action: "project.trash_expired",
    target: () => ({ type: "trash", id: null }),
    metadata: ({ input, data }) => ({ before: input.before.toISOString(), purged: data?.purged }),
  },
});
