import { defineJob } from "@/lib/jobs";
import { systemContext } from "@/lib/safety";
import { applyAuditRetentionAction } from "./actions";

/**
 * Daily: removes audit events past their category's retention through the
 * guarded (and itself audited) retention action, leaving signed checkpoints
 * so the remaining chain verifies. Idempotent: a second run finds nothing due.
 */
export const auditRetentionJob = defineJob({
  name: "audit_retention",
  schedule: "30 3 * * *",
  killSwitch: "job_audit_retention",
  dependsOn: [],
  timeBudgetMs: 30_000,
  batchSize: 1,
  maxAttempts: 2,
  run: async (ctx) => {
    const result = await applyAuditRetentionAction.run({ now: ctx.now }, systemContext());
    if (!result.ok) throw new Error(`audit retention refused: ${result.code}: ${result.message}`);
    ctx.counts.processed += result.data.removed;
  },
});
