import { describe, expect, it } from "vitest";
import { contextFor, createTestUser } from "@/test/factories";
import { createProject, createTask, deleteProject } from "./actions";
import { myProjects, projectDetail, projectTrash } from "./queries";

async function projectOf(name: string) {
  const owner = await createTestUser();
  const created = await createProject.run({ name }, contextFor(owner));
  if (!created.ok) throw new Error(created.message);
  return { owner, projectId: created.data.id };
}

describe("project page queries", () => {
  it("need a signed-in caller", async () => {
    expect(await myProjects.run({}, contextFor(null))).toMatchObject({ ok: false, code: "unauthenticated" });
    expect(await projectTrash.run({}, contextFor(null))).toMatchObject({ ok: false, code: "unauthenticated" });
  });

  it("list only the caller's live projects, with the trash period", async () => {
    const { owner, projectId } = await projectOf("Mine");
    const other = await createTestUser();
    const mine = await myProjects.run({}, contextFor(owner));
    expect(mine).toMatchObject({ ok: true, data: { projects: [{ id: projectId, name: "Mine" }], trashDays: 30 } });
    expect(await myProjects.run({}, contextFor(other))).toMatchObject({ ok: true, data: { projects: [] } });
  });

  it("show a project with its tasks to its owner", async () => {
    const { owner, projectId } = await projectOf("Detailed");
    await createTask.run({ projectId, title: "First" }, contextFor(owner));
    const detail = await projectDetail.run({ id: projectId }, contextFor(owner));
    expect(detail).toMatchObject({ ok: true, data: { project: { id: projectId, name: "Detailed" }, tasks: [{ title: "First" }], trashDays: 30 } });
  });

  it("answer not_found for another user's project, a trashed one, and a malformed id", async () => {
    const { owner, projectId } = await projectOf("Private");
    const intruder = await createTestUser();
    expect(await projectDetail.run({ id: projectId }, contextFor(intruder))).toMatchObject({ ok: false, code: "not_found" });
    await deleteProject.run({ projectId }, contextFor(owner));
    expect(await projectDetail.run({ id: projectId }, contextFor(owner))).toMatchObject({ ok: false, code: "not_found" });
    expect(await projectDetail.run({ id: "not-a-uuid" }, contextFor(owner))).toMatchObject({ ok: false, code: "invalid_input" });
  });

  it("list the caller's trash with the day each project is removed for good", async () => {
    const { owner, projectId } = await projectOf("Binned");
    await deleteProject.run({ projectId }, contextFor(owner));
    const trash = await projectTrash.run({}, contextFor(owner));
    if (!trash.ok) throw new Error(trash.message);
    expect(trash.data).toMatchObject({ ownerId: owner.id, days: 30, projects: [{ id: projectId, name: "Binned" }] });
    const [entry] = trash.data.projects;
    expect(entry!.purgeAfter.getTime() - entry!.deletedAt.getTime()).toBe(30 * 86_400_000);
    expect(await projectTrash.run({}, contextFor(await createTestUser()))).toMatchObject({ ok: true, data: { projects: [] } });
  });
});
