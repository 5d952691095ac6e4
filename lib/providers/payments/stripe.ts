import "server-only";
import { eq } from "drizzle-orm";
import type Stripe from "stripe";
import { paymentCustomers } from "@/db/schema";
import { getDb } from "@/lib/database";
import { ProviderError } from "../errors";
import type { Charge, ChargeRequest, PaymentsProvider } from "./types";

/** A replayed response may hide a payment that failed since; the chain of keys after it is bounded. */
const MAX_KEY_HOPS = 10;
const CHARGED = new Set<Stripe.PaymentIntent.Status>(["succeeded", "processing"]);

type StripeErrorLike = { type?: string; message?: string; headers?: Record<string, string>; payment_intent?: Stripe.PaymentIntent; statusCode?: number };

/** Stripe errors by their `type` string, never `instanceof`: route and page bundles carry separate copies of the SDK. */
function asStripeError(error: unknown): StripeErrorLike | null {
  return error && typeof error === "object" && typeof (error as StripeErrorLike).type === "string" && (error as StripeErrorLike).type!.startsWith("Stripe") ? (error as StripeErrorLike) : null;
}

/** A card error is an answer (declined, needs authentication): it never trips the breaker. Everything else may pass later. */
function providerErrorFrom(error: unknown): ProviderError | unknown {
  const e = asStripeError(error);
  if (!e) return error;
  if (e.type === "StripeCardError") return new ProviderError("payments", "refused", e.message ?? "card declined");
  return new ProviderError("payments", "transient", `Stripe: ${e.message ?? e.type}`);
}

function replayed(headers: Record<string, string> | undefined): boolean {
  return headers?.["idempotent-replayed"] === "true";
}

function toCharge(pi: Stripe.PaymentIntent): Charge {
  const latest = pi.latest_charge && typeof pi.latest_charge === "object" ? pi.latest_charge : null;
  return {
    chargeId: pi.id,
    amountCents: pi.amount,
    idempotencyKey: pi.metadata?.idempotency_key ?? "",
    createdAt: new Date(pi.created * 1000),
    refunded: latest ? latest.refunded || latest.amount_refunded >= latest.amount : false,
  };
}

/**
 * Payments on Stripe. Breakwater keeps the subscription (plan, period,
 * dunning) itself and charges the customer's saved card off-session with a
 * PaymentIntent per charge: every renewal and plan change then passes the
 * payments kill switch, breaker and idempotency rules, which a subscription
 * billed by Stripe on its own schedule would not.
 *
 * Our idempotency key goes to Stripe as its Idempotency-Key and in the
 * intent's metadata (for findCharge). Stripe replays a key's first answer for
 * 24 hours, including a decline; so when a replayed intent has failed since,
 * the next attempt uses a key derived from that intent's id: deterministic
 * (two concurrent calls still agree) and never a second charge.
 */
export class StripePaymentsProvider implements PaymentsProvider {
  readonly name = "payments" as const;

  constructor(private readonly stripe: Stripe) {}

  /** The Stripe customer of a user, created once (the idempotency key makes a concurrent second create the same customer). */
  async customerFor(userId: string, email?: string): Promise<{ customerId: string; defaultPaymentMethod: string | null }> {
    const db = await getDb();
    const [known] = await db.select().from(paymentCustomers).where(eq(paymentCustomers.userId, userId));
    if (known) return known;
    try {
      const customer = await this.stripe.customers.create({ email, metadata: { breakwater_user_id: userId } }, { idempotencyKey: `customer:${userId}` });
      await db.insert(paymentCustomers).values({ userId, provider: "stripe", customerId: customer.id }).onConflictDoNothing();
    } catch (error) {
      throw providerErrorFrom(error);
    }
    const [row] = await db.select().from(paymentCustomers).where(eq(paymentCustomers.userId, userId));
    return row!;
  }

  async charge(request: ChargeRequest): Promise<Charge> {
    const customer = await this.customerFor(request.customerRef);
    if (!customer.defaultPaymentMethod) throw new ProviderError("payments", "refused", "no card on file: add a card on the billing page first");
    let key = request.idempotencyKey;
    for (let hop = 0; hop < MAX_KEY_HOPS; hop++) {
      let intent: Stripe.Response<Stripe.PaymentIntent>;
      try {
        intent = await this.stripe.paymentIntents.create(
          {
            amount: request.amountCents,
            currency: request.currency,
            customer: customer.customerId,
            payment_method: customer.defaultPaymentMethod,
            // The saved card, charged while the customer is not there: nothing that would need a redirect.
            automatic_payment_methods: { enabled: true, allow_redirects: "never" },
            off_session: true,
            confirm: true,
            description: request.description,
            metadata: { idempotency_key: request.idempotencyKey, breakwater_user_id: request.customerRef },
          },
          { idempotencyKey: key },
        );
      } catch (error) {
        const e = asStripeError(error);
        if (e?.type === "StripeCardError" && e.payment_intent && replayed(e.headers)) {
          key = `${request.idempotencyKey}:after:${e.payment_intent.id}`;
          continue;
        }
        throw providerErrorFrom(error);
      }
      const current = replayed(intent.lastResponse?.headers) ? await this.retrieve(intent.id) : intent;
      if (CHARGED.has(current.status)) return toCharge(current);
      if (replayed(intent.lastResponse?.headers)) {
        key = `${request.idempotencyKey}:after:${intent.id}`;
        continue;
      }
      throw new ProviderError("payments", "refused", `payment ${current.status.replaceAll("_", " ")}`);
    }
    throw new ProviderError("payments", "refused", "too many failed attempts under this key");
  }

