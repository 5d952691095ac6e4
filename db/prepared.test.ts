import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { pgbouncerBinary, startPgbouncer, type Pgbouncer } from "@/test/fixtures/pgbouncer";
import { freeTcpPort } from "@/test/fixtures/postgres";
import { executeRows, openDatabase, type DatabaseHandle, type Executor } from "./client";
import { readOnlyDb } from "./read-only";

/**
 * `executeRows(…, { prepared: true })` on real Postgres: straight to the
 * server the statement is prepared once per connection and reused; behind a
 * transaction-mode pooler, where a prepared statement would be left on a
 * server connection the next transaction may not get, nothing is prepared and
 * the statement still answers; through a read-only view it goes the view's
 * ordinary way. Each case looks at pg_prepared_statements of the connection
 * that ran it (the same transaction, so the same server connection).
 */
const databaseUrl = process.env.DATABASE_URL;
const TIMEOUTS = { connectTimeoutMs: 2_000, statementTimeoutMs: 10_000, idleInTransactionTimeoutMs: 15_000, maxLifetimeSeconds: 60, maxBackoffMs: 100, unresponsiveAfterMs: 1_000, probeTimeoutMs: 1_000 };
const MARK = "prepared-statement-test";
/** The mark is in the statement's text (not a parameter), where pg_prepared_statements shows it. */
const marked = (n: number, kind: string) => sql`select ${n}::int as n, ${sql.raw(`'${MARK}'`)}::text as mark, ${sql.raw(`'${kind}'`)}::text as kind`;
const statement = (n: number) => marked(n, "prepared");

async function preparedHere(tx: Executor): Promise<number> {
  const [row] = await executeRows<{ n: number }>(tx, sql`select count(*)::int as n from pg_prepared_statements where statement like ${`%${MARK}%`} and statement not like '%pg_prepared_statements%'`);
  return row!.n;
}

describe.skipIf(!databaseUrl)("prepared statements on Postgres", () => {
  let direct: DatabaseHandle;
  let pooled: DatabaseHandle | null = null;
  let bouncer: Pgbouncer | null = null;

  beforeAll(async () => {
    const target = new URL(databaseUrl!);
    // DATABASE_URL may go through the test phase's pooler; the owner's URL names Postgres itself.
    const server = new URL(process.env.DATABASE_OWNER_URL ?? databaseUrl!);
    const straight = new URL(databaseUrl!);
    straight.host = server.host;
    direct = await openDatabase({ url: straight.toString(), poolMode: "session", pgliteDir: "memory://", migrations: "require", timeouts: TIMEOUTS });
    if (pgbouncerBinary) {
      bouncer = await startPgbouncer({ postgresPort: Number(server.port || 5432), port: await freeTcpPort(), poolSize: 2, roles: [decodeURIComponent(target.username)] });
      const url = bouncer.url(decodeURIComponent(target.username), target.pathname.slice(1));
      pooled = await openDatabase({ url, poolMode: "transaction", pgliteDir: "memory://", migrations: "require", timeouts: TIMEOUTS });
    }
  });

  afterAll(async () => {
    await direct?.close();
    await pooled?.close();
    await bouncer?.stop();
  });

  it("straight to the server: prepared once on the connection, then reused", async () => {
    await direct.db.transaction(async (tx) => {
      expect(await preparedHere(tx)).toBe(0);
      expect(await executeRows(tx, statement(1), { prepared: true })).toEqual([{ n: 1, mark: MARK, kind: "prepared" }]);
      expect(await executeRows(tx, statement(2), { prepared: true })).toEqual([{ n: 2, mark: MARK, kind: "prepared" }]);
      expect(await preparedHere(tx)).toBe(1);
    });
  });

  it("without the option: nothing is prepared", async () => {
    const other = marked(3, "unprepared");
    await direct.db.transaction(async (tx) => {
      const before = await preparedHere(tx);
      await executeRows(tx, other);
      expect(await preparedHere(tx)).toBe(before);
    });
  });

  it("through a read-only view: the view's ordinary path, nothing prepared", async () => {
    // A statement that counts prepared statements with its own text: it sees itself only if it was prepared.
    // (It has a parameter: postgres.js sends one without any as a simple query, which is never prepared.)
    const selfSeen = (probe: string) => sql`select count(*)::int as n from pg_prepared_statements where statement like ${sql.raw(`'%${probe}%'`)} and ${1}::int = 1`;
    await direct.db.transaction(async (tx) => expect(await executeRows(tx, selfSeen("probe-direct"), { prepared: true })).toEqual([{ n: 1 }]));
    const view = readOnlyDb(direct.db, "support session");
    expect(await executeRows(view, selfSeen("probe-read-only"), { prepared: true })).toEqual([{ n: 0 }]);
  });

  it.skipIf(!pgbouncerBinary)("behind a transaction-mode pooler: answered, and nothing left prepared on the server connection", async () => {
    await pooled!.db.transaction(async (tx) => {
      expect(await executeRows(tx, statement(5), { prepared: true })).toEqual([{ n: 5, mark: MARK, kind: "prepared" }]);
      expect(await executeRows(tx, statement(6), { prepared: true })).toEqual([{ n: 6, mark: MARK, kind: "prepared" }]);
      expect(await preparedHere(tx)).toBe(0);
    });
  });
});
