import "server-only";
import { sql, type SQL } from "drizzle-orm";
import { AUDIT_APPEND_SQL, executeRows, type Db, type Executor } from "@/lib/database";
import { eventHasher, type ChainPlace, type EventContent, type PersonalContent } from "./chain";
import { AUDIT_LANES, chainName } from "./lanes";

/** An event ready to append: its content is fixed, its place in the chain not yet known. */
export type PreparedEvent = EventContent & { personal: PersonalContent | null };

type Head = { seq: number; lastHash: string | null };
/** Event `n` of a batch at its place on one lane (all null when the chain step is off). */
type Sealed = { n: number; lane: number; seq: number | null; prevHash: string | null; hash: string | null };
/** The batch sealed onto one lane's head as this process last saw it, and the head it leaves. */
type Candidate = { lane: number; from: Head; to: Head; rows: Sealed[] };

/** At most this many events share one append statement. */
const MAX_BATCH = 256;

/**
 * What this process last wrote or read of each lane's head, per category: a
 * guess that lets an append go out as one statement. When another writer
 * moved a head since, the statement's compare-and-set matches nothing,
 * nothing is written, and the append retries from the head it now holds.
 * `preferred`: the lane the root handle last appended to, per category.
 */
let lastSeen: { chainId: string; heads: Map<string, Head>; preferred: Map<string, number> } | null = null;

function remember(chainId: string, category: string, lane: number, head: Head): void {
  if (lastSeen?.chainId !== chainId) lastSeen = { chainId, heads: new Map(), preferred: new Map() };
  lastSeen.heads.set(chainName(category, lane), head);
}

function known(category: string, lane: number): Head | null {
  return lastSeen?.heads.get(chainName(category, lane)) ?? null;
}

/** Marks SQL that writes only audit tables, so a read-only support session can still record (db/read-only.ts). */
function auditSql(query: SQL): SQL {
  Object.defineProperty(query, AUDIT_APPEND_SQL, { value: true });
  return query;
}

/** Seals the batch's events, each given as its hasher, onto one lane from the head `from`. */
function seal(chainId: string, lane: number, from: Head, hashers: readonly ((place: ChainPlace) => string)[]): Candidate {
  let head = from;
  const rows = hashers.map((hashAt, i): Sealed => {
    const seq = head.seq + 1;
    const hash = hashAt({ chainId, lane, seq, prevHash: head.lastHash });
    const row = { n: i, lane, seq, prevHash: head.lastHash, hash };
    head = { seq, lastHash: hash };
    return row;
  });
  return { lane, from, to: head, rows };
}

function unsealed(events: readonly PreparedEvent[]): Sealed[] {
  return events.map((_, i) => ({ n: i, lane: 0, seq: null, prevHash: null, hash: null }));
}

/** Each event's content, once however many lanes it was sealed for. */
function eventsJson(events: readonly PreparedEvent[]): string {
  return JSON.stringify(
    events.map((e, n) => ({
      n,
      occurred_at: e.occurredAt.toISOString(),
      actor_type: e.actorType,
      actor_id: e.actorId,
      impersonator_id: e.impersonatorId,
      action: e.action,
      target_type: e.targetType,
      target_id: e.targetId,
      outcome: e.outcome,
      metadata: e.metadata,
      request_id: e.requestId,
      personal_digest: e.personalDigest,
      has_personal: e.personal !== null,
      subject_user_id: e.personal?.subjectUserId ?? null,
      ip: e.personal?.ip ?? null,
      user_agent: e.personal?.userAgent ?? null,
      data: e.personal?.data ?? null,
      salt: e.personal?.salt ?? null,
    })),
  );
}

/** Each event's place on each lane it was sealed for: a few numbers and two hashes per lane. */
function linksJson(rows: readonly Sealed[]): string {
  return JSON.stringify(rows.map((r) => ({ n: r.n, lane: r.lane, seq: r.seq, prev_hash: r.prevHash, hash: r.hash })));
}

