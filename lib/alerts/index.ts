import "server-only";
import { and, desc, eq, inArray, notInArray, sql } from "drizzle-orm";
import { alerts, type Alert } from "@/db/schema";
import type { Executor } from "@/lib/database";

/**
 * Alerts: conditions a person should hear about, one open row per condition.
 * Capabilities raise and resolve them here; delivering them to people
 * (Slack, PagerDuty, email) reads the same rows, so nothing is paged from
 * anywhere else.
 */
export type AlertSeverity = "page" | "ticket" | "info";

export type AlertInput = {
  /** The condition, stable across checks: `job_missed:renewals`, `breaker_open:payments`. */
  dedupKey: string;
  source: string;
  severity: AlertSeverity;
  title: string;
  detail?: string;
  runbook?: string | null;
  context?: Record<string, unknown>;
};

export type AlertChange = { alert: Alert; change: "raised" | "repeated" | "resolved" };

/** Raises an alert, or bumps the open one with the same key (its severity may rise, never fall). */
export async function raiseAlert(db: Executor, input: AlertInput, now = new Date()): Promise<AlertChange> {
  const [row] = await db
    .insert(alerts)
    .values({
      dedupKey: input.dedupKey,
      source: input.source,
      severity: input.severity,
      title: input.title,
      detail: input.detail ?? "",
      runbook: input.runbook ?? null,
      context: input.context ?? {},
      raisedAt: now,
      lastSeenAt: now,
    })
    .onConflictDoUpdate({
      target: alerts.dedupKey,
      targetWhere: sql`${alerts.status} = 'open'`,
      set: {
        lastSeenAt: now,
        occurrences: sql`${alerts.occurrences} + 1`,
        detail: input.detail ?? "",
        severity: sql`case when ${alerts.severity} = 'page' or excluded.severity = 'page' then 'page' when ${alerts.severity} = 'ticket' or excluded.severity = 'ticket' then 'ticket' else 'info' end`,
      },
    })
    .returning();
  return { alert: row!, change: row!.occurrences === 1 ? "raised" : "repeated" };
}

/** Closes the open alert with this key, if any. */
export async function resolveAlert(db: Executor, dedupKey: string, now = new Date()): Promise<AlertChange | null> {
  const [row] = await db
    .update(alerts)
    .set({ status: "resolved", resolvedAt: now })
    .where(and(eq(alerts.dedupKey, dedupKey), eq(alerts.status, "open")))
    .returning();
  return row ? { alert: row, change: "resolved" } : null;
}

/**
 * One check's whole truth for a source: raises (or repeats) each current
 * condition and resolves every open alert of that source that is no longer
 * current. Returns what changed.
 */
export async function reconcileAlerts(db: Executor, source: string, current: readonly AlertInput[], now = new Date()): Promise<AlertChange[]> {
  const changes: AlertChange[] = [];
  for (const input of current) changes.push(await raiseAlert(db, { ...input, source }, now));
  const keep = current.map((c) => c.dedupKey);
  const cleared = await db
    .update(alerts)
    .set({ status: "resolved", resolvedAt: now })
    .where(and(eq(alerts.source, source), eq(alerts.status, "open"), keep.length > 0 ? notInArray(alerts.dedupKey, keep) : undefined))
    .returning();
  for (const alert of cleared) changes.push({ alert, change: "resolved" });
  return changes;
}

/** The source of "error budget exhausted" alerts; while one is open, the error-budget policy's release freeze is in force. */
export const BUDGET_FREEZE_SOURCE = "budget_exhausted";

/** The SLOs whose exhausted budget freezes releases now (by id), with their titles; empty when no freeze is in force. */
export async function budgetFreeze(db: Executor): Promise<{ slo: string; title: string }[]> {
  const open = await db
    .select({ context: alerts.context })
    .from(alerts)
    .where(and(eq(alerts.source, BUDGET_FREEZE_SOURCE), eq(alerts.status, "open")));
  return open
    .map(({ context }) => ({ slo: String(context.slo), title: String(context.title ?? context.slo) }))
    .sort((x, y) => x.slo.localeCompare(y.slo));
}

/** Open alerts, most recent first (the admin overview and the alerts page). */
export async function listOpenAlerts(db: Executor, sources?: readonly string[]): Promise<Alert[]> {
  return db
    .select()
    .from(alerts)
    .where(and(eq(alerts.status, "open"), sources ? inArray(alerts.source, [...sources]) : undefined))
    .orderBy(desc(alerts.raisedAt))
    .limit(200);
}

export type { Alert };

export { openAlertsWithChannels, pagingSummary, type PagedAlert } from "./paging";
export { configuredDestinations, routeFor, DESTINATIONS, DESTINATION_LABELS, type Destination } from "./destinations";
