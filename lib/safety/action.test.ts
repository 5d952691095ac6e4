import { eq, sql } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { getDb } from "@/lib/database";
import { auditEvents, projects } from "@/db/schema";
import { contextFor, createTestUser } from "@/test/factories";
import { ActionFailure, defineAction } from "@/lib/procedures";

// A throwaway action over the projects table, so the guard order can be probed without domain rules in the way.
const probe = defineAction({
  name: "test.probe",
  permission: "self:write",
  flag: "payments",
  input: z.object({ name: z.string().min(1).max(10), explode: z.enum(["none", "failure", "crash"]).default("none") }),
  handler: async ({ tx, user, input }) => {
    const [row] = await tx.insert(projects).values({ ownerId: user.id, name: input.name }).returning({ id: projects.id });
    if (input.explode === "failure") throw new ActionFailure("conflict", "Refused after writing.");
    if (input.explode === "crash") throw new Error("boom");
    return row!;
  },
  audit: { action: "project.create", target: ({ data }) => ({ type: "project", id: data?.id ?? null }) },
});

async function projectCount(ownerId: string) {
  const db = await getDb();
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(projects).where(eq(projects.ownerId, ownerId));
  return row!.n;
}

async function auditFor(targetId: string) {
  const db = await getDb();
  return db.select().from(auditEvents).where(eq(auditEvents.targetId, targetId));
}

afterEach(() => {
  delete process.env.FLAG_PAYMENTS;
});

describe("the guarded path", () => {
  it("refuses an anonymous caller before anything else", async () => {
    const result = await probe.run({ name: "x" }, contextFor(null));
    expect(result).toMatchObject({ ok: false, code: "unauthenticated" });
  });

  it("refuses a role without the permission", async () => {
    const admin = defineAction({
      name: "test.admin_only",
      permission: "admin:write",
      input: z.object({}),
      handler: async () => ({}),
      audit: { action: "user.role_change", target: () => ({ type: "user", id: null }) },
    });
    const user = await createTestUser({ role: "user" });
    const support = await createTestUser({ role: "support" });
    expect(await admin.run({}, contextFor(user))).toMatchObject({ ok: false, code: "forbidden" });
    expect(await admin.run({}, contextFor(support))).toMatchObject({ ok: false, code: "forbidden" });
    const denied = await (await getDb()).select().from(auditEvents).where(eq(auditEvents.actorId, user.id));
    expect(denied.some((e) => e.outcome === "denied" && e.action === "user.role_change")).toBe(true);
  });

  it("refuses every write during a read-only support session, before validation", async () => {
    const user = await createTestUser();
    const result = await probe.run({ name: 42 }, contextFor(user, { impersonation: { impersonatorId: crypto.randomUUID(), impersonatorRole: "support" } }));
    expect(result).toMatchObject({ ok: false, code: "read_only" });
    expect(await projectCount(user.id)).toBe(0);
  });

  it("refuses with the kill switch's own sentence when its path is off", async () => {
    const user = await createTestUser();
    process.env.FLAG_PAYMENTS = "off";
    const result = await probe.run({ name: "paused" }, contextFor(user));
    expect(result).toMatchObject({ ok: false, code: "disabled", message: "Billing is paused right now; you have not been charged." });
    expect(await projectCount(user.id)).toBe(0);
  });

  it("returns per-field errors for bad input and changes nothing", async () => {
    const user = await createTestUser();
    const result = await probe.run({ name: "x".repeat(11) }, contextFor(user));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.code).toBe("invalid_input");
    expect(result.fieldErrors?.name).toBeTruthy();
    expect(await projectCount(user.id)).toBe(0);
  });

  it("commits the change and its audit event together", async () => {
    const user = await createTestUser();
    const result = await probe.run({ name: "kept" }, contextFor(user));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const events = await auditFor(result.data.id);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ action: "project.create", outcome: "success", actorId: user.id, actorType: "user" });
  });

  it("rolls back the change and writes no success event when the handler refuses", async () => {
    const user = await createTestUser();
    const result = await probe.run({ name: "gone", explode: "failure" }, contextFor(user));
    expect(result).toMatchObject({ ok: false, code: "conflict", message: "Refused after writing." });
    expect(await projectCount(user.id)).toBe(0);
    const db = await getDb();
    const events = await db.select().from(auditEvents).where(eq(auditEvents.actorId, user.id));
    expect(events.filter((e) => e.outcome === "success")).toHaveLength(0);
  });

  it("turns an unexpected exception into an internal error with an id, not a thrown error", async () => {
    const user = await createTestUser();
    const result = await probe.run({ name: "crash", explode: "crash" }, contextFor(user));
    expect(result).toMatchObject({ ok: false, code: "internal" });
    if (!result.ok) expect(result.errorId).toMatch(/[0-9a-f-]{36}/);
    expect(await projectCount(user.id)).toBe(0);
  });

  it("answers read_only, not internal, when the data layer stops a write the guarded path let through", async () => {
    const leaky = defineAction({
      name: "test.leaky_support_action",
      permission: "self:write",
      allowDuringImpersonation: true,
      input: z.object({ name: z.string() }),
      handler: async ({ tx, user, input }) => {
        await tx.insert(projects).values({ ownerId: user.id, name: input.name });
        return {};
      },
      audit: { action: "project.create", target: () => ({ type: "project", id: null }) },
    });
    const user = await createTestUser();
    const result = await leaky.run({ name: "sneaky" }, contextFor(user, { impersonation: { impersonatorId: crypto.randomUUID(), impersonatorRole: "support" } }));
    expect(result).toMatchObject({ ok: false, code: "read_only" });
    expect(await projectCount(user.id)).toBe(0);
  });
});
