import "server-only";
import { and, eq, inArray, isNull, lt, notInArray } from "drizzle-orm";
import type { Db } from "@/lib/database";
import { incidents, incidentUpdates, requestMinutes, sloAlerts, statusChecks, statusConditions } from "@/db/schema";
import { withTimeout } from "@/lib/breakers";
import { recordAuditEvent } from "@/lib/audit";
import type { JobSchedule } from "@/lib/jobs";
import { evaluateAlerts } from "./burn-rate";
import { COMPONENTS, deriveComponents, type ComponentId } from "./components";
import { DRAFT_INCIDENT_AFTER_MINUTES } from "./incidents";
import { ACTIONS_ROUTE } from "./link";
import { ROUTES_OUTCOME } from "./outcomes";
import { listMaintenance, listPublicIncidents, sliPoints } from "./reads";
import { notMeasuredReason } from "./slo-report";
import { SLOS } from "./slos";
import { pingDatabase } from "./ping";
import { breakerSignals, jobFreshness, killSwitchStates, type JobFreshness, type StoreOutage } from "./sources";

/**
 * What the uptime_check job does each minute: sample every component's
 * state (the one measure behind uptime and availability SLOs), draft
 * incidents for conditions that lasted too long, and fire or clear
 * burn-rate alerts. Samples are metrics, not changes anyone made, so they
 * are not audited; drafts and alerts are.
 */

/** Abnormal conditions that draft an incident once they outlast DRAFT_INCIDENT_AFTER_MINUTES. */
export const CONDITIONS: Record<string, { component: ComponentId; title: string; runbook: string }> = {
  "kill_switch:payments": { component: "billing", title: "Billing is paused", runbook: "payment-provider-down" },
  "kill_switch:notifications": { component: "notifications", title: "Notifications are paused", runbook: "email-provider-down" },
  "kill_switch:signups": { component: "web", title: "Sign-ups are paused", runbook: "rollback" },
  "kill_switch:exports": { component: "web", title: "Data exports are paused", runbook: "rollback" },
  "kill_switch:background_jobs": { component: "jobs", title: "Background jobs are paused", runbook: "cron-backlog" },
  "breaker:payments": { component: "billing", title: "Payments are degraded: the payment provider is unavailable", runbook: "payment-provider-down" },
  "breaker:email": { component: "notifications", title: "Notifications are delayed: the email provider is unavailable", runbook: "email-provider-down" },
};

export type MonitorSignals = { killSwitches: Record<string, boolean>; breakers: Record<string, string>; storeOutages?: StoreOutage[]; jobs?: JobFreshness[] };

export function activeConditions(signals: MonitorSignals): string[] {
  return Object.keys(CONDITIONS).filter((key) => {
    const [kind, name] = key.split(":") as [string, string];
    return kind === "kill_switch" ? signals.killSwitches[name] === false : signals.breakers[name] === "open";
  });
}

/**
 * The share of requests that failed in the minute before `minute`, per
 * component, or null with too few to judge. The API is its route handlers
 * (the key ones and the rest); the web app is its page renders and the
 * actions people call. Only our faults are errors (lib/status/link.ts).
 */
async function errorRates(db: Db, minute: Date): Promise<{ api: number | null; web: number | null }> {
  const rows = await db
    .select({ route: requestMinutes.route, total: requestMinutes.total, errors: requestMinutes.errors })
    .from(requestMinutes)
    .where(and(inArray(requestMinutes.route, ["api", ROUTES_OUTCOME, "pages", ACTIONS_ROUTE]), eq(requestMinutes.minute, new Date(minute.getTime() - 60_000))));
  const rate = (routes: string[]) => {
    const of = rows.filter((r) => routes.includes(r.route));
    const total = of.reduce((n, r) => n + r.total, 0);
    const errors = of.reduce((n, r) => n + r.errors, 0);
    // A crashed render is counted by its failure even when its timing never was, so errors can exceed total.
    return total >= MIN_REQUESTS_TO_JUDGE ? Math.min(1, errors / total) : null;
  };
  return { api: rate(["api", ROUTES_OUTCOME]), web: rate(["pages", ACTIONS_ROUTE]) };
}
const MIN_REQUESTS_TO_JUDGE = 5;
const DATABASE_PING_MS = 2_000;

/**
 * Samples every component for this minute from what was measured: the
 * database answering a ping now (a sample never assumes it), the API's
 * error rate over the last minute, breakers, kill switches, jobs. A minute
 * whose sample could not be written stays unknown (lib/status/reads.ts).
 * `jobs`: every registered job, as the uptime job's context hands them over (job code never imports the registry).
 */
