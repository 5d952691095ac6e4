import { and, eq, inArray } from "drizzle-orm";
import { getDb, type Executor } from "@/db/client";
import { notifications, users } from "@/db/schema";
import { callThroughBreaker } from "@/lib/breakers";
import { checkKillSwitch } from "@/lib/flags";
import { logger } from "@/lib/observability/logger";
import { providers } from "@/lib/providers";

export type NotificationInput = { userId: string | null; to: string; template: string; subject: string; body: string };

/** Queues an email in the caller's transaction (transactional outbox): no commit, no email. */
export async function queueNotification(tx: Executor, n: NotificationInput): Promise<string> {
  const [row] = await tx
    .insert(notifications)
    .values({ userId: n.userId, toEmail: n.to, template: n.template, subject: n.subject, body: n.body })
    .returning({ id: notifications.id });
  return row!.id;
}

/**
 * A paused or closing account gets no mail (deactivation means "notifications
 * stop"), except the messages about the account itself and security notices.
 */
const SENT_WHATEVER_THE_ACCOUNT_STATE = new Set(["deletion_receipt", "impersonation_started"]);

/**
 * Sends queued notifications through the email breaker. Failures stay
 * queued for the delivery job to retry; nothing is lost, nothing throws.
 */
export async function deliverNotifications(ids: string[]): Promise<{ sent: number; failed: number }> {
  if (ids.length === 0 || !(await checkKillSwitch("notifications"))) return { sent: 0, failed: 0 };
  const db = await getDb();
  const pending = await db
    .select({ id: notifications.id, toEmail: notifications.toEmail, subject: notifications.subject, body: notifications.body, template: notifications.template, userStatus: users.status })
    .from(notifications)
    .leftJoin(users, eq(users.id, notifications.userId))
    .where(and(inArray(notifications.id, ids), eq(notifications.status, "queued")));
  let sent = 0;
  let failed = 0;
  for (const n of pending) {
    if (n.userStatus && n.userStatus !== "active" && !SENT_WHATEVER_THE_ACCOUNT_STATE.has(n.template)) {
      await db.update(notifications).set({ status: "failed", lastError: `suppressed: account ${n.userStatus}` }).where(eq(notifications.id, n.id));
      continue;
    }
    try {
      await callThroughBreaker("email", () => providers.email.send({ to: n.toEmail, subject: n.subject, text: n.body }));
      await db.update(notifications).set({ status: "sent", sentAt: new Date(), lastError: null }).where(eq(notifications.id, n.id));
      sent++;
    } catch (error) {
      failed++;
      logger.warn({ err: error, notificationId: n.id }, "notification delivery failed; left queued");
      await db.update(notifications).set({ lastError: String(error) }).where(eq(notifications.id, n.id));
    }
  }
  return { sent, failed };
}
