import type { Plan } from "@/db/schema";

export type { Plan };

/** Prices in cents per 30-day period. */
export const PLANS: Record<Plan, { label: string; priceCents: number }> = {
  free: { label: "Free", priceCents: 0 },
  pro: { label: "Pro", priceCents: 2000 },
  team: { label: "Team", priceCents: 5000 },
};

export const BILLING_PERIOD_DAYS = 30;

export function formatCents(cents: number, currency = "usd"): string {
  return new Intl.NumberFormat("en-US", { style: "currency", currency: currency.toUpperCase() }).format(cents / 100);
}
