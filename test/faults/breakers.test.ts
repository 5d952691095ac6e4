/**
 * Breaker generations across two instances of the production build, with the
 * breaker state shared in Postgres and the payments provider failing every
 * call. Provider calls are counted where the fake provider counts them
 * (`resilience_counters`), so "no call leaked" is measured, not inferred. A
 * trip on one instance stops the other before its next provider call; an
 * operator's reset (the admin page's action on one instance, or
 * `ops breakers reset`) starts a new generation the other instance honours
 * although its own view still said open: it calls the provider again, and one
 * failure, or four on top of the failures it had counted before, does not
 * re-open it; the fifth of the new generation does, by the book. See ./harness.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  actionCode,
  callAction,
  cron,
  faultsEnabled,
  ops,
  serverActionId,
  setPaymentFaults,
  startWorld,
  type FaultsDatabase,
  type FaultsWorld,
  type Instance,
} from "./harness";

const PASSWORD = "faults-breakers-password";
/** The breaker's minimum calls before it may trip (lib/breakers/config.ts): every failure counts at 100 % failing. */
const MINIMUM_CALLS = 5;

describe.skipIf(!faultsEnabled)("breaker trips and resets across two instances (production build, Postgres breaker store)", () => {
  let world: FaultsWorld;
  let db: FaultsDatabase;
  let adminCookie: string;

  beforeAll(async () => {
    world = await startWorld({
      password: PASSWORD,
      prepare: async ({ db: database, createUser }) => {
        // A paid subscription whose period has ended: each renewals run calls the provider for it once, fails, and stops the batch.
        const due = await createUser({ plan: "pro" });
        await database.sql`update subscriptions set current_period_end = now() - interval '1 hour' where user_id = ${due.id}`;
        await setPaymentFaults(database.sql, { failPercent: 100 });
      },
    });
    ({ db } = world);
    const admin = await world.createUser({ role: "admin" });
    adminCookie = await world.signIn(world.instances[0]!, admin.email);
  }, 120_000);

  afterAll(() => world?.stop());

  async function providerCalls(): Promise<number> {
    const [row] = await db.sql<{ count: number }[]>`select count from resilience_counters where name = 'fake_calls:payments'`;
    return row?.count ?? 0;
  }

  async function shared(): Promise<{ state: string; forced: string | null; version: number }> {
    const [row] = await db.sql<{ state: string; forced: string | null; version: number }[]>`select state, forced, version from breaker_states where name = 'payments'`;
    return row ?? { state: "closed", forced: null, version: 0 };
  }

  /**
   * One renewals run on this instance; returns how many provider calls it made. A run either calls the provider,
   * fails and stops its batch, or is skipped because the instance sees the breaker open (no call).
   */
  async function renewals(instance: Instance): Promise<number> {
    const before = await providerCalls();
    const run = await cron(instance, "renewals");
    expect(run.status, run.body).toBe(200);
    const body = JSON.parse(run.body) as { status: string; failed?: number };
    const calls = (await providerCalls()) - before;
    if (calls > 0) expect(body, run.body).toMatchObject({ status: "stopped", failed: 0 });
    else expect(["skipped", "stopped"], run.body).toContain(body.status);
    return calls;
  }

  async function runs(instance: Instance, count: number): Promise<number[]> {
    const calls: number[] = [];
    for (let i = 0; i < count; i++) calls.push(await renewals(instance));
    return calls;
  }

  it("a trip on one instance is seen by the other before its next provider call", async () => {
    const [a, b] = world.instances as [Instance, Instance];
    // B counts failures short of its minimum: still closed.
    expect(await runs(b, MINIMUM_CALLS - 1)).toEqual([1, 1, 1, 1]);
    expect((await shared()).state).toBe("closed");
    // A reaches the minimum on its own and trips the shared breaker.
    expect(await runs(a, MINIMUM_CALLS)).toEqual([1, 1, 1, 1, 1]);
    expect((await shared()).state).toBe("open");
    // B's next run, and the one after: no call reaches the provider.
    expect(await runs(b, 2)).toEqual([0, 0]);
  }, 40_000);

  it("an admin's reset on one instance is a new generation on the other: its old counts and one failure do not re-open it", async () => {
    const [a, b] = world.instances as [Instance, Instance];
    // B's cached view says open (it just failed fast); the reset happens on A, through the admin page's action.
    const reset = await callAction(a, "/admin/breakers", serverActionId("app/admin/breakers/actions.ts", "forceBreaker"), [{ name: "payments", mode: "reset", reason: "provider back, says the status page" }], adminCookie);
    expect(actionCode(reset.body), reset.body).toBe("ok");
    const generation = await shared();
    expect(generation).toMatchObject({ state: "closed", forced: null });

    // B calls the provider again, at once; its four failures from before the trip no longer count, so neither does
    // one more, nor four more: the breaker stays closed, in the same generation.
    expect(await runs(b, 1)).toEqual([1]);
    expect(await shared()).toEqual(generation);
    expect(await runs(b, MINIMUM_CALLS - 2)).toEqual([1, 1, 1]);
    expect(await shared()).toEqual(generation);
    // The fifth failure of the new generation trips it, as the configuration says.
    expect(await runs(b, 1)).toEqual([1]);
    expect((await shared()).state).toBe("open");
    expect(await runs(a, 1)).toEqual([0]);
  }, 40_000);

  it("`ops breakers reset` from the command line is honoured by both instances the same way", async () => {
    const [a, b] = world.instances as [Instance, Instance];
    expect((await shared()).state).toBe("open");
    await ops(db, ["breakers", "reset", "payments", "provider", "checked", "by", "the", "operator"]);
    const generation = await shared();
    expect(generation).toMatchObject({ state: "closed", forced: null });
    // Both views said open (B tripped it; A was refused): after the reset one failure on each changes nothing.
    expect(await runs(a, 1)).toEqual([1]);
    expect(await runs(b, 1)).toEqual([1]);
    expect(await shared()).toEqual(generation);
    const [audited] = await db.sql<{ n: number }[]>`select count(*)::int as n from audit_events where action = 'breaker.force'`;
    expect(audited!.n).toBe(2);
  }, 40_000);
});
