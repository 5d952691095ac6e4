import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditEvents, emailTokens, notifications, users } from "@/db/schema";
import { getDb } from "@/lib/database";
import { contextFor, createTestUser } from "@/test/factories";
import { requestPasswordReset, resendVerification, resetPassword, signUp, verifyEmail } from "./actions";
import { verifyPassword } from "./password";

async function mailTo(email: string, template: string) {
  const db = await getDb();
  return db.select().from(notifications).where(and(eq(notifications.toEmail, email), eq(notifications.template, template)));
}

function tokenIn(body: string): string {
  return /token=([\w-]+)/.exec(body)![1]!;
}

async function userRow(id: string) {
  return (await (await getDb()).select().from(users).where(eq(users.id, id)))[0]!;
}

describe("password reset by email", () => {
  it("answers the same whether or not the account exists, and emails only a real account", async () => {
    const user = await createTestUser();
    const ghost = `nobody-${crypto.randomUUID()}@example.test`;
    const known = await requestPasswordReset.run({ email: user.email.toUpperCase() }, contextFor(null));
    const unknown = await requestPasswordReset.run({ email: ghost }, contextFor(null));
    expect(known).toEqual({ ok: true, data: { sent: true } });
    expect(unknown).toEqual(known);
    expect(await mailTo(user.email, "password_reset")).toHaveLength(1);
    expect(await mailTo(ghost, "password_reset")).toHaveLength(0);
    const events = await (await getDb()).select().from(auditEvents).where(and(eq(auditEvents.action, "auth.password_reset_request"), eq(auditEvents.targetId, user.id)));
    expect(events).toHaveLength(1);
  });

  it("sets the new password once, revokes every session, emails the owner, and the token is stored only as a hash", async () => {
    const user = await createTestUser();
    const before = await userRow(user.id);
    await requestPasswordReset.run({ email: user.email }, contextFor(null));
    const [mail] = await mailTo(user.email, "password_reset");
    const token = tokenIn(mail!.body);
    expect(mail!.body).toContain("/reset-password?token=");
    const stored = await (await getDb()).select().from(emailTokens).where(eq(emailTokens.userId, user.id));
    expect(stored.map((t) => t.tokenHash)).not.toContain(token);

    expect(await resetPassword.run({ token, password: "a brand new secret" }, contextFor(null))).toMatchObject({ ok: true });
    const after = await userRow(user.id);
    expect(await verifyPassword("a brand new secret", after.passwordHash)).toBe(true);
    expect(after.sessionVersion).toBe(before.sessionVersion + 1);
    expect(after.emailVerifiedAt).not.toBeNull();
    expect(await mailTo(user.email, "password_changed")).toHaveLength(1);

    // Single use: the same link cannot set another password.
    const again = await resetPassword.run({ token, password: "an attacker's choice" }, contextFor(null));
    expect(again).toMatchObject({ ok: false, code: "invalid_input", message: expect.stringContaining("expired or was already used") });
    expect(await verifyPassword("a brand new secret", (await userRow(user.id)).passwordHash)).toBe(true);
    const [event] = await (await getDb()).select().from(auditEvents).where(and(eq(auditEvents.action, "auth.password_reset"), eq(auditEvents.targetId, user.id)));
    expect(event).toMatchObject({ actorType: "user", actorId: user.id, outcome: "success" });
  });

  it("only the newest link works, and an expired one never does", async () => {
    const user = await createTestUser();
    await requestPasswordReset.run({ email: user.email }, contextFor(null));
    await requestPasswordReset.run({ email: user.email }, contextFor(null));
    const [first, second] = (await mailTo(user.email, "password_reset")).sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
    expect(await resetPassword.run({ token: tokenIn(first!.body), password: "first link password" }, contextFor(null))).toMatchObject({ ok: false, code: "invalid_input" });
    const db = await getDb();
    await db.update(emailTokens).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(emailTokens.userId, user.id));
    expect(await resetPassword.run({ token: tokenIn(second!.body), password: "second link password" }, contextFor(null))).toMatchObject({ ok: false, code: "invalid_input" });
    expect((await userRow(user.id)).passwordHash).toBeNull();
  });

  it("is limited per account quietly (same answer, no more mail) and per client address openly", async () => {
    const user = await createTestUser();
    const answers = [];
    for (let i = 0; i < 5; i++) answers.push(await requestPasswordReset.run({ email: user.email }, contextFor(null)));
    expect(answers.every((a) => a.ok)).toBe(true);
    expect(await mailTo(user.email, "password_reset")).toHaveLength(3);

    // An address no other test uses: the limiter's counts outlive a test file when suites share one Postgres.
    const byte = () => Math.floor(Math.random() * 256);
    const sameAddress = contextFor(null, { ip: `10.${byte()}.${byte()}.${byte()}` });
    const results = [];
    for (let i = 0; i < 6; i++) results.push(await requestPasswordReset.run({ email: `x-${i}-${crypto.randomUUID()}@example.test` }, { ...sameAddress, requestId: crypto.randomUUID() }));
    expect(results.slice(0, 5).every((r) => r.ok)).toBe(true);
    expect(results[5]).toMatchObject({ ok: false, code: "rate_limited" });
  });
});

describe("email verification on sign-up", () => {
  it("emails a confirmation link that confirms the address once", async () => {
    const email = `verify-${crypto.randomUUID()}@example.test`;
    expect(await signUp.run({ name: "Vera", email, password: "long enough" }, contextFor(null))).toEqual({ ok: true, data: { checkEmail: true } });
    const [account] = await (await getDb()).select().from(users).where(eq(users.email, email));
    expect(account!.emailVerifiedAt).toBeNull();
    const [mail] = await mailTo(email, "email_verification");
    const token = tokenIn(mail!.body);
    expect(await verifyEmail.run({ token }, contextFor(null))).toMatchObject({ ok: true });
    expect((await userRow(account!.id)).emailVerifiedAt).not.toBeNull();
    expect(await verifyEmail.run({ token }, contextFor(null))).toMatchObject({ ok: false, code: "invalid_input" });
  });

  it("sends the link again on request until the address is confirmed", async () => {
    const user = await createTestUser();
    expect(await resendVerification.run({}, contextFor(user))).toMatchObject({ ok: true });
    const [mail] = await mailTo(user.email, "email_verification");
    expect(await verifyEmail.run({ token: tokenIn(mail!.body) }, contextFor(null))).toMatchObject({ ok: true });
    expect(await resendVerification.run({}, contextFor(user))).toMatchObject({ ok: false, code: "conflict" });
  });
});
