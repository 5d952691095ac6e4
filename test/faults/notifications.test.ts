/**
 * Exactly-once email, on the production build with two instances on one
 * database and a real SMTP server (the stand-in in test/fixtures) as the
 * provider: the after-commit delivery on both instances and the
 * `notification_delivery` job (delivered to both at once, again and again),
 * and this process running the job's delivery step in a tight loop, race on
 * the same queued rows, and each row reaches the SMTP server once. A
 * send that outlives the email breaker's timeout, but did go out, is held as
 * unconfirmed and never resent by later runs. See ./harness.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSmtpStandIn } from "@/test/fixtures/smtp-stand-in";
import {
  actionCode,
  callAction,
  cron,
  faultsEnabled,
  serverActionId,
  sleep,
  startWorld,
  type FaultsDatabase,
  type FaultsWorld,
  type Instance,
} from "./harness";

const PASSWORD = "faults-notifications-password";
const FROM = "Breakwater <noreply@breakwater.test>";
/** The email breaker's per-call timeout (lib/breakers/config.ts); the slow send takes longer than that. */
const BREAKER_TIMEOUT_MS = 5_000;

describe.skipIf(!faultsEnabled)("exactly-once notifications (production build, two instances, SMTP stand-in)", () => {
  let world: FaultsWorld;
  let db: FaultsDatabase;
  let smtp: Awaited<ReturnType<typeof startSmtpStandIn>>;
  let deliverQueued: typeof import("@/lib/notifications").deliverQueued;

  beforeAll(async () => {
    smtp = await startSmtpStandIn();
    // This process is a third sender (the delivery job's own step, in a tight loop), so it sends through the same
    // provider; its configuration is read once, when startWorld first imports the app's modules.
    process.env.SMTP_URL = smtp.url;
    process.env.EMAIL_FROM = FROM;
    world = await startWorld({
      password: PASSWORD,
      env: { SMTP_URL: smtp.url, EMAIL_FROM: FROM },
      prepare: async ({ onStop }) => onStop(() => smtp.close()),
    });
    ({ db } = world);
    ({ deliverQueued } = await import("@/lib/notifications"));
  }, 120_000);

  afterAll(() => world?.stop());

  /** Queues notifications as the outbox does (a row in `notifications`), without sending them. */
  async function queue(count: number, tag: string): Promise<string[]> {
    const rows = Array.from({ length: count }, (_, i) => ({
      to_email: `queued-${tag}-${i}@example.test`,
      template: "password_changed",
      subject: `Queued ${tag} ${i}`,
      body: "Your password was changed.",
    }));
    return (await db.sql<{ id: string }[]>`insert into notifications ${db.sql(rows)} returning id`).map((r) => r.id);
  }

  /** Copies of each notification the SMTP server received, by the Message-ID its id becomes. */
  function receivedCopies(ids: string[]): number[] {
    return ids.map((id) => smtp.received.filter((m) => m.parsed.messageId === `<${id}@breakwater.test>`).length);
  }

  async function deliveryRun(instance: Instance) {
    const run = await cron(instance, "notification_delivery");
    expect(run.status, run.body).toBe(200);
    return JSON.parse(run.body) as { status: string; processed?: number };
  }

  it("the after-commit delivery on both instances, the delivery job on both and a third sender race on the same rows: each is sent once", async () => {
    const [a, b] = world.instances as [Instance, Instance];
    // Each message takes a little while at the provider, so senders overlap.
    smtp.settings.latencyMs = 25;
    const payers = await Promise.all(Array.from({ length: 6 }, () => world.createUser()));
    const cookies = await Promise.all(payers.map((p, i) => world.signIn(i % 2 ? b : a, p.email)));
    const changePlan = serverActionId("app/(app)/billing/actions.ts", "changePlan");
    const backlog = await queue(30, "backlog");

    // The delivery job, delivered to both instances at once, over and over, while the plan changes commit and queue theirs.
    // And a third sender claiming as often as it can: the delivery step itself, from this process.
    let changing = true;
    let jobSent = 0;
    let thirdSent = 0;
    const sweeps = (async () => {
      do {
        const runs = await Promise.all([deliveryRun(a), deliveryRun(b)]);
        for (const run of runs) jobSent += run.processed ?? 0;
      } while (changing);
    })();
    const third = (async () => {
      do {
        thirdSent += (await deliverQueued(5)).sent;
        await sleep(2);
      } while (changing);
    })();
    const more: string[] = [];
    const answers: string[] = [];
    await Promise.all([
      // Each payer changes plan twice on its instance: two receipts, each sent after its commit.
      ...payers.map(async (_, i) => {
        for (const plan of ["pro", "team"]) answers.push((await callAction(i % 2 ? b : a, "/billing", changePlan, [{ plan }], cookies[i]!)).body);
      }),
      (async () => {
        // More rows queued while the job runs, in small bursts.
        for (let burst = 0; burst < 4; burst++) {
          more.push(...(await queue(5, `burst${burst}`)));
          await sleep(50);
        }
      })(),
    ]);
    changing = false;
    await Promise.all([sweeps, third]);
    expect(answers.map(actionCode)).toEqual(answers.map(() => "ok"));

    // The after-commit sends run after each response: wait until nothing is queued or being sent.
    const deadline = Date.now() + 15_000;
    for (;;) {
      const [left] = await db.sql<{ n: number }[]>`select count(*)::int as n from notifications where status in ('queued', 'sending')`;
      if (left!.n === 0) break;
      if (Date.now() > deadline) throw new Error(`${left!.n} notifications still queued or sending`);
      jobSent += (await deliveryRun(a)).processed ?? 0;
      await sleep(200);
    }
    smtp.settings.latencyMs = 0;

    // Every notification written so far: the queued backlog and bursts, the plan changes' receipts, and anything else
    // the requests queued (sign-in notices and the like).
    const rows = await db.sql<{ id: string; template: string; status: string; attempts: number }[]>`select id, template, status, attempts from notifications order by id`;
    const ids = rows.map((r) => r.id);
    expect(ids).toEqual(expect.arrayContaining([...backlog, ...more]));
    expect(rows.filter((r) => r.template === "plan_changed")).toHaveLength(payers.length * 2);
    // Each row sent, and claimed exactly once (a second claim would have counted another attempt).
    expect(rows.map((r) => r.status)).toEqual(ids.map(() => "sent"));
    expect(rows.map((r) => r.attempts)).toEqual(ids.map(() => 1));
    // At the provider: one copy of each, and nothing else.
    expect(receivedCopies(ids)).toEqual(ids.map(() => 1));
    expect(smtp.received).toHaveLength(ids.length);
    // Which sender wins a request's receipt is up to timing. The rows queued here only the job and the third sender
    // send; whatever else they sent, they took from under an after-commit delivery (each row went out once, so the
    // count is exact).
    const queuedByTest = backlog.length + more.length;
    console.log(
      `exactly-once race: ${ids.length} notifications; the delivery job sent ${jobSent}, the third sender ${thirdSent}; ` +
        `${jobSent + thirdSent - queuedByTest} of them rows an after-commit delivery had been queued to send`,
    );
  }, 60_000);

  it("a send that outlives the breaker's timeout but went out is held as unconfirmed and never resent", async () => {
    const [a, b] = world.instances as [Instance, Instance];
    const before = smtp.received.length;
    const [id] = await queue(1, "slow");
    // The provider accepts the message but answers only after the email breaker has given up.
    smtp.delayNext(BREAKER_TIMEOUT_MS + 1_500);
    // The run's only send timed out: the run ends failed (HTTP 500, so the scheduler sees it), the row held as unconfirmed.
    const slow = await cron(a, "notification_delivery");
    expect(JSON.parse(slow.body), slow.body).toMatchObject({ status: "failed", processed: 0, failed: 1 });
    const [held] = await db.sql<{ status: string; attempts: number }[]>`select status, attempts from notifications where id = ${id!}`;
    expect(held).toMatchObject({ status: "unconfirmed", attempts: 1 });
    expect(receivedCopies([id!])).toEqual([1]);

    // Once the provider has finished, later runs on both instances leave it alone.
    await sleep(2_000);
    await Promise.all([deliveryRun(a), deliveryRun(b)]);
    await deliveryRun(b);
    expect(receivedCopies([id!])).toEqual([1]);
    expect(smtp.received.length - before).toBe(1);
    const [after] = await db.sql<{ status: string; attempts: number }[]>`select status, attempts from notifications where id = ${id!}`;
    expect(after).toMatchObject({ status: "unconfirmed", attempts: 1 });
    // An operator hears about it.
    const [alert] = await db.sql<{ title: string }[]>`select title from alerts where dedup_key = 'notifications_unconfirmed' and resolved_at is null`;
    expect(alert?.title).toContain("may or may not have been sent");
  }, 60_000);
});
