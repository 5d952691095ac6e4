import type { AuditRow } from "./query";

const SENTENCES: Record<string, string> = {
  "auth.sign_up": "Account created",
  "auth.sign_in": "Signed in",
  "auth.sign_out": "Signed out",
  "user.role_change": "Role changed",
  "project.create": "Project created",
  "project.rename": "Project renamed",
  "project.delete": "Project deleted",
  "billing.plan_change": "Plan changed",
  "billing.cancel": "Subscription cancelled",
  "impersonation.start": "Support viewed your account",
  "impersonation.page_view": "Support viewed a page",
  "impersonation.end": "Support session ended",
  "audit.search": "Searched the audit log",
  "audit.export": "Exported the audit log",
  "audit.verify": "Verified the audit chain",
  "audit.retention": "Applied audit retention",
};

/** A plain sentence for an event; unknown actions fall back to their catalogue name. */
export function describeAuditEvent(row: Pick<AuditRow, "action" | "outcome">): string {
  const base = SENTENCES[row.action] ?? row.action;
  if (row.action === "auth.sign_in" && row.outcome !== "success") return "Failed sign-in attempt";
  if (row.outcome === "denied") return `${base} (refused)`;
  if (row.outcome === "failure") return `${base} (failed)`;
  return base;
}

/** "Chrome on Linux"-style label from a user agent, without a parser dependency. */
export function describeDevice(userAgent: string | null): string {
  if (!userAgent) return "unknown device";
  const browser = /Edg\//.test(userAgent) ? "Edge" : /Chrome\//.test(userAgent) ? "Chrome" : /Firefox\//.test(userAgent) ? "Firefox" : /Safari\//.test(userAgent) ? "Safari" : "a browser";
  const os = /Windows/.test(userAgent) ? "Windows" : /Mac OS X/.test(userAgent) ? "macOS" : /Android/.test(userAgent) ? "Android" : /iPhone|iPad/.test(userAgent) ? "iOS" : /Linux/.test(userAgent) ? "Linux" : "an unknown system";
  return `${browser} on ${os}`;
}
