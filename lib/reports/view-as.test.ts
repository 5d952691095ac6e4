import { describe, expect, it } from "vitest";
import { getDb } from "@/lib/database";
import { problemReports } from "@/db/schema";
import { startImpersonation } from "@/lib/impersonation/actions";
import { contextFor, createTestUser } from "@/test/factories";
import { problemReport } from "./queries";

async function reportBy(userId: string | null) {
  const db = await getDb();
  const reference = `BW-${crypto.randomUUID().slice(0, 6).toUpperCase()}`;
  const [row] = await db.insert(problemReports).values({ reference, description: "The billing page is blank", userId }).returning({ id: problemReports.id });
  return { id: row!.id, reference };
}

describe("view as the reporter, from a problem report", () => {
  it("offers support one click with the report as the reason, and that click starts the session", async () => {
    const support = await createTestUser({ role: "support" });
    const user = await createTestUser();
    const report = await reportBy(user.id);
    const result = await problemReport.run({ id: report.id }, contextFor(support));
    if (!result.ok) throw new Error(result.message);
    expect(result.data.viewAs).toEqual({ allowed: true, reason: `Problem report ${report.reference}`, refusal: null });
    const started = await startImpersonation.run({ userId: user.id, reason: result.data.viewAs.reason }, contextFor(support));
    expect(started).toMatchObject({ ok: true });
  });

  it("says why not when the reporter can't be viewed (an admin's report, or a read-only staff reader)", async () => {
    const admin = await createTestUser({ role: "admin" });
    const support = await createTestUser({ role: "support" });
    const byAdmin = await reportBy(admin.id);
    const result = await problemReport.run({ id: byAdmin.id }, contextFor(support));
    if (!result.ok) throw new Error(result.message);
    expect(result.data.viewAs).toMatchObject({ allowed: false, refusal: "Admins can't be viewed as a user." });
    const anonymous = await reportBy(null);
    const none = await problemReport.run({ id: anonymous.id }, contextFor(support));
    expect(none.ok && none.data.viewAs).toMatchObject({ allowed: false, refusal: "The report was sent signed out: there is no account to view." });
  });
});
