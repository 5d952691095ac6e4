import { describe, expect, it } from "vitest";
import { AUDIT_ACTIONS, AUDIT_CATALOGUE, SUBJECT_VISIBLE_ACTIONS } from "./catalogue";
import { describeAuditEvent } from "./describe";

describe("the audit catalogue", () => {
  it("lists every action once, in catalogue order", () => {
    expect(AUDIT_ACTIONS).toEqual(Object.keys(AUDIT_CATALOGUE));
    expect(new Set(AUDIT_ACTIONS).size).toBe(AUDIT_ACTIONS.length);
  });

  it("gives every action a human sentence, never its code", () => {
    for (const action of AUDIT_ACTIONS) {
      const { sentence } = AUDIT_CATALOGUE[action];
      expect(sentence, action).toMatch(/^[A-Z]/);
      expect(sentence, action).not.toMatch(/[a-z_]+\.[a-z_]+/);
    }
  });

  it("shows a subject sign-ins, billing, projects, their account and support visits, but not staff-side work", () => {
    for (const visible of ["auth.sign_in", "billing.plan_change", "project.delete", "account.confirmation_issue", "account.export", "impersonation.start", "impersonation.end", "user.role_change"]) {
      expect(SUBJECT_VISIBLE_ACTIONS, visible).toContain(visible);
    }
    for (const hidden of ["impersonation.page_view", "audit.search", "task.create", "flag.update", "report.submit", "job.run_now"]) {
      expect(SUBJECT_VISIBLE_ACTIONS, hidden).not.toContain(hidden);
    }
  });

  it("describes events from the catalogue, with their outcome", () => {
    expect(describeAuditEvent({ action: "account.confirmation_issue", outcome: "success" })).toBe("Confirmation requested for a permanent change");
    expect(describeAuditEvent({ action: "auth.sign_in", outcome: "failure" })).toBe("Failed sign-in attempt");
    expect(describeAuditEvent({ action: "billing.plan_change", outcome: "denied" })).toBe("Plan changed (refused)");
    expect(describeAuditEvent({ action: "retired.action", outcome: "success" })).toBe("retired.action");
  });
});
