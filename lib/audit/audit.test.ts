import { eq, isNull, sql } from "drizzle-orm";
import { describe, expect, it, vi } from "vitest";
import { executeRows, getDb } from "@/lib/database";
import { auditCheckpoints, auditEventPersonal, auditEvents, legalHolds } from "@/db/schema";
import { changeUserRole } from "@/lib/auth/actions";
import { deleteProject } from "@/lib/projects/actions";
import { systemContext } from "@/lib/safety";
import { contextFor, createTestUser } from "@/test/factories";
import { asOwnerWithoutTriggers, ownerDb } from "@/test/owner-db";
import { applyAuditRetentionAction, verifyAuditChainAction } from "./actions";
import { eraseAuditPersonalData } from "./erasure";
import { auditFilterSchema, searchAuditEvents, userTimeline } from "./query";
import { recordAuditEvent, redact } from "./record";
import { categoryOf } from "./retention";
import { verifyAuditChain } from "./verify";

async function eventsFor(targetId: string) {
  const db = await getDb();
  return db.select().from(auditEvents).where(eq(auditEvents.targetId, targetId)).orderBy(auditEvents.id);
}

// As the schema's owner: the append-only trigger holds even for the role that owns the table.
async function rejects(statement: ReturnType<typeof sql>): Promise<string> {
  const db = await ownerDb();
  try {
    await db.execute(statement);
  } catch (error) {
    const chain: string[] = [];
    for (let e: unknown = error; e; e = (e as { cause?: unknown }).cause) chain.push(String((e as Error).message ?? e));
    return chain.join(" / ");
  }
  throw new Error("statement succeeded but should have been refused");
}

describe("append-only audit_events", () => {
  it("refuses plain UPDATE, DELETE and TRUNCATE", async () => {
    const target = crypto.randomUUID();
    const db = await getDb();
    await recordAuditEvent(db, { actor: { type: "system", id: null }, action: "project.create", target: { type: "project", id: target }, outcome: "success" });
    const [event] = await eventsFor(target);
    expect(await rejects(sql`update audit_events set outcome = 'denied' where id = ${event!.id}`)).toMatch(/append-only/);
    expect(await rejects(sql`delete from audit_events where id = ${event!.id}`)).toMatch(/append-only/);
    expect(await rejects(sql`truncate audit_events cascade`)).toMatch(/append-only/);
    expect(await rejects(sql`delete from audit_events`)).toMatch(/append-only/);
    expect(await eventsFor(target)).toHaveLength(1);
  });

  it("removes expired events only through the retention procedure, leaving a signed checkpoint the chain verifies from", async () => {
    const db = await getDb();
    const target = crypto.randomUUID();
    for (let i = 0; i < 3; i++) {
      await recordAuditEvent(db, { actor: { type: "support", id: crypto.randomUUID() }, action: "impersonation.page_view", target: { type: "user", id: target }, outcome: "success", metadata: { path: `/p${i}` } });
    }
    // A hold stops a category's removal at the held person's first event (lib/audit/retain.ts). Suites sharing this
    // database leave holds on their own users; lift them so "everything so far has expired" is true here.
    await db.update(legalHolds).set({ liftedAt: new Date() }).where(isNull(legalHolds.liftedAt));
    // Run "ten days from now" with page views kept one day: everything in that category so far has expired.
    const result = await applyAuditRetentionAction.run({ now: new Date(Date.now() + 10 * 86_400_000), keepDays: { page_view: 1 } }, systemContext("cron:audit_retention"));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.data.outcomes.find((o) => o.category === "page_view")!.removed).toBeGreaterThanOrEqual(3);
    expect(result.data.outcomes.filter((o) => o.category !== "page_view").every((o) => o.removed === 0)).toBe(true);
    expect(await eventsFor(target)).toHaveLength(0);
    const checkpoints = await db.select().from(auditCheckpoints).where(eq(auditCheckpoints.category, "page_view"));
    expect(checkpoints.length).toBeGreaterThan(0);
    // A new event in the trimmed category links to the checkpoint, and the whole log still verifies.
    await recordAuditEvent(db, { actor: { type: "support", id: null }, action: "impersonation.page_view", target: { type: "user", id: target }, outcome: "success", metadata: { path: "/after" } });
    const verification = await verifyAuditChain(db);
    expect(verification.detail).toMatch(/intact/);
    expect(verification.ok).toBe(true);
    // The job is itself audited.
    const [retentionEvent] = await db.select().from(auditEvents).where(eq(auditEvents.action, "audit.retention")).orderBy(sql`${auditEvents.id} desc`).limit(1);
    expect(retentionEvent).toMatchObject({ actorType: "system", actorId: "cron:audit_retention", outcome: "success" });
  });

  it("refuses retention to anyone but a system principal: a user, an admin, an anonymous caller", async () => {
    for (const caller of [await createTestUser(), await createTestUser({ role: "admin" })]) {
      expect(await applyAuditRetentionAction.run({}, contextFor(caller))).toMatchObject({ ok: false, code: "forbidden" });
    }
    expect(await applyAuditRetentionAction.run({}, contextFor(null))).toMatchObject({ ok: false, code: "forbidden" });
  });
});

