import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/lib/database";
import { notifications, projects, users } from "@/db/schema";
import { changeUserRole, signUp } from "@/lib/auth/actions";
import { changePlan } from "@/lib/billing/actions";
import { createProject, deleteProject, renameProject } from "@/lib/projects/actions";
import { snapshotTables } from "@/test/db-snapshot";
import { contextFor, createTestUser } from "@/test/factories";
import { procedureRegistry } from "@/lib/procedures";
import { systemContext } from "@/lib/safety";

// Load every action definition in the app so new actions are covered without touching this file.
import.meta.glob("/lib/**/actions.ts", { eager: true });

const HOSTILE_SHAPES: [string, unknown][] = [
  ["null", null],
  ["a string", "'; drop table users; --"],
  ["a number", 42],
  ["an array", [{ name: "x" }]],
];

async function expectNothingChanged(run: () => Promise<unknown>) {
  const before = await snapshotTables();
  const result = await run();
  expect(await snapshotTables()).toEqual(before);
  return result;
}

const actionRegistry = new Map([...procedureRegistry].filter(([, p]) => p.kind === "action"));

/**
 * Someone allowed past the permission guard, so validation is what is probed:
 * a fresh admin (every permission, no rate limit carried over), or the ops
 * CLI's principal for work only jobs and the CLI may do.
 */
async function callerFor(name: string) {
  const permission = actionRegistry.get(name)!.definition.permission;
  if (permission === "system") return systemContext("cli:ops");
  return contextFor(await createTestUser({ role: "admin" }));
}

