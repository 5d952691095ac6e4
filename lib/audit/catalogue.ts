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
  "flag.create",
  "flag.update",
  "flag.kill_switch",
  "flag.segment_save",
  "flag.change_decided",
  // audit log and impersonation (issue 4)
  "impersonation.start",
  "impersonation.page_view",
  "impersonation.end",
  "audit.search",
  "audit.export",
  "audit.verify",
  "audit.retention",
  // account lifecycle (issue 5)
  "project.restore",
  "project.purge",
  "project.trash_empty",
  "project.trash_expired",
  "task.create",
  "task.delete",
  "account.confirmation_issue",
  "account.export",
  "account.export_download",
  "account.deactivate",
  "account.reactivate",
  "account.deletion_request",
  "account.deletion_cancel",
  "account.purge",
  "account.legal_hold_place",
  "account.legal_hold_lift",
  "account.erasure_replay",
  // breakers, rate limits, jobs (issue 6)
  "breaker.force",
  "job.run_now",
  "billing.renewal",
  "billing.renewal_failed",
  "notification.delivery",
  "provider.faults_set",
  // problem reports (issue 7)
  "report.submit",
  "report.status_change",
  // operability: incidents, readiness, runbooks (issue 8)
  "incident.create",
  "incident.update",
  "incident.auto_draft",
  "incident.discard",
  "maintenance.schedule",
  "readiness.sign_off",
  "slo.alert",
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];
