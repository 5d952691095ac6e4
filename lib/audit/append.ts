import "server-only";
import { sql, type SQL } from "drizzle-orm";
import { AUDIT_APPEND_SQL, executeRows, type Db, type Executor } from "@/lib/database";
import { eventHash, type EventContent, type PersonalContent } from "./chain";

/** An event ready to append: its content is fixed, its place in the chain not yet known. */
export type PreparedEvent = EventContent & { personal: PersonalContent | null };

type Head = { seq: number; lastHash: string | null };
type ChainPosition = { chainId: string; head: Head };
type Sealed = PreparedEvent & { n: number; seq: number | null; prevHash: string | null; hash: string | null };

/** At most this many events share one append statement. */
const MAX_BATCH = 256;

/**
 * The last head this process wrote or read, per category: a guess that lets
 * an append go out as one statement. When another writer moved the head
 * since, the statement's compare-and-set matches nothing, nothing is
 * written, and the append retries from the locked row.
 */
let lastSeen: { chainId: string; heads: Map<string, Head> } | null = null;

function remember(category: string, chainId: string, head: Head): void {
  if (lastSeen?.chainId !== chainId) lastSeen = { chainId, heads: new Map() };
  lastSeen.heads.set(category, head);
}

function guess(category: string): ChainPosition | null {
  const head = lastSeen?.heads.get(category);
  return lastSeen && head ? { chainId: lastSeen.chainId, head } : null;
}

/** Marks SQL that writes only audit tables, so a read-only support session can still record (db/read-only.ts). */
function auditSql(query: SQL): SQL {
  Object.defineProperty(query, AUDIT_APPEND_SQL, { value: true });
  return query;
}

function seal(events: readonly PreparedEvent[], at: ChainPosition | null): { rows: Sealed[]; next: Head | null } {
  let head = at?.head ?? null;
  const rows = events.map((event, i): Sealed => {
    if (!at || !head) return { ...event, n: i, seq: null, prevHash: null, hash: null };
    const seq = head.seq + 1;
    const hash = eventHash({ ...event, chainId: at.chainId, seq, prevHash: head.lastHash });
    const row = { ...event, n: i, seq, prevHash: head.lastHash, hash };
    head = { seq, lastHash: hash };
    return row;
  });
  return { rows, next: head };
}

/**
 * One statement appends the batch: it moves the category's head from the
 * expected position to the new one (the row lock serialises appends per
 * category until the transaction commits), draws ids in chain order, and
 * inserts the events with their personal rows. When the head is not where
 * the writer expected, it inserts nothing.
 */
function appendStatement(category: string, rows: readonly Sealed[], cas: { chainId: string; from: Head; to: Head } | null): SQL {
  const json = JSON.stringify(
    rows.map((r) => ({
      n: r.n,
      seq: r.seq,
      occurred_at: r.occurredAt.toISOString(),
      actor_type: r.actorType,
      actor_id: r.actorId,
      impersonator_id: r.impersonatorId,
      action: r.action,
      target_type: r.targetType,
      target_id: r.targetId,
      outcome: r.outcome,
      metadata: r.metadata,
      request_id: r.requestId,
      personal_digest: r.personalDigest,
      prev_hash: r.prevHash,
      hash: r.hash,
      has_personal: r.personal !== null,
      subject_user_id: r.personal?.subjectUserId ?? null,
      ip: r.personal?.ip ?? null,
      user_agent: r.personal?.userAgent ?? null,
      data: r.personal?.data ?? null,
      salt: r.personal?.salt ?? null,
    })),
  );
  const head = cas
    ? sql`update audit_chain_heads set seq = ${cas.to.seq}, last_hash = ${cas.to.lastHash}
          where category = ${category} and seq = ${cas.from.seq} and last_hash is not distinct from ${cas.from.lastHash}::text
            and exists (select 1 from audit_chain where chain_id = ${cas.chainId}::uuid)
          returning 1`
    : sql`select 1`;
  return auditSql(sql`
    with head as (${head}),
    numbered as (
      select nextval('audit_events_id_seq'::regclass) as id, r.* from (
        select r.* from head, jsonb_to_recordset(${json}::jsonb) as r(
          n int, seq bigint, occurred_at timestamptz, actor_type actor_type, actor_id text, impersonator_id text, action text,
          target_type text, target_id text, outcome audit_outcome, metadata jsonb, request_id text, personal_digest text,
          prev_hash text, hash text, has_personal boolean, subject_user_id text, ip text, user_agent text, data jsonb, salt text)
        order by r.n offset 0
      ) r
    ),
    ins as (
      insert into audit_events (id, category, seq, occurred_at, actor_type, actor_id, impersonator_id, action, target_type,
                                target_id, outcome, metadata, request_id, personal_digest, prev_hash, hash)
      select id, ${category}, seq, occurred_at, actor_type, actor_id, impersonator_id, action, target_type,
             target_id, outcome, metadata, request_id, personal_digest, prev_hash, hash
      from numbered
      returning id
    ),
    personal as (
      insert into audit_event_personal (event_id, subject_user_id, ip, user_agent, data, salt)
      select id, subject_user_id, ip, user_agent, coalesce(data, '{}'::jsonb), salt from numbered where has_personal
      returning event_id
    )
    select id from ins`);
}

