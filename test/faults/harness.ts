import { execFile, spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { drizzle } from "drizzle-orm/postgres-js";
import { migrate } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";
import { startOwnPostgres, type OwnPostgres } from "@/test/fixtures/postgres";

/**
 * The fault-injection suite's world: a Postgres cluster of its own (so it can
 * be stopped and frozen), a database created and migrated by the owner role,
 * and `next start` instances of the production build (E2E_BUILD_DIR) running
 * as the least-privilege app role on that one database, as scripts/test.sh
 * sets things up. Instances can be restarted, killed with -9, and started with
 * extra configuration (an Upstash stand-in, provider faults). Each test file
 * sets up with `startWorld` and tears down with its `stop`.
 *
 * Test files import the app's own modules (factories, hashPassword) only after
 * `startWorld` has pointed DATABASE_URL at this cluster (`pointThisProcessAt`):
 * the env is read once.
 */
const exec = promisify(execFile);

export const BUILD_DIR = process.env.E2E_BUILD_DIR;
/** The suite runs only against a production build; the unit and Postgres phases skip it. */
export const faultsEnabled = Boolean(BUILD_DIR) && Boolean(process.env.FAULTS_PG_PORT);
export const FAULTS_PG_PORT = Number(process.env.FAULTS_PG_PORT ?? 25489);
/** First of the ports the instances listen on (two per file, four for the pooler file; one file at a time). */
export const FAULTS_APP_PORT = Number(process.env.FAULTS_APP_PORT ?? 3418);
export const CRON_SECRET = "faults-cron-secret-0123456789";
const AUTH_SECRET = "faults-auth-secret-0123456789";
const NEXT_BIN = path.join(process.cwd(), "node_modules", "next", "dist", "bin", "next");

export type FaultsDatabase = {
  pg: OwnPostgres;
  /** The app's least-privilege role (breakwater_web), as the instances use it. */
  appUrl: string;
  /** The owner role: for assertions and setup the app role may not do. */
  sql: postgres.Sql;
  /** The owner role's connection string (backups, restores). */
  ownerUrl: string;
  /** The vault every instance and the ops CLI share (records that outlive a restore): files, as without VAULT_DATABASE_URL. */
  vaultDir: string;
  close: () => Promise<void>;
};

/** Starts the cluster, creates and migrates the database as its owner, and creates the app's login role. */
export async function startDatabase(port = FAULTS_PG_PORT): Promise<FaultsDatabase> {
  const pg = await startOwnPostgres(port);
  const at = (role: string, db: string) => `postgres://${role}@127.0.0.1:${port}/${db}`;
  const superuser = postgres(pg.url, { max: 1, onnotice: () => {} });
  await superuser.unsafe("create role breakwater_owner login createrole createdb");
  await superuser.unsafe("create database breakwater_faults owner breakwater_owner");
  await superuser.end();
  const ownerUrl = at("breakwater_owner", "breakwater_faults");
  // The committed migrations, as `npm run db:migrate` applies them with DATABASE_OWNER_URL (in this process: no tsx start).
  const migrator = postgres(ownerUrl, { max: 1, onnotice: () => {} });
  await migrate(drizzle({ client: migrator }), { migrationsFolder: path.join(process.cwd(), "db", "migrations") });
  await migrator.end();
  const owner = postgres(at("breakwater_owner", "postgres"), { max: 1, onnotice: () => {} });
  await owner.unsafe("create role breakwater_web login in role breakwater_app");
  await owner.end();
  return databaseOn(pg, at("breakwater_web", "breakwater_faults"), ownerUrl, 2);
}

/** A started cluster as a test database: an owner connection, a vault folder of its own, and one close for all three. */
export function databaseOn(pg: OwnPostgres, appUrl: string, ownerUrl: string, connections: number): FaultsDatabase {
  const sql = postgres(ownerUrl, { max: connections, onnotice: () => {}, connect_timeout: 5 });
  const vaultDir = fs.mkdtempSync(path.join(os.tmpdir(), "bw-faults-vault-"));
  return {
    pg,
    appUrl,
    sql,
    ownerUrl,
    vaultDir,
    close: async () => {
      await sql.end({ timeout: 1 }).catch(() => {});
      await pg.destroy();
      fs.rmSync(vaultDir, { recursive: true, force: true });
    },
  };
}

/** Points this test process's own database access (factories, lib reads) at the app role on the suite's database. */
function pointThisProcessAt(db: FaultsDatabase) {
  process.env.DATABASE_URL = db.appUrl;
  delete process.env.PGLITE_DIR;
}

function withoutPglite(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const copy = { ...env };
  delete copy.PGLITE_DIR;
  delete copy.DATABASE_OWNER_URL;
  delete copy.AUDIT_RETENTION_DATABASE_URL;
  return copy;
}

/** What the instances and the ops CLI share: the database as the app's role, the vault, and the secrets tombstones and the audit chain derive from. */
function appEnv(db: FaultsDatabase): Record<string, string> {
  return { DATABASE_URL: db.appUrl, VAULT_DIR: db.vaultDir, AUTH_SECRET, APP_ENV: "development", LOG_LEVEL: "error" };
}

/** `npm run ops -- <args>` as an operator runs it, with the deployment's environment and the owner role for backups. */
export async function ops(db: FaultsDatabase, args: string[]): Promise<string> {
  const { stdout } = await exec("npm", ["run", "--silent", "ops", "--", ...args], {
    env: { ...withoutPglite(process.env), ...appEnv(db), DATABASE_OWNER_URL: db.ownerUrl },
  });
  return stdout;
}

export type Instance = {
  url: string;
  port: number;
  /** Where its stdout and stderr go (kept with FAULTS_KEEP_LOGS=1). */
  logFile: string;
  /** SIGTERM and wait for the port to close. */
  stop: () => Promise<void>;
  /** kill -9 the whole process group: no shutdown hook runs. */
  kill9: () => void;
};

/** Starts `next start` on the build, as the app role, and waits until it answers. */
export async function startInstance(db: FaultsDatabase, port: number, extraEnv: Record<string, string> = {}): Promise<Instance> {
  // The instance's own output, for when a scenario fails.
  const logDir = fs.mkdtempSync(path.join(os.tmpdir(), "bw-faults-log-"));
  const logFile = path.join(logDir, "server.log");
  const log = fs.openSync(logFile, "a");
  // Next's own binary rather than npx: one process less to start per instance on a busy machine.
  const child: ChildProcess = spawn(process.execPath, [NEXT_BIN, "start", "-H", "127.0.0.1", "-p", String(port)], {
    env: {
      ...withoutPglite(process.env),
      NODE_ENV: "production",
      NEXT_DIST_DIR: BUILD_DIR,
      ...appEnv(db),
      AUTH_TRUST_HOST: "true",
      CRON_SECRET,
      NEXT_TELEMETRY_DISABLED: "1",
      ...extraEnv,
    },
    stdio: ["ignore", log, log],
    detached: true,
  });
  fs.closeSync(log);
  const url = `http://127.0.0.1:${port}`;
  await waitUntilAnswering(url);
  const group = child.pid!;
  const alive = () => {
    try {
      process.kill(-group, 0);
      return true;
    } catch {
      return false;
    }
  };
  return {
    url,
    port,
    logFile,
    stop: async () => {
      if (alive()) {
        process.kill(-group, "SIGTERM");
        for (let i = 0; i < 50 && alive(); i++) await sleep(100);
        if (alive()) process.kill(-group, "SIGKILL");
      }
      if (!process.env.FAULTS_KEEP_LOGS) fs.rmSync(logDir, { recursive: true, force: true });
    },
    kill9: () => {
      if (alive()) process.kill(-group, "SIGKILL");
    },
  };
}

/** Two instances on one database: what a deployment with two regions or two containers looks like. */
export async function startPair(db: FaultsDatabase, extraEnv: Record<string, string> = {}, firstPort = FAULTS_APP_PORT): Promise<[Instance, Instance]> {
  const [a, b] = await Promise.all([startInstance(db, firstPort, extraEnv), startInstance(db, firstPort + 1, extraEnv)]);
  return [a, b];
}

async function waitUntilAnswering(url: string, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      // Liveness touches no dependency, so an instance can start while the database is being faulted.
      if ((await fetch(`${url}/api/health`)).status < 500) return;
    } catch {
      // not listening yet
    }
    await sleep(200);
  }
  throw new Error(`${url} did not start`);
}

