import "server-only";
import { and, eq, gte, lt, sql } from "drizzle-orm";
import { requestMinutes } from "@/db/schema";
import { BREAKER_NAMES, BREAKERS, getBreaker, withTimeout } from "@/lib/breakers";
import type { Executor } from "@/lib/database";
import { cohortRoute, getKillSwitchStates, KILL_SWITCH_KEYS, refreshFlagSnapshot } from "@/lib/flags";
import { healthOfJobs, type JobSchedule } from "@/lib/jobs";
import { currentMaintenance } from "@/lib/maintenance";
import { actionRoute } from "./link";

/**
 * The live signals the status page, readiness and the uptime job read from
 * other capabilities, each through that capability's public entry point.
 * Nothing here imports the job registry: the uptime job (a job file) reads
 * these, and passes in the jobs its context hands it. Reads that need every
 * job from the registry are in ./live.
 */

/** Every kill switch key → on (true = may run). */
export async function killSwitchStates(): Promise<Record<string, boolean>> {
  return Object.fromEntries((await getKillSwitchStates()).map((s) => [s.key, s.on]));
}

export type BreakerState = "closed" | "open" | "half_open";

/** A breaker whose shared state this instance cannot reach, and whether it then refuses every call (fails closed). */
export type StoreOutage = { name: string; refusesCalls: boolean; runbook: string };

/**
 * Every breaker's shared state, re-read now (a forced-open breaker reads as
 * open), and the breakers whose state store could not be read at all.
 */
export async function breakerSignals(): Promise<{ states: Record<string, BreakerState>; storeOutages: StoreOutage[] }> {
  const read = await Promise.all(
    BREAKER_NAMES.map(async (name) => {
      const breaker = getBreaker(name);
      await breaker.sync();
      const s = breaker.snapshot();
      const state: BreakerState = s.forced === "open" ? "open" : s.forced === "closed" ? "closed" : s.state;
      const outage = s.storeDown ? { name, refusesCalls: breaker.config.whenStoreDown === "deny", runbook: BREAKERS[name].runbook } : null;
      return { name, state, outage };
    }),
  );
  return { states: Object.fromEntries(read.map((r) => [r.name, r.state])), storeOutages: read.flatMap((r) => (r.outage ? [r.outage] : [])) };
}

/** How often the status snapshot checks the flag config version: a kill switch then reaches /status well inside a second. */
const FLAG_VERSION_CHECK_MS = 250;

/**
 * A cheap fingerprint of the state the status page shows that can change at
 * any moment: the flag config version (one single-flight query per interval,
 * the counter flag propagation uses), each breaker's state as this
 * instance last saw it (in memory, no I/O) and read-only maintenance. When it changes, the status
 * snapshot is recomputed before it is served again.
 */
export async function stateSignature(): Promise<string> {
  const flags = await withTimeout(refreshFlagSnapshot(FLAG_VERSION_CHECK_MS), 1_000, "flag version check").catch(() => null);
  const breakers = BREAKER_NAMES.map((name) => {
    const s = getBreaker(name).snapshot();
    return `${s.state}/${s.forced ?? ""}/${s.storeDown ? "down" : "up"}`;
  });
  // Read-only maintenance, re-read at most once a second per instance: turning it on reaches /status within about a second.
  const maintenance = await currentMaintenance();
  return `${flags?.version ?? -1}|${breakers.join(",")}|${maintenance.active ? maintenance.since : "-"}`;
}

/** Breaker name → shared state, re-read now. */
export async function breakerStatesNow(): Promise<Record<string, BreakerState>> {
  return (await breakerSignals()).states;
}

export function breakerNames(): string[] {
  return [...BREAKER_NAMES];
}

export function killSwitchNames(): string[] {
  return [...KILL_SWITCH_KEYS];
}

export type JobFreshness = { name: string; lastSuccessAt: Date | null; missed: boolean; neverRan: boolean; runbook: string };

/**
 * The jobs capability's dead-man's switch: a job missed when it has not
 * succeeded within its interval × tolerance (or a run never finished); one
 * that never ran is unknown, which is not the same as healthy.
 */
export async function jobFreshness(jobs: readonly JobSchedule[], now: Date = new Date()): Promise<JobFreshness[]> {
  return (await healthOfJobs(jobs, now)).map((j) => ({
    name: j.name,
    lastSuccessAt: j.lastSuccessAt,
    missed: j.status === "missed" || j.status === "timed_out",
    neverRan: j.status === "unknown",
    runbook: j.runbook,
  }));
}

/** This instance's flag snapshot: its version and age, or null when it has none (flags then fall back to declared defaults). */
export async function flagSnapshotInfo(): Promise<{ version: number; ageMs: number } | null> {
  const snapshot = await refreshFlagSnapshot();
  return snapshot ? { version: snapshot.version, ageMs: Date.now() - snapshot.loadedAt } : null;
}

/**
 * People's calls of an action and how many failed on our side, over the
 * minutes that overlap [from, to): what an error-rate kill switch reads.
 */
export async function actionOutcomes(db: Executor, action: string, from: Date, to: Date): Promise<{ total: number; errors: number }> {
  return routeOutcomes(db, actionRoute(action), from, to);
}

/** The calls of the actions a release flag's rollout guards, by people inside its cohort and outside it, over [from, to). */
export async function cohortOutcomes(db: Executor, flag: string, from: Date, to: Date): Promise<{ inside: { total: number; errors: number }; outside: { total: number; errors: number } }> {
  const [inside, outside] = await Promise.all([routeOutcomes(db, cohortRoute(flag, true), from, to), routeOutcomes(db, cohortRoute(flag, false), from, to)]);
  return { inside, outside };
}

async function routeOutcomes(db: Executor, route: string, from: Date, to: Date): Promise<{ total: number; errors: number }> {
  const [row] = await db
    .select({ total: sql<number>`coalesce(sum(${requestMinutes.total}), 0)::int`, errors: sql<number>`coalesce(sum(${requestMinutes.errors}), 0)::int` })
    .from(requestMinutes)
    .where(and(eq(requestMinutes.route, route), gte(requestMinutes.minute, new Date(from.getTime() - (from.getTime() % 60_000))), lt(requestMinutes.minute, to)));
  return { total: Number(row?.total ?? 0), errors: Number(row?.errors ?? 0) };
}
