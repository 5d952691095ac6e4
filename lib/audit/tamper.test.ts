import { and, eq, inArray, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { alerts, auditCheckpoints, auditEventPersonal, auditEvents } from "@/db/schema";
import { executeRows, getDb, withConnection } from "@/lib/database";
import { env } from "@/lib/env";
import { asOwnerWithoutTriggers, ownerDb } from "@/test/owner-db";
import { anchorAuditChain } from "./anchor";
import { recordAuditEvent } from "./record";
import { verifyAuditChain } from "./verify";

/**
 * The audit log against the database's own roles. With least-privilege
 * roles (scripts/test.sh: DATABASE_URL is the app's role, DATABASE_OWNER_URL
 * the schema's owner, AUDIT_RETENTION_DATABASE_URL the retention job's role)
 * every tamper is refused to the app's role; whatever the owner can still
 * do is detected. On PGlite (one role) the detection half runs.
 */
const leastPrivilege = Boolean(env.DATABASE_URL && env.DATABASE_OWNER_URL);

/** Why a statement failed: every message down the error's cause chain. */
async function refusal(run: () => Promise<unknown>): Promise<string> {
  try {
    await run();
  } catch (error) {
    const messages: string[] = [];
    for (let e: unknown = error; e; e = (e as { cause?: unknown }).cause) messages.push(String((e as Error).message ?? e));
    return messages.join(" / ");
  }
  throw new Error("the statement succeeded but should have been refused");
}

async function billingEvents(count: number): Promise<number[]> {
  const db = await getDb();
  const target = crypto.randomUUID();
  for (let i = 0; i < count; i++) {
    await recordAuditEvent(db, {
      actor: { type: "user", id: target },
      action: "billing.plan_change",
      target: { type: "subscription", id: target },
      outcome: "success",
      metadata: { before: { plan: "free" }, after: { plan: "pro" }, i },
      request: { requestId: `tamper-${i}`, ip: "203.0.113.7", userAgent: "Mozilla/5.0 tamper" },
    });
  }
  const rows = await db.select({ id: auditEvents.id }).from(auditEvents).where(eq(auditEvents.targetId, target)).orderBy(auditEvents.id);
  return rows.map((r) => r.id);
}

type Saved = { events: unknown[]; personal: unknown[] };

/** Exact copies of rows (as jsonb), to put back after a tamper so later tests see an intact log. */
async function save(where: ReturnType<typeof sql>): Promise<Saved> {
  const db = await ownerDb();
  const events = await executeRows<{ row: unknown }>(db, sql`select to_jsonb(e) as row from audit_events e where ${where} order by e.id`);
  const personal = await executeRows<{ row: unknown }>(
    db,
    sql`select to_jsonb(p) as row from audit_event_personal p join audit_events e on e.id = p.event_id where ${where}`,
  );
  return { events: events.map((r) => r.row), personal: personal.map((r) => r.row) };
}

async function putBack(saved: Saved, ids: number[]): Promise<void> {
  await asOwnerWithoutTriggers(async (tx) => {
    await tx.execute(sql`delete from audit_events where id in ${sql`(${sql.join(ids.map((id) => sql`${id}`), sql`, `)})`}`);
    for (const row of saved.events) await tx.execute(sql`insert into audit_events select * from jsonb_populate_record(null::audit_events, ${JSON.stringify(row)}::jsonb)`);
    for (const row of saved.personal) {
      await tx.execute(sql`insert into audit_event_personal select * from jsonb_populate_record(null::audit_event_personal, ${JSON.stringify(row)}::jsonb)`);
    }
  });
}

const idList = (ids: number[]) => sql`(${sql.join(ids.map((id) => sql`${id}`), sql`, `)})`;

describe("tampering with the audit log is detected", () => {
  it("deleting the newest events: verify checks the anchor kept outside the database, and the anchor job refuses the shortened chain", async () => {
    const db = await getDb();
    const ids = await billingEvents(5);
    expect((await anchorAuditChain(db)).status).toBe("anchored");
    const newest = ids.slice(-3);
    const saved = await save(sql`e.id in ${idList(newest)}`);
    await asOwnerWithoutTriggers(async (tx) => {
      await tx.execute(sql`delete from audit_events where id in ${idList(newest)}`);
    });
    try {
      const verification = await verifyAuditChain(db);
      expect(verification.ok).toBe(false);
      expect(verification.firstBroken).toEqual({ id: newest.at(-1), category: "billing", problem: "missing_anchored" });
      expect(verification.detail).toContain("anchored outside the database and is gone");
      // Anchoring the shortened chain would launder it: the job refuses and pages someone instead.
      expect(await anchorAuditChain(db)).toMatchObject({ status: "broken", problem: { id: newest.at(-1), problem: "missing_anchored" } });
      const open = await db.select().from(alerts).where(and(eq(alerts.dedupKey, "audit_chain_broken"), eq(alerts.status, "open")));
      expect(open).toHaveLength(1);
    } finally {
      await putBack(saved, newest);
    }
    expect((await verifyAuditChain(db)).ok).toBe(true);
    expect((await anchorAuditChain(db)).status).not.toBe("broken");
    const stillOpen = await db.select().from(alerts).where(and(eq(alerts.dedupKey, "audit_chain_broken"), eq(alerts.status, "open")));
    expect(stillOpen).toHaveLength(0);
  });

  it("rewriting an event with the triggers off and recomputing the chain: the keyed hash cannot be recomputed", async () => {
    const db = await getDb();
    const ids = await billingEvents(3);
    const saved = await save(sql`e.id in ${idList(ids)}`);
    await asOwnerWithoutTriggers(async (tx) => {
      await tx.execute(sql`update audit_events set metadata = '{"after":{"plan":"free"}}'::jsonb where id = ${ids[1]}`);
      // Everything the database knows how to compute: its own digest, and the links after it.
      for (const id of ids.slice(1)) {
        await tx.execute(sql`update audit_events e set prev_hash = (select p.hash from audit_events p where p.category = e.category and p.id < e.id order by p.id desc limit 1) where e.id = ${id}`);
        await tx.execute(sql`update audit_events e set hash = audit_event_digest(e) where e.id = ${id}`);
      }
    });
    try {
      const verification = await verifyAuditChain(db);
      expect(verification.firstBroken).toEqual({ id: ids[1], category: "billing", problem: "hash_mismatch" });
    } finally {
      await putBack(saved, ids);
    }
    expect((await verifyAuditChain(db)).ok).toBe(true);
  });

  it("editing, deleting or fake-erasing a personal row: each is told apart from a real erasure", async () => {
    const db = await getDb();
    const [id] = await billingEvents(1);
    const saved = await save(sql`e.id = ${id!}`);
    const tampers = [
      // The app's own role may update personal rows (erasure needs it): a changed ip still shows.
      () => db.update(auditEventPersonal).set({ ip: "198.51.100.1" }).where(eq(auditEventPersonal.eventId, id!)),
      // An "erasure" without the key's mark.
      () => db.update(auditEventPersonal).set({ ip: null, userAgent: null, data: {}, salt: null, erasedAt: new Date(), erasureMac: "0".repeat(64) }).where(eq(auditEventPersonal.eventId, id!)),
      // The owner removing the row outright.
      async () => (await ownerDb()).delete(auditEventPersonal).where(eq(auditEventPersonal.eventId, id!)),
    ];
    for (const tamper of tampers) {
      await tamper();
      try {
        expect((await verifyAuditChain(db)).firstBroken).toEqual({ id, category: "billing", problem: "personal_mismatch" });
      } finally {
        await putBack(saved, [id!]);
      }
    }
    expect((await verifyAuditChain(db)).ok).toBe(true);
  });
});

describe.skipIf(!leastPrivilege)("the app's own database role (least privilege on Postgres)", () => {
  it("cannot take the retention path: the session setting opens nothing, the purge function is not its to call", async () => {
    const db = await getDb();
    const ids = await billingEvents(3);
    const viaSetting = await refusal(() =>
      db.transaction(async (tx) => {
        await tx.execute(sql`set local breakwater.audit_retention = 'on'`);
        await tx.execute(sql`delete from audit_events where id in ${idList(ids)}`);
      }),
    );
    expect(viaSetting).toMatch(/permission denied for table audit_events/);
    const viaFunction = await refusal(() => db.execute(sql`select * from audit_retention_purge('billing', now() + interval '1 day', ${ids.at(-1)!}::bigint, 'x')`));
    expect(viaFunction).toMatch(/permission denied for function audit_retention_purge/);
    // Not even the schema's owner gets past the trigger with the old setting.
    const owner = await ownerDb();
    const ownerViaSetting = await refusal(() =>
      owner.transaction(async (tx) => {
        await tx.execute(sql`set local breakwater.audit_retention = 'on'`);
        await tx.execute(sql`delete from audit_events where id in ${idList(ids)}`);
      }),
    );
    expect(ownerViaSetting).toMatch(/append-only/);
    expect(await db.select({ id: auditEvents.id }).from(auditEvents).where(inArray(auditEvents.id, ids))).toHaveLength(3);
  });

  it("has no DDL, TRUNCATE, trigger, replication or role powers, and cannot rewrite the audit tables", async () => {
    const db = await getDb();
    const [id] = await billingEvents(1);
    const refused: [string, RegExp][] = [
      ["truncate audit_events", /permission denied for table audit_events/],
      ["alter table audit_events disable trigger user", /must be owner of table audit_events/],
      ["set session_replication_role = replica", /permission denied to set parameter/],
      ["create table tamper_probe (id int)", /permission denied for schema public/],
      ["drop table users", /must be owner of table users/],
      ["create or replace function audit_events_append_only() returns trigger language plpgsql as $$ begin return old; end $$", /permission denied for schema public/],
      [`update audit_events set outcome = 'denied' where id = ${id}`, /permission denied for table audit_events/],
      [`delete from audit_events where id = ${id}`, /permission denied for table audit_events/],
      [`delete from audit_event_personal where event_id = ${id}`, /permission denied for table audit_event_personal/],
      ["insert into audit_checkpoints (category, last_event_id, last_hash, removed_count, cutoff, signature) values ('billing', 1, 'x', 1, now(), 'x')", /permission denied for table audit_checkpoints/],
      ["update audit_chain set chain_id = gen_random_uuid()", /permission denied for table audit_chain/],
      ["set role breakwater_audit_purger", /permission denied to set role/],
      ["set role breakwater_audit_retention", /permission denied to set role/],
    ];
    for (const [statement, expected] of refused) {
      expect(await refusal(() => db.execute(sql.raw(statement))), statement).toMatch(expected);
    }
  });

  it("the retention role can only purge by leaving a checkpoint, and a forged checkpoint shows", async () => {
    const db = await getDb();
    const ids = await billingEvents(2);
    const through = ids.at(-1)!;
    const saved = await save(sql`e.category = 'billing' and e.id <= ${through}`);
    const removedIds = (saved.events as { id: number }[]).map((e) => e.id);
    await withConnection(env.AUDIT_RETENTION_DATABASE_URL!, async (retention) => {
      await retention.execute(sql`select * from audit_retention_purge('billing', now() + interval '1 day', ${through}::bigint, ${"f".repeat(64)})`);
    });
    const [checkpoint] = await db.select().from(auditCheckpoints).where(eq(auditCheckpoints.lastEventId, through));
    try {
      expect(checkpoint).toBeDefined();
      const verification = await verifyAuditChain(db);
      expect(verification.ok).toBe(false);
      expect(verification.badCheckpoints).toContain(checkpoint!.id);
    } finally {
      await (await ownerDb()).delete(auditCheckpoints).where(eq(auditCheckpoints.id, checkpoint!.id));
      await putBack(saved, removedIds);
    }
    expect((await verifyAuditChain(db)).ok).toBe(true);
  });
});
