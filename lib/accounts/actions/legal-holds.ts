import "server-only";
import { and, eq, isNull } from "drizzle-orm";
import { z } from "zod";
import { legalHolds, users } from "@/db/schema";
import { ActionFailure, defineAction } from "@/lib/procedures";
import { activeLegalHold } from "../purge";

const userId = z.string().uuid("Unknown user.");

// Legal hold: blocks every purge of this user's data until lifted.
export const placeLegalHold = defineAction({
  name: "admin.place_legal_hold",
  permission: "admin:write",
  rateLimit: { policy: "admin", by: "user" },
  input: z.object({ userId, reason: z.string().trim().min(5, "Give the reason (at least 5 characters).").max(500) }),
  handler: async ({ tx, user, input }) => {
    const [target] = await tx.select({ id: users.id }).from(users).where(eq(users.id, input.userId));
    if (!target) throw new ActionFailure("not_found", "That user doesn't exist.");
    if (await activeLegalHold(tx, input.userId)) throw new ActionFailure("conflict", "This user is already under a legal hold.");
    const [hold] = await tx.insert(legalHolds).values({ userId: input.userId, reason: input.reason, placedBy: user.id }).returning({ id: legalHolds.id });
    return hold!;
  },
  audit: { action: "account.legal_hold_place", target: ({ input }) => ({ type: "user", id: input.userId }), metadata: ({ input }) => ({ reason: input.reason }) },
});

export const liftLegalHold = defineAction({
  name: "admin.lift_legal_hold",
  permission: "admin:write",
  // INCIDENT: destructive admin actions must stop (a compromised admin, a bad bulk action).
  // FAILURE MODE: with admin_destructive off, lifting a hold (which lets held data be deleted again) is refused; placing one still works.
  // SAFE TO RETRY: yes; a refused call changed nothing.
  // OPERATOR ACTION: runbook incident-response; switch admin_destructive off.
  flag: "admin_destructive",
  rateLimit: { policy: "admin", by: "user" },
  input: z.object({ userId }),
  handler: async ({ tx, user, input }) => {
    const lifted = await tx.update(legalHolds).set({ liftedAt: new Date(), liftedBy: user.id }).where(and(eq(legalHolds.userId, input.userId), isNull(legalHolds.liftedAt))).returning({ id: legalHolds.id });
    if (lifted.length === 0) throw new ActionFailure("not_found", "This user has no active legal hold.");
    return { lifted: lifted.length };
  },
  audit: { action: "account.legal_hold_lift", target: ({ input }) => ({ type: "user", id: input.userId }) },
});
