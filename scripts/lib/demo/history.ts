import type { Tx } from "@/lib/database";
import { breakerTransitions, fakePaymentCharges, incidents, incidentUpdates, invoices, jobRuns, statusChecks } from "@/db/schema";
import { parseCron } from "@/lib/jobs/cron";
import { JOB_DECLARATIONS, JOB_NAMES, type JobName } from "@/lib/jobs/declarations";
import { COMPONENT_IDS } from "@/lib/status/components";

/**
 * The demo's past: rows the app only writes as time goes by (job runs every
 * minute, uptime samples, last month's renewals, an incident that happened
 * ten days ago). A seed cannot wait for that, so these are written directly,
 * dated in the past, each with the values the code that writes them would
 * have written. None of them is an audit event: the audit log records what
 * the seed itself did, when it did it (see ./activity.ts).
 *
 * Everything is placed relative to `now` and varied by a seeded generator,
 * so the same `now` always gives the same history.
 */
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/** Small, fast, seeded: the same sequence every run (mulberry32). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** The game day the demo incident, its post-mortem and the breaker history describe: ten days ago, 13:56–14:45 UTC. */
export function gameDay(now: Date) {
  const day = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) - 10 * DAY;
  const at = (h: number, m: number) => new Date(day + (h * 60 + m) * MINUTE);
  return { breakerOpened: at(13, 56), drafted: at(13, 58), published: at(14, 1), identified: at(14, 12), recovered: at(14, 36), renewedByHand: at(14, 42), resolved: at(14, 45), at };
}

async function insertInChunks<T>(rows: T[], insert: (chunk: T[]) => Promise<unknown>, size = 1_000) {
  for (let i = 0; i < rows.length; i += size) await insert(rows.slice(i, i + size));
}

/** How far back each job's history goes: enough rows to read, not a month of every-minute runs. */
const HISTORY_MS: Record<JobName, number> = {
  uptime_check: 6 * 60 * MINUTE,
  notification_delivery: 3 * DAY,
  renewals: 11 * DAY, // back to the game day
  payment_reconciliation: 2 * DAY,
  trash_purge: 14 * DAY,
  deletion_purge: 14 * DAY,
  invoice_retention: 14 * DAY,
  audit_retention: 14 * DAY,
  audit_anchor: 2 * DAY,
  alert_delivery: 6 * 60 * MINUTE,
  uptime_probe: 6 * 60 * MINUTE,
  invoice_reconciliation: 2 * DAY,
};

/** Minutes in (from, to] at which `schedule` fires, newest first. */
function firings(schedule: string, from: number, to: number): Date[] {
  const matches = parseCron(schedule);
  const out: Date[] = [];
  for (let t = Math.floor(to / MINUTE) * MINUTE; t > from; t -= MINUTE) if (matches(new Date(t))) out.push(new Date(t));
  return out;
}

/** Every job's past runs on its schedule, succeeded but for what the game day and one bad night left behind. */
export async function seedJobHistory(tx: Tx, now: Date, random: () => number): Promise<number> {
  const day = gameDay(now);
  const lastMinute = now.getTime() - MINUTE;
  const oneBadNight = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) - 5 * DAY;
  const rows: (typeof jobRuns.$inferInsert)[] = [];
  for (const job of JOB_NAMES) {
    for (const startedAt of firings(JOB_DECLARATIONS[job].schedule, lastMinute - HISTORY_MS[job], lastMinute)) {
      const durationMs = Math.round(40 + random() * (job === "uptime_check" ? 400 : 1_500));
      const processed = job === "uptime_check" ? 1 : job === "notification_delivery" ? Math.floor(random() * 4) : 0;
      const row: typeof jobRuns.$inferInsert = { job, trigger: "cron", status: "succeeded", startedAt, finishedAt: new Date(startedAt.getTime() + durationMs), deadlineAt: new Date(startedAt.getTime() + 40_000), processed, failed: 0, skipped: 0, error: null };
      if (job === "renewals" && startedAt.getTime() === day.at(14, 0).getTime()) Object.assign(row, { status: "skipped", error: "breaker payments is open", finishedAt: startedAt, processed: 0 });
      if (job === "trash_purge" && startedAt.getTime() - oneBadNight === (3 * 60 + 15) * MINUTE) {
        Object.assign(row, { status: "failed", error: "canceling statement due to statement timeout", finishedAt: new Date(startedAt.getTime() + 20_000) });
      }
      rows.push(row);
    }
  }
  // After the game day the renewal that had been skipped was run by hand (the post-mortem's last step).
  if (day.renewedByHand.getTime() > lastMinute - HISTORY_MS.renewals) {
    rows.push({ job: "renewals", trigger: "manual", status: "succeeded", startedAt: day.renewedByHand, finishedAt: new Date(day.renewedByHand.getTime() + 850), deadlineAt: new Date(day.renewedByHand.getTime() + 120_000), processed: 1, failed: 0, skipped: 0 });
  }
  await insertInChunks(rows, (chunk) => tx.insert(jobRuns).values(chunk));
  return rows.length;
}

