import Link from "next/link";
import { Card, PageHeading } from "@/components/ui/card";
import { formatDate } from "@/components/ui/date";
import { runbookIndex } from "@/lib/runbooks/queries";
import { loadPage } from "@/lib/web";

export const metadata = { title: "Runbooks" };
export const dynamic = "force-dynamic";

const KIND_TITLES = { runbook: "Runbooks", policy: "Policies", template: "Templates", postmortem: "Post-mortems", macro: "Support macros" } as const;

export default async function AdminRunbooksPage() {
  const { runbooks, staleAfterDays } = await loadPage(runbookIndex);
  return (
    <div className="flex flex-col gap-6">
      <PageHeading description={`Step-by-step procedures for running Breakwater. A runbook not reviewed for ${staleAfterDays} days is marked stale.`}>Runbooks</PageHeading>
      {(Object.keys(KIND_TITLES) as (keyof typeof KIND_TITLES)[]).map((kind) => {
        const list = runbooks.filter((r) => r.kind === kind);
        if (list.length === 0) return null;
        return (
          <Card key={kind} title={KIND_TITLES[kind]}>
            <ul className="divide-y divide-slate-100">
              {list.map((r) => (
                <li key={r.slug} className="py-2">
                  <Link href={`/admin/runbooks/${r.slug}`} className="font-medium text-sky-800 hover:underline">
                    {r.title}
                  </Link>
                  {r.stale ? <span className="ml-2 rounded bg-amber-100 px-1.5 text-xs font-medium text-amber-900">stale</span> : null}
                  <span className="block text-sm text-slate-600">
                    {r.summary} · owner {r.owner}
                    {r.severity !== "n/a" ? ` · ${r.severity}` : ""} · reviewed {formatDate(r.lastReviewed, "day")}
                  </span>
                </li>
              ))}
            </ul>
          </Card>
        );
      })}
    </div>
  );
}
