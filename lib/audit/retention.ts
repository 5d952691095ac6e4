/**
 * Retention, declared in one place. Each category is its own hash chain, so
 * removing a category's oldest events leaves the other chains untouched;
 * the removed prefix is replaced by a signed checkpoint (lib/audit/retain.ts).
 */
export const AUDIT_RETENTION = {
  /** Sign-ins, roles, support sessions, flags, breakers: kept for years. */
  security: { keepDays: 730, sampleRate: 1 },
  /** Charges, refunds, plan changes: kept for tax and disputes. */
  billing: { keepDays: 2555, sampleRate: 1 },
  /** Account and data lifecycle: deletion, export, restore. */
  account: { keepDays: 2555, sampleRate: 1 },
  /** Reading the audit log itself. */
  audit: { keepDays: 730, sampleRate: 1 },
  /** Pages viewed during support sessions: high volume, short-lived, optionally sampled. */
  page_view: { keepDays: 90, sampleRate: Number(process.env.AUDIT_PAGE_VIEW_SAMPLE_RATE ?? 1) },
  /** Jobs, reports, operational changes and anything not named above. */
  general: { keepDays: 365, sampleRate: 1 },
} as const satisfies Record<string, { keepDays: number; sampleRate: number }>;

export type AuditCategory = keyof typeof AUDIT_RETENTION;

const RULES: ReadonlyArray<[RegExp, AuditCategory]> = [
  [/^impersonation\.page_view$/, "page_view"],
  [/^(auth|impersonation|flag|flags|breaker|breakers|ratelimit|user\.role)/, "security"],
  [/^(billing|payment|charge|refund|invoice)/, "billing"],
  [/^(account|export|deletion|data|project)/, "account"],
  [/^audit\./, "audit"],
];

/** Category by action-name prefix, so actions other issues add land somewhere sensible without a second list. */
export function categoryOf(action: string): AuditCategory {
  for (const [pattern, category] of RULES) if (pattern.test(action)) return category;
  return "general";
}

export const AUDIT_CATEGORIES = Object.keys(AUDIT_RETENTION) as AuditCategory[];
