import Link from "next/link";
import { AccessDenied, Card, PageHeading } from "@/components/ui/card";
import { getDb } from "@/db/client";
import { userWithPermission } from "@/lib/auth";
import { recentAlerts, sloReport } from "@/lib/status";

export const metadata = { title: "SLOs" };
export const dynamic = "force-dynamic";

const pct = (v: number | null, digits = 3) => (v === null ? "no data" : `${(v * 100).toFixed(digits)} %`);
const burn = (v: number) => (Number.isFinite(v) ? `${v.toFixed(2)}×` : "∞");

export default async function AdminSloPage() {
  if (!(await userWithPermission("admin:read"))) return <AccessDenied />;
  const db = await getDb();
  const [{ reports, policyInForce }, alerts] = await Promise.all([sloReport(db), recentAlerts(db)]);
  return (
    <div className="flex flex-col gap-6">
      <PageHeading description="Objectives declared in lib/status/slos.ts; alerts fire at 14.4× (1 h and 5 min windows) and 6× (6 h and 30 min).">Service level objectives</PageHeading>
      {policyInForce.length > 0 ? (
        <p role="alert" className="rounded-md bg-red-50 px-4 py-3 text-sm text-red-900">
          Error-budget policy in force for {policyInForce.join(", ")}: feature releases for the affected components stop.{" "}
          <Link href="/admin/runbooks/error-budget-policy" className="underline">Read the policy</Link>
        </p>
      ) : (
        <p className="text-sm text-slate-600">
          Every error budget has room left; the <Link href="/admin/runbooks/error-budget-policy" className="underline">error-budget policy</Link> is not in force.
        </p>
      )}
      <Card>
        <table className="w-full text-left text-sm">
          <thead className="text-slate-500">
            <tr>
              <th className="py-2">SLO</th>
              <th>Objective</th>
              <th>Compliance (30 d)</th>
              <th>Budget left</th>
              <th>Burn 1 h</th>
              <th>Alerts</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {reports.map(({ slo, budget, alerts: evals }) => (
              <tr key={slo.id} data-slo={slo.id}>
                <td className="py-2">
                  <span className="font-medium">{slo.title}</span>
                  <span className="block text-xs text-slate-500">{slo.description}</span>
                </td>
                <td>{pct(slo.objective, 1)}</td>
                <td>{pct(budget.compliance)}</td>
                <td className={budget.exhausted ? "font-semibold text-red-800" : ""}>{budget.total === 0 ? "no data" : Number.isFinite(budget.budgetRemaining) ? pct(budget.budgetRemaining, 1) : "exhausted"}</td>
                <td>{burn(budget.burnRate1h)}</td>
                <td>
                  {evals.map((a) => (
                    <span key={a.severity} className={`mr-2 inline-block rounded px-1.5 text-xs ${a.firing ? "bg-red-100 text-red-900" : "bg-slate-100 text-slate-700"}`}>
                      {a.severity} {a.firing ? "firing" : "ok"} ({burn(a.longBurn)} / {burn(a.shortBurn)})
                    </span>
                  ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </Card>
      <Card title="Recorded alerts">
        {alerts.length === 0 ? (
          <p className="text-sm text-slate-600">No burn-rate alert has fired.</p>
        ) : (
          <ul className="text-sm">
            {alerts.map((a) => (
              <li key={a.id}>
                {a.firedAt.toISOString().slice(0, 16).replace("T", " ")} UTC · {a.slo} · {a.severity} at {burn(a.burnRate)} · {a.resolvedAt ? `cleared ${a.resolvedAt.toISOString().slice(0, 16).replace("T", " ")}` : "open"}
              </li>
            ))}
          </ul>
        )}
      </Card>
    </div>
  );
}
