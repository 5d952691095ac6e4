import type { Db } from "@/db/client";
import type { BreakerName } from "@/lib/breakers";

/** Counts a run reports; the runner records them in `job_runs`. */
export type JobCounts = { processed: number; failed: number; skipped: number };

export type ItemOutcome = "processed" | "skipped";

export type JobContext = {
  db: Db;
  runId: string;
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

export type JobDefinition = {
  name: string;
  /** Five-field cron expression in UTC, as written in vercel.json. */
  schedule: string;
  /** Kill switch key that must be on (`job_<name>`); `background_jobs` is always checked too. */
  killSwitch: string;
  /** Breakers this job needs; when any is open the run is recorded as skipped. */
  dependsOn: readonly BreakerName[];
  /** Wall-clock budget for one run; keep it under the platform's function timeout. */
  timeBudgetMs: number;
  batchSize: number;
  /** Per-item attempts within one run (>= 1). */
  maxAttempts: number;
  /** A run missing this many expected intervals counts as "missed" (default 1.5). */
  missedTolerance?: number;
  run: (ctx: JobContext) => Promise<JobRunReturn>;
};

const registry = new Map<string, JobDefinition>();

/** Declares a job. Call at module top level from a file imported by lib/jobs/catalogue.ts. */
export function defineJob(definition: JobDefinition): JobDefinition {
  if (!/^[a-z][a-z0-9_]*$/.test(definition.name)) throw new Error(`Bad job name "${definition.name}"`);
  if (definition.killSwitch !== `job_${definition.name}`) throw new Error(`Job ${definition.name}: killSwitch must be "job_${definition.name}"`);
  if (definition.maxAttempts < 1 || definition.batchSize < 1 || definition.timeBudgetMs < 1) {
    throw new Error(`Job ${definition.name}: batchSize, maxAttempts and timeBudgetMs must be positive`);
  }
  registry.set(definition.name, definition);
  return definition;
}

/** Jobs registered so far in this process (import lib/jobs/catalogue first, or use `loadJobs`). */
export function registeredJobs(): JobDefinition[] {
  return [...registry.values()].sort((a, b) => a.name.localeCompare(b.name));
}
