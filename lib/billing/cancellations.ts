import "server-only";
import { asc, eq } from "drizzle-orm";
import type { Executor } from "@/lib/database";
import { paymentCustomers, providerCancellations } from "@/db/schema";

/**
 * Queues the provider cancellation of an account being purged while
 * `payments` is off, inside the purge's transaction: read the saved card
 * now, before the account (and its customer row) is deleted.
 */
export async function queueProviderCancellation(tx: Executor, account: { userId: string; tombstoneId: string }): Promise<void> {
  const [customer] = await tx.select({ card: paymentCustomers.defaultPaymentMethod }).from(paymentCustomers).where(eq(paymentCustomers.userId, account.userId));
  await tx.insert(providerCancellations).values({ tombstoneId: account.tombstoneId, paymentMethod: customer?.card ?? null }).onConflictDoNothing();
}

/** Queued cancellations, oldest first. */
export async function queuedCancellations(db: Executor, limit: number): Promise<{ tombstoneId: string }[]> {
  return db.select({ tombstoneId: providerCancellations.tombstoneId }).from(providerCancellations).orderBy(asc(providerCancellations.queuedAt)).limit(limit);
}
