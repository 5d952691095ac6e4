import { BILLING_PERIOD_DAYS, formatCents, PLANS, type Plan } from "./constants";

const PERIOD_MS = BILLING_PERIOD_DAYS * 24 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

export type PlanChangeQuote = {
  /** What to charge now (never negative). */
  amountCents: number;
  /** The account's credit after this change: a downgrade's unused part, kept for the next charge. */
  creditCents: number;
  /** The renewal date after the change: kept when the current period is paid for, else a new period from now. */
  periodEnd: Date;
  prorated: boolean;
  /** The invoice line, saying how the amount was reached. */
  description: string;
};

type CurrentSubscription = { plan: Plan; status: "active" | "past_due" | "canceled"; currentPeriodEnd: Date; creditCents: number };

/**
 * A plan change. While a paid period is running (and paid: not past due),
 * the unused part of the current plan is credited, the new plan is charged
 * for the rest of the same period, and the renewal date stays. A negative
 * result becomes credit taken off the next charge. Otherwise (from Free, a
 * lapsed or unpaid period) the new plan starts a full period now, less any
 * credit. Amounts are rounded to the cent for each part.
 */
export function quotePlanChange(current: CurrentSubscription, to: Plan, now: Date): PlanChangeQuote {
  const from = PLANS[current.plan];
  const target = PLANS[to];
  const credit = current.creditCents;
  const paidThrough = from.priceCents > 0 && current.status !== "past_due" && current.currentPeriodEnd.getTime() > now.getTime();
  if (!paidThrough) {
    const amountCents = Math.max(0, target.priceCents - credit);
    const usedCredit = target.priceCents - amountCents;
    const creditNote = usedCredit > 0 ? ` less ${formatCents(usedCredit)} credit` : "";
    return {
      amountCents,
      creditCents: credit - usedCredit,
      periodEnd: new Date(now.getTime() + PERIOD_MS),
      prorated: false,
      description: `${target.label} plan, ${BILLING_PERIOD_DAYS} days${creditNote}`,
    };
  }
  const remainingMs = Math.min(PERIOD_MS, current.currentPeriodEnd.getTime() - now.getTime());
  const share = remainingMs / PERIOD_MS;
  const unused = Math.round(from.priceCents * share);
  const newPart = Math.round(target.priceCents * share);
  const net = newPart - unused - credit;
  const amountCents = Math.max(0, net);
  const creditCents = Math.max(0, -net);
  const days = Math.max(1, Math.round(remainingMs / DAY_MS));
  const parts = [
    `${target.label} plan from ${from.label}, prorated for the ${days} day${days === 1 ? "" : "s"} left in this period: ${formatCents(newPart)}`,
    `less ${formatCents(unused)} for unused ${from.label}`,
    credit > 0 ? `less ${formatCents(credit)} credit` : null,
  ];
  const description = `${parts.filter(Boolean).join(" ")}${creditCents > 0 ? `; ${formatCents(creditCents)} credit kept for your next charge` : ""}`;
  return { amountCents, creditCents, periodEnd: current.currentPeriodEnd, prorated: true, description };
}

/** A renewal: the plan's price, less the credit a prorated downgrade left. */
export function renewalAmount(plan: Plan, creditCents: number): { amountCents: number; creditUsed: number } {
  const amountCents = Math.max(0, PLANS[plan].priceCents - creditCents);
  return { amountCents, creditUsed: PLANS[plan].priceCents - amountCents };
}
