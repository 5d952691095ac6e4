import "server-only";
import { and, asc, eq, gte, inArray, lte, ne } from "drizzle-orm";
import { alertDeliveries, alerts, type Alert } from "@/db/schema";
import { callThroughBreaker, isDependencyDown } from "@/lib/breakers";
import type { Executor } from "@/lib/database";
import { logger } from "@/lib/observability";
import { isProviderRefusal } from "@/lib/providers";
import { configuredDestinations, routeFor, sendToDestination, type Destination } from "./destinations";

/** Attempts before a delivery is marked failed (about a day with the backoff below). */
export const MAX_ATTEMPTS = 12;
/** Alerts resolved longer ago than this get no resolve message planned any more. */
const RESOLVE_WINDOW_MS = 24 * 60 * 60_000;

function backoffMs(attempts: number): number {
  return Math.min(2 ** attempts, 240) * 60_000;
}

/**
 * Works out what each destination must be told: a trigger for every open
 * alert (per its current severity, so a ticket that becomes a page reaches
 * the pager then), and a resolve for every destination that was told about
 * an alert that has since cleared. A trigger that never went out is
 * cancelled when its alert clears: nobody needs to hear about it twice.
 */
export async function planDeliveries(db: Executor, now = new Date(), configured: readonly Destination[] = configuredDestinations()): Promise<number> {
  if (configured.length === 0) return 0;
  const open = await db.select().from(alerts).where(eq(alerts.status, "open"));
  type Planned = { alertId: string; destination: Destination; event: "trigger" | "resolve"; nextAttemptAt: Date };
  const rows: Planned[] = open.flatMap((alert) => routeFor(alert.severity, configured).map((destination) => ({ alertId: alert.id, destination, event: "trigger" as const, nextAttemptAt: now })));
  const recentlyResolved = await db
    .select({ id: alerts.id })
    .from(alerts)
    .where(and(eq(alerts.status, "resolved"), gte(alerts.resolvedAt, new Date(now.getTime() - RESOLVE_WINDOW_MS))));
  const resolvedIds = recentlyResolved.map((a) => a.id);
  if (resolvedIds.length > 0) {
    await db
      .update(alertDeliveries)
      .set({ status: "cancelled", lastError: "resolved before it was delivered" })
      .where(and(inArray(alertDeliveries.alertId, resolvedIds), eq(alertDeliveries.event, "trigger"), eq(alertDeliveries.status, "pending")));
    const told = await db
      .select({ alertId: alertDeliveries.alertId, destination: alertDeliveries.destination })
      .from(alertDeliveries)
      .where(and(inArray(alertDeliveries.alertId, resolvedIds), eq(alertDeliveries.event, "trigger"), eq(alertDeliveries.status, "sent")));
    for (const t of told) rows.push({ alertId: t.alertId, destination: t.destination as Destination, event: "resolve", nextAttemptAt: now });
  }
  if (rows.length === 0) return 0;
  const inserted = await db.insert(alertDeliveries).values(rows).onConflictDoNothing().returning({ id: alertDeliveries.id });
  return inserted.length;
}

export type DeliveryCounts = { sent: number; failed: number; waiting: number };

/**
 * Sends every delivery that is due, oldest alert first (so a condition's
 * resolve goes out before the trigger of its next occurrence), each through
 * its destination's breaker. A failure waits with backoff (1, 2, 4… minutes,
 * at most 4 hours); an open breaker just waits for the next run.
 */
export async function deliverDue(db: Executor, now = new Date(), limit = 100): Promise<DeliveryCounts> {
  const due = await db
    .select({ delivery: alertDeliveries, alert: alerts })
    .from(alertDeliveries)
    .innerJoin(alerts, eq(alerts.id, alertDeliveries.alertId))
    .where(and(eq(alertDeliveries.status, "pending"), lte(alertDeliveries.nextAttemptAt, now)))
    .orderBy(asc(alerts.raisedAt), asc(alertDeliveries.event), asc(alertDeliveries.createdAt))
    .limit(limit);
  const counts: DeliveryCounts = { sent: 0, failed: 0, waiting: 0 };
  for (const { delivery, alert } of due) {
    const destination = delivery.destination as Destination;
    try {
      // INCIDENT: Slack or PagerDuty is down or refuses our webhook or key: alerts are not reaching anyone.
      // FAILURE MODE: the delivery stays pending with the error recorded (failed after its last attempt); repeated transient failures open that destination's breaker and later sends fail fast.
      // SAFE TO RETRY: yes; the alert_delivery job retries with backoff; PagerDuty deduplicates by the alert's key, a Slack message can arrive twice.
      // OPERATOR ACTION: runbook alert-delivery.
      await callThroughBreaker(destination, () => sendToDestination(destination, alert as Alert, delivery.event));
      await db.update(alertDeliveries).set({ status: "sent", sentAt: new Date(), attempts: delivery.attempts + 1, lastError: null }).where(eq(alertDeliveries.id, delivery.id));
      counts.sent++;
    } catch (thrown) {
      // A failed call comes back wrapped by the breaker; its cause says what the destination answered.
      const failedCall = isDependencyDown(thrown) && thrown.reason === "failed";
      const error = failedCall && thrown.cause ? thrown.cause : thrown;
      const message = error instanceof Error ? error.message : String(error);
      if (isDependencyDown(error)) {
        // The breaker is open: nothing was sent and the attempt is not counted.
        await db.update(alertDeliveries).set({ lastError: message, nextAttemptAt: new Date(now.getTime() + 60_000) }).where(eq(alertDeliveries.id, delivery.id));
        counts.waiting++;
        continue;
      }
      const attempts = delivery.attempts + 1;
      const gaveUp = attempts >= MAX_ATTEMPTS || isProviderRefusal(error);
      logger.error({ err: error, alert: alert.dedupKey, destination, attempts }, gaveUp ? "alert delivery failed for good" : "alert delivery failed; will retry");
      await db
        .update(alertDeliveries)
        .set({ status: gaveUp ? "failed" : "pending", attempts, lastError: message, nextAttemptAt: new Date(now.getTime() + backoffMs(attempts)) })
        .where(and(eq(alertDeliveries.id, delivery.id), ne(alertDeliveries.status, "sent")));
      if (gaveUp) counts.failed++;
      else counts.waiting++;
    }
  }
  return counts;
}