/** 30 days of component samples (one per 10 minutes; the running app samples every minute): operational but for Billing during the game day. */
export async function seedUptimeSamples(tx: Tx, now: Date): Promise<number> {
  const day = gameDay(now);
  const end = Math.floor(now.getTime() / (10 * MINUTE)) * 10 * MINUTE;
  const rows: (typeof statusChecks.$inferInsert)[] = [];
  for (let t = end - 30 * DAY; t < end; t += 10 * MINUTE) {
    for (const component of COMPONENT_IDS) {
      const degraded = component === "billing" && t >= day.breakerOpened.getTime() && t < day.recovered.getTime();
      rows.push({ minute: new Date(t), component, state: degraded ? "degraded" : "operational" });
    }
  }
  await insertInChunks(rows, (chunk) => tx.insert(statusChecks).values(chunk));
  return rows.length;
}

/** The game day as the status page and /admin/breakers remember it: the incident with its updates and the breaker's transitions. */
export async function seedGameDay(tx: Tx, now: Date, adminId: string): Promise<void> {
  const day = gameDay(now);
  const [incident] = await tx
    .insert(incidents)
    .values({
      title: "Card payments failing (game day)",
      status: "resolved",
      impact: "major",
      severity: "P2",
      components: ["billing"],
      runbook: "payment-provider-down",
      sourceKey: "breaker:payments",
      createdBy: adminId,
      createdAt: day.drafted,
      publishedAt: day.published,
      resolvedAt: day.resolved,
      updatedAt: day.resolved,
    })
    .returning({ id: incidents.id });
  const updates: [Date, string, string][] = [
    [day.drafted, "draft", "Billing: payments are degraded: the payment provider is unavailable. Follow the payment-provider-down runbook."],
    [day.published, "investigating", "Card payments are failing. Nobody is charged twice: plan changes are refused with a clear message. We are investigating."],
    [day.identified, "identified", "A planned game day: we injected failures into the payment provider. Renewals are paused (job_renewals) until it recovers."],
    [day.recovered, "monitoring", "Faults cleared; the payments breaker probed the provider and closed. Watching charges."],
    [day.resolved, "resolved", "Payments are back to normal; the renewal skipped at 14:00 was run by hand. Post-mortem: /admin/runbooks/postmortem-practice-2026-11"],
  ];
  await tx.insert(incidentUpdates).values(updates.map(([createdAt, status, body]) => ({ incidentId: incident!.id, status, body, authorId: status === "draft" ? null : adminId, createdAt })));
  await tx.insert(breakerTransitions).values([
    { name: "payments", fromState: "closed", toState: "open", reason: "5 of the last 5 calls failed", failureRate: 100, at: day.breakerOpened },
    { name: "payments", fromState: "open", toState: "half_open", reason: "cooldown over: one probe", failureRate: null, at: new Date(day.breakerOpened.getTime() + 30_000) },
    { name: "payments", fromState: "half_open", toState: "open", reason: "the probe failed", failureRate: 100, at: new Date(day.breakerOpened.getTime() + 31_000) },
    { name: "payments", fromState: "open", toState: "half_open", reason: "cooldown over: one probe", failureRate: null, at: day.recovered },
    { name: "payments", fromState: "half_open", toState: "closed", reason: "the probe succeeded", failureRate: 0, at: new Date(day.recovered.getTime() + 2_000) },
  ]);
}

/** The Pro plan's monthly renewals, the last one run by hand after the game day; the next is due in 20 days. */
export async function seedInvoices(tx: Tx, now: Date, userId: string, subscriptionId: string): Promise<Date> {
  const lastRenewal = gameDay(now).renewedByHand;
  for (const periodsAgo of [3, 2, 1, 0]) {
    const createdAt = new Date(lastRenewal.getTime() - periodsAgo * 30 * DAY);
    const chargeId = `ch_demo_${periodsAgo}`;
    await tx.insert(fakePaymentCharges).values({ id: chargeId, customerRef: userId, amountCents: 2000, currency: "usd", description: "Breakwater Pro plan", idempotencyKey: `seed:renewal:${periodsAgo}`, createdAt });
    await tx.insert(invoices).values({ userId, subscriptionId, plan: "pro", amountCents: 2000, status: "paid", description: periodsAgo === 3 ? "Pro plan, 30 days (upgrade from Free)" : "Pro plan renewal, 30 days", providerChargeId: chargeId, createdAt });
  }
  return new Date(lastRenewal.getTime() + 30 * DAY);
}
