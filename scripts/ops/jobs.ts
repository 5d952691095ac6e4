import fs from "node:fs";
import path from "node:path";
import { runJobNow } from "@/lib/jobs/actions";
import { findJob, jobHealth, JOBS, recentRuns } from "@/lib/jobs/server";
import { systemContext } from "@/lib/safety";
import type { OpsCommand } from "./command";

// `jobs list` · `jobs runs [job]` · `jobs run <job>` · `jobs vercel` (rewrite vercel.json crons from the registry)
export const jobsCommand: OpsCommand = {
  summary: "list jobs and their dead-man's-switch status, show runs, run one now, or regenerate vercel.json crons",
  verbs: ["list", "runs", "run", "vercel"],
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
      if (!findJob(name)) {
        console.error(`Unknown job "${name}"`);
        return 2;
      }
      // The same guarded action as "Run now" on /admin/jobs, audited as cli:ops.
      const result = await runJobNow.run({ job: name }, systemContext("cli:ops"));
      if (!result.ok) {
        console.error(`Refused (${result.code}): ${result.message}`);
        return 1;
      }
      console.log(JSON.stringify(result.data, null, 2));
      return result.data.status === "failed" ? 1 : 0;
    }
    if (verb === "vercel") {
      const file = path.join(process.cwd(), "vercel.json");
      const current = fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, unknown>) : {};
      const crons = JOBS.map((j) => ({ path: `/api/cron/${j.name}`, schedule: j.schedule }));
      fs.writeFileSync(file, `${JSON.stringify({ ...current, crons }, null, 2)}\n`);
      console.log(`vercel.json: ${crons.length} crons`);
      return 0;
    }
    console.error("Usage: jobs list | jobs runs [job] | jobs run <job> | jobs vercel");
    return 2;
  },
};
