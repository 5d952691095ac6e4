import { BREAKER_NAMES, getBreaker } from "@/lib/breakers";
import { getKillSwitchStates, KILL_SWITCH_KEYS, refreshFlagSnapshot } from "@/lib/flags";
import { jobHealth, loadJobs } from "@/lib/jobs/server";
import { memoize } from "./memo";

/**
 * The live signals the status page and readiness read from other
 * capabilities, each through that capability's public entry point.
 */

/** Every kill switch key → on (true = may run). */
export async function killSwitchStates(): Promise<Record<string, boolean>> {
  return Object.fromEntries((await getKillSwitchStates()).map((s) => [s.key, s.on]));
}

export type BreakerState = "closed" | "open" | "half_open";

/** Breaker name → shared state, re-read now (a forced-open breaker reads as open). */
export async function breakerStatesNow(): Promise<Record<string, BreakerState>> {
  const entries = await Promise.all(
    BREAKER_NAMES.map(async (name) => {
      const breaker = getBreaker(name);
      await breaker.sync();
      const s = breaker.snapshot();
      const state: BreakerState = s.forced === "open" ? "open" : s.forced === "closed" ? "closed" : s.state;
      return [name, state] as const;
    }),
  );
  return Object.fromEntries(entries);
}

export function breakerNames(): string[] {
  return [...BREAKER_NAMES];
}

export function killSwitchNames(): string[] {
  return [...KILL_SWITCH_KEYS];
}

export async function jobNames(): Promise<string[]> {
  return (await loadJobs()).map((j) => j.name);
}

export type JobFreshness = { name: string; lastSuccessAt: Date | null; missed: boolean };

/** The jobs capability's dead-man's switch: a job missed when it has not succeeded within its interval × tolerance. */
export async function jobFreshness(now?: Date): Promise<JobFreshness[]> {
  // Cron runs at most once a minute, so a 10 s old answer is as good as a fresh one (and costs no queries).
  return now ? readJobFreshness(now) : recentJobFreshness();
}
async function readJobFreshness(now: Date): Promise<JobFreshness[]> {
  return (await jobHealth(now)).map((j) => ({ name: j.name, lastSuccessAt: j.lastSuccessAt, missed: j.status === "missed" || j.status === "timed_out" }));
}
const recentJobFreshness = memoize(() => readJobFreshness(new Date()), 10_000);

/** This instance's flag snapshot: its version and age, or null when it has none (flags then fall back to declared defaults). */
export async function flagSnapshotInfo(): Promise<{ version: number; ageMs: number } | null> {
  const snapshot = await refreshFlagSnapshot();
  return snapshot ? { version: snapshot.version, ageMs: Date.now() - snapshot.loadedAt } : null;
}

/** Live state of every kill switch, breaker and job, for runbook pages (each part independent: one failing leaves the others). */
export async function liveOperationalState() {
  const [switches, breakers, jobs] = await Promise.all([
    getKillSwitchStates().catch(() => []),
    Promise.all(
      BREAKER_NAMES.map(async (name) => {
        const b = getBreaker(name);
        await b.sync();
        const s = b.snapshot();
        return { name, state: s.state as string, forced: s.forced as string | null };
      }),
    ).catch(() => []),
    jobHealth().catch(() => []),
  ]);
  return {
    killSwitches: new Map(switches.map((s) => [s.key as string, s.on])),
    breakers: new Map(breakers.map((b) => [b.name as string, b])),
    jobs: new Map(jobs.map((j) => [j.name, { status: j.status as string, lastSuccessAt: j.lastSuccessAt?.toISOString() ?? null }])),
  };
}
