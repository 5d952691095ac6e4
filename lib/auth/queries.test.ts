import { describe, expect, it } from "vitest";
import { getDb } from "@/lib/database";
import { recordAuditEvent } from "@/lib/audit";
import { contextFor, createTestUser } from "@/test/factories";
import { currentViewer, signInGate, userDetail } from "./queries";

describe("the viewer query (the page frame)", () => {
  it("shows a signed-out visitor no user, no admin link, no support session, and allows analytics", async () => {
    const viewer = await currentViewer.run({}, contextFor(null));
    expect(viewer).toMatchObject({ ok: true, data: { user: null, showAdmin: false, supportSession: null, analyticsAllowed: true, report: { user: null, impersonating: false } } });
  });

  it("shows staff the admin link and a user none", async () => {
    const user = await createTestUser();
    const support = await createTestUser({ role: "support" });
    expect(await currentViewer.run({}, contextFor(user))).toMatchObject({ ok: true, data: { user: { id: user.id, email: user.email }, showAdmin: false } });
    expect(await currentViewer.run({}, contextFor(support))).toMatchObject({ ok: true, data: { showAdmin: true } });
  });

  it("during a support session: the banner, the viewed user, and no analytics", async () => {
    const target = await createTestUser();
    const expiresAt = new Date(Date.now() + 60_000);
    const impersonation = { impersonatorId: crypto.randomUUID(), impersonatorRole: "support" as const, impersonatorName: "Sam Support", target, expiresAt };
    const viewer = await currentViewer.run({}, contextFor(target, { impersonation }));
    expect(viewer).toMatchObject({
      ok: true,
      data: {
        user: { id: target.id },
        supportSession: { targetId: target.id, viewing: `${target.name} (${target.email})`, startedBy: "Sam Support", expiresAt: expiresAt.toISOString() },
        analyticsAllowed: false,
        report: { impersonating: true },
      },
    });
  });
});

describe("the sign-in gate", () => {
  it("lets a visitor in and sends a signed-in user on, only ever to a same-site path", async () => {
    const user = await createTestUser();
    expect(await signInGate.run({ next: "/billing" }, contextFor(null))).toMatchObject({ ok: true, data: { redirectTo: null, next: "/billing" } });
    expect(await signInGate.run({ next: "/billing" }, contextFor(user))).toMatchObject({ ok: true, data: { redirectTo: "/billing" } });
    expect(await signInGate.run({ next: "//evil.example" }, contextFor(user))).toMatchObject({ ok: true, data: { redirectTo: "/projects" } });
    expect(await signInGate.run({ next: ["/a", "/b"] }, contextFor(null))).toMatchObject({ ok: true, data: { next: "/projects" } });
  });
});

describe("the staff user page", () => {
  it("is refused to a user; a missing account is not found", async () => {
    const user = await createTestUser();
    const support = await createTestUser({ role: "support" });
    expect(await userDetail.run({ id: support.id }, contextFor(user))).toMatchObject({ ok: false, code: "forbidden" });
    expect(await userDetail.run({ id: crypto.randomUUID() }, contextFor(support))).toMatchObject({ ok: false, code: "not_found" });
  });

  it("shows the profile and the whole timeline, each event with its sentence and code", async () => {
    const user = await createTestUser();
    const admin = await createTestUser({ role: "admin" });
    await recordAuditEvent(await getDb(), { actor: { type: "user", id: user.id }, action: "task.create", target: { type: "task", id: crypto.randomUUID() }, outcome: "success" });
    const detail = await userDetail.run({ id: user.id }, contextFor(admin));
    expect(detail).toMatchObject({ ok: true, data: { account: { id: user.id, email: user.email, role: "user" }, timeline: [{ action: "task.create", sentence: "Task added", actorType: "user" }] } });
  });
});
