import "server-only";
import { and, inArray, lt, sql } from "drizzle-orm";
import { z } from "zod";
import { invoices, legalHolds, retainedInvoices } from "@/db/schema";
import { addDays, retentionPolicy } from "@/lib/accounts";
import { defineAction } from "@/lib/procedures";

/**
 * Job step: deletes invoices older than the declared invoice retention
 * (RETENTION_POLICIES "invoices"), those of live accounts and those kept
 * under a tombstone after a deletion, a bounded batch of each. Invoices of
 * an account under a legal hold stay.
 */
export const enforceInvoiceRetention = defineAction({
  name: "billing.enforce_invoice_retention",
  permission: "system",
  input: z.object({ now: z.coerce.date(), limit: z.number().int().min(1).max(1000) }),
  handler: async ({ tx, input }) => {
    const before = addDays(input.now, -retentionPolicy("invoices").retentionDays!);
    const due = await tx
      .select({ id: invoices.id })
      .from(invoices)
      .where(and(lt(invoices.createdAt, before), sql`not exists (select 1 from ${legalHolds} where ${legalHolds.userId} = ${invoices.userId} and ${legalHolds.liftedAt} is null)`))
      .limit(input.limit);
    const live = due.length === 0 ? [] : await tx.delete(invoices).where(inArray(invoices.id, due.map((d) => d.id))).returning({ id: invoices.id });
    const dueRetained = await tx.select({ id: retainedInvoices.id }).from(retainedInvoices).where(lt(retainedInvoices.retainUntil, input.now)).limit(input.limit);
    const retained = dueRetained.length === 0 ? [] : await tx.delete(retainedInvoices).where(inArray(retainedInvoices.id, dueRetained.map((d) => d.id))).returning({ id: retainedInvoices.id });
    return { live: live.length, retained: retained.length, before: before.toISOString() };
  },
  audit: {
    action: "invoice.retention_expired",
    target: () => ({ type: "invoices", id: null }),
    metadata: ({ data }) => ({ deleted: data?.live, deletedRetained: data?.retained, createdBefore: data?.before }),
  },
});
