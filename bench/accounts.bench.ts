// Account lifecycle: ZIP export of an account holding 100,000 rows (time, peak memory) and
// purge of 1,000 accounts in batches (accounts/s, longest single purge transaction = the
// longest any row lock is held). Runs in a scratch database created beside DATABASE_URL
// (dropped after), or on a private in-memory PGlite without one, so it never touches the
// dev database. Goals from issue 5: export < 5 s and < 200 MB, every lock < 1 s.
import { PGlite } from "@electric-sql/pglite";
import { count, inArray, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/pglite";
import { migrate } from "drizzle-orm/pglite/migrator";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";
import { migrationsFolder, type Db } from "@/db/client";
import * as schema from "@/db/schema";
import { buildZipExport } from "@/lib/accounts/export";
import { purgeUserData } from "@/lib/accounts/purge";
import type { BenchResult } from "./types";

const EXPORT_PROJECTS = 1_000;
const EXPORT_TASKS = 99_000;
const PURGE_ACCOUNTS = 1_000;
const PURGE_BATCH = 50;

async function seedExportAccount(db: Db): Promise<string> {
  const [user] = await db.insert(schema.users).values({ email: `bench-export-${crypto.randomUUID()}@example.test`, name: "Bench Export" }).returning();
  const id = user!.id;
  await db.insert(schema.subscriptions).values({ userId: id, currentPeriodEnd: new Date() });
  await db.execute(sql`insert into projects (owner_id, name, description) select ${id}, 'Project ' || g, repeat('d', 40) from generate_series(1, ${EXPORT_PROJECTS}) g`);
  await db.execute(sql`
    insert into tasks (project_id, owner_id, title)
    select p.id, ${id}, 'Task ' || g || ' of a fairly ordinary length'
    from projects p, generate_series(1, ${EXPORT_TASKS / EXPORT_PROJECTS}) g
    where p.owner_id = ${id}`);
  return id;
}

async function measureExport(db: Db, userId: string) {
  if (global.gc) global.gc();
  const baseline = process.memoryUsage().rss;
  let peak = baseline;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
  const t0 = performance.now();
  const { stream, manifest } = await buildZipExport(db, userId);
  let bytes = 0;
  for await (const chunk of stream) bytes += (chunk as Buffer).length;
  const ms = performance.now() - t0;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  const rows = Object.values(manifest.files).reduce((n, f) => n + f.count, 0);
  return { ms, peakMb: peak / 2 ** 20, growthMb: (peak - baseline) / 2 ** 20, bytes, rows };
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

type Backend = { db: Db; kind: string; close: () => Promise<void> };

async function openBackend(): Promise<Backend> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    const client = new PGlite();
    const db = drizzle({ client, schema }) as unknown as Db;
    await migrate(db as never, { migrationsFolder });
    return { db, kind: "PGlite in memory", close: () => client.close() };
  }
  const scratch = `accounts_bench_${process.pid}_${Date.now().toString(36)}`;
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${scratch}"`);
  const scratchUrl = new URL(url);
  scratchUrl.pathname = `/${scratch}`;
  const client = postgres(scratchUrl.toString(), { max: 4, onnotice: () => {} });
  const db = drizzlePostgres({ client, schema }) as unknown as Db;
  await migratePostgres(db, { migrationsFolder });
  return {
    db,
    kind: "Postgres",
    close: async () => {
      await client.end();
      await admin.unsafe(`drop database if exists "${scratch}" with (force)`);
      await admin.end();
    },
  };
}

export default async function run(): Promise<BenchResult[]> {
  const { db, kind, close } = await openBackend();
  try {
    const exportUser = await seedExportAccount(db);
    await measureExport(db, exportUser); // warm-up: JIT and PGlite caches
    const exp = await measureExport(db, exportUser);

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
      { name: "export zip 100k rows: time", value: exp.ms, unit: "ms", note: `${exp.rows} rows, ${(exp.bytes / 2 ** 20).toFixed(1)} MB zip; goal < 5000 ms (${kind})` },
      { name: "export zip 100k rows: peak rss", value: exp.peakMb, unit: "MB", note: `process peak during export, +${exp.growthMb.toFixed(0)} MB over baseline ${kind === "Postgres" ? "" : " (includes the in-memory database)"}; goal < 200 MB` },
      { name: "purge 1,000 accounts in batches", value: ids.length / purgeSeconds, unit: "accounts/s", note: `batches of ${PURGE_BATCH}, one transaction per account; ${remaining} left` },
      { name: "purge: longest transaction (lock hold)", value: longestTx, unit: "ms", note: "goal < 1000 ms" },
    ];
  } finally {
    await close();
  }
}
