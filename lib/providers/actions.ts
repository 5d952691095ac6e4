import "server-only";
import { z } from "zod";
import { raiseAlert, resolveAlert } from "@/lib/alerts";
import { markInvoiceRefunded } from "@/lib/billing";
import { callThroughBreaker, isDependencyDown } from "@/lib/breakers";
import { env } from "@/lib/env";
import { ActionFailure, defineAction } from "@/lib/procedures";
import { unsubscribeTokenValid } from "./email/message-id";
import { recordOptOut } from "./email/opt-outs";
import { clearFaults, setFaults } from "./faults";
import { providers, providerSetup, stripePayments } from "./index";
import { chargesWindowStart, compareWithProvider, RECONCILE_WINDOW_MS, type Difference } from "./reconcile";
import { alreadyApplied, applyStripeEvent, claimWebhookEvent, noteWebhookOutcome, saveCardFromCheckout, verifyStripeEvent } from "./stripe-events";

const percent = z.coerce.number().int("Whole percent only.").min(0, "0 to 100.").max(100, "0 to 100.");

const provider = z.enum(["payments", "email"], "Choose payments or email.");

function refuseInProduction(): void {
  if (env.appEnv === "production") throw new ActionFailure("forbidden", "Fault injection is not available in production.");
}

// Fault injection for the fake providers, from the admin dev panel or the ops CLI. Never in production: there the providers are real.
export const setProviderFaults = defineAction({
  name: "providers.set_faults",
  permission: ["admin:write", "system"],
  rateLimit: { policy: "admin", by: "user" },
  input: z.object({
    provider,
    failPercent: percent,
    timeoutPercent: percent,
    latencyMs: z.coerce.number().int("Whole milliseconds only.").min(0, "0 or more.").max(60_000, "At most 60000 ms."),
  }),
  prepare: async () => refuseInProduction(),
  handler: async ({ tx, input }) => {
    const { provider, ...faults } = input;
    await setFaults(provider, faults, tx);
    return input;
  },
  audit: {
    action: "provider.faults_set",
    target: ({ input }) => ({ type: "provider", id: input.provider }),
    metadata: ({ input }) => ({ failPercent: input.failPercent, timeoutPercent: input.timeoutPercent, latencyMs: input.latencyMs }),
  },
});

// Back to no faults set at run time: the row goes, so the environment's FAKE_*_FAULTS (if any) apply again.
export const clearProviderFaults = defineAction({
  name: "providers.clear_faults",
  permission: ["admin:write", "system"],
  rateLimit: { policy: "admin", by: "user" },
  input: z.object({ provider }),
  prepare: async () => refuseInProduction(),
  handler: async ({ tx, input }) => ({ provider: input.provider, cleared: await clearFaults(input.provider, tx) }),
  audit: { action: "provider.faults_clear", target: ({ input }) => ({ type: "provider", id: input.provider }) },
});

/**
 * The List-Unsubscribe link of optional notices: an HMAC of the address
 * proves the link came from one of our emails, so nobody can opt someone
 * else out. Account, security and billing mail are not affected.
 */
export const unsubscribeFromNotices = defineAction({
  name: "providers.unsubscribe",
  permission: "public",
  rateLimit: { policy: "email_link", by: "ip", scope: "unsubscribe" },
  input: z.object({ email: z.string().trim().toLowerCase().max(320).email("This link is not valid."), token: z.string().min(20).max(100) }),
  handler: async ({ tx, input }) => {
    if (!unsubscribeTokenValid(input.email, input.token, env.authSecret)) throw new ActionFailure("invalid_input", "This link is not valid. Use the link in your most recent email.");
    await recordOptOut(tx, input.email);
    return { unsubscribed: true as const };
  },
  audit: { action: "email.unsubscribe", target: () => ({ type: "email_address", id: null }), metadata: ({ input }) => ({ email: input.email }) },
});

// ---- Stripe: the webhook, card setup, and reconciliation with the provider. ----

/**
 * A Stripe webhook delivery, run as the system principal `webhook:stripe`.
 * The raw body and its Stripe-Signature header are the input: an event whose
 * signature does not verify (forged, altered, or older than 5 minutes) is
 * rejected and audited, and nothing else changes. A verified event is claimed
 * by its id first, so a redelivery changes nothing; types we don't use are
 * recorded as ignored.
 */
export const receiveStripeWebhook = defineAction({
  name: "providers.stripe_webhook",
  permission: "system",
  input: z.object({ payload: z.string().max(1_000_000), signature: z.string().max(2_000) }),
  prepare: async ({ db, input }) => {
    const verified = verifyStripeEvent(input.payload, input.signature);
    if (!verified.ok) return { event: null, rejected: verified.reason, cardSaved: null };
    if (await alreadyApplied(db, verified.event.id)) return { event: verified.event, rejected: null, cardSaved: null };
    return { event: verified.event, rejected: null, cardSaved: await saveCardFromCheckout(db, verified.event) };
  },
  handler: async ({ tx, notify, prepared: { event, rejected, cardSaved } }) => {
    if (!event) return { outcome: "rejected" as const, eventId: null, type: null, detail: rejected ?? "invalid" };
    if (!(await claimWebhookEvent(tx, event))) return { outcome: "duplicate" as const, eventId: event.id, type: event.type, detail: "already applied" };
    const applied = await applyStripeEvent(tx, event, cardSaved, notify);
    await noteWebhookOutcome(tx, event.id, applied);
    return { outcome: applied.outcome, eventId: event.id, type: event.type, detail: applied.detail };
  },
  audit: {
    action: "billing.provider_event",
    target: ({ data }) => ({ type: "stripe_event", id: data?.eventId ?? null }),
    metadata: ({ data }) => ({ outcome: data?.outcome, type: data?.type, detail: data?.detail }),
  },
});

