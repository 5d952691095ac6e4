import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { AUDIT_RETENTION } from "@/lib/audit";
import { loadServerEnv } from "@/lib/env/schema";
import { deletionGraceDays, RETENTION_POLICIES, retentionMarkdown } from "./policy";

describe("retention policy: one declaration", () => {
  it("the runbook's table is exactly what the declaration renders", () => {
    const runbook = readFileSync("runbooks/account-deletion-erasure.md", "utf8");
    const block = runbook.split("<!-- retention:start -->")[1]?.split("<!-- retention:end -->")[0]?.trim();
    expect(block).toBe(retentionMarkdown());
  });

  it("declares every category the purge touches, once", () => {
    const categories = RETENTION_POLICIES.map((p) => p.category);
    expect(new Set(categories).size).toBe(categories.length);
    for (const c of ["profile", "projects", "trash", "invoices", "notifications", "problem_reports"]) expect(categories).toContain(c);
    // The audit log: one row per audit category, each with its own period.
    for (const c of Object.keys(AUDIT_RETENTION)) expect(categories).toContain(`audit_events.${c}`);
  });

  it("grace period defaults to 14 days and rejects nonsense", () => {
    expect(deletionGraceDays()).toBe(14);
    expect(loadServerEnv({ ACCOUNT_DELETION_GRACE_DAYS: "7" }).ACCOUNT_DELETION_GRACE_DAYS).toBe(7);
    // No silent fallback: a bad value stops the start, naming the variable.
    expect(() => loadServerEnv({ ACCOUNT_DELETION_GRACE_DAYS: "-3" })).toThrow(/ACCOUNT_DELETION_GRACE_DAYS/);
  });
});