type TestUser = Awaited<ReturnType<typeof import("@/test/factories").createTestUser>>;

/** One test file's world: its database, two instances on it, and users who sign in with the file's password. */
export type FaultsWorld = {
  db: FaultsDatabase;
  /** The running instances (empty between `stopInstances` and `startInstances`). */
  instances: Instance[];
  /** A user whose password is the world's password. */
  createUser: (options?: Parameters<typeof import("@/test/factories").createTestUser>[0]) => Promise<TestUser>;
  /** Signs in on an instance over HTTP, as the sign-in form does; resolves to the session cookie. */
  signIn: (instance: Instance, email: string) => Promise<string>;
  canSignIn: (instance: Instance, email: string) => Promise<boolean>;
  /** Stops both instances (SIGTERM), as scaling to zero does. */
  stopInstances: () => Promise<void>;
  /** Starts a fresh pair on the same database, with the world's configuration. */
  startInstances: () => Promise<Instance[]>;
  /** Stops everything, whatever a test left faulted; also runs `cleanup`s registered with `onStop`. */
  stop: () => Promise<void>;
  onStop: (cleanup: () => unknown) => void;
};

/**
 * The setup every fault file shares: the database started and migrated, this
 * process pointed at it, then `prepare` (seed rows, start other services; what
 * it returns is extra configuration for the instances), then two instances.
 * Call it in `beforeAll` and `world.stop()` in `afterAll`.
 */
