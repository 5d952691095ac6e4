/**
 * Errors survive bundling: route handlers, pages and server actions each carry
 * their own copy of lib/breakers and lib/jobs in the production build. Whichever
 * bundle touches the payments breaker first, a payments outage must reach the
 * user as `dependency_down` and stop the renewals batch (HTTP 200, not 500, no
 * item marked failed). Needs the production build: see ./harness.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  actionCode,
  callAction,
  cron,
  faultsEnabled,
  serverActionId,
  setPaymentFaults,
  startWorld,
  timed,
  type FaultsWorld,
  type Instance,
} from "./harness";

const PASSWORD = "faults-bundling-password";

describe.skipIf(!faultsEnabled)("payments outage across bundles (production build, two instances)", () => {
  let world: FaultsWorld;
  let changePlan: string;
  let signIn: (instance: Instance) => Promise<string>;

  beforeAll(async () => {
    world = await startWorld({
      password: PASSWORD,
      // A breaker that does not trip within this test (20 calls, its whole window) keeps every call reaching the failing provider,
      // so each bundle classifies a provider error itself.
      env: { BREAKER_MIN_CALLS: "20" },
      prepare: async ({ db, createUser }) => {
        const payers = [await createUser(), await createUser()];
        // A paid subscription whose period has ended: due for renewal, so each renewals run calls the provider.
        const due = await createUser({ plan: "pro" });
        await db.sql`update subscriptions set current_period_end = now() - interval '1 hour' where user_id = ${due.id}`;
        await setPaymentFaults(db.sql, { failPercent: 100 });
        let next = 0;
        signIn = (instance) => world.signIn(instance, payers[next++]!.email);
      },
    });
    changePlan = serverActionId("app/(app)/billing/actions.ts", "changePlan");
  }, 120_000);

  afterAll(() => world?.stop());

  async function expectRenewalsStopped(instance: Instance) {
    const run = await cron(instance, "renewals");
    expect(run.status, run.body).toBe(200);
    expect(JSON.parse(run.body)).toMatchObject({ status: "stopped", failed: 0 });
  }

  async function expectPlanChangeDependencyDown(instance: Instance, cookie: string) {
    const answer = await callAction(instance, "/billing", changePlan, [{ plan: "pro" }], cookie);
    expect(answer.status).toBe(200);
    expect(actionCode(answer.body), answer.body).toBe("dependency_down");
    expect(answer.body).toContain("you have not been charged");
  }

  it("reached first through a route: the health probe, then the renewals cron and a plan change", async () => {
    const [a] = world.instances as [Instance, Instance];
    const cookie = await signIn(a);
    expect((await timed(`${a.url}/api/health/ready`)).status).toBe(200);
    await expectRenewalsStopped(a);
    await expectPlanChangeDependencyDown(a, cookie);
  });

  it("reached first through a page: /status, then a plan change and the renewals cron", async () => {
    // The second instance has served nothing that touches a breaker yet.
    const [, b] = world.instances as [Instance, Instance];
    const cookie = await signIn(b);
    expect((await timed(`${b.url}/status`)).status).toBe(200);
    await expectPlanChangeDependencyDown(b, cookie);
    await expectRenewalsStopped(b);
  });
});
