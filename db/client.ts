import fs from "node:fs";
import path from "node:path";
import type { SQL } from "drizzle-orm";
import { drizzle as drizzlePostgres, type PostgresJsDatabase } from "drizzle-orm/postgres-js";
import { readMigrationFiles } from "drizzle-orm/migrator";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";
import { postgresCursor, ROW_CURSOR } from "./cursor";
import { preparePolicy, type PreparePolicy } from "./prepared";
import { warnUnboundedRole } from "./role-timeouts";
import { claimPgliteFolder, type FolderClaim } from "./pglite-lock";
import { scrubQueryErrors } from "./query-errors";
import * as schema from "./schema";
import { brandUnavailable, DatabaseUnavailableError, DatabaseWatchdog, isDatabaseUnavailable } from "./watchdog";

scrubQueryErrors();

/**
 * Opens a database, PGlite or Postgres, and applies the migrations (or, for a
 * production server, only checks that they were applied).
 *
 * Business code only ever sees `Db`: both drivers implement the same drizzle
 * Postgres API, so nothing outside this file knows which one is running.
 * Which one, and the process's single handle, are decided by lib/database
 * from the validated environment; this layer reads no configuration itself.
 */
export type Db = PostgresJsDatabase<typeof schema>;
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];
/** Either the root handle or a transaction: what query helpers accept. */
export type Executor = Db | Tx;

export const migrationsFolder = path.join(process.cwd(), "db", "migrations");

export type DatabaseHandle = {
  db: Db;
  close: () => Promise<void>;
  kind: "pglite" | "postgres";
  /** Null while the database answers; else since when it has not (Postgres only). */
  unavailableSince: () => number | null;
};

/**
 * How long anything may wait on Postgres. Every wait is bounded: a stopped or
 * hung server costs a caller about `unresponsiveAfterMs + probeTimeoutMs`,
 * never more, and the pool reconnects within `maxBackoffMs` of it returning.
 */
export type DatabaseTimeouts = {
  /** A new connection (TCP + startup + authentication) must be ready within this, including the very first one. */
  connectTimeoutMs: number;
  /** Postgres cancels a statement running longer (server side: `statement_timeout`). */
  statementTimeoutMs: number;
  /** Postgres ends a session left idle inside an open transaction (releasing its locks). */
  idleInTransactionTimeoutMs: number;
  /** Pooled connections are replaced after this, so a failover or a restarted server is followed. */
  maxLifetimeSeconds: number;
  /** Longest pause between reconnection attempts while the server is away. */
  maxBackoffMs: number;
  /** A call still waiting after this makes the watchdog probe the server (db/watchdog.ts). */
  unresponsiveAfterMs: number;
  /** How long the probe's fresh connection may take to answer `select 1`. */
  probeTimeoutMs: number;
};

/**
 * `url` is the role the app runs as; `ownerUrl` the role that owns the schema
 * and applies migrations. Without an owner URL the app's own role migrates
 * (one-role setups), unless every migration is already applied: then a
 * least-privilege role that may not run DDL starts without trying.
 */
export type DatabaseConfig = {
  url?: string;
  /** How `url` reaches Postgres: `transaction` through a transaction-mode pooler (see openPostgres). Default `session`. */
  poolMode?: PoolMode;
  ownerUrl?: string;
  pgliteDir: string;
  /** Who this process is, written in the folder's lock for others to read (default: its script name). */
  pgliteHolder?: FolderClaim;
  /** Opens a folder whose holder shared this token with us (the server `npm run dev` starts). */
  pgliteJoinToken?: string;
  /** `memory://` only: a dump of an already migrated data folder to start from (see openPglite). */
  pgliteTemplate?: string;
  /** Postgres only, and required with `url`: an unbounded wait is the outage we refuse to have. */
  timeouts?: DatabaseTimeouts;
  /**
   * `apply` migrates on open (the deploy step, `npm run dev`, scripts and tests);
   * `require` never does: it refuses to open a database that lacks a migration
   * (a production server, whose deploy step is `npm run db:migrate`).
   */
  migrations: MigrationMode;
};

export type MigrationMode = "apply" | "require";

export type PoolMode = "session" | "transaction";

// A fixed key so concurrent cold starts serialise their migrations.
const MIGRATION_LOCK_KEY = 724_311_009;

type Sql = postgres.Sql;

/** Connections in the app's pool. */
const POOL_SIZE = 10;

/** Runs a pool-level call (one query, or one transaction) now or when its turn comes. */
export type Turn = <T>(call: () => PromiseLike<T>) => Promise<T>;

