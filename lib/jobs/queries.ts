import "server-only";
import { z } from "zod";
import { hasPermission } from "@/lib/auth";
import { defineQuery } from "@/lib/procedures";
import { loadRunbooks, runbookFor } from "@/lib/runbooks";
import { jobHealth, recentRuns, type RunTrigger } from "./server";

/** How /admin/jobs names what started a run. */
const TRIGGER_LABELS: Record<RunTrigger, string> = { cron: "cron", local_scheduler: "local scheduler", manual: "manual", test: "test" };
const triggerLabel = (trigger: string) => TRIGGER_LABELS[trigger as RunTrigger] ?? trigger;

/** The jobs page: each job's dead-man's switch, the latest runs of all of them, and what runs them on schedule. */
export const jobsOverview = defineQuery({
  name: "jobs.overview",
  permission: "admin:read",
  input: z.object({}),
  handler: async ({ user }) => {
    const [health, runs, runbooks] = await Promise.all([jobHealth(), recentRuns(50), loadRunbooks()]);
    return {
      canRun: hasPermission(user.role, "admin:write"),
      jobs: health.map((h) => {
        const runbook = runbookFor(runbooks, "jobs", h.name);
        return { ...h, runbook: runbook && { slug: runbook.slug, title: runbook.title } };
      }),
      runs: runs.map((r) => ({ ...r, triggerLabel: triggerLabel(r.trigger), durationMs: r.finishedAt ? r.finishedAt.getTime() - r.startedAt.getTime() : null })),
      // The most recent run a schedule started: Vercel cron in production, the local scheduler under `npm run dev`.
      lastScheduled: (() => {
        const run = runs.find((r) => r.trigger === "cron" || r.trigger === "local_scheduler");
        return run ? { by: triggerLabel(run.trigger), at: run.startedAt } : null;
      })(),
    };
  },
});
