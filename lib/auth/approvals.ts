import "server-only";
import { eq } from "drizzle-orm";
import type { Executor } from "@/lib/database";
import { users } from "@/db/schema";
import { ActionFailure } from "@/lib/safety";

/**
 * Four-eyes, one rule for every approval (flag changes, access changes):
 * the second admin is not the one who asked, and has not been an admin for
 * less than this long before the request was made. So one admin cannot
 * promote a second account of their own and approve their own change with
 * it, even after another admin was talked into the promotion.
 */
export const APPROVER_STANDING_HOURS = 24;

export async function assertSecondAdmin(db: Executor, approver: { id: string; label: string }, request: { requestedBy: string; createdAt: Date }): Promise<void> {
  if (approver.label === request.requestedBy) throw new ActionFailure("forbidden", "A second admin must decide on this change, not the one who asked for it.");
  const [row] = await db.select({ promotedAt: users.promotedAt }).from(users).where(eq(users.id, approver.id));
  const standingSince = request.createdAt.getTime() - APPROVER_STANDING_HOURS * 60 * 60 * 1000;
  if (row?.promotedAt && row.promotedAt.getTime() > standingSince) {
    throw new ActionFailure("forbidden", `You became an admin less than ${APPROVER_STANDING_HOURS} hours before this change was requested; an admin of longer standing must decide it.`);
  }
}
