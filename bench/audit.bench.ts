// Audit log on Postgres: append throughput through recordAuditEvent with the database hash
// chain (1 and 8 concurrent writers, all on one category = one chain, the worst case), and
// p95 latency of the admin filter query (first keyset page) by actor and by target over
// 1,000,000 events. Runs in a scratch database created beside DATABASE_URL and dropped after.
import { drizzle } from "drizzle-orm/postgres-js";
import { migrate } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";
import { migrationsFolder, type Db } from "@/db/client";
import * as schema from "@/db/schema";
import { auditFilterSchema, recordAuditEvent, searchAuditEvents, verifyAuditChain } from "@/lib/audit";
import type { BenchResult } from "./types";

const ROWS = 1_000_000;
const ACTORS = 5_000;
const TARGETS = 20_000;
const QUERIES = 200;

function p95(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.95))]!;
}

async function appendRate(db: Db, writers: number, perWriter: number): Promise<number> {
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: writers }, (_, w) =>
      (async () => {
        for (let i = 0; i < perWriter; i++) {
          await recordAuditEvent(db, {
            actor: { type: "user", id: `bench-writer-${w}` },
            action: "billing.plan_change",
            target: { type: "subscription", id: `bench-sub-${w}-${i}` },
            outcome: "success",
            metadata: { before: { plan: "free" }, after: { plan: "pro" } },
            request: { requestId: `bench-${w}-${i}` },
          });
        }
      })(),
    ),
  );
  return (writers * perWriter) / ((performance.now() - t0) / 1000);
}

export default async function run(): Promise<BenchResult[]> {
  const url = process.env.DATABASE_URL;
  if (!url) return [{ name: "audit: skipped", value: 0, unit: "-", note: "set DATABASE_URL to a local Postgres to run the audit benchmark" }];
  const scratch = `audit_bench_${process.pid}_${Date.now().toString(36)}`;
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${scratch}"`);
  const scratchUrl = new URL(url);
  scratchUrl.pathname = `/${scratch}`;
  const client = postgres(scratchUrl.toString(), { max: 8, onnotice: () => {} });
  try {
    await migrate(drizzle({ client }), { migrationsFolder });
    const db = drizzle({ client, schema }) as unknown as Db;
    const results: BenchResult[] = [];

    const one = await appendRate(db, 1, 1_000);
    const eight = await appendRate(db, 8, 400);
    const verified = await verifyAuditChain(db);
    // Peer: the very same recordAuditEvent calls with the chain trigger switched off, so the
    // ratio is the cost of the chain alone (driver, drizzle and round trips are common to both).
    await client.unsafe("alter table audit_events disable trigger audit_events_chain");
    const plainOne = await appendRate(db, 1, 1_000);
    const plainEight = await appendRate(db, 8, 400);
    await client.unsafe("alter table audit_events enable trigger audit_events_chain");
    results.push({ name: "audit append, 1 writer (hash chain)", value: Math.round(one), unit: "events/s", peer: "same append, chain trigger off", peerValue: Math.round(plainOne), ratio: Number((one / plainOne).toFixed(2)) });
    results.push({
      name: "audit append, 8 writers (hash chain)",
      value: Math.round(eight),
      unit: "events/s",
      peer: "same append, chain trigger off",
      peerValue: Math.round(plainEight),
      ratio: Number((eight / plainEight).toFixed(2)),
      note: `goal ≥ 2000; one chain, appends serialised by an advisory lock; chain ${verified.ok ? "verified" : "BROKEN"} after the run`,
    });

    // 1M events in one statement. The chain trigger would fill hashes row by row (~45 µs each, so
    // over a minute); this scratch database only measures queries, so the fill skips user triggers
    // when the role may (replica mode), and keeps them otherwise.
    const t0 = performance.now();
    const bypassed = await client.begin(async (tx) => {
      const replica = await tx.unsafe("set local session_replication_role = replica").then(
        () => true,
        () => false,
      );
      await tx.unsafe(`
      insert into audit_events (occurred_at, actor_type, actor_id, action, category, target_type, target_id, outcome, metadata, request_id)
      select now() - (g || ' seconds')::interval, 'user', 'actor-' || (g % ${ACTORS}), 'project.rename', 'account',
             'project', 'target-' || (g % ${TARGETS}), 'success', jsonb_build_object('i', g), 'req-' || g
      from generate_series(1, ${ROWS}) g`);
      return replica;
    });
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
      note: bypassed ? "setup only; chain trigger skipped (replica mode) in the scratch database" : "setup only; through the chain trigger",
    });
    return results;
  } finally {
    await client.end();
    await admin.unsafe(`drop database if exists "${scratch}" with (force)`);
    await admin.end();
  }
}
