import "server-only";
import { eq } from "drizzle-orm";
import { paymentCustomers } from "@/db/schema";
import type { Executor } from "@/lib/database";
import { configuredStripe } from "./stripe-client";

/** Whether charges need a saved card (Stripe), and whether this user has one; null when the provider needs none (the fake). */
export async function cardOnFile(db: Executor, userId: string): Promise<{ onFile: boolean } | null> {
  if (!configuredStripe()) return null;
  const [row] = await db.select({ pm: paymentCustomers.defaultPaymentMethod }).from(paymentCustomers).where(eq(paymentCustomers.userId, userId));
  return { onFile: Boolean(row?.pm) };
}
