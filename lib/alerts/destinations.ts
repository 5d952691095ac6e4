import "server-only";
import type { Alert } from "@/db/schema";
import { env } from "@/lib/env";
import { providers, ProviderError } from "@/lib/providers";
import type { AlertSeverity } from "./index";

/**
 * Where alerts go, each configured by environment: a Slack incoming
 * webhook, a PagerDuty Events API v2 routing key, and email addresses.
 * Pages wake someone (PagerDuty) and are posted to Slack and mailed;
 * tickets are posted and mailed; info is only posted.
 */
export const DESTINATIONS = ["pagerduty", "slack", "email"] as const;
export type Destination = (typeof DESTINATIONS)[number];

export const ROUTES: Record<AlertSeverity, readonly Destination[]> = {
  page: ["pagerduty", "slack", "email"],
  ticket: ["slack", "email"],
  info: ["slack"],
};

export const DESTINATION_LABELS: Record<Destination, string> = { pagerduty: "PagerDuty", slack: "Slack", email: "Email" };

export function configuredDestinations(): Destination[] {
  return DESTINATIONS.filter((d) => (d === "pagerduty" ? Boolean(env.PAGERDUTY_ROUTING_KEY) : d === "slack" ? Boolean(env.ALERT_SLACK_WEBHOOK_URL) : env.alertEmailTo.length > 0));
}

/** The destinations an alert of this severity goes to, among those configured. */
export function routeFor(severity: string, configured: readonly Destination[] = configuredDestinations()): Destination[] {
  return (ROUTES[severity as AlertSeverity] ?? ROUTES.info).filter((d) => configured.includes(d));
}

export type AlertEvent = "trigger" | "resolve";

function alertUrl(): string {
  return new URL("/admin/alerts", env.appUrl).toString();
}

function runbookUrl(alert: Alert): string | null {
  return alert.runbook ? new URL(`/admin/runbooks/${alert.runbook}`, env.appUrl).toString() : null;
}

/** One HTTP call to an alert destination: 2xx is delivered; 4xx other than 429 is a refusal (fix the configuration); the rest may pass later. */
async function post(destination: Destination, url: string, body: unknown): Promise<void> {
  let response: Response;
  try {
    response = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body), signal: AbortSignal.timeout(4_500) });
  } catch (error) {
    throw new ProviderError(destination, "transient", `${destination}: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (response.ok) return;
  const detail = (await response.text().catch(() => "")).slice(0, 200);
  const permanent = response.status >= 400 && response.status < 500 && response.status !== 429;
  throw new ProviderError(destination, permanent ? "refused" : "transient", `${destination} answered ${response.status} ${detail}`.trim());
}

const SLACK_MARK: Record<string, string> = { page: ":rotating_light: Page", ticket: ":warning: Ticket", info: ":information_source: Info" };

export function slackMessage(alert: Alert, event: AlertEvent) {
  const runbook = runbookUrl(alert);
  const head = event === "resolve" ? `:white_check_mark: Resolved: ${alert.title}` : `${SLACK_MARK[alert.severity] ?? alert.severity}: ${alert.title}`;
  const lines = [head, event === "trigger" && alert.detail ? alert.detail : null, runbook ? `Runbook: <${runbook}>` : null, `Alert: <${alertUrl()}>`];
  return { text: lines.filter(Boolean).join("\n") };
}

const PAGERDUTY_SEVERITY: Record<string, "critical" | "error" | "warning" | "info"> = { page: "critical", ticket: "warning", info: "info" };

/** A PagerDuty Events API v2 event: the alert's dedup key ties the trigger and its resolve to one PagerDuty incident. */
export function pagerDutyEvent(alert: Alert, event: AlertEvent) {
  const runbook = runbookUrl(alert);
  return {
    routing_key: env.PAGERDUTY_ROUTING_KEY,
    event_action: event,
    dedup_key: alert.dedupKey,
    ...(event === "trigger"
      ? {
          payload: {
            summary: alert.title.slice(0, 1024),
            source: new URL(env.appUrl).host,
            severity: PAGERDUTY_SEVERITY[alert.severity] ?? "error",
            component: alert.source,
            class: alert.dedupKey.split(":")[0],
            custom_details: { detail: alert.detail, occurrences: alert.occurrences, raisedAt: alert.raisedAt.toISOString(), ...alert.context },
          },
          links: [{ href: alertUrl(), text: "Breakwater alerts" }, ...(runbook ? [{ href: runbook, text: "Runbook" }] : [])],
          client: "Breakwater",
          client_url: alertUrl(),
        }
      : {}),
  };
}

export function alertEmail(alert: Alert, event: AlertEvent) {
  const runbook = runbookUrl(alert);
  const subject = event === "resolve" ? `[resolved] ${alert.title}` : `[${alert.severity}] ${alert.title}`;
  const text = [
    event === "resolve" ? `Resolved at ${alert.resolvedAt?.toISOString() ?? new Date().toISOString()}: the condition cleared.` : alert.detail || alert.title,
    `Raised ${alert.raisedAt.toISOString()}, seen ${alert.occurrences} time(s). Condition: ${alert.dedupKey}.`,
    runbook ? `Runbook: ${runbook}` : null,
    `Every open alert: ${alertUrl()}`,
  ];
  return { subject, text: text.filter(Boolean).join("\n") };
}

/** Sends one alert event to one destination (the caller wraps it in that destination's breaker). */
export async function sendToDestination(destination: Destination, alert: Alert, event: AlertEvent): Promise<void> {
  if (destination === "slack") return post("slack", env.ALERT_SLACK_WEBHOOK_URL!, slackMessage(alert, event));
  if (destination === "pagerduty") return post("pagerduty", env.PAGERDUTY_EVENTS_URL, pagerDutyEvent(alert, event));
  const { subject, text } = alertEmail(alert, event);
  // One Message-ID per alert, event and address: a retried row is not a second email.
  for (const to of env.alertEmailTo) await providers.email.send({ to, subject, text, idempotencyKey: `alert.${alert.id}.${event}.${to}`, template: "alert" });
}
