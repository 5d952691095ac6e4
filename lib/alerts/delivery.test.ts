import { and, eq } from "drizzle-orm";
import { afterAll, describe, expect, it, vi } from "vitest";
import { alertDeliveries, alerts, auditVerifications, breakerTransitions, incidents, sloAlerts } from "@/db/schema";
import { getBreaker } from "@/lib/breakers";
import { getDb } from "@/lib/database";
import { runJob } from "@/lib/jobs/server";
import { reconcileDerivedAlerts } from "./conditions";
import { deliverDue, planDeliveries } from "./delivery";
import { raiseAlert, resolveAlert } from "./index";
import { alertDeliveryJob } from "./jobs";

// Slack and PagerDuty as local HTTP receivers, email as a real SMTP server: every alert destination configured, on 127.0.0.1.
const stand = await vi.hoisted(async () => {
  const { startHttpReceiver } = await import("@/test/fixtures/http-receiver");
  const { startSmtpStandIn } = await import("@/test/fixtures/smtp-stand-in");
  const [slack, pagerduty, smtp] = await Promise.all([startHttpReceiver(200, "ok"), startHttpReceiver(202, '{"status":"success","message":"Event processed"}'), startSmtpStandIn()]);
  process.env.ALERT_SLACK_WEBHOOK_URL = `${slack.url}/services/T000/B000/XXXX`;
  process.env.PAGERDUTY_ROUTING_KEY = "R0UT1NGKEY";
  process.env.PAGERDUTY_EVENTS_URL = `${pagerduty.url}/v2/enqueue`;
  process.env.ALERT_EMAIL_TO = "oncall@example.test, lead@example.test";
  process.env.SMTP_URL = smtp.url;
  process.env.EMAIL_FROM = "Breakwater alerts <alerts@breakwater.test>";
  process.env.APP_URL = "https://ops.breakwater.test";
  process.env.ALERT_BREAKER_OPEN_MINUTES = "5";
  return { slack, pagerduty, smtp };
});

afterAll(async () => {
  await Promise.all([stand.slack.close(), stand.pagerduty.close(), stand.smtp.close()]);
});

const MINUTE = 60_000;
const key = (name: string) => `${name}:${crypto.randomUUID().slice(0, 8)}`;
const pdFor = (dedupKey: string) => stand.pagerduty.received.filter((r) => r.body.dedup_key === dedupKey).map((r) => r.body);
const slackFor = (title: string) => stand.slack.received.filter((r) => String(r.body.text).includes(title)).map((r) => String(r.body.text));
const mailFor = (title: string) => stand.smtp.received.filter((m) => m.parsed.subject?.includes(title));

async function deliveries(alertId: string) {
  return (await getDb()).select().from(alertDeliveries).where(eq(alertDeliveries.alertId, alertId));
}

async function route(now = new Date()) {
  const db = await getDb();
  await planDeliveries(db, now);
  return deliverDue(db, now);
}

