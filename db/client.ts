import fs from "node:fs";
import path from "node:path";
import type { SQL } from "drizzle-orm";
import { drizzle as drizzlePostgres, type PostgresJsDatabase } from "drizzle-orm/postgres-js";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";
import { env } from "@/lib/env";
import * as schema from "./schema";
import { readOnlyDb } from "./read-only";

/**
 * One database handle for the whole process, PGlite or Postgres.
 *
 * Business code only ever sees `Db`: both drivers implement the same drizzle
 * Postgres API, so nothing outside this file knows which one is running.
 * Migrations run once, lazily, before the first query hands the handle out.
 */
export type Db = PostgresJsDatabase<typeof schema>;
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];
/** Either the root handle or a transaction: what query helpers accept. */
export type Executor = Db | Tx;

export const migrationsFolder = path.join(process.cwd(), "db", "migrations");

type Handle = { db: Db; close: () => Promise<void>; kind: "pglite" | "postgres" };

// A fixed key so concurrent cold starts serialise their migrations.
const MIGRATION_LOCK_KEY = 724_311_009;

async function openPostgres(url: string): Promise<Handle> {
  const migrator = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await migrator`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`;
    await migratePostgres(drizzlePostgres({ client: migrator }), { migrationsFolder });
    await migrator`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`;
  } finally {
    await migrator.end();
  }
  const client = postgres(url, { max: 10, onnotice: () => {} });
  return { db: drizzlePostgres({ client, schema }), close: () => client.end(), kind: "postgres" };
}

async function openPglite(dir: string): Promise<Handle> {
  // Imported lazily so a Postgres deployment never loads the WASM build.
  const { PGlite } = await import("@electric-sql/pglite");
  const { drizzle } = await import("drizzle-orm/pglite");
  const { migrate } = await import("drizzle-orm/pglite/migrator");
  if (dir !== "memory://") fs.mkdirSync(dir, { recursive: true });
  const client = new PGlite(dir === "memory://" ? undefined : dir);
  const db = drizzle({ client, schema });
  await migrate(db, { migrationsFolder });
  return { db: db as unknown as Db, close: () => client.close(), kind: "pglite" };
}

const globalForDb = globalThis as unknown as { breakwaterDb?: Promise<Handle> };

function handle(): Promise<Handle> {
  globalForDb.breakwaterDb ??= (env.DATABASE_URL ? openPostgres(env.DATABASE_URL) : openPglite(env.PGLITE_DIR)).catch(
    (error: unknown) => {
      // Let the next caller retry instead of caching a failed connection forever.
      globalForDb.breakwaterDb = undefined;
      throw error;
    },
  );
  return globalForDb.breakwaterDb;
}

/**
 * Read-only guard (issue 4): when the registered guard returns a reason
 * (e.g. an active support session on this request), getDb() hands out a
 * handle that refuses writes (db/read-only.ts). Kept on globalThis so every
 * server bundle sees the one registration.
 */
type WriteGuard = (db: Db) => Promise<string | null>;
const globalForGuard = globalThis as unknown as { breakwaterWriteGuard?: WriteGuard };
export function setWriteGuard(guard: WriteGuard | undefined): void {
  globalForGuard.breakwaterWriteGuard = guard;
}

export async function getDb(): Promise<Db> {
  const db = (await handle()).db;
  const reason = globalForGuard.breakwaterWriteGuard ? await globalForGuard.breakwaterWriteGuard(db) : null;
  return reason ? readOnlyDb(db, reason) : db;
}

export async function databaseKind(): Promise<Handle["kind"]> {
  return (await handle()).kind;
}

export async function closeDb(): Promise<void> {
  const pending = globalForDb.breakwaterDb;
  globalForDb.breakwaterDb = undefined;
  if (pending) await (await pending).close();
}

/**
 * Raw SQL that returns rows, the same on both drivers (postgres.js returns
 * an array, PGlite an object with `rows`). Prefer the query builder.
 */
export async function executeRows<T extends Record<string, unknown>>(db: Executor, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown;
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}

export { schema };