  private async retrieve(id: string): Promise<Stripe.PaymentIntent> {
    try {
      return await this.stripe.paymentIntents.retrieve(id, { expand: ["latest_charge"] });
    } catch (error) {
      throw providerErrorFrom(error);
    }
  }

  /**
   * No Stripe subscription exists to cancel (Breakwater bills the period
   * itself); what "no future charges" means at Stripe is that the saved card
   * is detached, so nothing can charge it again.
   */
  async cancelSubscription({ customerRef, paymentMethod }: { customerRef: string; paymentMethod?: string | null }): Promise<{ cancelled: boolean }> {
    const db = await getDb();
    const [known] = paymentMethod ? [] : await db.select().from(paymentCustomers).where(eq(paymentCustomers.userId, customerRef));
    const card = paymentMethod ?? known?.defaultPaymentMethod;
    if (!card) return { cancelled: true };
    try {
      await this.stripe.paymentMethods.detach(card);
    } catch (error) {
      // Already detached: the goal holds.
      if (asStripeError(error)?.type !== "StripeInvalidRequestError") throw providerErrorFrom(error);
    }
    await db.update(paymentCustomers).set({ defaultPaymentMethod: null, updatedAt: new Date() }).where(eq(paymentCustomers.userId, customerRef));
    return { cancelled: true };
  }

  async ping(): Promise<void> {
    try {
      await this.stripe.balance.retrieve();
    } catch (error) {
      throw providerErrorFrom(error);
    }
  }

  /** Stripe's search is eventually consistent (about a minute): an intent created seconds ago may not be found yet. */
  async findCharge(idempotencyKey: string): Promise<Charge | null> {
    try {
      const found = await this.stripe.paymentIntents.search({ query: `metadata['idempotency_key']:'${idempotencyKey.replaceAll("'", "\\'")}'`, expand: ["data.latest_charge"] });
      const charged = found.data.filter((pi) => CHARGED.has(pi.status)).sort((a, b) => b.created - a.created);
      return charged[0] ? toCharge(charged[0]) : null;
    } catch (error) {
      throw providerErrorFrom(error);
    }
  }

  async refund({ chargeId, idempotencyKey, reason }: { chargeId: string; idempotencyKey: string; reason: string }): Promise<{ refundId: string }> {
    try {
      const refund = await this.stripe.refunds.create(
        { payment_intent: chargeId, reason: /duplicate/i.test(reason) ? "duplicate" : "requested_by_customer", metadata: { reason: reason.slice(0, 500) } },
        { idempotencyKey },
      );
      return { refundId: refund.id };
    } catch (error) {
      throw providerErrorFrom(error);
    }
  }

  async listCharges({ since }: { since: Date }): Promise<Charge[]> {
    const charges: Charge[] = [];
    try {
      for await (const pi of this.stripe.paymentIntents.list({ created: { gte: Math.floor(since.getTime() / 1000) }, limit: 100, expand: ["data.latest_charge"] })) {
        if (CHARGED.has(pi.status)) charges.push(toCharge(pi));
      }
    } catch (error) {
      throw providerErrorFrom(error);
    }
    return charges;
  }

  /** A Stripe-hosted page where the customer saves a card for off-session charges; the webhook stores it when it completes. */
  async startCardSetup(userId: string, email: string, returnUrl: string): Promise<{ url: string }> {
    const customer = await this.customerFor(userId, email);
    try {
      const session = await this.stripe.checkout.sessions.create({
        mode: "setup",
        customer: customer.customerId,
        currency: "usd",
        allowed_payment_method_types: ["card"],
        success_url: `${returnUrl}?card=saved`,
        cancel_url: `${returnUrl}?card=cancelled`,
        metadata: { breakwater_user_id: userId },
      });
      return { url: session.url! };
    } catch (error) {
      throw providerErrorFrom(error);
    }
  }
}
