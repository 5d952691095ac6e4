import { eq } from "drizzle-orm";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { getDb } from "@/lib/database";
import { users } from "@/db/schema";
import { recordAuditEvent, SUBJECT_VISIBLE_ACTIONS } from "@/lib/audit";
import { contextFor, createTestUser } from "@/test/factories";

// The session cookie is Auth.js's business; here the inactive account it would name is set by each test.
const session = vi.hoisted(() => ({ inactive: null as null | { id: string; email: string; name: string; status: string; sessionVersion: number } }));
vi.mock("@/lib/auth/next", () => ({ getInactiveAccount: async () => session.inactive }));

const { issueConfirmation, verifyComebackToken } = await import("./confirmations");
const { deactivateAccount } = await import("./actions");
const { deletionGraceDays } = await import("./policy");
const { accountActivity, accountSettings, adminAccountLifecycle, comebackOffer, dataRetention, exportDownload } = await import("./queries");

beforeEach(() => {
  session.inactive = null;
});

/** Looks like an action code ("account.confirmation_issue") rather than words. */
const CODE = /^[a-z_]+\.[a-z_]+/;

describe("account settings", () => {
  it("shows the caller their own profile and the deletion grace period", async () => {
    const user = await createTestUser();
    expect(await accountSettings.run({}, contextFor(user))).toMatchObject({ ok: true, data: { id: user.id, email: user.email, name: user.name, role: "user", deletionGraceDays: deletionGraceDays() } });
    expect(await accountSettings.run({}, contextFor(null))).toMatchObject({ ok: false, code: "unauthenticated" });
  });
});

describe("account activity", () => {
  it("tells every event the subject may see as a sentence, hides staff-side events, and counts support page views", async () => {
    const user = await createTestUser();
    const staff = await createTestUser({ role: "support" });
    const db = await getDb();
    const about = { type: "user", id: user.id };
    for (const action of SUBJECT_VISIBLE_ACTIONS) await recordAuditEvent(db, { actor: { type: "user", id: user.id }, action, target: about, outcome: "success" });
    for (const action of ["audit.search", "task.create", "flag.update"] as const) await recordAuditEvent(db, { actor: { type: "user", id: user.id }, action, target: about, outcome: "success" });
    const sessionId = crypto.randomUUID();
    await recordAuditEvent(db, { actor: { type: "support", id: staff.id }, action: "impersonation.start", target: about, outcome: "success", metadata: { reason: "TICKET-7", sessionId } });
    for (const path of ["/projects", "/billing"]) {
      await recordAuditEvent(db, { actor: { type: "support", id: staff.id }, action: "impersonation.page_view", target: about, outcome: "success", metadata: { path, sessionId } });
    }

    const activity = await accountActivity.run({}, contextFor(user));
    if (!activity.ok) throw new Error(activity.message);
    const { events } = activity.data;
    expect(events).toHaveLength(SUBJECT_VISIBLE_ACTIONS.length + 1);
    expect(events.filter((e) => CODE.test(e.sentence) || e.sentence.trim() === "")).toEqual([]);
    const sentences = events.map((e) => e.sentence);
    expect(sentences).toContain("Confirmation requested for a permanent change");
    expect(sentences).not.toContain("Searched the audit log");
    expect(sentences).not.toContain("Support viewed a page");
    expect(events.find((e) => e.supportSession?.reason === "TICKET-7")).toMatchObject({ sentence: "Support viewed your account", supportSession: { pagesViewed: 2 } });
  });

  it("is the caller's own: another user's events never appear", async () => {
    const user = await createTestUser();
    const other = await createTestUser();
    await recordAuditEvent(await getDb(), { actor: { type: "user", id: other.id }, action: "billing.plan_change", target: { type: "user", id: other.id }, outcome: "success" });
    expect(await accountActivity.run({}, contextFor(user))).toMatchObject({ ok: true, data: { events: [] } });
  });
});

