/**
 * Every audit action the app can record. A guarded action must name one of
 * these (its `audit.action` is typed against this list), so a mutation
 * without an audit action does not compile.
 */
export const AUDIT_ACTIONS = [
  // auth and roles
  "auth.sign_up",
  "auth.sign_in",
  "auth.sign_out",
  "user.role_change",
  // projects
  "project.create",
  "project.rename",
  "project.delete",
  // billing
  "billing.plan_change",
  "billing.cancel",
  // flags and kill switches (issue 3)
  // audit log and impersonation (issue 4)
  // account lifecycle (issue 5)
  // breakers, rate limits, jobs (issue 6)
  // problem reports (issue 7)
  // operability: incidents, readiness, runbooks (issue 8)
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];
