import "server-only";
import { and, asc, eq, gt, sql } from "drizzle-orm";
import { executeRows, type Executor } from "@/lib/database";
import { auditEventPersonal, auditEvents } from "@/db/schema";
import { erasureMark, eventHash, personalDigest, sameMac } from "./chain";

export type ChainProblem = "hash_mismatch" | "broken_link" | "personal_mismatch" | "missing_anchored";
export type BrokenLink = { id: number; category: string; problem: ChainProblem };

/** One chain: a category's lane (lib/audit/lanes.ts). */
export type Chain = { category: string; lane: number };

/** Where a walk starts: after this id, expecting this hash (and sequence number) as the next event's `prev_hash`. */
export type WalkStart = { afterId: number; prevHash: string | null; prevSeq: number | null };
/** A chain's newest event as an anchor records it. */
export type AnchoredHead = { lastId: number; hash: string | null; seq: number | null };

export type ChainWalk = { checked: number; problem: BrokenLink | null; last: AnchoredHead | null; sawAnchored: boolean };

const PAGE = 2000;

/** Every (category, lane) with events, by a loose index scan of (category, lane, id): cheap at any size. */
export async function chainsWithEvents(db: Executor): Promise<Chain[]> {
  const rows = await executeRows<{ category: string; lane: number | string }>(
    db,
    sql`with recursive c as (
          (select category, lane from audit_events order by category, lane limit 1)
          union all
          select n.category, n.lane from c, lateral (
            select e.category, e.lane from audit_events e where (e.category, e.lane) > (c.category, c.lane) order by e.category, e.lane limit 1
          ) n
        ) select category, lane from c`,
  );
  return rows.map((r) => ({ category: r.category, lane: Number(r.lane) }));
}

function page(db: Executor, chain: Chain, afterId: number) {
  return db
    .select({
      event: auditEvents,
      // Events from before the chain was keyed are checked as they always were, by the database's digest.
      legacyDigest: sql<string | null>`case when ${auditEvents.seq} is null then audit_event_digest(${auditEvents}) end`,
      personal: auditEventPersonal,
    })
    .from(auditEvents)
    .leftJoin(auditEventPersonal, eq(auditEventPersonal.eventId, auditEvents.id))
    .where(and(eq(auditEvents.category, chain.category), eq(auditEvents.lane, chain.lane), gt(auditEvents.id, afterId)))
    .orderBy(asc(auditEvents.id))
    .limit(PAGE);
}

type Row = Awaited<ReturnType<typeof page>>[number];

function personalProblem(row: Row): boolean {
  const { event, personal } = row;
  if (event.seq === null) return false;
  if (!event.personalDigest) return personal !== null;
  if (!personal) return true;
  if (personal.erasedAt) return !sameMac(erasureMark(event.id, personal.erasedAt, event.personalDigest), personal.erasureMac);
  const digest = personalDigest({ salt: personal.salt ?? "", subjectUserId: personal.subjectUserId, ip: personal.ip, userAgent: personal.userAgent, data: personal.data });
  return !sameMac(digest, event.personalDigest);
}

/**
 * Walks one chain (a category's lane) in id order from `start`: every event must
 * link to the one before it (prev_hash, and seq + 1 once keyed), its keyed
 * hash must match its content, and its personal row must match the digest
 * sealed into it (or carry a valid erasure mark). Stops at the first problem.
 * `anchored` names an event that must be met on the way with the hash the
 * anchor recorded.
 */
export async function walkChain(db: Executor, chainId: string, chain: Chain, start: WalkStart, anchored?: AnchoredHead): Promise<ChainWalk> {
  const { category } = chain;
  let prevHash = start.prevHash;
  let prevSeq = start.prevSeq;
  let afterId = start.afterId;
  let keyedSeen = start.prevSeq !== null;
  let checked = 0;
  let last: AnchoredHead | null = null;
  let sawAnchored = false;
  const broken = (id: number, problem: ChainProblem): ChainWalk => ({ checked, problem: { id, category, problem }, last, sawAnchored });
  for (;;) {
    const rows = await page(db, chain, afterId);
    for (const row of rows) {
      const e = row.event;
      checked++;
      if (e.prevHash !== prevHash) return broken(e.id, "broken_link");
      if (e.seq === null) {
        // An unkeyed event after keyed ones is a rewrite dressed up as history; and every one of them predates lanes.
        if (keyedSeen || chain.lane !== 0 || e.hash !== row.legacyDigest) return broken(e.id, "hash_mismatch");
      } else {
        if (prevSeq !== null && e.seq !== prevSeq + 1) return broken(e.id, "broken_link");
        const expected = eventHash({ ...e, chainId, seq: e.seq, metadata: e.metadata });
        if (!sameMac(expected, e.hash)) return broken(e.id, "hash_mismatch");
        keyedSeen = true;
      }
      if (personalProblem(row)) return broken(e.id, "personal_mismatch");
      if (anchored && e.id === anchored.lastId) {
        if (e.hash !== anchored.hash) return broken(e.id, "hash_mismatch");
        sawAnchored = true;
      }
      prevHash = e.hash;
      prevSeq = e.seq;
      last = { lastId: e.id, hash: e.hash, seq: e.seq };
    }
    if (rows.length < PAGE) return { checked, problem: null, last, sawAnchored };
    afterId = rows.at(-1)!.event.id;
  }
}
