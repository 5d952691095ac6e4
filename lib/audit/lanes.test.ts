import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditEvents } from "@/db/schema";
import { databaseKind, getDb } from "@/lib/database";
import { recordAuditEvent, type AuditEventInput } from "./record";
import { verifyAuditChain } from "./verify";

// Concurrent transactions need a server: the embedded database runs one transaction at a time.
const onPostgres = (await databaseKind()) === "postgres";

function event(target: string, i: number): AuditEventInput {
  return { actor: { type: "user", id: target }, action: "billing.plan_change", target: { type: "subscription", id: target }, outcome: "success", metadata: { i } };
}

/** Runs `work` in a transaction that appends one event and then stays open until `release` is called. */
function holdOpen(target: string, i: number) {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let appended!: () => void;
  const ready = new Promise<void>((resolve) => (appended = resolve));
  const done = getDb().then((db) =>
    db.transaction(async (tx) => {
      await recordAuditEvent(tx, event(target, i));
      appended();
      await released;
    }),
  );
  return { ready: Promise.race([ready, done]), release, done };
}

describe.skipIf(!onPostgres)("appends of one category in concurrent transactions", () => {
  it("a second transaction appends while the first is still open, on another lane, and both chains verify", async () => {
    const db = await getDb();
    const target = crypto.randomUUID();
    // The category's first event creates its lanes' heads; a transaction creating them makes others wait for it, once.
    await recordAuditEvent(db, event(target, 0));
    const first = holdOpen(target, 1);
    await first.ready;
    try {
      // Before lanes, this waited for the first transaction's lock on the category's head until it committed.
      await db.transaction(async (tx) => {
        await tx.execute(sql`set local lock_timeout = '2s'`);
        await recordAuditEvent(tx, event(target, 2));
      });
    } finally {
      first.release();
      await first.done;
    }
    const rows = await db.select({ lane: auditEvents.lane, metadata: auditEvents.metadata }).from(auditEvents).where(eq(auditEvents.targetId, target)).orderBy(auditEvents.id);
    expect(rows.map((r) => r.metadata)).toEqual([{ i: 0 }, { i: 1 }, { i: 2 }]);
    expect(rows.map((r) => r.lane)).toEqual([0, 0, 1]);
    expect((await verifyAuditChain(db)).ok).toBe(true);
  });

  it("a quiet system keeps to the lowest free lane", async () => {
    const db = await getDb();
    const target = crypto.randomUUID();
    for (let i = 0; i < 3; i++) await db.transaction((tx) => recordAuditEvent(tx, event(target, i)));
    const rows = await db.select({ lane: auditEvents.lane }).from(auditEvents).where(eq(auditEvents.targetId, target));
    expect(rows.map((r) => r.lane)).toEqual([0, 0, 0]);
  });
});
