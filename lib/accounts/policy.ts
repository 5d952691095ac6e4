import "server-only";
import { AUDIT_RETENTION, type AuditCategory } from "@/lib/audit";
import { env } from "@/lib/env";

/**
 * Retention policies: the one declaration the purge job, the retention jobs
 * (trash, invoices, audit log), the public /legal/data-retention page and the
 * runbook all read. Change a line here (or an audit category's period in
 * lib/audit/retention.ts, which this derives its audit rows from) and all change with it.
 */
export type RetentionAction = "delete" | "pseudonymise" | "keep";

export type RetentionPolicy = {
  category: string;
  /** What the category holds, in words a user understands. */
  description: string;
  /** How long after the trigger the data is kept; null = until the account is deleted. */
  retentionDays: number | null;
  /** What starts the clock. */
  trigger: "account_deletion" | "moved_to_trash" | "created";
  action: RetentionAction;
  why: string;
};

const YEAR = 365;

export const RETENTION_POLICIES = [
  { category: "profile", description: "Your name, email address and password hash", retentionDays: 0, trigger: "account_deletion", action: "delete", why: "Not needed once the account is gone." },
  { category: "projects", description: "Projects and tasks, including the trash", retentionDays: 0, trigger: "account_deletion", action: "delete", why: "Your content is yours; we keep no copy." },
  { category: "trash", description: "Projects you moved to the trash", retentionDays: 30, trigger: "moved_to_trash", action: "delete", why: "Long enough to undo a mistake." },
  { category: "notifications", description: "Emails we sent you and their delivery status", retentionDays: 0, trigger: "account_deletion", action: "delete", why: "Contains your email address." },
  { category: "problem_reports", description: "Problems you reported", retentionDays: 0, trigger: "account_deletion", action: "delete", why: "May contain personal details you typed." },
  { category: "sessions", description: "Sign-in sessions and confirmation tokens", retentionDays: 0, trigger: "account_deletion", action: "delete", why: "Only useful while the account exists." },
  { category: "invoices", description: "Invoices and payment references", retentionDays: 7 * YEAR, trigger: "created", action: "pseudonymise", why: "Tax law requires us to keep invoices; they no longer name you." },
  // The audit log, one row per audit category with the period its retention job applies (declared in lib/audit/retention.ts).
  ...(Object.keys(AUDIT_RETENTION) as AuditCategory[]).map((category) => ({
    category: `audit_events.${category}`,
    description: `Audit log: ${AUDIT_RETENTION[category].description}`,
    retentionDays: AUDIT_RETENTION[category].keepDays as number,
    trigger: "created" as const,
    action: "pseudonymise" as const,
    why: `${AUDIT_RETENTION[category].why} Your identity is replaced by a tombstone id.`,
  })),
  { category: "deletion_receipt", description: "The receipt of your deletion", retentionDays: null, trigger: "account_deletion", action: "keep", why: "Proves the deletion happened; holds only the tombstone id." },
] as const satisfies readonly RetentionPolicy[];

export type RetentionCategory = (typeof RETENTION_POLICIES)[number]["category"];

export function retentionPolicy(category: RetentionCategory): RetentionPolicy {
  return RETENTION_POLICIES.find((p) => p.category === category)!;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** Grace period between a deletion request and the purge (ACCOUNT_DELETION_GRACE_DAYS, default 14, validated at start). */
export function deletionGraceDays(): number {
  return env.ACCOUNT_DELETION_GRACE_DAYS;
}

export function trashRetentionDays(): number {
  return retentionPolicy("trash").retentionDays!;
}

export function addDays(date: Date, days: number): Date {
  return new Date(date.getTime() + days * DAY_MS);
}

/** What a deletion keeps, and until when, for the receipt written at request time. */
export function retainedOnDeletion(now: Date): { category: string; until: string; why: string }[] {
  return RETENTION_POLICIES.filter((p) => p.action !== "delete").map((p) => ({
    category: p.category,
    until: p.retentionDays === null ? "indefinitely" : `${p.retentionDays} days after ${p.trigger === "created" ? "each record was created" : "deletion"} (no later than ${addDays(now, p.retentionDays).toISOString().slice(0, 10)})`,
    why: p.why,
  }));
}

/** Human wording of one policy's period, shared by the legal page and the runbook. */
export function describeRetention(p: RetentionPolicy): string {
  if (p.retentionDays === null) return "Kept indefinitely";
  if (p.retentionDays === 0) return "Deleted when the account is purged";
  const years = p.retentionDays % YEAR === 0 ? p.retentionDays / YEAR : null;
  const span = years ? `${years} year${years === 1 ? "" : "s"}` : `${p.retentionDays} days`;
  return `${span} after ${p.trigger === "created" ? "creation" : p.trigger === "moved_to_trash" ? "moving to the trash" : "deletion"}`;
}

const ACTION_WORDS: Record<RetentionAction, string> = { delete: "Deleted", pseudonymise: "Kept without identity (tombstone id)", keep: "Kept" };

/** The declaration as a markdown table: pasted into runbooks/account-deletion-erasure.md, which a test keeps in sync. */
export function retentionMarkdown(): string {
  const rows = RETENTION_POLICIES.map((p) => `| ${p.category} | ${p.description} | ${describeRetention(p)} | ${ACTION_WORDS[p.action]} | ${p.why} |`);
  return ["| Category | Data | How long | Then | Why |", "| --- | --- | --- | --- | --- |", ...rows].join("\n");
}
