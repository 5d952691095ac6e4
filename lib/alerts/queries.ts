import "server-only";
import { desc, eq, inArray, or, gte } from "drizzle-orm";
import { z } from "zod";
import { alertDeliveries, alerts } from "@/db/schema";
import { hasPermission } from "@/lib/auth";
import { defineQuery } from "@/lib/procedures";
import { loadRunbooks } from "@/lib/runbooks";
import { DESTINATION_LABELS, routeFor, type Destination } from "./destinations";
import { pagingSummary } from "./paging";

/**
 * The alerts page: every open alert and those resolved in the last week,
 * each with its delivery state per destination (sent, waiting to retry,
 * failed, cancelled because it cleared first).
 */
export const alertsOverview = defineQuery({
  name: "alerts.overview",
  permission: "admin:read",
  input: z.object({}),
  handler: async ({ db, user }) => {
    const rows = await db
      .select()
      .from(alerts)
      .where(or(eq(alerts.status, "open"), gte(alerts.resolvedAt, new Date(Date.now() - 7 * 86_400_000))))
      .orderBy(desc(alerts.raisedAt))
      .limit(200);
    const [deliveries, runbooks] = await Promise.all([
      rows.length ? db.select().from(alertDeliveries).where(inArray(alertDeliveries.alertId, rows.map((r) => r.id))) : [],
      loadRunbooks(),
    ]);
    const runbookOf = (slug: string | null) => {
      const found = slug ? runbooks.find((r) => r.slug === slug) : undefined;
      return found ? { slug: found.slug, title: found.title } : null;
    };
    const paging = pagingSummary();
    return {
      paging,
      canSendTest: hasPermission(user.role, "admin:write") && paging.destinations.length > 0,
      alerts: rows.map((a) => ({
        id: a.id,
        title: a.title,
        detail: a.detail,
        severity: a.severity,
        source: a.source,
        dedupKey: a.dedupKey,
        runbook: runbookOf(a.runbook),
        status: a.status,
        occurrences: a.occurrences,
        raisedAt: a.raisedAt,
        resolvedAt: a.resolvedAt,
        routedTo: routeFor(a.severity).map((d) => DESTINATION_LABELS[d]),
        deliveries: deliveries
          .filter((d) => d.alertId === a.id)
          .sort((x, y) => x.createdAt.getTime() - y.createdAt.getTime())
          .map((d) => ({
            id: d.id,
            destination: DESTINATION_LABELS[d.destination as Destination] ?? d.destination,
            event: d.event,
            status: d.status,
            attempts: d.attempts,
            lastError: d.lastError,
            sentAt: d.sentAt,
            nextAttemptAt: d.status === "pending" ? d.nextAttemptAt : null,
          })),
      })),
    };
  },
});
