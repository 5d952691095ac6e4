import fs from "node:fs";
import path from "node:path";
import { drizzle as drizzlePostgres, type PostgresJsDatabase } from "drizzle-orm/postgres-js";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";
import { env } from "@/lib/env";
import * as schema from "./schema";

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

export async function getDb(): Promise<Db> {
  return (await handle()).db;
}

export async function databaseKind(): Promise<Handle["kind"]> {
  return (await handle()).kind;
}

export async function closeDb(): Promise<void> {
  const pending = globalForDb.breakwaterDb;
  globalForDb.breakwaterDb = undefined;
  if (pending) await (await pending).close();
}

export { schema };
