import type postgres from "postgres";
import { afterEach, describe, expect, it } from "vitest";
import { openDatabase, schema, type DatabaseHandle } from "./client";
import { postgresCursor, type SelectBuilder } from "./cursor";
import { streamRows } from "./stream";
import { DatabaseWatchdog } from "./watchdog";

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

/** A stand-in for postgres.js that hands out the given batches through `.values().cursor()` and keeps what it handed out. */
function fakeDriver(batches: unknown[][][]) {
  const handed: unknown[][][] = [];
  const tx = {
    unsafe: (query: string) =>
      query.startsWith("set local")
        ? Promise.resolve([])
        : {
            values: () => ({
              cursor: async function* () {
                for (const batch of batches) {
                  handed.push(batch);
                  yield batch;
                }
              },
            }),
          },
  };
  const client = { begin: (_mode: string, work: (t: typeof tx) => Promise<unknown>) => work(tx) };
  return { client: client as unknown as postgres.Sql, handed };
}

describe("row cursor batches", () => {
  it("hands on each batch in drizzle's row shape and leaves the driver's array for it empty", async () => {
    const { client, handed } = fakeDriver([
      [
        ["a", "2024-01-02 03:04:05+00", null],
        ["b", "2024-01-02 03:04:06+00", "2024-02-01 00:00:00+00"],
      ],
      [["c", "2024-01-02 03:04:07+00", null]],
    ]);
    const select: SelectBuilder = {
      _prepare: () => ({
        queryString: "select",
        params: [],
        fields: [
          { path: ["id"], field: schema.tasks.id },
          { path: ["createdAt"], field: schema.tasks.createdAt },
          { path: ["deletedAt"], field: schema.tasks.deletedAt },
        ],
      }),
    };
    const watchdog = new DatabaseWatchdog(async () => {}, { unresponsiveAfterMs: 5_000, probeTimeoutMs: 1_000, recoveryProbeMs: 100 });
    const cursor = postgresCursor(client, watchdog, async (call) => call());
    const seen: Record<string, unknown>[][] = [];
    try {
      for await (const rows of cursor(select, { batchSize: 2, timeLimitMs: 5_000 })) {
        seen.push(rows);
        // Nothing but the mapped rows holds the batch once it is handed on (the driver's rows must die young).
        expect(handed[seen.length - 1]).toEqual([]);
      }
    } finally {
      watchdog.close();
    }
    expect(seen).toEqual([
      [
        { id: "a", createdAt: new Date("2024-01-02T03:04:05Z"), deletedAt: null },
        { id: "b", createdAt: new Date("2024-01-02T03:04:06Z"), deletedAt: new Date("2024-02-01T00:00:00Z") },
      ],
      [{ id: "c", createdAt: new Date("2024-01-02T03:04:07Z"), deletedAt: null }],
    ]);
  });
});
