/**
 * Named rate-limit policies, applied by the guarded path. The resilience
 * issue gives them real backends (Upstash Redis, Postgres); this is the hook.
 */
export const RATE_LIMIT_POLICIES = {
  sign_in: { limit: 10, windowSeconds: 60 },
  sign_up: { limit: 5, windowSeconds: 3600 },
  password_change: { limit: 5, windowSeconds: 3600 },
  payment: { limit: 5, windowSeconds: 60 },
  export: { limit: 3, windowSeconds: 3600 },
  report_problem: { limit: 5, windowSeconds: 600 },
  admin: { limit: 30, windowSeconds: 60 },
  impersonation_start: { limit: 10, windowSeconds: 3600 },
} as const satisfies Record<string, { limit: number; windowSeconds: number }>;

export type RateLimitPolicy = keyof typeof RATE_LIMIT_POLICIES;
export type RateLimitDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

export async function checkRateLimit(_policy: RateLimitPolicy, _key: string): Promise<RateLimitDecision> {
  return { allowed: true };
}
