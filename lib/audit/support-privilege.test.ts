import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/lib/database";
import { auditEvents } from "@/db/schema";
import { recordAuditEvent, streamAuditExport } from "@/lib/audit";
import { exportAuditLog } from "@/lib/audit/queries";
import { contextFor, createTestUser } from "@/test/factories";

// Open (and migrate) the database once, outside any single test's time budget.
beforeAll(() => getDb());

async function exported(result: Awaited<ReturnType<typeof exportAuditLog.run>>): Promise<string> {
  if (!result.ok) throw new Error(`${result.code}: ${result.message}`);
  return new Response(streamAuditExport(result.data.rows, result.data.format)).text();
}

describe("the audit export gives support no personal data", () => {
  it("support's export has the events without addresses, user agents or personal metadata", async () => {
    const subject = await createTestUser();
    const db = await getDb();
    await recordAuditEvent(db, {
      actor: { type: "user", id: subject.id },
      action: "auth.sign_in",
      target: { type: "user", id: subject.id },
      outcome: "success",
      metadata: { method: "password", email: subject.email },
      request: { ip: "203.0.113.77", userAgent: "SecretBrowser/1.0" },
    });
    const support = await createTestUser({ role: "support" });
    const text = await exported(await exportAuditLog.run({ format: "json", target: subject.id }, contextFor(support)));
    expect(text).toContain(subject.id);
    expect(text).not.toContain("203.0.113.77");
    expect(text).not.toContain("SecretBrowser");
    expect(text).not.toContain(subject.email);
    // Asking for it is refused, and the attempt recorded.
    expect(await exportAuditLog.run({ format: "csv", target: subject.id, personal: "include", reason: "curious" }, contextFor(support))).toMatchObject({ ok: false, code: "forbidden" });
  });

  it("an admin gets personal data only with a reason, which is recorded", async () => {
    const subject = await createTestUser();
    const db = await getDb();
    await recordAuditEvent(db, { actor: { type: "user", id: subject.id }, action: "auth.sign_in", target: { type: "user", id: subject.id }, outcome: "success", request: { ip: "203.0.113.78", userAgent: "Agent/2" } });
    const admin = await createTestUser({ role: "admin" });
    expect(await exportAuditLog.run({ format: "csv", target: subject.id, personal: "include" }, contextFor(admin))).toMatchObject({ ok: false, code: "invalid_input", fieldErrors: { reason: expect.any(String) } });
    const text = await exported(await exportAuditLog.run({ format: "csv", target: subject.id, personal: "include", reason: "law enforcement request 42" }, contextFor(admin)));
    expect(text).toContain("203.0.113.78");
    const [record] = await db.select().from(auditEvents).where(and(eq(auditEvents.action, "audit.export"), eq(auditEvents.actorId, admin.id)));
    expect(record?.metadata).toMatchObject({ personalData: true, reason: "law enforcement request 42" });
  });
});
