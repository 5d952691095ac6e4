import "server-only";
import { desc, sql } from "drizzle-orm";
import { z } from "zod";
import type { Executor } from "@/lib/database";
import { readinessSignoffs } from "@/db/schema";

/**
 * The operational sign-offs Breakwater needs before general availability.
 * Nothing signs itself off: each is a human admin action with a note
 * (lib/status/actions.ts), and lapses back to pending after its expiry.
 */
export const ATTESTATIONS = [
  { key: "status_page", title: "External status page", gating: "ga-blocking", expiresDays: 180, runbook: "incident-response", evidence: "/status" },
  { key: "on_call", title: "On-call rotation: schedule, alert routing, escalation", gating: "ga-blocking", expiresDays: 90, runbook: "on-call", evidence: "/admin/runbooks/on-call" },
  { key: "backup_restore", title: "Database backup and restore runbook (restore rehearsed)", gating: "ga-blocking", expiresDays: 90, runbook: "database-backup-restore", evidence: "/admin/runbooks/database-backup-restore" },
  { key: "dunning", title: "Charge-failure and dunning runbook", gating: "ga-blocking", expiresDays: 180, runbook: "charge-failures-dunning", evidence: "/admin/runbooks/charge-failures-dunning" },
  { key: "slo_agreed", title: "SLO definitions agreed", gating: "soft-gating", expiresDays: 180, runbook: "error-budget-policy", evidence: "/admin/slo" },
  { key: "support_macros", title: "Support macros", gating: "soft-gating", expiresDays: 365, runbook: "macro-double-charge", evidence: "/admin/runbooks" },
  { key: "postmortem", title: "Incident review template with a first post-mortem", gating: "soft-gating", expiresDays: 365, runbook: "postmortem-template", evidence: "/admin/runbooks/postmortem-practice-2026-11" },
] as const satisfies readonly { key: string; title: string; gating: "ga-blocking" | "soft-gating"; expiresDays: number; runbook: string; evidence: string }[];

export type AttestationKey = (typeof ATTESTATIONS)[number]["key"];
export const attestationKeySchema = z.enum(ATTESTATIONS.map((a) => a.key) as [AttestationKey, ...AttestationKey[]], "Choose a known attestation.");

export type LatestSignoff = { attestation: string; signedAt: Date; signedByEmail: string; note: string; evidenceUrl: string | null };

export type AttestationStatus = (typeof ATTESTATIONS)[number] & {
  status: "passed" | "pending";
  /** Signed once, but the sign-off has lapsed. */
  expired: boolean;
  lastAttestedAt: Date | null;
  lastAttestedBy: string | null;
  note: string | null;
  evidenceUrl: string;
  expiresAt: Date | null;
};

export type ReadinessSummary = { total: number; signedOff: number; gaBlockingOutstanding: number; neverSignedOff: number; line: string };

const DAY_MS = 24 * 60 * 60 * 1000;

export function attestationStatuses(latest: readonly LatestSignoff[], now = new Date()): AttestationStatus[] {
  return ATTESTATIONS.map((a) => {
    const s = latest.find((l) => l.attestation === a.key);
    const expiresAt = s ? new Date(s.signedAt.getTime() + a.expiresDays * DAY_MS) : null;
    const expired = Boolean(expiresAt && expiresAt <= now);
    return {
      ...a,
      status: s && !expired ? "passed" : "pending",
      expired,
      lastAttestedAt: s?.signedAt ?? null,
      lastAttestedBy: s?.signedByEmail ?? null,
      note: s?.note ?? null,
      evidenceUrl: s?.evidenceUrl ?? a.evidence,
      expiresAt,
    };
  });
}

const isGaBlockingOutstanding = (s: AttestationStatus) => s.status === "pending" && s.gating === "ga-blocking";

/** The GA-blocking items not signed off (or expired) now: what holds a release at 100 %. */
export async function outstandingGaBlocking(db: Executor, now = new Date()): Promise<AttestationStatus[]> {
  return attestationStatuses(await latestSignoffs(db), now).filter(isGaBlockingOutstanding);
}

export function summariseReadiness(statuses: readonly AttestationStatus[]): ReadinessSummary {
  const signedOff = statuses.filter((s) => s.status === "passed").length;
  const gaBlockingOutstanding = statuses.filter(isGaBlockingOutstanding).length;
  const neverSignedOff = statuses.filter((s) => s.lastAttestedAt === null).length;
  return {
    total: statuses.length,
    signedOff,
    gaBlockingOutstanding,
    neverSignedOff,
    line: `${signedOff} of ${statuses.length} signed off · ${gaBlockingOutstanding} GA-blocking outstanding · ${neverSignedOff} never signed off`,
  };
}

export async function latestSignoffs(db: Executor): Promise<LatestSignoff[]> {
  return db
    .selectDistinctOn([readinessSignoffs.attestation], {
      attestation: readinessSignoffs.attestation,
      signedAt: readinessSignoffs.signedAt,
      signedByEmail: readinessSignoffs.signedByEmail,
      note: readinessSignoffs.note,
      evidenceUrl: readinessSignoffs.evidenceUrl,
    })
    .from(readinessSignoffs)
    .orderBy(readinessSignoffs.attestation, desc(readinessSignoffs.signedAt), desc(sql`${readinessSignoffs.id}`));
}
