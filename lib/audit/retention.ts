import "server-only";
import { env } from "@/lib/env";

/**
 * Audit retention per category. It is part of the one retention declaration
 * (RETENTION_POLICIES in lib/accounts/policy.ts derives its audit rows from
 * this, so the job, /legal/data-retention and the runbook agree). Each lane of each category is its own
 * hash chain (lib/audit/lanes.ts), so removing a lane's oldest events leaves the other chains untouched;
 * the removed prefix is replaced by a signed checkpoint (lib/audit/retain.ts).
 */
export const AUDIT_RETENTION = {
  security: { keepDays: 730, sampleRate: 1, description: "Sign-ins, role changes, support sessions, flag and breaker changes", why: "Needed to investigate abuse and account takeover." },
  billing: { keepDays: 2555, sampleRate: 1, description: "Charges, refunds and plan changes", why: "Kept as long as the invoices, for tax and disputes." },
  account: { keepDays: 2555, sampleRate: 1, description: "Account and data lifecycle: deletion, export, restore", why: "Proves what happened to your data and when." },
  audit: { keepDays: 730, sampleRate: 1, description: "Staff reading the audit log", why: "Shows who looked at the log." },
  // High volume and short-lived, optionally sampled.
  page_view: { keepDays: 90, sampleRate: env.AUDIT_PAGE_VIEW_SAMPLE_RATE, description: "Pages support staff viewed while viewing as you", why: "Lets you see what support looked at." },
  general: { keepDays: 365, sampleRate: 1, description: "Jobs, reports and other operational changes", why: "Needed to investigate incidents." },
} as const satisfies Record<string, { keepDays: number; sampleRate: number; description: string; why: string }>;

export type AuditCategory = keyof typeof AUDIT_RETENTION;

const RULES: ReadonlyArray<[RegExp, AuditCategory]> = [
  [/^impersonation\.page_view$/, "page_view"],
  [/^(auth|impersonation|flag|flags|breaker|breakers|ratelimit|user\.role)/, "security"],
  [/^(billing|payment|charge|refund|invoice)/, "billing"],
  [/^(account|export|deletion|data|project)/, "account"],
  [/^audit\./, "audit"],
];

/** Category by action-name prefix, so newly added actions land somewhere sensible without a second list. */
export function categoryOf(action: string): AuditCategory {
  for (const [pattern, category] of RULES) if (pattern.test(action)) return category;
  return "general";
}

export const AUDIT_CATEGORIES = Object.keys(AUDIT_RETENTION) as AuditCategory[];
