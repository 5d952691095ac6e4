import { purgeExpiredTrash } from "@/lib/projects/actions";
import { DependencyDownError } from "@/lib/breakers";
import { defineJob } from "@/lib/jobs";
import { findDueDeletions, purgeDueAccount } from "./actions";
import { addDays, trashRetentionDays } from "./policy";
import { systemRequest } from "./system";

// Empties every trash of projects older than the declared period (RETENTION_POLICIES "trash").
export const trashPurgeJob = defineJob({
  name: "trash_purge",
  schedule: "15 3 * * *",
  killSwitch: "job_trash_purge",
  dependsOn: [],
  timeBudgetMs: 20_000,
  batchSize: 200,
  maxAttempts: 3,
  run: async (ctx) => {
    const before = addDays(ctx.now, -trashRetentionDays());
    while (ctx.hasTime()) {
      const result = await purgeExpiredTrash.run({ before, limit: ctx.batchSize }, systemRequest());
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
export const deletionPurgeJob = defineJob({
  name: "deletion_purge",
  schedule: "30 3 * * *",
  killSwitch: "job_deletion_purge",
  dependsOn: ["payments"],
  timeBudgetMs: 20_000,
  batchSize: 50,
  maxAttempts: 3,
  run: async (ctx) => {
    while (ctx.hasTime()) {
      const due = await findDueDeletions(ctx.db, ctx.now, ctx.batchSize);
      if (due.length === 0) return;
      let progressed = 0;
      await ctx.forEachItem(due, async (userId) => {
        const result = await purgeDueAccount.run({ userId, now: ctx.now }, systemRequest());
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
