import { setTimeout as sleep } from "node:timers/promises";
import { Redis } from "@upstash/redis";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/lib/database";
import { resilienceCounters } from "@/db/schema";
import { startOwnRedis, reachableRedis } from "@/test/fixtures/redis";
import { startUpstashRestServer } from "@/test/fixtures/upstash-rest-server";
import { checkRateLimit, LIMITER_TIMEOUT_MS, PostgresBackend, RATE_LIMIT_POLICIES, UpstashBackend, type RateLimitBackend, type RateLimitDecision } from "./index";

const TOKEN = "test-token";
const sharedRedis = await reachableRedis();
const unique = () => `test:${crypto.randomUUID()}`;
// Functional checks must not depend on the machine's load: a relaxed timeout. The outage tests use the real one.
const RELAXED = 10_000;

/**
 * Both backends count in fixed windows of wall-clock time. A sequence
 * that crosses a window's edge starts counting again midway, so each sequence starts well inside one.
 */
async function awayFromWindowEdge(windowSeconds = RATE_LIMIT_POLICIES.payment.windowSeconds, marginMs = 5_000): Promise<void> {
  const windowMs = windowSeconds * 1000;
  const left = windowMs - (Date.now() % windowMs);
  if (left < marginMs) await sleep(left + 50);
}

async function hitN(backend: RateLimitBackend, n: number, key: string): Promise<RateLimitDecision[]> {
  await awayFromWindowEdge();
  const out: RateLimitDecision[] = [];
  for (let i = 0; i < n; i++) out.push(await checkRateLimit("payment", key, { backend, timeoutMs: RELAXED }));
  return out;
}

function expectLimitedAfter(decisions: RateLimitDecision[], limit: number) {
  expect(decisions.slice(0, limit).every((d) => d.allowed && d.outcome === "ok")).toBe(true);
  const last = decisions[limit]!;
  expect(last.allowed).toBe(false);
  if (last.allowed) return;
  expect(last.outcome).toBe("limited");
  expect(last.retryAfterSeconds).toBeGreaterThan(0);
  expect(last.retryAfterSeconds).toBeLessThanOrEqual(RATE_LIMIT_POLICIES.payment.windowSeconds);
}

/** Policies that count only successes look first (`spend: false`) and spend after. */
async function expectPeekSpendsNothing(backend: RateLimitBackend) {
  const key = unique();
  for (let i = 0; i < 8; i++) expect(await checkRateLimit("payment", key, { backend, timeoutMs: RELAXED, spend: false })).toMatchObject({ allowed: true });
  expectLimitedAfter(await hitN(backend, 6, key), 5);
  const look = await checkRateLimit("payment", key, { backend, timeoutMs: RELAXED, spend: false });
  expect(look).toMatchObject({ allowed: false, outcome: "limited" });
}

describe("Postgres backend", () => {
  const backend = new PostgresBackend();
  beforeAll(() => checkRateLimit("export", unique(), { backend, timeoutMs: RELAXED }));

  it("refuses the N+1st attempt with a retry time", async () => {
    expectLimitedAfter(await hitN(backend, 6, unique()), 5);
  });

  it("counts keys separately", async () => {
    const a = unique();
    await hitN(backend, 6, a);
    const [other] = await hitN(backend, 1, unique());
    expect(other!.allowed).toBe(true);
  });

  it("a look at the budget spends none of it", async () => {
    await expectPeekSpendsNothing(backend);
  });

  it("concurrent checks never let more than the limit through", async () => {
    const key = unique();
    await awayFromWindowEdge();
    const results = await Promise.all(Array.from({ length: 12 }, () => checkRateLimit("payment", key, { backend, timeoutMs: RELAXED })));
    expect(results.filter((r) => r.allowed)).toHaveLength(5);
  });
});

