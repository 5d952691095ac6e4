// Audit log on Postgres: append throughput through recordAuditEvent's path with the keyed hash
// chain (1 and 8 concurrent writers, all on one category, the worst case), side by side
// with the very same path with the chain step left out, rounds interleaved; the chain is verified
// after the run. Then p95 latency of the admin filter query (first keyset page) by actor and by
// target over 1,000,000 events. Runs in a scratch database created beside DATABASE_URL, dropped after.
import postgres from "postgres";
import { openDatabase } from "@/db/client";
import { DATABASE_TIMEOUTS, type Db, type Executor } from "@/lib/database";
import { auditFilterSchema, searchAuditEvents, verifyAuditChain, type AuditEventInput } from "@/lib/audit";
import { auditWriter, createAuditWriter, type AuditWriter } from "@/lib/audit/append";
import { prepareAuditEvent } from "@/lib/audit/record";
import type { BenchResult } from "./types";

const ROWS = 1_000_000;
const ACTORS = 5_000;
const TARGETS = 20_000;
const QUERIES = 200;
const ROUNDS = 5;

function p95(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.95))]!;
}

function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function event(w: number, i: number): AuditEventInput {
  return {
    actor: { type: "user", id: `bench-writer-${w}` },
    action: "billing.plan_change",
    target: { type: "subscription", id: `bench-sub-${w}-${i}` },
    outcome: "success",
    metadata: { before: { plan: "free" }, after: { plan: "pro" } },
    request: { requestId: `bench-${w}-${i}` },
  };
}

/**
 * Events per second for `writers` concurrent writers, each appending `perWriter` events one after
 * another: on the root handle (as denials, page views and audited reads are), or each in its own
 * transaction (as the guarded path writes an action's event with its change).
 */
async function appendRate(db: Db, writer: AuditWriter, writers: number, perWriter: number, inTransaction = false): Promise<number> {
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: writers }, (_, w) =>
      (async () => {
        for (let i = 0; i < perWriter; i++) {
          const append = (ex: Executor) => writer.append(ex, prepareAuditEvent(event(w, i)));
          if (inTransaction) await db.transaction(append);
          else await append(db);
        }
      })(),
    ),
  );
  return (writers * perWriter) / ((performance.now() - t0) / 1000);
}

/** Chained and plain, alternated round by round so load from elsewhere on the machine falls on both; medians. */
async function sideBySide(db: Db, writers: number, perWriter: number, inTransaction = false) {
  const plainWriter = createAuditWriter({ chained: false });
  const chained: number[] = [];
  const plain: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    chained.push(await appendRate(db, auditWriter, writers, perWriter, inTransaction));
    plain.push(await appendRate(db, plainWriter, writers, perWriter, inTransaction));
  }
  const value = median(chained);
  const peerValue = median(plain);
  return { value: Math.round(value), peerValue: Math.round(peerValue), ratio: Number((value / peerValue).toFixed(2)) };
}

export default async function run(): Promise<BenchResult[]> {
  const url = process.env.DATABASE_URL;
  if (!url) return [{ name: "audit: skipped", value: 0, unit: "-", note: "set DATABASE_URL to a local Postgres to run the audit benchmark" }];
  const scratch = `audit_bench_${process.pid}_${Date.now().toString(36)}`;
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${scratch}"`);
  const scratchUrl = new URL(url);
  scratchUrl.pathname = `/${scratch}`;
  // The app's own pool (its size, its watchdog, its prepared statements), migrated as the deploy step migrates.
  const handle = await openDatabase({ url: scratchUrl.toString(), pgliteDir: "memory://", timeouts: DATABASE_TIMEOUTS, migrations: "apply" });
  const client = postgres(scratchUrl.toString(), { max: 1, onnotice: () => {} });
  try {
    const db = handle.db;
    const results: BenchResult[] = [];

    // Warm up both paths (connections, plans, the chain head cache) before measuring.
    await sideBySide(db, 8, 50);
    const one = await sideBySide(db, 1, 1_000);
    const eight = await sideBySide(db, 8, 500);
    const eightTx = await sideBySide(db, 8, 250, true);
    // Only chained events carry hashes; the plain rounds' rows (hash null) are removed before verifying.
    await client.unsafe("alter table audit_events disable trigger user");
    await client.unsafe("delete from audit_events where hash is null");
    await client.unsafe("alter table audit_events enable trigger user");
    const verifyStart = performance.now();
    const verified = await verifyAuditChain(db);
    const verifySeconds = (performance.now() - verifyStart) / 1000;
    const peer = "same append path, chain step off";
    results.push({ name: "audit append, 1 writer (keyed chain)", unit: "events/s", peer, ...one });
    results.push({
      name: "audit append, 8 writers (keyed chain)",
      unit: "events/s",
      peer,
      ...eight,
      note: `goal ≥ 3000 and ≥ 0.9× the peer; one category; concurrent appends share one statement; ${verified.checked} events, chain ${verified.ok ? "verified" : `BROKEN: ${verified.detail}`} after the run`,
    });
    results.push({
      name: "audit verify (every keyed hash recomputed in the app)",
      value: Math.round(verified.checked / verifySeconds),
      unit: "events/s",
      note: `${verified.checked} events in ${verifySeconds.toFixed(2)} s`,
    });
    results.push({
      name: "audit append, 8 writers, one transaction each",
      unit: "events/s",
      peer,
      ...eightTx,
      note: "as the guarded path writes: each event commits with its own change; concurrent transactions take separate lanes of the category",
    });

    // 1M events in one statement, for the query figures only: rows without hashes (the chain is not involved).
    const t0 = performance.now();
    await client.unsafe(`
      insert into audit_events (occurred_at, actor_type, actor_id, action, category, target_type, target_id, outcome, metadata, request_id)
      select now() - (g || ' seconds')::interval, 'user', 'actor-' || (g % ${ACTORS}), 'project.rename', 'account',
             'project', 'target-' || (g % ${TARGETS}), 'success', jsonb_build_object('i', g), 'req-' || g
      from generate_series(1, ${ROWS}) g`);
    const fillSeconds = (performance.now() - t0) / 1000;
    await client.unsafe("analyze audit_events");

    const timed = async (filter: Record<string, string>) => {
      const t = performance.now();
      const page = await searchAuditEvents(db, auditFilterSchema.parse(filter), 50);
      if (page.rows.length === 0) throw new Error(`no rows for ${JSON.stringify(filter)}`);
      return performance.now() - t;
    };
    const byActor: number[] = [];
    const byTarget: number[] = [];
    for (let i = 0; i < QUERIES; i++) {
      byActor.push(await timed({ actor: `actor-${(i * 7919) % ACTORS}` }));
      byTarget.push(await timed({ target: `target-${(i * 104729) % TARGETS}` }));
    }
    results.push({ name: "audit filter by actor, p95 (1M events)", value: Number(p95(byActor).toFixed(2)), unit: "ms", note: `goal ≤ 50; ${QUERIES} first pages of 50, ${ACTORS} actors` });
    results.push({ name: "audit filter by target, p95 (1M events)", value: Number(p95(byTarget).toFixed(2)), unit: "ms", note: `goal ≤ 50; ${QUERIES} first pages of 50, ${TARGETS} targets` });
    results.push({
      name: "audit bulk fill (1M, one statement)",
      value: Math.round(ROWS / fillSeconds),
      unit: "events/s",
      note: "setup only; plain rows for the query figures",
    });
    return results;
  } finally {
    await client.end();
    await handle.close();
    await admin.unsafe(`drop database if exists "${scratch}" with (force)`);
    await admin.end();
  }
}
