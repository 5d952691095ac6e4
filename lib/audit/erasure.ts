import { eq } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { auditEventPersonal } from "@/db/schema";

/**
 * Erases a user's personal data from the audit log (email, ip, user agent,
 * names). The chained events keep only pseudonymous ids, so the chain still
 * verifies afterwards. Call it in the account deletion's transaction.
 */
export async function eraseAuditPersonalData(tx: Executor, userId: string): Promise<number> {
  const removed = await tx.delete(auditEventPersonal).where(eq(auditEventPersonal.subjectUserId, userId)).returning({ id: auditEventPersonal.eventId });
  return removed.length;
}