export async function startWorld(options: {
  password: string;
  env?: Record<string, string>;
  prepare?: (world: Pick<FaultsWorld, "db" | "createUser" | "signIn" | "canSignIn" | "onStop">) => Promise<Record<string, string> | void>;
}): Promise<FaultsWorld> {
  const db = await startDatabase();
  pointThisProcessAt(db);
  const { createTestUser } = await import("@/test/factories");
  const { hashPassword } = await import("@/lib/auth");
  const { signInCookie } = await import("@/test/http-sign-in");
  const passwordHash = await hashPassword(options.password);
  const cleanups: (() => unknown)[] = [];
  let env: Record<string, string> = { ...options.env };
  const world: FaultsWorld = {
    db,
    instances: [],
    createUser: (userOptions = {}) => createTestUser({ passwordHash, ...userOptions }),
    signIn: (instance, email) => signInCookie(instance.url, email, options.password),
    canSignIn: (instance, email) =>
      world.signIn(instance, email).then(
        () => true,
        () => false,
      ),
    onStop: (cleanup) => void cleanups.push(cleanup),
    stopInstances: async () => {
      await Promise.all(world.instances.map((i) => i.stop()));
      world.instances = [];
    },
    startInstances: async () => (world.instances = await startPair(db, env)),
    stop: async () => {
      // A frozen cluster would hang the instances' shutdown and the close.
      await db.pg.thaw().catch(() => {});
      await world.stopInstances();
      for (const cleanup of cleanups.reverse()) {
        try {
          await cleanup();
        } catch {
          // already gone
        }
      }
      await db.close();
    },
  };
  try {
    env = { ...env, ...((await options.prepare?.(world)) ?? {}) };
    await world.startInstances();
    return world;
  } catch (error) {
    await world.stop().catch(() => {});
    throw error;
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export type Timed = { status: number; ms: number; body: string; location: string | null };

/** A request and how long it took to answer; a request that does not answer within `limitMs` reports status 0. */
export async function timed(url: string, init: RequestInit = {}, limitMs = 10_000): Promise<Timed> {
  const started = performance.now();
  try {
    const response = await fetch(url, { redirect: "manual", ...init, signal: AbortSignal.timeout(limitMs) });
    const body = await response.text();
    return { status: response.status, ms: Math.round(performance.now() - started), body, location: response.headers.get("location") };
  } catch {
    return { status: 0, ms: Math.round(performance.now() - started), body: "", location: null };
  }
}

/** The id Next.js gave a server action in this build, so the test can call it over HTTP as a browser form would. */
export function serverActionId(file: string, exportedName: string): string {
  const manifest = JSON.parse(fs.readFileSync(path.join(BUILD_DIR!, "server", "server-reference-manifest.json"), "utf8")) as {
    node: Record<string, { filename: string; exportedName: string }>;
  };
  const entry = Object.entries(manifest.node).find(([, v]) => v.filename === file && v.exportedName === exportedName);
  if (!entry) throw new Error(`no server action ${exportedName} in ${file}`);
  return entry[0];
}

/** Calls a server action over HTTP (the page it is posted from, its arguments) and returns the raw answer. */
export function callAction(instance: Instance, pagePath: string, actionId: string, args: unknown[], cookie: string, limitMs = 20_000) {
  return timed(
    `${instance.url}${pagePath}`,
    {
      method: "POST",
      headers: { cookie, origin: instance.url, "Next-Action": actionId, "Content-Type": "text/plain;charset=UTF-8", Accept: "text/x-component" },
      body: JSON.stringify(args),
    },
    limitMs,
  );
}

/** The error code a server action's result carried (its RSC answer holds the serialized `{ ok, code }`). */
export function actionCode(body: string): string | null {
  if (/"ok":true/.test(body)) return "ok";
  return body.match(/"code":"([a-z_]+)"/)?.[1] ?? null;
}

export function cron(instance: Instance, job: string, limitMs = 60_000) {
  return timed(`${instance.url}/api/cron/${job}`, { headers: { authorization: `Bearer ${CRON_SECRET}` } }, limitMs);
}

/** Sets the fake payments provider's faults at run time (the admin/ops setting, honoured by every instance). */
export async function setPaymentFaults(sql: postgres.Sql, faults: { failPercent?: number; timeoutPercent?: number; latencyMs?: number }) {
  const row = { provider: "payments", fail_percent: faults.failPercent ?? 0, timeout_percent: faults.timeoutPercent ?? 0, latency_ms: faults.latencyMs ?? 0 };
  await sql`insert into provider_faults ${sql(row)} on conflict (provider) do update set fail_percent = excluded.fail_percent,
    timeout_percent = excluded.timeout_percent, latency_ms = excluded.latency_ms, updated_at = now()`;
}

export async function clearPaymentFaults(sql: postgres.Sql) {
  await sql`delete from provider_faults where provider = 'payments'`;
}
