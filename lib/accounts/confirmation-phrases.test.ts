import { eq, inArray } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/lib/database";
import { projects, users } from "@/db/schema";
import { emptyTrash, purgeProject } from "@/lib/projects/actions";
import { contextFor, createTestUser } from "@/test/factories";
import { purgeAccountNow } from "./actions";
import { issueConfirmation } from "./confirmations";

const wrongPhrase = { ok: false, code: "invalid_input", fieldErrors: { confirmText: expect.any(String) } };

describe("the typed confirmation phrase of an irreversible action is checked by the server", () => {
  it("purge now, empty trash and delete forever refuse a missing or wrong phrase, even with a valid token, and delete nothing", async () => {
    const db = await getDb();
    const admin = await createTestUser({ role: "admin" });
    const user = await createTestUser();
    const trashed = await db
      .insert(projects)
      .values(["Apollo", "Gemini"].map((name) => ({ ownerId: user.id, name, deletedAt: new Date(), deletionBatchId: crypto.randomUUID() })))
      .returning({ id: projects.id });
    const [apollo, gemini] = trashed.map((p) => p.id) as [string, string];

    for (const confirmText of [undefined, "", "Gemini", "apollo!"]) {
      const token = await issueConfirmation(db, { actorId: user.id, action: "project.purge", targetId: apollo });
      expect(await purgeProject.run({ projectId: apollo, confirmation: token.token, confirmText }, contextFor(user))).toMatchObject(wrongPhrase);
    }
    for (const confirmText of [undefined, "empty", "delete"]) {
      const token = await issueConfirmation(db, { actorId: user.id, action: "trash.empty", targetId: user.id });
      expect(await emptyTrash.run({ confirmation: token.token, confirmText }, contextFor(user))).toMatchObject(wrongPhrase);
    }
    for (const confirmText of [undefined, admin.email, "someone@example.test"]) {
      const token = await issueConfirmation(db, { actorId: admin.id, action: "account.purge", targetId: user.id });
      expect(await purgeAccountNow.run({ userId: user.id, confirmation: token.token, confirmText }, contextFor(admin))).toMatchObject(wrongPhrase);
    }
    expect(await db.select().from(projects).where(inArray(projects.id, [apollo, gemini]))).toHaveLength(2);
    expect(await db.select().from(users).where(eq(users.id, user.id))).toHaveLength(1);

    // The phrase the dialog asks for, in any case and with stray spaces, goes through.
    const one = await issueConfirmation(db, { actorId: user.id, action: "project.purge", targetId: apollo });
    expect(await purgeProject.run({ projectId: apollo, confirmation: one.token, confirmText: " APOLLO " }, contextFor(user))).toMatchObject({ ok: true });
    const all = await issueConfirmation(db, { actorId: user.id, action: "trash.empty", targetId: user.id });
    expect(await emptyTrash.run({ confirmation: all.token, confirmText: "Empty Trash" }, contextFor(user))).toMatchObject({ ok: true, data: { purged: 1 } });
    const purge = await issueConfirmation(db, { actorId: admin.id, action: "account.purge", targetId: user.id });
    expect(await purgeAccountNow.run({ userId: user.id, confirmation: purge.token, confirmText: user.email.toUpperCase() }, contextFor(admin))).toMatchObject({ ok: true });
  });
});
