import { and, eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb, type Db } from "@/lib/database";
import { auditEvents, confirmationTokens, deletionReceipts, deletionRequests, notifications, users } from "@/db/schema";
import { hashPassword } from "@/lib/auth";
import { loadSessionUser } from "@/lib/auth/session-user";
import { contextFor, createTestUser, sessionClaims } from "@/test/factories";
import {
  adminCancelDeletion,
  cancelDeletion,
  deactivateAccount,
  reactivateAccount,
  requestAccountDeletion,
  requestConfirmation,
} from "./actions";
import { issueConfirmation, signComebackToken } from "./confirmations";

const PASSWORD = "correct horse battery";
let db: Db;
let passwordHash: string;
beforeAll(async () => {
  db = await getDb();
  passwordHash = await hashPassword(PASSWORD);
});

async function userRow(id: string) {
  const [row] = await db.select().from(users).where(eq(users.id, id));
  return row!;
}

async function deletionToken(user: { id: string }) {
  return (await issueConfirmation(db, { actorId: user.id, action: "account.delete", targetId: user.id })).token;
}

describe("deactivate = pause", () => {
  it("signs every session out, keeps data, and shows only the way back until reactivated", async () => {
    const user = await createTestUser({ passwordHash });
    const before = await userRow(user.id);
    expect(await deactivateAccount.run({}, contextFor(user))).toMatchObject({ ok: true });
    const after = await userRow(user.id);
    expect(after.status).toBe("deactivated");
    expect(after.sessionVersion).toBe(before.sessionVersion + 1);
    // Old and new sessions alike get no user: every page and action stays closed.
    expect(await loadSessionUser(db, sessionClaims(user.id, before.sessionVersion))).toBeNull();
    expect(await loadSessionUser(db, sessionClaims(user.id, after.sessionVersion))).toBeNull();

    const stale = signComebackToken({ userId: user.id, sessionVersion: before.sessionVersion, purpose: "reactivate" });
    expect(await reactivateAccount.run({ token: stale }, contextFor(null))).toMatchObject({ ok: false, code: "unauthenticated" });
    const wrongPurpose = signComebackToken({ userId: user.id, sessionVersion: after.sessionVersion, purpose: "cancel_deletion" });
    expect(await reactivateAccount.run({ token: wrongPurpose }, contextFor(null))).toMatchObject({ ok: false, code: "unauthenticated" });
    const expired = signComebackToken({ userId: user.id, sessionVersion: after.sessionVersion, purpose: "reactivate" }, new Date(Date.now() - 6 * 60_000));
    expect(await reactivateAccount.run({ token: expired }, contextFor(null))).toMatchObject({ ok: false, code: "unauthenticated" });
    const [signed, sig] = stale.split(".");
    expect(await reactivateAccount.run({ token: `${signed}.${sig!.slice(0, -2)}xx` }, contextFor(null))).toMatchObject({ ok: false });
    expect((await userRow(user.id)).status).toBe("deactivated");

    const token = signComebackToken({ userId: user.id, sessionVersion: after.sessionVersion, purpose: "reactivate" });
    expect(await reactivateAccount.run({ token }, contextFor(null))).toMatchObject({ ok: true });
    expect(await loadSessionUser(db, sessionClaims(user.id, after.sessionVersion))).toMatchObject({ id: user.id, status: "active" });
  });
});

