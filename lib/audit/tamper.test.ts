import { and, eq, inArray, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { alerts, auditCheckpoints, auditEventPersonal, auditEvents } from "@/db/schema";
import { databaseKind, executeRows, getDb, withConnection } from "@/lib/database";
import { env } from "@/lib/env";
import { asOwnerWithoutTriggers, ownerDb } from "@/test/owner-db";
import { anchorAuditChain } from "./anchor";
import { AUDIT_LANES } from "./lanes";
import { applyAuditRetention } from "./retain";
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
// Events reach a lane other than 0 only while another transaction holds lane 0: that needs a server.
const onPostgres = (await databaseKind()) === "postgres";

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
        await tx.execute(sql`update audit_events e set prev_hash = (select p.hash from audit_events p where p.category = e.category and p.lane = e.lane and p.id < e.id order by p.id desc limit 1) where e.id = ${id}`);
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

describe("tampering with the audit log's lanes is detected", () => {
  it("moving an event to another lane: it no longer links where it lands", async () => {
    const db = await getDb();
    const ids = await billingEvents(3);
    const moved = ids.at(-1)!;
    const saved = await save(sql`e.id = ${moved}`);
    await asOwnerWithoutTriggers(async (tx) => {
      await tx.execute(sql`update audit_events set lane = ${AUDIT_LANES - 1} where id = ${moved}`);
    });
    try {
      expect((await verifyAuditChain(db)).firstBroken).toEqual({ id: moved, category: "billing", problem: "broken_link" });
    } finally {
      await putBack(saved, [moved]);
    }
    expect((await verifyAuditChain(db)).ok).toBe(true);
  });

  it("moving a lane's whole chain to an empty lane, every link intact: the lane is sealed into each keyed hash", async () => {
    const db = await getDb();
    const target = crypto.randomUUID();
    // A category no other test here writes, so lane 0 holds only these events, linked from the start.
    for (let i = 0; i < 3; i++) {
      await recordAuditEvent(db, { actor: { type: "user", id: target }, action: "project.rename", target: { type: "project", id: target }, outcome: "success", metadata: { i } });
    }
    const chain = await db.select({ id: auditEvents.id, lane: auditEvents.lane }).from(auditEvents).where(eq(auditEvents.category, "account")).orderBy(auditEvents.id);
    expect(chain.map((e) => e.lane)).toEqual([0, 0, 0]);
    const ids = chain.map((e) => e.id);
    const saved = await save(sql`e.id in ${idList(ids)}`);
    await asOwnerWithoutTriggers(async (tx) => {
      await tx.execute(sql`update audit_events set lane = ${AUDIT_LANES - 1} where id in ${idList(ids)}`);
    });
    try {
      expect((await verifyAuditChain(db)).firstBroken).toEqual({ id: ids[0], category: "account", problem: "hash_mismatch" });
    } finally {
      await putBack(saved, ids);
    }
    expect((await verifyAuditChain(db)).ok).toBe(true);
  });
});

/** Appends `count` billing events in transactions while another transaction holds lane 0, so they land on another lane. */
async function eventsOnAnotherLane(count: number): Promise<{ ids: number[]; lane: number }> {
  const db = await getDb();
  const target = crypto.randomUUID();
  const event = (i: number) => ({ actor: { type: "user" as const, id: target }, action: "billing.plan_change" as const, target: { type: "subscription", id: target }, outcome: "success" as const, metadata: { i } });
  // A committed event first, so the category's lanes exist.
  await recordAuditEvent(db, event(-1));
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let holding!: () => void;
  const held = new Promise<void>((resolve) => (holding = resolve));
  const holder = db.transaction(async (tx) => {
    await tx.execute(sql`select 1 from audit_chain_heads where category = 'billing' and lane = 0 for update`);
    holding();
    await released;
  });
  await held;
  try {
    for (let i = 0; i < count; i++) await db.transaction((tx) => recordAuditEvent(tx, event(i)));
  } finally {
    release();
    await holder;
  }
  const rows = await db.select({ id: auditEvents.id, lane: auditEvents.lane }).from(auditEvents).where(and(eq(auditEvents.targetId, target), sql`${auditEvents.metadata}->>'i' <> '-1'`)).orderBy(auditEvents.id);
  expect(rows).toHaveLength(count);
  expect(new Set(rows.map((r) => r.lane)).size).toBe(1);
  expect(rows[0]!.lane).not.toBe(0);
  return { ids: rows.map((r) => r.id), lane: rows[0]!.lane };
}

describe.skipIf(!onPostgres)("tampering with a lane other than lane 0 is detected", () => {
  it("removing an event from the middle of a lane breaks the link of the next one in that lane; removing the lane's newest shows against the anchor", async () => {
    const db = await getDb();
    const { ids } = await eventsOnAnotherLane(3);
    expect((await verifyAuditChain(db)).ok).toBe(true);
    const [, middle, newest] = ids;
    const savedMiddle = await save(sql`e.id = ${middle!}`);
    await asOwnerWithoutTriggers(async (tx) => {
      await tx.execute(sql`delete from audit_events where id = ${middle!}`);
    });
    try {
      expect((await verifyAuditChain(db)).firstBroken).toEqual({ id: newest, category: "billing", problem: "broken_link" });
    } finally {
      await putBack(savedMiddle, [middle!]);
    }
    expect((await verifyAuditChain(db)).ok).toBe(true);

    // The anchor records every lane's head: the lane's newest event cannot go quietly either.
    expect((await anchorAuditChain(db)).status).toBe("anchored");
    const savedNewest = await save(sql`e.id = ${newest!}`);
    await asOwnerWithoutTriggers(async (tx) => {
      await tx.execute(sql`delete from audit_events where id = ${newest!}`);
    });
    try {
      expect((await verifyAuditChain(db)).firstBroken).toEqual({ id: newest, category: "billing", problem: "missing_anchored" });
      expect(await anchorAuditChain(db)).toMatchObject({ status: "broken", problem: { id: newest, problem: "missing_anchored" } });
    } finally {
      await putBack(savedNewest, [newest!]);
    }
    expect((await verifyAuditChain(db)).ok).toBe(true);
    expect((await anchorAuditChain(db)).status).not.toBe("broken");
  });

  it("retention removes a prefix of each lane on its own, with a signed checkpoint per lane, and every lane verifies after", async () => {
    const db = await getDb();
    const { lane } = await eventsOnAnotherLane(2);
    // Two days on, billing kept one day: every billing event so far has expired, in every lane, and nothing else has.
    const outcomes = await applyAuditRetention(db, new Date(Date.now() + 2 * 86_400_000), { billing: 1 });
    expect(outcomes.find((o) => o.category === "billing")!.removed).toBeGreaterThan(0);
    const checkpoints = await db.select().from(auditCheckpoints).where(eq(auditCheckpoints.category, "billing"));
    expect(checkpoints.some((c) => c.lane === 0)).toBe(true);
    expect(checkpoints.some((c) => c.lane === lane)).toBe(true);
    expect(await db.select({ id: auditEvents.id }).from(auditEvents).where(eq(auditEvents.category, "billing"))).toHaveLength(0);
    // Both lanes go on from their checkpoints.
    await eventsOnAnotherLane(1);
    const verification = await verifyAuditChain(db);
    expect(verification.detail).toMatch(/intact/);
    expect(verification.ok).toBe(true);
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
