import Link from "next/link";
import { Card, PageHeading } from "@/components/ui/card";
import { DataTable } from "@/components/ui/data-table";
import { DateTime } from "@/components/ui/date";
import { auditLogView, searchAuditLog } from "@/lib/audit/queries";
import { loadPage } from "@/lib/web";
import { VerifyButton } from "./verify-button";

export const metadata = { title: "Audit log" };
export const dynamic = "force-dynamic";

const input = "rounded-md border border-slate-300 bg-white px-2 py-1 text-sm";

export default async function AdminAuditPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { verification, actions, values: raw, errors, canExportPersonal } = await loadPage(auditLogView, await searchParams);
  // Only a valid filter is searched (and the search recorded); an invalid one shows its errors instead.
  const page = errors.length === 0 ? await loadPage(searchAuditLog, raw) : null;
  const query = (extra: Record<string, string>) => new URLSearchParams({ ...Object.fromEntries(Object.entries(raw).filter(([k]) => k !== "before")), ...extra }).toString();

  return (
    <div className="flex flex-col gap-6">
      <PageHeading description="Every change, sign-in and refusal, append-only and hash-chained. Searching and exporting here is itself recorded.">Audit log</PageHeading>

      <Card title="Integrity">
        <p className="mb-3 text-sm">
          {verification ? (
            <>
              Last verification <DateTime value={verification.ranAt} precision="second" /> by {verification.ranBy}:{" "}
              <strong className={verification.ok ? "text-emerald-800" : "text-red-800"}>{verification.ok ? "intact" : "BROKEN"}</strong> — {verification.detail}
            </>
          ) : (
            "The chain has not been verified yet."
          )}
        </p>
        <VerifyButton />
      </Card>

      <Card title="Filter">
        <form method="get" className="grid grid-cols-1 gap-3 sm:grid-cols-4" aria-label="Filter audit events">
          <label className="flex flex-col gap-1 text-sm">
            Actor id
            <input name="actor" defaultValue={raw.actor} className={input} maxLength={200} />
          </label>
          <label className="flex flex-col gap-1 text-sm">
            Target type
            <input name="targetType" defaultValue={raw.targetType} className={input} maxLength={200} placeholder="user, project…" />
          </label>
          <label className="flex flex-col gap-1 text-sm">
            Target id
            <input name="target" defaultValue={raw.target} className={input} maxLength={200} />
          </label>
          <label className="flex flex-col gap-1 text-sm">
            Action
            <select name="action" defaultValue={raw.action ?? ""} className={input}>
              <option value="">any</option>
              {actions.map((a) => (
                <option key={a} value={a}>
                  {a}
                </option>
              ))}
            </select>
          </label>
          <label className="flex flex-col gap-1 text-sm">
            Outcome
            <select name="outcome" defaultValue={raw.outcome ?? ""} className={input}>
              <option value="">any</option>
              <option value="success">success</option>
              <option value="denied">denied</option>
              <option value="failure">failure</option>
            </select>
          </label>
          <label className="flex flex-col gap-1 text-sm">
            From (UTC)
            <input name="from" defaultValue={raw.from} className={input} placeholder="2026-01-31" />
          </label>
          <label className="flex flex-col gap-1 text-sm">
            To (UTC)
            <input name="to" defaultValue={raw.to} className={input} placeholder="2026-02-28T23:59" />
          </label>
          <div className="flex items-end gap-2">
            <button type="submit" className="rounded-md bg-sky-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-sky-800">
              Search
            </button>
            <Link href="/admin/audit" className="text-sm text-slate-600 underline">
              Clear
            </Link>
          </div>
        </form>
        {errors.length > 0 ? (
          <div role="alert" className="mt-3 rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">
            <p>Fix the filter to search:</p>
            <ul className="list-disc pl-5">
              {errors.map((e) => (
                <li key={e}>{e}</li>
              ))}
            </ul>
          </div>
        ) : (
          <div className="mt-3 flex flex-col gap-3 text-sm">
            <p>
              Export this filter, without personal data:{" "}
              <a className="text-sky-800 underline" href={`/admin/audit/export?${query({ format: "csv" })}`}>
                CSV
              </a>{" "}
              ·{" "}
              <a className="text-sky-800 underline" href={`/admin/audit/export?${query({ format: "json" })}`}>
                JSON
              </a>
            </p>
            {canExportPersonal ? (
              <form method="get" action="/admin/audit/export" className="flex flex-wrap items-end gap-2" aria-label="Export with personal data">
                {Object.entries(raw)
                  .filter(([k]) => k !== "before")
                  .map(([k, v]) => (
                    <input key={k} type="hidden" name={k} value={v} />
                  ))}
                <input type="hidden" name="personal" value="include" />
                <input type="hidden" name="format" value="csv" />
                <label className="flex flex-col gap-1">
                  <span className="font-medium text-slate-700">Reason for including IPs and user agents (recorded)</span>
                  <input name="reason" required minLength={5} maxLength={500} className="rounded-md border border-slate-300 px-2 py-1" />
                </label>
                <button type="submit" className="rounded-md px-3 py-1.5 ring-1 ring-slate-300 hover:bg-slate-100">
                  Export CSV with personal data
                </button>
              </form>
            ) : null}
          </div>
        )}
      </Card>

      {page ? (
        <Card title="Events">
          <DataTable
            label="Audit events"
            rows={page.rows}
            rowKey={(e) => e.id}
            empty="No events match."
            columns={[
              { key: "id", header: "#", className: "font-mono text-xs", cell: (e) => e.id },
              { key: "when", header: "When", className: "whitespace-nowrap", cell: (e) => <DateTime value={e.occurredAt} precision="second" /> },
              {
                key: "action",
                header: "Action",
                cell: (e) => (
                  <>
                    <span className="block">{e.description}</span>
                    {/* The code is what the Action filter above takes. */}
                    <span className="block font-mono text-xs text-slate-600">{e.action}</span>
                  </>
                ),
              },
              { key: "outcome", header: "Outcome", cell: (e) => e.outcome },
              {
                key: "actor",
                header: "Actor",
                className: "text-xs",
                cell: (e) => (
                  <>
                    {e.actorType} {e.actorId ? <span className="font-mono">{e.actorId}</span> : null}
                    {e.impersonatorId ? <span className="block text-slate-500">impersonated by {e.impersonatorId}</span> : null}
                  </>
                ),
              },
              {
                key: "target",
                header: "Target",
                className: "text-xs",
                cell: (e) => (
                  <>
                    {e.targetType} {e.targetId ? <span className="font-mono">{e.targetId}</span> : null}
                  </>
                ),
              },
            ]}
          />
          {page.nextBefore !== null ? (
            <p className="mt-3 text-sm">
              <Link className="text-sky-800 underline" href={`/admin/audit?${query({ before: String(page.nextBefore) })}`}>
                Older events
              </Link>
            </p>
          ) : null}
        </Card>
      ) : null}
    </div>
  );
}
