export type ChargeRequest = {
  customerRef: string;
  amountCents: number;
  currency: string;
  description: string;
  /** Same key, same charge: the provider must never charge twice for one key. */
  idempotencyKey: string;
};

export type Charge = { chargeId: string; amountCents: number };

export interface PaymentsProvider {
  readonly name: "payments";
  charge(request: ChargeRequest): Promise<Charge>;
  /** Stops future charges for a customer; cancelling twice is not an error. */
  cancelSubscription(request: { customerRef: string }): Promise<{ cancelled: boolean }>;
}
