import { defineJob } from "@/lib/jobs";
import { reconcileDerivedAlerts } from "./conditions";
import { deliverDue, planDeliveries } from "./delivery";

/**
 * Once a minute: turn conditions recorded elsewhere into alerts (and clear
 * them), then tell each configured destination what changed. Whatever any
 * capability raised into `alerts` goes out here too (a missed job, a
 * limiter outage…): delivery reads the table, not a list of sources.
 */
// INCIDENT: nobody is being paged: alert_delivery is missed or failing.
// FAILURE MODE: alerts are still recorded in the alerts table, but not delivered; /admin/alerts shows the deliveries pending.
// SAFE TO RETRY: yes; it delivers what is pending and re-evaluates conditions, both idempotent.
// OPERATOR ACTION: runbook alert-delivery.
export const alertDeliveryJob = defineJob("alert_delivery", {
  timeBudgetMs: 30_000,
  batchSize: 100,
  maxAttempts: 1,
  run: async (ctx) => {
    await reconcileDerivedAlerts(ctx.db, ctx.now);
    await planDeliveries(ctx.db, ctx.now);
    const { sent, failed, waiting } = await deliverDue(ctx.db, ctx.now, ctx.batchSize);
    ctx.counts.processed += sent;
    ctx.counts.failed += failed;
    ctx.counts.skipped += waiting;
  },
});
