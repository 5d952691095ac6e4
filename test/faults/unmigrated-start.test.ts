/**
 * A production server never migrates: `next start` of the production build
 * against a database that was never migrated, as a role that could migrate it
 * (the schema's owner), leaves it untouched, answers readiness with 503, and
 * says once in its log what to run. After the deploy step (`npm run
 * db:migrate`) the same instance is ready without a restart. See ./harness.ts.
 */
import { execFile } from "node:child_process";
import fs from "node:fs";
import { promisify } from "node:util";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startOwnPostgres } from "@/test/fixtures/postgres";
import { databaseOn, FAULTS_APP_PORT, FAULTS_PG_PORT, faultsEnabled, sleep, startInstance, timed, type FaultsDatabase, type Instance } from "./harness";

const exec = promisify(execFile);
const TOLD = "a production server never migrates. Run `npm run db:migrate`";

describe.skipIf(!faultsEnabled)("a production start on an unmigrated database (production build)", () => {
  let db: FaultsDatabase;
  let instance: Instance;

  beforeAll(async () => {
    const pg = await startOwnPostgres(FAULTS_PG_PORT);
    const superuser = postgres(pg.url, { max: 1, onnotice: () => {} });
    await superuser.unsafe("create role breakwater_owner login createrole createdb");
    await superuser.unsafe("create database breakwater_unmigrated owner breakwater_owner");
    await superuser.end();
    const ownerUrl = `postgres://breakwater_owner@127.0.0.1:${FAULTS_PG_PORT}/breakwater_unmigrated`;
    // A one-role setup: the app's role owns the schema, so nothing but the rule keeps it from migrating.
    db = databaseOn(pg, ownerUrl, ownerUrl, 1);
    instance = await startInstance(db, FAULTS_APP_PORT, { LOG_LEVEL: "info" });
  }, 120_000);

  afterAll(async () => {
    await instance?.stop();
    await db?.close();
  });

  it("leaves the database untouched, is not ready, and says once what to run", { timeout: 60_000 }, async () => {
    for (let i = 0; i < 3; i++) {
      const ready = await timed(`${instance.url}/api/health/ready`);
      expect(ready.status).toBe(503);
      expect(JSON.parse(ready.body)).toMatchObject({ status: "not_ready" });
    }
    const [journal] = await db.sql<{ journal: string | null }[]>`select to_regclass('drizzle.__drizzle_migrations')::text as journal`;
    expect(journal!.journal).toBeNull();
    const [tables] = await db.sql<{ n: number }[]>`select count(*)::int as n from pg_tables where schemaname = 'public'`;
    expect(tables!.n).toBe(0);
    const log = fs.readFileSync(instance.logFile, "utf8");
    // Said once, in plain words for the operator; each refused request's structured (JSON) log line carries the error as well.
    const told = log.split("\n").filter((line) => !line.startsWith("{") && line.includes(TOLD));
    expect(told, log).toHaveLength(1);
  });

  it("after the deploy step, the same instance is ready without a restart", { timeout: 120_000 }, async () => {
    const environment: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: db.ownerUrl };
    delete environment.PGLITE_DIR;
    delete environment.DATABASE_OWNER_URL;
    const { stdout } = await exec("npm", ["run", "--silent", "db:migrate"], { env: environment });
    expect(stdout).toMatch(/Migrations applied \(postgres\)/);
    let status = 0;
    for (let i = 0; i < 50 && status !== 200; i++) {
      status = (await timed(`${instance.url}/api/health/ready`)).status;
      if (status !== 200) await sleep(200);
    }
    expect(status).toBe(200);
  });
});
