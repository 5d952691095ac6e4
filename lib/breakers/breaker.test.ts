import { Redis } from "@upstash/redis";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { ProviderError } from "@/lib/providers";
import { reachableRedis } from "@/test/fixtures/redis";
import { startUpstashRestServer } from "@/test/fixtures/upstash-rest-server";
import { SharedBreaker, type TransitionEvent } from "./breaker";
import type { BreakerConfig } from "./config";
import { DependencyDownError } from "./errors";
import { MemoryBreakerStore, PostgresBreakerStore, RedisBreakerStore, type BreakerStore } from "./store";

const CONFIG: BreakerConfig = { timeoutMs: 1_000, failureRate: 0.5, windowSize: 10, minimumCalls: 4, cooldownMs: 30_000, whenStoreDown: "allow" };
const transient = () => Promise.reject(new ProviderError("payments", "transient", "503"));
const refused = () => Promise.reject(new ProviderError("payments", "refused", "card declined"));
const okCall = () => Promise.resolve("ok");

const redisTarget = await reachableRedis();
let rest: Awaited<ReturnType<typeof startUpstashRestServer>> | null = null;
beforeAll(async () => {
  if (redisTarget) rest = await startUpstashRestServer({ redisPort: redisTarget.port, redisHost: redisTarget.host, token: "t" });
});
afterAll(() => rest?.close());

const stores: [string, () => BreakerStore][] = [
  ["memory", () => new MemoryBreakerStore()],
  ["postgres", () => new PostgresBreakerStore()],
];
if (redisTarget) stores.push(["redis", () => new RedisBreakerStore(new Redis({ url: rest!.url, token: "t", retry: false, enableTelemetry: false }), `test:${crypto.randomUUID()}:`)]);

// Breaker names are typed; tests use unique names through a cast so runs sharing one database never collide.
const uniqueName = () => `test_${crypto.randomUUID().slice(0, 8)}` as "payments";

function pair(store: BreakerStore, config: BreakerConfig = CONFIG) {
  const clock = { now: 1_000_000 };
  const events: TransitionEvent[] = [];
  const name = uniqueName();
  const make = () =>
    new SharedBreaker(
      name,
      config,
      store,
      async (e) => {
        events.push(e);
      },
      () => clock.now,
    );
  return { a: make(), b: make(), clock, events };
}

async function trip(breaker: SharedBreaker) {
  for (let i = 0; i < CONFIG.minimumCalls; i++) await breaker.call(transient).catch(() => {});
}

