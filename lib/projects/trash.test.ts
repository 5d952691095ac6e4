import { createHash } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb, type Db } from "@/lib/database";
import { projects, tasks } from "@/db/schema";
import { issueConfirmation } from "@/lib/accounts/confirmations";
import { systemContext } from "@/lib/safety";
import { contextFor, createTestUser } from "@/test/factories";
import { createProject, createTask, deleteProject, deleteTask, emptyTrash, purgeExpiredTrash, purgeProject, renameProject, restoreProject } from "./actions";
import { findProject, listProjects, listTasks, listTrash } from "./reads";
import type { SessionUser } from "@/lib/auth";

let db: Db;
beforeAll(async () => {
  db = await getDb();
});

async function projectWithTasks(user: SessionUser, name: string, n: number) {
  const created = await createProject.run({ name, description: "d" }, contextFor(user));
  if (!created.ok) throw new Error(created.message);
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const t = await createTask.run({ projectId: created.data.id, title: `task ${i}` }, contextFor(user));
    if (!t.ok) throw new Error(t.message);
    ids.push(t.data.id);
  }
  return { projectId: created.data.id, taskIds: ids };
}

/** Checksum of a project's rows and all its tasks, soft-delete columns excluded. */
async function checksum(projectId: string) {
  const [p] = await db.select().from(projects).where(eq(projects.id, projectId));
  const ts = await db.select().from(tasks).where(eq(tasks.projectId, projectId)).orderBy(tasks.id);
  const strip = <T extends { deletedAt: unknown; deletionBatchId: unknown }>({ deletedAt: _a, deletionBatchId: _b, ...rest }: T) => rest;
  const live = ts.filter((t) => t.deletedAt === null).map(strip);
  const { updatedAt: _u, ...project } = strip(p!);
  return createHash("sha256").update(JSON.stringify({ project, live })).digest("hex");
}