/** Locks the category's head for this transaction and reads it (creating it for a new category). */
async function lockHead(tx: Executor, category: string): Promise<ChainPosition> {
  const select = auditSql(
    sql`select h.seq, h.last_hash, (select chain_id::text from audit_chain) as chain_id from audit_chain_heads h where h.category = ${category} for update`,
  );
  type Row = { seq: string | number; last_hash: string | null; chain_id: string | null };
  let [row] = await executeRows<Row>(tx, select);
  if (!row) {
    await executeRows(tx, auditSql(sql`insert into audit_chain_heads (category, seq, last_hash) values (${category}, 0, null) on conflict (category) do nothing`));
    [row] = await executeRows<Row>(tx, select);
  }
  if (!row?.chain_id) throw new Error("The audit log has no chain identity (table audit_chain): run the migrations.");
  return { chainId: row.chain_id, head: { seq: Number(row.seq), lastHash: row.last_hash } };
}

async function tryAppend(db: Executor, category: string, events: readonly PreparedEvent[], at: ChainPosition | null): Promise<boolean> {
  const { rows, next } = seal(events, at);
  const cas = at && next ? { chainId: at.chainId, from: at.head, to: next } : null;
  const inserted = await executeRows<{ id: string | number }>(db, appendStatement(category, rows, cas));
  if (inserted.length === 0) return false;
  if (inserted.length !== events.length) throw new Error(`audit append wrote ${inserted.length} of ${events.length} events`);
  if (at && next) remember(category, at.chainId, next);
  return true;
}

/** Appends on `db` as one step: optimistic from the last head seen, else from the locked head. */
async function appendChained(db: Executor, category: string, events: readonly PreparedEvent[]): Promise<void> {
  const guessed = guess(category);
  if (guessed && (await tryAppend(db, category, events, guessed))) return;
  const locked = async (tx: Executor) => {
    const at = await lockHead(tx, category);
    if (!(await tryAppend(tx, category, events, at))) throw new Error(`audit chain head of ${category} moved while locked`);
  };
  // Inside the caller's transaction the lock is held until it commits; on the root handle, a short transaction of our own.
  if (isTransaction(db)) await locked(db);
  else await (db as Db).transaction(locked);
}

function isTransaction(db: Executor): boolean {
  return "rollback" in db;
}

type Pending = { event: PreparedEvent; resolve: () => void; reject: (error: unknown) => void };
type Lane = { queue: Pending[]; draining: boolean };

export type AuditWriter = { append: (db: Executor, event: PreparedEvent) => Promise<void> };

/**
 * How events reach the log. Inside a transaction, an event is appended at
 * once (it commits or rolls back with the change it describes). On the root
 * handle, events for one category that arrive while an append is in flight
 * wait and then go out together in one statement: several appends under one
 * hold of the head, which is what keeps throughput up with many writers.
 * `chained: false` is the same path with the chain step left out, for the
 * benchmark's peer only.
 */
export function createAuditWriter(options: { chained: boolean }): AuditWriter {
  const write = (db: Executor, category: string, events: readonly PreparedEvent[]) =>
    options.chained ? appendChained(db, category, events) : tryAppend(db, category, events, null).then(() => undefined);
  const lanes = new WeakMap<object, Map<string, Lane>>();

  async function drain(db: Executor, category: string, lane: Lane): Promise<void> {
    try {
      while (lane.queue.length > 0) {
        const batch = lane.queue.splice(0, MAX_BATCH);
        try {
          await write(db, category, batch.map((p) => p.event));
          for (const p of batch) p.resolve();
        } catch (error) {
          if (batch.length === 1) batch[0]!.reject(error);
          // One bad event must not fail its neighbours: each is tried alone.
          else for (const p of batch) await write(db, category, [p.event]).then(p.resolve, p.reject);
        }
      }
    } finally {
      lane.draining = false;
    }
  }

  return {
    append(db, event) {
      if (isTransaction(db)) return write(db, event.category, [event]);
      let byCategory = lanes.get(db);
      if (!byCategory) lanes.set(db, (byCategory = new Map()));
      const lane = byCategory.get(event.category) ?? { queue: [], draining: false };
      byCategory.set(event.category, lane);
      const done = new Promise<void>((resolve, reject) => lane.queue.push({ event, resolve, reject }));
      if (!lane.draining) {
        lane.draining = true;
        // Start on the next turn of the event loop: writers woken together by the last batch join the next one.
        setImmediate(() => void drain(db, event.category, lane));
      }
      return done;
    },
  };
}

/** The writer every caller uses. */
export const auditWriter = createAuditWriter({ chained: true });