describe("hostile input to every registered action", () => {
  const names = [...actionRegistry.keys()].filter((name) => !name.startsWith("test."));

  it("covers the app's actions", () => {
    expect(names).toEqual(expect.arrayContaining(["projects.create", "billing.change_plan", "auth.sign_up", "admin.change_role"]));
  });

  it.each(names.flatMap((name) => HOSTILE_SHAPES.map(([label, input]) => [name, label, input] as const)))(
    "%s refuses %s with invalid_input and changes nothing",
    async (name, _label, input) => {
      const action = actionRegistry.get(name)!;
      const caller = await callerFor(name);
      const result = await expectNothingChanged(() => action.run(input, caller));
      expect(result).toMatchObject({ ok: false, code: "invalid_input" });
    },
  );

  it.each(names)("%s cannot be used to pollute Object.prototype", async (name) => {
    const caller = await callerFor(name);
    const payload = JSON.parse('{"__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": true}}}');
    await actionRegistry.get(name)!.run(payload, caller);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe("domain-specific bad input", () => {
  it("rejects oversized and empty project names beside the field", async () => {
    const user = await createTestUser();
    for (const name of ["", "   ", "x".repeat(81), "x".repeat(100_000)]) {
      const result = await expectNothingChanged(() => createProject.run({ name }, contextFor(user)));
      expect(result).toMatchObject({ ok: false, code: "invalid_input", fieldErrors: { name: expect.any(String) } });
    }
    const wrongType = await createProject.run({ name: { $gt: "" } }, contextFor(user));
    expect(wrongType).toMatchObject({ ok: false, code: "invalid_input" });
  });

  it("treats another user's project as not found: no rename, no delete", async () => {
    const owner = await createTestUser();
    const intruder = await createTestUser();
    const created = await createProject.run({ name: "Mine" }, contextFor(owner));
    if (!created.ok) throw new Error(created.message);
    const projectId = created.data.id;
    const rename = await expectNothingChanged(() => renameProject.run({ projectId, name: "Stolen" }, contextFor(intruder)));
    expect(rename).toMatchObject({ ok: false, code: "not_found" });
    const del = await expectNothingChanged(() => deleteProject.run({ projectId }, contextFor(intruder)));
    expect(del).toMatchObject({ ok: false, code: "not_found" });
    const [row] = await (await getDb()).select().from(projects).where(eq(projects.id, projectId));
    expect(row?.name).toBe("Mine");
  });

  it("answers unknown and malformed ids clearly", async () => {
    const user = await createTestUser();
    expect(await renameProject.run({ projectId: crypto.randomUUID(), name: "x" }, contextFor(user))).toMatchObject({ ok: false, code: "not_found" });
    expect(await deleteProject.run({ projectId: "1 OR 1=1" }, contextFor(user))).toMatchObject({ ok: false, code: "invalid_input", fieldErrors: { projectId: "Unknown project." } });
  });

  it("refuses a duplicate project name with a conflict on the name field", async () => {
    const user = await createTestUser();
    await createProject.run({ name: "Twice" }, contextFor(user));
    const again = await expectNothingChanged(() => createProject.run({ name: "Twice" }, contextFor(user)));
    expect(again).toMatchObject({ ok: false, code: "conflict", fieldErrors: { name: "This name is taken." } });
  });

  it("refuses an unknown plan and the plan you already have", async () => {
    const user = await createTestUser({ plan: "pro" });
    expect(await expectNothingChanged(() => changePlan.run({ plan: "enterprise" }, contextFor(user)))).toMatchObject({ ok: false, code: "invalid_input" });
    expect(await expectNothingChanged(() => changePlan.run({ plan: "pro" }, contextFor(user)))).toMatchObject({ ok: false, code: "conflict" });
  });

  it("refuses role changes by non-admins, on unknown users, and on yourself", async () => {
    const admin = await createTestUser({ role: "admin" });
    const support = await createTestUser({ role: "support" });
    const target = await createTestUser();
    expect(await expectNothingChanged(() => changeUserRole.run({ userId: target.id, role: "admin" }, contextFor(support)))).toMatchObject({ ok: false, code: "forbidden" });
    expect(await expectNothingChanged(() => changeUserRole.run({ userId: target.id, role: "admin" }, contextFor(target)))).toMatchObject({ ok: false, code: "forbidden" });
    expect(await expectNothingChanged(() => changeUserRole.run({ userId: crypto.randomUUID(), role: "admin" }, contextFor(admin)))).toMatchObject({ ok: false, code: "not_found" });
    expect(await expectNothingChanged(() => changeUserRole.run({ userId: admin.id, role: "user" }, contextFor(admin)))).toMatchObject({ ok: false, code: "forbidden" });
    expect(await expectNothingChanged(() => changeUserRole.run({ userId: target.id, role: "superuser" }, contextFor(admin)))).toMatchObject({ ok: false, code: "invalid_input" });
  });

  it("answers a sign-up with a taken email (any case) as it answers a new one, keeps the first account and emails its owner; refuses a short password", async () => {
    const existing = await createTestUser();
    const db = await getDb();
    const taken = await signUp.run({ name: "Copy", email: existing.email.toUpperCase(), password: "long enough" }, contextFor(null));
    const fresh = await signUp.run({ name: "Fresh", email: `fresh-${crypto.randomUUID()}@example.test`, password: "long enough" }, contextFor(null));
    expect(taken).toEqual({ ok: true, data: { checkEmail: true } });
    expect(fresh).toEqual(taken);
    const sameAddress = await db.select().from(users).where(eq(sql`lower(${users.email})`, existing.email.toLowerCase()));
    expect(sameAddress.map((u) => [u.id, u.name])).toEqual([[existing.id, existing.name]]);
    const mail = await db.select().from(notifications).where(eq(notifications.userId, existing.id));
    expect(mail.map((m) => m.template)).toEqual(["sign_up_existing"]);
    const short = await expectNothingChanged(() => signUp.run({ name: "Short", email: `short-${crypto.randomUUID()}@example.test`, password: "1234567" }, contextFor(null)));
    expect(short).toMatchObject({ ok: false, code: "invalid_input", fieldErrors: { password: "Use at least 8 characters." } });
  });
});
