import "server-only";
import { and, desc, eq, inArray, isNull, lt, min, or, sql } from "drizzle-orm";
import { executeRows, withConnection, type Executor } from "@/lib/database";
import { auditEvents, legalHolds } from "@/db/schema";
import { env } from "@/lib/env";
import { signCheckpoint } from "./chain";
import { chainsWithEvents } from "./walk";
import { AUDIT_CATEGORIES, AUDIT_RETENTION, type AuditCategory } from "./retention";

/** Per category, over its lanes: events removed, and the newest event a removal went through. */
export type RetentionOutcome = { category: AuditCategory; removed: number; lastEventId: number | null; cutoff: string };

/** People under an active legal hold: their events are kept whatever their age. */
async function heldUserIds(db: Executor): Promise<string[]> {
  const rows = await db.select({ userId: legalHolds.userId }).from(legalHolds).where(isNull(legalHolds.liftedAt));
  return [...new Set(rows.map((r) => r.userId))];
}

/** Per lane, the oldest event of a category that concerns a held person (as actor, subject or the staff behind a support session). */
async function oldestHeldEvents(db: Executor, category: AuditCategory, held: string[]): Promise<Map<number, number>> {
  if (held.length === 0) return new Map();
  const rows = await db
    .select({ lane: auditEvents.lane, id: min(auditEvents.id) })
    .from(auditEvents)
    .where(and(eq(auditEvents.category, category), or(inArray(auditEvents.actorId, held), inArray(auditEvents.targetId, held), inArray(auditEvents.impersonatorId, held))))
    .groupBy(auditEvents.lane);
  return new Map(rows.flatMap((r) => (r.id === null ? [] : [[r.lane, r.id] as const])));
}

async function purge(db: Executor, now: Date, held: string[], keepDaysOverride?: Partial<Record<AuditCategory, number>>): Promise<RetentionOutcome[]> {
  const outcomes: RetentionOutcome[] = [];
  const lanesByCategory = new Map<string, number[]>();
  for (const chain of await chainsWithEvents(db)) lanesByCategory.set(chain.category, [...(lanesByCategory.get(chain.category) ?? []), chain.lane]);
  for (const category of AUDIT_CATEGORIES) {
    const keepDays = keepDaysOverride?.[category] ?? AUDIT_RETENTION[category].keepDays;
    const cutoff = new Date(now.getTime() - keepDays * 24 * 60 * 60 * 1000);
    // Retention removes a prefix of each lane's chain, so it stops before the lane's first held event: that one and all after it stay.
    const heldFrom = await oldestHeldEvents(db, category, held);
    const outcome: RetentionOutcome = { category, removed: 0, lastEventId: null, cutoff: cutoff.toISOString() };
    for (const lane of lanesByCategory.get(category) ?? []) {
      const stop = heldFrom.get(lane);
      // The chain prefix to remove ends at the lane's newest event older than the cutoff.
      const [through] = await db
        .select({ id: auditEvents.id, hash: auditEvents.hash })
        .from(auditEvents)
        .where(and(eq(auditEvents.category, category), eq(auditEvents.lane, lane), lt(auditEvents.occurredAt, cutoff), stop === undefined ? undefined : lt(auditEvents.id, stop)))
        .orderBy(desc(auditEvents.id))
        .limit(1);
      if (!through?.hash) continue;
      // The database removes the prefix of the lane this event is in; the checkpoint is signed for that lane.
      const signature = signCheckpoint(category, lane, through.id, through.hash);
      const [row] = await executeRows<{ removed: string | number }>(
        db,
        sql`select removed from audit_retention_purge(${category}, ${cutoff.toISOString()}::timestamptz, ${through.id}::bigint, ${signature})`,
      );
      outcome.removed += Number(row?.removed ?? 0);
      outcome.lastEventId = Math.max(outcome.lastEventId ?? 0, through.id);
    }
    outcomes.push(outcome);
  }
  return outcomes;
}

/**
 * Removes each category's events older than its retention through the
 * database's audit_retention_purge(): the only way past the append-only
 * trigger, callable only by the retention role, and it writes the signed
 * checkpoint (signed here: the database has no key) in the same
 * transaction as the delete, so the rest of the chain still verifies.
 *
 * With AUDIT_RETENTION_DATABASE_URL the purge runs on a connection of the
 * retention role and commits on its own, before the calling action's
 * transaction (which records the `audit.retention` event); otherwise in
 * that transaction, with the app's role (one-role setups).
 * Each lane of a category is its own chain, purged and checkpointed on its
 * own. A legal hold stops each lane's removal before its first event about
 * a held person (retention removes a prefix of a chain, never a gap).
 */
export async function applyAuditRetention(tx: Executor, now: Date, keepDaysOverride?: Partial<Record<AuditCategory, number>>): Promise<RetentionOutcome[]> {
  const url = env.AUDIT_RETENTION_DATABASE_URL;
  // Read with the app's role: the retention role sees nothing but the audit tables.
  const held = await heldUserIds(tx);
  return url ? withConnection(url, (retention) => purge(retention, now, held, keepDaysOverride)) : purge(tx, now, held, keepDaysOverride);
}
