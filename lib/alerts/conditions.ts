import "server-only";
import { and, desc, eq, isNotNull, lt } from "drizzle-orm";
import { alerts, incidents } from "@/db/schema";
import { latestVerification } from "@/lib/audit";
import { BREAKER_NAMES, BREAKERS, unhealthySince } from "@/lib/breakers";
import type { Executor } from "@/lib/database";
import { env } from "@/lib/env";
import { recentAlerts, sloReport, SLOS } from "@/lib/status";
import { BUDGET_FREEZE_SOURCE, reconcileAlerts, resolveAlert, type AlertChange, type AlertInput } from "./index";

/**
 * Conditions that are already recorded elsewhere and become alerts here,
 * once a minute, each source reconciled as a whole (raised while the
 * condition holds, resolved when it ends): burn-rate alerts, breakers open
 * too long, drafted incidents awaiting a person, a failed audit chain
 * verification, an exhausted error budget (whose open alert is the release
 * freeze flags obey). Automatic kills raise their alert where they happen.
 */
export async function reconcileDerivedAlerts(db: Executor, now = new Date()): Promise<AlertChange[]> {
  const changes: AlertChange[] = [];
  changes.push(...(await reconcileAlerts(db, "slo_burn", await burnRateAlerts(db), now)));
  changes.push(...(await reconcileAlerts(db, BUDGET_FREEZE_SOURCE, await exhaustedBudgets(db, now), now)));
  changes.push(...(await reconcileAlerts(db, "breaker_open", await longOpenBreakers(db, now), now)));
  changes.push(...(await reconcileAlerts(db, "incident_draft", await draftedIncidents(db), now)));
  changes.push(...(await reconcileAlerts(db, "audit_chain", await brokenAuditChain(db), now)));
  // A test alert (sent from /admin/alerts) clears itself after two minutes, so the "resolved" messages are tried too.
  const expiredTests = await db
    .select({ dedupKey: alerts.dedupKey })
    .from(alerts)
    .where(and(eq(alerts.source, "test_alert"), eq(alerts.status, "open"), lt(alerts.raisedAt, new Date(now.getTime() - 2 * 60_000))));
  for (const t of expiredTests) {
    const resolved = await resolveAlert(db, t.dedupKey, now);
    if (resolved) changes.push(resolved);
  }
  return changes;
}

/** Fast burn (14.4× over 1 h and 5 min) pages; slow burn (6× over 6 h and 30 min) is a ticket. */
async function burnRateAlerts(db: Executor): Promise<AlertInput[]> {
  const firing = (await recentAlerts(db, 100)).filter((a) => !a.resolvedAt);
  return firing.map((a) => {
    const slo = SLOS.find((s) => s.id === a.slo);
    const fast = a.severity === "page";
    return {
      dedupKey: `slo_burn:${a.slo}:${a.severity}`,
      source: "slo_burn",
      severity: fast ? "page" : "ticket",
      title: `${slo?.title ?? a.slo}: error budget burning ${fast ? "fast" : "steadily"} (${a.burnRate.toFixed(1)}×)`,
      detail: fast
        ? `At this rate the whole 30-day error budget is gone in about ${Math.max(1, Math.round(720 / a.burnRate))} hours.`
        : `At this rate the 30-day error budget runs out before the period ends.`,
      runbook: "error-budget-policy",
      context: { slo: a.slo, burnRate: a.burnRate, firedAt: a.firedAt.toISOString() },
    };
  });
}

/**
 * An SLO whose 30-day error budget is spent puts the error-budget policy in
 * force: while its alert is open, widening a release in production needs an
 * explicit, audited override (lib/flags/actions/flag.ts). It lifts itself
 * when the rolling budget is positive again.
 */
async function exhaustedBudgets(db: Executor, now: Date): Promise<AlertInput[]> {
  const { reports } = await sloReport(db, now);
  return reports
    .filter((r) => r.budget.exhausted)
    .map((r) => ({
      dedupKey: `${BUDGET_FREEZE_SOURCE}:${r.slo.id}`,
      source: BUDGET_FREEZE_SOURCE,
      severity: "ticket",
      title: `${r.slo.title}: error budget exhausted, release freeze in force`,
      detail: `Only reliability fixes, security fixes and rollbacks ship until the 30-day budget is positive again; widening a release in production needs an explicit override.`,
      runbook: "error-budget-policy",
      context: { slo: r.slo.id, title: r.slo.title, compliance: r.budget.compliance },
    }));
}

/** A breaker open longer than ALERT_BREAKER_OPEN_MINUTES: payments pages (money stops), the others are tickets. */
async function longOpenBreakers(db: Executor, now: Date): Promise<AlertInput[]> {
  const limitMs = env.ALERT_BREAKER_OPEN_MINUTES * 60_000;
  const out: AlertInput[] = [];
  for (const name of BREAKER_NAMES) {
    const since = await unhealthySince(db, name);
    if (!since || now.getTime() - since.getTime() < limitMs) continue;
    const minutes = Math.floor((now.getTime() - since.getTime()) / 60_000);
    out.push({
      dedupKey: `breaker_open:${name}`,
      source: "breaker_open",
      severity: name === "payments" ? "page" : "ticket",
      title: `The ${name} breaker has been open for more than ${env.ALERT_BREAKER_OPEN_MINUTES} minutes`,
      detail: `Calls to ${name} have been failing fast since ${since.toISOString()} (${minutes} min).`,
      runbook: BREAKERS[name].runbook,
      context: { breaker: name, since: since.toISOString() },
    });
  }
  return out;
}

/** An incident the monitor drafted waits for a person to publish or discard it. */
async function draftedIncidents(db: Executor): Promise<AlertInput[]> {
  const drafts = await db
    .select()
    .from(incidents)
    .where(and(eq(incidents.status, "draft"), isNotNull(incidents.sourceKey)))
    .orderBy(desc(incidents.createdAt))
    .limit(50);
  return drafts.map((i) => ({
    dedupKey: `incident_draft:${i.id}`,
    source: "incident_draft",
    severity: i.impact === "minor" ? "ticket" : "page",
    title: `Incident drafted: ${i.title}`,
    detail: `Publish it to /status or discard it at /admin/incidents.`,
    runbook: i.runbook ?? "incident-response",
    context: { incidentId: i.id, condition: i.sourceKey, impact: i.impact },
  }));
}

/** The newest verification of the audit chain failed: someone or something rewrote history. */
async function brokenAuditChain(db: Executor): Promise<AlertInput[]> {
  const latest = await latestVerification(db);
  if (!latest || latest.ok) return [];
  return [
    {
      dedupKey: "audit_chain_broken",
      source: "audit_chain",
      severity: "page",
      title: "The audit log failed verification",
      detail: latest.detail,
      runbook: "incident-response",
      context: { verifiedAt: latest.ranAt.toISOString(), firstBrokenId: latest.firstBrokenId, ranBy: latest.ranBy },
    },
  ];
}
