import { and, eq } from "drizzle-orm";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { getDb } from "@/lib/database";
import { auditEvents, impersonationSessions, notifications, users } from "@/db/schema";
import { contextFor, createTestUser } from "@/test/factories";

// A cookie jar standing in for the browser: the actions set and clear the impersonation cookie through next/headers.
const jar = new Map<string, string>();
vi.mock("next/headers", () => ({
  cookies: async () => ({
    get: (name: string) => (jar.has(name) ? { name, value: jar.get(name)! } : undefined),
    set: (name: string, value: string) => void jar.set(name, value),
    delete: (name: string) => void jar.delete(name),
  }),
}));

const { endImpersonation, recordImpersonationPageView, startImpersonation } = await import("./actions");
const { resolveImpersonation } = await import("./session");
const { decodeImpersonationToken, encodeImpersonationToken } = await import("./cookie");
const { IMPERSONATION_COOKIE, IMPERSONATION_MAX_MINUTES, REASON_MAX } = await import("./config");

beforeEach(() => jar.clear());

async function sessionsOf(staffId: string) {
  const db = await getDb();
  return db.select().from(impersonationSessions).where(eq(impersonationSessions.impersonatorId, staffId));
}

describe("starting a support session", () => {
  it("starts with a reason, emails the user, audits it, and the cookie makes the whole request read-only until exit", async () => {
    const support = await createTestUser({ role: "support" });
    const user = await createTestUser();
    const otherStaff = await createTestUser({ role: "admin" });
    const result = await startImpersonation.run({ userId: user.id, reason: "TICKET-42: invoice looks wrong" }, contextFor(support));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const expiresIn = result.data.expiresAt.getTime() - Date.now();
    expect(expiresIn).toBeLessThanOrEqual(IMPERSONATION_MAX_MINUTES * 60_000);
    expect(expiresIn).toBeGreaterThan(IMPERSONATION_MAX_MINUTES * 60_000 - 60_000);

    const db = await getDb();
    const [mail] = await db.select().from(notifications).where(and(eq(notifications.userId, user.id), eq(notifications.template, "impersonation_started")));
    expect(mail!.body).toContain("TICKET-42: invoice looks wrong");
    const [started] = await db.select().from(auditEvents).where(and(eq(auditEvents.action, "impersonation.start"), eq(auditEvents.targetId, user.id)));
    expect(started).toMatchObject({ actorType: "support", actorId: support.id, outcome: "success", metadata: { reason: "TICKET-42: invoice looks wrong" } });

    // The browser now holds a signed cookie naming the session; the staff member's own session is separate.
    const cookie = jar.get(IMPERSONATION_COOKIE);
    expect(decodeImpersonationToken(cookie)?.sessionId).toBe(result.data.sessionId);
    const active = await resolveImpersonation(db, support, cookie);
    expect(active).toMatchObject({ sessionId: result.data.sessionId, target: { id: user.id }, reason: "TICKET-42: invoice looks wrong" });
    // Someone else's staff session can't use the cookie.
    expect(await resolveImpersonation(db, otherStaff, cookie)).toBeNull();

    // While the session is active every ordinary procedure is refused as read-only.
    const { createProject } = await import("@/lib/projects/actions");
    expect(await createProject.run({ name: "nope" }, contextFor(user, { impersonation: active! }))).toMatchObject({ ok: false, code: "read_only" });

    const view = await recordImpersonationPageView.run({ path: "/billing" }, contextFor(user, { impersonation: active! }));
    expect(view.ok).toBe(true);
    const ended = await endImpersonation.run({}, contextFor(user, { impersonation: active! }));
    expect(ended.ok).toBe(true);
    expect(jar.has(IMPERSONATION_COOKIE)).toBe(false);
    const [row] = await sessionsOf(support.id);
    expect(row!.endedAt).not.toBeNull();
    expect(await resolveImpersonation(db, support, cookie)).toBeNull();
    // Writes work again once the session is over.
    expect(await createProject.run({ name: `after-${crypto.randomUUID().slice(0, 8)}` }, contextFor(user))).toMatchObject({ ok: true });

    const trail = await db.select().from(auditEvents).where(eq(auditEvents.targetId, user.id)).orderBy(auditEvents.id);
    const actions = trail.map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(["impersonation.start", "impersonation.page_view", "impersonation.end"]));
    const pageView = trail.find((e) => e.action === "impersonation.page_view")!;
    expect(pageView).toMatchObject({ actorId: support.id, impersonatorId: support.id, metadata: { path: "/billing" } });
  });

  it("a forged or expired cookie does nothing", async () => {
    const support = await createTestUser({ role: "support" });
    const db = await getDb();
    const forged = encodeImpersonationToken({ sessionId: crypto.randomUUID(), expiresAt: Date.now() + 60_000 }).replace(/.$/, (c) => (c === "a" ? "b" : "a"));
    expect(await resolveImpersonation(db, support, forged)).toBeNull();
    expect(decodeImpersonationToken(encodeImpersonationToken({ sessionId: crypto.randomUUID(), expiresAt: Date.now() - 1 }))).toBeNull();
    expect(await resolveImpersonation(db, support, "x".repeat(5000))).toBeNull();
  });
});

