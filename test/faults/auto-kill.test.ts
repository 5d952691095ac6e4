/**
 * Automatic kill switches from real signals, on the production build with
 * two instances on one database: the payments provider fails every charge
 * (the fault injected at the provider, honoured by both instances), people's
 * plan changes fail on both instances, and the uptime job on one instance
 * turns `payments` off from the counts both recorded. The alert goes through
 * the alert router, the kill is audited as the uptime job, and the next plan
 * change on either instance is refused with the switch's sentence without a
 * provider call. See ./harness.ts.
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

const PASSWORD = "faults-auto-kill-password";

describe.skipIf(!faultsEnabled)("automatic kill from an action's error rate (production build, two instances)", () => {
  let world: FaultsWorld;
  let db: FaultsDatabase;
  let a: Instance;
  let b: Instance;

  beforeAll(async () => {
    world = await startWorld({ password: PASSWORD });
    ({ db } = world);
    [a, b] = world.instances as [Instance, Instance];
  }, 120_000);

  afterAll(async () => {
    await clearPaymentFaults(db.sql).catch(() => {});
    await world?.stop();
  });

  const changePlan = (instance: Instance, cookie: string) =>
    callAction(instance, "/billing", serverActionId("app/(app)/billing/actions.ts", "changePlan"), [{ plan: "pro" }], cookie);

  it("plan changes failing on both instances turn payments off from the uptime job on one of them, audited and paged", async () => {
    // Twelve people, six on each instance (one plan change each: a person's two at once would conflict).
    const people = await Promise.all(Array.from({ length: 12 }, () => world.createUser()));
    const calls = await Promise.all(people.map(async (p, i) => ({ instance: i % 2 ? b : a, cookie: await world.signIn(i % 2 ? b : a, p.email) })));
    await setPaymentFaults(db.sql, { failPercent: 100 });

    // Twelve plan changes, all failing on our side (the provider is down).
    const answers = await Promise.all(calls.map((c) => changePlan(c.instance, c.cookie)));
    for (const answer of answers) expect(actionCode(answer.body)).toBe("dependency_down");
    const charges = await db.sql<{ n: number }[]>`select count(*)::int as n from fake_payment_charges`;

    // The minute job runs on B alone. A's failures must reach it: a sick instance may get no more traffic this minute.
    let killed = false;
    const started = performance.now();
    while (!killed && performance.now() - started < 30_000) {
      const run = await cron(b, "uptime_check");
      expect(run.status, run.body).toBe(200);
      const [row] = await db.sql<{ on: boolean }[]>`select (environments->'development'->>'enabled')::boolean as on from flags where key = 'payments'`;
      killed = row?.on === false;
      if (!killed) await sleep(1_000);
    }
    expect(killed).toBe(true);
    console.log(`auto-kill: payments off ${Math.round(performance.now() - started)} ms after the twelfth failure`);

    const [audit] = await db.sql<{ actor_type: string; actor_id: string; metadata: { reason: string } }[]>`
      select actor_type, actor_id, metadata from audit_events where action = 'flag.kill_switch' and target_id = 'payments' order by id desc limit 1`;
    expect(audit).toMatchObject({ actor_type: "system", actor_id: "cron:uptime_check" });
    expect(audit!.metadata.reason).toContain("billing.change_plan");
    const [alert] = await db.sql<{ severity: string; status: string }[]>`select severity, status from alerts where dedup_key = 'auto_kill:payments'`;
    expect(alert).toMatchObject({ severity: "page", status: "open" });

    // Both instances refuse the next plan change with the switch, before the provider is called.
    await clearPaymentFaults(db.sql);
    for (const instance of [a, b]) {
      // A new person each, so the payment rate limit (five a minute) cannot answer first; the switch reaches an
      // instance within about a second.
      const cookie = await world.signIn(instance, (await world.createUser()).email);
      let code: string | null = null;
      for (let i = 0; i < 4 && code !== "disabled"; i++) {
        code = actionCode((await changePlan(instance, cookie)).body);
        if (code !== "disabled") await sleep(1_000);
      }
      expect(code).toBe("disabled");
    }
    const [after] = await db.sql<{ n: number }[]>`select count(*)::int as n from fake_payment_charges`;
    expect(after!.n).toBe(charges[0]!.n);
  }, 120_000);
});
