import Link from "next/link";
import { Card, PageHeading } from "@/components/ui/card";
import { formatDate } from "@/components/ui/date";
import { readinessOverview } from "@/lib/status/queries";
import { loadPage } from "@/lib/web";
import { SignOffForm } from "./sign-off-form";

export const metadata = { title: "Readiness" };
export const dynamic = "force-dynamic";

export default async function AdminReadinessPage() {
  const { canSign, attestations: statuses, summary, policyInForce } = await loadPage(readinessOverview);
  return (
    <div className="flex flex-col gap-6">
      <PageHeading description="Operational sign-offs before general availability. Each is a person's attestation with a note, and lapses after its expiry.">Readiness</PageHeading>
      <p className="rounded-lg bg-slate-100 px-4 py-3 text-lg font-semibold" data-testid="readiness-summary">
        {summary.line}
      </p>
      {policyInForce.length > 0 ? (
        <p role="alert" className="rounded-md bg-red-50 px-4 py-3 text-sm text-red-900">
          Error-budget policy in force ({policyInForce.join(", ")}): see <Link href="/admin/slo" className="underline">SLOs</Link>.
        </p>
      ) : null}
      <div className="flex flex-col gap-4">
        {statuses.map((a) => (
          <Card key={a.key}>
            <div data-attestation={a.key} className="flex flex-col gap-1">
              <div className="flex flex-wrap items-center gap-2">
                <h2 className="text-lg font-semibold">{a.title}</h2>
                <span className={`rounded px-2 py-0.5 text-xs font-medium ${a.gating === "ga-blocking" ? "bg-red-100 text-red-900" : "bg-slate-100 text-slate-800"}`}>{a.gating}</span>
                <span className={`rounded px-2 py-0.5 text-xs font-medium ${a.status === "passed" ? "bg-emerald-100 text-emerald-900" : "bg-amber-100 text-amber-900"}`}>
                  {a.status}
                  {a.expired ? " (expired)" : ""}
                </span>
              </div>
              <p className="text-sm text-slate-700">
                {a.lastAttestedAt ? `Last attested ${formatDate(a.lastAttestedAt, "day")} by ${a.lastAttestedBy}` : "Never signed off"}
                {a.expiresAt ? ` · ${a.expired ? "expired" : "expires"} ${formatDate(a.expiresAt, "day")}` : ` · valid ${a.expiresDays} days once signed`}
                {" · "}
                <a href={a.evidenceUrl} className="underline">
                  evidence
                </a>
                {" · "}
                <Link href={`/admin/runbooks/${a.runbook}`} className="underline">
                  runbook
                </Link>
              </p>
              {a.note ? <p className="text-sm text-slate-600">“{a.note}”</p> : null}
              {canSign ? <SignOffForm attestation={a.key} title={a.title} /> : null}
            </div>
          </Card>
        ))}
      </div>
    </div>
  );
}
