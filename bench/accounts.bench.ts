// Account lifecycle: the export of an account holding 100,000 rows and of one holding
// 1,000,000, as ZIP and as JSON (time, and memory added over the idle baseline of the
// process serving it: each export runs in a fresh process, bench/lib/export-worker.ts,
// through the app's own Postgres handle and so its server-side cursor), and purge of 1,000
// accounts in batches (accounts/s, longest single purge transaction = the longest any row
// lock is held). Runs in a scratch database created beside DATABASE_URL (dropped after), or
// on a private in-memory PGlite without one (purge only), so it never touches the dev
// database. Goals: 100k < 5 s and 1M < 50 s, each < 64 MB added; every purge lock < 1 s.
import { execFileSync } from "node:child_process";
import { PGlite } from "@electric-sql/pglite";
import { count, inArray, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/pglite";
import { migrate } from "drizzle-orm/pglite/migrator";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { openDatabase } from "@/db/client";
import { DATABASE_TIMEOUTS, migrationsFolder, type Db } from "@/lib/database";
import * as schema from "@/db/schema";
import { purgeUserData } from "@/lib/accounts/purge";
import type { BenchResult } from "./types";

const PURGE_ACCOUNTS = 1_000;
const PURGE_BATCH = 50;
const MB = 2 ** 20;

/** An account with `rows` rows in all: one project per thousand, the rest tasks. */
async function seedExportAccount(db: Db, rows: number): Promise<string> {
  const projectCount = Math.max(1, Math.round(rows / 1_000));
  const tasksPerProject = Math.round((rows - projectCount) / projectCount);
  const [user] = await db.insert(schema.users).values({ email: `bench-export-${crypto.randomUUID()}@example.test`, name: "Bench Export" }).returning();
  const id = user!.id;
  await db.insert(schema.subscriptions).values({ userId: id, currentPeriodEnd: new Date() });
  await db.execute(sql`insert into projects (owner_id, name, description) select ${id}, 'Project ' || g, repeat('d', 40) from generate_series(1, ${projectCount}) g`);
  await db.execute(sql`
    insert into tasks (project_id, owner_id, title)
    select p.id, ${id}, 'Task ' || g || ' of a fairly ordinary length'
    from projects p, generate_series(1, ${tasksPerProject}) g
    where p.owner_id = ${id}`);
  return id;
}

type Measured = { ms: number; baselineRss: number; peakRss: number; baselineHeap: number; peakHeap: number; retained: number; rows: number; bytes: number };

/** Runs one export in a fresh process (bench/lib/export-worker.ts), so earlier runs leave nothing in its heap. */
function measureExport(url: string, userId: string, format: "zip" | "json"): Measured {
  const out = execFileSync(process.execPath, ["--import", "tsx", "--import", "./scripts/lib/server-runtime.mjs", "bench/lib/export-worker.ts", url, userId, format], {
    encoding: "utf8",
    maxBuffer: 1 << 20,
  });
  return JSON.parse(out.trim().split("\n").at(-1)!) as Measured;
}

function exportResults(label: string, format: "zip" | "json", m: Measured, goalMs: number): BenchResult[] {
  return [
    { name: `export ${format} ${label} rows: time`, value: m.ms, unit: "ms", note: `${m.rows} rows, ${(m.bytes / MB).toFixed(1)} MB ${format}; goal < ${goalMs} ms` },
    {
      name: `export ${format} ${label} rows: memory added`,
      value: (m.peakRss - m.baselineRss) / MB,
      unit: "MB",
      note:
        `peak RSS ${(m.peakRss / MB).toFixed(0)} MB over the idle process's ${(m.baselineRss / MB).toFixed(0)} MB; ` +
        `JS heap peak +${((m.peakHeap - m.baselineHeap) / MB).toFixed(0)} MB (mostly uncollected garbage), ${(m.retained / MB).toFixed(1)} MB retained after a full GC; goal < 64 MB`,
    },
  ];
}

async function seedPurgeAccounts(db: Db): Promise<string[]> {
  const tag = crypto.randomUUID().slice(0, 8);
  await db.execute(sql`insert into users (email, name) select 'bench-purge-' || ${tag} || '-' || g || '@example.test', 'Bench ' || g from generate_series(1, ${PURGE_ACCOUNTS}) g`);
  const ids = (await db.select({ id: schema.users.id }).from(schema.users).where(sql`${schema.users.email} like ${`bench-purge-${tag}-%`}`)).map((r) => r.id);
  await db.execute(sql`insert into subscriptions (user_id, current_period_end) select id, now() from users where email like ${`bench-purge-${tag}-%`}`);
  await db.execute(sql`insert into projects (owner_id, name) select u.id, 'P' || g from users u, generate_series(1, 2) g where u.email like ${`bench-purge-${tag}-%`}`);
  await db.execute(sql`insert into tasks (project_id, owner_id, title) select p.id, p.owner_id, 'T' || g from projects p join users u on u.id = p.owner_id, generate_series(1, 2) g where u.email like ${`bench-purge-${tag}-%`}`);
  await db.execute(sql`insert into invoices (user_id, plan, amount_cents, status, description) select id, 'pro', 2000, 'paid', 'Pro' from users where email like ${`bench-purge-${tag}-%`}`);
  await db.execute(sql`insert into notifications (user_id, to_email, template, subject, body) select id, email, 't', 's', 'b' from users where email like ${`bench-purge-${tag}-%`}`);
  return ids;
}

/** `db` seeds and purges (no statement timeout); `url` is where the export workers connect, as the app would. */
type Backend = { db: Db; url: string | null; kind: string; close: () => Promise<void> };

async function openBackend(): Promise<Backend> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    const client = new PGlite();
    const db = drizzle({ client, schema }) as unknown as Db;
    await migrate(db as never, { migrationsFolder });
    return { db, url: null, kind: "PGlite in memory", close: () => client.close() };
  }
  const scratch = `accounts_bench_${process.pid}_${Date.now().toString(36)}`;
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${scratch}"`);
  const scratchUrl = new URL(url);
  scratchUrl.pathname = `/${scratch}`;
  // Migrated the way the deploy step migrates.
  await (await openDatabase({ url: scratchUrl.toString(), pgliteDir: "memory://", timeouts: DATABASE_TIMEOUTS, migrations: "apply" })).close();
  const client = postgres(scratchUrl.toString(), { max: 4, onnotice: () => {} });
  const db = drizzlePostgres({ client, schema }) as unknown as Db;
  return {
    db,
    url: scratchUrl.toString(),
    kind: "Postgres",
    close: async () => {
      await client.end();
      await admin.unsafe(`drop database if exists "${scratch}" with (force)`);
      await admin.end();
    },
  };
}

