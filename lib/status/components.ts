import { z } from "zod";

/** The components customers see on /status, in display order. */
export const COMPONENTS = {
  web: { label: "Web app", runbook: "rollback" },
  api: { label: "API", runbook: "incident-response" },
  billing: { label: "Billing", runbook: "payment-provider-down" },
  notifications: { label: "Notifications", runbook: "email-provider-down" },
  jobs: { label: "Background jobs", runbook: "cron-backlog" },
} as const;
export type ComponentId = keyof typeof COMPONENTS;
export const COMPONENT_IDS = Object.keys(COMPONENTS) as ComponentId[];
/** A component's label for people, or the id itself for one no longer declared (old incidents keep theirs). */
export const componentLabel = (id: string): string => COMPONENTS[id as ComponentId]?.label ?? id;
export const componentIdSchema = z.enum(COMPONENT_IDS as [ComponentId, ...ComponentId[]], "Choose a known component.");

/** Worst last: `worstState` relies on this order. */
export const STATES = ["operational", "maintenance", "paused", "degraded", "partial_outage", "major_outage"] as const;
export type ComponentState = (typeof STATES)[number];

export const STATE_LABELS: Record<ComponentState, string> = {
  operational: "Operational",
  maintenance: "Under maintenance",
  paused: "Paused",
  degraded: "Degraded",
  partial_outage: "Partial outage",
  major_outage: "Major outage",
};

/**
 * THE weighting of each state in uptime, declared once: the public uptime
 * bars and the availability SLOs both read it (status pages disagree here;
 * Statuspage counts a partial outage as 0.3, others 0.5 or 1.0).
 * A minute in this state counts as this fraction of a minute of downtime.
 * "Paused" is a deliberate switch-off, but customers still cannot use the
 * feature, so it counts like a partial outage; scheduled maintenance does not count.
 */
export const PARTIAL_OUTAGE_WEIGHT = 0.5;
export const DOWNTIME_WEIGHT: Record<ComponentState, number> = {
  operational: 0,
  maintenance: 0,
  paused: PARTIAL_OUTAGE_WEIGHT,
  degraded: PARTIAL_OUTAGE_WEIGHT,
  partial_outage: PARTIAL_OUTAGE_WEIGHT,
  major_outage: 1,
};

export function worstState(states: readonly ComponentState[]): ComponentState {
  let worst: ComponentState = "operational";
  for (const s of states) if (STATES.indexOf(s) > STATES.indexOf(worst)) worst = s;
  return worst;
}

/** What the live signals say; each source is optional so a missing one never breaks the page. */
export type Signals = {
  databaseOk: boolean;
  /** Kill switch key → on (true = the path may run). */
  killSwitches: Record<string, boolean>;
  /** Breaker name → state. */
  breakers: Record<string, "closed" | "open" | "half_open">;
  /** Breakers refusing every call because their shared state store is unreachable (they fail closed). */
  breakerStoreOutages?: string[];
  /** Share of API requests that failed over the last minute (null or absent: too few to judge). */
  apiErrorRate?: number | null;
  /** Share of page renders and people's actions that failed on our side over the last minute (null or absent: too few to judge). */
  webErrorRate?: number | null;
  /** Jobs that missed their schedule (dead-man's switch). */
  missedJobs: string[];
  /** Components inside a scheduled maintenance window right now. */
  maintenance: ComponentId[];
  /** Worst impact of published, unresolved incidents per component. */
  incidentImpact: Partial<Record<ComponentId, "minor" | "major" | "critical">>;
};

/** Error rates over a minute (the API's, the web app's) that make its sample degraded, or an outage. */
const DEGRADED_ERROR_RATE = 0.1;
const OUTAGE_ERROR_RATE = 0.5;

const IMPACT_STATE = { minor: "degraded", major: "partial_outage", critical: "major_outage" } as const;

export type DerivedComponent = { id: ComponentId; label: string; state: ComponentState; reasons: string[] };

/**
 * Derives each component's state from health, breakers and kill switches:
 * kill switch off → Paused, breaker open → Degraded, database failing →
 * Major outage for everything (every component needs it).
 */
export function deriveComponents(signals: Signals): DerivedComponent[] {
  return COMPONENT_IDS.map((id) => {
    const candidates: { state: ComponentState; reason: string }[] = [];
    if (!signals.databaseOk) candidates.push({ state: "major_outage", reason: "Database unavailable" });
    const switchOff = (key: string) => signals.killSwitches[key] === false;
    const breakerOpen = (name: string) => signals.breakers[name] === "open";
    if (id === "web" && switchOff("signups")) candidates.push({ state: "paused", reason: "Sign-ups paused" });
    const errorRate = id === "api" ? (signals.apiErrorRate ?? 0) : id === "web" ? (signals.webErrorRate ?? 0) : 0;
    const what = id === "api" ? "API requests" : "pages and actions";
    if (errorRate >= OUTAGE_ERROR_RATE) candidates.push({ state: "major_outage", reason: `Most ${what} are failing` });
    else if (errorRate >= DEGRADED_ERROR_RATE) candidates.push({ state: "degraded", reason: `Some ${what} are failing` });
    if (id === "billing") {
      if (switchOff("payments")) candidates.push({ state: "paused", reason: "Payments paused" });
      if (breakerOpen("payments")) candidates.push({ state: "degraded", reason: "Payment provider unavailable" });
      if (signals.breakerStoreOutages?.includes("payments")) candidates.push({ state: "partial_outage", reason: "Payments unavailable: our breaker state store is unreachable" });
    }
    if (id === "notifications") {
      if (switchOff("notifications")) candidates.push({ state: "paused", reason: "Notifications paused" });
      if (breakerOpen("email")) candidates.push({ state: "degraded", reason: "Email provider unavailable" });
    }
    if (id === "jobs") {
      if (switchOff("background_jobs")) candidates.push({ state: "paused", reason: "Background jobs paused" });
      if (signals.missedJobs.length > 0) candidates.push({ state: "degraded", reason: `Late: ${signals.missedJobs.join(", ")}` });
    }
    const impact = signals.incidentImpact[id];
    if (impact) candidates.push({ state: IMPACT_STATE[impact], reason: "Ongoing incident" });
    if (candidates.length === 0 && signals.maintenance.includes(id)) candidates.push({ state: "maintenance", reason: "Scheduled maintenance" });
    const state = worstState(candidates.map((c) => c.state));
    return { id, label: COMPONENTS[id].label, state, reasons: candidates.filter((c) => c.state === state).map((c) => c.reason) };
  });
}

export function overallState(components: readonly DerivedComponent[]): ComponentState {
  return worstState(components.map((c) => c.state));
}

/** Uptime of a set of per-minute states, 0..1, using the one declared weighting. Null when nothing was recorded. */
export function uptimeOf(samples: readonly { state: string; minutes?: number }[]): number | null {
  let total = 0;
  let down = 0;
  for (const s of samples) {
    const n = s.minutes ?? 1;
    total += n;
    down += n * (DOWNTIME_WEIGHT[s.state as ComponentState] ?? 1);
  }
  return total === 0 ? null : 1 - down / total;
}
