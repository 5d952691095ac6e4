import { sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { withTimeout } from "@/lib/breakers";
import { env } from "@/lib/env";
import { memoize } from "./memo";
import { breakerStatesNow, flagSnapshotInfo, jobFreshness } from "./sources";

/**
 * Readiness: can this instance serve traffic? Only the database is a hard
 * dependency (503 without it). Redis, breakers, cron and flags degrade the
 * answer but never fail it: restarting an instance would not fix them.
 * The body names components only; errors stay in the log.
 */
export type CheckStatus = "ok" | "degraded" | "down";
export type ComponentCheck = { name: string; status: CheckStatus; latencyMs: number; detail?: string };
export type Readiness = { status: "ready" | "not_ready"; checkedAt: string; checks: ComponentCheck[] };

const CHECK_TIMEOUT_MS = 2_000;

async function timed(name: string, run: () => Promise<Omit<ComponentCheck, "name" | "latencyMs">>, failAs: CheckStatus): Promise<ComponentCheck> {
  const started = performance.now();
  try {
    const result = await withTimeout(run(), CHECK_TIMEOUT_MS, `${name} check`);
    return { name, latencyMs: Math.round(performance.now() - started), ...result };
  } catch {
    return { name, status: failAs, latencyMs: Math.round(performance.now() - started), detail: "unavailable" };
  }
}

export async function pingDatabase(): Promise<void> {
  const db = await getDb();
  await db.execute(sql`select 1`);
}

async function pingRedis(url: string, token: string): Promise<void> {
  const response = await fetch(url, { method: "POST", headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" }, body: '["PING"]' });
  if (!response.ok) throw new Error(`redis answered ${response.status}`);
}

/** Readiness for the health route: concurrent probes share one check (each still sees a result at most one check old). */
export const checkReadinessShared = memoize(() => checkReadiness(), 0);

export async function checkReadiness(now = new Date()): Promise<Readiness> {
  const redisUrl = env.UPSTASH_REDIS_REST_URL;
  const redisToken = env.UPSTASH_REDIS_REST_TOKEN;
  const database = await timed("database", async () => (await pingDatabase(), { status: "ok" }), "down");
  const dbUp = database.status === "ok";
  const checks: ComponentCheck[] = [database];
  const rest = await Promise.all([
    redisUrl && redisToken ? timed("redis", async () => (await pingRedis(redisUrl, redisToken), { status: "ok" }), "degraded") : null,
    dbUp
      ? timed(
          "breakers",
          async () => {
            const open = Object.entries(await breakerStatesNow()).filter(([, s]) => s === "open").map(([n]) => n);
            return open.length > 0 ? { status: "degraded", detail: `open: ${open.join(", ")}` } : { status: "ok" };
          },
          "degraded",
        )
      : null,
    dbUp
      ? timed(
          "cron",
          async () => {
            const missed = (await jobFreshness()).filter((j) => j.missed).map((j) => j.name);
            return missed.length > 0 ? { status: "degraded", detail: `missed: ${missed.join(", ")}` } : { status: "ok" };
          },
          "degraded",
        )
      : null,
    dbUp
      ? timed(
          "flags",
          async () => {
            const snapshot = await flagSnapshotInfo();
            return snapshot ? { status: "ok", detail: `snapshot v${snapshot.version}, ${Math.round(snapshot.ageMs / 1000)} s old` } : { status: "degraded", detail: "no flag snapshot: declared defaults apply" };
          },
          "degraded",
        )
      : null,
  ]);
  for (const c of rest) if (c) checks.push(c);
  return { status: dbUp ? "ready" : "not_ready", checkedAt: now.toISOString(), checks };
}