describe("who may start one", () => {
  it("refuses a plain user", async () => {
    const user = await createTestUser();
    const other = await createTestUser();
    expect(await startImpersonation.run({ userId: other.id, reason: "curious" }, contextFor(user))).toMatchObject({ ok: false, code: "forbidden" });
    expect(await sessionsOf(user.id)).toHaveLength(0);
  });

  it("refuses admins as targets, yourself, and other staff for support", async () => {
    const support = await createTestUser({ role: "support" });
    const admin = await createTestUser({ role: "admin" });
    const otherSupport = await createTestUser({ role: "support" });
    expect(await startImpersonation.run({ userId: admin.id, reason: "TICKET-1" }, contextFor(support))).toMatchObject({ ok: false, code: "forbidden", message: "Admins can't be viewed as a user." });
    expect(await startImpersonation.run({ userId: admin.id, reason: "TICKET-1" }, contextFor(await createTestUser({ role: "admin" })))).toMatchObject({ ok: false, code: "forbidden" });
    expect(await startImpersonation.run({ userId: support.id, reason: "TICKET-1" }, contextFor(support))).toMatchObject({ ok: false, code: "forbidden", message: "You can't view your own account as a user." });
    expect(await startImpersonation.run({ userId: otherSupport.id, reason: "TICKET-1" }, contextFor(support))).toMatchObject({ ok: false, code: "forbidden" });
    expect(await sessionsOf(support.id)).toHaveLength(0);
  });

  it("refuses to start while already impersonating", async () => {
    const support = await createTestUser({ role: "support" });
    const user = await createTestUser();
    const result = await startImpersonation.run({ userId: user.id, reason: "TICKET-2" }, contextFor(support, { impersonation: { impersonatorId: support.id, impersonatorRole: "support" } }));
    expect(result).toMatchObject({ ok: false, code: "read_only" });
    expect(await sessionsOf(support.id)).toHaveLength(0);
  });
});

describe("bad input", () => {
  it("rejects a 10,000-character reason, a missing reason and a malformed id with field errors, changing nothing", async () => {
    const support = await createTestUser({ role: "support" });
    const user = await createTestUser();
    const long = await startImpersonation.run({ userId: user.id, reason: "x".repeat(10_000) }, contextFor(support));
    expect(long).toMatchObject({ ok: false, code: "invalid_input", fieldErrors: { reason: `Keep the reason under ${REASON_MAX} characters.` } });
    expect(await startImpersonation.run({ userId: user.id, reason: "  " }, contextFor(support))).toMatchObject({ ok: false, code: "invalid_input", fieldErrors: { reason: expect.any(String) } });
    expect(await startImpersonation.run({ userId: "'; drop table users; --", reason: "TICKET-3" }, contextFor(support))).toMatchObject({ ok: false, code: "invalid_input", fieldErrors: { userId: "Unknown user." } });
    expect(await sessionsOf(support.id)).toHaveLength(0);
  });

  it("gives a clear error for a deleted or deactivated account", async () => {
    const support = await createTestUser({ role: "support" });
    expect(await startImpersonation.run({ userId: crypto.randomUUID(), reason: "TICKET-4" }, contextFor(support))).toMatchObject({
      ok: false,
      code: "not_found",
      message: "That user doesn't exist (it may have been deleted).",
    });
    const leaving = await createTestUser();
    const db = await getDb();
    await db.update(users).set({ status: "pending_deletion" }).where(eq(users.id, leaving.id));
    expect(await startImpersonation.run({ userId: leaving.id, reason: "TICKET-4" }, contextFor(support))).toMatchObject({ ok: false, code: "conflict", message: expect.stringContaining("pending deletion") });
    expect(await sessionsOf(support.id)).toHaveLength(0);
  });
});
