import "server-only";
import { env } from "@/lib/env";

/**
 * Every breaker by name, with the runbook (runbooks/<slug>.md) an operator
 * opens when it trips; admin pages link to it and a test checks it exists.
 */
export const BREAKERS = {
  // INCIDENT: the payments breaker is open (breaker_open:payments alert, /admin/breakers).
  // FAILURE MODE: charges, refunds and card setup fail fast with "try again shortly"; with the breaker store unreachable it fails closed.
  // SAFE TO RETRY: yes; after the cooldown one probe is let through, and every charge carries an idempotency key.
  // OPERATOR ACTION: runbook payment-provider-down.
  payments: { runbook: "payment-provider-down" },
  // INCIDENT: the email breaker is open (breaker_open:email alert).
  // FAILURE MODE: sends fail fast and notifications stay queued; with the breaker store unreachable it fails open on this instance's own counts.
  // SAFE TO RETRY: yes; the notification id is the provider's idempotency key.
  // OPERATOR ACTION: runbook email-provider-down.
  email: { runbook: "email-provider-down" },
  // INCIDENT: the Slack breaker is open: alerts are not reaching Slack.
  // FAILURE MODE: Slack deliveries fail fast and stay pending; PagerDuty and email still go out.
  // SAFE TO RETRY: yes; deliveries are retried by alert_delivery.
  // OPERATOR ACTION: runbook alert-delivery.
  slack: { runbook: "alert-delivery" },
  // INCIDENT: the PagerDuty breaker is open: pages are not reaching anyone.
  // FAILURE MODE: PagerDuty deliveries fail fast and stay pending; Slack and email still go out.
  // SAFE TO RETRY: yes; events are deduplicated by the alert's key.
  // OPERATOR ACTION: runbook alert-delivery.
  pagerduty: { runbook: "alert-delivery" },
} as const satisfies Record<string, { runbook: string }>;

export type BreakerName = keyof typeof BREAKERS;
export const BREAKER_NAMES: readonly BreakerName[] = Object.keys(BREAKERS) as BreakerName[];

export type BreakerConfig = {
  /** Per-call timeout; a timeout counts as a transient failure. */
  timeoutMs: number;
  /** Open when this share (0..1) of the last `windowSize` calls failed transiently... */
  failureRate: number;
  windowSize: number;
  /** ...once at least this many calls were seen (so two failures out of two do not trip it). */
  minimumCalls: number;
  /** How long an open breaker fails fast before one probe is let through. */
  cooldownMs: number;
  /**
   * When the shared store (Redis/Postgres) cannot be reached: "allow" (fail
   * open: keep calling, judged by this instance's own counts) or "deny" (fail
   * closed: refuse with dependency_down). Payments deny: charging blind during
   * an outage of our own state is worse than a clear "try again shortly".
   */
  whenStoreDown: "allow" | "deny";
};

const DEFAULTS: Omit<BreakerConfig, "whenStoreDown"> = {
  timeoutMs: 5_000,
  failureRate: 0.5,
  windowSize: 20,
  minimumCalls: 5,
  cooldownMs: 30_000,
};

export function breakerConfig(name: BreakerName): BreakerConfig {
  const base: BreakerConfig = {
    ...DEFAULTS,
    whenStoreDown: name === "payments" ? "deny" : "allow",
  };
  // Short cooldowns for e2e and local drills, never needed in production.
  if (env.BREAKER_COOLDOWN_MS !== undefined) base.cooldownMs = env.BREAKER_COOLDOWN_MS;
  if (env.BREAKER_MIN_CALLS !== undefined) base.minimumCalls = env.BREAKER_MIN_CALLS;
  return base;
}
