import { readFileSync } from "node:fs";
import { eq, inArray } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/lib/database";
import { invoices, legalHolds, retainedInvoices, subscriptions } from "@/db/schema";
import { AUDIT_RETENTION, type AuditCategory } from "@/lib/audit";
import { invoiceRetentionJob } from "@/lib/billing/jobs";
import { runJob } from "@/lib/jobs/server";
import { contextFor, createTestUser } from "@/test/factories";
import { addDays, describeRetention, RETENTION_POLICIES, retentionMarkdown, retentionPolicy, trashRetentionDays } from "./policy";
import { dataRetention } from "./queries";

const DAY = 86_400_000;

describe("retention is declared once: the jobs, /legal/data-retention and the runbook agree", () => {
  it("every audit category's retention job period is a row of the declaration, with the same days", () => {
    for (const category of Object.keys(AUDIT_RETENTION) as AuditCategory[]) {
      expect(retentionPolicy(`audit_events.${category}`)?.retentionDays, category).toBe(AUDIT_RETENTION[category].keepDays);
    }
  });

  it("the legal page shows exactly the declaration, and so does the runbook", async () => {
    const page = await dataRetention.run({}, contextFor(null));
    if (!page.ok) throw new Error(page.message);
    expect(page.data.policies.map((p) => [p.category, p.keptFor])).toEqual(RETENTION_POLICIES.map((p) => [p.category, describeRetention(p)]));
    const runbook = readFileSync("runbooks/account-deletion-erasure.md", "utf8");
    expect(runbook).toContain(retentionMarkdown());
    expect(trashRetentionDays()).toBe(retentionPolicy("trash").retentionDays);
  });

  it("the invoice retention job deletes invoices past the declared period, and keeps younger ones and held accounts' ones", async () => {
    const db = await getDb();
    const keepDays = retentionPolicy("invoices").retentionDays!;
    const now = new Date();
    const user = await createTestUser({ plan: "pro" });
    const held = await createTestUser({ plan: "pro" });
    const invoiceFor = async (userId: string, ageDays: number) => {
      const [sub] = await db.select().from(subscriptions).where(eq(subscriptions.userId, userId));
      const [row] = await db
        .insert(invoices)
        .values({ userId, subscriptionId: sub!.id, plan: "pro", amountCents: 2000, status: "paid", description: "Pro plan, 30 days", createdAt: addDays(now, -ageDays) })
        .returning({ id: invoices.id });
      return row!.id;
    };
    const expired = await invoiceFor(user.id, keepDays + 1);
    const young = await invoiceFor(user.id, keepDays - 1);
    const heldOld = await invoiceFor(held.id, keepDays + 1);
    await db.insert(legalHolds).values({ userId: held.id, reason: "litigation", placedBy: user.id });
    const retained = (ageDays: number) => ({
      id: crypto.randomUUID(),
      tombstoneId: `tomb_${crypto.randomUUID().replaceAll("-", "")}`,
      plan: "pro",
      amountCents: 2000,
      currency: "usd",
      status: "paid",
      description: "Pro plan",
      issuedAt: addDays(now, -ageDays),
      retainUntil: addDays(addDays(now, -ageDays), keepDays),
    });
    const [pastDue, stillDue] = [retained(keepDays + 1), retained(keepDays - 1)];
    await db.insert(retainedInvoices).values([pastDue, stillDue]);

    const run = await runJob(invoiceRetentionJob, { trigger: "test", now: new Date(now.getTime() + DAY / 24) });
    expect(run.status).toBe("succeeded");
    expect((await db.select({ id: invoices.id }).from(invoices).where(inArray(invoices.id, [expired, young, heldOld]))).map((r) => r.id).sort()).toEqual([young, heldOld].sort());
    expect((await db.select({ id: retainedInvoices.id }).from(retainedInvoices).where(inArray(retainedInvoices.id, [pastDue.id, stillDue.id]))).map((r) => r.id)).toEqual([stillDue.id]);
  });
});
