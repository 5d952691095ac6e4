export type EmailMessage = {
  to: string;
  subject: string;
  text: string;
  /** Stable per message (the notification id): a resend carries the same Message-ID, so a retry is never a second email. */
  idempotencyKey: string;
  /** The template it was written for (`password_reset`, `report_resolved`…): decides the layout, the button and List-Unsubscribe. */
  template?: string;
};

export interface EmailProvider {
  readonly name: "email";
  send(message: EmailMessage): Promise<{ messageId: string }>;
  /** Proves the provider answers without sending anything (a health probe). */
  ping(): Promise<void>;
}