describe("the way back for an inactive account", () => {
  it("sends a signed-in caller on, and a caller with no session to sign in", async () => {
    expect(await comebackOffer.run({}, contextFor(await createTestUser()))).toMatchObject({ ok: true, data: { state: "active" } });
    expect(await comebackOffer.run({}, contextFor(null))).toMatchObject({ ok: false, code: "unauthenticated" });
  });

  it("offers a deactivated account a reactivation token for its own session", async () => {
    const user = await createTestUser();
    expect((await deactivateAccount.run({}, contextFor(user))).ok).toBe(true);
    const [row] = await (await getDb()).select().from(users).where(eq(users.id, user.id));
    session.inactive = { id: row!.id, email: row!.email, name: row!.name, status: row!.status, sessionVersion: row!.sessionVersion };
    const offer = await comebackOffer.run({}, contextFor(null));
    if (!offer.ok || offer.data.state === "active") throw new Error("expected an offer");
    expect(offer.data).toMatchObject({ state: "reactivate", email: user.email, purgeAfter: null });
    expect(verifyComebackToken(offer.data.token, "reactivate")).toEqual({ userId: user.id, sessionVersion: row!.sessionVersion });
  });

  it("offers a pending-deletion account to cancel", async () => {
    const user = await createTestUser();
    session.inactive = { id: user.id, email: user.email, name: user.name, status: "pending_deletion", sessionVersion: 0 };
    expect(await comebackOffer.run({}, contextFor(null))).toMatchObject({ ok: true, data: { state: "cancel_deletion", email: user.email } });
  });
});

describe("export download", () => {
  it("spends the single-use link once and hands back the file", async () => {
    const user = await createTestUser();
    const { token } = await issueConfirmation(await getDb(), { actorId: user.id, action: "account.export", targetId: `${user.id}:json` });
    const file = await exportDownload.run({ format: "json", token }, contextFor(user));
    if (!file.ok) throw new Error(file.message);
    expect(file.data).toMatchObject({ contentType: "application/json; charset=utf-8", filename: expect.stringMatching(/^breakwater-export-\d{4}-\d{2}-\d{2}\.json$/) });
    expect(JSON.parse(await new Response(file.data.body).text()).manifest.userId).toBe(user.id);
    expect(await exportDownload.run({ format: "json", token }, contextFor(user))).toMatchObject({ ok: false, code: "forbidden" });
  });

  it("answers not_found for a malformed link, and read_only during a support session", async () => {
    const user = await createTestUser();
    expect(await exportDownload.run({ format: "exe", token: "x" }, contextFor(user))).toMatchObject({ ok: false, code: "not_found" });
    const { token } = await issueConfirmation(await getDb(), { actorId: user.id, action: "account.export", targetId: `${user.id}:zip` });
    const viewing = contextFor(user, { impersonation: { impersonatorId: crypto.randomUUID(), impersonatorRole: "support" } });
    expect(await exportDownload.run({ format: "zip", token }, viewing)).toMatchObject({ ok: false, code: "read_only" });
  });
});

describe("staff lifecycle panel", () => {
  it("is for staff only: a user is refused, support sees the state and trash", async () => {
    const user = await createTestUser();
    const support = await createTestUser({ role: "support" });
    expect(await adminAccountLifecycle.run({ userId: user.id }, contextFor(user))).toMatchObject({ ok: false, code: "forbidden" });
    expect(await adminAccountLifecycle.run({ userId: user.id }, contextFor(support))).toMatchObject({
      ok: true,
      data: { id: user.id, email: user.email, pendingDeletion: null, activeHold: null, trash: [] },
    });
    expect(await adminAccountLifecycle.run({ userId: crypto.randomUUID() }, contextFor(support))).toMatchObject({ ok: false, code: "not_found" });
  });
});

describe("data retention", () => {
  it("is public and lists every policy in words", async () => {
    const page = await dataRetention.run({}, contextFor(null));
    if (!page.ok) throw new Error(page.message);
    expect(page.data.deletionGraceDays).toBe(deletionGraceDays());
    expect(page.data.policies.find((p) => p.category === "invoices")).toMatchObject({ then: "Kept without your identity" });
  });
});
