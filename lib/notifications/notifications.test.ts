import { eq, inArray, like } from "drizzle-orm";
import { afterEach, describe, expect, it, vi } from "vitest";
import { getDb } from "@/lib/database";
import { emailOutbox, notifications, users } from "@/db/schema";
import { listOpenAlerts } from "@/lib/alerts";
import { getBreaker } from "@/lib/breakers";
import { notificationDeliveryJob } from "@/lib/jobs/notification-delivery";
import { runJob } from "@/lib/jobs/server";
import { parseFaults, providers, setFaults } from "@/lib/providers";
import { createTestUser } from "@/test/factories";
import { deliverNotifications, deliverQueued, queueNotification } from "./index";

async function queue(userId: string, to: string, template: string) {
  return queueNotification(await getDb(), { userId, to, template, subject: `${template} for ${to}`, body: "..." });
}

describe("notification delivery", () => {
  it("sends queued mail through the email provider and marks it sent", async () => {
    const user = await createTestUser();
    const id = await queue(user.id, user.email, "plan_changed");
    expect(await deliverNotifications([id])).toEqual({ sent: 1, failed: 0, unconfirmed: 0 });
    const db = await getDb();
    expect((await db.select().from(notifications).where(eq(notifications.id, id)))[0]?.status).toBe("sent");
    expect(await db.select().from(emailOutbox).where(eq(emailOutbox.toEmail, user.email))).toHaveLength(1);
  });

  it("stops mail to a deactivated account, but still sends notices about the account itself", async () => {
    const user = await createTestUser();
    const db = await getDb();
    await db.update(users).set({ status: "deactivated" }).where(eq(users.id, user.id));
    const marketing = await queue(user.id, user.email, "plan_changed");
    const security = await queue(user.id, user.email, "impersonation_started");
    await deliverNotifications([marketing, security]);
    const sent = await db.select().from(emailOutbox).where(eq(emailOutbox.toEmail, user.email));
    expect(sent.map((m) => m.subject)).toEqual([`impersonation_started for ${user.email}`]);
    const [suppressed] = await db.select().from(notifications).where(eq(notifications.id, marketing));
    expect(suppressed).toMatchObject({ status: "failed", lastError: "suppressed: account deactivated" });
  });
});

describe("exactly-once delivery", () => {
  afterEach(async () => {
    vi.restoreAllMocks();
    await setFaults("email", parseFaults(""));
    await getBreaker("email").force("reset", "notifications test done", null);
  });

  it("the after-commit delivery and two delivery jobs racing send each notification once, keyed by its id", async () => {
    const user = await createTestUser();
    const tag = crypto.randomUUID().slice(0, 8);
    const db = await getDb();
    const ids = await Promise.all(Array.from({ length: 12 }, (_, i) => queueNotification(db, { userId: user.id, to: user.email, template: "plan_changed", subject: `race ${tag} #${i}`, body: "..." })));
    // Slow sends, so the senders overlap.
    await setFaults("email", parseFaults("latency=30ms"));
    const keys: string[] = [];
    const send = providers.email.send.bind(providers.email);
    vi.spyOn(providers.email, "send").mockImplementation((message) => {
      keys.push(message.idempotencyKey);
      return send(message);
    });
    await Promise.all([deliverNotifications(ids), runJob(notificationDeliveryJob, { trigger: "test" }), deliverNotifications([...ids].reverse()), deliverQueued(50)]);
    const sent = await db.select().from(emailOutbox).where(like(emailOutbox.subject, `race ${tag} #%`));
    expect(sent).toHaveLength(12);
    expect(new Set(sent.map((m) => m.subject)).size).toBe(12);
    expect(keys.filter((k) => ids.includes(k)).sort()).toEqual([...ids].sort());
    const rows = await db.select().from(notifications).where(inArray(notifications.id, ids));
    expect(rows.every((r) => r.status === "sent")).toBe(true);
  });

  it("a send that outlives its timeout is held as unconfirmed, not resent, and an alert says so", { timeout: 30_000 }, async () => {
    const user = await createTestUser();
    const db = await getDb();
    const subject = `slow ${crypto.randomUUID()}`;
    const id = await queueNotification(db, { userId: user.id, to: user.email, template: "plan_changed", subject, body: "..." });
    const send = providers.email.send.bind(providers.email);
    // The provider sends it, but its answer never comes back: the email breaker times out after 5 s.
    vi.spyOn(providers.email, "send").mockImplementation(async (message) => {
      await send(message);
      return new Promise(() => {});
    });
    expect(await deliverNotifications([id])).toEqual({ sent: 0, failed: 0, unconfirmed: 1 });
    vi.restoreAllMocks();
    await runJob(notificationDeliveryJob, { trigger: "test" });
    await deliverNotifications([id]);
    expect(await db.select().from(emailOutbox).where(eq(emailOutbox.subject, subject))).toHaveLength(1);
    expect((await db.select().from(notifications).where(eq(notifications.id, id)))[0]).toMatchObject({ status: "unconfirmed" });
    expect((await listOpenAlerts(db, ["notifications"])).map((a) => a.dedupKey)).toContain("notifications_unconfirmed");
  });
});
