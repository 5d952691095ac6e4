import "server-only";
import { isMigrationsPending, openDatabase, type DatabaseHandle, type DatabaseTimeouts, type MigrationMode } from "@/db/client";
import { env } from "@/lib/env";

/**
 * How long anything may wait on Postgres. With the server stopped or hung
 * (SIGSTOP, a network black hole) a call fails with `dependency_down` after
 * at most about two seconds (unresponsive 1 s + probe 1 s, or the 2 s
 * connect timeout), and the pool is back within a quarter of a second of the
 * server answering again. Statements and idle transactions are bounded on
 * the server too, so a runaway query or a forgotten transaction cannot hold
 * locks for long.
 */
export const DATABASE_TIMEOUTS: DatabaseTimeouts = {
  connectTimeoutMs: 2_000,
  statementTimeoutMs: 10_000,
  idleInTransactionTimeoutMs: 15_000,
  maxLifetimeSeconds: 30 * 60,
  maxBackoffMs: 250,
  unresponsiveAfterMs: 1_000,
  probeTimeoutMs: 1_000,
};

/**
 * A Next.js production server (`next start`, a Vercel function) never
 * migrates: the deploy step does (`npm run db:migrate`), before the new build
 * serves, so a cold start can neither race another over the schema nor run a
 * long migration inside a request. Everything else migrates on open: `next
 * dev` and `npm run dev` on the embedded database, the CLI scripts, the tests.
 */
export function migrationModeFor(runtime: { nextRuntime: string | undefined; nodeEnv: string | undefined }): MigrationMode {
  return runtime.nextRuntime && runtime.nodeEnv === "production" ? "require" : "apply";
}

// Build constants, not configuration: Next sets both in its server bundles; a script under tsx sees neither as a server.
// eslint-disable-next-line no-restricted-properties
const runtime = { nextRuntime: process.env.NEXT_RUNTIME, nodeEnv: process.env.NODE_ENV };

/**
 * The process's one database handle, PGlite or Postgres as the environment
 * says, opened (and migrated, outside a production server) lazily on first use. Kept on globalThis so
 * Next's dev-mode module reloads and every server bundle share it.
 */
const globalForDb = globalThis as unknown as { breakwaterDb?: Promise<DatabaseHandle>; toldToMigrate?: boolean };

function handle(): Promise<DatabaseHandle> {
  globalForDb.breakwaterDb ??= openDatabase({ url: env.DATABASE_URL, poolMode: env.DATABASE_POOL_MODE, ownerUrl: env.DATABASE_OWNER_URL, pgliteDir: env.PGLITE_DIR, pgliteTemplate: env.PGLITE_TEMPLATE, pgliteJoinToken: env.PGLITE_LOCK_TOKEN, timeouts: DATABASE_TIMEOUTS, migrations: migrationModeFor(runtime) }).catch((error: unknown) => {
    // Let the next caller retry instead of caching a failed connection forever.
    globalForDb.breakwaterDb = undefined;
    // An operator must act (readiness only says "unavailable"): say what to run, once per process, not per request.
    if (isMigrationsPending(error) && !globalForDb.toldToMigrate) {
      globalForDb.toldToMigrate = true;
      console.error((error as Error).message);
    }
    throw error;
  });
  return globalForDb.breakwaterDb;
}

export async function getDb() {
  return (await handle()).db;
}

export async function databaseKind(): Promise<DatabaseHandle["kind"]> {
  return (await handle()).kind;
}

export async function closeDb(): Promise<void> {
  const pending = globalForDb.breakwaterDb;
  globalForDb.breakwaterDb = undefined;
  if (pending) await (await pending).close();
}

export { DatabaseUnavailableError, executeRows, isDatabaseUnavailable, isMigrationsPending, migrationsFolder, withConnection, type Db, type Executor, type Tx } from "@/db/client";
export { AUDIT_APPEND_SQL, readOnlyDb, ReadOnlyDatabaseError } from "@/db/read-only";
export { streamRows, type RowSource } from "@/db/stream";
export { claimPgliteFolder, DatabaseInUseError, lockFileFor, type FolderClaim, type FolderLock } from "@/db/pglite-lock";
