import "server-only";
import { and, desc, eq, inArray } from "drizzle-orm";
import { alertDeliveries, alerts } from "@/db/schema";
import type { Executor } from "@/lib/database";
import { configuredDestinations, DESTINATION_LABELS, type Destination } from "./destinations";

/** Who hears about alerts, in one sentence an operator reads on the admin overview and the alerts page. */
export function pagingSummary(configured: readonly Destination[] = configuredDestinations()): { destinations: string[]; nobodyPaged: boolean; sentence: string } {
  const destinations = configured.map((d) => DESTINATION_LABELS[d]);
  if (configured.length === 0) {
    return {
      destinations,
      nobodyPaged: true,
      sentence: "Nobody will be paged: no alert destination is configured (set PAGERDUTY_ROUTING_KEY, ALERT_SLACK_WEBHOOK_URL or ALERT_EMAIL_TO). Alerts are only recorded here.",
    };
  }
  if (!configured.includes("pagerduty")) {
    return { destinations, nobodyPaged: true, sentence: `Nobody will be paged: no pager (PagerDuty) is configured. Alerts go to ${destinations.join(" and ")} only.` };
  }
  return { destinations, nobodyPaged: false, sentence: `Pages go to PagerDuty${configured.length > 1 ? `, and every alert to ${destinations.filter((d) => d !== "PagerDuty").join(" and ")}` : ""}.` };
}

export type PagedAlert = {
  id: string;
  title: string;
  severity: string;
  raisedAt: Date;
  /** Where the alert router sent it: each destination and whether it got there (sent), is still trying (pending) or gave up (failed). */
  channels: { destination: string; status: string }[];
};

/** Who is being paged right now: every open alert and the channels it went to; an empty list means nobody is. */
export async function openAlertsWithChannels(db: Executor, limit = 20): Promise<PagedAlert[]> {
  const open = await db
    .select({ id: alerts.id, title: alerts.title, severity: alerts.severity, raisedAt: alerts.raisedAt })
    .from(alerts)
    .where(eq(alerts.status, "open"))
    .orderBy(desc(alerts.raisedAt))
    .limit(limit);
  if (open.length === 0) return [];
  const deliveries = await db
    .select({ alertId: alertDeliveries.alertId, destination: alertDeliveries.destination, status: alertDeliveries.status })
    .from(alertDeliveries)
    .where(and(inArray(alertDeliveries.alertId, open.map((a) => a.id)), eq(alertDeliveries.event, "trigger")));
  return open.map((a) => ({
    ...a,
    channels: deliveries
      .filter((d) => d.alertId === a.id)
      .map((d) => ({ destination: DESTINATION_LABELS[d.destination as Destination] ?? d.destination, status: d.status })),
  }));
}