/** What an append statement reports: the lane it took (null when none was free) with that lane's head before the append, and how many events it wrote. */
type Outcome = { lane: number | null; head: Head | null; chainId: string | null; inserted: number };

/**
 * One statement appends the batch. With `chain`, it takes the lowest of the
 * eligible lanes that no other transaction holds (FOR UPDATE SKIP LOCKED:
 * the lock lasts until the transaction commits, so concurrent transactions
 * each get their own lane), and when one of the candidates was sealed onto
 * that lane's current head it moves the head and inserts that candidate's
 * events with their personal rows, ids drawn in chain order. Otherwise it
 * inserts nothing and reports the lane it took and its head. Without
 * `chain` (the benchmark's peer) it inserts the rows as they are.
 */
function appendStatement(category: string, events: readonly PreparedEvent[], links: readonly Sealed[], chain: { chainId: string | null; eligible: readonly number[]; candidates: readonly Candidate[] } | null): SQL {
  const lanes = `{${(chain?.eligible ?? []).join(",")}}`;
  const candidates = JSON.stringify(
    (chain?.candidates ?? []).map((c) => ({ lane: c.lane, from_seq: c.from.seq, from_hash: c.from.lastHash, to_seq: c.to.seq, to_hash: c.to.lastHash })),
  );
  const taken = chain
    ? sql`pick as (
        select h.lane, h.seq, h.last_hash, (select chain_id::text from audit_chain) as chain_id from audit_chain_heads h
        where h.category = ${category} and h.lane = any(${lanes}::smallint[])
        order by h.lane limit 1 for update skip locked
      ),
      head as (
        update audit_chain_heads h set seq = c.to_seq, last_hash = c.to_hash
        from pick p join jsonb_to_recordset(${candidates}::jsonb) as c(lane smallint, from_seq bigint, from_hash text, to_seq bigint, to_hash text)
          on c.lane = p.lane and c.from_seq = p.seq and c.from_hash is not distinct from p.last_hash
        where h.category = ${category} and h.lane = p.lane and p.chain_id = ${chain.chainId}
        returning h.lane
      ),`
    : sql`pick as (select null::smallint as lane, null::bigint as seq, null::text as last_hash, null::text as chain_id),
      head as (select 0::smallint as lane),`;
  return auditSql(sql`
    with ${taken}
    numbered as (
      select nextval('audit_events_id_seq'::regclass) as id, r.* from (
        select l.lane, l.seq, l.prev_hash, l.hash, e.*
        from head
        join jsonb_to_recordset(${linksJson(links)}::jsonb) as l(n int, lane smallint, seq bigint, prev_hash text, hash text) on l.lane = head.lane
        join jsonb_to_recordset(${eventsJson(events)}::jsonb) as e(
          n int, occurred_at timestamptz, actor_type actor_type, actor_id text, impersonator_id text, action text,
          target_type text, target_id text, outcome audit_outcome, metadata jsonb, request_id text, personal_digest text,
          has_personal boolean, subject_user_id text, ip text, user_agent text, data jsonb, salt text) on e.n = l.n
        order by l.n offset 0
      ) r
    ),
    ins as (
      insert into audit_events (id, category, lane, seq, occurred_at, actor_type, actor_id, impersonator_id, action, target_type,
                                target_id, outcome, metadata, request_id, personal_digest, prev_hash, hash)
      select id, ${category}, lane, seq, occurred_at, actor_type, actor_id, impersonator_id, action, target_type,
             target_id, outcome, metadata, request_id, personal_digest, prev_hash, hash
      from numbered
      returning id
    ),
    personal as (
      insert into audit_event_personal (event_id, subject_user_id, ip, user_agent, data, salt)
      select id, subject_user_id, ip, user_agent, coalesce(data, '{}'::jsonb), salt from numbered where has_personal
      returning event_id
    )
    select p.lane, p.seq, p.last_hash, p.chain_id, (select count(*) from ins) as inserted from (select 1) one left join pick p on true`);
}

type OutcomeRow = { lane: number | string | null; seq: string | number | null; last_hash: string | null; chain_id: string | null; inserted: string | number };

