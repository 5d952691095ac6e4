import "server-only";
import { Ratelimit } from "@upstash/ratelimit";
import type { Redis } from "@upstash/redis";
import { and, eq, lt, sql } from "drizzle-orm";
import { getDb } from "@/lib/database";
import { rateLimitCounters } from "@/db/schema";

export type WindowPolicy = { limit: number; windowSeconds: number };
export type BackendAnswer = { success: boolean; resetMs: number };

/**
 * A fixed-window counter. Both backends count the same way (window =
 * floor(now / window)), so a policy answers the same whichever one runs.
 */
export interface RateLimitBackend {
  readonly kind: "upstash" | "postgres";
  /** Connection setup (a cold start's migrations), awaited outside the limiter's short timeout. */
  ready?(): Promise<unknown>;
  hit(policyName: string, policy: WindowPolicy, key: string): Promise<BackendAnswer>;
  /** Whether one more would be allowed now, without counting it (for policies that count only successes). */
  peek(policyName: string, policy: WindowPolicy, key: string): Promise<BackendAnswer>;
}

export class UpstashBackend implements RateLimitBackend {
  readonly kind = "upstash" as const;
  private limiters = new Map<string, Ratelimit>();
  constructor(private readonly redis: Redis) {}

  private limiter(policyName: string, policy: WindowPolicy): Ratelimit {
    let limiter = this.limiters.get(policyName);
    if (!limiter) {
      limiter = new Ratelimit({
        redis: this.redis,
        limiter: Ratelimit.fixedWindow(policy.limit, `${policy.windowSeconds} s`),
        prefix: `rl:${policyName}`,
        // Our own timeout decides (per policy) what happens; the library's would silently allow after 5 s.
        timeout: 0,
        // A local block cache would hide a Redis outage from the limiter_unavailable count.
        ephemeralCache: false,
        analytics: false,
      });
      this.limiters.set(policyName, limiter);
    }
    return limiter;
  }

  async hit(policyName: string, policy: WindowPolicy, key: string): Promise<BackendAnswer> {
    const result = await this.limiter(policyName, policy).limit(key);
    if (result.reason === "timeout") throw new Error("upstash ratelimit timed out");
    return { success: result.success, resetMs: result.reset };
  }

  async peek(policyName: string, policy: WindowPolicy, key: string): Promise<BackendAnswer> {
    const { remaining, reset } = await this.limiter(policyName, policy).getRemaining(key);
    return { success: remaining > 0, resetMs: reset };
  }
}

export class PostgresBackend implements RateLimitBackend {
  readonly kind = "postgres" as const;

  ready() {
    return getDb();
  }

  private window(policy: WindowPolicy, now: number) {
    const windowMs = policy.windowSeconds * 1000;
    const windowStart = Math.floor(now / windowMs) * windowMs;
    return { windowStart, resetMs: windowStart + windowMs };
  }

  async peek(policyName: string, policy: WindowPolicy, key: string): Promise<BackendAnswer> {
    const db = await getDb();
    const { windowStart, resetMs } = this.window(policy, Date.now());
    const [row] = await db.select({ count: rateLimitCounters.count }).from(rateLimitCounters).where(eq(rateLimitCounters.key, `${policyName}:${key}:${windowStart}`));
    return { success: (row?.count ?? 0) < policy.limit, resetMs };
  }

  async hit(policyName: string, policy: WindowPolicy, key: string): Promise<BackendAnswer> {
    const db = await getDb();
    const now = Date.now();
    const { windowStart, resetMs } = this.window(policy, now);
    // One atomic upsert per check: concurrent instances cannot both take the last slot.
    const [row] = await db
      .insert(rateLimitCounters)
      .values({ key: `${policyName}:${key}:${windowStart}`, count: 1, expiresAt: new Date(resetMs) })
      .onConflictDoUpdate({ target: rateLimitCounters.key, set: { count: sql`${rateLimitCounters.count} + 1` } })
      .returning({ count: rateLimitCounters.count });
    // Expired windows are dead weight; sweep a few now and then instead of needing a job.
    if (Math.random() < 0.01) {
      void db
        .delete(rateLimitCounters)
        .where(and(lt(rateLimitCounters.expiresAt, new Date(now - 60_000))))
        .catch(() => {});
    }
    return { success: (row?.count ?? 1) <= policy.limit, resetMs };
  }
}
