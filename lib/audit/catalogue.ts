/**
 * Every audit action the app can record, with what a person reads for it.
 * A guarded action must name one of these keys (its `audit.action` is typed
 * against them), so a mutation without an audit action does not compile, and
 * an action without a sentence cannot be added.
 *
 * `subjectSees` decides whether the account an event is about sees it on its
 * own activity page: sign-ins, billing, projects, account lifecycle and
 * support sessions, yes; staff operations and the audit log's own reads, no.
 */
type CatalogueEntry = {
  /** What a person reads, on the activity page and the staff timeline. */
  sentence: string;
  /** Whether the subject sees this event on their own activity page. */
  subjectSees: boolean;
};

export const AUDIT_CATALOGUE = {
  // auth and roles
  "auth.sign_up": { sentence: "Account created", subjectSees: true },
  "auth.sign_in": { sentence: "Signed in", subjectSees: true },
  "auth.sign_out": { sentence: "Signed out", subjectSees: true },
  "auth.sign_out_everywhere": { sentence: "Signed out on every device", subjectSees: true },
  "auth.password_check": { sentence: "Password checked for a sensitive action", subjectSees: true },
  "user.role_change": { sentence: "Role changed", subjectSees: true },
  "user.access_request": { sentence: "Access change requested by an admin", subjectSees: false },
  "user.access_decision": { sentence: "Access change decided by a second admin", subjectSees: false },
  "auth.password_reset_request": { sentence: "Password reset link requested", subjectSees: true },
  "auth.password_reset": { sentence: "Password reset with an emailed link; every session signed out", subjectSees: true },
  "auth.email_verify": { sentence: "Email address confirmed", subjectSees: true },
  "auth.verification_resend": { sentence: "Confirmation email sent again", subjectSees: true },
  // projects
  "project.create": { sentence: "Project created", subjectSees: true },
  "project.rename": { sentence: "Project renamed", subjectSees: true },
  "project.delete": { sentence: "Project deleted", subjectSees: true },
  // billing
  "billing.plan_change": { sentence: "Plan changed", subjectSees: true },
  "billing.cancel": { sentence: "Subscription cancelled", subjectSees: true },
  "billing.refund": { sentence: "Charge refunded", subjectSees: true },
  "billing.reconcile": { sentence: "Payment checked with the provider", subjectSees: true },
  "billing.card_setup": { sentence: "Card setup started", subjectSees: true },
  "billing.provider_event": { sentence: "Payment provider event received", subjectSees: false },
  "billing.invoice_reconcile": { sentence: "Invoices reconciled with the provider", subjectSees: false },
  // app-wide operating state
  "system.maintenance": { sentence: "Read-only maintenance turned on or off", subjectSees: false },
  // flags and kill switches
  "flag.create": { sentence: "Feature flag created", subjectSees: false },
  "flag.update": { sentence: "Feature flag changed", subjectSees: false },
  "flag.kill_switch": { sentence: "Kill switch flipped", subjectSees: false },
  "flag.segment_save": { sentence: "Flag segment saved", subjectSees: false },
  "flag.change_decided": { sentence: "Flag change request decided", subjectSees: false },
  "flag.env_override": { sentence: "Environment override (FLAG_*) observed by a server instance", subjectSees: false },
  "flag.rollout_plan": { sentence: "Release rollout plan saved", subjectSees: false },
  "flag.rollout_advance": { sentence: "Release rollout: next phase asked for", subjectSees: false },
  // audit log and impersonation
  "impersonation.start": { sentence: "Support viewed your account", subjectSees: true },
  // Page views are counted on their session's line instead of listed one by one.
  "impersonation.page_view": { sentence: "Support viewed a page", subjectSees: false },
  "impersonation.end": { sentence: "Support session ended", subjectSees: true },
  "audit.search": { sentence: "Searched the audit log", subjectSees: false },
  "audit.export": { sentence: "Exported the audit log", subjectSees: false },
  "audit.verify": { sentence: "Verified the audit chain", subjectSees: false },
  "audit.retention": { sentence: "Applied audit retention", subjectSees: false },
  "audit.rebaseline": { sentence: "Re-anchored the audit chain after a restore", subjectSees: false },
  // account lifecycle
  "project.restore": { sentence: "Project restored from the trash", subjectSees: true },
  "project.purge": { sentence: "Project deleted forever", subjectSees: true },
  "project.trash_empty": { sentence: "Trash emptied", subjectSees: true },
  "project.trash_expired": { sentence: "Expired projects removed from the trash", subjectSees: true },
  "task.create": { sentence: "Task added", subjectSees: false },
  "task.delete": { sentence: "Task deleted", subjectSees: false },
  "account.confirmation_issue": { sentence: "Confirmation requested for a permanent change", subjectSees: true },
  "account.export": { sentence: "Data export requested", subjectSees: true },
  "account.export_download": { sentence: "Data export downloaded", subjectSees: true },
  "account.deactivate": { sentence: "Account deactivated", subjectSees: true },
  "account.reactivate": { sentence: "Account reactivated", subjectSees: true },
  "account.deletion_request": { sentence: "Account deletion requested", subjectSees: true },
  "account.deletion_cancel": { sentence: "Account deletion cancelled", subjectSees: true },
  "account.purge": { sentence: "Account purged", subjectSees: true },
  "account.legal_hold_place": { sentence: "Legal hold placed on the account", subjectSees: true },
  "account.legal_hold_lift": { sentence: "Legal hold lifted", subjectSees: true },
  "account.erasure_replay": { sentence: "Erasures re-applied after a restore", subjectSees: true },
  // breakers, rate limits, jobs
  "breaker.force": { sentence: "Circuit breaker forced", subjectSees: false },
  "job.run_now": { sentence: "Job run by hand", subjectSees: false },
  "billing.renewal": { sentence: "Subscription renewed", subjectSees: true },
  "invoice.retention_expired": { sentence: "Invoices past their retention period deleted", subjectSees: false },
  "billing.provider_cancellation": { sentence: "Queued cancellation sent to the payments provider", subjectSees: false },
  "billing.renewal_failed": { sentence: "Subscription renewal failed", subjectSees: true },
  "notification.delivery": { sentence: "Notification delivered", subjectSees: false },
  "provider.faults_set": { sentence: "Provider faults set", subjectSees: false },
  "provider.faults_clear": { sentence: "Provider faults cleared", subjectSees: false },
  "email.unsubscribe": { sentence: "Unsubscribed from optional email", subjectSees: false },
  "alert.test": { sentence: "Test alert sent to every destination", subjectSees: false },
  // problem reports
  "report.submit": { sentence: "Problem reported", subjectSees: false },
  "report.status_change": { sentence: "Problem report status changed", subjectSees: false },
  // operability: incidents, readiness, runbooks
  "incident.create": { sentence: "Incident opened", subjectSees: false },
  "incident.update": { sentence: "Incident updated", subjectSees: false },
  "incident.auto_draft": { sentence: "Incident drafted automatically", subjectSees: false },
  "incident.discard": { sentence: "Incident draft discarded", subjectSees: false },
  "maintenance.schedule": { sentence: "Maintenance scheduled", subjectSees: false },
  "readiness.sign_off": { sentence: "Readiness signed off", subjectSees: false },
  "slo.alert": { sentence: "SLO alert raised", subjectSees: false },
} as const satisfies Record<string, CatalogueEntry>;

export type AuditAction = keyof typeof AUDIT_CATALOGUE;

/** Every action, in catalogue order (the admin filter lists them in this order). */
export const AUDIT_ACTIONS = Object.keys(AUDIT_CATALOGUE) as [AuditAction, ...AuditAction[]];

export function isAuditAction(action: string): action is AuditAction {
  return Object.hasOwn(AUDIT_CATALOGUE, action);
}

/** The actions a user sees about their own account. */
export const SUBJECT_VISIBLE_ACTIONS: readonly AuditAction[] = AUDIT_ACTIONS.filter((action) => AUDIT_CATALOGUE[action].subjectSees);
