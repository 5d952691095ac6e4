import fs from "node:fs";
import path from "node:path";
import { findJob, jobHealth, loadJobs, recentRuns, runJob } from "@/lib/jobs/server";
import type { OpsCommand } from "./registry";

// `jobs list` · `jobs runs [job]` · `jobs run <job>` · `jobs vercel` (rewrite vercel.json crons from the registry)
export const jobsCommand: OpsCommand = {
  summary: "list jobs and their dead-man's-switch status, show runs, run one now, or regenerate vercel.json crons",
  async run([verb, name]) {
    if (verb === "list") {
      for (const h of await jobHealth()) {
        console.log(`${h.name.padEnd(24)} ${h.schedule.padEnd(14)} ${h.status.padEnd(10)} last success: ${h.lastSuccessAt?.toISOString() ?? "never"}`);
      }
      return 0;
    }
    if (verb === "runs") {
      for (const r of await recentRuns(20, name)) {
        console.log(`${r.startedAt.toISOString()} ${r.job.padEnd(24)} ${r.status.padEnd(9)} p=${r.processed} f=${r.failed} s=${r.skipped} ${r.error ?? ""}`);
      }
      return 0;
    }
    if (verb === "run" && name) {
      const job = await findJob(name);
      if (!job) {
        console.error(`Unknown job "${name}"`);
        return 2;
      }
      const run = await runJob(job, { trigger: "manual" });
      console.log(JSON.stringify(run, null, 2));
      return run.status === "failed" ? 1 : 0;
    }
    if (verb === "vercel") {
      const file = path.join(process.cwd(), "vercel.json");
      const current = fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, unknown>) : {};
      const crons = (await loadJobs()).map((j) => ({ path: `/api/cron/${j.name}`, schedule: j.schedule }));
      fs.writeFileSync(file, `${JSON.stringify({ ...current, crons }, null, 2)}\n`);
      console.log(`vercel.json: ${crons.length} crons`);
      return 0;
    }
    console.error("Usage: jobs list | jobs runs [job] | jobs run <job> | jobs vercel");
    return 2;
  },
};
