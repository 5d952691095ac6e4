import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/lib/database";
import { auditEvents, signInFailures } from "@/db/schema";
import { createTestUser } from "@/test/factories";
import { signInRefusalCode, signInRefusalMessage } from "./constants";
import { hashPassword } from "./password";
import { attemptPasswordSignIn, authenticateWithPassword } from "./sign-in";

// Open (and migrate) the database once, outside any single test's time budget.
beforeAll(() => getDb());

const PASSWORD = "correct horse battery";
const address = () => `198.51.100.${Math.floor(Math.random() * 250) + 1}`;
// Each guessing round from its own address, so one test's failures don't slow another's.
const uniqueAddress = () => `2001:db8::${crypto.randomUUID().slice(0, 4)}`;

// One bcrypt hash for every account: hashing is the slow part of creating them.
const PASSWORD_HASH = await hashPassword(PASSWORD);

async function account() {
  return createTestUser({ passwordHash: PASSWORD_HASH });
}

/** Makes every recorded failure look `seconds` older, as if that much time had passed. */
async function age(seconds: number) {
  const db = await getDb();
  const rows = await db.select().from(signInFailures);
  for (const row of rows) await db.update(signInFailures).set({ lastFailureAt: new Date(row.lastFailureAt.getTime() - seconds * 1000) }).where(eq(signInFailures.key, row.key));
}

describe("sign-in against guessing", () => {
  it("ten wrong guesses from elsewhere do not lock the real user out of their usual browser", async () => {
    const user = await account();
    // The owner has signed in from this browser before: it holds the known-device cookie.
    const first = await authenticateWithPassword({ email: user.email, password: PASSWORD }, { ip: address(), userAgent: "owner" });
    expect(first).not.toBeNull();
    for (let i = 0; i < 12; i++) await authenticateWithPassword({ email: user.email, password: `guess ${i}` }, { ip: uniqueAddress(), userAgent: "attacker" });
    const owner = await authenticateWithPassword({ email: user.email, password: PASSWORD }, { ip: address(), userAgent: "owner", knownDevice: first!.knownDevice });
    expect(owner).toMatchObject({ id: user.id });
  });

  it("an unknown browser waits progressively longer after repeated failures, and the wait ends", async () => {
    const user = await account();
    for (let i = 0; i < 6; i++) await authenticateWithPassword({ email: user.email, password: `guess ${i}` }, { ip: uniqueAddress(), userAgent: "attacker" });
    // Even the right password waits now (from a browser the account has never used)...
    expect(await authenticateWithPassword({ email: user.email, password: PASSWORD }, { ip: uniqueAddress(), userAgent: "new laptop" })).toBeNull();
    // ...but only for a while: once the delay has passed, it works again.
    await age(60);
    expect(await authenticateWithPassword({ email: user.email, password: PASSWORD }, { ip: uniqueAddress(), userAgent: "new laptop" })).toMatchObject({ id: user.id });
  });

  it("password spraying from one address across many accounts is slowed down", async () => {
    const ip = uniqueAddress();
    const victims = await Promise.all(Array.from({ length: 25 }, () => account()));
    for (const victim of victims) await authenticateWithPassword({ email: victim.email, password: "Summer2026!" }, { ip, userAgent: "sprayer" });
    const last = await account();
    // The sprayer guessing right on the next account is still refused: its address has to wait.
    expect(await authenticateWithPassword({ email: last.email, password: PASSWORD }, { ip, userAgent: "sprayer" })).toBeNull();
    // Anyone else is not.
    expect(await authenticateWithPassword({ email: last.email, password: PASSWORD }, { ip: uniqueAddress(), userAgent: "owner" })).toMatchObject({ id: last.id });
  });

  it("a rate-limited attempt is recorded with the account as its target", async () => {
    const user = await account();
    for (let i = 0; i < 8; i++) await authenticateWithPassword({ email: user.email, password: `guess ${i}` }, { ip: uniqueAddress(), userAgent: "attacker" });
    const db = await getDb();
    const limited = await db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, "auth.sign_in"), eq(auditEvents.targetId, user.id)));
    expect(limited.some((e) => (e.metadata as { reason?: string }).reason === "rate_limited")).toBe(true);
  });
});

describe("a refused sign-in says why, unless it is a wrong password", () => {
  it("the limiter being down refuses (fails closed) and says so, with when to retry", async () => {
    const user = await account();
    const hanging = { kind: "upstash" as const, hit: () => new Promise<never>(() => {}), peek: () => new Promise<never>(() => {}) };
    const result = await attemptPasswordSignIn({ email: user.email, password: PASSWORD }, { ip: uniqueAddress(), userAgent: "owner" }, { backend: hanging, timeoutMs: 200 });
    expect(result).toEqual({ ok: false, reason: "limiter_unavailable", retryAfterSeconds: 30 });
    expect(signInRefusalMessage(signInRefusalCode("limiter_unavailable", 30))).toBe("We can't check sign-ins safely right now, so none are accepted. Try again in 30 seconds.");
  });

  it("each reason has its own sentence; a wrong password (or anything unknown) reads as one", async () => {
    const user = await account();
    for (let i = 0; i < 6; i++) await attemptPasswordSignIn({ email: user.email, password: `guess ${i}` }, { ip: uniqueAddress(), userAgent: "attacker" });
    const limited = await attemptPasswordSignIn({ email: user.email, password: PASSWORD }, { ip: uniqueAddress(), userAgent: "new laptop" });
    expect(limited).toMatchObject({ ok: false, reason: "rate_limited", retryAfterSeconds: expect.any(Number) });
    if (limited.ok) return;
    expect(signInRefusalMessage(signInRefusalCode(limited.reason, limited.retryAfterSeconds))).toMatch(/^Too many sign-in attempts\. For your account's safety, try again in \d+ seconds?\.$/);
    expect(signInRefusalMessage("rate_limited.600")).toContain("10 minutes");
    expect(signInRefusalMessage("suspended")).toMatch(/suspended/);
    expect(signInRefusalMessage("unusual_activity.20")).toMatch(/unusual sign-in activity.*20 seconds/);
    expect(signInRefusalMessage("bad_credentials")).toBe("Email or password is incorrect.");
    expect(signInRefusalMessage(undefined)).toBe("Email or password is incorrect.");
    expect(signInRefusalMessage("<script>")).toBe("Email or password is incorrect.");
  });
});
