import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { sql } from "drizzle-orm";
import { pgbouncerBinary, startPgbouncer, type Pgbouncer } from "@/test/fixtures/pgbouncer";
import { freeTcpPort } from "@/test/fixtures/postgres";
import { openDatabase, type DatabaseHandle } from "./client";

/**
 * The pool behind a transaction-mode pooler (PgBouncer, pool_mode =
 * transaction, two server connections), on real Postgres: four pools, as four
 * instances would hold, send a mix of plain queries, parameterised queries
 * and transactions, more at once than they have connections. Every call is
 * answered. (Without DATABASE_POOL_MODE=transaction's rules, some never are:
 * a query pipelined behind another loses its answer when the pooler hands the
 * server connection to someone else in between.)
 */
const databaseUrl = process.env.DATABASE_URL;
const TIMEOUTS = { connectTimeoutMs: 2_000, statementTimeoutMs: 10_000, idleInTransactionTimeoutMs: 15_000, maxLifetimeSeconds: 60, maxBackoffMs: 100, unresponsiveAfterMs: 1_000, probeTimeoutMs: 1_000 };

describe.skipIf(!databaseUrl || !pgbouncerBinary)("Postgres through a transaction-mode pooler", () => {
  let bouncer: Pgbouncer;
  const pools: DatabaseHandle[] = [];

  beforeAll(async () => {
    const target = new URL(databaseUrl!);
    // In front of Postgres itself: DATABASE_URL may already go through the phase's pooler, the owner's URL is direct.
    const server = new URL(process.env.DATABASE_OWNER_URL ?? databaseUrl!);
    bouncer = await startPgbouncer({ postgresPort: Number(server.port || 5432), port: await freeTcpPort(), poolSize: 2, roles: [decodeURIComponent(target.username)] });
    const pooled = bouncer.url(decodeURIComponent(target.username), target.pathname.slice(1));
    for (let i = 0; i < 4; i++) pools.push(await openDatabase({ url: pooled, poolMode: "transaction", pgliteDir: "memory://", migrations: "require", timeouts: TIMEOUTS }));
  });

  afterAll(async () => {
    await Promise.all(pools.map((pool) => pool.close()));
    await bouncer?.stop();
  });

  it("answers every one of a mixed load larger than the pools", { timeout: 60_000 }, async () => {
    const call = (db: DatabaseHandle["db"], i: number) =>
      i % 3 === 0
        ? db.transaction(async (tx) => {
            await tx.execute(sql`select ${i}::int as i`);
            await tx.execute(sql`select 1`);
          })
        : i % 3 === 1
          ? db.execute(sql`select 1`)
          : db.execute(sql`select ${i}::int as i`);
    let answered = 0;
    const load = Promise.all(
      pools.flatMap(({ db }) =>
        Array.from({ length: 16 }, async (_, worker) => {
          for (let round = 0; round < 30; round++) {
            await call(db, worker + round);
            answered++;
          }
        }),
      ),
    );
    const outcome = await Promise.race([load.then(() => "all answered"), new Promise((resolve) => setTimeout(() => resolve("still waiting"), 30_000))]);
    expect({ outcome, answered }).toEqual({ outcome: "all answered", answered: 4 * 16 * 30 });
  });

  it.skipIf(!process.env.DATABASE_OWNER_URL)("refuses to migrate through it, naming the direct connection to use instead", { timeout: 30_000 }, async () => {
    const owner = process.env.DATABASE_OWNER_URL!;
    const empty = `pooler_unmigrated_${process.pid}`;
    const admin = postgres(Object.assign(new URL(owner), { pathname: "/postgres" }).toString(), { max: 1, onnotice: () => {} });
    try {
      await admin.unsafe(`create database ${empty}`);
      const target = new URL(databaseUrl!);
      const refused = await openDatabase({
        url: bouncer.url(decodeURIComponent(target.username), empty),
        poolMode: "transaction",
        pgliteDir: "memory://",
        migrations: "apply",
        timeouts: TIMEOUTS,
      }).catch((error: unknown) => error);
      expect((refused as Error).message).toMatch(/transaction-mode pooler .*Set DATABASE_OWNER_URL to a direct connection/);
    } finally {
      await admin.unsafe(`drop database if exists ${empty} with (force)`).catch(() => {});
      await admin.end();
    }
  });

  it.skipIf(!process.env.DATABASE_OWNER_URL)("says so when the role behind it lacks the server-side timeouts, naming the statements that set them", { timeout: 30_000 }, async () => {
    // The owner's role, which carries no timeouts of its own; a fresh PgBouncer per open, so no server session predates a change.
    const owner = new URL(process.env.DATABASE_OWNER_URL!);
    const role = decodeURIComponent(owner.username);
    const database = owner.pathname.slice(1);
    const opened = async () => {
      const own = await startPgbouncer({ postgresPort: Number(owner.port || 5432), port: await freeTcpPort(), poolSize: 2, roles: [role] });
      const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
      try {
        const handle = await openDatabase({ url: own.url(role, database), poolMode: "transaction", pgliteDir: "memory://", migrations: "require", timeouts: TIMEOUTS });
        await handle.close();
        return warn.mock.calls.map((call) => call.join(" "));
      } finally {
        warn.mockRestore();
        await own.stop();
      }
    };
    const admin = postgres(owner.toString(), { max: 1, onnotice: () => {} });
    try {
      const [unbounded] = await opened();
      expect(unbounded).toMatch(/statement_timeout, idle_in_transaction_session_timeout/);
      expect(unbounded).toContain(`ALTER ROLE "${role}" SET statement_timeout = '10000ms'`);
      expect(unbounded).toContain(`ALTER ROLE "${role}" SET idle_in_transaction_session_timeout = '15000ms'`);

      await admin.unsafe(`alter role "${role}" in database "${database}" set statement_timeout = '10s'`);
      await admin.unsafe(`alter role "${role}" in database "${database}" set idle_in_transaction_session_timeout = '15s'`);
      expect(await opened()).toEqual([]);
    } finally {
      await admin.unsafe(`alter role "${role}" in database "${database}" reset all`).catch(() => {});
      await admin.end();
    }
  });
});
