import "server-only";
import { setTimeout as sleep } from "node:timers/promises";
import { and, eq, isNull, lt, or } from "drizzle-orm";
import { getDb, isDatabaseUnavailable } from "@/lib/database";
import { jobRuns, jobState, type JobRun } from "@/db/schema";
import { isBreakerOpen, isDependencyDown, type DependencyDownError } from "@/lib/breakers";
import { checkKillSwitch, isKillSwitch } from "@/lib/flags";
import { currentMaintenance } from "@/lib/maintenance";
import { logger, withCronCheckIn } from "@/lib/observability";
import { systemContext } from "@/lib/safety";
import type { JobContext, JobCounts, JobDefinition } from "./define";

/** What started a run: Vercel cron, the dev command's local scheduler (same route, same secret), a person, or a test. */
export type RunTrigger = "cron" | "local_scheduler" | "manual" | "test";
export type RunOptions = { trigger: RunTrigger; now?: Date };

/** A run that has not finished by then counts as timed out. */
export function maxRuntimeMs(job: JobDefinition): number {
  return job.timeBudgetMs * 2;
}

/**
 * The overlap lock is a lease the running instance renews: an instance killed
 * mid-run (kill -9, a crashed container) stops renewing it, and the next
 * delivery takes over within the lease instead of waiting out the whole
 * runtime allowance. Work items are idempotent, so a takeover duplicates nothing.
 */
export const LOCK_LEASE_MS = 15_000;
const LEASE_RENEW_MS = 5_000;

/**
 * Runs one job once: kill switches, breaker dependencies, the overlap lock,
 * bounded batches within the time budget, and a `job_runs` row either way.
 * Safe under duplicate delivery: the second concurrent call is recorded as skipped.
 * A scheduled run is also a Sentry Crons check-in (monitor = the job's name,
 * its declared schedule), so a job that stops running or fails alerts there
 * too; a failed run is an error check-in though it throws nothing.
 */
export async function runJob(job: JobDefinition, options: RunOptions): Promise<JobRun> {
  // A manual or test run between two deliveries would tell Sentry the schedule was kept when it was not.
  if (options.trigger !== "cron" && options.trigger !== "local_scheduler") return runOnce(job, options);
  const schedule = { crontab: job.schedule, maxRuntimeMinutes: Math.ceil(maxRuntimeMs(job) / 60_000) };
  return withCronCheckIn(job.name, schedule, () => runOnce(job, options), (run) => run.status === "failed");
}

