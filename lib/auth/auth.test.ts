import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/lib/database";
import { auditEvents, users } from "@/db/schema";
import { createTestUser } from "@/test/factories";
import { hashPassword } from "./password";
import { hasPermission } from "./permissions";
import { loadSessionUser } from "./session-user";
import { authenticateWithPassword } from "./sign-in";

const meta = { ip: "203.0.113.9", userAgent: "vitest" };
/** A session token's claims as Auth.js hands them over: its own id and when it signed in. */
const token = (userId: string, sessionVersion: number) => ({ userId, sessionVersion, sessionId: crypto.randomUUID(), authTime: Math.floor(Date.now() / 1000) });

describe("password sign-in", () => {
  it("signs in with the right password, case-insensitive email, and records success", async () => {
    const user = await createTestUser({ passwordHash: await hashPassword("correct horse") });
    const signedIn = await authenticateWithPassword({ email: user.email.toUpperCase(), password: "correct horse" }, meta);
    expect(signedIn).toMatchObject({ id: user.id, sessionVersion: 0 });
    const events = await (await getDb()).select().from(auditEvents).where(eq(auditEvents.actorId, user.id));
    expect(events.find((e) => e.action === "auth.sign_in")).toMatchObject({ outcome: "success" });
  });

  it("refuses a wrong password and an unknown email, recording failures without the password", async () => {
    const user = await createTestUser({ passwordHash: await hashPassword("correct horse") });
    expect(await authenticateWithPassword({ email: user.email, password: "wrong horse" }, meta)).toBeNull();
    expect(await authenticateWithPassword({ email: `nobody-${crypto.randomUUID()}@example.test`, password: "x" }, meta)).toBeNull();
    const db = await getDb();
    const failures = await db.select().from(auditEvents).where(eq(auditEvents.targetId, user.id));
    const failure = failures.find((e) => e.outcome === "failure");
    expect(failure?.metadata).toMatchObject({ reason: "bad_credentials", method: "password" });
    expect(JSON.stringify(failures)).not.toContain("wrong horse");
  });

  it("refuses malformed credentials without touching the database user", async () => {
    expect(await authenticateWithPassword({ email: ["a"], password: 1 }, meta)).toBeNull();
    expect(await authenticateWithPassword(null, meta)).toBeNull();
  });

  it("refuses an OAuth-only account (no password hash) for any password", async () => {
    const user = await createTestUser();
    expect(await authenticateWithPassword({ email: user.email, password: "" }, meta)).toBeNull();
    expect(await authenticateWithPassword({ email: user.email, password: "anything" }, meta)).toBeNull();
  });
});

describe("revocable sessions", () => {
  it("reads the role fresh from the database on every request", async () => {
    const user = await createTestUser();
    const claims = token(user.id, 0);
    expect(await loadSessionUser(await getDb(), claims)).toMatchObject({ role: "user" });
    await (await getDb()).update(users).set({ role: "support" }).where(eq(users.id, user.id));
    expect(await loadSessionUser(await getDb(), claims)).toMatchObject({ role: "support" });
  });

  it("signs out every outstanding token when the session version is bumped", async () => {
    const user = await createTestUser();
    const db = await getDb();
    await db.update(users).set({ sessionVersion: 1 }).where(eq(users.id, user.id));
    expect(await loadSessionUser(db, token(user.id, 0))).toBeNull();
    expect(await loadSessionUser(db, token(user.id, 1))).not.toBeNull();
  });

  it("signs out a deactivated or deleted account on its next request", async () => {
    const db = await getDb();
    const paused = await createTestUser();
    await db.update(users).set({ status: "deactivated" }).where(eq(users.id, paused.id));
    expect(await loadSessionUser(db, token(paused.id, 0))).toBeNull();
    const gone = await createTestUser();
    await db.delete(users).where(eq(users.id, gone.id));
    expect(await loadSessionUser(db, token(gone.id, 0))).toBeNull();
  });
});

describe("permissions table", () => {
  it("gives admin area reads to support and admin, writes to admin only", () => {
    expect(hasPermission("user", "admin:read")).toBe(false);
    expect(hasPermission("support", "admin:read")).toBe(true);
    expect(hasPermission("support", "admin:write")).toBe(false);
    expect(hasPermission("admin", "admin:write")).toBe(true);
    expect(hasPermission("user", "self:write")).toBe(true);
  });
});
