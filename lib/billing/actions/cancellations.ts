import "server-only";
import { eq } from "drizzle-orm";
import { z } from "zod";
import { providerCancellations } from "@/db/schema";
import { callThroughBreaker } from "@/lib/breakers";
import { providers } from "@/lib/providers";
import { ActionFailure, defineAction } from "@/lib/procedures";

// Job step (payment reconciliation): sends one cancellation a purge queued while payments were off.
export const sendQueuedCancellation = defineAction({
  name: "billing.send_queued_cancellation",
  permission: "system",
  // INCIDENT: payments are switched off during a provider incident.
  // FAILURE MODE: queued cancellations wait in provider_cancellations; nothing is sent.
  // SAFE TO RETRY: yes; the queue is keyed by the tombstone and sent once payments are back.
  // OPERATOR ACTION: runbook payment-provider-down.
  flag: "payments",
  input: z.object({ tombstoneId: z.string().min(1).max(100) }),
  prepare: async ({ db, input }) => {
    const [queued] = await db.select().from(providerCancellations).where(eq(providerCancellations.tombstoneId, input.tombstoneId));
    if (!queued) throw new ActionFailure("conflict", "This cancellation was already sent.");
    // INCIDENT: the payments provider is down while queued cancellations are due.
    // FAILURE MODE: the breaker refuses or the call fails before the transaction: the row stays queued.
    // SAFE TO RETRY: yes; cancelling twice is not an error at the provider.
    // OPERATOR ACTION: runbook payment-provider-down.
    await callThroughBreaker("payments", () => providers.payments.cancelSubscription({ customerRef: queued.tombstoneId, paymentMethod: queued.paymentMethod }));
  },
  handler: async ({ tx, input }) => {
    await tx.delete(providerCancellations).where(eq(providerCancellations.tombstoneId, input.tombstoneId));
    return { tombstoneId: input.tombstoneId };
  },
  audit: { action: "billing.provider_cancellation", target: ({ input }) => ({ type: "tombstone", id: input.tombstoneId }) },
});
