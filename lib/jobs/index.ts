/**
 * Background jobs (Vercel cron → /api/cron/[job]; under `npm run dev` a local
 * scheduler, scripts/lib/local-scheduler.ts, calls the same route the same way).
 *
 * A job has two halves. Its declaration — schedule, the breakers it needs,
 * its own kill switch (`job_<name>`, with a description and what to assume
 * when the flag store was never reached) and the runbook to open when it
 * fails — is data in lib/jobs/declarations.ts, where lib/flags can read it.
 * Its code is `defineJob(name, …)` in the owning capability's jobs.ts, listed
 * with one line in lib/jobs/registry.ts:
 *
 *   export const trashPurgeJob = defineJob("trash_purge", {
 *     timeBudgetMs: 20_000, batchSize: 100, maxAttempts: 3,
 *     run: async (ctx) => {
 *       while (ctx.hasTime()) {
 *         const batch = await findDue(ctx.db, ctx.now, ctx.batchSize); // at most batchSize rows
 *         if (batch.length === 0) return;                              // all caught up
 *         await ctx.forEachItem(batch, async (row) => { await purge(ctx.db, row); });
 *         if (batch.length < ctx.batchSize) return;
 *       }
 *       // out of time: the rest is still "due", so the next run picks it up
 *     },
 *   });
 *
 * How a run works (lib/jobs/runner.ts):
 * - Skipped and recorded as `skipped` in `job_runs` when the `background_jobs`
 *   kill switch (except for the uptime monitor, `watchesWhilePaused`) or the
 *   job's own `job_<name>` switch is off, when a product switch in `pausedBy`
 *   is off ("skipped: payments paused"), or when a breaker in `dependsOn` is open.
 * - A lock (one row per job) stops overlapping runs; a second delivery while
 *   one runs is recorded as `skipped`. The lock is a lease the run renews
 *   every few seconds, so a run killed mid-way is taken over within 15 s.
 * - Work in bounded batches of `batchSize` while `ctx.hasTime()`; select work
 *   by state ("still due") so whatever is left is picked up next run. For
 *   ordered scans, return `{ cursor }` and read `ctx.cursor` next time.
 * - `ctx.forEachItem` retries each item up to `maxAttempts` with backoff and
 *   counts processed/failed/skipped; a DependencyDownError stops the batch
 *   (rest skipped, retried next run) and the run is recorded as `stopped`.
 *   You may also bump `ctx.counts` yourself.
 * - Each item's work must be idempotent (Vercel may deliver a cron twice)
 *   and data changes should go through `defineAction(...).run(...)` with
 *   `systemContext` so they are guarded and audited.
 * - The run row records start, end, status (succeeded | partial | failed |
 *   skipped | stopped), counts and error. /admin/jobs and /api/health flag a
 *   job as "missed" when no successful run happened within its cron interval
 *   × `missedTolerance`, a run as "timed_out" when it never finished, and a
 *   job that never ran as "unknown" (not healthy). Missed jobs raise an alert
 *   and draft an incident (lib/status).
 */
export { defineJob, type ItemOutcome, type JobContext, type JobCounts, type JobDefinition, type JobImplementation, type JobRunReturn } from "./define";
export {
  DECLARED_JOBS,
  isJobName,
  JOB_DECLARATIONS,
  JOB_KILL_SWITCHES,
  JOB_NAMES,
  jobKillSwitchKey,
  type JobDeclaration,
  type JobKillSwitchDeclaration,
  type JobKillSwitchKey,
  type JobName,
  type JobSchedule,
} from "./declarations";
export { healthOfJobs, type JobHealth } from "./health";
