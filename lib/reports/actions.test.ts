import { and, eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { getDb } from "@/lib/database";
import { auditEvents, notifications, problemReports } from "@/db/schema";
import type { Impersonation } from "@/lib/impersonation";
import { RATE_LIMIT_POLICIES } from "@/lib/ratelimit";
import { snapshotTables } from "@/test/db-snapshot";
import { contextFor, createTestUser } from "@/test/factories";
import { changeReportStatus, submitProblemReport } from "./actions";

afterEach(() => {
  delete process.env.FLAG_REPORT_PROBLEM;
});

async function reportRow(id: string) {
  const db = await getDb();
  const [row] = await db.select().from(problemReports).where(eq(problemReports.id, id));
  return row!;
}

/** Each signed-out call gets its own IP so the per-IP limit doesn't couple tests. */
const anonymous = () => contextFor(null, { ip: `198.51.100.${Math.floor(Math.random() * 250)}-${crypto.randomUUID()}` });

describe("submitting a problem report", () => {
  it("stores a signed-in report with the session's user, its context and what the server attached", async () => {
    const user = await createTestUser();
    const context = { url: "https://app.test/billing?x=1", route: "/billing", errorIds: ["0123456789abcdef0123456789abcdef", "4242"], timezone: "Europe/Paris" };
    const result = await submitProblemReport.run({ description: "The plan button does nothing", context }, contextFor(user));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.data.reference).toMatch(/^BW-[0-9A-HJKMNP-TV-Z]{8}$/);
    const row = await reportRow(result.data.id);
    expect(row).toMatchObject({ userId: user.id, contactEmail: user.email, status: "new", fromStaff: false, pageUrl: context.url });
    expect(row.errorIds).toEqual(context.errorIds);
    expect(row.context).toMatchObject(context);
    expect(row.serverContext).toMatchObject({ userId: user.id, impersonation: { active: false } });
    expect(typeof (row.serverContext as { flags: unknown }).flags).toBe("object");
    const db = await getDb();
    const events = await db.select().from(auditEvents).where(and(eq(auditEvents.action, "report.submit"), eq(auditEvents.targetId, result.data.id)));
    expect(events).toHaveLength(1);
    expect(JSON.stringify(events[0]!.metadata)).not.toContain("plan button");
  });

  it("attaches the reporter's recent audit events itself, whatever the browser sends", async () => {
    const user = await createTestUser();
    await submitProblemReport.run({ description: "first" }, contextFor(user));
    const result = await submitProblemReport.run(
      { description: "second", context: { recentAudit: [{ action: "forged" }] }, serverContext: { recentAudit: [] } },
      contextFor(user),
    );
    if (!result.ok) throw new Error(result.message);
    const row = await reportRow(result.data.id);
    const audit = (row.serverContext as { recentAudit: { action: string }[] }).recentAudit;
    expect(audit.map((e) => e.action)).toContain("report.submit");
    expect(JSON.stringify(row)).not.toContain("forged");
  });

  it("ignores a forged user id: the server takes the session's", async () => {
    const user = await createTestUser();
    const victim = await createTestUser();
    const signedIn = await submitProblemReport.run(
      { description: "forged", userId: victim.id, email: victim.email, context: { userId: victim.id } },
      contextFor(user),
    );
    if (!signedIn.ok) throw new Error(signedIn.message);
    expect(await reportRow(signedIn.data.id)).toMatchObject({ userId: user.id, contactEmail: user.email });

    const signedOut = await submitProblemReport.run({ description: "forged", userId: victim.id, email: "someone@example.test" }, anonymous());
    if (!signedOut.ok) throw new Error(signedOut.message);
    expect(await reportRow(signedOut.data.id)).toMatchObject({ userId: null, contactEmail: "someone@example.test" });
  });

  it("accepts exactly 5,000 characters", async () => {
    const result = await submitProblemReport.run({ description: "x".repeat(5000), email: "ok@example.test" }, anonymous());
    expect(result.ok).toBe(true);
  });

  const bad: [string, Record<string, unknown>, string][] = [
    ["an empty description", { description: "", email: "a@example.test" }, "description"],
    ["a blank description", { description: "   \n ", email: "a@example.test" }, "description"],
    ["a missing description", { email: "a@example.test" }, "description"],
    ["a 5,001-character description", { description: "x".repeat(5001), email: "a@example.test" }, "description"],
    ["an invalid email", { description: "broken", email: "not-an-email" }, "email"],
    ["no email when signed out", { description: "broken" }, "email"],
    ["an oversized context field", { description: "broken", email: "a@example.test", context: { url: "u".repeat(2001) } }, "context"],
    ["too many error ids", { description: "broken", email: "a@example.test", context: { errorIds: Array.from({ length: 11 }, (_, i) => `e${i}`) } }, "context"],
    ["an error id that isn't one", { description: "broken", email: "a@example.test", context: { errorIds: ["<script>"] } }, "context"],
  ];
  for (const [name, input, field] of bad) {
    it(`refuses ${name} with a clear error and stores nothing`, async () => {
      const before = await snapshotTables();
      const result = await submitProblemReport.run(input, anonymous());
      expect(result).toMatchObject({ ok: false, code: "invalid_input" });
      if (!result.ok) expect(result.fieldErrors?.[field]).toBeTruthy();
      expect(await snapshotTables()).toEqual(before);
    });
  }

  it("keeps an HTML or script payload as the literal text it is", async () => {
    const payload = `<script>alert("x")</script><img src=x onerror=alert(1)>`;
    const result = await submitProblemReport.run({ description: payload, email: "xss@example.test" }, anonymous());
    if (!result.ok) throw new Error(result.message);
    expect((await reportRow(result.data.id)).description).toBe(payload);
  });

  it("is refused while the report_problem kill switch is off, storing nothing", async () => {
    process.env.FLAG_REPORT_PROBLEM = "off";
    const user = await createTestUser();
    const before = await snapshotTables();
    const result = await submitProblemReport.run({ description: "x" }, contextFor(user));
    expect(result).toMatchObject({ ok: false, code: "disabled" });
    expect(await snapshotTables()).toEqual(before);
  });

  it("works during a read-only support session, tagged as from staff and without emailing the customer", async () => {
    const customer = await createTestUser();
    const staff = await createTestUser({ role: "support" });
    const impersonation = { impersonatorId: staff.id, impersonatorRole: "support", target: customer } as unknown as Impersonation;
    const result = await submitProblemReport.run({ description: "seen while viewing as customer" }, contextFor(customer, { impersonation }));
    if (!result.ok) throw new Error(result.message);
    const row = await reportRow(result.data.id);
    expect(row).toMatchObject({ fromStaff: true, impersonatorId: staff.id, userId: customer.id, contactEmail: null });
    expect(row.serverContext).toMatchObject({ impersonation: { active: true, impersonatorId: staff.id } });
  });

  it("declares the report_problem limit: five reports per ten minutes", () => {
    expect(submitProblemReport.definition.rateLimit?.policy).toBe("report_problem");
    expect(RATE_LIMIT_POLICIES.report_problem).toMatchObject({ limit: 5, windowSeconds: 600 });
  });

  it("refuses the sixth report in ten minutes from one user, storing nothing", async () => {
    const user = await createTestUser();
    const other = await createTestUser();
    for (let i = 0; i < 5; i++) {
      expect((await submitProblemReport.run({ description: `report ${i}` }, contextFor(user))).ok).toBe(true);
    }
    const before = await snapshotTables();
    const sixth = await submitProblemReport.run({ description: "sixth" }, contextFor(user));
    expect(sixth).toMatchObject({ ok: false, code: "rate_limited" });
    if (!sixth.ok) expect(sixth.retryAfter).toBeGreaterThan(0);
    expect(await snapshotTables()).toEqual(before);
    // The limit is per reporter: someone else can still report.
    expect((await submitProblemReport.run({ description: "other" }, contextFor(other))).ok).toBe(true);
  });

  it("refuses the sixth signed-out report from one address", async () => {
    const ctx = anonymous();
    for (let i = 0; i < 5; i++) expect((await submitProblemReport.run({ description: `r${i}`, email: "a@example.test" }, ctx)).ok).toBe(true);
    expect(await submitProblemReport.run({ description: "sixth", email: "a@example.test" }, ctx)).toMatchObject({ ok: false, code: "rate_limited" });
  });
});

