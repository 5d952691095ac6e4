import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { openDatabase, type DatabaseHandle } from "./client";
import { isDatabaseUnavailable } from "./watchdog";

/**
 * A connection reset in the middle of its setup, on real Postgres. Whatever
 * the client sends first on a fresh connection is the moment the reset
 * lands: nothing it started may reject where nobody listens (an unhandled
 * rejection fails a test run, and can end a server process), and the
 * caller's own call ends as `dependency_down`.
 */
const databaseUrl = process.env.DATABASE_URL;
// The pool as the phase connects: through a transaction-mode pooler in the Postgres phase (scripts/test.sh).
const poolMode = process.env.DATABASE_POOL_MODE === "transaction" ? "transaction" : "session";

/** A TCP relay to Postgres that, while `cutting`, resets every connection at the client's first message after the startup packet. */
function resettingRelay(target: URL) {
  const sockets = new Set<net.Socket>();
  const relay = {
    cutting: false,
    resets: 0,
    server: net.createServer((client) => {
      const upstream = net.connect(Number(target.port || 5432), target.hostname);
      sockets.add(client);
      let messages = 0;
      client.on("data", (chunk) => {
        if (relay.cutting && messages++ > 0) {
          relay.resets++;
          client.resetAndDestroy();
          upstream.destroy();
          return;
        }
        upstream.write(chunk);
      });
      upstream.on("data", (chunk) => client.write(chunk));
      for (const socket of [client, upstream]) socket.on("error", () => {});
      client.on("close", () => {
        sockets.delete(client);
        upstream.destroy();
      });
      upstream.on("close", () => client.destroy());
    }),
    /** Resets the connections already open, so the next call needs a fresh one. */
    resetAll() {
      for (const socket of sockets) socket.resetAndDestroy();
    },
  };
  return relay;
}

const unhandled: unknown[] = [];
const record = (reason: unknown) => void unhandled.push(reason);

describe.skipIf(!databaseUrl)("a connection lost while it is being set up", () => {
  let relay: ReturnType<typeof resettingRelay>;
  let handle: DatabaseHandle;

  beforeAll(async () => {
    const target = new URL(databaseUrl!);
    relay = resettingRelay(target);
    await new Promise<void>((resolve) => relay.server.listen(0, "127.0.0.1", resolve));
    const viaRelay = new URL(databaseUrl!);
    viaRelay.hostname = "127.0.0.1";
    viaRelay.port = String((relay.server.address() as net.AddressInfo).port);
    handle = await openDatabase({
      url: viaRelay.toString(),
      poolMode,
      pgliteDir: "memory://",
      migrations: "require",
      timeouts: { connectTimeoutMs: 2_000, statementTimeoutMs: 10_000, idleInTransactionTimeoutMs: 15_000, maxLifetimeSeconds: 60, maxBackoffMs: 100, unresponsiveAfterMs: 1_000, probeTimeoutMs: 1_000 },
    });
    process.on("unhandledRejection", record);
  });

  afterAll(async () => {
    process.off("unhandledRejection", record);
    await handle?.close();
    relay?.server.close();
  });

  it("fails the caller's query as dependency_down, leaves no unhandled rejection behind, and works once connections survive", { timeout: 30_000 }, async () => {
    relay.cutting = true;
    relay.resetAll();
    // Let the pool see its connection go, so the call below opens a fresh one.
    await new Promise((resolve) => setTimeout(resolve, 100));
    const failed = await handle.db.execute(sql`select 1 as one`).catch((error: unknown) => error);
    expect(relay.resets).toBeGreaterThan(0);
    expect(isDatabaseUnavailable(failed)).toBe(true);

    relay.cutting = false;
    let answered = false;
    for (let attempt = 0; attempt < 50 && !answered; attempt++) {
      answered = await handle.db.execute(sql`select 1 as one`).then(
        () => true,
        () => new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 100)),
      );
    }
    expect(answered).toBe(true);
    // A rejection nobody handled surfaces on a later turn of the event loop.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(unhandled).toEqual([]);
  });
});