const anyTime: Turn = async (call) => call();

/**
 * At most `limit` pool-level calls at once, the rest in arrival order. With
 * no more calls than connections, postgres.js always has a free connection
 * to send a call on and never pipelines it behind another: a
 * transaction-mode pooler may hand the server connection to another client
 * between the two, and their answers cross.
 */
function oneCallPerConnection(limit: number): Turn {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async (call) => {
    if (running < limit) running++;
    else await new Promise<void>((resolve) => waiting.push(resolve));
    try {
      return await call();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else running--;
    }
  };
}

/**
 * The pool drizzle talks to, with every query and transaction under the
 * watchdog, and pool-level calls taking their `turn`. Drizzle only calls
 * `unsafe` (awaited, sometimes after `.values()`), `begin` and, inside a
 * transaction, `savepoint`. With `prepare`, a query with parameters whose
 * text the policy picks goes out as a prepared statement (db/prepared.ts).
 */
function watched(sql: Sql, watchdog: DatabaseWatchdog, turn: Turn = anyTime, prepare: PreparePolicy | null = null): Sql {
  const query = (pending: ReturnType<Sql["unsafe"]>) => {
    let run: Promise<unknown> | null = null;
    const guarded = {
      values() {
        pending.values();
        return guarded;
      },
      then(ok?: (value: unknown) => unknown, fail?: (error: unknown) => unknown) {
        // postgres.js sends a query when it is first awaited: not before its turn.
        run ??= turn(() => watchdog.guard(() => pending));
        return run.then(ok, fail);
      },
    };
    return guarded;
  };
  // A transaction the caller gave up on must not start when the server wakes up.
  const transaction = (open: (inside: (scoped: Sql) => unknown) => Promise<unknown>, fn: (scoped: Sql) => unknown) =>
    turn(() => {
      let abandoned = false;
      const running = open((scoped) => {
        if (abandoned) throw new Error("transaction abandoned: the database did not answer in time");
        // Inside, the transaction's own connection: no turn to take.
        return fn(watched(scoped, watchdog, anyTime, prepare));
      });
      return watchdog.guard(
        () => running,
        () => {
          abandoned = true;
          running.catch(() => {});
        },
      );
    });
  return new Proxy(sql, {
    get(target, prop, receiver) {
      if (prop === "unsafe") {
        return (text: string, params?: Parameters<Sql["unsafe"]>[1], options?: Parameters<Sql["unsafe"]>[2]) =>
          query(target.unsafe(text, params, params?.length && prepare?.(text) ? { ...options, prepare: true } : options));
      }
      if (prop === "begin") {
        return (...args: unknown[]) => {
          const fn = args.pop() as (scoped: Sql) => unknown;
          return transaction((inside) => (target.begin as (...a: unknown[]) => Promise<unknown>)(...args, inside), fn);
        };
      }
      if (prop === "savepoint") {
        return (...args: unknown[]) => {
          const fn = args.pop() as (scoped: Sql) => unknown;
          return transaction((inside) => ((target as unknown as { savepoint: (...a: unknown[]) => Promise<unknown> }).savepoint)(...args, inside), fn);
        };
      }
      return Reflect.get(target, prop, receiver);
    },
  });
}

type ConnectionOptions = postgres.Options<Record<string, postgres.PostgresType>>;

/** Applies the migrations as the role in `url`, under the watchdog and one advisory lock across instances. */
async function applyMigrations(url: string, base: ConnectionOptions, watchdog: DatabaseWatchdog): Promise<void> {
  // Without the statement timeout: building an index may take longer than any request should.
  const migrator = postgres(url, { ...base, max: 1, connection: { ...base.connection, statement_timeout: 0 } });
  try {
    await watchdog.guard(() => migrator`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`);
    await migratePostgres(drizzlePostgres({ client: watched(migrator, watchdog) }), { migrationsFolder });
    await watchdog.guard(() => migrator`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`);
  } finally {
    await migrator.end({ timeout: 1 });
  }
}

/** The newest migration's timestamp in the folder (drizzle's journal stores it as `created_at`). */
function newestMigration(): number {
  return Math.max(...readMigrationFiles({ migrationsFolder }).map((m) => m.folderMillis));
}

const JOURNAL_QUERY = "select max(created_at)::text as created_at from drizzle.__drizzle_migrations";