describe("hash chain", () => {
  it("stays valid with 8 concurrent writers", async () => {
    const db = await getDb();
    const target = crypto.randomUUID();
    const writers = Array.from({ length: 8 }, (_, w) =>
      (async () => {
        for (let i = 0; i < 15; i++) {
          // Half inside a business transaction (as the guarded path does), half on the root handle.
          const event = { actor: { type: "user" as const, id: `writer-${w}` }, action: (i % 3 === 0 ? "auth.sign_in" : "project.rename") as "auth.sign_in" | "project.rename", target: { type: "project", id: target }, outcome: "success" as const, metadata: { w, i } };
          if (i % 2 === 0) await db.transaction((tx) => recordAuditEvent(tx, event));
          else await recordAuditEvent(db, event);
        }
      })(),
    );
    await Promise.all(writers);
    const rows = await eventsFor(target);
    expect(rows).toHaveLength(120);
    expect(rows.every((r) => r.hash && /^[0-9a-f]{64}$/.test(r.hash))).toBe(true);
    // Within a category's lane every event links to the one before it.
    for (const category of new Set(rows.map((r) => r.category))) {
      const [broken] = await executeRows<{ id: number }>(
        db,
        sql`select id from (select id, prev_hash, lag(hash) over (partition by lane order by id) as previous from audit_events where category = ${category}) c where c.previous is not null and c.prev_hash is distinct from c.previous limit 1`,
      );
      expect(broken).toBeUndefined();
    }
    const verification = await verifyAuditChain(db);
    expect(verification.ok).toBe(true);
    expect(verification.checked).toBeGreaterThanOrEqual(120);
  });

  it("recovers when the head it last saw was rolled back, or moved on by another instance", async () => {
    const db = await getDb();
    const target = crypto.randomUUID();
    const event = (i: number) => ({ actor: { type: "user" as const, id: target }, action: "project.rename" as const, target: { type: "project", id: target }, outcome: "success" as const, metadata: { i } });
    await recordAuditEvent(db, event(0));
    // This process now expects the head left by a change that never committed.
    const rolledBack = db.transaction(async (tx) => {
      await recordAuditEvent(tx, event(1));
      throw new Error("rolled back");
    });
    await expect(rolledBack).rejects.toThrow("rolled back");
    await recordAuditEvent(db, event(2));
    // A second instance (its own module state, so its own idea of the head) appends between two of ours.
    vi.resetModules();
    const other = await import("./record");
    await other.recordAuditEvent(db, event(3));
    await recordAuditEvent(db, event(4));
    await db.transaction((tx) => recordAuditEvent(tx, event(5)));
    expect((await eventsFor(target)).map((r) => (r.metadata as { i: number }).i)).toEqual([0, 2, 3, 4, 5]);
    expect((await verifyAuditChain(db)).ok).toBe(true);
  });

  it("names the tampered row when one is changed behind the trigger's back, and the staff action records the result", async () => {
    const db = await getDb();
    const target = crypto.randomUUID();
    for (let i = 0; i < 3; i++) {
      await recordAuditEvent(db, { actor: { type: "user", id: target }, action: "project.rename", target: { type: "project", id: target }, outcome: "success", metadata: { i } });
    }
    const [, middle] = await eventsFor(target);
    const original = middle!.metadata;
    // As the table's owner would: user triggers off for this transaction only.
    const tamper = (metadata: Record<string, unknown>) =>
      asOwnerWithoutTriggers(async (tx) => {
        await tx.execute(sql`update audit_events set metadata = ${JSON.stringify(metadata)}::jsonb where id = ${middle!.id}`);
      });
    await tamper({ i: 99 });
    try {
      const verification = await verifyAuditChain(db);
      expect(verification.ok).toBe(false);
      expect(verification.firstBroken).toEqual({ id: middle!.id, category: "account", problem: "hash_mismatch" });
      expect(verification.detail).toContain(`event ${middle!.id}`);
      const staff = await createTestUser({ role: "support" });
      const viaAction = await verifyAuditChainAction.run({}, contextFor(staff));
      expect(viaAction).toMatchObject({ ok: true, data: { ok: false, firstBroken: { id: middle!.id } } });
    } finally {
      await tamper(original);
    }
    expect((await verifyAuditChain(db)).ok).toBe(true);
  });

  it("detects a deleted row as a broken link on the next one", async () => {
    const db = await getDb();
    const target = crypto.randomUUID();
    for (let i = 0; i < 3; i++) {
      await recordAuditEvent(db, { actor: { type: "user", id: target }, action: "billing.plan_change", target: { type: "subscription", id: target }, outcome: "success", metadata: { i } });
    }
    const [, middle, last] = await eventsFor(target);
    const snapshot = (await executeRows<Record<string, unknown>>(db, sql`select * from audit_events where id = ${middle!.id}`))[0]!;
    await asOwnerWithoutTriggers(async (tx) => {
      await tx.execute(sql`delete from audit_events where id = ${middle!.id}`);
    });
    try {
      const verification = await verifyAuditChain(db);
      expect(verification.firstBroken).toEqual({ id: last!.id, category: "billing", problem: "broken_link" });
    } finally {
      await asOwnerWithoutTriggers(async (tx) => {
        await tx.execute(
          sql`insert into audit_events select * from json_populate_record(null::audit_events, ${JSON.stringify(snapshot)}::json)`,
        );
      });
    }
    expect((await verifyAuditChain(db)).ok).toBe(true);
  });
});

