import "server-only";
import { asc, eq, gte } from "drizzle-orm";
import { getDb } from "@/lib/database";
import { fakePaymentCharges, fakePaymentRefunds } from "@/db/schema";
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

  private faults() {
    return currentFaults("payments", env.FAKE_PAYMENTS_FAULTS).then((faults) => injectFaults("payments", faults, 10_000));
  }

  async charge(request: ChargeRequest): Promise<Charge> {
    await this.faults();
    if (request.amountCents % 100 === DECLINED_CENTS) throw new ProviderError("payments", "refused", "card declined");
    const db = await getDb();
    const existing = await this.findOne(request.idempotencyKey);
    if (existing) return existing;
    const chargeId = `ch_${crypto.randomUUID().replaceAll("-", "").slice(0, 24)}`;
    const [row] = await db
      .insert(fakePaymentCharges)
      .values({ id: chargeId, ...request })
      .onConflictDoNothing()
      .returning();
    if (row) return toCharge(row);
    // Lost a race on the same idempotency key: return the winner's charge.
    const winner = await this.findOne(request.idempotencyKey);
    if (!winner) throw new ProviderError("payments", "transient", "charge vanished");
    return winner;
  }

  async ping(): Promise<void> {
    await this.faults();
  }

  async findCharge(idempotencyKey: string): Promise<Charge | null> {
    await this.faults();
    return this.findOne(idempotencyKey);
  }

  async refund(request: { chargeId: string; idempotencyKey: string; reason: string }): Promise<{ refundId: string }> {
    await this.faults();
    const db = await getDb();
    return db.transaction(async (tx) => {
      const [done] = await tx.select().from(fakePaymentRefunds).where(eq(fakePaymentRefunds.idempotencyKey, request.idempotencyKey));
      if (done) return { refundId: done.id };
      const [charge] = await tx.select().from(fakePaymentCharges).where(eq(fakePaymentCharges.id, request.chargeId)).for("update");
      if (!charge) throw new ProviderError("payments", "refused", `no such charge ${request.chargeId}`);
      if (charge.refundedAt) throw new ProviderError("payments", "refused", `charge ${request.chargeId} is already refunded`);
      const refundId = `re_${crypto.randomUUID().replaceAll("-", "").slice(0, 24)}`;
      await tx.insert(fakePaymentRefunds).values({ id: refundId, chargeId: charge.id, idempotencyKey: request.idempotencyKey, reason: request.reason });
      await tx.update(fakePaymentCharges).set({ refundedAt: new Date() }).where(eq(fakePaymentCharges.id, charge.id));
      return { refundId };
    });
  }

  async listCharges(request: { since: Date }): Promise<Charge[]> {
    await this.faults();
    const db = await getDb();
    const rows = await db.select().from(fakePaymentCharges).where(gte(fakePaymentCharges.createdAt, request.since)).orderBy(asc(fakePaymentCharges.createdAt)).limit(10_000);
    return rows.map(toCharge);
  }

  private async findOne(idempotencyKey: string): Promise<Charge | null> {
    const db = await getDb();
    const [row] = await db.select().from(fakePaymentCharges).where(eq(fakePaymentCharges.idempotencyKey, idempotencyKey));
    return row ? toCharge(row) : null;
  }

  /** The fake keeps no subscriptions of its own: cancelling only honours injected faults. */
  async cancelSubscription(_request: { customerRef: string; paymentMethod?: string | null }): Promise<{ cancelled: boolean }> {
    await this.faults();
    return { cancelled: true };
  }
}

function toCharge(row: typeof fakePaymentCharges.$inferSelect): Charge {
  return { chargeId: row.id, amountCents: row.amountCents, idempotencyKey: row.idempotencyKey, createdAt: row.createdAt, refunded: row.refundedAt !== null };
}
