import { defineJob } from "@/lib/jobs";
import { applyAuditRetentionAction } from "./actions";
import { anchorAuditChain } from "./anchor";

/**
 * Daily: removes audit events past their category's retention through the
 * guarded (and itself audited) retention action, leaving signed checkpoints
 * so the remaining chain verifies. Idempotent: a second run finds nothing due.
 */
// INCIDENT: audit_retention fails, or the chain fails verification after a run.
// FAILURE MODE: events past retention are kept longer; removal goes through the guarded retention action, which leaves signed checkpoints.
// SAFE TO RETRY: yes; a second run finds nothing due.
// OPERATOR ACTION: runbook audit-chain-broken.
export const auditRetentionJob = defineJob("audit_retention", {
  timeBudgetMs: 30_000,
  batchSize: 1,
  maxAttempts: 2,
  run: async (ctx) => {
    const result = await applyAuditRetentionAction.run({ now: ctx.now }, ctx.request);
    if (!result.ok) throw new Error(`audit retention refused: ${result.code}: ${result.message}`);
    ctx.counts.processed += result.data.removed;
  },
});

/**
 * Every minute: checks the events appended since the last anchor and, when
 * they extend it, writes the new chain heads to the vault (lib/audit/anchor.ts).
 * Writes nothing to the application's data, so it is not a guarded action.
 * A head that does not extend the last anchor raises an alert and fails the
 * run; the last good anchor stays the one verify checks against.
 */
// INCIDENT: the chain heads do not extend the last anchor (audit_chain_broken alert), or the vault is unreachable.
// FAILURE MODE: the run fails and raises an alert; the last good anchor stays the one verify checks against.
// SAFE TO RETRY: yes; it writes nothing to the application's data.
// OPERATOR ACTION: runbook audit-chain-broken.
export const auditAnchorJob = defineJob("audit_anchor", {
  timeBudgetMs: 20_000,
  batchSize: 1,
  maxAttempts: 1,
  run: async (ctx) => {
    const outcome = await anchorAuditChain(ctx.db, ctx.now);
    if (outcome.status === "broken") throw new Error(`audit chain not anchored: ${outcome.detail}`);
    ctx.counts.processed += outcome.checked;
    if (outcome.status === "unchanged") ctx.counts.skipped += 1;
  },
});
