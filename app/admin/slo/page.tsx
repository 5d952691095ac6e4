import Link from "next/link";
import { Card, PageHeading } from "@/components/ui/card";
import { DataTable } from "@/components/ui/data-table";
import { DateTime } from "@/components/ui/date";
import { sloOverview } from "@/lib/status/queries";
import { loadPage } from "@/lib/web";

export const metadata = { title: "SLOs" };
export const dynamic = "force-dynamic";

// Before any request is measured there is nothing to report: say so in words, not "no data".
const pct = (v: number | null, digits = 3) => (v === null ? "Not measured yet" : `${(v * 100).toFixed(digits)} %`);
const burn = (v: number) => (Number.isFinite(v) ? `${v.toFixed(2)}×` : "∞");

export default async function AdminSloPage() {
  const { reports, policyInForce, alerts } = await loadPage(sloOverview);
  return (
    <div className="flex flex-col gap-6">
      <PageHeading description="How reliable each part of Breakwater has been over 30 days, and how much error budget is left. An alert fires when the budget burns 14.4 times too fast (over 1 hour and over 5 minutes) or 6 times (over 6 hours and over 30 minutes).">Service level objectives</PageHeading>
      {policyInForce.length > 0 ? (
        <p role="alert" className="rounded-md bg-red-50 px-4 py-3 text-sm text-red-900">
          Error-budget policy in force for {policyInForce.join(", ")}: feature releases stop: widening a flag in production needs an explicit, audited override (enforced from the minute the alert job sees it).{" "}
          <Link href="/admin/runbooks/error-budget-policy" className="underline">Read the policy</Link>
        </p>
      ) : (
        <p className="text-sm text-slate-600">
          Every error budget has room left; the <Link href="/admin/runbooks/error-budget-policy" className="underline">error-budget policy</Link> is not in force.
        </p>
      )}
      <Card>
        <DataTable
          label="Service level objectives"
          rows={reports}
          rowKey={(r) => r.slo.id}
          empty="No objectives are declared."
          columns={[
            {
              key: "slo",
              header: "SLO",
              cell: ({ slo, notMeasured }) => (
                <span data-slo={slo.id}>
                  <span className="font-medium">{slo.title}</span>
                  <span className="block text-xs text-slate-500">{slo.description}</span>
                  {notMeasured ? <span className="block text-xs text-amber-800">{notMeasured}</span> : null}
                </span>
              ),
            },
            { key: "objective", header: "Objective", cell: ({ slo }) => pct(slo.objective, 1) },
            { key: "compliance", header: "Compliance (30 d)", cell: ({ budget, notMeasured }) => (notMeasured ? "not measured in development" : pct(budget.compliance)) },
            {
              key: "budget",
              header: "Budget left",
              cell: ({ budget, notMeasured }) => (
                <span className={budget.exhausted ? "font-semibold text-red-800" : ""}>
                  {notMeasured ? "–" : budget.total === 0 ? "Not measured yet" : Number.isFinite(budget.budgetRemaining) ? pct(budget.budgetRemaining, 1) : "exhausted"}
                </span>
              ),
            },
            { key: "burn", header: "Burn 1 h", cell: ({ budget, notMeasured }) => (notMeasured ? "–" : burn(budget.burnRate1h)) },
            {
              key: "alerts",
              header: "Alerts",
              cell: ({ alerts: evals, notMeasured }) =>
                notMeasured ? "–" : evals.map((a) => (
                  <span key={a.severity} className={`mr-2 inline-block rounded px-1.5 text-xs ${a.firing ? "bg-red-100 text-red-900" : "bg-slate-100 text-slate-700"}`}>
                    {a.severity} {a.firing ? "firing" : "ok"} ({burn(a.longBurn)} / {burn(a.shortBurn)})
                  </span>
                )),
            },
          ]}
        />
      </Card>
      <Card title="Recorded alerts">
        {alerts.length === 0 ? (
          <p className="text-sm text-slate-600">No burn-rate alert has fired.</p>
        ) : (
          <ul className="text-sm">
            {alerts.map((a) => (
              <li key={a.id}>
                <DateTime value={a.firedAt} /> · {a.slo} · {a.severity} at {burn(a.burnRate)} ·{" "}
                {a.resolvedAt ? (
                  <>
                    cleared <DateTime value={a.resolvedAt} />
                  </>
                ) : (
                  "open"
                )}
              </li>
            ))}
          </ul>
        )}
      </Card>
    </div>
  );
}
