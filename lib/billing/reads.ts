import "server-only";
import { desc, eq } from "drizzle-orm";
import type { Executor } from "@/lib/database";
import { invoices, subscriptions } from "@/db/schema";

export async function findSubscription(db: Executor, userId: string) {
  const [row] = await db.select().from(subscriptions).where(eq(subscriptions.userId, userId));
  return row ?? null;
}

export function listInvoices(db: Executor, userId: string, limit = 50) {
  return db
    .select({ id: invoices.id, plan: invoices.plan, amountCents: invoices.amountCents, currency: invoices.currency, status: invoices.status, description: invoices.description, createdAt: invoices.createdAt })
    .from(invoices)
    .where(eq(invoices.userId, userId))
    .orderBy(desc(invoices.createdAt))
    .limit(limit);
}
