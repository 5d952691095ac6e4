import "server-only";
import type { Db } from "@/lib/database";
import { reconcileAlerts, type AlertInput } from "@/lib/alerts";
import { draftIncident } from "./monitor";
import type { JobFreshness, StoreOutage } from "./sources";

/**
 * Conditions nobody would otherwise hear about, raised and resolved through
 * lib/alerts: a job that missed its window (also drafting an incident), a
 * job that never ran, a breaker whose shared state cannot be reached. The
 * uptime check calls these every minute, and readiness does too (at most
 * once a minute per instance), so a dead cron, the uptime check's own
 * included, is still noticed by whatever polls readiness.
 */
export async function noticeJobHealth(db: Db, jobs: readonly JobFreshness[], now: Date, by: { type: "cron" | "system"; id: string }): Promise<void> {
  const current: AlertInput[] = [];
  for (const job of jobs) {
    if (job.missed) {
      current.push({
        dedupKey: `job_missed:${job.name}`,
        source: "jobs",
        severity: "page",
        title: `Job ${job.name} missed its schedule`,
        detail: job.lastSuccessAt ? `No successful run since ${job.lastSuccessAt.toISOString()}.` : "No successful run yet.",
        runbook: job.runbook,
      });
      await draftIncident(db, {
        key: `job_missed:${job.name}`,
        component: "jobs",
        title: `Background job ${job.name} is late`,
        runbook: job.runbook,
        impact: "minor",
        since: job.lastSuccessAt ?? now,
        by,
      });
    } else if (job.neverRan) {
      current.push({
        dedupKey: `job_unknown:${job.name}`,
        source: "jobs",
        severity: "info",
        title: `Job ${job.name} has never run`,
        detail: "Nothing shows it works yet: check that its cron is deployed (vercel.json) and CRON_SECRET is set.",
        runbook: job.runbook,
      });
    }
  }
  await reconcileAlerts(db, "jobs", current, now);
}

export async function noticeBreakerStores(db: Db, outages: readonly StoreOutage[], now: Date): Promise<void> {
  const current: AlertInput[] = outages.map((o) => ({
    dedupKey: `breaker_store_down:${o.name}`,
    source: "breakers",
    severity: o.refusesCalls ? "page" : "ticket",
    title: o.refusesCalls ? `${o.name} refused: its breaker's shared state is unreachable` : `The ${o.name} breaker's shared state is unreachable`,
    detail: o.refusesCalls ? "This breaker fails closed without its store: every call is refused until the store answers." : "This breaker fails open: it judges by this instance's own counts until the store answers.",
    runbook: o.runbook,
  }));
  await reconcileAlerts(db, "breakers", current, now);
}
