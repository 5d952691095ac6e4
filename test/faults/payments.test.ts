/**
 * Money under faults, on the production build with two instances on one
 * database: a provider slower than the breaker's timeout, duplicate cron
 * delivery, and an instance killed with -9 in the middle of the renewals job.
 * The fake provider keeps its own ledger (fake_payment_charges), so "charged
 * once" is counted where the money is. See ./harness.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  actionCode,
  callAction,
  clearPaymentFaults,
  cron,
  faultsEnabled,
  serverActionId,
  setPaymentFaults,
  sleep,
  startWorld,
  type FaultsDatabase,
  type FaultsWorld,
  type Instance,
} from "./harness";

const PASSWORD = "faults-payments-password";
/** The payments breaker's per-call timeout (lib/breakers/config.ts); the provider is made slower than that. */
const BREAKER_TIMEOUT_MS = 5_000;

describe.skipIf(!faultsEnabled)("money under provider faults, duplicate delivery and kill -9 (production build, two instances)", () => {
  let world: FaultsWorld;
  let db: FaultsDatabase;
  let a: Instance;
  let b: Instance;

  beforeAll(async () => {
    world = await startWorld({ password: PASSWORD });
    ({ db } = world);
    [a, b] = world.instances as [Instance, Instance];
  }, 120_000);

  afterAll(() => world?.stop());

  /** Paid subscriptions whose period has ended: due for renewal. */
  async function dueSubscriptions(count: number): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < count; i++) {
      const user = await world.createUser({ plan: "pro" });
      const [row] = await db.sql<{ id: string }[]>`update subscriptions set current_period_end = now() - interval '1 hour' where user_id = ${user.id} returning id`;
      ids.push(row!.id);
    }
    return ids;
  }

  /** Charges at the provider per subscription, and subscriptions still due. */
  async function ledger(subscriptionIds: string[]) {
    const charges = await db.sql<{ subscription: string; n: number }[]>`
      select split_part(idempotency_key, ':', 2) as subscription, count(*)::int as n from fake_payment_charges
      where idempotency_key like 'renewal:%' and split_part(idempotency_key, ':', 2) = any(${subscriptionIds}) group by 1`;
    const [due] = await db.sql<{ n: number }[]>`select count(*)::int as n from subscriptions where id = any(${subscriptionIds}) and current_period_end <= now()`;
    return { perSubscription: subscriptionIds.map((id) => charges.find((c) => c.subscription === id)?.n ?? 0), stillDue: due!.n };
  }

  it("a provider slower than the breaker timeout: the user is told the truth, the attempt is unknown, reconciliation settles it exactly once", async () => {
    const user = await world.createUser();
    const cookie = await world.signIn(a, user.email);
    await setPaymentFaults(db.sql, { latencyMs: BREAKER_TIMEOUT_MS + 2_000 });
    const answer = await callAction(a, "/billing", serverActionId("app/(app)/billing/actions.ts", "changePlan"), [{ plan: "pro" }], cookie);
    expect(actionCode(answer.body)).toBe("payment_pending");
    expect(answer.body).toContain("checking whether");
    expect(answer.body).not.toContain("not been charged");
    const [attempt] = await db.sql<{ id: string; status: string; idempotency_key: string }[]>`select id, status, idempotency_key from payment_attempts where user_id = ${user.id}`;
    expect(attempt!.status).toBe("unknown");

    // The provider finishes the charge after the caller gave up on it; then it recovers.
    await sleep(3_000);
    await clearPaymentFaults(db.sql);
    const [charged] = await db.sql<{ n: number }[]>`select count(*)::int as n from fake_payment_charges where idempotency_key = ${attempt!.idempotency_key}`;
    expect(charged!.n).toBe(1);

    // Delivered twice at once, and once more later: settled once.
    const runs = await Promise.all([cron(a, "payment_reconciliation"), cron(b, "payment_reconciliation")]);
    runs.push(await cron(a, "payment_reconciliation"));
    for (const run of runs) expect(run.status).toBe(200);
    const [settled] = await db.sql<{ status: string; charge_id: string }[]>`select status, charge_id from payment_attempts where id = ${attempt!.id}`;
    expect(settled!.status).toBe("settled");
    const [invoiced] = await db.sql<{ n: number }[]>`select count(*)::int as n from invoices where provider_charge_id = ${settled!.charge_id}`;
    expect(invoiced!.n).toBe(1);
    const [plan] = await db.sql<{ plan: string }[]>`select plan from subscriptions where user_id = ${user.id}`;
    expect(plan!.plan).toBe("pro");
    const [refunds] = await db.sql<{ n: number }[]>`select count(*)::int as n from fake_payment_refunds where charge_id = ${settled!.charge_id}`;
    expect(refunds!.n).toBe(0);
  }, 90_000);

  it("the same renewals job delivered to both instances at once charges each subscription once", async () => {
    const subscriptions = await dueSubscriptions(6);
    const runs = await Promise.all([cron(a, "renewals"), cron(b, "renewals")]);
    for (const run of runs) expect(run.status).toBe(200);
    // One run holds the job's lock; the other is skipped (or, if it came second, finds nothing left due).
    for (const run of runs) expect(["skipped", "succeeded"]).toContain((JSON.parse(run.body) as { status: string }).status);
    const after = await ledger(subscriptions);
    expect(after.perSubscription).toEqual(subscriptions.map(() => 1));
    expect(after.stillDue).toBe(0);
  }, 90_000);

  it("kill -9 of an instance mid-job loses and duplicates nothing: the other instance's next run takes over", async () => {
    const subscriptions = await dueSubscriptions(6);
    // Slow charges, so the job is surely in the middle of its batch when the instance dies.
    await setPaymentFaults(db.sql, { latencyMs: 700 });
    const dying = cron(a, "renewals");
    for (let seen = 0; seen < 2; ) {
      await sleep(100);
      seen = (await ledger(subscriptions)).perSubscription.reduce((sum, n) => sum + n, 0);
    }
    a.kill9();
    expect((await dying).status).toBe(0);
    await clearPaymentFaults(db.sql);
    const partial = await ledger(subscriptions);
    expect(partial.stillDue).toBeGreaterThan(0);

    // B's deliveries are skipped while the dead run's lease lasts, then one takes over and finishes the batch.
    const started = performance.now();
    let taken: { status: string; processed: number } | null = null;
    while (!taken && performance.now() - started < 40_000) {
      const run = await cron(b, "renewals");
      expect(run.status).toBe(200);
      const body = JSON.parse(run.body) as { status: string; processed: number };
      if (body.status === "skipped") await sleep(1_000);
      else taken = body;
    }
    expect(taken?.status).toBe("succeeded");
    console.log(`kill -9 mid-job: the other instance took over after ${Math.round(performance.now() - started)} ms`);
    const after = await ledger(subscriptions);
    expect(after.perSubscription).toEqual(subscriptions.map(() => 1));
    expect(after.stillDue).toBe(0);
    const [dead] = await db.sql<{ status: string }[]>`select status from job_runs where job = 'renewals' and status <> 'skipped' order by started_at desc offset 1 limit 1`;
    expect(dead!.status).toBe("failed");
  }, 120_000);
});
