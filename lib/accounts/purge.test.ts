import { eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb, type Db } from "@/lib/database";
import { deletionReceipts, deletionRequests, emailOutbox, erasureLedger, invoices, notifications, problemReports, projects, retainedInvoices, subscriptions, tasks, users } from "@/db/schema";
import { recordAuditEvent } from "@/lib/audit";
import { signUp } from "@/lib/auth/actions";
import { hashPassword } from "@/lib/auth";
import type { SessionUser } from "@/lib/auth";
import { contextFor, createTestUser } from "@/test/factories";
import { findDueDeletions, liftLegalHold, placeLegalHold, purgeAccountNow, purgeDueAccount, replayErasures, requestAccountDeletion } from "./actions";
import { issueConfirmation } from "./confirmations";
import { systemContext } from "@/lib/safety";
import { tombstoneId } from "./tombstone";

const PASSWORD = "correct horse battery";
let db: Db;
let passwordHash: string;
let admin: SessionUser;
beforeAll(async () => {
  db = await getDb();
  passwordHash = await hashPassword(PASSWORD);
  admin = await createTestUser({ role: "admin" });
});

type Pii = { id: string; email: string; name: string; ip: string; userAgent: string };

/**
 * An address no other user in this file has: a test scans every table for the purged user's address while
 * another user (held, not purged) still has theirs, so two users sharing one would read as a leak. The last
 * octet has three digits so that no address is a substring of another ("10.1.2.3" is inside "10.1.2.34").
 */
const issuedAddresses = new Set<string>();
function uniqueAddress(): string {
  for (;;) {
    const [a, b, c] = crypto.getRandomValues(new Uint8Array(3));
    const address = `10.${a}.${b}.${100 + (c! % 156)}`;
    if (!issuedAddresses.has(address)) return issuedAddresses.add(address), address;
  }
}

/** A user with personal data spread over every table that can hold it. */
async function richUser(): Promise<{ user: SessionUser; pii: Pii }> {
  const user = await createTestUser({ passwordHash, plan: "pro" });
  const tag = crypto.randomUUID().slice(0, 8);
  const pii = { id: user.id, email: user.email, name: user.name, ip: uniqueAddress(), userAgent: `PiiBrowser/${tag}` };
  const [project] = await db.insert(projects).values({ ownerId: user.id, name: `Project of ${user.name}` }).returning();
  await db.insert(tasks).values({ projectId: project!.id, ownerId: user.id, title: `call ${user.email}` });
  const [sub] = await db.select().from(subscriptions).where(eq(subscriptions.userId, user.id));
  await db.insert(invoices).values({ userId: user.id, subscriptionId: sub!.id, plan: "pro", amountCents: 2000, status: "paid", description: "Pro plan, 30 days" });
  await db.insert(notifications).values({ userId: user.id, toEmail: user.email, template: "t", subject: "Hi", body: `Hello ${user.name}` });
  await db.insert(emailOutbox).values({ toEmail: user.email, subject: "Hi", body: `Hello ${user.name}` });
  await db.insert(problemReports).values({ reference: `BW-${tag}`, description: `I am ${user.name}`, userId: user.id, contactEmail: user.email });
  await recordAuditEvent(db, {
    actor: { type: "user", id: user.id },
    action: "auth.sign_in",
    target: { type: "user", id: user.id },
    outcome: "success",
    metadata: { method: "password", ip: pii.ip, userAgent: pii.userAgent, email: user.email },
  });
  return { user, pii };
}

/** postgres.js returns the rows; PGlite returns { rows }. */
function rowsOf<T>(result: unknown): T[] {
  return Array.isArray(result) ? (result as T[]) : (result as { rows: T[] }).rows;
}

