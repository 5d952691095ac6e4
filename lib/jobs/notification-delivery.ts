import "server-only";
import { reconcileAlerts } from "@/lib/alerts";
import { deliverQueued, expireSendLeases, unconfirmedCount } from "@/lib/notifications";
import { defineJob } from "./define";

/**
 * Delivers queued notifications (the outbox) that were not delivered right
 * after their commit. Each batch is claimed first (`FOR UPDATE SKIP LOCKED`
 * under a lease), so a duplicate cron delivery, a second instance or the
 * after-commit delivery never send the same row twice; each send goes
 * through the email breaker with the notification id as its idempotency
 * key. A batch where nothing got through ends the run instead of hammering
 * the provider. Sends that timed out, or whose sender died mid-send, are held
 * as unconfirmed, never resent blindly, and kept in an open alert.
 */
// INCIDENT: emails are not arriving: notification_delivery failing or the email breaker open.
// FAILURE MODE: notifications stay queued; sends that timed out are held as unconfirmed (open alert), never resent blindly.
// SAFE TO RETRY: yes; each row is claimed before it is sent and its id is the provider's idempotency key.
// OPERATOR ACTION: runbook email-provider-down.
export const notificationDeliveryJob = defineJob("notification_delivery", {
  timeBudgetMs: 30_000,
  batchSize: 50,
  maxAttempts: 1,
  run: async (ctx) => {
    await expireSendLeases();
    while (ctx.hasTime()) {
      const { sent, failed, unconfirmed, claimed } = await deliverQueued(ctx.batchSize);
      ctx.counts.processed += sent;
      ctx.counts.failed += failed + unconfirmed;
      ctx.counts.skipped += claimed - sent - failed - unconfirmed;
      if (claimed === 0 || sent === 0 || claimed < ctx.batchSize) break;
    }
    const held = await unconfirmedCount();
    await reconcileAlerts(
      ctx.db,
      "notifications",
      held > 0
        ? [
            {
              dedupKey: "notifications_unconfirmed",
              source: "notifications",
              severity: "ticket",
              title: `${held} notification${held === 1 ? "" : "s"} may or may not have been sent`,
              detail: "Their send timed out or was cut off. They are not resent automatically (that could send them twice): check the provider's log, then resend or drop them.",
              runbook: "email-provider-down",
            },
          ]
        : [],
      ctx.now,
    );
  },
});
