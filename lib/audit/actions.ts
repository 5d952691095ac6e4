import { z } from "zod";
import { defineAction } from "@/lib/procedures";
import { applyAuditRetention } from "./retain";
import { AUDIT_CATEGORIES, type AuditCategory } from "./retention";
import { saveVerification, verifyAuditChain } from "./verify";

// Staff can re-check the chain on demand; the result is kept for the audit page.
export const verifyAuditChainAction = defineAction({
  name: "audit.verify",
  permission: "admin:read",
  input: z.object({}).strict(),
  handler: async ({ tx, user }) => {
    const result = await verifyAuditChain(tx);
    await saveVerification(tx, result, user.id);
    return result;
  },
  audit: {
    action: "audit.verify",
    target: () => ({ type: "audit_log", id: null }),
    metadata: ({ data }) => ({ ok: data?.ok, checked: data?.checked, firstBrokenId: data?.firstBroken?.id }),
  },
});

const keepDays = z.number().int().min(1).max(36_500);

// The retention job (or the ops CLI) removes expired events per category, leaving signed checkpoints.
export const applyAuditRetentionAction = defineAction({
  name: "audit.retention",
  permission: "system",
  input: z.object({
    now: z.coerce.date().optional(),
    /** Tests and drills shorten retention; production uses lib/audit/retention.ts. */
    keepDays: z.partialRecord(z.enum(AUDIT_CATEGORIES as [AuditCategory, ...AuditCategory[]]), keepDays).optional(),
  }).strict(),
  handler: async ({ tx, input }) => {
    const outcomes = await applyAuditRetention(tx, input.now ?? new Date(), input.keepDays);
    return { outcomes, removed: outcomes.reduce((n, o) => n + o.removed, 0) };
  },
  audit: {
    action: "audit.retention",
    target: () => ({ type: "audit_log", id: null }),
    metadata: ({ data }) => ({ removed: data?.removed, byCategory: Object.fromEntries((data?.outcomes ?? []).map((o) => [o.category, o.removed])) }),
  },
});
