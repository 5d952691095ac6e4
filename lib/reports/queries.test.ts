import { describe, expect, it } from "vitest";
import { contextFor, createTestUser } from "@/test/factories";
import { submitProblemReport } from "./actions";
import { problemReport, problemReportInbox } from "./queries";

async function report(description: string, context: Record<string, unknown> = {}) {
  const reporter = await createTestUser();
  const sent = await submitProblemReport.run({ description, context }, contextFor(reporter));
  if (!sent.ok) throw new Error(sent.message);
  return { reporter, ...sent.data };
}

describe("problem report queries", () => {
  it("are for staff: a user is refused the inbox and a report, even their own", async () => {
    const { reporter, id } = await report("refused");
    expect(await problemReportInbox.run({}, contextFor(reporter))).toMatchObject({ ok: false, code: "forbidden" });
    expect(await problemReport.run({ id }, contextFor(reporter))).toMatchObject({ ok: false, code: "forbidden" });
    expect(await problemReportInbox.run({}, contextFor(null))).toMatchObject({ ok: false, code: "unauthenticated" });
  });

  it("filter the inbox, ignoring values it doesn't understand", async () => {
    const support = await createTestUser({ role: "support" });
    const { reference, reporter } = await report("the inbox finds me");
    const found = await problemReportInbox.run({ q: reference, status: "bogus", from: ["users", "staff"] }, contextFor(support));
    if (!found.ok) throw new Error(found.message);
    expect(found.data.filters).toEqual({ q: reference, status: undefined, from: undefined });
    expect(found.data.reports).toEqual([expect.objectContaining({ reference, status: "new", from: reporter.email, excerpt: "the inbox finds me" })]);
    expect(await problemReportInbox.run({ q: reference, status: "resolved" }, contextFor(support))).toMatchObject({ ok: true, data: { reports: [] } });
  });

  it("open one report with its reporter and parsed context; a missing or malformed id is not found", async () => {
    const admin = await createTestUser({ role: "admin" });
    const { id, reporter } = await report("open me", { route: "/billing", errorIds: ["4242"] });
    const opened = await problemReport.run({ id }, contextFor(admin));
    if (!opened.ok) throw new Error(opened.message);
    expect(opened.data).toMatchObject({ id, reporter: { id: reporter.id, email: reporter.email }, context: { route: "/billing" }, errors: [{ id: "4242", sentryUrl: null }] });
    expect(await problemReport.run({ id: crypto.randomUUID() }, contextFor(admin))).toMatchObject({ ok: false, code: "not_found" });
    expect(await problemReport.run({ id: "nope" }, contextFor(admin))).toMatchObject({ ok: false, code: "invalid_input" });
  });
});
