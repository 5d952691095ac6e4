import { and, eq } from "drizzle-orm";
import { encode, decode } from "next-auth/jwt";
import { NextRequest, NextResponse } from "next/server";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/lib/database";
import { auditEvents } from "@/db/schema";
import { requestAccountDeletion, requestExport } from "@/lib/accounts/actions";
import { env } from "@/lib/env";
import { contextFor, createTestUser, sessionClaims } from "@/test/factories";
import { signOutEverywhere } from "./actions";
import { hashPassword } from "./password";
import { renewSessionCookie } from "./renewal";
import { SESSION_ABSOLUTE_SECONDS, SESSION_IDLE_SECONDS } from "./session-policy";
import { loadSessionUser, revokeSession } from "./session-user";

// Open (and migrate) the database once, outside any single test's time budget.
beforeAll(() => getDb());

describe("sessions that end", () => {
  it("signing out ends that session (and every copy of its cookie), not the account's other sessions", async () => {
    const user = await createTestUser();
    const db = await getDb();
    const laptop = sessionClaims(user.id, 0);
    const phone = sessionClaims(user.id, 0);
    await revokeSession(db, { sessionId: laptop.sessionId, userId: user.id, authTime: laptop.authTime });
    expect(await loadSessionUser(db, laptop)).toBeNull();
    expect(await loadSessionUser(db, phone)).toMatchObject({ id: user.id });
  });

  it("sign out everywhere ends every session of the account", async () => {
    const user = await createTestUser();
    const db = await getDb();
    const sessions = [sessionClaims(user.id, 0), sessionClaims(user.id, 0)];
    expect(await signOutEverywhere.run({}, contextFor(user))).toMatchObject({ ok: true });
    for (const s of sessions) expect(await loadSessionUser(db, s)).toBeNull();
    const [event] = await db.select().from(auditEvents).where(and(eq(auditEvents.action, "auth.sign_out_everywhere"), eq(auditEvents.actorId, user.id)));
    expect(event).toMatchObject({ outcome: "success" });
  });

  it("a token without a session id, or past its absolute lifetime, signs nobody in", async () => {
    const user = await createTestUser();
    const db = await getDb();
    const now = Math.floor(Date.now() / 1000);
    expect(await loadSessionUser(db, { ...sessionClaims(user.id, 0), sessionId: null })).toBeNull();
    expect(await loadSessionUser(db, { ...sessionClaims(user.id, 0), authTime: now - SESSION_ABSOLUTE_SECONDS - 1 })).toBeNull();
    expect(await loadSessionUser(db, { ...sessionClaims(user.id, 0), authTime: now - SESSION_ABSOLUTE_SECONDS + 60 })).not.toBeNull();
  });
});

describe("sliding renewal", () => {
  const name = "authjs.session-token";
  async function cookieIssued(agoSeconds: number, signedInAgoSeconds: number) {
    const now = Math.floor(Date.now() / 1000);
    const token = { sub: "u1", sv: 0, sid: "s1", at: now - signedInAgoSeconds };
    // An Auth.js token issued `agoSeconds` ago, expiring SESSION_IDLE_SECONDS after that.
    const raw = await encode({ token: { ...token }, secret: env.authSecret, salt: name, maxAge: SESSION_IDLE_SECONDS - agoSeconds });
    return new NextRequest("http://app.test/projects", { headers: { cookie: `${name}=${raw}` } });
  }
  async function renewed(request: NextRequest) {
    const response = NextResponse.next();
    await renewSessionCookie(request, response);
    const cookie = response.cookies.get(name);
    return cookie ? await decode({ token: cookie.value, secret: env.authSecret, salt: name }) : null;
  }

  it("a token in use for a while gets a fresh expiry, keeping who and when they signed in", async () => {
    const fresh = await renewed(await cookieIssued(30 * 60, 2 * 60 * 60));
    expect(fresh).toMatchObject({ sub: "u1", sid: "s1", sv: 0 });
    expect(fresh!.exp! - Math.floor(Date.now() / 1000)).toBeGreaterThan(SESSION_IDLE_SECONDS - 60);
  });

  it("a just-issued token is left alone, and none is renewed past the absolute lifetime", async () => {
    expect(await renewed(await cookieIssued(10, 10))).toBeNull();
    const nearEnd = await renewed(await cookieIssued(30 * 60, SESSION_ABSOLUTE_SECONDS - 600));
    expect(nearEnd!.exp! - Math.floor(Date.now() / 1000)).toBeLessThanOrEqual(600);
    expect(await renewed(await cookieIssued(30 * 60, SESSION_ABSOLUTE_SECONDS + 5))).toBeNull();
  });
});

describe("password checks are rate limited and audited", () => {
  it("thirty wrong deletion passwords: each recorded, and refused as rate limited long before the thirtieth", async () => {
    const user = await createTestUser({ passwordHash: await hashPassword("the real one") });
    const results = [];
    for (let i = 0; i < 30; i++) {
      results.push(await requestAccountDeletion.run({ email: user.email, password: `guess ${i}`, confirmation: "x" }, contextFor(user)));
    }
    expect(results.filter((r) => !r.ok && r.code === "rate_limited").length).toBeGreaterThan(15);
    // Once limited, even the right password gets the same answer: no oracle.
    expect(await requestAccountDeletion.run({ email: user.email, password: "the real one", confirmation: "x" }, contextFor(user))).toMatchObject({ ok: false, code: "rate_limited" });
    const db = await getDb();
    const checks = await db.select().from(auditEvents).where(and(eq(auditEvents.action, "auth.password_check"), eq(auditEvents.actorId, user.id)));
    expect(checks.length).toBe(31);
    // Five wrong passwords spend the `reauth` budget; every later check is refused before the password is looked at.
    expect(checks.filter((e) => e.outcome === "failure")).toHaveLength(5);
    expect(JSON.stringify(checks)).not.toContain("guess");
  });

  it("the export's re-authentication shares the same budget and record", async () => {
    const user = await createTestUser({ passwordHash: await hashPassword("the real one") });
    expect(await requestExport.run({ format: "json", password: "nope" }, contextFor(user))).toMatchObject({ ok: false, code: "invalid_input" });
    const db = await getDb();
    const [check] = await db.select().from(auditEvents).where(and(eq(auditEvents.action, "auth.password_check"), eq(auditEvents.actorId, user.id)));
    expect(check).toMatchObject({ outcome: "failure", metadata: { purpose: "account.export" } });
  });
});
