import "server-only";
import { getDb, type Db } from "@/lib/database";
import { withTimeout } from "@/lib/breakers";
import { env } from "@/lib/env";
import { currentMaintenance, lastKnownMaintenance } from "@/lib/maintenance";
import { logger } from "@/lib/observability";
import { memoize } from "./memo";
import { pingDatabase } from "./ping";
import { allJobFreshness } from "./live";
import { breakerSignals, flagSnapshotInfo } from "./sources";
import { noticeBreakerStores, noticeJobHealth } from "./watch";

/**
 * Readiness: can this instance serve traffic? Only the database is a hard
 * dependency (503 without it). Redis, breakers, cron and flags degrade the
 * answer but never fail it: restarting an instance would not fix them.
 * The body names components only; errors stay in the log.
 */
export type CheckStatus = "ok" | "degraded" | "down";
export type ComponentCheck = { name: string; status: CheckStatus; latencyMs: number; detail?: string };
/** `maintenance`: read-only maintenance is on (since when). The instance is still ready: it serves reads and sign-in. */
export type Readiness = { status: "ready" | "not_ready"; checkedAt: string; maintenance: { since: string } | null; checks: ComponentCheck[] };

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


async function pingRedis(url: string, token: string): Promise<void> {
  const response = await fetch(url, { method: "POST", headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" }, body: '["PING"]' });
  if (!response.ok) throw new Error(`redis answered ${response.status}`);
}

/**
 * Whatever polls readiness also keeps the alerts about jobs and breaker
 * stores current (lib/status/watch.ts), at most once a minute per instance
 * and never in the probe's way: a dead cron is noticed without the cron.
 */
const NOTICE_EVERY_MS = 60_000;
const globalForNotices = globalThis as unknown as { breakwaterReadinessNotices?: Map<string, number>; breakwaterNoticesInFlight?: Set<Promise<void>> };

function noticeOften(what: string, now: Date, notice: (db: Db) => Promise<void>): void {
  const last = (globalForNotices.breakwaterReadinessNotices ??= new Map());
  if (now.getTime() - (last.get(what) ?? 0) < NOTICE_EVERY_MS) return;
  last.set(what, now.getTime());
  const inFlight = (globalForNotices.breakwaterNoticesInFlight ??= new Set());
  const done: Promise<void> = getDb()
    .then(notice)
    .catch((error: unknown) => logger.warn({ err: error, what }, "readiness could not update its alerts"))
    .finally(() => inFlight.delete(done));
  inFlight.add(done);
}

/**
 * Settles once the alert updates readiness started in the background have
 * finished. Each is a source's whole truth as of its own check, so a caller
 * about to write a newer truth (a test, a shutdown) waits for them first.
 */
export async function readinessNoticesSettled(): Promise<void> {
  await Promise.all(globalForNotices.breakwaterNoticesInFlight ?? []);
}

/** Readiness for the health route: concurrent probes share one check (each still sees a result at most one check old). */
export const checkReadinessShared = memoize(() => checkReadiness(), 0);

/** `at`: judge jobs as of then (tests); without it, now, from a job-health read at most 10 s old. */
export async function checkReadiness(at?: Date): Promise<Readiness> {
  const now = at ?? new Date();
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
            const { states, storeOutages } = await breakerSignals();
            const open = Object.entries(states).filter(([, s]) => s === "open").map(([n]) => n);
            const problems = [open.length > 0 ? `open: ${open.join(", ")}` : null, storeOutages.length > 0 ? `state store unreachable: ${storeOutages.map((o) => o.name).join(", ")}` : null].filter(Boolean);
            noticeOften("breakers", now, (db) => noticeBreakerStores(db, storeOutages, now));
            return problems.length > 0 ? { status: "degraded", detail: problems.join("; ") } : { status: "ok" };
          },
          "degraded",
        )
      : null,
    dbUp
      ? timed(
          "cron",
          async () => {
            const jobs = await allJobFreshness(at);
            const missed = jobs.filter((j) => j.missed).map((j) => j.name);
            const unknown = jobs.filter((j) => j.neverRan).map((j) => j.name);
            const problems = [missed.length > 0 ? `missed: ${missed.join(", ")}` : null, unknown.length > 0 ? `never ran: ${unknown.join(", ")}` : null].filter(Boolean);
            noticeOften("jobs", now, (db) => noticeJobHealth(db, jobs, now, { type: "system", id: "readiness" }));
            return problems.length > 0 ? { status: "degraded", detail: problems.join("; ") } : { status: "ok" };
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
  const maintenance = dbUp ? await currentMaintenance() : lastKnownMaintenance();
  return { status: dbUp ? "ready" : "not_ready", checkedAt: now.toISOString(), maintenance: maintenance.active ? { since: maintenance.since } : null, checks };
}

/** Readiness as the probe's HTTP answer: 200 when this instance can serve, 503 when not; never cached. */
export function readinessResponse(readiness: Readiness): Response {
  return Response.json(readiness, { status: readiness.status === "ready" ? 200 : 503, headers: { "Cache-Control": "no-store" } });
}