describe("alert delivery", () => {
  it("pages: PagerDuty trigger with the dedup key, a Slack post and an email to each address, once; then resolves all three", async () => {
    const db = await getDb();
    const dedupKey = key("job_missed");
    const title = `Job renewals missed its window ${dedupKey}`;
    const { alert } = await raiseAlert(db, { dedupKey, source: "job", severity: "page", title, detail: "No successful run for 2 hours.", runbook: "cron-backlog" });
    const run = await runJob(alertDeliveryJob, { trigger: "test" });
    expect(run.status).toBe("succeeded");

    expect(pdFor(dedupKey)).toEqual([
      expect.objectContaining({
        routing_key: "R0UT1NGKEY",
        event_action: "trigger",
        dedup_key: dedupKey,
        payload: expect.objectContaining({ summary: title, severity: "critical", source: "ops.breakwater.test", component: "job" }),
        links: expect.arrayContaining([{ href: "https://ops.breakwater.test/admin/runbooks/cron-backlog", text: "Runbook" }]),
      }),
    ]);
    expect(slackFor(title)).toEqual([expect.stringMatching(/^:rotating_light: Page: Job renewals missed.*\nNo successful run for 2 hours\.\nRunbook: <https:\/\/ops\.breakwater\.test\/admin\/runbooks\/cron-backlog>/)]);
    const mails = mailFor(title);
    expect(mails.map((m) => m.envelopeTo[0]).sort()).toEqual(["lead@example.test", "oncall@example.test"]);
    expect(mails[0]!.parsed.subject).toBe(`[page] ${title}`);
    expect(mails[0]!.parsed.text).toContain("Runbook: https://ops.breakwater.test/admin/runbooks/cron-backlog");
    expect((await deliveries(alert.id)).map((d) => [d.destination, d.event, d.status]).sort()).toEqual([
      ["email", "trigger", "sent"],
      ["pagerduty", "trigger", "sent"],
      ["slack", "trigger", "sent"],
    ]);

    // Deduplicated: the same condition seen again tells nobody anything new.
    await raiseAlert(db, { dedupKey, source: "job", severity: "page", title });
    await route();
    expect(pdFor(dedupKey)).toHaveLength(1);
    expect(slackFor(title)).toHaveLength(1);

    // The condition ends: PagerDuty resolves the same dedup key, Slack and email say so.
    await resolveAlert(db, dedupKey);
    await route();
    expect(pdFor(dedupKey).map((e) => e.event_action)).toEqual(["trigger", "resolve"]);
    expect(pdFor(dedupKey)[1]).toEqual({ routing_key: "R0UT1NGKEY", event_action: "resolve", dedup_key: dedupKey });
    expect(slackFor(title)[1]).toMatch(/^:white_check_mark: Resolved: /);
    expect(mailFor(title).filter((m) => m.parsed.subject === `[resolved] ${title}`)).toHaveLength(2);
    await route();
    expect(pdFor(dedupKey)).toHaveLength(2);
  });

  it("routes a ticket to Slack and email only, and reaches the pager when it becomes a page", async () => {
    const db = await getDb();
    const dedupKey = key("slo_burn");
    const title = `Slow burn ${dedupKey}`;
    await raiseAlert(db, { dedupKey, source: "test", severity: "ticket", title });
    await route();
    expect(pdFor(dedupKey)).toHaveLength(0);
    expect(slackFor(title)[0]).toMatch(/^:warning: Ticket: /);
    expect(mailFor(title)).toHaveLength(2);
    await raiseAlert(db, { dedupKey, source: "test", severity: "page", title });
    await route();
    expect(pdFor(dedupKey).map((e) => e.event_action)).toEqual(["trigger"]);
    expect(slackFor(title)).toHaveLength(1);
    await resolveAlert(db, dedupKey);
  });

  it("retries a destination that failed, with backoff, and records the error meanwhile", async () => {
    const db = await getDb();
    const dedupKey = key("flaky");
    const title = `Flaky Slack ${dedupKey}`;
    await route(); // earlier tests' resolves go out first
    const { alert } = await raiseAlert(db, { dedupKey, source: "test", severity: "info", title });
    stand.slack.failNext(503);
    const now = new Date();
    await route(now);
    const [pending] = await deliveries(alert.id);
    expect(pending).toMatchObject({ destination: "slack", status: "pending", attempts: 1, lastError: expect.stringContaining("slack answered 503") });
    expect(pending!.nextAttemptAt.getTime()).toBe(now.getTime() + 2 * MINUTE);
    await route(new Date(now.getTime() + MINUTE));
    expect(slackFor(title)).toHaveLength(0);
    await route(new Date(now.getTime() + 2 * MINUTE));
    expect(slackFor(title)).toHaveLength(1);
    expect((await deliveries(alert.id))[0]).toMatchObject({ status: "sent", attempts: 2, lastError: null });
    await resolveAlert(db, dedupKey);
  });

  it("waits while a destination's breaker is open, without spending attempts", async () => {
    const db = await getDb();
    const dedupKey = key("pager_down");
    const { alert } = await raiseAlert(db, { dedupKey, source: "test", severity: "page", title: `Pager down ${dedupKey}` });
    await getBreaker("pagerduty").force("open", "test: PagerDuty unreachable", null);
    try {
      await route();
      const pd = (await deliveries(alert.id)).find((d) => d.destination === "pagerduty")!;
      expect(pd).toMatchObject({ status: "pending", attempts: 0, lastError: expect.stringContaining("pagerduty") });
      expect(pdFor(dedupKey)).toHaveLength(0);
    } finally {
      await getBreaker("pagerduty").force("reset", "test done", null);
    }
    await route(new Date(Date.now() + 2 * MINUTE));
    expect(pdFor(dedupKey)).toHaveLength(1);
    await resolveAlert(db, dedupKey);
  });

  it("gives up on a destination that refuses the request (a configuration error) and shows why", async () => {
    const db = await getDb();
    const dedupKey = key("bad_config");
    await route(); // earlier tests' resolves go out first
    const { alert } = await raiseAlert(db, { dedupKey, source: "test", severity: "info", title: `Refused ${dedupKey}` });
    stand.slack.failNext(404);
    await route();
    expect((await deliveries(alert.id))[0]).toMatchObject({ status: "failed", attempts: 1, lastError: expect.stringContaining("404") });
    await resolveAlert(db, dedupKey);
  });
});

