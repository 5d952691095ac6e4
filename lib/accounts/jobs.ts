import { purgeExpiredTrash } from "@/lib/projects/actions";
import { DependencyDownError } from "@/lib/breakers";
import { defineJob } from "@/lib/jobs";
import { findDueDeletions, purgeDueAccount } from "./actions";
import { addDays, trashRetentionDays } from "./policy";

// Empties every trash of projects older than the declared period (RETENTION_POLICIES "trash").
// INCIDENT: trash_purge fails or stops running (job_missed alert, /admin/jobs).
// FAILURE MODE: expired trash is kept past its retention period; nothing else is affected.
// SAFE TO RETRY: yes; work is chosen by age, so a rerun only finds what is still due.
// OPERATOR ACTION: runbook cron-backlog; then `npm run ops -- jobs run trash_purge`.
export const trashPurgeJob = defineJob("trash_purge", {
  timeBudgetMs: 20_000,
  batchSize: 200,
  maxAttempts: 3,
  run: async (ctx) => {
    const before = addDays(ctx.now, -trashRetentionDays());
    while (ctx.hasTime()) {
      const result = await purgeExpiredTrash.run({ before, limit: ctx.batchSize }, ctx.request);
      if (!result.ok) {
        ctx.counts.failed++;
        throw new Error(`trash purge failed: ${result.code} ${result.message}`);
      }
      ctx.counts.processed += result.data.purged;
      if (result.data.purged < ctx.batchSize) return;
    }
  },
});

// Purges accounts whose deletion grace period is over (legal holds excluded), one transaction per account.
// INCIDENT: accounts past their deletion grace period are not purged (job failing, or the payments breaker open).
// FAILURE MODE: one transaction per account, after its subscription is cancelled at the provider; a failure leaves that account for the next run.
// SAFE TO RETRY: yes; due accounts are chosen by state and a purged account is no longer due.
// OPERATOR ACTION: runbook account-deletion-erasure.
export const deletionPurgeJob = defineJob("deletion_purge", {
  timeBudgetMs: 20_000,
  batchSize: 50,
  maxAttempts: 3,
  run: async (ctx) => {
    while (ctx.hasTime()) {
      const due = await findDueDeletions(ctx.db, ctx.now, ctx.batchSize);
      if (due.length === 0) return;
      let progressed = 0;
      await ctx.forEachItem(due, async (userId) => {
        const result = await purgeDueAccount.run({ userId, now: ctx.now }, ctx.request);
        if (result.ok) {
          progressed++;
          return "processed";
        }
        if (result.code === "dependency_down") throw new DependencyDownError("payments", new Error(result.message));
        if (result.code === "conflict" || result.code === "not_found") return "skipped";
        throw new Error(`purge failed: ${result.code} ${result.message}`);
      });
      // Nothing moved (all skipped or failed): stop instead of spinning on the same rows.
      if (progressed === 0 || due.length < ctx.batchSize) return;
    }
  },
});