describe.skipIf(!sharedRedis)("Upstash backend (REST fixture in front of redis-server)", () => {
  let server: Awaited<ReturnType<typeof startUpstashRestServer>>;
  let backend: UpstashBackend;

  beforeAll(async () => {
    server = await startUpstashRestServer({ redisPort: sharedRedis!.port, redisHost: sharedRedis!.host, token: TOKEN });
    backend = new UpstashBackend(new Redis({ url: server.url, token: TOKEN, retry: false, enableTelemetry: false }));
    // Warm up (script load, first connection) so a cold machine does not hit the 200 ms limiter timeout.
    await checkRateLimit("payment", unique(), { backend, timeoutMs: RELAXED });
  });
  afterAll(() => server?.close());

  it("refuses the N+1st attempt with a retry time", async () => {
    expectLimitedAfter(await hitN(backend, 6, unique()), 5);
  });

  it("a look at the budget spends none of it", async () => {
    await expectPeekSpendsNothing(backend);
  });

  it("answers like the Postgres backend for the same sequence", async () => {
    const pgBackend = new PostgresBackend();
    await checkRateLimit("export", unique(), { backend: pgBackend, timeoutMs: RELAXED });
    const pg = (await hitN(pgBackend, 7, unique())).map((d) => [d.allowed, d.outcome]);
    const up = (await hitN(backend, 7, unique())).map((d) => [d.allowed, d.outcome]);
    expect(up).toEqual(pg);
  });

  it("rejects a wrong token (the fixture checks auth like Upstash)", async () => {
    const wrong = new UpstashBackend(new Redis({ url: server.url, token: "nope", retry: false, enableTelemetry: false }));
    const decision = await checkRateLimit("export", unique(), { backend: wrong, timeoutMs: RELAXED });
    expect(decision).toEqual({ allowed: true, outcome: "limiter_unavailable" });
  });
});

describe("limiter unavailable", () => {
  const hanging: RateLimitBackend = { kind: "upstash", hit: () => new Promise(() => {}), peek: () => new Promise(() => {}) };

  it("a store that never answers still gets an answer, per the policy's fail mode", async () => {
    // No timing threshold: the point is that these resolve at all instead of hanging.
    const [payment, exportDecision] = await Promise.all([checkRateLimit("payment", unique(), { backend: hanging, timeoutMs: LIMITER_TIMEOUT_MS }), checkRateLimit("export", unique(), { backend: hanging, timeoutMs: LIMITER_TIMEOUT_MS })]);
    expect(payment).toMatchObject({ allowed: false, outcome: "limiter_unavailable" });
    expect(exportDecision).toEqual({ allowed: true, outcome: "limiter_unavailable" });
  });

  it("is counted durably for /admin/breakers", async () => {
    const db = await getDb();
    const before = (await db.select().from(resilienceCounters).where(eq(resilienceCounters.name, "limiter_unavailable:sign_in")))[0]?.count ?? 0;
    await checkRateLimit("sign_in", unique(), { backend: hanging, timeoutMs: LIMITER_TIMEOUT_MS });
    await expect
      .poll(async () => (await db.select().from(resilienceCounters).where(eq(resilienceCounters.name, "limiter_unavailable:sign_in")))[0]?.count ?? 0)
      .toBe(before + 1);
  });
});

const ownRedis = await startOwnRedis().catch(() => null);

describe.skipIf(!ownRedis)("Redis stopped mid-test (own redis-server)", () => {
  let server: Awaited<ReturnType<typeof startUpstashRestServer>>;
  let backend: UpstashBackend;

  beforeAll(async () => {
    server = await startUpstashRestServer({ redisPort: ownRedis!.port, token: TOKEN });
    backend = new UpstashBackend(new Redis({ url: server.url, token: TOKEN, retry: false, enableTelemetry: false }));
  });
  afterAll(async () => {
    ownRedis?.stop();
    await server?.close();
  });

  it("answers per policy when Redis hangs, then when it is gone", async () => {
    const key = unique();
    await checkRateLimit("export", unique(), { backend, timeoutMs: RELAXED }); // warm up
    expect(await checkRateLimit("payment", key, { backend, timeoutMs: RELAXED })).toEqual({ allowed: true, outcome: "ok" });

    ownRedis!.process.kill("SIGSTOP"); // hangs: every command waits forever
    expect(await checkRateLimit("payment", key, { backend, timeoutMs: LIMITER_TIMEOUT_MS })).toMatchObject({ allowed: false, outcome: "limiter_unavailable", retryAfterSeconds: 30 });
    expect(await checkRateLimit("report_problem", key, { backend, timeoutMs: LIMITER_TIMEOUT_MS })).toEqual({ allowed: true, outcome: "limiter_unavailable" });

    ownRedis!.stop(); // gone: connection refused
    await new Promise((r) => setTimeout(r, 200));
    expect(await checkRateLimit("sign_in", key, { backend, timeoutMs: LIMITER_TIMEOUT_MS })).toMatchObject({ allowed: false, outcome: "limiter_unavailable" });
    expect(await checkRateLimit("admin", key, { backend, timeoutMs: LIMITER_TIMEOUT_MS })).toEqual({ allowed: true, outcome: "limiter_unavailable" });
  });
});

afterAll(() => ownRedis?.stop());
