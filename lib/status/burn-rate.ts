/**
 * Error budgets and multi-window, multi-burn-rate alerts (Google SRE
 * workbook, ch. 5): pure functions over per-minute good/total counts.
 */
export type MinutePoint = { minute: number; good: number; total: number };

export const MINUTE_MS = 60_000;

/** A long window catches a real burn; its short window makes the alert stop soon after the burn does. */
export const ALERT_RULES = [
  { severity: "page", factor: 14.4, longMinutes: 60, shortMinutes: 5 },
  { severity: "ticket", factor: 6, longMinutes: 360, shortMinutes: 30 },
] as const;
export type AlertSeverity = (typeof ALERT_RULES)[number]["severity"];

function sumWindow(points: readonly MinutePoint[], now: number, minutes: number) {
  const from = now - minutes * MINUTE_MS;
  let good = 0;
  let total = 0;
  for (const p of points) {
    if (p.minute >= from && p.minute < now) {
      good += p.good;
      total += p.total;
    }
  }
  return { good, total };
}

/** Share of bad events in the window ending at `now`; 0 when nothing happened. */
export function errorRatio(points: readonly MinutePoint[], now: number, minutes: number): number {
  const { good, total } = sumWindow(points, now, minutes);
  return total === 0 ? 0 : (total - good) / total;
}

/** How fast the budget burns: 1 means it lasts exactly the SLO period. */
export function burnRate(points: readonly MinutePoint[], objective: number, now: number, minutes: number): number {
  return errorRatio(points, now, minutes) / (1 - objective);
}

export type AlertEvaluation = {
  severity: AlertSeverity;
  factor: number;
  longMinutes: number;
  shortMinutes: number;
  longBurn: number;
  shortBurn: number;
  firing: boolean;
};

export function evaluateAlerts(points: readonly MinutePoint[], objective: number, now: number): AlertEvaluation[] {
  return ALERT_RULES.map((rule) => {
    const longBurn = burnRate(points, objective, now, rule.longMinutes);
    const shortBurn = burnRate(points, objective, now, rule.shortMinutes);
    return { ...rule, longBurn, shortBurn, firing: longBurn >= rule.factor && shortBurn >= rule.factor };
  });
}

export type BudgetSummary = {
  /** Good ÷ total over the SLO period; null when there is no data. */
  compliance: number | null;
  /** Share of the period's error budget still unspent (can go below 0). */
  budgetRemaining: number;
  /** Burn rate over the last hour. */
  burnRate1h: number;
  exhausted: boolean;
  good: number;
  total: number;
};

export function summariseBudget(points: readonly MinutePoint[], objective: number, periodDays: number, now: number): BudgetSummary {
  const { good, total } = sumWindow(points, now, periodDays * 24 * 60);
  const bad = total - good;
  const allowed = (1 - objective) * total;
  const budgetRemaining = total === 0 ? 1 : allowed === 0 ? (bad === 0 ? 1 : -Infinity) : 1 - bad / allowed;
  return {
    compliance: total === 0 ? null : good / total,
    budgetRemaining,
    burnRate1h: burnRate(points, objective, now, 60),
    exhausted: budgetRemaining <= 0,
    good,
    total,
  };
}