/** True when the database has every migration in the folder (read with the app's role: it may read, not write, the journal). */
async function migrationsApplied(client: Sql, watchdog: DatabaseWatchdog): Promise<boolean> {
  try {
    const [row] = await watchdog.guard(() => client.unsafe<{ created_at: string | null }[]>(JOURNAL_QUERY));
    return Number(row?.created_at ?? 0) >= newestMigration();
  } catch (error) {
    if (isDatabaseUnavailable(error)) throw error;
    return false; // no journal yet, or not readable: let the migrator decide
  }
}

// A Symbol.for brand, not instanceof: the error crosses separately bundled copies of this module.
const MIGRATIONS_PENDING = Symbol.for("breakwater.migrationsPending");

/**
 * What a production server says about a database its build is ahead of. It
 * counts as the database being unavailable (readiness answers 503, requests
 * `dependency_down`) until the deploy step has run; nothing is changed.
 */
export function migrationsPendingError(): DatabaseUnavailableError {
  const error = new DatabaseUnavailableError(
    "it lacks migrations this build needs, and a production server never migrates. Run `npm run db:migrate` (the deploy step, with DATABASE_OWNER_URL when the app's role may not change the schema), then retry.",
  );
  Object.defineProperty(error, MIGRATIONS_PENDING, { value: true, enumerable: false });
  return error;
}

function migrationsThroughPoolerError(): Error {
  return new Error(
    "Migrations are pending, and DATABASE_URL goes through a transaction-mode pooler (DATABASE_POOL_MODE=transaction), which cannot hold the migration lock. Set DATABASE_OWNER_URL to a direct connection and run `npm run db:migrate`.",
  );
}

export function isMigrationsPending(error: unknown): boolean {
  return Boolean(error) && typeof error === "object" && (error as Record<symbol, unknown>)[MIGRATIONS_PENDING] === true;
}

/**
 * Opens the app's pool on `url`. Through a transaction-mode pooler each
 * transaction may run on a different server connection, so: no prepared
 * statements (PgBouncer 1.18 would hang the first query on a connection that
 * lacks one), no session settings at connect (it refuses them; the app's role
 * carries statement_timeout and idle_in_transaction_session_timeout, see the
 * README), no pipelining (oneCallPerConnection), and no migrations through
 * it (they need one session for their lock: DATABASE_OWNER_URL, a direct
 * connection, runs them).
 */
async function openPostgres(url: string, poolMode: PoolMode, timeouts: DatabaseTimeouts, ownerUrl: string | undefined, mode: MigrationMode): Promise<DatabaseHandle> {
  const direct: ConnectionOptions = {
    onnotice: () => {},
    // postgres.js would first ask each new connection for the server's array types, in a query whose failure nobody
    // can catch: a connection lost during it became an unhandled rejection. We use no array types; this also saves a
    // round trip per connection. With it off, postgres.js's reserve() never settles on a fresh connection, so nothing
    // here reserves one (db/cursor.ts).
    fetch_types: false,
    connect_timeout: timeouts.connectTimeoutMs / 1000,
    // postgres.js's default backoff grows to 20 s between attempts: recovery would lag the server by that much.
    backoff: (retries: number) => Math.min(0.05 * 2 ** retries, timeouts.maxBackoffMs / 1000),
    connection: {
      application_name: "breakwater",
      statement_timeout: timeouts.statementTimeoutMs,
      idle_in_transaction_session_timeout: timeouts.idleInTransactionTimeoutMs,
    },
  };
  const base: ConnectionOptions = poolMode === "transaction" ? { ...direct, prepare: false, connection: { application_name: "breakwater" } } : direct;
  const probe = async () => {
    // A fresh connection: one stuck behind a hung query says nothing about the server.
    const once = postgres(url, { ...base, max: 1, connect_timeout: timeouts.probeTimeoutMs / 1000 });
    try {
      await once`select 1`;
    } finally {
      await once.end({ timeout: 0 });
    }
  };
  const watchdog = new DatabaseWatchdog(probe, { unresponsiveAfterMs: timeouts.unresponsiveAfterMs, probeTimeoutMs: timeouts.probeTimeoutMs, recoveryProbeMs: 250 });
  const client = postgres(url, { ...base, max: POOL_SIZE, idle_timeout: 60, max_lifetime: timeouts.maxLifetimeSeconds });
  const turn = poolMode === "transaction" ? oneCallPerConnection(POOL_SIZE) : anyTime;
  // Migrations run under the same watch: a cold start against a hung server fails in seconds instead of hanging.
  try {
    if (mode === "require") {
      if (!(await migrationsApplied(client, watchdog))) throw migrationsPendingError();
    } else if (ownerUrl) await applyMigrations(ownerUrl, direct, watchdog);
    else if (!(await migrationsApplied(client, watchdog))) {
      if (poolMode === "transaction") throw migrationsThroughPoolerError();
      await applyMigrations(url, base, watchdog);
    }
    if (poolMode === "transaction") await warnUnboundedRole(client, watchdog, timeouts);
  } catch (error) {
    watchdog.close();
    await client.end({ timeout: 1 });
    throw brandUnavailable(error);
  }
  // Through a transaction-mode pooler the client prepares nothing (prepare: false above), so there is nothing to pick.
  const db = drizzlePostgres({ client: watched(client, watchdog, turn, poolMode === "transaction" ? null : preparePolicy()), schema });
  // Large reads (the account export) stream through a server-side cursor: db/stream.ts.
  Object.defineProperty(db, ROW_CURSOR, { value: postgresCursor(client, watchdog, turn) });
  return {
    db,
    close: async () => {
      watchdog.close();
      await client.end({ timeout: 5 });
    },
    kind: "postgres",
    unavailableSince: () => watchdog.unavailableSince(),
  };
}