/** Starts Stripe's hosted card form for the signed-in customer; the webhook saves the card when it completes. */
export const startCardSetup = defineAction({
  name: "providers.start_card_setup",
  permission: "self:write",
  // INCIDENT: card setup fails, or the payments provider is down.
  // FAILURE MODE: with payments off the call is refused with the switch's sentence before any provider call or charge.
  // SAFE TO RETRY: yes; a refused call changed nothing.
  // OPERATOR ACTION: runbook payment-provider-down.
  flag: "payments",
  rateLimit: { policy: "payment", by: "user", scope: "card" },
  input: z.object({}).strict(),
  prepare: async ({ user }) => {
    const stripe = stripePayments();
    if (!stripe) throw new ActionFailure("not_found", "No card is needed here: payments use the test provider.");
    try {
      // INCIDENT: Stripe does not answer when a customer starts saving a card.
      // FAILURE MODE: the customer is told the provider is unavailable (dependency_down); no card is saved and nothing is charged.
      // SAFE TO RETRY: yes; each attempt starts a new hosted setup session.
      // OPERATOR ACTION: runbook payment-provider-down.
      return await callThroughBreaker("payments", () => stripe.startCardSetup(user.id, user.email, new URL("/billing", env.appUrl).toString()));
    } catch (error) {
      if (isDependencyDown(error)) throw new ActionFailure("dependency_down", "Our payment provider is unavailable. Please try again shortly.");
      throw error;
    }
  },
  handler: async ({ prepared }) => ({ url: prepared.url }),
  audit: { action: "billing.card_setup", target: ({ user }) => ({ type: "user", id: user.id }) },
});

/**
 * Compares the provider's charges with our invoices (lib/providers/reconcile.ts)
 * and fixes what is safe to fix: an invoice still "paid" for a charge the
 * provider refunded becomes "refunded". Everything else is reported, as an
 * alert that stays open until a run finds no difference.
 */
export const reconcilePayments = defineAction({
  name: "providers.reconcile_payments",
  permission: "system",
  // INCIDENT: payments is switched off while the invoice check is due.
  // FAILURE MODE: the check is refused (disabled) and the job counts it as skipped; differences are found by the first run after.
  // SAFE TO RETRY: yes; a refused call changed nothing.
  // OPERATOR ACTION: runbook billing-reconciliation.
  flag: "payments",
  input: z.object({ now: z.coerce.date().optional() }),
  prepare: async ({ input }) => {
    const now = input.now ?? new Date();
    const since = new Date(now.getTime() - RECONCILE_WINDOW_MS);
    // INCIDENT: the provider does not answer while charges are compared with invoices.
    // FAILURE MODE: the run fails before writing anything; the alert of the last run stays as it was.
    // SAFE TO RETRY: yes; it only reads the provider.
    // OPERATOR ACTION: runbook billing-reconciliation.
    const charges = await callThroughBreaker("payments", () => providers.payments.listCharges({ since: chargesWindowStart(since) }));
    return { now, since, charges };
  },
  handler: async ({ tx, notify, prepared: { now, since, charges } }) => {
    const differences = await compareWithProvider(tx, charges, since, now);
    const fixed: Difference[] = [];
    for (const d of differences.filter((x) => x.kind === "refunded_at_provider" && x.chargeId)) {
      if (await markInvoiceRefunded(tx, d.chargeId!, notify)) fixed.push(d);
    }
    const open = differences.filter((d) => !fixed.includes(d));
    if (open.length > 0) {
      await raiseAlert(tx, {
        dedupKey: "invoice_reconciliation",
        source: "invoice_reconciliation",
        severity: "ticket",
        title: `Payments and invoices disagree: ${open.length} difference${open.length === 1 ? "" : "s"}`,
        detail: open.slice(0, 10).map((d) => `${d.kind}: charge ${d.chargeId ?? "-"}, invoice ${d.invoiceId ?? "-"}: ${d.detail}`).join("\n"),
        runbook: "billing-reconciliation",
        context: { differences: open.slice(0, 50) },
      });
    } else {
      await resolveAlert(tx, "invoice_reconciliation");
    }
    return { compared: charges.length, fixed: fixed.length, open: open.length, differences: open.slice(0, 20) };
  },
  audit: {
    action: "billing.invoice_reconcile",
    target: () => ({ type: "payments_provider", id: providerSetup().payments }),
    metadata: ({ data }) => ({ compared: data?.compared, fixed: data?.fixed, open: data?.open, differences: data?.differences }),
  },
});
