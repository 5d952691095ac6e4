import { getDb } from "@/db/client";
import { emailOutbox } from "@/db/schema";
import { currentFaults, injectFaults } from "../faults";
import type { EmailMessage, EmailProvider } from "./types";

/** Development email provider: "sends" by writing to `email_outbox`, shown at /admin/outbox. */
export class OutboxEmailProvider implements EmailProvider {
  readonly name = "email" as const;

  async send(message: EmailMessage): Promise<{ messageId: string }> {
    await injectFaults("email", await currentFaults("email", process.env.FAKE_EMAIL_FAULTS), 10_000);
    const db = await getDb();
    const [row] = await db
      .insert(emailOutbox)
      .values({ toEmail: message.to, subject: message.subject, body: message.text })
      .returning({ id: emailOutbox.id });
    return { messageId: row!.id };
  }
}
