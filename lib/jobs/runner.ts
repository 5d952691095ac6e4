import { setTimeout as sleep } from "node:timers/promises";
import { and, desc, eq, inArray, isNull, lt, or } from "drizzle-orm";
import { getDb } from "@/db/client";
import { jobRuns, jobState, type JobRun } from "@/db/schema";
import { DependencyDownError, isBreakerOpen } from "@/lib/breakers";
import { checkKillSwitch, jobKillSwitch } from "@/lib/flags";
import { logger } from "@/lib/observability/logger";
import { cronIntervalMs } from "./cron";
import { registeredJobs, type JobContext, type JobCounts, type JobDefinition } from "./define";

export type RunTrigger = "cron" | "manual" | "test";
export type RunOptions = { trigger: RunTrigger; now?: Date };

/** Loads every job through the catalogue (dynamically: job files import lib/jobs, so a static import would be a cycle). */
export async function loadJobs(): Promise<JobDefinition[]> {
  await import("./catalogue");
  return registeredJobs();
}

export async function findJob(name: string): Promise<JobDefinition | undefined> {
  return (await loadJobs()).find((j) => j.name === name);
}

/** A run that has not finished by then counts as timed out (and its lock may be taken over). */
export function maxRuntimeMs(job: JobDefinition): number {
  return job.timeBudgetMs * 2;
}


/**
 * Runs one job once: kill switches, breaker dependencies, the overlap lock,
 * bounded batches within the time budget, and a `job_runs` row either way.
 * Safe under duplicate delivery: the second concurrent call is recorded as skipped.
 */
export async function runJob(job: JobDefinition, options: RunOptions): Promise<JobRun> {
  const db = await getDb();
  const started = options.now ?? new Date();
  const deadlineAt = new Date(started.getTime() + maxRuntimeMs(job));
  const skip = async (reason: string) => {
    const [row] = await db
      .insert(jobRuns)
      .values({ job: job.name, trigger: options.trigger, status: "skipped", startedAt: started, finishedAt: new Date(), deadlineAt, error: reason })
      .returning();
    logger.info({ job: job.name, reason }, "job skipped");
    return row!;
  };

  if (!(await checkKillSwitch("background_jobs"))) return skip("kill switch background_jobs is off");
  if (!(await checkKillSwitch(jobKillSwitch(job.name)))) return skip(`kill switch ${job.killSwitch} is off`);
  for (const dependency of job.dependsOn) {
    if (await isBreakerOpen(dependency)) return skip(`breaker ${dependency} is open`);
  }

  const runId = crypto.randomUUID();
  await db.insert(jobState).values({ job: job.name }).onConflictDoNothing();
  // The lock is a conditional UPDATE: of two overlapping deliveries exactly one gets the row.
  const [lock] = await db
    .update(jobState)
    .set({ lockedBy: runId, lockedUntil: deadlineAt })
    .where(and(eq(jobState.job, job.name), or(isNull(jobState.lockedUntil), lt(jobState.lockedUntil, started))))
    .returning({ cursor: jobState.cursor });
  if (!lock) return skip("another run is in progress");
  // A run that outlived its deadline never finished: close its row so the history says so.
  await db
    .update(jobRuns)
    .set({ status: "failed", error: "timed out: the run never finished" })
    .where(and(eq(jobRuns.job, job.name), eq(jobRuns.status, "running"), lt(jobRuns.deadlineAt, started)));

  await db.insert(jobRuns).values({ id: runId, job: job.name, trigger: options.trigger, status: "running", startedAt: started, deadlineAt });
  const budgetEnds = Date.now() + job.timeBudgetMs;
  const hasTime = () => Date.now() < budgetEnds;
  const counts: JobCounts = { processed: 0, failed: 0, skipped: 0 };
  const errors: string[] = [];

  const ctx: JobContext = {
    db,
    runId,
    now: started,
    batchSize: job.batchSize,
    maxAttempts: job.maxAttempts,
    cursor: lock.cursor,
    hasTime,
    counts,
    forEachItem: async (items, work) => {
      for (let i = 0; i < items.length; i++) {
        const item = items[i]!;
        for (let attempt = 1; ; attempt++) {
          try {
            const outcome = await work(item);
            counts[outcome === "skipped" ? "skipped" : "processed"]++;
            break;
          } catch (error) {
            if (error instanceof DependencyDownError) {
              // The dependency is down: hammering it item by item would only make it worse.
              counts.skipped += items.length - i;
              throw new StopBatch(error);
            }
            const backoff = 100 * 2 ** (attempt - 1);
            if (attempt >= job.maxAttempts || Date.now() + backoff >= budgetEnds) {
              counts.failed++;
              errors.push(error instanceof Error ? error.message : String(error));
              logger.warn({ err: error, job: job.name, runId, attempt }, "job item failed");
              break;
            }
            await sleep(backoff);
          }
        }
      }
    },
  };

  let status: JobRun["status"] = "succeeded";
  let cursor = lock.cursor;
  let error: string | null = null;
  try {
    const returned = await job.run(ctx);
    if (returned && "cursor" in returned) cursor = returned.cursor ?? null;
  } catch (thrown) {
    if (thrown instanceof StopBatch) error = `stopped: ${thrown.cause.dependency} is unavailable`;
    else {
      status = "failed";
      error = thrown instanceof Error ? thrown.message : String(thrown);
      logger.error({ err: thrown, job: job.name, runId }, "job failed");
    }
  }
  if (status !== "failed" && (counts.failed > 0 || error)) status = counts.processed > 0 || counts.failed === 0 ? "partial" : "failed";
  error ??= errors.length > 0 ? errors.slice(0, 3).join("; ") : null;

  const [row] = await db
    .update(jobRuns)
    .set({ status, finishedAt: new Date(), ...counts, error })
    .where(eq(jobRuns.id, runId))
    .returning();
  await db.update(jobState).set({ lockedBy: null, lockedUntil: null, cursor }).where(and(eq(jobState.job, job.name), eq(jobState.lockedBy, runId)));
  logger.info({ job: job.name, runId, status, ...counts }, "job finished");
  return row!;
}

class StopBatch extends Error {
  constructor(override readonly cause: DependencyDownError) {
    super("stop batch");
  }
}

export type JobHealth = {
  name: string;
  schedule: string;
  /** ok | missed (no successful run within interval × tolerance) | timed_out (a run never finished) | never_run */
  status: "ok" | "missed" | "timed_out" | "never_run";
  lastRun: JobRun | null;
  lastSuccessAt: Date | null;
  expectedIntervalMs: number;
};

/** The dead-man's switch, for /admin/jobs and /api/health. */
export async function jobHealth(now = new Date()): Promise<JobHealth[]> {
  const db = await getDb();
  const jobs = await loadJobs();
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
      if (stuck) status = "timed_out";
      else if (!lastRun) status = "never_run";
      else if (!lastSuccess || now.getTime() - lastSuccess.startedAt.getTime() > expectedIntervalMs * tolerance) status = "missed";
      return { name: job.name, schedule: job.schedule, status, lastRun: lastRun ?? null, lastSuccessAt: lastSuccess?.startedAt ?? null, expectedIntervalMs };
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
