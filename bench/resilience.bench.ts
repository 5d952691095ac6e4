// Resilience costs: a call through a closed breaker vs a direct call, side by side with raw
// opossum and cockatiel (each with its own timeout, as ours has) in the same run; fail-fast
// latency when open; a rate-limit check on the Postgres and the Upstash backend; and the
// limiter's latency distribution (p50/p99/max, timeouts at the production timeout) while
// audited writes run on the same Postgres, through the same connection pool (./lib/limiter-load.ts).
import { Redis } from "@upstash/redis";
import { circuitBreaker, CountBreaker, handleAll, timeout, TimeoutStrategy, wrap } from "cockatiel";
import CircuitBreaker from "opossum";
import { SharedBreaker } from "@/lib/breakers/breaker";
import { MemoryBreakerStore } from "@/lib/breakers/store";
import { checkRateLimit, PostgresBackend, UpstashBackend, type RateLimitBackend } from "@/lib/ratelimit";
import { reachableRedis } from "@/test/fixtures/redis";
import { startUpstashRestServer } from "@/test/fixtures/upstash-rest-server";
import { limiterUnderWriteLoad } from "./lib/limiter-load";
import type { BenchResult } from "./types";


/** Median ns per call over `rounds` batches (two warm-up rounds dropped). */
async function measure(batch: number, rounds: number, fn: () => Promise<unknown>): Promise<number> {
  const samples: number[] = [];
  for (let r = 0; r < rounds + 2; r++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < batch; i++) await fn();
    const ns = Number(process.hrtime.bigint() - t0) / batch;
    if (r >= 2) samples.push(ns);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)]!;
}

const CONFIG = { timeoutMs: 5_000, failureRate: 0.5, windowSize: 20, minimumCalls: 5, cooldownMs: 30_000, whenStoreDown: "allow" as const };
const work = () => Promise.resolve(1);
const swallow = (p: Promise<unknown>) => p.catch(() => 0);

export default async function run(): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  const BATCH = 20_000;
  const ROUNDS = 9;

  // --- closed-breaker overhead ---
  const ours = new SharedBreaker("payments", CONFIG, new MemoryBreakerStore());
  await ours.call(work); // first call syncs the view
  const opossum = new CircuitBreaker(work, { timeout: CONFIG.timeoutMs, errorThresholdPercentage: 50, volumeThreshold: 5, resetTimeout: CONFIG.cooldownMs });
  const cockatiel = wrap(
    timeout(CONFIG.timeoutMs, TimeoutStrategy.Aggressive),
    circuitBreaker(handleAll, { halfOpenAfter: CONFIG.cooldownMs, breaker: new CountBreaker({ threshold: 0.5, size: 20, minimumNumberOfCalls: 5 }) }),
  );

  // Interleave the measurements so machine noise hits all of them alike.
  const direct: number[] = [];
  const oursNs: number[] = [];
  const opossumNs: number[] = [];
  const cockatielNs: number[] = [];
  for (let i = 0; i < 3; i++) {
    direct.push(await measure(BATCH, ROUNDS, work));
    oursNs.push(await measure(BATCH, ROUNDS, () => ours.call(work)));
    opossumNs.push(await measure(BATCH, ROUNDS, () => opossum.fire()));
    cockatielNs.push(await measure(BATCH, ROUNDS, () => cockatiel.execute(work)));
  }
  const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const base = med(direct);
  const added = (xs: number[]) => Math.max(0, med(xs) - base) / 1000;
  results.push({ name: "direct async call", value: base / 1000, unit: "µs/call" });
  results.push({ name: "closed breaker: added per call (vs opossum)", value: added(oursNs), unit: "µs/call", peer: "opossum 10", peerValue: added(opossumNs), ratio: added(oursNs) / added(opossumNs), note: "goal ≤ 2 µs added; each with a 5 s timeout" });
  results.push({ name: "closed breaker: added per call (vs cockatiel)", value: added(oursNs), unit: "µs/call", peer: "cockatiel 4 (timeout + breaker)", peerValue: added(cockatielNs), ratio: added(oursNs) / added(cockatielNs) });

  // --- open: fail fast ---
  const open = new SharedBreaker("payments", CONFIG, new MemoryBreakerStore());
  await open.force("open", "bench", null);
  opossum.open();
  const cockatielOpen = circuitBreaker(handleAll, { halfOpenAfter: CONFIG.cooldownMs, breaker: new CountBreaker({ threshold: 0.5, size: 20, minimumNumberOfCalls: 5 }) });
  const handle = cockatielOpen.isolate();
  const oursOpen = await measure(5_000, ROUNDS, () => swallow(open.call(work)));
  const opossumOpen = await measure(5_000, ROUNDS, () => swallow(opossum.fire()));
  const cockatielOpenNs = await measure(5_000, ROUNDS, () => swallow(cockatielOpen.execute(work)));
  handle.dispose();
  results.push({ name: "open breaker: fail-fast latency", value: oursOpen / 1000, unit: "µs/call", peer: "opossum 10", peerValue: opossumOpen / 1000, ratio: oursOpen / opossumOpen, note: "no outbound call" });
  results.push({ name: "open breaker: fail-fast latency (vs cockatiel)", value: oursOpen / 1000, unit: "µs/call", peer: "cockatiel 4", peerValue: cockatielOpenNs / 1000, ratio: oursOpen / cockatielOpenNs });
  opossum.shutdown();

  // --- rate-limit check latency ---
  const rateLimit = async (backend: RateLimitBackend, n: number) => {
    await checkRateLimit("admin", `bench:${crypto.randomUUID()}`, { backend, timeoutMs: 10_000 }); // warm-up
    const key = `bench:${crypto.randomUUID()}`;
    const ns = await measure(n, 5, () => checkRateLimit("admin", key, { backend }));
    return ns / 1e6;
  };
  const postgresBackend = new PostgresBackend();
  const pgMs = await rateLimit(postgresBackend, 100);
  results.push({ name: "rate-limit check (Postgres backend)", value: pgMs, unit: "ms/check", note: process.env.DATABASE_URL ? "Postgres" : "PGlite in memory" });
  results.push(...(await limiterUnderWriteLoad("Postgres", postgresBackend)));
  const redis = await reachableRedis();
  if (redis) {
    const server = await startUpstashRestServer({ redisPort: redis.port, redisHost: redis.host, token: "bench" });
    try {
      const upstash = new UpstashBackend(new Redis({ url: server.url, token: "bench", retry: false, enableTelemetry: false }));
      const upMs = await rateLimit(upstash, 100);
      results.push({ name: "rate-limit check (Upstash backend)", value: upMs, unit: "ms/check", peer: "Postgres backend", peerValue: pgMs, ratio: upMs / pgMs, note: "@upstash/ratelimit over the local REST fixture in front of redis-server" });
      results.push(...(await limiterUnderWriteLoad("Upstash", upstash)));
    } finally {
      await server.close();
    }
  } else {
    results.push({ name: "rate-limit check (Upstash backend)", value: Number.NaN, unit: "ms/check", note: "skipped: no redis-server reachable (REDIS_URL)" });
  }
  return results;
}
