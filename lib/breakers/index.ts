import "server-only";
import { desc, eq } from "drizzle-orm";
import { getDb } from "@/lib/database";
import { breakerTransitions } from "@/db/schema";
import { logger } from "@/lib/observability";
import { providers } from "@/lib/providers";
import { SharedBreaker, type BreakerSnapshot, type TransitionEvent } from "./breaker";
import { BREAKER_NAMES, breakerConfig, type BreakerName } from "./config";
import { sharedRedis } from "./redis";
import { PostgresBreakerStore, RedisBreakerStore, type BreakerStore } from "./store";

/**
 * The one way out of the app to a provider: every call goes through a named
 * breaker whose state (closed / open / half-open) is shared by all server
 * instances. Open: fail fast with DependencyDownError (the guarded path turns
 * it into `dependency_down`, jobs skip and retry later). Business refusals
 * (ProviderError kind "refused") pass through untouched and never trip it.
 */
export { DependencyDownError, isDependencyDown } from "./errors";
export { BREAKERS, BREAKER_NAMES, breakerConfig, type BreakerName, type BreakerConfig } from "./config";
export { SharedBreaker, isTransient, type BreakerSnapshot } from "./breaker";
export { sharedRedis, withTimeout } from "./redis";
export { healthySince, unhealthySince } from "./history";

/** Writes a transition to the history table; the history is Postgres even when state lives in Redis. */
export async function recordTransition(event: TransitionEvent): Promise<void> {
  logger.warn({ breaker: event.name, from: event.from, to: event.to, reason: event.reason }, "breaker transition");
  const db = await getDb();
  await db.insert(breakerTransitions).values({
    name: event.name,
    fromState: event.from,
    toState: event.to,
    reason: event.reason,
    failureRate: event.failureRate === null ? null : Math.round(event.failureRate * 100),
    actorId: event.actorId,
  });
}

function defaultStore(): BreakerStore {
  const redis = sharedRedis();
  return redis ? new RedisBreakerStore(redis) : new PostgresBreakerStore();
}

const globalForBreakers = globalThis as unknown as { breakwaterBreakers?: Map<BreakerName, SharedBreaker> };

export function getBreaker(name: BreakerName): SharedBreaker {
  const breakers = (globalForBreakers.breakwaterBreakers ??= new Map());
  let breaker = breakers.get(name);
  if (!breaker) {
    breaker = new SharedBreaker(name, breakerConfig(name), defaultStore(), recordTransition);
    breakers.set(name, breaker);
  }
  return breaker;
}

/** For tests: forget this process's breakers (their shared state stays in the store). */
export function resetBreakersForTests(): void {
  globalForBreakers.breakwaterBreakers = undefined;
}

export async function callThroughBreaker<T>(name: BreakerName, call: () => Promise<T>): Promise<T> {
  return getBreaker(name).call(call);
}

/**
 * One health probe of a provider through its breaker: the breaker lets it
 * through only when a call would be (closed, or its half-open probe), and
 * records the outcome like any call. While a kill switch stops all real
 * traffic, this is what lets a recovered provider's breaker close again.
 */
export function probeProvider(name: "payments" | "email"): Promise<void> {
  // INCIDENT: the uptime job probes a provider whose kill switch was turned off automatically.
  // FAILURE MODE: a failed probe counts against the breaker like any call and the switch stays off; nothing is sent or charged.
  // SAFE TO RETRY: yes; the probe only reads (SMTP greeting, Stripe balance).
  // OPERATOR ACTION: runbook incident-response.
  return callThroughBreaker(name, () => providers[name].ping());
}

/** True when the breaker currently refuses calls (used by jobs to skip a run). */
export async function isBreakerOpen(name: BreakerName): Promise<boolean> {
  const breaker = getBreaker(name);
  await breaker.sync();
  const s = breaker.snapshot();
  return s.forced === "open" || (s.state === "open" && s.cooldownRemainingMs > 0) || (s.storeDown && breaker.config.whenStoreDown === "deny");
}

export type BreakerOverview = BreakerSnapshot & { transitions: { fromState: string; toState: string; reason: string; actorId: string | null; at: Date }[] };

export async function breakerOverview(): Promise<BreakerOverview[]> {
  const db = await getDb();
  return Promise.all(
    BREAKER_NAMES.map(async (name) => {
      const breaker = getBreaker(name);
      await breaker.sync();
      const transitions = await db
        .select({ fromState: breakerTransitions.fromState, toState: breakerTransitions.toState, reason: breakerTransitions.reason, actorId: breakerTransitions.actorId, at: breakerTransitions.at })
        .from(breakerTransitions)
        .where(eq(breakerTransitions.name, name))
        .orderBy(desc(breakerTransitions.id))
        .limit(20);
      return { ...breaker.snapshot(), transitions };
    }),
  );
}

