import "server-only";
import { eq, sql } from "drizzle-orm";
import { executeRows, type Executor } from "@/lib/database";
import { auditEventPersonal, auditEvents } from "@/db/schema";
import { erasureMark } from "./chain";

const BATCH = 1000;

/**
 * Erases a user's personal data from the audit log (email, ip, user agent,
 * names). Each row is emptied, not deleted: it keeps its event id, the time
 * of the erasure and a keyed mark over both and the digest its event
 * sealed, so verify tells an erasure from tampering. The chained events
 * keep only pseudonymous ids and still verify. Call it in the account
 * deletion's transaction.
 */
export async function eraseAuditPersonalData(tx: Executor, userId: string, erasedAt = new Date()): Promise<number> {
  const rows = await tx
    .select({ eventId: auditEventPersonal.eventId, digest: auditEvents.personalDigest })
    .from(auditEventPersonal)
    .innerJoin(auditEvents, eq(auditEvents.id, auditEventPersonal.eventId))
    .where(eq(auditEventPersonal.subjectUserId, userId));
  for (let i = 0; i < rows.length; i += BATCH) {
    const marks = rows.slice(i, i + BATCH).map((r) => ({ event_id: r.eventId, mark: r.digest ? erasureMark(r.eventId, erasedAt, r.digest) : null }));
    const erase = sql`
      update audit_event_personal p
      set subject_user_id = null, ip = null, user_agent = null, data = '{}'::jsonb, salt = null,
          erased_at = ${erasedAt.toISOString()}::timestamptz, erasure_mac = m.mark
      from jsonb_to_recordset(${JSON.stringify(marks)}::jsonb) as m(event_id bigint, mark text)
      where p.event_id = m.event_id`;
    await executeRows(tx, erase);
  }
  return rows.length;
}
