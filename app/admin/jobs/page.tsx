import { RunbookLink } from "@/components/runbooks/runbook-link";
import { Badge } from "@/components/ui/badge";
import { Card, PageHeading } from "@/components/ui/card";
import { DataTable } from "@/components/ui/data-table";
import { DateTime } from "@/components/ui/date";
import type { JobHealth } from "@/lib/jobs";
import { jobsOverview } from "@/lib/jobs/queries";
import { loadPage } from "@/lib/web";
import { RunNowForm } from "./run-now-form";

export const metadata = { title: "Jobs" };
export const dynamic = "force-dynamic";

const STATUS: Record<JobHealth["status"], { label: string; tone: "success" | "danger" | "warning" }> = {
  ok: { label: "OK", tone: "success" },
  missed: { label: "Missed", tone: "danger" },
  timed_out: { label: "Timed out", tone: "danger" },
  unknown: { label: "Unknown: never ran", tone: "warning" },
};

function hours(ms: number) {
  return ms >= 3_600_000 ? `${Math.round(ms / 3_600_000)} h` : `${Math.round(ms / 60_000)} min`;
}

export default async function JobsPage() {
  const { canRun, jobs, runs, lastScheduled } = await loadPage(jobsOverview);
  return (
    <div className="flex flex-col gap-6">
      <PageHeading description="Cron jobs, their dead-man's switch and recent runs. Missed: no successful run within the expected interval × 1.5.">Jobs</PageHeading>
      <p className="text-sm text-slate-600" data-testid="scheduled-by">
        {lastScheduled ? (
          <>
            Runs on schedule by <span className="font-medium">{lastScheduled.by}</span>; the last one started <DateTime value={lastScheduled.at} precision="second" />.
          </>
        ) : (
          "No scheduled run yet. In production Vercel cron calls each job's route on its schedule; `npm run dev` starts a local scheduler that does the same."
        )}
      </p>
      <Card title="Jobs">
        <DataTable
          label="Jobs"
          rows={jobs}
          rowKey={(h) => h.name}
          empty="No jobs are registered."
          columns={[
            {
              key: "job",
              header: "Job",
              className: "font-medium",
              cell: (h) => (
                <>
                  {h.name}
                  <RunbookLink runbook={h.runbook} />
                </>
              ),
            },
            {
              key: "schedule",
              header: "Schedule (UTC)",
              cell: (h) => (
                <>
                  <code>{h.schedule}</code> <span className="text-slate-500">(every {hours(h.expectedIntervalMs)})</span>
                </>
              ),
            },
            { key: "status", header: "Status", sortValue: (h) => STATUS[h.status].label, cell: (h) => <Badge tone={STATUS[h.status].tone}>{STATUS[h.status].label}</Badge> },
            { key: "success", header: "Last success", cell: (h) => (h.lastSuccessAt ? <DateTime value={h.lastSuccessAt} precision="second" /> : "never") },
            { key: "last", header: "Last run", cell: (h) => (h.lastRun ? `${h.lastRun.status}${h.lastRun.error ? `: ${h.lastRun.error}` : ""}` : "–") },
            ...(canRun ? [{ key: "action", header: "Action", cell: (h: (typeof jobs)[number]) => <RunNowForm job={h.name} /> }] : []),
          ]}
        />
      </Card>
      <Card title="Recent runs">
        <DataTable
          label="Recent runs"
          rows={runs}
          rowKey={(r) => r.id}
          empty="No runs yet."
          columns={[
            { key: "started", header: "Started", cell: (r) => <DateTime value={r.startedAt} precision="second" /> },
            { key: "job", header: "Job", cell: (r) => r.job },
            { key: "trigger", header: "Trigger", cell: (r) => r.triggerLabel },
            { key: "status", header: "Status", cell: (r) => r.status },
            { key: "counts", header: "Processed / failed / skipped", cell: (r) => `${r.processed} / ${r.failed} / ${r.skipped}` },
            { key: "duration", header: "Duration", cell: (r) => (r.durationMs === null ? "–" : `${r.durationMs} ms`) },
            { key: "error", header: "Error", className: "text-slate-600", cell: (r) => r.error ?? "" },
          ]}
        />
      </Card>
    </div>
  );
}
