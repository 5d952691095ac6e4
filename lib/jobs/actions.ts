import { z } from "zod";
import { ActionFailure, defineAction } from "@/lib/procedures";
import { findJob } from "./registry";
import { runJob } from "./runner";

// "Run now" from /admin/jobs or the ops CLI. The run does its own transactions, so it happens in `prepare`; the audit event records its outcome.
export const runJobNow = defineAction({
  name: "jobs.run_now",
  permission: ["admin:write", "system"],
  rateLimit: { policy: "admin", by: "user" },
  input: z.object({ job: z.string().regex(/^[a-z][a-z0-9_]*$/, "Unknown job.") }),
  prepare: async ({ input }) => {
    const job = findJob(input.job);
    if (!job) throw new ActionFailure("not_found", "There is no job with that name.");
    const run = await runJob(job, { trigger: "manual" });
    return { runId: run.id, status: run.status, processed: run.processed, failed: run.failed, skipped: run.skipped, error: run.error };
  },
  handler: async ({ input, prepared }) => ({ job: input.job, ...prepared }),
  audit: {
    action: "job.run_now",
    target: ({ input }) => ({ type: "job", id: input.job }),
    metadata: ({ data }) => ({ runId: data?.runId, status: data?.status, processed: data?.processed, failed: data?.failed, skipped: data?.skipped }),
  },
});