export async function recordUptimeSample(db: Db, now: Date, jobs: readonly JobSchedule[]): Promise<MonitorSignals> {
  const minute = new Date(now.getTime() - (now.getTime() % 60_000));
  const databaseOk = await withTimeout(pingDatabase(), DATABASE_PING_MS, "uptime database ping").then(
    () => true,
    () => false,
  );
  const [killSwitches, breakers, freshness, maintenance, published, errors] = await Promise.all([
    killSwitchStates(),
    breakerSignals(),
    jobFreshness(jobs, now),
    listMaintenance(db, now),
    listPublicIncidents(db, now),
    errorRates(db, minute).catch(() => ({ api: null, web: null })),
  ]);
  const impact: Partial<Record<ComponentId, "minor" | "major" | "critical">> = {};
  const order = ["minor", "major", "critical"];
  for (const i of published) {
    if (i.status === "resolved") continue;
    for (const c of i.components as ComponentId[]) {
      if (!impact[c] || order.indexOf(i.impact) > order.indexOf(impact[c]!)) impact[c] = i.impact as "minor" | "major" | "critical";
    }
  }
  const components = deriveComponents({
    databaseOk,
    killSwitches,
    breakers: breakers.states,
    breakerStoreOutages: breakers.storeOutages.filter((o) => o.refusesCalls).map((o) => o.name),
    apiErrorRate: errors.api,
    webErrorRate: errors.web,
    missedJobs: freshness.filter((j) => j.missed).map((j) => j.name),
    maintenance: [...new Set(maintenance.filter((m) => m.startsAt <= now).flatMap((m) => m.components as ComponentId[]))],
    incidentImpact: impact,
  });
  await db
    .insert(statusChecks)
    .values(components.map((c) => ({ minute, component: c.id, state: c.state })))
    .onConflictDoNothing();
  return { killSwitches, breakers: breakers.states, storeOutages: breakers.storeOutages, jobs: freshness };
}

/** Tracks since when each condition holds; drafts one incident per condition once it outlasts the grace period. */
export async function draftIncidentsForConditions(db: Db, now: Date, signals: MonitorSignals): Promise<string[]> {
  const active = activeConditions(signals);
  if (active.length > 0) {
    await db
      .insert(statusConditions)
      .values(active.map((key) => ({ key, since: now, lastSeenAt: now })))
      .onConflictDoUpdate({ target: statusConditions.key, set: { lastSeenAt: now } });
  }
  await db.delete(statusConditions).where(active.length > 0 ? notInArray(statusConditions.key, active) : undefined);
  const due = active.length
    ? await db
        .select()
        .from(statusConditions)
        .where(and(inArray(statusConditions.key, active), lt(statusConditions.since, new Date(now.getTime() - DRAFT_INCIDENT_AFTER_MINUTES * 60_000))))
    : [];
  const drafted: string[] = [];
  for (const condition of due) {
    const spec = CONDITIONS[condition.key]!;
    const id = await draftIncident(db, { key: condition.key, ...spec, impact: condition.key.startsWith("breaker") ? "major" : "minor", since: condition.since, by: { type: "cron", id: "uptime_check" } });
    if (id) drafted.push(id);
  }
  return drafted;
}

/**
 * Drafts one incident for a condition (none while one for the same key is
 * still open), with its first update and its audit event; an admin publishes
 * or discards it. Returns the new incident's id, or null when one was open.
 */
export async function draftIncident(
  db: Db,
  c: { key: string; component: ComponentId; title: string; runbook: string; impact: "minor" | "major"; since: Date; by: { type: "cron" | "system"; id: string }; evidence?: string },
): Promise<string | null> {
  return db.transaction(async (tx) => {
    const [open] = await tx
      .select({ id: incidents.id })
      .from(incidents)
      .where(and(eq(incidents.sourceKey, c.key), notInArray(incidents.status, ["resolved", "discarded"])))
      .limit(1);
    if (open) return null;
    const [row] = await tx
      .insert(incidents)
      .values({ title: c.title, status: "draft", impact: c.impact, severity: "P2", components: [c.component], runbook: c.runbook, sourceKey: c.key })
      .returning({ id: incidents.id });
    await tx.insert(incidentUpdates).values({
      incidentId: row!.id,
      status: "draft",
      body: `${COMPONENTS[c.component].label}: ${c.title.toLowerCase()} since ${c.since.toISOString()}.${c.evidence ? ` Evidence: ${c.evidence}.` : ""} Follow the ${c.runbook} runbook.`,
    });
    await recordAuditEvent(tx, {
      actor: c.by,
      action: "incident.auto_draft",
      target: { type: "incident", id: row!.id },
      outcome: "success",
      metadata: { condition: c.key, since: c.since.toISOString() },
    });
    return row!.id;
  });
}

/** Fires an alert row when a burn-rate rule starts firing and resolves it when it stops. */
export async function evaluateSloAlerts(db: Db, now: Date): Promise<{ fired: string[]; resolved: string[] }> {
  const fired: string[] = [];
  const resolved: string[] = [];
  const open = await db.select().from(sloAlerts).where(isNull(sloAlerts.resolvedAt));
  for (const slo of SLOS) {
    // An SLO this server does not measure (latency under `next dev`) has no events: it never fires, and clears what had.
    const points = notMeasuredReason(slo) ? [] : await sliPoints(db, { sli: slo.sli, periodDays: 1 }, now);
    for (const rule of evaluateAlerts(points, slo.objective, now.getTime())) {
      const existing = open.find((a) => a.slo === slo.id && a.severity === rule.severity);
      if (rule.firing && !existing) {
        await db.transaction(async (tx) => {
          const [row] = await tx.insert(sloAlerts).values({ slo: slo.id, severity: rule.severity, burnRate: rule.longBurn, firedAt: now }).returning({ id: sloAlerts.id });
          await recordAuditEvent(tx, {
            actor: { type: "cron", id: "uptime_check" },
            action: "slo.alert",
            target: { type: "slo_alert", id: String(row!.id) },
            outcome: "success",
            metadata: { slo: slo.id, severity: rule.severity, burnRate: rule.longBurn, state: "fired" },
          });
        });
        fired.push(`${slo.id}:${rule.severity}`);
      } else if (!rule.firing && existing) {
        await db.update(sloAlerts).set({ resolvedAt: now }).where(eq(sloAlerts.id, existing.id));
        resolved.push(`${slo.id}:${rule.severity}`);
      }
    }
  }
  return { fired, resolved };
}