/**
 * A short-lived connection of its own, for work that must run as another
 * role than the app's (the audit retention job): one transaction, then closed.
 */
export async function withConnection<T>(url: string, work: (tx: Tx) => Promise<T>): Promise<T> {
  // One transaction, so preparing its statements gains nothing, and without them it also works through a transaction-mode pooler.
  const client = postgres(url, { max: 1, onnotice: () => {}, connect_timeout: 5, fetch_types: false, prepare: false });
  try {
    return await drizzlePostgres({ client, schema }).transaction(work);
  } finally {
    await client.end({ timeout: 1 });
  }
}

async function openPglite(config: DatabaseConfig): Promise<DatabaseHandle> {
  const dir = config.pgliteDir;
  // One process per folder: refuse (naming the holder) before PGlite reads a byte of it.
  const lock = dir === "memory://" ? null : claimPgliteFolder(dir, config.pgliteHolder, config.pgliteJoinToken);
  try {
    // Imported lazily so a Postgres deployment never loads the WASM build.
    const { PGlite } = await import("@electric-sql/pglite");
    const { drizzle } = await import("drizzle-orm/pglite");
    const { migrate } = await import("drizzle-orm/pglite/migrator");
    if (dir !== "memory://") fs.mkdirSync(dir, { recursive: true });
    const template = dir === "memory://" && config.pgliteTemplate ? config.pgliteTemplate : null;
    // Copying a migrated cluster skips initdb and the migrations: most of what opening a throwaway database costs.
    const client = template ? new PGlite({ loadDataDir: new Blob([fs.readFileSync(template)]) }) : new PGlite(dir === "memory://" ? undefined : dir);
    const db = drizzle({ client, schema });
    if (config.migrations === "apply") await migrate(db, { migrationsFolder });
    else if (!(await pgliteMigrationsApplied(client))) {
      await client.close();
      throw migrationsPendingError();
    }
    // A copy is a database of its own: the audit chain's id names it to the anchors kept outside it.
    if (template) await client.exec("UPDATE audit_chain SET chain_id = gen_random_uuid(), created_at = now()");
    const close = async () => {
      await client.close();
      lock?.release();
    };
    return { db: db as unknown as Db, close, kind: "pglite", unavailableSince: () => null };
  } catch (error) {
    lock?.release();
    throw error;
  }
}

async function pgliteMigrationsApplied(client: { query: <T>(sql: string) => Promise<{ rows: T[] }> }): Promise<boolean> {
  const { rows } = await client.query<{ created_at: string | null }>(JOURNAL_QUERY).catch(() => ({ rows: [] as { created_at: string | null }[] }));
  return Number(rows[0]?.created_at ?? 0) >= newestMigration();
}

/** Opens Postgres when a URL is given, else PGlite in `pgliteDir` (`memory://` for a throwaway one). */
export function openDatabase(config: DatabaseConfig): Promise<DatabaseHandle> {
  if (!config.url) return openPglite(config);
  if (!config.timeouts) return Promise.reject(new Error("Postgres is opened with its timeouts (connect, statement, watchdog); none were given."));
  return openPostgres(config.url, config.poolMode ?? "session", config.timeouts, config.ownerUrl, config.migrations);
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
export { DatabaseUnavailableError, isDatabaseUnavailable } from "./watchdog";