async function run(db: Executor, category: string, events: readonly PreparedEvent[], links: readonly Sealed[], chain: Parameters<typeof appendStatement>[3]): Promise<Outcome> {
  const [row] = await executeRows<OutcomeRow>(db, appendStatement(category, events, links, chain));
  const lane = row?.lane === null || row?.lane === undefined ? null : Number(row.lane);
  return {
    lane,
    head: lane === null ? null : { seq: Number(row!.seq), lastHash: row!.last_hash },
    chainId: row?.chain_id ?? null,
    inserted: Number(row?.inserted ?? 0),
  };
}

/**
 * Seals the batch onto the lowest eligible lanes whose heads this process
 * knows, so the statement can append on whichever of them it takes: one
 * event (a transaction's) onto every known lane, a batch onto fewer, about
 * AUDIT_LANES HMACs in all (each event's content is spelt once).
 */
function candidatesFor(category: string, lanes: readonly number[], events: readonly PreparedEvent[]): Candidate[] {
  if (!lastSeen) return [];
  const limit = Math.max(1, Math.floor(AUDIT_LANES / events.length));
  const hashers = events.map(eventHasher);
  const out: Candidate[] = [];
  for (const lane of lanes) {
    const head = known(category, lane);
    if (head) out.push(seal(lastSeen.chainId, lane, head, hashers));
    if (out.length === limit) break;
  }
  return out;
}

/** One append statement. Whatever it learnt of a head (the one it left, or the one it found) is remembered for the next. */
async function attempt(db: Executor, category: string, events: readonly PreparedEvent[], eligible: readonly number[], candidates: readonly Candidate[]): Promise<Outcome> {
  const chainId = lastSeen?.chainId ?? null;
  const outcome = await run(db, category, events, candidates.flatMap((c) => c.rows), { chainId, eligible, candidates });
  if (outcome.lane === null) return outcome;
  if (!outcome.chainId) throw new Error("The audit log has no chain identity (table audit_chain): run the migrations.");
  const written = candidates.find((c) => c.lane === outcome.lane);
  if (outcome.inserted > 0) {
    if (outcome.inserted !== events.length) throw new Error(`audit append wrote ${outcome.inserted} of ${events.length} events`);
    remember(outcome.chainId, category, outcome.lane, written!.to);
  } else {
    remember(outcome.chainId, category, outcome.lane, outcome.head!);
  }
  return outcome;
}

const ALL_LANES = Array.from({ length: AUDIT_LANES }, (_, lane) => lane);

/** Creates the category's lanes that do not exist yet (a new category, or lanes added since). */
async function createLanes(tx: Executor, category: string): Promise<void> {
  await executeRows(
    tx,
    auditSql(sql`insert into audit_chain_heads (category, lane, seq, last_hash)
                 select ${category}, lane, 0, null from generate_series(0, ${AUDIT_LANES - 1}::int) as lane
                 on conflict (category, lane) do nothing`),
  );
}

/**
 * Appends inside a transaction, holding the lane it takes until the
 * transaction ends: the lowest free lane (one statement when this process
 * knows its head; else the statement takes the lane and reports its head,
 * and a second one appends). Only when every lane is held does it wait, on
 * one lane picked at random so waiters spread out.
 */
async function appendInTransaction(tx: Executor, category: string, events: readonly PreparedEvent[]): Promise<number> {
  let outcome = await attempt(tx, category, events, ALL_LANES, candidatesFor(category, ALL_LANES, events));
  if (outcome.inserted > 0) return outcome.lane!;
  if (outcome.lane === null) {
    await createLanes(tx, category);
    outcome = await attempt(tx, category, events, ALL_LANES, candidatesFor(category, ALL_LANES, events));
    if (outcome.inserted > 0) return outcome.lane!;
  }
  let lane = outcome.lane;
  if (lane === null) {
    lane = ALL_LANES[Math.floor(Math.random() * AUDIT_LANES)]!;
    type Row = { seq: string | number; last_hash: string | null; chain_id: string | null };
    const [row] = await executeRows<Row>(
      tx,
      auditSql(
        sql`select h.seq, h.last_hash, (select chain_id::text from audit_chain) as chain_id from audit_chain_heads h
            where h.category = ${category} and h.lane = ${lane} for update`,
      ),
    );
    if (!row?.chain_id) throw new Error(`The audit log has no head for ${chainName(category, lane)} or no chain identity (table audit_chain): run the migrations.`);
    remember(row.chain_id, category, lane, { seq: Number(row.seq), lastHash: row.last_hash });
  }
  // The lane is held by this transaction now, so its head cannot move under the second statement.
  const held = [lane];
  outcome = await attempt(tx, category, events, held, candidatesFor(category, held, events));
  if (outcome.inserted === 0) throw new Error(`audit chain head of ${chainName(category, lane)} moved while locked`);
  return lane;
}

