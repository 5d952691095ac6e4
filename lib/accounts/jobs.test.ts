import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/lib/database";
import { fakePaymentCharges, projects, subscriptions, users } from "@/db/schema";
import { renewalsJob } from "@/lib/billing/jobs";
import { renewalKey } from "@/lib/billing/actions";
import { runJob } from "@/lib/jobs/server";
import { contextFor, createTestUser } from "@/test/factories";
import { hashPassword } from "@/lib/auth";
import { deactivateAccount, reactivateAccount, requestAccountDeletion } from "./actions";
import { issueConfirmation, signComebackToken } from "./confirmations";
import { deletionPurgeJob, trashPurgeJob } from "./jobs";

const DAY = 86_400_000;

describe("lifecycle and jobs", () => {
  it("a deactivated user's subscription is skipped by the renewal job; reactivation resumes it", async () => {
    const db = await getDb();
    const user = await createTestUser({ plan: "pro" });
    const periodEnd = new Date(Math.floor((Date.now() - 3_600_000) / 1000) * 1000);
    const [sub] = await db.update(subscriptions).set({ currentPeriodEnd: periodEnd }).where(eq(subscriptions.userId, user.id)).returning();
    expect(await deactivateAccount.run({}, contextFor(user))).toMatchObject({ ok: true });
    await runJob(renewalsJob, { trigger: "test" });
    const charges = () => db.select().from(fakePaymentCharges).where(eq(fakePaymentCharges.idempotencyKey, renewalKey(sub!.id, periodEnd)));
    expect(await charges()).toHaveLength(0);

    const [row] = await db.select().from(users).where(eq(users.id, user.id));
    const token = signComebackToken({ userId: user.id, sessionVersion: row!.sessionVersion, purpose: "reactivate" });
    expect(await reactivateAccount.run({ token }, contextFor(null))).toMatchObject({ ok: true });
    await runJob(renewalsJob, { trigger: "test" });
    expect(await charges()).toHaveLength(1);
  });

  it("trash_purge empties projects trashed longer than the declared period", async () => {
    const db = await getDb();
    const user = await createTestUser();
    const [old] = await db.insert(projects).values({ ownerId: user.id, name: "old", deletedAt: new Date(Date.now() - 31 * DAY) }).returning();
    const [recent] = await db.insert(projects).values({ ownerId: user.id, name: "recent", deletedAt: new Date(Date.now() - 29 * DAY) }).returning();
    const run = await runJob(trashPurgeJob, { trigger: "test" });
    expect(run.status).toBe("succeeded");
    const left = await db.select({ id: projects.id }).from(projects).where(eq(projects.ownerId, user.id));
    expect(left.map((p) => p.id)).toEqual([recent!.id]);
    expect(old).toBeDefined();
  });

  it("deletion_purge purges due accounts only", async () => {
    const db = await getDb();
    const passwordHash = await hashPassword("pw-123456");
    const user = await createTestUser({ passwordHash });
    const t = await issueConfirmation(db, { actorId: user.id, action: "account.delete", targetId: user.id });
    expect((await requestAccountDeletion.run({ email: user.email, password: "pw-123456", confirmation: t.token }, contextFor(user))).ok).toBe(true);
    await runJob(deletionPurgeJob, { trigger: "test" });
    expect(await db.select().from(users).where(eq(users.id, user.id))).toHaveLength(1);
    const run = await runJob(deletionPurgeJob, { trigger: "test", now: new Date(Date.now() + 15 * DAY) });
    expect(run.status).toBe("succeeded");
    expect(await db.select().from(users).where(eq(users.id, user.id))).toHaveLength(0);
  });
});