export default async function run(): Promise<BenchResult[]> {
  const { db, url, close } = await openBackend();
  try {
    const results: BenchResult[] = [];
    // The export runs in processes of their own, which need a server: on PGlite only the purge is measured.
    if (url) {
      const small = await seedExportAccount(db, 100_000);
      const large = await seedExportAccount(db, 1_000_000);
      for (const [label, userId, goalMs] of [["100k", small, 5_000], ["1M", large, 50_000]] as const) {
        for (const format of ["zip", "json"] as const) results.push(...exportResults(label, format, measureExport(url, userId, format), goalMs));
      }
    } else console.log("  (export figures need DATABASE_URL: they are measured on Postgres)");

    const ids = await seedPurgeAccounts(db);
    let longestTx = 0;
    const t0 = performance.now();
    for (let i = 0; i < ids.length; i += PURGE_BATCH) {
      for (const id of ids.slice(i, i + PURGE_BATCH)) {
        const tx0 = performance.now();
        await db.transaction((tx) => purgeUserData(tx, id, { now: new Date(), reason: "bench" }));
        longestTx = Math.max(longestTx, performance.now() - tx0);
      }
    }
    const purgeSeconds = (performance.now() - t0) / 1000;
    const [left] = await db.select({ n: count() }).from(schema.users).where(inArray(schema.users.id, ids));
    const remaining = left?.n ?? 0;

    return [
      ...results,
      { name: "purge 1,000 accounts in batches", value: ids.length / purgeSeconds, unit: "accounts/s", note: `batches of ${PURGE_BATCH}, one transaction per account; ${remaining} left` },
      { name: "purge: longest transaction (lock hold)", value: longestTx, unit: "ms", note: "goal < 1000 ms" },
    ];
  } finally {
    await close();
  }
}
