import fs from "node:fs";
import path from "node:path";
import { eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/lib/database";
import { ReadOnlyDatabaseError, readOnlyDb } from "@/db/read-only";
import { auditEvents, projects, users } from "@/db/schema";
import { recordAuditEvent } from "@/lib/audit";
import { procedureRegistry } from "@/lib/procedures";
import { contextFor, createTestUser } from "@/test/factories";
import { snapshotTables } from "@/test/db-snapshot";

/** Every `lib/**\/actions.ts`, so an action added later is covered without touching this test. */
function actionFiles(dir = path.join(process.cwd(), "lib")): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return actionFiles(full);
    return entry.name === "actions.ts" ? [full] : [];
  });
}

beforeAll(async () => {
  for (const file of actionFiles()) await import(file);
});


/** Business data only: flag_instances is each process's heartbeat (written on flag reads), like the bookkeeping snapshotTables already skips. */
async function businessTables() {
  const { flag_instances: _heartbeat, ...rest } = await snapshotTables();
  return rest;
}

async function errorChain(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    const messages: string[] = [];
    for (let e: unknown = error; e; e = (e as { cause?: unknown }).cause) messages.push(String((e as Error).message ?? e));
    return messages.join(" / ");
  }
  return "no error";
}

/** Actions a web session could reach (system-only work is refused to every session before this guard). */
const sessionActions = () => new Map([...procedureRegistry].filter(([, p]) => p.kind === "action" && p.definition.permission !== "system"));

describe("read-only support sessions, in the guarded path", () => {
  it("finds the actions to check", () => {
    expect(actionFiles().length).toBeGreaterThanOrEqual(4);
    expect(sessionActions().has("projects.delete")).toBe(true);
    expect(sessionActions().has("billing.change_plan")).toBe(true);
  });

  it("refuses every registered action with read_only and changes no row in any table", async () => {
    const viewed = await createTestUser({ role: "admin" });
    const staffId = crypto.randomUUID();
    const impersonation = { impersonatorId: staffId, impersonatorRole: "support" as const };
    const checked: string[] = [];
    for (const [name, action] of sessionActions()) {
      if (action.definition.allowDuringImpersonation) continue;
      const before = await businessTables();
      // Inputs shaped like real ones and plain garbage: refusal comes before validation either way.
      for (const input of [{}, { projectId: crypto.randomUUID(), name: "x", plan: "pro", userId: viewed.id, role: "admin", reason: "r" }]) {
        const result = await action.run(input, contextFor(viewed, { impersonation }));
        expect({ name, result }).toMatchObject({ name, result: { ok: false, code: "read_only" } });
      }
      expect({ name, tables: await businessTables() }).toEqual({ name, tables: before });
      checked.push(name);
    }
    expect(checked.length).toBeGreaterThanOrEqual(8);
    const db = await getDb();
    const denials = await db.select({ action: auditEvents.action }).from(auditEvents).where(eq(auditEvents.impersonatorId, staffId));
    expect(denials.length).toBe(checked.length * 2);
  });

  it("lets only the session's own exits through, and they change no business data", async () => {
    const allowed = [...sessionActions().values()].filter((a) => a.definition.allowDuringImpersonation).map((a) => a.definition.name);
    expect(allowed).toEqual(expect.arrayContaining(["impersonation.end", "impersonation.page_view"]));
    const viewed = await createTestUser();
    for (const name of allowed) {
      const before = await businessTables();
      await sessionActions().get(name)!.run({ path: "/projects" }, contextFor(viewed, { impersonation: { impersonatorId: crypto.randomUUID(), impersonatorRole: "support" } }));
      expect({ name, tables: await businessTables() }).toEqual({ name, tables: before });
    }
  });
});

describe("read-only support sessions, at the data-access layer", () => {
  it("refuses writes through a read-only handle, but still records audit events", async () => {
    const owner = await createTestUser();
    const db = readOnlyDb(await getDb(), "test read-only session");
    expect(() => db.insert(projects).values({ ownerId: owner.id, name: "sneaky" })).toThrow(ReadOnlyDatabaseError);
    expect(() => db.update(users).set({ name: "changed" }).where(eq(users.id, owner.id))).toThrow(ReadOnlyDatabaseError);
    expect(() => db.delete(projects).where(eq(projects.ownerId, owner.id))).toThrow(ReadOnlyDatabaseError);
    await expect(db.transaction(async (tx) => tx.insert(projects).values({ ownerId: owner.id, name: "in-tx" }))).rejects.toThrow(ReadOnlyDatabaseError);
    expect(await errorChain(db.execute(sql`update users set name = 'raw' where id = ${owner.id}`))).toMatch(/read-only transaction/);
    await expect(db.transaction(async (tx) => tx.execute(sql`select 1`))).rejects.toThrow(ReadOnlyDatabaseError);
    // Reads still work, raw or built.
    expect(await db.select({ id: users.id }).from(users).where(eq(users.id, owner.id))).toHaveLength(1);
    expect(await db.execute(sql`select 1 as one`)).toBeTruthy();
    // The audit trail is still written (denials, page views).
    const target = crypto.randomUUID();
    await recordAuditEvent(db, { actor: { type: "support", id: null }, action: "impersonation.page_view", target: { type: "user", id: target }, outcome: "success", request: { ip: "198.51.100.1" } });
    const clean = await getDb();
    expect(await clean.select().from(projects).where(eq(projects.ownerId, owner.id))).toHaveLength(0);
    const [stillNamed] = await clean.select({ name: users.name }).from(users).where(eq(users.id, owner.id));
    expect(stillNamed!.name).toBe(owner.name);
    expect(await clean.select().from(auditEvents).where(eq(auditEvents.targetId, target))).toHaveLength(1);
  });
});
