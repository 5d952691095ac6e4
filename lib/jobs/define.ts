import type { Db } from "@/lib/database";
import type { BreakerName } from "@/lib/breakers";
import type { RequestContext } from "@/lib/safety";
import { JOB_DECLARATIONS, jobKillSwitchKey, type JobDeclaration, type JobName } from "./declarations";

/** Counts a run reports; the runner records them in `job_runs`. */
export type JobCounts = { processed: number; failed: number; skipped: number };

export type ItemOutcome = "processed" | "skipped";

export type JobContext = {
  db: Db;
  runId: string;
  /** Who the run acts as in guarded procedures: the system principal `cron:<job name>`. */
  request: RequestContext;
  /** The run's clock; tests pass a fixed one. */
  now: Date;
  batchSize: number;
  maxAttempts: number;
  /** Where the previous run stopped (whatever it returned as `cursor`), or null on a fresh start. */
  cursor: string | null;
  /** False once the time budget is (nearly) spent: stop taking new batches and return. */
  hasTime: () => boolean;
  /** Mutable counters; `forEachItem` updates them for you. */
  counts: JobCounts;
  /**
   * Runs `work` for each item with bounded retries and exponential backoff
   * (maxAttempts, 100 ms × 2^n, never past the time budget). A thrown
   * DependencyDownError stops the batch: the rest are counted skipped and
   * left for the next run. Return "skipped" from `work` to count an item skipped.
   */
  forEachItem: <T>(items: readonly T[], work: (item: T) => Promise<ItemOutcome | void>) => Promise<void>;
};

/** What `run` may return: a cursor to resume from next run (null = start over next time). */
export type JobRunReturn = void | { cursor?: string | null };

/** How a job does its work: the part written next to the code, in the owning capability's jobs.ts. */
export type JobImplementation = {
  /** Wall-clock budget for one run; keep it under the platform's function timeout. */
  timeBudgetMs: number;
  batchSize: number;
  /** Per-item attempts within one run (>= 1). */
  maxAttempts: number;
  /** A run missing this many expected intervals counts as "missed" (default 1.5). */
  missedTolerance?: number;
  run: (ctx: JobContext) => Promise<JobRunReturn>;
};

/** A whole job: its declaration (lib/jobs/declarations.ts) and its implementation. A plain object; nothing is registered anywhere. */
export type JobDefinition<N extends JobName = JobName> = JobImplementation & {
  name: N;
  /** Five-field cron expression in UTC, as written in vercel.json. */
  schedule: string;
  /** The job's own kill switch, which must be on; `background_jobs` is always checked too. */
  killSwitch: `job_${N}`;
  /** Breakers this job needs; when any is open the run is recorded as skipped. */
  dependsOn: readonly BreakerName[];
  /** Slug of the runbook to open when this job fails. */
  runbook: string;
  /** Product kill switches that pause this job (recorded as a skipped run while any is off). */
  pausedBy: readonly string[];
  /** Keeps running while `background_jobs` is off (the monitor that notices the pause). */
  watchesWhilePaused: boolean;
};

/**
 * A job: the declared schedule, breakers, kill switch and runbook of `name`
 * joined with the code that runs it. Returns the definition; list it in
 * lib/jobs/registry.ts so the runner, cron route and health checks see it.
 */
export function defineJob<N extends JobName>(name: N, implementation: JobImplementation): JobDefinition<N> {
  const declaration: JobDeclaration = JOB_DECLARATIONS[name];
  const { schedule, dependsOn, runbook } = declaration;
  if (implementation.maxAttempts < 1 || implementation.batchSize < 1 || implementation.timeBudgetMs < 1) {
    throw new Error(`Job ${name}: batchSize, maxAttempts and timeBudgetMs must be positive`);
  }
  return {
    name,
    schedule,
    killSwitch: jobKillSwitchKey(name),
    dependsOn,
    runbook,
    pausedBy: declaration.pausedBy ?? [],
    watchesWhilePaused: declaration.watchesWhilePaused ?? false,
    ...implementation,
  };
}
