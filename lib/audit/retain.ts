import { sql } from "drizzle-orm";
import { executeRows, type Executor } from "@/db/client";
import { auditCheckpoints } from "@/db/schema";
import { AUDIT_CATEGORIES, AUDIT_RETENTION, type AuditCategory } from "./retention";
import { signCheckpoint } from "./verify";

export type RetentionOutcome = { category: AuditCategory; removed: number; lastEventId: number | null; cutoff: string };

/**
 * Removes each category's events older than its retention, through the
 * database's audit_retention_purge() (the only way past the append-only
 * trigger), and writes a signed checkpoint of the last removed hash so the
 * rest of the chain still verifies. Run inside one transaction.
 */
export async function applyAuditRetention(tx: Executor, now: Date, keepDaysOverride?: Partial<Record<AuditCategory, number>>): Promise<RetentionOutcome[]> {
  const outcomes: RetentionOutcome[] = [];
  for (const category of AUDIT_CATEGORIES) {
    const keepDays = keepDaysOverride?.[category] ?? AUDIT_RETENTION[category].keepDays;
    const cutoff = new Date(now.getTime() - keepDays * 24 * 60 * 60 * 1000);
    const [row] = await executeRows<{ removed: string | number; last_id: string | number | null; last_hash: string | null }>(
      tx,
      sql`select removed, last_id, last_hash from audit_retention_purge(${category}, ${cutoff.toISOString()}::timestamptz)`,
    );
    const removed = Number(row?.removed ?? 0);
    const lastEventId = row?.last_id == null ? null : Number(row.last_id);
    if (removed > 0 && lastEventId !== null && row?.last_hash) {
      await tx.insert(auditCheckpoints).values({
        category,
        lastEventId,
        lastHash: row.last_hash,
        removedCount: removed,
        cutoff,
        signature: signCheckpoint(category, lastEventId, row.last_hash),
      });
    }
    outcomes.push({ category, removed, lastEventId, cutoff: cutoff.toISOString() });
  }
  return outcomes;
}
