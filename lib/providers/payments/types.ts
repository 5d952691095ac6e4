export type ChargeRequest = {
  customerRef: string;
  amountCents: number;
  currency: string;
  description: string;
  /** Same key, same charge: the provider must never charge twice for one key. */
  idempotencyKey: string;
};

export type Charge = {
  chargeId: string;
  amountCents: number;
  /** The key the charge was made with: how an unknown outcome is looked up, and what the charge was for. */
  idempotencyKey: string;
  createdAt: Date;
  /** Refunded in full. */
  refunded: boolean;
};

export interface PaymentsProvider {
  readonly name: "payments";
  charge(request: ChargeRequest): Promise<Charge>;
  /** The charge made with this idempotency key, or null when the provider has none. */
  findCharge(idempotencyKey: string): Promise<Charge | null>;
  /** Refunds a charge in full. Idempotent by key: the same key refunds once and returns the same refund. */
  refund(request: { chargeId: string; idempotencyKey: string; reason: string }): Promise<{ refundId: string }>;
  /** Every charge made since `since`, oldest first (reconciliation). */
  listCharges(request: { since: Date }): Promise<Charge[]>;
  /**
   * Stops future charges for a customer; cancelling twice is not an error.
   * `paymentMethod` names the card directly when the customer's own record
   * is gone (a cancellation queued by a purge).
   */
  cancelSubscription(request: { customerRef: string; paymentMethod?: string | null }): Promise<{ cancelled: boolean }>;
  /** The cheapest read that proves the provider answers (a health probe; changes nothing). */
  ping(): Promise<void>;
}
