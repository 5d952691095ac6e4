import type { ComponentId } from "./components";

/**
 * Every service level objective, declared here and nowhere else. Each names
 * the recorded measure (SLI) it is computed from:
 * - `uptime`: the per-minute component samples behind /status (one truth for
 *   uptime: a minute counts as good in proportion to DOWNTIME_WEIGHT);
 * - `latency`: per-minute request aggregates, bad = slower than the threshold;
 * - `charges`: charge attempts (plan changes and renewals) from the audit log, bad = provider unavailable
 *   (a declined card is the customer's outcome, not our failure);
 * - `jobs`: finished job runs, bad = failed.
 * The error-budget policy that applies when a budget runs out is runbooks/error-budget-policy.md.
 */
export type SliSource =
  | { kind: "uptime"; component: ComponentId }
  | { kind: "latency"; route: string; thresholdMs: number }
  | { kind: "charges" }
  | { kind: "jobs" };

export type SloDefinition = {
  id: string;
  title: string;
  description: string;
  /** Fraction of good events, e.g. 0.999. */
  objective: number;
  periodDays: number;
  sli: SliSource;
  runbook: string;
};

export const SLOS = [
  {
    id: "web_availability",
    title: "Web app availability",
    description: "Minutes the web app is up, over 30 days (partial outages weighted as declared once).",
    objective: 0.999,
    periodDays: 30,
    sli: { kind: "uptime", component: "web" },
    runbook: "incident-response",
  },
  {
    id: "api_availability",
    title: "API availability",
    description: "Minutes the API is up, over 30 days.",
    objective: 0.999,
    periodDays: 30,
    sli: { kind: "uptime", component: "api" },
    runbook: "incident-response",
  },
  {
    id: "api_latency_p99",
    title: "API p99 latency under 500 ms",
    description: "99 % of requests to the key API routes (health, status) answer within 500 ms.",
    objective: 0.99,
    periodDays: 30,
    sli: { kind: "latency", route: "api", thresholdMs: 500 },
    runbook: "incident-response",
  },
  {
    id: "pages_latency_p99",
    title: "Page p99 latency under 1 s",
    description: "99 % of page renders (full loads and navigations) finish within 1,000 ms, timed from arrival to the end of the response.",
    objective: 0.99,
    periodDays: 30,
    sli: { kind: "latency", route: "pages", thresholdMs: 1000 },
    runbook: "incident-response",
  },
  {
    id: "charge_success",
    title: "Charge success rate",
    description: "Charge attempts, plan changes and renewals alike, that reach a decision from the payment provider (declines count as good).",
    objective: 0.995,
    periodDays: 30,
    sli: { kind: "charges" },
    runbook: "payment-provider-down",
  },
  {
    id: "cron_reliability",
    title: "Cron reliability",
    description: "Scheduled job runs that finish without failing.",
    objective: 0.99,
    periodDays: 30,
    sli: { kind: "jobs" },
    runbook: "cron-backlog",
  },
] as const satisfies readonly SloDefinition[];

export type SloId = (typeof SLOS)[number]["id"];
export const SLO_IDS = SLOS.map((s) => s.id) as SloId[];

/** Latency thresholds per recorded route group, read by the request-outcome recorder. */
export const LATENCY_THRESHOLDS_MS: Record<string, number> = Object.fromEntries(
  SLOS.flatMap((s) => (s.sli.kind === "latency" ? [[s.sli.route, s.sli.thresholdMs]] : [])),
);
