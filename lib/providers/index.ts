import "server-only";
import { env } from "@/lib/env";
import { OutboxEmailProvider } from "./email/outbox";
import { smtpProviderFromEnv } from "./email/smtp";
import type { EmailProvider } from "./email/types";
import { FakePaymentsProvider } from "./payments/fake";
import { StripePaymentsProvider } from "./payments/stripe";
import { configuredStripe } from "./payments/stripe-client";
import type { PaymentsProvider } from "./payments/types";

const stripe = configuredStripe();

/**
 * The providers in use, chosen by configuration: Stripe with
 * STRIPE_SECRET_KEY, SMTP with SMTP_URL; otherwise the fakes (payments into
 * `fake_payment_charges`, email into `email_outbox`), which the development
 * server and the fault-injection tests use. Call them through lib/breakers,
 * never directly.
 */
export const providers: { payments: PaymentsProvider; email: EmailProvider } = {
  payments: stripe ? new StripePaymentsProvider(stripe) : new FakePaymentsProvider(),
  email: smtpProviderFromEnv() ?? new OutboxEmailProvider(),
};

/** The Stripe adapter when payments run on Stripe (card setup is Stripe's own), else null. */
export function stripePayments(): StripePaymentsProvider | null {
  // By shape, not instanceof: route and page bundles each carry their own copy of the class.
  return "startCardSetup" in providers.payments ? (providers.payments as StripePaymentsProvider) : null;
}

/** What is configured, in words an operator reads on the admin pages. */
export function providerSetup() {
  return {
    payments: stripe ? ("stripe" as const) : ("fake" as const),
    email: env.SMTP_URL ? ("smtp" as const) : ("outbox" as const),
  };
}

export { ProviderError, isProviderRefusal, isProviderTimeout, providerErrorKind } from "./errors";
export { parseFaults, setFaults, currentFaults, savedFaults, fakeCallCount, type Faults } from "./faults";
export { StripePaymentsProvider } from "./payments/stripe";
export { configuredStripe, stripeClient } from "./payments/stripe-client";
export { renderEmail } from "./email/templates";
export { messageIdFor, unsubscribeTokenValid } from "./email/message-id";
export { recordOptOut } from "./email/opt-outs";
export { SmtpEmailProvider } from "./email/smtp";
export type { ChargeRequest, Charge, PaymentsProvider } from "./payments/types";
export type { EmailMessage, EmailProvider } from "./email/types";
export { cardOnFile } from "./payments/cards";
export { stripeWebhookAnswer } from "./webhook-answer";
