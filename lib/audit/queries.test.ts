import { and, desc, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditEvents } from "@/db/schema";
import { getDb } from "@/lib/database";
import { contextFor, createTestUser } from "@/test/factories";
import { auditLogView, exportAuditLog, searchAuditLog } from "./queries";
import { recordAuditEvent } from "./record";

async function lastRead(actorId: string, action: "audit.search" | "audit.export") {
  const db = await getDb();
  const [row] = await db.select().from(auditEvents).where(and(eq(auditEvents.actorId, actorId), eq(auditEvents.action, action))).orderBy(desc(auditEvents.id)).limit(1);
  return row ?? null;
}

describe("audit log queries", () => {
  it("refuse a plain user, and record the refused export", async () => {
    const user = await createTestUser();
    expect(await auditLogView.run({}, contextFor(user))).toMatchObject({ ok: false, code: "forbidden" });
    expect(await searchAuditLog.run({}, contextFor(user))).toMatchObject({ ok: false, code: "forbidden" });
    expect(await exportAuditLog.run({ format: "csv" }, contextFor(user))).toMatchObject({ ok: false, code: "forbidden" });
    expect(await lastRead(user.id, "audit.export")).toMatchObject({ outcome: "denied" });
  });

  it("the view turns a malformed filter into messages for the form, not a failure", async () => {
    const support = await createTestUser({ role: "support" });
    const view = await auditLogView.run({ from: "not-a-date", actor: ["first", "second"] }, contextFor(support));
    expect(view.ok).toBe(true);
    if (!view.ok) return;
    expect(view.data.errors).toEqual([expect.stringContaining("Enter a date like 2026-01-31")]);
    expect(view.data.values).toEqual({ from: "not-a-date", actor: "first" });
    expect(view.data.actions).toContain("audit.search");
    const clean = await auditLogView.run({ action: "project.create" }, contextFor(support));
    expect(clean.ok && clean.data.errors).toEqual([]);
  });

  it("a search returns described events and is itself recorded with its filter", async () => {
    const support = await createTestUser({ role: "support" });
    const target = crypto.randomUUID();
    await recordAuditEvent(await getDb(), { actor: { type: "system", id: null }, action: "project.create", target: { type: "project", id: target }, outcome: "success" });
    const found = await searchAuditLog.run({ target }, contextFor(support));
    expect(found.ok).toBe(true);
    if (!found.ok) return;
    expect(found.data.rows).toEqual([expect.objectContaining({ action: "project.create", targetId: target, description: expect.any(String) })]);
    expect(found.data.nextBefore).toBeNull();
    expect(await lastRead(support.id, "audit.search")).toMatchObject({ outcome: "success", targetType: "audit_log", metadata: { filter: { target }, resultCount: 1 } });
  });

  it("an export needs a format, streams every match, and is recorded before it is read", async () => {
    const admin = await createTestUser({ role: "admin" });
    expect(await exportAuditLog.run({ format: "xml" }, contextFor(admin))).toMatchObject({ ok: false, code: "invalid_input", fieldErrors: { format: "Choose csv or json." } });
    const target = crypto.randomUUID();
    await recordAuditEvent(await getDb(), { actor: { type: "system", id: null }, action: "project.create", target: { type: "project", id: target }, outcome: "success" });
    const exported = await exportAuditLog.run({ format: "json", target }, contextFor(admin));
    expect(exported.ok).toBe(true);
    if (!exported.ok) return;
    expect(await lastRead(admin.id, "audit.export")).toMatchObject({ outcome: "success", metadata: { filter: { target }, format: "json" } });
    const rows = [];
    for await (const row of exported.data.rows) rows.push(row);
    expect(rows.map((r) => r.targetId)).toEqual([target]);
  });

  it("an export is refused during a read-only support session", async () => {
    const admin = await createTestUser({ role: "admin" });
    const session = contextFor(admin, { impersonation: { impersonatorId: crypto.randomUUID(), impersonatorRole: "admin" } });
    expect(await exportAuditLog.run({ format: "csv" }, session)).toMatchObject({ ok: false, code: "read_only" });
  });
});