describe("conditions that become alerts", () => {
  it("turns burn-rate alerts, long-open breakers, drafted incidents and a failed audit verification into alerts, and clears them", async () => {
    const db = await getDb();
    const now = new Date();
    const [fast] = await db.insert(sloAlerts).values({ slo: "web_availability", severity: "page", burnRate: 20, firedAt: now }).returning();
    await db.insert(sloAlerts).values({ slo: "cron_reliability", severity: "ticket", burnRate: 7, firedAt: now });
    // The slack breaker: suites sharing the Postgres phase's database move the email and payments breakers meanwhile.
    await db.insert(breakerTransitions).values({ name: "slack", fromState: "closed", toState: "open", reason: "test", at: new Date(now.getTime() - 7 * MINUTE) });
    const [draft] = await db.insert(incidents).values({ title: "Payments are degraded", status: "draft", impact: "major", components: ["billing"], sourceKey: "breaker:payments", runbook: "payment-provider-down" }).returning();
    await db.insert(auditVerifications).values({ ok: false, checkedCount: 10, firstBrokenId: 4, detail: "First broken link: event 4 (security): its content no longer matches its hash.", ranBy: "test" });

    await reconcileDerivedAlerts(db, now);
    const open = new Map((await db.select().from(alerts).where(eq(alerts.status, "open"))).map((a) => [a.dedupKey, a]));
    expect(open.get("slo_burn:web_availability:page")).toMatchObject({ severity: "page", title: "Web app availability: error budget burning fast (20.0×)", runbook: "error-budget-policy" });
    expect(open.get("slo_burn:cron_reliability:ticket")).toMatchObject({ severity: "ticket" });
    expect(open.get("breaker_open:slack")).toMatchObject({ severity: "ticket", title: "The slack breaker has been open for more than 5 minutes", runbook: "alert-delivery" });
    expect(open.get(`incident_draft:${draft!.id}`)).toMatchObject({ severity: "page", title: "Incident drafted: Payments are degraded" });
    expect(open.get("audit_chain_broken")).toMatchObject({ severity: "page", detail: expect.stringContaining("event 4") });

    // Each condition ends; the next check resolves its alert.
    await db.update(sloAlerts).set({ resolvedAt: now }).where(eq(sloAlerts.id, fast!.id));
    await db.insert(breakerTransitions).values({ name: "slack", fromState: "half_open", toState: "closed", reason: "test probe ok", at: new Date(now.getTime() - MINUTE) });
    await db.update(incidents).set({ status: "investigating" }).where(eq(incidents.id, draft!.id));
    await db.insert(auditVerifications).values({ ok: true, checkedCount: 10, detail: "Chain intact.", ranBy: "test", ranAt: new Date(now.getTime() + 1000) });
    await reconcileDerivedAlerts(db, new Date(now.getTime() + 2000));
    const stillOpen = (await db.select().from(alerts).where(eq(alerts.status, "open"))).map((a) => a.dedupKey);
    expect(stillOpen).toContain("slo_burn:cron_reliability:ticket");
    for (const k of ["slo_burn:web_availability:page", "breaker_open:slack", `incident_draft:${draft!.id}`, "audit_chain_broken"]) expect(stillOpen).not.toContain(k);
    const [resolved] = await db.select().from(alerts).where(and(eq(alerts.dedupKey, "audit_chain_broken"), eq(alerts.status, "resolved")));
    expect(resolved).toBeDefined();
  });
});
