import "server-only";
import type { Executor } from "@/lib/database";
import { env } from "@/lib/env";
import { evaluateAlerts, summariseBudget, type AlertEvaluation, type BudgetSummary } from "./burn-rate";
import { sliPoints } from "./reads";
import { SLOS, type SloDefinition } from "./slos";

/**
 * Under `next dev` every page and route is compiled on its first request, so
 * a dev server's response times measure the compiler, not the app: latency
 * SLOs are not measured there (nothing is recorded, no budget, no alert).
 * Availability, charges and cron reliability are measured the same as in production.
 */
export const IS_DEV_SERVER = env.NODE_ENV === "development";

export const NOT_MEASURED_IN_DEVELOPMENT = "Not measured in development: the dev server compiles each page on its first request, which no user waits for in production.";

/** Why this SLO has no figures on this server, or null when it is measured. */
export function notMeasuredReason(slo: SloDefinition, devServer = IS_DEV_SERVER): string | null {
  return devServer && slo.sli.kind === "latency" ? NOT_MEASURED_IN_DEVELOPMENT : null;
}

export type SloReport = { slo: SloDefinition; budget: BudgetSummary; alerts: AlertEvaluation[]; notMeasured: string | null };

/** Compliance, remaining budget, burn rate and alert state of every SLO, from its declared measure. */
export async function sloReport(db: Executor, now = new Date(), devServer = IS_DEV_SERVER): Promise<{ reports: SloReport[]; policyInForce: string[] }> {
  const reports: SloReport[] = [];
  for (const slo of SLOS) {
    const notMeasured = notMeasuredReason(slo, devServer);
    const points = notMeasured ? [] : await sliPoints(db, slo, now);
    reports.push({ slo, budget: summariseBudget(points, slo.objective, slo.periodDays, now.getTime()), alerts: evaluateAlerts(points, slo.objective, now.getTime()), notMeasured });
  }
  return { reports, policyInForce: reports.filter((r) => r.budget.exhausted).map((r) => r.slo.id) };
}

export type BurningSlo = { id: string; title: string; severity: "page" | "ticket"; burnRate: number; budgetRemaining: number };

/**
 * The SLOs whose error budget is burning now, by the same multi-window rules
 * that alert ("page" is the fast burn), from the last day of events only.
 */
export async function burningSlos(db: Executor, now = new Date(), devServer = IS_DEV_SERVER): Promise<BurningSlo[]> {
  const burning: BurningSlo[] = [];
  for (const slo of SLOS) {
    if (notMeasuredReason(slo, devServer)) continue;
    const points = await sliPoints(db, { sli: slo.sli, periodDays: 1 }, now);
    const firing = evaluateAlerts(points, slo.objective, now.getTime()).find((rule) => rule.firing);
    if (!firing) continue;
    const budget = summariseBudget(await sliPoints(db, slo, now), slo.objective, slo.periodDays, now.getTime());
    burning.push({ id: slo.id, title: slo.title, severity: firing.severity, burnRate: firing.longBurn, budgetRemaining: budget.budgetRemaining });
  }
  return burning;
}