describe("personal data and secrets", () => {
  it("redacts secrets by construction, at any depth", async () => {
    const db = await getDb();
    const target = crypto.randomUUID();
    await recordAuditEvent(db, {
      actor: { type: "user", id: target },
      action: "auth.sign_up",
      target: { type: "user", id: target },
      outcome: "success",
      metadata: { password: "hunter22", nested: { apiKey: "k", sessionToken: "t", list: [{ secret: "s" }] }, authorization: "Bearer x", plan: "pro" },
    });
    const [event] = await eventsFor(target);
    const stored = JSON.stringify(event!.metadata);
    for (const leaked of ["hunter22", "Bearer x", '"k"', '"t"', '"s"']) expect(stored).not.toContain(leaked);
    expect(event!.metadata).toMatchObject({ password: "[redacted]", plan: "pro", nested: { apiKey: "[redacted]", sessionToken: "[redacted]" } });
    expect(redact({ Password: "x" })).toEqual({ Password: "[redacted]" });
  });

  it("keeps personal data outside the chain, and erasing it leaves the chain verifying", async () => {
    const db = await getDb();
    const user = await createTestUser();
    await recordAuditEvent(db, {
      actor: { type: "user", id: user.id },
      action: "auth.sign_in",
      target: { type: "user", id: user.id },
      outcome: "success",
      metadata: { method: "password", email: user.email, before: { name: "Old Name" } },
      request: { requestId: "r1", ip: "203.0.113.9", userAgent: "Mozilla/5.0 (X11; Linux x86_64) Chrome/120" },
    });
    const [event] = await eventsFor(user.id);
    expect(JSON.stringify(event!.metadata)).not.toContain(user.email);
    expect(JSON.stringify(event!.metadata)).not.toContain("Old Name");
    const [personal] = await db.select().from(auditEventPersonal).where(eq(auditEventPersonal.eventId, event!.id));
    expect(personal).toMatchObject({ subjectUserId: user.id, ip: "203.0.113.9", data: { email: user.email, before: { name: "Old Name" } } });
    const [timelineRow] = await userTimeline(db, user.id);
    expect(timelineRow).toMatchObject({ ip: "203.0.113.9" });

    expect(await eraseAuditPersonalData(db, user.id)).toBeGreaterThanOrEqual(1);
    expect(await db.select().from(auditEventPersonal).where(eq(auditEventPersonal.subjectUserId, user.id))).toHaveLength(0);
    expect(await eventsFor(user.id)).toHaveLength(1);
    expect((await userTimeline(db, user.id))[0]).toMatchObject({ ip: null, personal: null });
    expect((await verifyAuditChain(db)).ok).toBe(true);
  });
});

