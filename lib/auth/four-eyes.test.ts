import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/lib/database";
import { auditEvents, flags, notifications, users } from "@/db/schema";
import { decideChangeAction, saveFlagAction } from "@/lib/flags/actions";
import { contextFor, createTestUser, flagFormInput, sessionClaims } from "@/test/factories";
import { changeUserRole, decideAccessChange, requestAccessChange } from "./actions";
import { hashPassword } from "./password";
import { loadSessionUser } from "./session-user";
import { attemptPasswordSignIn } from "./sign-in";

// Open (and migrate) the database once, outside any single test's time budget.
beforeAll(() => getDb());

const flagInput = (key: string, over: Record<string, string> = {}) => flagFormInput(key, { reason: "four eyes test", ...over });

async function pendingId(result: unknown): Promise<string> {
  const id = (result as { ok: boolean; data?: { pendingApproval?: string | null; id?: string } }).data;
  const value = id?.pendingApproval ?? id?.id;
  if (!value) throw new Error(`expected a pending request, got ${JSON.stringify(result)}`);
  return value;
}

describe("flag approvals read the stored flag, not the input", () => {
  it("a production rollout of a release flag waits for a second admin even when the save claims kind ops", async () => {
    const admin = await createTestUser({ role: "admin" });
    const key = `fe_${crypto.randomUUID().slice(0, 8)}`;
    expect(await saveFlagAction.run(flagInput(key), contextFor(admin))).toMatchObject({ ok: true, data: { pendingApproval: null } });
    const sneaky = await saveFlagAction.run(flagInput(key, { revision: "1", kind: "ops", rollout: "50", reason: "just ops" }), contextFor(admin));
    expect(sneaky).toMatchObject({ ok: true, data: { pendingApproval: expect.any(String) } });
    const db = await getDb();
    const [row] = await db.select().from(flags).where(eq(flags.key, key));
    expect(row).toMatchObject({ kind: "release" });
    expect(row!.environments.production!.rollout).toBe(0);
  });

  it("turning a release flag into an ops flag is itself a change a second admin approves", async () => {
    const admin = await createTestUser({ role: "admin" });
    const key = `fe_${crypto.randomUUID().slice(0, 8)}`;
    await saveFlagAction.run(flagInput(key, { environment: "development" }), contextFor(admin));
    const relabel = await saveFlagAction.run(flagInput(key, { revision: "1", kind: "ops", environment: "development", reason: "relabel" }), contextFor(admin));
    expect(relabel).toMatchObject({ ok: true, data: { pendingApproval: expect.any(String) } });
    const [row] = await (await getDb()).select().from(flags).where(eq(flags.key, key));
    expect(row!.kind).toBe("release");
  });
});

describe("promotion to admin needs a second admin, and a fresh admin approves nothing", () => {
  it("one admin cannot make another account an admin alone", async () => {
    const admin = await createTestUser({ role: "admin" });
    const puppet = await createTestUser();
    expect(await changeUserRole.run({ userId: puppet.id, role: "admin" }, contextFor(admin))).toMatchObject({ ok: false, code: "forbidden" });
    const asked = await requestAccessChange.run({ userId: puppet.id, kind: "promote_admin", reason: "needs admin" }, contextFor(admin));
    const requestId = await pendingId(asked);
    expect(await decideAccessChange.run({ requestId, decision: "approve", reason: "self approval" }, contextFor(admin))).toMatchObject({ ok: false, code: "forbidden" });
    const db = await getDb();
    const [still] = await db.select({ role: users.role }).from(users).where(eq(users.id, puppet.id));
    expect(still!.role).toBe("user");
  });

  it("a sock puppet promoted with a second admin's approval still cannot approve its promoter's changes in the same window", async () => {
    const [rogue, colleague] = [await createTestUser({ role: "admin" }), await createTestUser({ role: "admin" })];
    const puppet = await createTestUser();
    const promotion = await pendingId(await requestAccessChange.run({ userId: puppet.id, kind: "promote_admin", reason: "on-call cover" }, contextFor(rogue)));
    expect(await decideAccessChange.run({ requestId: promotion, decision: "approve", reason: "fine by me" }, contextFor(colleague))).toMatchObject({ ok: true, data: { status: "applied" } });
    const db = await getDb();
    const [promoted] = await db.select().from(users).where(eq(users.id, puppet.id));
    expect(promoted).toMatchObject({ role: "admin", promotedAt: expect.any(Date) });
    const asAdmin = { ...puppet, role: "admin" as const };

    // The rogue admin's production rollout, approved by the puppet: refused.
    const key = `fe_${crypto.randomUUID().slice(0, 8)}`;
    await saveFlagAction.run(flagInput(key), contextFor(rogue));
    const change = await pendingId(await saveFlagAction.run(flagInput(key, { revision: "1", rollout: "50", reason: "ship it" }), contextFor(rogue)));
    expect(await decideChangeAction.run({ requestId: change, decision: "approve", reason: "looks good to me" }, contextFor(asAdmin))).toMatchObject({ ok: false, code: "forbidden" });
    // Nor an access change (suspending the colleague who could stop it).
    const suspend = await pendingId(await requestAccessChange.run({ userId: colleague.id, kind: "suspend", reason: "get them out" }, contextFor(rogue)));
    expect(await decideAccessChange.run({ requestId: suspend, decision: "approve", reason: "looks good to me" }, contextFor(asAdmin))).toMatchObject({ ok: false, code: "forbidden" });
    // An admin of longer standing can.
    expect(await decideChangeAction.run({ requestId: change, decision: "approve", reason: "reviewed" }, contextFor(colleague))).toMatchObject({ ok: true });
  });
});

