import { eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { fakePaymentCharges } from "@/db/schema";
import { env } from "@/lib/env";
import { ProviderError } from "../errors";
import { currentFaults, injectFaults } from "../faults";
import type { Charge, ChargeRequest, PaymentsProvider } from "./types";

/** Amounts ending in 02 cents are declined, like a test card number at a real provider. */
const DECLINED_CENTS = 2;

/**
 * Development and test payments provider. It keeps its own ledger in
 * `fake_payment_charges`, honours idempotency keys like a real provider, and
 * can be told to fail, time out or be slow (`provider_faults`, FAKE_PAYMENTS_FAULTS).
 */
export class FakePaymentsProvider implements PaymentsProvider {
  readonly name = "payments" as const;

  async charge(request: ChargeRequest): Promise<Charge> {
    await injectFaults("payments", await currentFaults("payments", env.FAKE_PAYMENTS_FAULTS), 10_000);
    if (request.amountCents % 100 === DECLINED_CENTS) throw new ProviderError("payments", "refused", "card declined");
    const db = await getDb();
    const [existing] = await db.select().from(fakePaymentCharges).where(eq(fakePaymentCharges.idempotencyKey, request.idempotencyKey));
    if (existing) return { chargeId: existing.id, amountCents: existing.amountCents };
    const chargeId = `ch_${crypto.randomUUID().replaceAll("-", "").slice(0, 24)}`;
    const [row] = await db
      .insert(fakePaymentCharges)
      .values({ id: chargeId, ...request })
      .onConflictDoNothing()
      .returning();
    if (row) return { chargeId: row.id, amountCents: row.amountCents };
    // Lost a race on the same idempotency key: return the winner's charge.
    const [winner] = await db.select().from(fakePaymentCharges).where(eq(fakePaymentCharges.idempotencyKey, request.idempotencyKey));
    if (!winner) throw new ProviderError("payments", "transient", "charge vanished");
    return { chargeId: winner.id, amountCents: winner.amountCents };
  }

  /** The fake keeps no subscriptions of its own: cancelling only honours injected faults. */
  async cancelSubscription(_request: { customerRef: string }): Promise<{ cancelled: boolean }> {
    await injectFaults("payments", await currentFaults("payments", env.FAKE_PAYMENTS_FAULTS), 10_000);
    return { cancelled: true };
  }
}