describe("written with the change, denials included", () => {
  it("a rolled-back change leaves no event", async () => {
    const db = await getDb();
    const target = crypto.randomUUID();
    await expect(
      db.transaction(async (tx) => {
        await recordAuditEvent(tx, { actor: { type: "system", id: null }, action: "project.delete", target: { type: "project", id: target }, outcome: "success" });
        throw new Error("change failed");
      }),
    ).rejects.toThrow("change failed");
    expect(await eventsFor(target)).toHaveLength(0);
  });

  it("records forbidden and read-only attempts as denied; during a support session the staff member is the actor and the customer the subject", async () => {
    const user = await createTestUser();
    const victim = await createTestUser();
    const forbidden = await changeUserRole.run({ userId: victim.id, role: "admin" }, contextFor(user));
    expect(forbidden).toMatchObject({ ok: false, code: "forbidden" });
    const staffId = crypto.randomUUID();
    const readOnly = await deleteProject.run({ projectId: crypto.randomUUID() }, contextFor(user, { impersonation: { impersonatorId: staffId, impersonatorRole: "support" } }));
    expect(readOnly).toMatchObject({ ok: false, code: "read_only" });
    const db = await getDb();
    const byUser = await db.select().from(auditEvents).where(eq(auditEvents.actorId, user.id));
    expect(byUser.filter((e) => e.outcome === "denied" && e.action === "user.role_change")).toHaveLength(1);
    // The customer did not try to delete anything: the attempt is not theirs.
    expect(byUser.some((e) => e.action === "project.delete")).toBe(false);
    const byStaff = await db.select().from(auditEvents).where(eq(auditEvents.actorId, staffId));
    expect(byStaff).toEqual([
      expect.objectContaining({ action: "project.delete", outcome: "denied", actorType: "support", impersonatorId: staffId, metadata: expect.objectContaining({ code: "read_only", subject: user.id }) }),
    ]);
  });
});

describe("searching the log", () => {
  it("rejects malformed dates and unknown actions with a clear message, and treats injection strings as plain values", async () => {
    const bad = auditFilterSchema.safeParse({ from: "yesterday-ish", action: "x'; drop table audit_events; --" });
    expect(bad.success).toBe(false);
    if (!bad.success) {
      const messages = bad.error.issues.map((i) => i.message).join(" ");
      expect(messages).toMatch(/Enter a date/);
      expect(messages).toMatch(/Choose an action/);
    }
    expect(auditFilterSchema.safeParse({ from: "2026-02-01", to: "2026-01-01" }).success).toBe(false);
    const db = await getDb();
    const filter = auditFilterSchema.parse({ actor: "' or 1=1 --", target: "x\"); delete from audit_events; --" });
    const { rows } = await searchAuditEvents(db, filter);
    expect(rows).toHaveLength(0);
    expect((await verifyAuditChain(db)).ok).toBe(true);
  });

  it("pages by keyset, newest first", async () => {
    const db = await getDb();
    const target = crypto.randomUUID();
    for (let i = 0; i < 5; i++) await recordAuditEvent(db, { actor: { type: "system", id: null }, action: "project.create", target: { type: "project", id: target }, outcome: "success", metadata: { i } });
    const first = await searchAuditEvents(db, auditFilterSchema.parse({ target }), 2);
    expect(first.rows.map((r) => r.metadata.i)).toEqual([4, 3]);
    const second = await searchAuditEvents(db, auditFilterSchema.parse({ target, before: String(first.nextBefore) }), 2);
    expect(second.rows.map((r) => r.metadata.i)).toEqual([2, 1]);
  });

  it("puts every action in a retention category", () => {
    expect(categoryOf("impersonation.page_view")).toBe("page_view");
    expect(categoryOf("auth.sign_in")).toBe("security");
    expect(categoryOf("billing.plan_change")).toBe("billing");
    expect(categoryOf("something.new")).toBe("general");
  });
});
