import "server-only";
import { and, desc, eq, inArray, lt } from "drizzle-orm";
import { getDb } from "@/lib/database";
import { jobRuns, type JobRun } from "@/db/schema";
import { cronIntervalMs } from "./cron";
import type { JobSchedule } from "./declarations";

export type JobHealth = {
  name: string;
  schedule: string;
  /**
   * ok | missed (no successful run within interval × tolerance) | timed_out (a run never finished) |
   * unknown (never ran: nothing shows it works, so it does not count as healthy)
   */
  status: "ok" | "missed" | "timed_out" | "unknown";
  lastRun: JobRun | null;
  lastSuccessAt: Date | null;
  expectedIntervalMs: number;
  /** The runbook the job declares for when it fails. */
  runbook: string;
};

/**
 * The dead-man's switch for the given jobs. Needs only their declarations
 * (name, schedule, tolerance), so status reads can judge every job without
 * loading job code.
 */
export async function healthOfJobs(jobs: readonly JobSchedule[], now = new Date()): Promise<JobHealth[]> {
  const db = await getDb();
  return Promise.all(
    jobs.map(async (job) => {
      const expectedIntervalMs = cronIntervalMs(job.schedule);
      const [lastRun] = await db.select().from(jobRuns).where(eq(jobRuns.job, job.name)).orderBy(desc(jobRuns.startedAt)).limit(1);
      const [lastSuccess] = await db
        .select({ startedAt: jobRuns.startedAt })
        .from(jobRuns)
        .where(and(eq(jobRuns.job, job.name), inArray(jobRuns.status, ["succeeded", "partial"])))
        .orderBy(desc(jobRuns.startedAt))
        .limit(1);
      const [stuck] = await db
        .select({ id: jobRuns.id })
        .from(jobRuns)
        .where(and(eq(jobRuns.job, job.name), eq(jobRuns.status, "running"), lt(jobRuns.deadlineAt, now)))
        .limit(1);
      const tolerance = job.missedTolerance ?? 1.5;
      let status: JobHealth["status"] = "ok";
      // A first run still within its deadline has not missed anything yet (the uptime job samples during its own first run).
      const firstRunInProgress = !lastSuccess && lastRun?.status === "running" && lastRun.deadlineAt >= now;
      if (stuck) status = "timed_out";
      else if (!lastRun || firstRunInProgress) status = "unknown";
      else if (!lastSuccess || now.getTime() - lastSuccess.startedAt.getTime() > expectedIntervalMs * tolerance) status = "missed";
      return {
        name: job.name,
        schedule: job.schedule,
        status,
        lastRun: lastRun ?? null,
        lastSuccessAt: lastSuccess?.startedAt ?? null,
        expectedIntervalMs,
        runbook: job.runbook,
      };
    }),
  );
}

export async function recentRuns(limit = 50, job?: string): Promise<JobRun[]> {
  const db = await getDb();
  return db
    .select()
    .from(jobRuns)
    .where(job ? eq(jobRuns.job, job) : undefined)
    .orderBy(desc(jobRuns.startedAt))
    .limit(limit);
}
