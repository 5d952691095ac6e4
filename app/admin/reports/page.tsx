import Link from "next/link";
import { Card, PageHeading } from "@/components/ui/card";
import { DataTable } from "@/components/ui/data-table";
import { DateTime } from "@/components/ui/date";
import { problemReportInbox } from "@/lib/reports/queries";
import { loadPage } from "@/lib/web";

export const metadata = { title: "Problem reports" };
export const dynamic = "force-dynamic";

const STATUS_STYLE = { new: "bg-amber-100 text-amber-900", triaged: "bg-sky-100 text-sky-900", resolved: "bg-emerald-100 text-emerald-900" } as const;

export default async function AdminReportsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { filters, reports } = await loadPage(problemReportInbox, await searchParams);
  return (
    <div>
      <PageHeading description="Problems people reported, with the context their browser and our server attached.">Problem reports</PageHeading>
      <Card>
        <form method="get" className="mb-4 flex flex-wrap items-end gap-3 text-sm" aria-label="Filter reports">
          <label className="flex flex-col gap-1">
            <span className="font-medium text-slate-700">Status</span>
            <select name="status" defaultValue={filters.status ?? ""} className="rounded-md border border-slate-300 px-2 py-1.5">
              <option value="">Any</option>
              <option value="new">New</option>
              <option value="triaged">Triaged</option>
              <option value="resolved">Resolved</option>
            </select>
          </label>
          <label className="flex flex-col gap-1">
            <span className="font-medium text-slate-700">From</span>
            <select name="from" defaultValue={filters.from ?? "all"} className="rounded-md border border-slate-300 px-2 py-1.5">
              <option value="all">Anyone</option>
              <option value="users">Signed-in users</option>
              <option value="signed_out">Signed-out visitors</option>
              <option value="staff">Staff (support sessions)</option>
            </select>
          </label>
          <label className="flex flex-col gap-1">
            <span className="font-medium text-slate-700">Search</span>
            <input name="q" type="search" defaultValue={filters.q ?? ""} placeholder="Reference, email or text" className="rounded-md border border-slate-300 px-2 py-1.5" />
          </label>
          <button type="submit" className="rounded-md bg-sky-700 px-3 py-1.5 font-medium text-white hover:bg-sky-800">
            Filter
          </button>
        </form>
        <DataTable
          label="Problem reports"
          rows={reports}
          rowKey={(r) => r.id}
          empty="No reports match."
          columns={[
            {
              key: "reference",
              header: "Reference",
              className: "font-mono",
              cell: (r) => (
                <Link href={`/admin/reports/${r.id}`} className="text-sky-800 underline">
                  {r.reference}
                </Link>
              ),
            },
            { key: "status", header: "Status", cell: (r) => <span className={`rounded px-2 py-0.5 text-xs font-medium ${STATUS_STYLE[r.status]}`}>{r.status}</span> },
            { key: "received", header: "Received", className: "whitespace-nowrap", cell: (r) => <DateTime value={r.createdAt} /> },
            { key: "from", header: "From", cell: (r) => r.from },
            // User text is rendered as text: React escapes it, and it is never passed as HTML.
            { key: "description", header: "Description", className: "max-w-xs truncate", cell: (r) => r.excerpt },
          ]}
        />
      </Card>
    </div>
  );
}