describe("changing a report's status", () => {
  async function newReport(email?: string) {
    const user = await createTestUser();
    const result = email
      ? await submitProblemReport.run({ description: "help", email }, anonymous())
      : await submitProblemReport.run({ description: "help" }, contextFor(user));
    if (!result.ok) throw new Error(result.message);
    return { ...result.data, user };
  }

  it("lets support triage and resolve, audits each change and emails the reporter once resolved", async () => {
    const support = await createTestUser({ role: "support" });
    const report = await newReport();
    expect(await changeReportStatus.run({ reportId: report.id, status: "triaged" }, contextFor(support))).toMatchObject({ ok: true, data: { emailed: false } });
    expect(await changeReportStatus.run({ reportId: report.id, status: "resolved" }, contextFor(support))).toMatchObject({ ok: true, data: { emailed: true } });
    const row = await reportRow(report.id);
    expect(row.status).toBe("resolved");
    expect(row.resolvedAt).toBeInstanceOf(Date);
    const db = await getDb();
    const mail = await db.select().from(notifications).where(and(eq(notifications.toEmail, report.user.email), eq(notifications.template, "report_resolved")));
    expect(mail).toHaveLength(1);
    expect(mail[0]!.body).toContain(report.reference);
    const events = await db.select().from(auditEvents).where(and(eq(auditEvents.action, "report.status_change"), eq(auditEvents.targetId, report.id)));
    expect(events.map((e) => e.metadata)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ before: { status: "new" }, after: { status: "triaged" } }),
        expect.objectContaining({ before: { status: "triaged" }, after: { status: "resolved" } }),
      ]),
    );
    expect(events.every((e) => e.actorId === support.id)).toBe(true);
  });

  it("emails a signed-out reporter at the address they gave", async () => {
    const admin = await createTestUser({ role: "admin" });
    const email = `reporter-${crypto.randomUUID()}@example.test`;
    const report = await newReport(email);
    expect(await changeReportStatus.run({ reportId: report.id, status: "resolved" }, contextFor(admin))).toMatchObject({ ok: true });
    const db = await getDb();
    expect(await db.select().from(notifications).where(eq(notifications.toEmail, email))).toHaveLength(1);
  });

  it("refuses a plain user and unknown statuses or reports, changing nothing", async () => {
    const user = await createTestUser();
    const support = await createTestUser({ role: "support" });
    const report = await newReport();
    const before = await snapshotTables();
    expect(await changeReportStatus.run({ reportId: report.id, status: "resolved" }, contextFor(user))).toMatchObject({ ok: false, code: "forbidden" });
    expect(await changeReportStatus.run({ reportId: report.id, status: "closed" }, contextFor(support))).toMatchObject({ ok: false, code: "invalid_input" });
    expect(await changeReportStatus.run({ reportId: crypto.randomUUID(), status: "resolved" }, contextFor(support))).toMatchObject({ ok: false, code: "not_found" });
    expect(await snapshotTables()).toEqual(before);
  });
});
