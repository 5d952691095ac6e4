import type { Executor } from "@/db/client";
import { evaluateAlerts, summariseBudget, type AlertEvaluation, type BudgetSummary } from "./burn-rate";
import { sliPoints } from "./queries";
import { SLOS, type SloDefinition } from "./slos";

export type SloReport = { slo: SloDefinition; budget: BudgetSummary; alerts: AlertEvaluation[] };

/** Compliance, remaining budget, burn rate and alert state of every SLO, from its declared measure. */
export async function sloReport(db: Executor, now = new Date()): Promise<{ reports: SloReport[]; policyInForce: string[] }> {
  const reports: SloReport[] = [];
  for (const slo of SLOS) {
    const points = await sliPoints(db, slo, now);
    reports.push({ slo, budget: summariseBudget(points, slo.objective, slo.periodDays, now.getTime()), alerts: evaluateAlerts(points, slo.objective, now.getTime()) });
  }
  return { reports, policyInForce: reports.filter((r) => r.budget.exhausted).map((r) => r.slo.id) };
}
