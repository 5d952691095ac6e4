import "server-only";
import { BREAKER_NAMES, getBreaker } from "@/lib/breakers";
import { getKillSwitchStates } from "@/lib/flags";
import { DECLARED_JOBS, healthOfJobs } from "@/lib/jobs";
import { memoize } from "./memo";
import { jobFreshness, type JobFreshness } from "./sources";

/** Live reads that cover every declared job, kill switch and breaker (status page, readiness, runbook pages). */

export function jobNames(): string[] {
  return DECLARED_JOBS.map((j) => j.name);
}

/** Freshness of every job. Cron runs at most once a minute, so without `now` a 10 s old answer is as good as a fresh one (and costs no queries). */
export async function allJobFreshness(now?: Date): Promise<JobFreshness[]> {
  return now ? jobFreshness(DECLARED_JOBS, now) : recentJobFreshness();
}
const recentJobFreshness = memoize(() => jobFreshness(DECLARED_JOBS, new Date()), 10_000);

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
    healthOfJobs(DECLARED_JOBS).catch(() => []),
  ]);
  return {
    killSwitches: new Map(switches.map((s) => [s.key as string, s.on])),
    breakers: new Map(breakers.map((b) => [b.name as string, b])),
    jobs: new Map(jobs.map((j) => [j.name, { status: j.status as string, lastSuccessAt: j.lastSuccessAt?.toISOString() ?? null }])),
  };
}