describe("suspending and revoking sessions: two admins, audited, the person emailed", () => {
  it("a suspension ends every session, refuses sign-in with a reason, and is emailed; lifting it needs two admins too", async () => {
    const [first, second] = [await createTestUser({ role: "admin" }), await createTestUser({ role: "admin" })];
    const person = await createTestUser({ passwordHash: await hashPassword("right password") });
    const db = await getDb();
    const live = sessionClaims(person.id, 0);
    expect(await loadSessionUser(db, live)).not.toBeNull();

    const requestId = await pendingId(await requestAccessChange.run({ userId: person.id, kind: "suspend", reason: "fraud report #12" }, contextFor(first)));
    expect(await loadSessionUser(db, live)).not.toBeNull(); // nothing happens on one admin's say-so
    expect(await decideAccessChange.run({ requestId, decision: "approve", reason: "confirmed" }, contextFor(second))).toMatchObject({ ok: true, data: { status: "applied" } });

    expect(await loadSessionUser(db, live)).toBeNull();
    expect(await attemptPasswordSignIn({ email: person.email, password: "right password" }, { ip: "192.0.2.50", userAgent: "vitest" })).toEqual({ ok: false, reason: "suspended", retryAfterSeconds: undefined });
    const mail = await db.select().from(notifications).where(eq(notifications.toEmail, person.email));
    expect(mail.map((m) => m.subject)).toContain("Your Breakwater account has been suspended");
    const trail = await db.select().from(auditEvents).where(and(eq(auditEvents.targetType, "user"), eq(auditEvents.targetId, person.id)));
    expect(trail.map((e) => e.action)).toEqual(expect.arrayContaining(["user.access_request", "user.access_decision"]));

    const lift = await pendingId(await requestAccessChange.run({ userId: person.id, kind: "unsuspend", reason: "appeal upheld" }, contextFor(second)));
    expect(await decideAccessChange.run({ requestId: lift, decision: "approve", reason: "agreed" }, contextFor(first))).toMatchObject({ ok: true });
    expect(await attemptPasswordSignIn({ email: person.email, password: "right password" }, { ip: "192.0.2.51", userAgent: "vitest" })).toMatchObject({ ok: true });
  });

  it("revoking sessions ends them all and tells the person; the account stays active", async () => {
    const [first, second] = [await createTestUser({ role: "admin" }), await createTestUser({ role: "admin" })];
    const person = await createTestUser();
    const db = await getDb();
    const requestId = await pendingId(await requestAccessChange.run({ userId: person.id, kind: "revoke_sessions", reason: "stolen laptop" }, contextFor(first)));
    const decided = await decideAccessChange.run({ requestId, decision: "approve", reason: "confirmed with the owner" }, contextFor(second));
    expect(decided, JSON.stringify(decided)).toMatchObject({ ok: true });
    expect(await loadSessionUser(db, sessionClaims(person.id, 0))).toBeNull();
    expect(await loadSessionUser(db, sessionClaims(person.id, 1))).toMatchObject({ status: "active" });
    const mail = await db.select().from(notifications).where(eq(notifications.userId, person.id));
    expect(mail.map((m) => m.subject)).toContain("You were signed out of Breakwater everywhere");
  });
});
