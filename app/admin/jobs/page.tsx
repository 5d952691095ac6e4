import { AccessDenied, Card, PageHeading } from "@/components/ui/card";
import { hasPermission, userWithPermission } from "@/lib/auth";
import { jobHealth, recentRuns, type JobHealth } from "@/lib/jobs/server";
import { RunbookLink } from "@/components/runbooks/runbook-link";
import { loadRunbooks, runbookFor } from "@/lib/runbooks";
import { RunNowForm } from "./run-now-form";

export const metadata = { title: "Jobs" };
export const dynamic = "force-dynamic";

const STATUS: Record<JobHealth["status"], { label: string; className: string }> = {
  ok: { label: "OK", className: "bg-emerald-50 text-emerald-800" },
  missed: { label: "Missed", className: "bg-red-50 text-red-800" },
  timed_out: { label: "Timed out", className: "bg-red-50 text-red-800" },
  never_run: { label: "Never run", className: "bg-amber-50 text-amber-800" },
};

function hours(ms: number) {
  return ms >= 3_600_000 ? `${Math.round(ms / 3_600_000)} h` : `${Math.round(ms / 60_000)} min`;
}

export default async function JobsPage() {
  const user = await userWithPermission("admin:read");
  if (!user) return <AccessDenied />;
  const canRun = hasPermission(user.role, "admin:write");
  const [health, runs, runbooks] = await Promise.all([jobHealth(), recentRuns(50), loadRunbooks()]);
  return (
    <div className="flex flex-col gap-6">
      <PageHeading description="Cron jobs, their dead-man's switch and recent runs. Missed: no successful run within the expected interval × 1.5.">Jobs</PageHeading>
      <Card title="Jobs">
        <table className="w-full text-left text-sm">
          <thead className="text-slate-500">
            <tr>
              <th scope="col">Job</th>
              <th scope="col">Schedule (UTC)</th>
              <th scope="col">Status</th>
              <th scope="col">Last success</th>
              <th scope="col">Last run</th>
              {canRun ? <th scope="col">Action</th> : null}
            </tr>
          </thead>
          <tbody>
            {health.map((h) => (
              <tr key={h.name} className="border-t border-slate-100" data-testid={`job-${h.name}`}>
                <td className="py-2 font-medium">
                  {h.name}
                  <RunbookLink runbook={runbookFor(runbooks, "jobs", h.name)} />
                </td>
                <td>
                  <code>{h.schedule}</code> <span className="text-slate-500">(every {hours(h.expectedIntervalMs)})</span>
                </td>
                <td>
                  <span className={`rounded px-2 py-0.5 ${STATUS[h.status].className}`}>{STATUS[h.status].label}</span>
                </td>
                <td>{h.lastSuccessAt?.toISOString() ?? "never"}</td>
                <td>{h.lastRun ? `${h.lastRun.status}${h.lastRun.error ? `: ${h.lastRun.error}` : ""}` : "–"}</td>
                {canRun ? (
                  <td>
                    <RunNowForm job={h.name} />
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      </Card>
      <Card title="Recent runs">
        {runs.length === 0 ? (
          <p className="text-sm text-slate-600">No runs yet.</p>
        ) : (
          <table className="w-full text-left text-sm">
            <thead className="text-slate-500">
              <tr>
                <th scope="col">Started</th>
                <th scope="col">Job</th>
                <th scope="col">Trigger</th>
                <th scope="col">Status</th>
                <th scope="col">Processed / failed / skipped</th>
                <th scope="col">Duration</th>
                <th scope="col">Error</th>
              </tr>
            </thead>
            <tbody>
              {runs.map((r) => (
                <tr key={r.id} className="border-t border-slate-100">
                  <td className="py-1">{r.startedAt.toISOString()}</td>
                  <td>{r.job}</td>
                  <td>{r.trigger}</td>
                  <td>{r.status}</td>
                  <td>
                    {r.processed} / {r.failed} / {r.skipped}
                  </td>
                  <td>{r.finishedAt ? `${r.finishedAt.getTime() - r.startedAt.getTime()} ms` : "–"}</td>
                  <td className="text-slate-600">{r.error ?? ""}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Card>
    </div>
  );
}
