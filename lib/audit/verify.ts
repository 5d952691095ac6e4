import { createHmac, timingSafeEqual } from "node:crypto";
import { desc, sql } from "drizzle-orm";
import { executeRows, type Executor } from "@/db/client";
import { auditCheckpoints, auditVerifications } from "@/db/schema";
import { env } from "@/lib/env";

export type ChainVerification = {
  ok: boolean;
  checked: number;
  /** The first event (lowest id) whose hash or link does not hold. */
  firstBroken: { id: number; category: string; problem: "hash_mismatch" | "broken_link" } | null;
  /** Checkpoints whose signature does not match (a forged retention record). */
  badCheckpoints: number[];
  detail: string;
};

/** Signature of a retention checkpoint: proves the removed prefix ended at this hash. */
export function signCheckpoint(category: string, lastEventId: number, lastHash: string): string {
  return createHmac("sha256", `audit-checkpoint:${env.authSecret}`).update(`${category}|${lastEventId}|${lastHash}`).digest("hex");
}

function signatureValid(c: { category: string; lastEventId: number; lastHash: string; signature: string }): boolean {
  const expected = Buffer.from(signCheckpoint(c.category, c.lastEventId, c.lastHash));
  const given = Buffer.from(c.signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/**
 * Walks every category's chain in the database: each event's stored hash
 * must equal the digest of its content (audit_event_digest, the same
 * function the insert trigger uses) and its prev_hash must equal the
 * previous event's hash, or the latest retention checkpoint's for the first
 * event left. Reports the first broken link by id.
 */
export async function verifyAuditChain(db: Executor): Promise<ChainVerification> {
  const [counted] = await executeRows<{ n: string | number }>(db, sql`select count(*) as n from audit_events`);
  const checked = Number(counted?.n ?? 0);
  const [broken] = await executeRows<{ id: string | number; category: string; bad_hash: boolean }>(
    db,
    sql`
      with anchors as (
        select distinct on (category) category, last_hash from audit_checkpoints order by category, last_event_id desc
      ), chain as (
        select e.id, e.category, e.hash, e.prev_hash, audit_event_digest(e) as expected,
               lag(e.hash) over (partition by e.category order by e.id) as previous
        from audit_events e
      )
      select c.id, c.category, (c.hash is distinct from c.expected) as bad_hash
      from chain c left join anchors a on a.category = c.category
      where c.hash is distinct from c.expected
         or c.prev_hash is distinct from coalesce(c.previous, a.last_hash)
      order by c.id
      limit 1`,
  );
  const checkpoints = await db.select().from(auditCheckpoints).orderBy(desc(auditCheckpoints.id));
  const badCheckpoints = checkpoints.filter((c) => !signatureValid(c)).map((c) => c.id);
  const firstBroken = broken
    ? { id: Number(broken.id), category: broken.category, problem: broken.bad_hash ? ("hash_mismatch" as const) : ("broken_link" as const) }
    : null;
  const ok = !firstBroken && badCheckpoints.length === 0;
  const detail = ok
    ? `Chain intact: ${checked} events in order, ${checkpoints.length} signed checkpoints.`
    : firstBroken
      ? `First broken link: event ${firstBroken.id} (${firstBroken.category}): ${firstBroken.problem === "hash_mismatch" ? "its content no longer matches its hash" : "it does not follow the previous event's hash"}.`
      : `Checkpoint signature invalid: ${badCheckpoints.join(", ")}.`;
  return { ok, checked, firstBroken, badCheckpoints, detail };
}

/** Stores a verification so the admin page can show the last one. */
export async function saveVerification(db: Executor, result: ChainVerification, ranBy: string): Promise<void> {
  await db.insert(auditVerifications).values({
    ok: result.ok,
    checkedCount: result.checked,
    firstBrokenId: result.firstBroken?.id ?? null,
    detail: result.detail,
    ranBy,
  });
}

export async function latestVerification(db: Executor) {
  const [row] = await db.select().from(auditVerifications).orderBy(desc(auditVerifications.ranAt)).limit(1);
  return row ?? null;
}
