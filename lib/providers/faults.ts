import "server-only";
import { setTimeout as sleep } from "node:timers/promises";
import { eq, sql } from "drizzle-orm";
import { getDb, type Executor } from "@/lib/database";
import { providerFaults, resilienceCounters } from "@/db/schema";
import { ProviderError } from "./errors";

export type Faults = { failPercent: number; timeoutPercent: number; latencyMs: number };
const NONE: Faults = { failPercent: 0, timeoutPercent: 0, latencyMs: 0 };

/** Parses `fail=100%,timeout=20%,latency=200ms` (the env form of fault injection). */
export function parseFaults(spec: string | undefined): Faults {
  const faults = { ...NONE };
  for (const part of (spec ?? "").split(",").map((p) => p.trim()).filter(Boolean)) {
    const [key, raw = ""] = part.split("=");
    const value = Number.parseInt(raw, 10);
    if (!Number.isFinite(value) || value < 0) throw new Error(`Bad fault "${part}"`);
    if (key === "fail") faults.failPercent = Math.min(value, 100);
    else if (key === "timeout") faults.timeoutPercent = Math.min(value, 100);
    else if (key === "latency") faults.latencyMs = value;
    else throw new Error(`Unknown fault "${key}" (use fail, timeout or latency)`);
  }
  return faults;
}

/** Faults for a fake provider: the database setting (changeable at run time) wins over the env one. */
export async function currentFaults(provider: string, envSpec: string | undefined): Promise<Faults> {
  const db = await getDb();
  const [row] = await db.select().from(providerFaults).where(eq(providerFaults.provider, provider));
  return row ?? parseFaults(envSpec);
}

/** The faults an admin set at run time, per fake provider; none set reads as no faults (the env form is not shown). */
export async function savedFaults(db: Executor, provider: string): Promise<Faults> {
  const [row] = await db.select().from(providerFaults).where(eq(providerFaults.provider, provider));
  return row ? { failPercent: row.failPercent, timeoutPercent: row.timeoutPercent, latencyMs: row.latencyMs } : NONE;
}

export async function setFaults(provider: string, faults: Faults, executor?: Executor): Promise<void> {
  const db = executor ?? (await getDb());
  await db
    .insert(providerFaults)
    .values({ provider, ...faults })
    .onConflictDoUpdate({ target: providerFaults.provider, set: { ...faults, updatedAt: new Date() } });
}

/** Removes the run-time setting (true when there was one); the env form applies again. */
export async function clearFaults(provider: string, executor?: Executor): Promise<boolean> {
  const db = executor ?? (await getDb());
  return (await db.delete(providerFaults).where(eq(providerFaults.provider, provider)).returning({ provider: providerFaults.provider })).length > 0;
}

/** Applies latency, timeouts and failures before a fake provider does its work. */
export async function injectFaults(provider: string, faults: Faults, timeoutMs: number): Promise<void> {
  await countFakeCall(provider);
  if (faults.latencyMs > 0) await sleep(faults.latencyMs);
  if (Math.random() * 100 < faults.timeoutPercent) {
    await sleep(timeoutMs);
    throw new ProviderError(provider, "transient", `${provider} timed out`, { timedOut: true });
  }
  if (Math.random() * 100 < faults.failPercent) throw new ProviderError(provider, "transient", `${provider} returned 503`);
}


/**
 * Every call that reached a fake provider, failed or not, so a drill (and the
 * e2e test) can see that an open breaker really sent nothing.
 */
async function countFakeCall(provider: string): Promise<void> {
  const db = await getDb();
  await db
    .insert(resilienceCounters)
    .values({ name: `fake_calls:${provider}`, count: 1 })
    .onConflictDoUpdate({ target: resilienceCounters.name, set: { count: sql`${resilienceCounters.count} + 1`, lastAt: new Date() } });
}

export async function fakeCallCount(provider: string): Promise<number> {
  const db = await getDb();
  const [row] = await db.select().from(resilienceCounters).where(eq(resilienceCounters.name, `fake_calls:${provider}`));
  return row?.count ?? 0;
}
