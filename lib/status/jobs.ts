import { runAutoKills, runHealthyReenables, runRolloutReverts, runScheduledReenables } from "@/lib/flags/actions";
import { probeProvider } from "@/lib/breakers";
import { DECLARED_JOBS, defineJob } from "@/lib/jobs";
import { draftIncidentsForConditions, evaluateSloAlerts, recordUptimeSample } from "./monitor";
import { flushRequestOutcomes } from "./outcomes";
import { actionOutcomes } from "./sources";
import { noticeBreakerStores, noticeJobHealth } from "./watch";
import { probeReadiness } from "./probe";

// Samples every component once a minute: the uptime bars and the availability SLOs read these samples.
// INCIDENT: the status page's bars or the SLO figures stop moving.
// FAILURE MODE: a missed minute is a gap in the samples; SLO alerts, incident drafts, automatic kills and scheduled turn-back-ons are not evaluated that minute.
// SAFE TO RETRY: yes; each run samples the present.
// OPERATOR ACTION: runbook cron-backlog.
export const uptimeCheck = defineJob("uptime_check", {
  timeBudgetMs: 20_000,
  batchSize: 1,
  maxAttempts: 1,
  run: async (ctx) => {
    await flushRequestOutcomes();
    const signals = await recordUptimeSample(ctx.db, ctx.now, DECLARED_JOBS);
    const drafted = await draftIncidentsForConditions(ctx.db, ctx.now, signals);
    // Missed jobs and unreachable breaker stores: alerts (and a draft incident for a missed job).
    await noticeJobHealth(ctx.db, signals.jobs ?? [], ctx.now, { type: "cron", id: "uptime_check" });
    await noticeBreakerStores(ctx.db, signals.storeOutages ?? [], ctx.now);
    const alerts = await evaluateSloAlerts(ctx.db, ctx.now);
    // The same minute tick drives automatic kills (notifications off after the email breaker has been open 5 minutes, billing
    // paused when plan changes fail on our side), turns back on what a healthy provider allows, and records the switches whose
    // scheduled turn-back-on time has come, as this job.
    const bound = { actionOutcomes: (action: string, from: Date, to: Date) => actionOutcomes(ctx.db, action, from, to), probe: probeProvider };
    const killed = await runAutoKills(ctx.db, ctx.request, ctx.now, bound);
    const reenabled = [...(await runHealthyReenables(ctx.db, ctx.request, ctx.now, bound)), ...(await runScheduledReenables(ctx.db, ctx.request, ctx.now))];
    // And phased rollouts whose flagged cohort fails go back a phase.
    const reverted = await runRolloutReverts(ctx.db, ctx.now);
    ctx.counts.processed += 1 + drafted.length + alerts.fired.length + alerts.resolved.length + killed.length + reenabled.length + reverted.length;
  },
});

// The outside view of uptime: the public readiness URL, fetched the way an external checker would.
// INCIDENT: the outside view of uptime records failures.
// FAILURE MODE: a failed fetch of the public readiness URL is recorded as a failed sample: the app is unreachable from outside.
// SAFE TO RETRY: yes; it only reads.
// OPERATOR ACTION: runbook incident-response.
export const uptimeProbe = defineJob("uptime_probe", {
  timeBudgetMs: 15_000,
  batchSize: 1,
  maxAttempts: 1,
  run: async (ctx) => {
    const probe = await probeReadiness(ctx.db, ctx.now);
    if (probe.ok) ctx.counts.processed += 1;
    else ctx.counts.failed += 1;
  },
});
