import "server-only";
import { like, sql } from "drizzle-orm";
import { getDb } from "@/lib/database";
import { resilienceCounters } from "@/db/schema";
import { sharedRedis, withTimeout } from "@/lib/breakers";
import { env } from "@/lib/env";
import { logger } from "@/lib/observability";
import { PostgresBackend, UpstashBackend, type RateLimitBackend } from "./backends";

/**
 * Named rate-limit policies, applied by the guarded path. `whenUnavailable`
 * is what happens when the limiter's store cannot answer within
 * LIMITER_TIMEOUT_MS: "allow" (fail open, low-risk actions) or "deny" (fail
 * closed: sign-in, payments, anything an attacker would repeat on purpose).
 */
export const RATE_LIMIT_POLICIES = {
  // Per client address, every attempt: a flood guard before bcrypt. Guessing is slowed by the progressive delays in lib/auth.
  sign_in: { limit: 30, windowSeconds: 60, whenUnavailable: "deny" },
  sign_up: { limit: 5, windowSeconds: 3600, whenUnavailable: "deny" },
  password_change: { limit: 5, windowSeconds: 3600, whenUnavailable: "deny" },
  /** Reset links asked for, per address (IP); the per-account budget is checked quietly in the handler. */
  password_reset: { limit: 5, windowSeconds: 900, whenUnavailable: "deny" },
  password_reset_account: { limit: 3, windowSeconds: 3600, whenUnavailable: "deny" },
  /** Links followed from email (reset, confirm, unsubscribe) and confirmation resends. */
  email_link: { limit: 20, windowSeconds: 600, whenUnavailable: "deny" },
  payment: { limit: 5, windowSeconds: 60, whenUnavailable: "deny" },
  // Counts successful exports only (the action declares `counts: "successes"`); a wrong password spends `reauth`.
  export: { limit: 3, windowSeconds: 3600, whenUnavailable: "allow" },
  // Wrong passwords when re-authenticating for a sensitive action (export, account deletion), per user.
  reauth: { limit: 5, windowSeconds: 900, whenUnavailable: "deny" },
  report_problem: { limit: 5, windowSeconds: 600, whenUnavailable: "allow" },
  admin: { limit: 30, windowSeconds: 60, whenUnavailable: "allow" },
  impersonation_start: { limit: 10, windowSeconds: 3600, whenUnavailable: "deny" },
} as const satisfies Record<string, { limit: number; windowSeconds: number; whenUnavailable: "allow" | "deny" }>;

export type RateLimitPolicy = keyof typeof RATE_LIMIT_POLICIES;

/** `limiter_unavailable`: the store did not answer; `allowed` then follows the policy's declared fail mode. */
export type RateLimitDecision =
  | { allowed: true; outcome: "ok" | "limiter_unavailable" }
  | { allowed: false; outcome: "limited" | "limiter_unavailable"; retryAfterSeconds: number };

export const LIMITER_TIMEOUT_MS = 200;
// RATE_LIMIT_TIMEOUT_MS lets a loaded test machine wait longer for a healthy limiter; the outage tests pass LIMITER_TIMEOUT_MS explicitly.
const DEFAULT_TIMEOUT_MS = env.RATE_LIMIT_TIMEOUT_MS ?? LIMITER_TIMEOUT_MS;
/** What a fail-closed policy tells the user to wait when the limiter is down. */
const UNAVAILABLE_RETRY_SECONDS = 30;

let backend: RateLimitBackend | undefined;

export function rateLimitBackend(): RateLimitBackend {
  if (!backend) {
    const redis = sharedRedis();
    backend = redis ? new UpstashBackend(redis) : new PostgresBackend();
  }
  return backend;
}

/** In-process count of limiter_unavailable per policy (the durable count is in resilience_counters). */
export const limiterUnavailableCounts = new Map<RateLimitPolicy, number>();

export type CheckOptions = {
  backend?: RateLimitBackend;
  /** Tests on a loaded machine pass a longer one; production keeps LIMITER_TIMEOUT_MS. */
  timeoutMs?: number;
  now?: () => number;
  /** False: only ask whether one more would be allowed, without counting it. */
  spend?: boolean;
};

export async function checkRateLimit(policy: RateLimitPolicy, key: string, options: CheckOptions = {}): Promise<RateLimitDecision> {
  const { backend: using = rateLimitBackend(), timeoutMs = DEFAULT_TIMEOUT_MS, now = Date.now, spend = true } = options;
  const config = RATE_LIMIT_POLICIES[policy];
  try {
    await using.ready?.();
    const answer = await withTimeout(spend ? using.hit(policy, config, key) : using.peek(policy, config, key), timeoutMs, "rate limiter");
    if (answer.success) return { allowed: true, outcome: "ok" };
    return { allowed: false, outcome: "limited", retryAfterSeconds: Math.max(1, Math.ceil((answer.resetMs - now()) / 1000)) };
  } catch (error) {
    limiterUnavailableCounts.set(policy, (limiterUnavailableCounts.get(policy) ?? 0) + 1);
    logger.error({ err: error, policy, backend: using.kind }, "limiter_unavailable");
    void countLimiterUnavailable(policy);
    return config.whenUnavailable === "allow"
      ? { allowed: true, outcome: "limiter_unavailable" }
      : { allowed: false, outcome: "limiter_unavailable", retryAfterSeconds: UNAVAILABLE_RETRY_SECONDS };
  }
}

async function countLimiterUnavailable(policy: RateLimitPolicy): Promise<void> {
  try {
    const db = await getDb();
    await db
      .insert(resilienceCounters)
      .values({ name: `limiter_unavailable:${policy}`, count: 1 })
      .onConflictDoUpdate({ target: resilienceCounters.name, set: { count: sql`${resilienceCounters.count} + 1`, lastAt: new Date() } });
  } catch (error) {
    logger.error({ err: error, policy }, "could not count limiter_unavailable");
  }
}

export { PostgresBackend, UpstashBackend, type RateLimitBackend } from "./backends";
export { describeWait, refusalMessage } from "./wait";

/** Durable limiter_unavailable counts per policy (all instances), for /admin/breakers. */
export async function limiterUnavailableTotals(): Promise<{ policy: string; count: number; lastAt: Date }[]> {
  const db = await getDb();
  const rows = await db.select().from(resilienceCounters).where(like(resilienceCounters.name, "limiter_unavailable:%"));
  return rows.map((r) => ({ policy: r.name.slice("limiter_unavailable:".length), count: r.count, lastAt: r.lastAt }));
}