/** Every text-like column of every table, searched for each piece of personal data. */
async function scanFor(needles: string[]): Promise<string[]> {
  const list = rowsOf<{ table_name: string; column_name: string }>(await db.execute(sql`
    select table_name, column_name from information_schema.columns
    where table_schema = 'public' and data_type in ('text', 'character varying', 'jsonb', 'json', 'uuid')
      and table_name in (select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE')
  `));
  const hits: string[] = [];
  for (const { table_name, column_name } of list) {
    for (const needle of needles) {
      const result = await db.execute(sql`select count(*)::int as n from ${sql.identifier(table_name)} where ${sql.identifier(column_name)}::text ilike ${"%" + needle + "%"}`);
      const n = rowsOf<{ n: number }>(result)[0]!.n;
      if (n > 0) hits.push(`${table_name}.${column_name} has ${needle} (${n})`);
    }
  }
  return hits;
}

/** The audit chain is append-only: it keeps the random user id (which no longer resolves to anyone), nothing personal. */
const allowedIdHit = (hit: string) => /^audit_events\.(actor_id|target_id) /.test(hit);

describe("purge", () => {
  it("admin purge now: needs a token, then leaves no personal data anywhere; retained records carry the tombstone", async () => {
    const { user, pii } = await richUser();
    expect(await purgeAccountNow.run({ userId: user.id, confirmation: "nope", confirmText: user.email }, contextFor(admin))).toMatchObject({ ok: false, code: "forbidden" });
    const wrong = await issueConfirmation(db, { actorId: admin.id, action: "account.purge", targetId: admin.id });
    expect(await purgeAccountNow.run({ userId: user.id, confirmation: wrong.token, confirmText: user.email }, contextFor(admin))).toMatchObject({ ok: false, code: "forbidden" });
    expect((await db.select().from(users).where(eq(users.id, user.id))).length).toBe(1);

    const token = await issueConfirmation(db, { actorId: admin.id, action: "account.purge", targetId: user.id });
    const result = await purgeAccountNow.run({ userId: user.id, confirmation: token.token, confirmText: user.email }, contextFor(admin));
    expect(result).toMatchObject({ ok: true, data: { tombstoneId: tombstoneId(user.id) } });

    const hits = await scanFor([pii.email, pii.name, pii.ip, pii.userAgent, pii.id]);
    expect(hits.filter((h) => !allowedIdHit(h))).toEqual([]);
    const kept = await db.select().from(retainedInvoices).where(eq(retainedInvoices.tombstoneId, tombstoneId(user.id)));
    expect(kept).toHaveLength(1);
    expect(kept[0]!.retainUntil.getTime()).toBeGreaterThan(Date.now() + 6 * 365 * 86_400_000);
    expect(await db.select().from(erasureLedger).where(eq(erasureLedger.tombstoneId, tombstoneId(user.id)))).toHaveLength(1);

    // The email is free for a fresh sign-up.
    const again = await signUp.run({ name: "Fresh", email: pii.email, password: PASSWORD }, contextFor(null));
    expect(again.ok).toBe(true);
    // Sign-up answers the same either way: check that a new account really exists.
    expect((await db.select().from(users).where(eq(users.email, pii.email))).map((u) => u.name)).toEqual(["Fresh"]);
  });

  it("the job purges only due, unheld deletions and completes the receipt promised at request time", async () => {
    const { user, pii } = await richUser();
    const held = await richUser();
    for (const u of [user, held.user]) {
      const t = await issueConfirmation(db, { actorId: u.id, action: "account.delete", targetId: u.id });
      const r = await requestAccountDeletion.run({ email: u.email, password: PASSWORD, confirmation: t.token }, contextFor(u));
      expect(r.ok).toBe(true);
    }
    expect(await placeLegalHold.run({ userId: held.user.id, reason: "Litigation 2026-17" }, contextFor(admin))).toMatchObject({ ok: true });
    const now = new Date(Date.now() + 15 * 86_400_000);
    const due = await findDueDeletions(db, now, 1000);
    expect(due).toContain(user.id);
    expect(due).not.toContain(held.user.id);
    expect(await findDueDeletions(db, new Date(), 1000)).not.toContain(user.id);

    const [request] = await db.select().from(deletionRequests).where(eq(deletionRequests.userId, user.id));
    expect(await purgeDueAccount.run({ userId: user.id, now }, systemContext("cron:deletion_purge"))).toMatchObject({ ok: true });
    const [receipt] = await db.select().from(deletionReceipts).where(eq(deletionReceipts.id, request!.receiptId));
    expect(receipt).toMatchObject({ tombstoneId: tombstoneId(user.id) });
    expect(receipt!.completedAt).not.toBeNull();
    expect(receipt!.deleted).toMatchObject({ profile: 1, projects: 1, tasks: 1 });
    expect((await scanFor([pii.email, pii.ip])).filter((h) => !allowedIdHit(h))).toEqual([]);
    // Idempotent: a second delivery finds nothing to do.
    expect(await purgeDueAccount.run({ userId: user.id, now }, systemContext("cron:deletion_purge"))).toMatchObject({ ok: false });

    // The hold blocks the purge, even the admin override, until lifted.
    expect(await purgeDueAccount.run({ userId: held.user.id, now }, systemContext("cron:deletion_purge"))).toMatchObject({ ok: false, code: "conflict" });
    const t = await issueConfirmation(db, { actorId: admin.id, action: "account.purge", targetId: held.user.id });
    expect(await purgeAccountNow.run({ userId: held.user.id, confirmation: t.token, confirmText: held.user.email }, contextFor(admin))).toMatchObject({ ok: false, code: "conflict" });
    expect((await db.select().from(users).where(eq(users.id, held.user.id))).length).toBe(1);
    expect(await liftLegalHold.run({ userId: held.user.id }, contextFor(admin))).toMatchObject({ ok: true });
    expect(await findDueDeletions(db, now, 1000)).toContain(held.user.id);
    expect(await purgeDueAccount.run({ userId: held.user.id, now }, systemContext("cron:deletion_purge"))).toMatchObject({ ok: true });
  });

  it("replaying the erasure ledger after a restore erases the user again", async () => {
    const { user, pii } = await richUser();
    // "Backup": the user's rows as they were.
    const [userBackup] = await db.select().from(users).where(eq(users.id, user.id));
    const [subBackup] = await db.select().from(subscriptions).where(eq(subscriptions.userId, user.id));
    const projectsBackup = await db.select().from(projects).where(eq(projects.ownerId, user.id));
    const t = await issueConfirmation(db, { actorId: admin.id, action: "account.purge", targetId: user.id });
    expect((await purgeAccountNow.run({ userId: user.id, confirmation: t.token, confirmText: user.email }, contextFor(admin))).ok).toBe(true);
    // The ledger is kept outside the backup (erasures export); the restore brings back the rows and an older ledger.
    const outside = [tombstoneId(user.id)];
    await db.delete(erasureLedger).where(eq(erasureLedger.tombstoneId, tombstoneId(user.id)));
    await db.insert(users).values(userBackup!);
    await db.insert(subscriptions).values(subBackup!);
    await db.insert(projects).values(projectsBackup);
    expect((await scanFor([pii.email])).length).toBeGreaterThan(0);

    const replay = await replayErasures.run({ tombstones: outside }, systemContext("cli:ops"));
    expect(replay).toMatchObject({ ok: true, data: { reErased: [tombstoneId(user.id)] } });
    expect((await scanFor([pii.email, pii.name, pii.id])).filter((h) => !allowedIdHit(h))).toEqual([]);
    expect(await db.select().from(erasureLedger).where(eq(erasureLedger.tombstoneId, tombstoneId(user.id)))).toHaveLength(1);
    expect(await replayErasures.run({ tombstones: ["not-a-tombstone"] }, systemContext("cli:ops"))).toMatchObject({ ok: false, code: "invalid_input" });
  });
});
