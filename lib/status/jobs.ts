import { runAutoKills } from "@/lib/flags/auto-kill";
import { defineJob } from "@/lib/jobs";
import { draftIncidentsForConditions, evaluateSloAlerts, recordUptimeSample } from "./monitor";
import { flushRequestOutcomes } from "./outcomes";

// Samples every component once a minute: the uptime bars and the availability SLOs read these samples.
export const uptimeCheck = defineJob({
  name: "uptime_check",
  schedule: "* * * * *",
  killSwitch: "job_uptime_check",
  dependsOn: [],
  timeBudgetMs: 20_000,
  batchSize: 1,
  maxAttempts: 1,
  run: async (ctx) => {
    await flushRequestOutcomes();
    const signals = await recordUptimeSample(ctx.db, ctx.now);
    const drafted = await draftIncidentsForConditions(ctx.db, ctx.now, signals);
    const alerts = await evaluateSloAlerts(ctx.db, ctx.now);
    // The same minute tick drives automatic kills (e.g. notifications off after the email breaker has been open 5 minutes).
    const killed = await runAutoKills(ctx.db, ctx.now);
    ctx.counts.processed += 1 + drafted.length + alerts.fired.length + alerts.resolved.length + killed.length;
  },
});