describe("delete = permanent, after a grace period", () => {
  it("refuses a mistyped email, a wrong password and a missing, replayed, expired or foreign token; nothing changes", async () => {
    const user = await createTestUser({ passwordHash });
    const other = await createTestUser({ passwordHash });
    const ctx = contextFor(user);
    const good = { email: user.email.toUpperCase(), password: PASSWORD };

    expect(await requestAccountDeletion.run({ ...good, email: `x${user.email}`, confirmation: await deletionToken(user) }, ctx)).toMatchObject({
      ok: false,
      code: "invalid_input",
      fieldErrors: { email: expect.any(String) },
    });
    expect(await requestAccountDeletion.run({ ...good, password: "wrong", confirmation: await deletionToken(user) }, ctx)).toMatchObject({
      ok: false,
      code: "invalid_input",
      fieldErrors: { password: expect.any(String) },
    });
    expect(await requestAccountDeletion.run({ ...good, confirmation: "made-up" }, ctx)).toMatchObject({ ok: false, code: "forbidden" });
    const expired = await issueConfirmation(db, { actorId: user.id, action: "account.delete", targetId: user.id }, new Date(Date.now() - 5 * 60_000 - 1000));
    expect(await requestAccountDeletion.run({ ...good, confirmation: expired.token }, ctx)).toMatchObject({ ok: false, code: "forbidden" });
    const foreign = await issueConfirmation(db, { actorId: other.id, action: "account.delete", targetId: other.id });
    expect(await requestAccountDeletion.run({ ...good, confirmation: foreign.token }, ctx)).toMatchObject({ ok: false, code: "forbidden" });
    const wrongAction = await issueConfirmation(db, { actorId: user.id, action: "trash.empty", targetId: user.id });
    expect(await requestAccountDeletion.run({ ...good, confirmation: wrongAction.token }, ctx)).toMatchObject({ ok: false, code: "forbidden" });
    expect((await userRow(user.id)).status).toBe("active");
    expect(await db.select().from(deletionRequests).where(eq(deletionRequests.userId, user.id))).toEqual([]);

    // Asking for a token for someone else's account is refused.
    expect(await requestConfirmation.run({ action: "account.delete", targetId: other.id }, ctx)).toMatchObject({ ok: false, code: "forbidden" });
    expect(await requestConfirmation.run({ action: "account.purge", targetId: other.id }, ctx)).toMatchObject({ ok: false, code: "forbidden" });

    const issued = await requestConfirmation.run({ action: "account.delete", targetId: user.id }, ctx);
    if (!issued.ok) throw new Error(issued.message);
    const done = await requestAccountDeletion.run({ ...good, confirmation: issued.data.token }, ctx);
    expect(done.ok).toBe(true);
    // Replay of a spent token.
    await db.update(users).set({ status: "active" }).where(eq(users.id, user.id));
    await db.update(deletionRequests).set({ status: "cancelled" }).where(eq(deletionRequests.userId, user.id));
    expect(await requestAccountDeletion.run({ ...good, confirmation: issued.data.token }, ctx)).toMatchObject({ ok: false, code: "forbidden" });
  });

  it("locks the account, writes and emails the receipt, and cancelling during grace restores full access", async () => {
    const user = await createTestUser({ passwordHash });
    const before = await userRow(user.id);
    const result = await requestAccountDeletion.run({ email: user.email, password: PASSWORD, confirmation: await deletionToken(user) }, contextFor(user));
    if (!result.ok) throw new Error(result.message);
    const graceMs = result.data.purgeAfter.getTime() - Date.now();
    expect(graceMs).toBeGreaterThan(13.9 * 86_400_000);
    expect(graceMs).toBeLessThanOrEqual(14 * 86_400_000);
    const locked = await userRow(user.id);
    expect(locked.status).toBe("pending_deletion");
    expect(await loadSessionUser(db, sessionClaims(user.id, locked.sessionVersion))).toBeNull();
    const [receipt] = await db.select().from(deletionReceipts).where(eq(deletionReceipts.id, result.data.receiptId));
    expect(receipt!.completedAt).toBeNull();
    expect(receipt!.retained.map((r) => r.category)).toContain("invoices");
    const [mail] = await db.select().from(notifications).where(eq(notifications.userId, user.id));
    expect(mail!.template).toBe("deletion_receipt");
    expect(mail!.body).toContain(result.data.receiptId);

    // The comeback token from the pre-deletion session no longer works; one for the new session does.
    const stale = signComebackToken({ userId: user.id, sessionVersion: before.sessionVersion, purpose: "cancel_deletion" });
    expect(await cancelDeletion.run({ token: stale }, contextFor(null))).toMatchObject({ ok: false, code: "unauthenticated" });
    const token = signComebackToken({ userId: user.id, sessionVersion: locked.sessionVersion, purpose: "cancel_deletion" });
    expect(await cancelDeletion.run({ token }, contextFor(null))).toMatchObject({ ok: true });
    expect(await loadSessionUser(db, sessionClaims(user.id, locked.sessionVersion))).toMatchObject({ status: "active" });
    const [request] = await db.select().from(deletionRequests).where(eq(deletionRequests.userId, user.id));
    expect(request!.status).toBe("cancelled");
    expect(await cancelDeletion.run({ token }, contextFor(null))).toMatchObject({ ok: false, code: "conflict" });
  });

  it("support (admin) can cancel a pending deletion, with a reason the user is emailed; a user cannot", async () => {
    const user = await createTestUser({ passwordHash });
    const admin = await createTestUser({ role: "admin" });
    await requestAccountDeletion.run({ email: user.email, password: PASSWORD, confirmation: await deletionToken(user) }, contextFor(user));
    const plain = await createTestUser();
    expect(await adminCancelDeletion.run({ userId: user.id, reason: "asked us by phone" }, contextFor(plain))).toMatchObject({ ok: false, code: "forbidden" });
    // No reason, no cancellation: the user's consent is on record and they are told why.
    expect(await adminCancelDeletion.run({ userId: user.id }, contextFor(admin))).toMatchObject({ ok: false, code: "invalid_input", fieldErrors: { reason: expect.any(String) } });
    expect((await userRow(user.id)).status).toBe("pending_deletion");
    expect(await adminCancelDeletion.run({ userId: user.id, reason: "asked us by phone" }, contextFor(admin))).toMatchObject({ ok: true });
    expect((await userRow(user.id)).status).toBe("active");
    const mail = await db.select().from(notifications).where(eq(notifications.userId, user.id));
    expect(mail.find((m) => m.template === "deletion_cancelled_by_support")?.body).toContain("Reason: asked us by phone");
    const [event] = await db.select().from(auditEvents).where(and(eq(auditEvents.action, "account.deletion_cancel"), eq(auditEvents.targetId, user.id)));
    expect(event?.metadata).toMatchObject({ bySupport: true, reason: "asked us by phone" });
  });

  it("stores only token hashes", async () => {
    const user = await createTestUser();
    const { token } = await issueConfirmation(db, { actorId: user.id, action: "trash.empty", targetId: user.id });
    const rows = await db.select().from(confirmationTokens).where(eq(confirmationTokens.actorId, user.id));
    expect(rows.some((r) => r.tokenHash === token)).toBe(false);
    const [leak] = await db.select({ n: sql<number>`count(*)::int` }).from(auditEvents).where(sql`${auditEvents.metadata}::text like ${"%" + token + "%"}`);
    expect(leak!.n).toBe(0);
  });
});
