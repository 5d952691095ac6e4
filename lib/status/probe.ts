import "server-only";
import { and, asc, count, desc, eq, gte } from "drizzle-orm";
import { uptimeProbes } from "@/db/schema";
import type { Executor } from "@/lib/database";
import { env } from "@/lib/env";

const PROBE_TIMEOUT_MS = 10_000;
const WINDOW_DAYS = 30;

export type ProbeResult = { minute: Date; ok: boolean; httpStatus: number | null; latencyMs: number; error: string | null };

/**
 * The outside view: a plain HTTP GET of the public readiness URL (APP_URL),
 * as an external checker makes it, through DNS, the platform's routing and
 * a fresh function instance; only a 200 counts as up. Run from the cron side
 * (Vercel calls /api/cron/uptime_probe every minute), so the sample exists
 * even when the rest of the app never serves a request.
 */
export async function probeReadiness(db: Executor, now = new Date(), target = new URL("/api/health/ready", env.appUrl)): Promise<ProbeResult> {
  const minute = new Date(now.getTime() - (now.getTime() % 60_000));
  const started = performance.now();
  let result: Omit<ProbeResult, "minute" | "latencyMs">;
  try {
    const response = await fetch(target, { headers: { "user-agent": "Breakwater uptime probe" }, cache: "no-store", signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
    await response.arrayBuffer().catch(() => null);
    result = { ok: response.status === 200, httpStatus: response.status, error: response.status === 200 ? null : `answered ${response.status}` };
  } catch (error) {
    result = { ok: false, httpStatus: null, error: error instanceof Error ? error.message : String(error) };
  }
  const probe: ProbeResult = { minute, latencyMs: Math.round(performance.now() - started), ...result };
  await db.insert(uptimeProbes).values(probe).onConflictDoNothing();
  return probe;
}

export type OutsideView = {
  /** Share of minutes since probing began (within 30 days) with a successful probe; null before the first probe. */
  uptime: number | null;
  minutes: number;
  lastCheck: { at: string; ok: boolean; latencyMs: number } | null;
};

/**
 * Uptime as the probe saw it. A minute with no probe counts as down: no
 * sample means nothing outside could confirm the app answered.
 */
export async function outsideView(db: Executor, now = new Date()): Promise<OutsideView> {
  const since = new Date(now.getTime() - WINDOW_DAYS * 86_400_000);
  const [first] = await db.select({ minute: uptimeProbes.minute }).from(uptimeProbes).where(gte(uptimeProbes.minute, since)).orderBy(asc(uptimeProbes.minute)).limit(1);
  const [last] = await db.select().from(uptimeProbes).orderBy(desc(uptimeProbes.minute)).limit(1);
  if (!first || !last) return { uptime: null, minutes: 0, lastCheck: null };
  const [good] = await db.select({ n: count() }).from(uptimeProbes).where(and(gte(uptimeProbes.minute, since), eq(uptimeProbes.ok, true)));
  const currentMinute = now.getTime() - (now.getTime() % 60_000);
  // The current minute counts once it has been probed.
  const minutes = Math.max(1, Math.floor((currentMinute - first.minute.getTime()) / 60_000) + (last.minute.getTime() >= currentMinute ? 1 : 0));
  return { uptime: Math.min(1, (good?.n ?? 0) / minutes), minutes, lastCheck: { at: last.minute.toISOString(), ok: last.ok, latencyMs: last.latencyMs } };
}
