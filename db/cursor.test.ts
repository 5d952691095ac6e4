import { afterEach, describe, expect, it } from "vitest";
import { openDatabase, schema, type DatabaseHandle } from "./client";
import { streamRows } from "./stream";

/**
 * Server-side cursors on a pool that has just opened, on real Postgres: each
 * cursor needs a connection of its own, so all but the first open a fresh
 * one. postgres.js's `reserve()` never settles on a fresh connection when it
 * skips its array-type fetch (as this pool does), so a cursor must not wait
 * on one.
 */
const databaseUrl = process.env.DATABASE_URL;
// The pool as the phase connects: through a transaction-mode pooler in the Postgres phase (scripts/test.sh).
const poolMode = process.env.DATABASE_POOL_MODE === "transaction" ? "transaction" : "session";
const TIMEOUTS = { connectTimeoutMs: 2_000, statementTimeoutMs: 10_000, idleInTransactionTimeoutMs: 15_000, maxLifetimeSeconds: 60, maxBackoffMs: 100, unresponsiveAfterMs: 1_000, probeTimeoutMs: 1_000 };

let handle: DatabaseHandle | null = null;
afterEach(async () => {
  await handle?.close();
  handle = null;
});

const usersOf = (db: DatabaseHandle["db"]) => streamRows(db, { table: schema.users, key: schema.users.id }, { batchSize: 2, timeLimitMs: 5_000 });

async function readAll(db: DatabaseHandle["db"]): Promise<number> {
  let rows = 0;
  for await (const batch of usersOf(db)) rows += batch.length;
  return rows;
}

const within = <T>(work: Promise<T>) => Promise.race([work, new Promise<"still waiting">((resolve) => setTimeout(() => resolve("still waiting"), 10_000))]);

describe.skipIf(!databaseUrl)("row cursors on a fresh pool", () => {
  it("a second cursor, while the first holds the only open connection, gets a fresh one and finishes", { timeout: 30_000 }, async () => {
    const { createTestUser } = await import("@/test/factories");
    for (let i = 0; i < 3; i++) await createTestUser();
    handle = await openDatabase({ url: databaseUrl, poolMode, pgliteDir: "memory://", migrations: "require", timeouts: TIMEOUTS });
    const db = handle.db;
    const expected = (await db.select({ id: schema.users.id }).from(schema.users)).length;

    const first = usersOf(db);
    expect((await first.next()).value).toHaveLength(2);
    // The first cursor's transaction holds the pool's one connection: this one needs a new connection.
    expect(await within(readAll(db))).toBe(expected);
    let rest = 2;
    for await (const batch of first) rest += batch.length;
    expect(rest).toBe(expected);
  });
});
