import "server-only";
import { and, asc, eq, inArray, lt, sql } from "drizzle-orm";
import { getDb, type Executor } from "@/lib/database";
import { notifications, users } from "@/db/schema";
import { callThroughBreaker } from "@/lib/breakers";
import { checkKillSwitch } from "@/lib/flags";
import { logger } from "@/lib/observability";
import { isProviderTimeout, providers } from "@/lib/providers";

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
const SENT_WHATEVER_THE_ACCOUNT_STATE = new Set(["deletion_receipt", "impersonation_started", "password_reset", "password_changed", "sign_up_existing"]);

/** How long a sender owns a claimed notification: longer than any send can take (the email breaker times out at 5 s). */
export const SEND_LEASE_MS = 60_000;

/**
 * Claims queued notifications for this sender: `FOR UPDATE SKIP LOCKED`
 * under a lease, so two senders (the after-commit delivery and the delivery
 * job, or two instances' jobs) never take the same row. `ids` limits the
 * claim to those rows; without it the oldest queued are taken.
 */
async function claim(db: Executor, options: { ids?: readonly string[]; limit: number }) {
  const claimable = db
    .select({ id: notifications.id })
    .from(notifications)
    .where(and(eq(notifications.status, "queued"), options.ids ? inArray(notifications.id, [...options.ids]) : undefined))
    .orderBy(asc(notifications.createdAt), asc(notifications.id))
    .limit(options.limit)
    .for("update", { skipLocked: true });
  const claimed = await db
    .update(notifications)
    .set({ status: "sending", leaseUntil: sql`now() + ${`${SEND_LEASE_MS} milliseconds`}::interval`, attempts: sql`${notifications.attempts} + 1` })
    .where(and(eq(notifications.status, "queued"), inArray(notifications.id, claimable)))
    .returning({ id: notifications.id });
  if (claimed.length === 0) return [];
  return db
    .select({ id: notifications.id, toEmail: notifications.toEmail, subject: notifications.subject, body: notifications.body, template: notifications.template, userStatus: users.status })
    .from(notifications)
    .leftJoin(users, eq(users.id, notifications.userId))
    .where(inArray(notifications.id, claimed.map((c) => c.id)))
    .orderBy(asc(notifications.createdAt), asc(notifications.id));
}

export type DeliveryCounts = { sent: number; failed: number; unconfirmed: number };

async function send(db: Executor, pending: Awaited<ReturnType<typeof claim>>): Promise<DeliveryCounts> {
  const counts: DeliveryCounts = { sent: 0, failed: 0, unconfirmed: 0 };
  for (const n of pending) {
    if (n.userStatus && n.userStatus !== "active" && !SENT_WHATEVER_THE_ACCOUNT_STATE.has(n.template)) {
      await db.update(notifications).set({ status: "failed", leaseUntil: null, lastError: `suppressed: account ${n.userStatus}` }).where(eq(notifications.id, n.id));
      continue;
    }
    try {
      // INCIDENT: the email provider is down or slow.
      // FAILURE MODE: a failed send stays queued for the delivery job; a timed-out one is held as unconfirmed and kept in an alert.
      // SAFE TO RETRY: yes for failures (the notification id is the provider's idempotency key); unconfirmed sends are not resent automatically.
      // OPERATOR ACTION: runbook email-provider-down.
      await callThroughBreaker("email", () => providers.email.send({ to: n.toEmail, subject: n.subject, text: n.body, idempotencyKey: n.id, template: n.template }));
      await db.update(notifications).set({ status: "sent", sentAt: new Date(), leaseUntil: null, lastError: null }).where(eq(notifications.id, n.id));
      counts.sent++;
    } catch (error) {
      if (isProviderTimeout(error)) {
        // It may have gone out: resending blindly could send it twice. Held for an operator (an alert says so).
        counts.unconfirmed++;
        logger.warn({ err: error, notificationId: n.id }, "notification send timed out; held as unconfirmed, not resent");
        await db.update(notifications).set({ status: "unconfirmed", leaseUntil: null, lastError: "the send timed out: it may have gone out, so it is not resent automatically" }).where(eq(notifications.id, n.id));
      } else {
        // Refused or never reached: nothing went out, so the delivery job retries it.
        counts.failed++;
        logger.warn({ err: error, notificationId: n.id }, "notification delivery failed; left queued");
        await db.update(notifications).set({ status: "queued", leaseUntil: null, lastError: String(error) }).where(eq(notifications.id, n.id));
      }
    }
  }
  return counts;
}

/**
 * Sends these queued notifications (right after the commit that queued them),
 * claiming each first; whatever another sender holds, or already sent, is left alone.
 * Failures stay queued for the delivery job; nothing throws.
 */
export async function deliverNotifications(ids: string[]): Promise<DeliveryCounts> {
  // INCIDENT: email must stop (wrong content, a loop, a provider complaint).
  // FAILURE MODE: with notifications off nothing is sent after commit; notifications stay queued and go out once it is back on.
  // SAFE TO RETRY: yes; nothing was claimed.
  // OPERATOR ACTION: runbook email-provider-down.
  if (ids.length === 0 || !(await checkKillSwitch("notifications"))) return { sent: 0, failed: 0, unconfirmed: 0 };
  const db = await getDb();
  return send(db, await claim(db, { ids, limit: ids.length }));
}

/** The delivery job's step: claim and send up to `limit` of the oldest queued notifications. */
export async function deliverQueued(limit: number): Promise<DeliveryCounts & { claimed: number }> {
  // INCIDENT: email must stop (wrong content, a loop, a provider complaint).
  // FAILURE MODE: with notifications off the delivery job sends nothing; the queue waits.
  // SAFE TO RETRY: yes; nothing was claimed.
  // OPERATOR ACTION: runbook email-provider-down.
  if (!(await checkKillSwitch("notifications"))) return { sent: 0, failed: 0, unconfirmed: 0, claimed: 0 };
  const db = await getDb();
  const pending = await claim(db, { limit });
  return { ...(await send(db, pending)), claimed: pending.length };
}

/**
 * Notifications whose sender died mid-send (its lease ran out while the row
 * was `sending`): whether they went out is unknown, so they become
 * `unconfirmed` rather than queued again.
 */
export async function expireSendLeases(): Promise<number> {
  const db = await getDb();
  const expired = await db
    .update(notifications)
    .set({ status: "unconfirmed", leaseUntil: null, lastError: "the sender stopped mid-send: it may have gone out, so it is not resent automatically" })
    .where(and(eq(notifications.status, "sending"), lt(notifications.leaseUntil, sql`now()`)))
    .returning({ id: notifications.id });
  return expired.length;
}

/** How many notifications are held as unconfirmed (for the delivery job's alert). */
export async function unconfirmedCount(): Promise<number> {
  const db = await getDb();
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(notifications).where(eq(notifications.status, "unconfirmed"));
  return row?.n ?? 0;
}
