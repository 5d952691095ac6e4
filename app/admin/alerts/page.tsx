import { RunbookLink } from "@/components/runbooks/runbook-link";
import { Card, PageHeading } from "@/components/ui/card";
import { DataTable } from "@/components/ui/data-table";
import { DateTime } from "@/components/ui/date";
import { alertsOverview } from "@/lib/alerts/queries";
import { loadPage } from "@/lib/web";
import { TestAlertForm } from "./test-alert-form";

export const metadata = { title: "Alerts" };
export const dynamic = "force-dynamic";

const SEVERITY: Record<string, string> = { page: "Page", ticket: "Ticket", info: "Info" };
const DELIVERY: Record<string, string> = { sent: "sent", pending: "waiting to retry", failed: "failed", cancelled: "not sent: cleared first" };

export default async function AlertsPage() {
  const { paging, canSendTest, alerts } = await loadPage(alertsOverview);
  const open = alerts.filter((a) => a.status === "open");
  const resolved = alerts.filter((a) => a.status !== "open");
  const table = (rows: typeof alerts, label: string, empty: string) => (
    <DataTable
      label={label}
      rows={rows}
      rowKey={(a) => a.id}
      empty={empty}
      columns={[
        { key: "severity", header: "Severity", cell: (a) => SEVERITY[a.severity] ?? a.severity },
        {
          key: "alert",
          header: "Alert",
          cell: (a) => (
            <>
              <span className="font-medium">{a.title}</span>
              <RunbookLink runbook={a.runbook} />
              {a.detail ? <span className="block whitespace-pre-line text-slate-600">{a.detail}</span> : null}
              <span className="block text-xs text-slate-500">
                {a.dedupKey} · seen {a.occurrences} time{a.occurrences === 1 ? "" : "s"}
              </span>
            </>
          ),
        },
        {
          key: "when",
          header: "Raised",
          className: "whitespace-nowrap",
          cell: (a) => (
            <>
              <DateTime value={a.raisedAt} precision="second" />
              {a.resolvedAt ? (
                <span className="block text-slate-500">
                  resolved <DateTime value={a.resolvedAt} precision="second" />
                </span>
              ) : null}
            </>
          ),
        },
        {
          key: "delivery",
          header: "Delivery",
          cell: (a) =>
            a.deliveries.length === 0 ? (
              <span className="text-slate-600">{a.routedTo.length === 0 ? "no destination for this severity" : `to ${a.routedTo.join(", ")}: not yet`}</span>
            ) : (
              <ul className="flex flex-col gap-1">
                {a.deliveries.map((d) => (
                  <li key={d.id}>
                    {d.destination} {d.event}: {DELIVERY[d.status] ?? d.status}
                    {d.sentAt ? (
                      <>
                        {" "}
                        <DateTime value={d.sentAt} precision="second" />
                      </>
                    ) : null}
                    {d.attempts > 1 || d.lastError ? <span className="block text-xs text-slate-500">{`${d.attempts} attempt${d.attempts === 1 ? "" : "s"}${d.lastError ? `: ${d.lastError}` : ""}`}</span> : null}
                  </li>
                ))}
              </ul>
            ),
        },
      ]}
    />
  );
  return (
    <div className="flex flex-col gap-6">
      <PageHeading description="Conditions a person should hear about, and whether they did. Checked and delivered every minute by the alert_delivery job.">Alerts</PageHeading>
      <Card title="Who is told">
        <p role={paging.nobodyPaged ? "alert" : undefined} className={`mb-3 rounded-md px-3 py-2 text-sm ${paging.nobodyPaged ? "bg-amber-50 text-amber-900" : "bg-emerald-50 text-emerald-900"}`}>
          {paging.sentence}
        </p>
        <p className="mb-3 text-sm text-slate-600">Pages go to the pager, Slack and email; tickets to Slack and email; info to Slack.</p>
        {canSendTest ? <TestAlertForm /> : null}
      </Card>
      <Card title="Open">{table(open, "Open alerts", "Nothing is open.")}</Card>
      <Card title="Resolved in the last 7 days">{table(resolved, "Resolved alerts", "Nothing resolved recently.")}</Card>
    </div>
  );
}
