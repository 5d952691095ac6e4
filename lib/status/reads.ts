import "server-only";
import { and, asc, desc, eq, gte, inArray, isNull, lte, notInArray, or, sql } from "drizzle-orm";
import type { Executor } from "@/lib/database";
import { auditEvents, incidents, incidentUpdates, jobRuns, maintenanceWindows, requestMinutes, sloAlerts, statusChecks, type Incident, type IncidentUpdate } from "@/db/schema";
import type { MinutePoint } from "./burn-rate";
import { COMPONENT_IDS, DOWNTIME_WEIGHT, uptimeOf, type ComponentId, type ComponentState } from "./components";
import type { SloDefinition } from "./slos";

const DAY_MS = 24 * 60 * 60 * 1000;
export const UPTIME_DAYS = 90;

export type IncidentWithUpdates = Incident & { updates: IncidentUpdate[] };

/** Public statuses: drafts and discarded incidents are never shown outside /admin. */
export const PUBLIC_INCIDENT_STATUSES = ["investigating", "identified", "monitoring", "resolved"] as const;

async function withUpdates(db: Executor, rows: Incident[]): Promise<IncidentWithUpdates[]> {
  if (rows.length === 0) return [];
  const updates = await db
    .select()
    .from(incidentUpdates)
    .where(inArray(incidentUpdates.incidentId, rows.map((r) => r.id)))
    .orderBy(desc(incidentUpdates.createdAt), desc(incidentUpdates.id));
  return rows.map((r) => ({ ...r, updates: updates.filter((u) => u.incidentId === r.id) }));
}

export async function listPublicIncidents(db: Executor, now = new Date(), limit = 20): Promise<IncidentWithUpdates[]> {
  const rows = await db
    .select()
    .from(incidents)
    .where(
      and(
        inArray(incidents.status, [...PUBLIC_INCIDENT_STATUSES]),
        or(isNull(incidents.resolvedAt), gte(incidents.resolvedAt, new Date(now.getTime() - UPTIME_DAYS * DAY_MS))),
      ),
    )
    .orderBy(desc(incidents.createdAt))
    .limit(limit);
  return withUpdates(db, rows);
}

export async function listAdminIncidents(db: Executor, limit = 50): Promise<IncidentWithUpdates[]> {
  const rows = await db.select().from(incidents).orderBy(desc(incidents.createdAt)).limit(limit);
  return withUpdates(db, rows);
}

/** Incidents not yet resolved or discarded (drafts included: someone has to confirm or discard them), newest first. */
export async function listOpenIncidents(db: Executor, limit = 20) {
  return db
    .select({ id: incidents.id, title: incidents.title, status: incidents.status, severity: incidents.severity, createdAt: incidents.createdAt })
    .from(incidents)
    .where(notInArray(incidents.status, ["resolved", "discarded"]))
    .orderBy(desc(incidents.createdAt))
    .limit(limit);
}

export async function listMaintenance(db: Executor, now = new Date()) {
  return db
    .select()
    .from(maintenanceWindows)
    .where(gte(maintenanceWindows.endsAt, now))
    .orderBy(asc(maintenanceWindows.startsAt))
    .limit(20);
}

/**
 * `uptime` is over the minutes that were measured; `unknownMinutes` are the
 * minutes since sampling began that have no sample (the uptime check did not
 * run, or could not write): unknown, never counted as up.
 */
export type UptimeDay = { day: string; uptime: number | null; worst: ComponentState | null; unknownMinutes: number };
export type ComponentUptime = { component: ComponentId; uptime: number | null; days: UptimeDay[]; unknownMinutes: number };

/** Minutes of [start, end) after sampling began and before now: the minutes a sample was due. */
function dueMinutes(start: number, end: number, firstSample: number | null, now: Date): number {
  if (firstSample === null) return 0;
  const from = Math.max(start, firstSample);
  const to = Math.min(end, now.getTime() - (now.getTime() % 60_000));
  return Math.max(0, Math.floor((to - from) / 60_000));
}

