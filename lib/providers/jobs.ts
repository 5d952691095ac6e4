import { defineJob } from "@/lib/jobs";
import { reconcilePayments } from "./actions";

/** Hourly: the provider's charges against our invoices (see reconcilePayments). */
// INCIDENT: invoice_reconciliation is missed or reports differences (invoice_reconciliation alert).
// FAILURE MODE: differences stay in an open alert until a run finds none; a failed run changes nothing.
// SAFE TO RETRY: yes; it compares and reports, refunds go through reconciliation's idempotent path.
// OPERATOR ACTION: runbook billing-reconciliation.
export const invoiceReconciliationJob = defineJob("invoice_reconciliation", {
  timeBudgetMs: 50_000,
  batchSize: 1,
  maxAttempts: 1,
  run: async (ctx) => {
    const result = await reconcilePayments.run({ now: ctx.now.toISOString() }, ctx.request);
    if (!result.ok && result.code === "disabled") {
      ctx.counts.skipped += 1;
      return;
    }
    if (!result.ok) throw new Error(`reconciliation: ${result.code} ${result.message}`);
    ctx.counts.processed += result.data.compared;
    ctx.counts.failed += result.data.open;
  },
});
