import "server-only";
import { eq } from "drizzle-orm";
import { getDb } from "@/lib/database";
import { emailOutbox } from "@/db/schema";
import { env } from "@/lib/env";
import { currentFaults, injectFaults } from "../faults";
import { messageIdFor } from "./message-id";
import { suppressedByOptOut } from "./opt-outs";
import { absolutiseAppPaths } from "./templates";
import type { EmailMessage, EmailProvider } from "./types";

/**
 * Development email provider: "sends" by writing to `email_outbox`, shown at
 * /admin/outbox. It honours the Message-ID like a mail client would: the
 * same message sent twice is one row.
 */
export class OutboxEmailProvider implements EmailProvider {
  readonly name = "email" as const;

  async ping(): Promise<void> {
    await injectFaults("email", await currentFaults("email", env.FAKE_EMAIL_FAULTS), 10_000);
  }

  async send(message: EmailMessage): Promise<{ messageId: string }> {
    await injectFaults("email", await currentFaults("email", env.FAKE_EMAIL_FAULTS), 10_000);
    const messageId = messageIdFor(message.idempotencyKey, env.EMAIL_FROM ?? "Breakwater <noreply@breakwater.test>");
    if (await suppressedByOptOut(message)) return { messageId: `suppressed:${messageId}` };
    const db = await getDb();
    const [row] = await db
      .insert(emailOutbox)
      .values({ toEmail: message.to, subject: message.subject, body: absolutiseAppPaths(message.text), messageId })
      .onConflictDoNothing()
      .returning({ id: emailOutbox.id });
    if (row) return { messageId: row.id };
    const [existing] = await db.select({ id: emailOutbox.id }).from(emailOutbox).where(eq(emailOutbox.messageId, messageId));
    return { messageId: existing!.id };
  }
}
