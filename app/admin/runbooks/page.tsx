import Link from "next/link";
import { AccessDenied, Card, PageHeading } from "@/components/ui/card";
import { userWithPermission } from "@/lib/auth";
import { isStale, loadRunbooks, STALE_AFTER_DAYS } from "@/lib/runbooks";

export const metadata = { title: "Runbooks" };
export const dynamic = "force-dynamic";

const KIND_TITLES = { runbook: "Runbooks", policy: "Policies", template: "Templates", postmortem: "Post-mortems", macro: "Support macros" } as const;

export default async function AdminRunbooksPage() {
  if (!(await userWithPermission("admin:read"))) return <AccessDenied />;
  const runbooks = await loadRunbooks();
  const now = new Date();
  return (
    <div className="flex flex-col gap-6">
      <PageHeading description={`From runbooks/*.md. A runbook not reviewed for ${STALE_AFTER_DAYS} days is marked stale.`}>Runbooks</PageHeading>
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
                  {isStale(r, now) ? <span className="ml-2 rounded bg-amber-100 px-1.5 text-xs font-medium text-amber-900">stale</span> : null}
                  <span className="block text-sm text-slate-600">
                    {r.summary} · owner {r.owner}
                    {r.severity !== "n/a" ? ` · ${r.severity}` : ""} · reviewed {r.last_reviewed.toISOString().slice(0, 10)}
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
