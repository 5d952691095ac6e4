import "server-only";
import { desc } from "drizzle-orm";
import { z } from "zod";
import { emailOutbox } from "@/db/schema";
import { hasPermission } from "@/lib/auth";
import { defineQuery } from "@/lib/procedures";

/**
 * What the development email provider "sent" (it writes to email_outbox
 * instead of the internet), newest first. Bodies can hold anything a person
 * was told (receipts, reset links): admins read them, support sees only who
 * was sent what subject.
 */
export const outboxMessages = defineQuery({
  name: "providers.outbox",
  permission: "admin:read",
  input: z.object({}),
  handler: async ({ db, user }) => {
    const canReadBodies = hasPermission(user.role, "admin:write");
    const rows = await db
      .select({ id: emailOutbox.id, toEmail: emailOutbox.toEmail, subject: emailOutbox.subject, body: emailOutbox.body, createdAt: emailOutbox.createdAt })
      .from(emailOutbox)
      .orderBy(desc(emailOutbox.createdAt))
      .limit(100);
    return rows.map((row) => ({ ...row, body: canReadBodies ? row.body : null }));
  },
});
