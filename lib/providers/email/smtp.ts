import "server-only";
import nodemailer, { type Transporter } from "nodemailer";
import { env } from "@/lib/env";
import { ProviderError } from "../errors";
import { messageIdFor } from "./message-id";
import { suppressedByOptOut, unsubscribeUrlFor } from "./opt-outs";
import { renderEmail } from "./templates";
import type { EmailMessage, EmailProvider } from "./types";

/** SMTP status classes: 5xx is a permanent refusal (bad address), anything else (4xx, network, timeout) may pass later. */
function classify(error: unknown): ProviderError {
  const code = (error as { responseCode?: number }).responseCode;
  const message = error instanceof Error ? error.message : String(error);
  return new ProviderError("email", code !== undefined && code >= 500 ? "refused" : "transient", `SMTP: ${message}`);
}

/**
 * Email through any SMTP server (Resend, Postmark, SES and Mailgun all
 * speak it), configured by SMTP_URL and EMAIL_FROM. Each message is rendered
 * from its template (HTML and plain text) and carries a Message-ID derived
 * from its idempotency key, so a retried send is recognised as the same mail.
 */
export class SmtpEmailProvider implements EmailProvider {
  readonly name = "email" as const;
  private readonly transport: Transporter;

  constructor(
    smtpUrl: string,
    private readonly from: string,
  ) {
    // The breaker times calls out at 5 s; these bound each SMTP stage so a hung server cannot hold a socket past that.
    this.transport = nodemailer.createTransport(smtpUrl, { connectionTimeout: 5_000, greetingTimeout: 5_000, socketTimeout: 10_000 });
  }

  /** Connects, greets and authenticates (nodemailer's verify), then hangs up: nothing is sent. */
  async ping(): Promise<void> {
    try {
      await this.transport.verify();
    } catch (error) {
      throw classify(error);
    }
  }

  async send(message: EmailMessage): Promise<{ messageId: string }> {
    const messageId = messageIdFor(message.idempotencyKey, this.from);
    if (await suppressedByOptOut(message)) return { messageId: `suppressed:${messageId}` };
    const unsubscribeUrl = unsubscribeUrlFor(message);
    const { html, text } = await renderEmail(message, unsubscribeUrl);
    try {
      await this.transport.sendMail({
        from: this.from,
        to: message.to,
        subject: message.subject,
        text,
        html,
        messageId,
        headers: unsubscribeUrl ? { "List-Unsubscribe": `<${unsubscribeUrl}>` } : undefined,
      });
    } catch (error) {
      throw classify(error);
    }
    return { messageId };
  }
}

export function smtpProviderFromEnv(): SmtpEmailProvider | null {
  return env.SMTP_URL && env.EMAIL_FROM ? new SmtpEmailProvider(env.SMTP_URL, env.EMAIL_FROM) : null;
}