describe.each(stores)("shared breaker on %s", (_, makeStore) => {
  it("opens after the threshold and then fails fast without calling", async () => {
    const { a, events } = pair(makeStore());
    await trip(a);
    expect(a.snapshot().state).toBe("open");
    expect(events.map((e) => `${e.from}->${e.to}`)).toEqual(["closed->open"]);
    const call = vi.fn(okCall);
    await expect(a.call(call)).rejects.toMatchObject({ name: "DependencyDownError", reason: "open" });
    expect(call).not.toHaveBeenCalled();
  });

  it("does not trip on business refusals", async () => {
    const { a } = pair(makeStore());
    for (let i = 0; i < 10; i++) await expect(a.call(refused)).rejects.toBeInstanceOf(ProviderError);
    expect(a.snapshot().state).toBe("closed");
  });

  it("another instance sees the open state after a sync, and fails fast too", async () => {
    const { a, b } = pair(makeStore());
    await b.call(okCall); // b has a cached, closed view
    await trip(a);
    await b.sync();
    const call = vi.fn(okCall);
    await expect(b.call(call)).rejects.toBeInstanceOf(DependencyDownError);
    expect(call).not.toHaveBeenCalled();
  });

  it("a trip on one instance is honoured by another before its next provider call, with no sync in between", async () => {
    const { a, b } = pair(makeStore());
    await b.call(okCall); // b has looked once, and saw it closed
    await trip(a);
    const call = vi.fn(okCall);
    await expect(b.call(call)).rejects.toMatchObject({ name: "DependencyDownError", reason: "open" });
    expect(call).not.toHaveBeenCalled();
  });

  it("an operator reset starts a new generation: failures an instance counted before it never re-open the breaker early", async () => {
    const { a, b, events } = pair(makeStore());
    // b counts failures just short of the minimum; a then trips it, and an operator resets it.
    for (let i = 0; i < CONFIG.minimumCalls - 1; i++) await b.call(transient).catch(() => {});
    await trip(a);
    await a.force("reset", "provider recovered", "admin-1");
    // One failure on b after the reset is one failure: below the minimum, it stays closed.
    await expect(b.call(transient)).rejects.toMatchObject({ reason: "failed" });
    expect(b.snapshot()).toMatchObject({ state: "closed", calls: 1 });
    expect(events.map((e) => e.to)).toEqual(["open", "closed"]);
  });

  it("elects exactly one probe across two instances after the cooldown, and closes on success", async () => {
    const { a, b, clock, events } = pair(makeStore());
    await trip(a);
    await b.sync();
    clock.now += CONFIG.cooldownMs + 1;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const probe = vi.fn(async () => {
      await gate;
      return "ok";
    });
    // Both race for the claim (each reads the shared state first, so either may get there first): exactly one probes.
    const racing = [a.call(probe), b.call(probe)];
    setTimeout(release, 100);
    const results = await Promise.allSettled(racing);
    expect(results.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
    expect(results.find((r) => r.status === "fulfilled")).toMatchObject({ value: "ok" });
    expect(probe).toHaveBeenCalledTimes(1);
    await a.sync();
    await b.sync();
    expect(a.snapshot().state).toBe("closed");
    expect(b.snapshot().state).toBe("closed");
    await expect(b.call(okCall)).resolves.toBe("ok");
    expect(events.map((e) => e.to)).toEqual(["open", "half_open", "closed"]);
  });

  it("a failed probe reopens for another cooldown", async () => {
    const { a, clock } = pair(makeStore());
    await trip(a);
    clock.now += CONFIG.cooldownMs + 1;
    await expect(a.call(transient)).rejects.toMatchObject({ reason: "failed" });
    expect(a.snapshot().state).toBe("open");
    expect(a.snapshot().cooldownRemainingMs).toBe(CONFIG.cooldownMs);
  });

  it("admin force open isolates, force closed ignores failures, reset returns to automatic", async () => {
    const { a, b } = pair(makeStore());
    await a.force("open", "maintenance", "admin-1");
    await b.sync();
    await expect(b.call(okCall)).rejects.toBeInstanceOf(DependencyDownError);
    await a.force("closed", "known flaky", "admin-1");
    await trip(a);
    expect(a.snapshot()).toMatchObject({ state: "closed", forced: "closed" });
    await a.force("reset", "done", "admin-1");
    await trip(a);
    expect(a.snapshot()).toMatchObject({ state: "open", forced: null });
  });
});

describe("when the shared store is down", () => {
  it("a fail-closed breaker refuses without calling", async () => {
    const store = new MemoryBreakerStore();
    store.down = true;
    const breaker = new SharedBreaker(uniqueName(), { ...CONFIG, whenStoreDown: "deny" }, store);
    const call = vi.fn(okCall);
    await expect(breaker.call(call)).rejects.toMatchObject({ reason: "store_down" });
    expect(call).not.toHaveBeenCalled();
  });

  it("a fail-open breaker keeps calling and still trips on its own counts", async () => {
    const store = new MemoryBreakerStore();
    store.down = true;
    const breaker = new SharedBreaker(uniqueName(), CONFIG, store);
    await expect(breaker.call(okCall)).resolves.toBe("ok");
    await trip(breaker);
    const call = vi.fn(okCall);
    await expect(breaker.call(call)).rejects.toBeInstanceOf(DependencyDownError);
    expect(call).not.toHaveBeenCalled();
  });
});

it("a call that hangs past the timeout counts as a transient failure", async () => {
  const breaker = new SharedBreaker(uniqueName(), { ...CONFIG, timeoutMs: 20 }, new MemoryBreakerStore());
  await expect(breaker.call(() => new Promise(() => {}))).rejects.toMatchObject({ reason: "failed" });
  expect(breaker.snapshot().calls).toBe(1);
  expect(breaker.snapshot().failureRate).toBe(1);
});

it("a call that throws synchronously is a transient failure, not a crash", async () => {
  const breaker = new SharedBreaker(uniqueName(), CONFIG, new MemoryBreakerStore());
  await expect(
    breaker.call(() => {
      throw new Error("sync boom");
    }),
  ).rejects.toMatchObject({ reason: "failed" });
});
