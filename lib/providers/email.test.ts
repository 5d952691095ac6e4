import { eq } from "drizzle-orm";
import { afterAll, describe, expect, it, vi } from "vitest";
import { emailOptOuts, notifications } from "@/db/schema";
import { getDb } from "@/lib/database";
import { deliverNotifications, queueNotification } from "@/lib/notifications";

// The whole app's email goes through SMTP in this file: a real smtp-server on 127.0.0.1, started before the app's modules load.
const smtp = await vi.hoisted(async () => {
  const { startSmtpStandIn } = await import("@/test/fixtures/smtp-stand-in");
  const server = await startSmtpStandIn();
  process.env.SMTP_URL = server.url;
  process.env.EMAIL_FROM = "Breakwater <noreply@breakwater.test>";
  process.env.APP_URL = "https://app.breakwater.test";
  return server;
});

const { providers, ProviderError, providerErrorKind, SmtpEmailProvider } = await import("./index");
const { recordOptOut } = await import("./index");

afterAll(() => smtp.close());

function address() {
  return `smtp-${crypto.randomUUID().slice(0, 8)}@example.test`;
}

describe("email through SMTP", () => {
  it("is the configured transport when SMTP_URL is set", () => {
    expect(providers.email).toBeInstanceOf(SmtpEmailProvider);
  });

  it("a health probe greets the server and sends nothing; against a closed port it fails as transient", async () => {
    const before = smtp.received.length;
    await expect(providers.email.ping()).resolves.toBeUndefined();
    expect(smtp.received.length).toBe(before);
    const closed = new SmtpEmailProvider("smtp://127.0.0.1:9", "Breakwater <noreply@breakwater.test>");
    const failure = await closed.ping().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ProviderError);
    expect(providerErrorKind(failure)).toBe("transient");
  });

  it("sends a rendered message: subject, recipient, plain-text and HTML parts, a Message-ID from the idempotency key", async () => {
    const to = address();
    const key = crypto.randomUUID();
    const { messageId } = await providers.email.send({
      to,
      subject: "Reset your Breakwater password",
      text: "Someone asked to reset your password.\nChoose a new one: https://app.breakwater.test/reset-password?token=abc\nThe link works once, for one hour.",
      idempotencyKey: key,
      template: "password_reset",
    });
    const [mail] = smtp.to(to);
    expect(mail).toBeDefined();
    const parsed = mail!.parsed;
    expect(parsed.subject).toBe("Reset your Breakwater password");
    expect(parsed.from?.value[0]).toMatchObject({ name: "Breakwater", address: "noreply@breakwater.test" });
    expect(parsed.to && !Array.isArray(parsed.to) ? parsed.to.value[0]?.address : null).toBe(to);
    expect(parsed.text).toContain("Choose a new one: https://app.breakwater.test/reset-password?token=abc");
    expect(parsed.text).toContain("it concerns your Breakwater account");
    expect(parsed.html).toContain('href="https://app.breakwater.test/reset-password?token=abc"');
    expect(parsed.html).toContain("Choose a new password");
    expect(parsed.messageId).toBe(`<${key}@breakwater.test>`);
    expect(messageId).toBe(parsed.messageId);
    // Account mail can't be unsubscribed from.
    expect(mail!.raw).not.toMatch(/^List-Unsubscribe:/im);
  });

  it("keeps the Message-ID across a retry after a temporary failure, and classifies SMTP answers", async () => {
    const to = address();
    const message = { to, subject: "Your Breakwater plan is now Pro", text: "Your plan changed from Free to Pro.", idempotencyKey: crypto.randomUUID(), template: "plan_changed" };
    smtp.failNext(421);
    const first = await providers.email.send(message).catch((e: unknown) => e);
    expect(providerErrorKind(first)).toBe("transient");
    await providers.email.send(message);
    await providers.email.send(message); // a resend of something that did go out
    const received = smtp.to(to);
    expect(received).toHaveLength(2);
    expect(new Set(received.map((m) => m.parsed.messageId))).toEqual(new Set([`<${message.idempotencyKey}@breakwater.test>`]));
    smtp.failNext(550);
    const refused = await providers.email.send({ ...message, idempotencyKey: crypto.randomUUID() }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ProviderError);
    expect(providerErrorKind(refused)).toBe("refused");
  });

  it("puts List-Unsubscribe on optional notices only, and honours an opt-out for those alone", async () => {
    const to = address();
    await providers.email.send({ to, subject: "Your report was resolved", text: "We fixed it.", idempotencyKey: crypto.randomUUID(), template: "report_resolved" });
    const [notice] = smtp.to(to);
    const header = notice!.raw.replace(/\r?\n[ \t]+/g, " ").match(/^List-Unsubscribe: (.+)$/im)?.[1];
    expect(header).toMatch(/^<https:\/\/app\.breakwater\.test\/email\/unsubscribe\?email=.+&token=.+>$/);
    expect(notice!.parsed.text).toContain("Stop these emails: https://app.breakwater.test/email/unsubscribe?");
    await recordOptOut(await getDb(), to.toUpperCase());
    await providers.email.send({ to, subject: "Another report resolved", text: "Fixed too.", idempotencyKey: crypto.randomUUID(), template: "report_resolved" });
    await providers.email.send({ to, subject: "Your Breakwater payment failed", text: "We could not charge your card.", idempotencyKey: crypto.randomUUID(), template: "renewal_failed" });
    expect(smtp.to(to).map((m) => m.parsed.subject)).toEqual(["Your report was resolved", "Your Breakwater payment failed"]);
    await (await getDb()).delete(emailOptOuts).where(eq(emailOptOuts.email, to));
  });

  it("delivers the outbox through SMTP with the notification id as Message-ID, app paths made absolute", async () => {
    const to = address();
    const db = await getDb();
    const id = await queueNotification(db, { userId: null, to, template: "alert", subject: "Kill switch notifications was turned off automatically", body: "automatic: the email breaker has been open.\nReview it at /admin/flags." });
    expect(await deliverNotifications([id])).toEqual({ sent: 1, failed: 0, unconfirmed: 0 });
    const [mail] = smtp.to(to);
    expect(mail!.parsed.messageId).toBe(`<${id}@breakwater.test>`);
    expect(mail!.parsed.text).toContain("Review it at https://app.breakwater.test/admin/flags.");
    expect(mail!.parsed.html).toContain("Open the alert");
    const [row] = await db.select().from(notifications).where(eq(notifications.id, id));
    expect(row?.status).toBe("sent");
  });
});
