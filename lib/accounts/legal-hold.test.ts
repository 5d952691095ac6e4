import { and, eq, inArray, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/lib/database";
import { auditEvents, deletionReceipts, deletionRequests, projects, users } from "@/db/schema";
import { applyAuditRetentionAction } from "@/lib/audit/actions";
import { recordAuditEvent } from "@/lib/audit";
import { runJob } from "@/lib/jobs/server";
import { emptyTrash, purgeProject } from "@/lib/projects/actions";
import { systemContext } from "@/lib/safety";
import { contextFor, createTestUser } from "@/test/factories";
import { placeLegalHold, purgeAccountNow, purgeDueAccount } from "./actions";
import { issueConfirmation } from "./confirmations";
import { deletionPurgeJob, trashPurgeJob } from "./jobs";
import { tombstoneId } from "./tombstone";

const DAY = 86_400_000;

describe("a legal hold holds on every deletion path", () => {
  it("nothing held is gone after every path that deletes has been tried", async () => {
    const db = await getDb();
    const admin = await createTestUser({ role: "admin" });
    const support = await createTestUser({ role: "support" });
    const held = await createTestUser();
    const leaving = await createTestUser();
    const longAgo = new Date(Date.now() - 400 * DAY);

    // Trash older than its retention, two projects so the single purge and "empty trash" each have one to try.
    const trashed = await db
      .insert(projects)
      .values([1, 2, 3].map((n) => ({ ownerId: held.id, name: `Held ${n}`, deletedAt: longAgo, deletionBatchId: crypto.randomUUID() })))
      .returning({ id: projects.id });
    const trashedIds = trashed.map((p) => p.id);
    // A support session's page view about the held user, the audit category with the shortest retention.
    await recordAuditEvent(db, { actor: { type: "support", id: support.id }, action: "impersonation.page_view", target: { type: "user", id: held.id }, outcome: "success", metadata: { path: "/projects" } });
    const [view] = await db.select({ id: auditEvents.id }).from(auditEvents).where(and(eq(auditEvents.action, "impersonation.page_view"), eq(auditEvents.targetId, held.id)));
    // An account whose deletion grace period is over.
    const receiptId = crypto.randomUUID();
    await db.insert(deletionReceipts).values({ id: receiptId, tombstoneId: tombstoneId(leaving.id), requestedAt: longAgo, retained: [], reason: "test" });
    await db.insert(deletionRequests).values({ userId: leaving.id, purgeAfter: longAgo, receiptId, requestedAt: longAgo });
    await db.update(users).set({ status: "pending_deletion" }).where(eq(users.id, leaving.id));

    for (const who of [held, leaving]) expect(await placeLegalHold.run({ userId: who.id, reason: "litigation hold" }, contextFor(admin))).toMatchObject({ ok: true });

    // 1. The trash purge job.
    await runJob(trashPurgeJob, { trigger: "test" });
    // 2. The user's own "purge now" and 3. "empty trash".
    const one = await issueConfirmation(db, { actorId: held.id, action: "project.purge", targetId: trashedIds[0]! });
    expect(await purgeProject.run({ projectId: trashedIds[0], confirmation: one.token, confirmText: "Held 1" }, contextFor(held))).toMatchObject({ ok: false, code: "conflict" });
    const all = await issueConfirmation(db, { actorId: held.id, action: "trash.empty", targetId: held.id });
    expect(await emptyTrash.run({ confirmation: all.token, confirmText: "empty trash" }, contextFor(held))).toMatchObject({ ok: false, code: "conflict" });
    // 4. The admin's purge now, 5. the deletion purge job and 6. its step run directly.
    const purge = await issueConfirmation(db, { actorId: admin.id, action: "account.purge", targetId: held.id });
    expect(await purgeAccountNow.run({ userId: held.id, confirmation: purge.token, confirmText: held.email }, contextFor(admin))).toMatchObject({ ok: false, code: "conflict" });
    await runJob(deletionPurgeJob, { trigger: "test" });
    expect(await purgeDueAccount.run({ userId: leaving.id, now: new Date() }, systemContext("cron:deletion_purge"))).toMatchObject({ ok: false, code: "conflict" });
    // 7. Audit retention, with the page view long past its retention.
    const retention = await applyAuditRetentionAction.run({ now: new Date(Date.now() + 200 * DAY) }, systemContext("cron:audit_retention"));
    expect(retention.ok).toBe(true);

    expect(await db.select({ id: projects.id }).from(projects).where(inArray(projects.id, trashedIds))).toHaveLength(3);
    expect(await db.select({ id: users.id }).from(users).where(inArray(users.id, [held.id, leaving.id]))).toHaveLength(2);
    expect(await db.select({ id: auditEvents.id }).from(auditEvents).where(eq(auditEvents.id, view!.id))).toHaveLength(1);
    const [{ n }] = (await db.select({ n: sql<number>`count(*)::int` }).from(deletionRequests).where(and(eq(deletionRequests.userId, leaving.id), eq(deletionRequests.status, "pending")))) as [{ n: number }];
    expect(n).toBe(1);
    // Seven deletion paths, two of them whole job runs: more than the default per-test allowance on a loaded machine.
  }, 90_000);
});