/**
 * Appends on the root handle: first as one statement on the lane this
 * process used last for the category (skipped at once if a transaction
 * holds it); else in a short transaction of its own, on the lowest free lane.
 */
async function appendOnRoot(db: Db, category: string, events: readonly PreparedEvent[]): Promise<void> {
  const preferred = lastSeen?.preferred.get(category) ?? 0;
  const candidates = candidatesFor(category, [preferred], events);
  if (candidates.length > 0 && (await attempt(db, category, events, [preferred], candidates)).inserted > 0) return;
  const lane = await db.transaction((tx) => appendInTransaction(tx, category, events));
  lastSeen?.preferred.set(category, lane);
}

async function appendChained(db: Executor, category: string, events: readonly PreparedEvent[]): Promise<void> {
  // Inside the caller's transaction the lane is held until it commits.
  if (isTransaction(db)) await appendInTransaction(db, category, events);
  else await appendOnRoot(db as Db, category, events);
}

async function appendPlain(db: Executor, category: string, events: readonly PreparedEvent[]): Promise<void> {
  const { inserted } = await run(db, category, events, unsealed(events), null);
  if (inserted !== events.length) throw new Error(`audit append wrote ${inserted} of ${events.length} events`);
}

function isTransaction(db: Executor): boolean {
  return "rollback" in db;
}

type Pending = { event: PreparedEvent; resolve: () => void; reject: (error: unknown) => void };
type Queue = { queue: Pending[]; draining: boolean };

export type AuditWriter = { append: (db: Executor, event: PreparedEvent) => Promise<void> };

/**
 * How events reach the log. Inside a transaction, an event is appended at
 * once (it commits or rolls back with the change it describes). On the root
 * handle, events for one category that arrive while an append is in flight
 * wait and then go out together in one statement: several appends under one
 * hold of a lane's head, which is what keeps throughput up with many writers.
 * `chained: false` is the same path with the chain step left out, for the
 * benchmark's peer only.
 */
export function createAuditWriter(options: { chained: boolean }): AuditWriter {
  const write = (db: Executor, category: string, events: readonly PreparedEvent[]) =>
    options.chained ? appendChained(db, category, events) : appendPlain(db, category, events);
  const queues = new WeakMap<object, Map<string, Queue>>();

  async function drain(db: Executor, category: string, pending: Queue): Promise<void> {
    try {
      while (pending.queue.length > 0) {
        const batch = pending.queue.splice(0, MAX_BATCH);
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
      pending.draining = false;
    }
  }

  return {
    append(db, event) {
      if (isTransaction(db)) return write(db, event.category, [event]);
      let byCategory = queues.get(db);
      if (!byCategory) queues.set(db, (byCategory = new Map()));
      const pending = byCategory.get(event.category) ?? { queue: [], draining: false };
      byCategory.set(event.category, pending);
      const done = new Promise<void>((resolve, reject) => pending.queue.push({ event, resolve, reject }));
      if (!pending.draining) {
        pending.draining = true;
        // Start on the next turn of the event loop: writers woken together by the last batch join the next one.
        setImmediate(() => void drain(db, event.category, pending));
      }
      return done;
    },
  };
}

/** The writer every caller uses. */
export const auditWriter = createAuditWriter({ chained: true });