/** Per component: 90 daily bars and the 90-day uptime, from the recorded per-minute samples. */
export async function uptimeBars(db: Executor, now = new Date()): Promise<ComponentUptime[]> {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const from = new Date(today - (UPTIME_DAYS - 1) * DAY_MS);
  const [first] = await db.select({ minute: sql<Date | string | null>`min(${statusChecks.minute})` }).from(statusChecks);
  const firstSample = first?.minute ? new Date(first.minute).getTime() : null;
  const rows = await db
    .select({
      component: statusChecks.component,
      day: sql<string>`to_char(date_trunc('day', ${statusChecks.minute} at time zone 'UTC'), 'YYYY-MM-DD')`,
      state: statusChecks.state,
      minutes: sql<number>`count(*)::int`,
    })
    .from(statusChecks)
    .where(gte(statusChecks.minute, from))
    .groupBy(statusChecks.component, sql`2`, statusChecks.state);
  return COMPONENT_IDS.map((component) => {
    const mine = rows.filter((r) => r.component === component);
    const days: UptimeDay[] = [];
    for (let i = 0; i < UPTIME_DAYS; i++) {
      const start = from.getTime() + i * DAY_MS;
      const day = new Date(start).toISOString().slice(0, 10);
      const samples = mine.filter((r) => r.day === day);
      const worst = samples.reduce<ComponentState | null>((w, s) => {
        const st = s.state as ComponentState;
        return w === null || DOWNTIME_WEIGHT[st] > DOWNTIME_WEIGHT[w] ? st : w;
      }, null);
      const sampled = samples.reduce((n, s) => n + Number(s.minutes), 0);
      days.push({ day, uptime: uptimeOf(samples), worst, unknownMinutes: Math.max(0, dueMinutes(start, start + DAY_MS, firstSample, now) - sampled) });
    }
    return { component, uptime: uptimeOf(mine), days, unknownMinutes: days.reduce((n, d) => n + d.unknownMinutes, 0) };
  });
}

/** The per-minute good/total series behind one SLO, from its declared measure. */
export async function sliPoints(db: Executor, slo: Pick<SloDefinition, "sli" | "periodDays">, now = new Date()): Promise<MinutePoint[]> {
  const from = new Date(now.getTime() - slo.periodDays * DAY_MS);
  const sli = slo.sli;
  if (sli.kind === "uptime") {
    const rows = await db
      .select({ minute: statusChecks.minute, state: statusChecks.state })
      .from(statusChecks)
      .where(and(eq(statusChecks.component, sli.component), gte(statusChecks.minute, from), lte(statusChecks.minute, now)));
    return rows.map((r) => ({ minute: r.minute.getTime(), total: 1, good: 1 - (DOWNTIME_WEIGHT[r.state as ComponentState] ?? 1) }));
  }
  if (sli.kind === "latency") {
    const rows = await db
      .select({ minute: requestMinutes.minute, total: requestMinutes.total, slow: requestMinutes.slow })
      .from(requestMinutes)
      .where(and(eq(requestMinutes.route, sli.route), gte(requestMinutes.minute, from)));
    return rows.map((r) => ({ minute: r.minute.getTime(), total: r.total, good: r.total - r.slow }));
  }
  if (sli.kind === "charges") {
    const minute = sql<Date>`date_trunc('minute', ${auditEvents.occurredAt})`;
    const rows = await db
      .select({
        minute,
        total: sql<number>`count(*)::int`,
        good: sql<number>`count(*) filter (where ${auditEvents.outcome} = 'success' or ${auditEvents.metadata}->>'code' = 'payment_failed')::int`,
      })
      .from(auditEvents)
      .where(
        and(
          inArray(auditEvents.action, ["billing.plan_change", "billing.renewal"]),
          gte(auditEvents.occurredAt, from),
          or(eq(auditEvents.outcome, "success"), sql`${auditEvents.metadata}->>'code' in ('payment_failed', 'dependency_down')`),
        ),
      )
      .groupBy(sql`1`);
    return rows.map((r) => ({ minute: new Date(r.minute).getTime(), total: r.total, good: r.good }));
  }
  const minute = sql<Date>`date_trunc('minute', ${jobRuns.finishedAt})`;
  const rows = await db
    .select({
      minute,
      total: sql<number>`count(*)::int`,
      good: sql<number>`count(*) filter (where ${jobRuns.status} in ('succeeded', 'partial'))::int`,
    })
    .from(jobRuns)
    .where(and(gte(jobRuns.finishedAt, from), notInArray(jobRuns.status, ["running", "skipped"])))
    .groupBy(sql`1`);
  return rows.map((r) => ({ minute: new Date(r.minute).getTime(), total: r.total, good: r.good }));
}

export async function recentAlerts(db: Executor, limit = 20) {
  return db.select().from(sloAlerts).orderBy(desc(sloAlerts.firedAt)).limit(limit);
}
