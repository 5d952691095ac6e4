export type EmailMessage = { to: string; subject: string; text: string };

export interface EmailProvider {
  readonly name: "email";
  send(message: EmailMessage): Promise<{ messageId: string }>;
}
