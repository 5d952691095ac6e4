import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { pgbouncerBinary, startPgbouncer, type Pgbouncer } from "@/test/fixtures/pgbouncer";
import { freeTcpPort } from "@/test/fixtures/postgres";
import { executeRows, openDatabase, type DatabaseHandle, type Executor } from "./client";
import { preparePolicy } from "./prepared";

describe("which statements are prepared", () => {
  it("a text from its second sighting on, one-off texts never", () => {
    const prepare = preparePolicy({ budget: 10, tracked: 10, maxLength: 100 });
    expect([prepare("a"), prepare("a"), prepare("a")]).toEqual([false, true, true]);
    expect(prepare("b")).toBe(false);
  });

  it("no more than the budget of texts; those already prepared stay prepared", () => {
    const prepare = preparePolicy({ budget: 2, tracked: 100, maxLength: 100 });
    for (const text of ["a", "b", "c"]) prepare(text);
    expect(["a", "b", "c"].map(prepare)).toEqual([true, true, false]);
    expect(["a", "b", "c"].map(prepare)).toEqual([true, true, false]);
  });

  it("never a text longer than the limit", () => {
    const prepare = preparePolicy({ budget: 10, tracked: 10, maxLength: 100 });
    const long = "x".repeat(101);
    expect([prepare(long), prepare(long), prepare(long)]).toEqual([false, false, false]);
    const limit = "y".repeat(100);
    expect([prepare(limit), prepare(limit)]).toEqual([false, true]);
  });

  it("a flood of one-off texts is forgotten oldest first and does not hide a hot text that comes later", () => {
    const prepare = preparePolicy({ budget: 10, tracked: 3, maxLength: 100 });
    for (let i = 0; i < 1000; i++) prepare(`one-off ${i}`);
    expect(prepare("one-off 0")).toBe(false); // long forgotten: counts as a first sighting again
    expect([prepare("hot"), prepare("hot")]).toEqual([false, true]);
  });
});

/**
 * The pool on real Postgres. Each case looks at pg_prepared_statements of the
 * connection that ran the statement (one transaction, so one server
 * connection): straight to the server a statement seen twice is prepared;
 * behind a transaction-mode pooler, where a prepared statement would be left
 * on a server connection the next transaction may not get, nothing is, and
 * every statement still answers.
 */
const databaseUrl = process.env.DATABASE_URL;
const TIMEOUTS = { connectTimeoutMs: 2_000, statementTimeoutMs: 10_000, idleInTransactionTimeoutMs: 15_000, maxLifetimeSeconds: 60, maxBackoffMs: 100, unresponsiveAfterMs: 1_000, probeTimeoutMs: 1_000 };

/** The label is in the statement's text (not a parameter), where pg_prepared_statements shows it. */
const labelled = (label: string, n: number) => sql`select ${n}::int as n, ${sql.raw(`'${label}'`)}::text as label`;

async function preparedHere(tx: Executor, label: string): Promise<number> {
  const [row] = await executeRows<{ n: number }>(tx, sql`select count(*)::int as n from pg_prepared_statements where statement like ${sql.raw(`'%''${label}''::text%'`)} and statement not like '%pg_prepared_statements%'`);
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

  it("straight to the server: a statement seen twice is prepared on the connection and reused", async () => {
    await direct.db.transaction(async (tx) => {
      expect(await executeRows(tx, labelled("twice", 1))).toEqual([{ n: 1, label: "twice" }]);
      expect(await preparedHere(tx, "twice")).toBe(0);
      expect(await executeRows(tx, labelled("twice", 2))).toEqual([{ n: 2, label: "twice" }]);
      expect(await executeRows(tx, labelled("twice", 3))).toEqual([{ n: 3, label: "twice" }]);
      expect(await preparedHere(tx, "twice")).toBe(1);
    });
  });

  it("the query builder's statements too", async () => {
    await direct.db.transaction(async (tx) => {
      const builder = () => tx.select({ n: sql<number>`${7}::int`, label: sql<string>`'built'::text` }).from(sql`(select 1) as one`);
      for (let i = 0; i < 3; i++) expect(await builder()).toEqual([{ n: 7, label: "built" }]);
      expect(await preparedHere(tx, "built")).toBe(1);
    });
  });

  it.skipIf(!pgbouncerBinary)("behind a transaction-mode pooler: every statement answered, nothing left prepared on the server connection", async () => {
    await pooled!.db.transaction(async (tx) => {
      for (let n = 1; n <= 3; n++) expect(await executeRows(tx, labelled("pooled", n))).toEqual([{ n, label: "pooled" }]);
      expect(await preparedHere(tx, "pooled")).toBe(0);
    });
  });
});
