import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { emailOutbox, notifications, users } from "@/db/schema";
import { createTestUser } from "@/test/factories";
import { deliverNotifications, queueNotification } from "./index";

async function queue(userId: string, to: string, template: string) {
  return queueNotification(await getDb(), { userId, to, template, subject: `${template} for ${to}`, body: "..." });
}

describe("notification delivery", () => {
  it("sends queued mail through the email provider and marks it sent", async () => {
    const user = await createTestUser();
    const id = await queue(user.id, user.email, "plan_changed");
    expect(await deliverNotifications([id])).toEqual({ sent: 1, failed: 0 });
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
