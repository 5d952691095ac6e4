import { and, eq, gte } from "drizzle-orm";
import { NextRequest } from "next/server";
import { afterEach, describe, expect, it, vi } from "vitest";
import { getDb } from "@/lib/database";
import { auditEvents, fakePaymentCharges, jobRuns, subscriptions } from "@/db/schema";
import { createTestUser } from "@/test/factories";

const SECRET = vi.hoisted(() => {
  process.env.CRON_SECRET = "test-cron-secret-1234567890";
  return "test-cron-secret-1234567890";
});

afterEach(() => vi.unstubAllEnvs());

async function callCron(name: string) {
  const { GET } = await import("@/app/api/cron/[job]/route");
  return GET(new NextRequest(`http://localhost/api/cron/${name}`, { headers: { authorization: `Bearer ${SECRET}` } }), { params: Promise.resolve({ job: name }) });
}

describe("jobs that charge, with payments switched off", () => {
  it("renewals: a skipped run answered with 200, no charge, no denied audit event per subscription, nothing for the SLO to count", async () => {
    const db = await getDb();
    const user = await createTestUser({ plan: "pro" });
    const periodEnd = new Date(Math.floor((Date.now() - 3_600_000) / 1000) * 1000);
    await db.update(subscriptions).set({ currentPeriodEnd: periodEnd }).where(eq(subscriptions.userId, user.id));
    const since = new Date(Date.now() - 1000);
    vi.stubEnv("FLAG_PAYMENTS", "off");

    const response = await callCron("renewals");
    expect(response.status).toBe(200);
    const body = (await response.json()) as { runId: string; status: string; error: string };
    expect(body).toMatchObject({ status: "skipped", error: "skipped: payments paused" });
    // Skipped runs are not counted by the cron reliability SLO (only finished runs are): nothing burns.
    const [run] = await db.select().from(jobRuns).where(eq(jobRuns.id, body.runId));
    expect(run).toMatchObject({ status: "skipped", processed: 0, failed: 0 });
    const denied = await db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, "billing.renewal"), eq(auditEvents.outcome, "denied"), gte(auditEvents.occurredAt, since)));
    expect(denied).toEqual([]);
    expect(await db.select().from(fakePaymentCharges).where(eq(fakePaymentCharges.customerRef, user.id))).toEqual([]);
  });

  it.each(["payment_reconciliation", "invoice_reconciliation"])("%s is skipped too, not failed", async (name) => {
    vi.stubEnv("FLAG_PAYMENTS", "off");
    const response = await callCron(name);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: "skipped", error: "skipped: payments paused" });
  });
});