async function runOnce(job: JobDefinition, options: RunOptions): Promise<JobRun> {
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

  // INCIDENT: the app is in read-only maintenance (a database restore in progress).
  // FAILURE MODE: every job, the uptime monitor included, is recorded as skipped ("skipped: maintenance"); HTTP 200 to cron; the work stays due.
  // SAFE TO RETRY: yes; the first run after maintenance ends picks the work up.
  // OPERATOR ACTION: runbook database-backup-restore.
  if ((await currentMaintenance()).active) return skip("skipped: maintenance");
  // INCIDENT: background work must stop (a job misbehaves, or what it depends on is down).
  // FAILURE MODE: with background_jobs off every run is recorded as skipped; with a job's own switch off only that job is; the work stays due.
  // SAFE TO RETRY: yes; jobs choose their work by state, so the first run after switching back on picks it up.
  // OPERATOR ACTION: runbook cron-backlog.
  if (!job.watchesWhilePaused && !(await checkKillSwitch("background_jobs"))) return skip("kill switch background_jobs is off");
  if (!(await checkKillSwitch(job.killSwitch))) return skip(`kill switch ${job.killSwitch} is off`);
  for (const product of job.pausedBy) {
    if (!isKillSwitch(product)) throw new Error(`Job ${job.name} is paused by "${product}", which is not a declared kill switch`);
    // INCIDENT: a product is switched off (payments, notifications) while jobs that use it are due.
    // FAILURE MODE: the run is recorded as skipped with the product's name; HTTP 200 to cron; the work stays due.
    // SAFE TO RETRY: yes; the first run after the switch is back on picks it up.
    // OPERATOR ACTION: runbook cron-backlog.
    if (!(await checkKillSwitch(product))) return skip(`skipped: ${product} paused`);
  }
  for (const dependency of job.dependsOn) {
    if (await isBreakerOpen(dependency)) return skip(`breaker ${dependency} is open`);
  }

  const runId = crypto.randomUUID();
  // The run's own clock: tests pass a fixed `now`, and the lease must follow it.
  const startedReally = Date.now();
  const runClock = () => new Date(started.getTime() + (Date.now() - startedReally));
  await db.insert(jobState).values({ job: job.name }).onConflictDoNothing();
  // The lock is a conditional UPDATE: of two overlapping deliveries exactly one gets the row.
  const [lock] = await db
    .update(jobState)
    .set({ lockedBy: runId, lockedUntil: new Date(started.getTime() + LOCK_LEASE_MS) })
    .where(and(eq(jobState.job, job.name), or(isNull(jobState.lockedUntil), lt(jobState.lockedUntil, started))))
    .returning({ cursor: jobState.cursor });
  if (!lock) return skip("another run is in progress");
  // Holding the lock, any other run of this job still marked running is dead (its lease lapsed): close its row so the history says so.
  await db
    .update(jobRuns)
    .set({ status: "failed", error: "timed out: the run never finished" })
    .where(and(eq(jobRuns.job, job.name), eq(jobRuns.status, "running")));

  await db.insert(jobRuns).values({ id: runId, job: job.name, trigger: options.trigger, status: "running", startedAt: started, deadlineAt });
  let leaseLost = false;
  const renewLease = setInterval(() => {
    void db
      .update(jobState)
      .set({ lockedUntil: new Date(runClock().getTime() + LOCK_LEASE_MS) })
      .where(and(eq(jobState.job, job.name), eq(jobState.lockedBy, runId)))
      .returning({ job: jobState.job })
      .then((rows) => {
        // Taken over (this instance stalled past its lease): stop taking new work; items already done are idempotent.
        if (rows.length === 0) leaseLost = true;
      })
      .catch((error: unknown) => logger.warn({ err: error, job: job.name, runId }, "could not renew the job lease"));
  }, LEASE_RENEW_MS);
  renewLease.unref();
  const budgetEnds = Date.now() + job.timeBudgetMs;
  const hasTime = () => Date.now() < budgetEnds && !leaseLost;
  const counts: JobCounts = { processed: 0, failed: 0, skipped: 0 };
  const errors: string[] = [];

  const ctx: JobContext = {
    db,
    runId,
    request: systemContext(`cron:${job.name}`, { requestId: `job:${runId}` }),
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
            if (isDependencyDown(error)) {
              // The dependency is down: hammering it item by item would only make it worse.
              counts.skipped += items.length - i;
              throw stopBatch(error);
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
    const stoppedBy = dependencyThatStopped(thrown);
    if (stoppedBy) {
      // Not a failure of the job: it stopped on purpose, and the rest is still due for the next run.
      status = "stopped";
      error = `stopped: ${stoppedBy} is unavailable`;
    } else {
      status = "failed";
      error = thrown instanceof Error ? thrown.message : String(thrown);
      logger.error({ err: thrown, job: job.name, runId }, "job failed");
    }
  } finally {
    clearInterval(renewLease);
  }
  if (status === "succeeded" && counts.failed > 0) status = counts.processed > 0 ? "partial" : "failed";
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

/** Recognised by a process-wide brand, like every error we classify: job code and the runner may come from different bundles. */
const STOP_BATCH = Symbol.for("breakwater.stop-batch");

/** Which dependency a dependency-down error names: a provider's breaker, or the database itself. */
function dependencyOf(error: DependencyDownError): string {
  const named = (error as { dependency?: unknown }).dependency;
  return typeof named === "string" ? named : isDatabaseUnavailable(error) ? "the database" : "a dependency";
}

function stopBatch(cause: DependencyDownError): Error {
  const dependency = dependencyOf(cause);
  return Object.defineProperty(new Error(`stopped: ${dependency} is unavailable`, { cause }), STOP_BATCH, { value: dependency });
}

/** The dependency that stopped the run: a batch stopped by `forEachItem`, or a dependency-down error thrown by the job itself. */
function dependencyThatStopped(error: unknown): string | null {
  const dependency = error && typeof error === "object" ? (error as Record<symbol, unknown>)[STOP_BATCH] : undefined;
  if (typeof dependency === "string") return dependency;
  return isDependencyDown(error) ? dependencyOf(error) : null;
}