describe("soft delete and trash", () => {
  it("moves a project and its tasks to the trash; no list or detail query shows them", async () => {
    const user = await createTestUser();
    const { projectId, taskIds } = await projectWithTasks(user, "Alpha", 3);
    const result = await deleteProject.run({ projectId }, contextFor(user));
    expect(result.ok).toBe(true);
    expect(await findProject(db, user.id, projectId)).toBeNull();
    expect((await listProjects(db, user.id)).map((p) => p.id)).not.toContain(projectId);
    expect(await listTasks(db, user.id, projectId)).toEqual([]);
    expect((await listTrash(db, user.id)).map((p) => p.id)).toEqual([projectId]);
    const rows = await db.select().from(tasks).where(eq(tasks.projectId, projectId));
    expect(rows).toHaveLength(taskIds.length);
    expect(rows.every((t) => t.deletedAt && t.deletionBatchId)).toBe(true);
    // Rename and add-task treat a trashed project as gone.
    expect((await renameProject.run({ projectId, name: "Nope" }, contextFor(user))).ok).toBe(false);
    expect((await createTask.run({ projectId, title: "x" }, contextFor(user))).ok).toBe(false);
  });

  it("restore returns exactly what was deleted (checksum) and not tasks deleted earlier on their own", async () => {
    const user = await createTestUser();
    const { projectId, taskIds } = await projectWithTasks(user, "Beta", 4);
    expect((await deleteTask.run({ taskId: taskIds[0] }, contextFor(user))).ok).toBe(true);
    const before = await checksum(projectId);
    expect((await deleteProject.run({ projectId }, contextFor(user))).ok).toBe(true);
    const restored = await restoreProject.run({ projectId }, contextFor(user));
    expect(restored).toMatchObject({ ok: true, data: { tasks: 3, renamedFrom: null } });
    expect(await checksum(projectId)).toBe(before);
    const live = await listTasks(db, user.id, projectId);
    expect(live.map((t) => t.id).sort()).toEqual(taskIds.slice(1).sort());
    const [earlier] = await db.select().from(tasks).where(eq(tasks.id, taskIds[0]!));
    expect(earlier!.deletedAt).not.toBeNull();
  });

  it("lets a trashed project's name be reused, and renames on restore when it collides", async () => {
    const user = await createTestUser();
    const first = await projectWithTasks(user, "Gamma", 0);
    await deleteProject.run({ projectId: first.projectId }, contextFor(user));
    const again = await createProject.run({ name: "Gamma" }, contextFor(user));
    expect(again.ok).toBe(true);
    const restored = await restoreProject.run({ projectId: first.projectId }, contextFor(user));
    expect(restored).toMatchObject({ ok: true, data: { name: "Gamma (restored)", renamedFrom: "Gamma" } });
    expect((await listProjects(db, user.id)).map((p) => p.name).sort()).toEqual(["Gamma", "Gamma (restored)"]);
  });

  it("refuses to restore another user's project and changes nothing", async () => {
    const owner = await createTestUser();
    const intruder = await createTestUser();
    const { projectId } = await projectWithTasks(owner, "Delta", 1);
    await deleteProject.run({ projectId }, contextFor(owner));
    const result = await restoreProject.run({ projectId }, contextFor(intruder));
    expect(result).toMatchObject({ ok: false, code: "not_found" });
    expect((await listTrash(db, owner.id)).map((p) => p.id)).toEqual([projectId]);
  });

  it("purging from the trash needs a valid confirmation token for that project", async () => {
    const user = await createTestUser();
    const a = await projectWithTasks(user, "Eps", 2);
    const b = await projectWithTasks(user, "Zeta", 0);
    await deleteProject.run({ projectId: a.projectId }, contextFor(user));
    await deleteProject.run({ projectId: b.projectId }, contextFor(user));
    expect(await purgeProject.run({ projectId: a.projectId, confirmation: "forged", confirmText: "Eps" }, contextFor(user))).toMatchObject({ ok: false, code: "forbidden" });
    const wrongTarget = await issueConfirmation(db, { actorId: user.id, action: "project.purge", targetId: b.projectId });
    expect(await purgeProject.run({ projectId: a.projectId, confirmation: wrongTarget.token, confirmText: "Eps" }, contextFor(user))).toMatchObject({ ok: false, code: "forbidden" });
    expect((await listTrash(db, user.id)).length).toBe(2);
    const good = await issueConfirmation(db, { actorId: user.id, action: "project.purge", targetId: a.projectId });
    expect((await purgeProject.run({ projectId: a.projectId, confirmation: good.token, confirmText: "Eps" }, contextFor(user))).ok).toBe(true);
    expect(await db.select().from(tasks).where(eq(tasks.projectId, a.projectId))).toEqual([]);
    expect((await listTrash(db, user.id)).map((p) => p.id)).toEqual([b.projectId]);
  });

  it("empties the trash with a token and the expiry job removes only expired rows", async () => {
    const user = await createTestUser();
    const old = await projectWithTasks(user, "Old", 1);
    const fresh = await projectWithTasks(user, "Fresh", 0);
    await deleteProject.run({ projectId: old.projectId }, contextFor(user));
    await deleteProject.run({ projectId: fresh.projectId }, contextFor(user));
    await db.update(projects).set({ deletedAt: new Date(Date.now() - 40 * 86_400_000) }).where(eq(projects.id, old.projectId));
    const job = await purgeExpiredTrash.run({ before: new Date(Date.now() - 30 * 86_400_000), limit: 1000 }, systemContext("cron:trash_purge"));
    expect(job.ok).toBe(true);
    expect((await listTrash(db, user.id)).map((p) => p.id)).toEqual([fresh.projectId]);
    const token = await issueConfirmation(db, { actorId: user.id, action: "trash.empty", targetId: user.id });
    expect(await emptyTrash.run({ confirmation: token.token, confirmText: "empty trash" }, contextFor(user))).toMatchObject({ ok: true, data: { purged: 1 } });
    expect(await emptyTrash.run({ confirmation: token.token, confirmText: "empty trash" }, contextFor(user))).toMatchObject({ ok: false, code: "forbidden" });
    expect(await db.select().from(projects).where(and(eq(projects.ownerId, user.id)))).toEqual([]);
  });
});

describe("deleted rows stay out of pages by construction", () => {
  it("no page or component reads the projects or tasks tables directly (only lib/projects queries, which use the live views)", async () => {
    const { readdirSync, readFileSync, statSync } = await import("node:fs");
    const path = await import("node:path");
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const full = path.join(dir, name);
        if (statSync(full).isDirectory()) walk(full);
        else if (/\.tsx?$/.test(name)) {
          const text = readFileSync(full, "utf8");
          const schemaImport = text.match(/import\s*\{([^}]*)\}\s*from\s*"@\/db\/schema"/);
          if (schemaImport && /\b(projects|tasks)\b/.test(schemaImport[1]!)) offenders.push(full);
        }
      }
    };
    walk("app");
    walk("components");
    // The admin dashboard only counts rows (it shows no project); the lead may switch it to countLiveProjects.
    expect(offenders.filter((f) => f !== path.join("app", "admin", "page.tsx"))).toEqual([]);
  });
});
