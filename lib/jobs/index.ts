/**
 * Background jobs (Vercel cron → /api/cron/[job]).
 *
 * Declare a job with `defineJob` in your capability's `jobs.ts`, then add one
 * import line for that file to lib/jobs/catalogue.ts:
 *
 *   export const trashPurge = defineJob({
 *     name: "trash_purge", schedule: "0 3 * * *", killSwitch: "job_trash_purge",
 *     dependsOn: [], timeBudgetMs: 20_000, batchSize: 100, maxAttempts: 3,
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
 *   kill switch or the job's own `job_<name>` switch is off, or when a breaker
 *   in `dependsOn` is open.
 * - A lock (one row per job, with an expiry of the time budget × 2) stops
 *   overlapping runs; a second delivery while one runs is recorded as `skipped`.
 * - Work in bounded batches of `batchSize` while `ctx.hasTime()`; select work
 *   by state ("still due") so whatever is left is picked up next run. For
 *   ordered scans, return `{ cursor }` and read `ctx.cursor` next time.
 * - `ctx.forEachItem` retries each item up to `maxAttempts` with backoff and
 *   counts processed/failed/skipped; a DependencyDownError stops the batch
 *   (rest skipped, retried next run). You may also bump `ctx.counts` yourself.
 * - Each item's work must be idempotent (Vercel may deliver a cron twice)
 *   and data changes should go through `defineAction(...).run(...)` with
 *   `systemContext` so they are guarded and audited.
 * - The run row records start, end, status (succeeded | partial | failed |
 *   skipped), counts and error. /admin/jobs and /api/health flag a job as
 *   "missed" when no successful run happened within its cron interval ×
 *   `missedTolerance`, and a run as "timed_out" when it never finished.
 */
export { defineJob, registeredJobs, type JobContext, type JobCounts, type JobDefinition, type JobRunReturn, type ItemOutcome } from "./define";
