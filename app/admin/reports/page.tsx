import Link from "next/link";
import { AccessDenied, Card, PageHeading } from "@/components/ui/card";
import { userWithPermission } from "@/lib/auth";
import { listReports, reportFiltersSchema } from "@/lib/reports/queries";

export const metadata = { title: "Problem reports" };
export const dynamic = "force-dynamic";

const STATUS_STYLE = { new: "bg-amber-100 text-amber-900", triaged: "bg-sky-100 text-sky-900", resolved: "bg-emerald-100 text-emerald-900" } as const;

export default async function AdminReportsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const staff = await userWithPermission("admin:read");
  if (!staff) return <AccessDenied />;
  const raw = await searchParams;
  const filters = reportFiltersSchema.parse({ status: raw.status || undefined, q: raw.q || undefined, from: raw.from || undefined });
  const reports = await listReports(filters);
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
        {reports.length === 0 ? (
          <p className="text-sm text-slate-600">No reports match.</p>
        ) : (
          <table className="w-full text-left text-sm">
            <thead className="text-slate-500">
              <tr>
                <th className="py-2">Reference</th>
                <th>Status</th>
                <th>Received</th>
                <th>From</th>
                <th>Description</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {reports.map((r) => (
                <tr key={r.id} className="align-top">
                  <td className="py-2 font-mono">
                    <Link href={`/admin/reports/${r.id}`} className="text-sky-800 underline">
                      {r.reference}
                    </Link>
                  </td>
                  <td>
                    <span className={`rounded px-2 py-0.5 text-xs font-medium ${STATUS_STYLE[r.status]}`}>{r.status}</span>
                  </td>
                  <td className="whitespace-nowrap">{r.createdAt.toISOString().replace("T", " ").slice(0, 16)} UTC</td>
                  <td>{r.fromStaff ? "staff" : (r.contactEmail ?? (r.userId ? "user" : "anonymous"))}</td>
                  {/* User text is rendered as text: React escapes it, and it is never passed as HTML. */}
                  <td className="max-w-xs truncate">{r.description.slice(0, 140)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Card>
    </div>
  );
}
