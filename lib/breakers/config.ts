import { env } from "@/lib/env";

export type BreakerName = "payments" | "email";
export const BREAKER_NAMES: readonly BreakerName[] = ["payments", "email"];

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
  /** How stale this instance's cached view of the shared state may get before a background refresh. */
  syncMs: number;
};

const DEFAULTS: Omit<BreakerConfig, "whenStoreDown"> = {
  timeoutMs: 5_000,
  failureRate: 0.5,
  windowSize: 20,
  minimumCalls: 5,
  cooldownMs: 30_000,
  syncMs: 2_000,
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
