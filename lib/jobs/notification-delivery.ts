import { and, asc, eq, gt, or } from "drizzle-orm";
import { notifications } from "@/db/schema";
import { deliverNotifications } from "@/lib/notifications";
import { defineJob } from "./define";

/**
 * Retries queued notifications (the outbox) that were not delivered right
 * after their commit. Each batch goes through the email breaker; a batch
 * where nothing got through ends the run instead of hammering the provider.
 */
export const notificationDeliveryJob = defineJob({
  name: "notification_delivery",
  schedule: "*/10 * * * *",
  killSwitch: "job_notification_delivery",
  dependsOn: ["email"],
  timeBudgetMs: 30_000,
  batchSize: 50,
  maxAttempts: 1,
  run: async (ctx) => {
    let after: { createdAt: Date; id: string } | null = null;
    while (ctx.hasTime()) {
      const batch = await ctx.db
        .select({ id: notifications.id, createdAt: notifications.createdAt })
        .from(notifications)
        .where(
          and(
            eq(notifications.status, "queued"),
            after ? or(gt(notifications.createdAt, after.createdAt), and(eq(notifications.createdAt, after.createdAt), gt(notifications.id, after.id))) : undefined,
          ),
        )
        .orderBy(asc(notifications.createdAt), asc(notifications.id))
        .limit(ctx.batchSize);
      if (batch.length === 0) return;
      after = batch.at(-1)!;
      const { sent, failed } = await deliverNotifications(batch.map((n) => n.id));
      ctx.counts.processed += sent;
      ctx.counts.failed += failed;
      ctx.counts.skipped += batch.length - sent - failed;
      if (sent === 0 || batch.length < ctx.batchSize) return;
    }
  },
});
