import Link from "next/link";
import { AccessDenied, Card, PageHeading } from "@/components/ui/card";
import { getDb } from "@/db/client";
import { AUDIT_ACTIONS, auditFilterSchema, describeAuditEvent, latestVerification, recordAuditRead, searchAuditEvents } from "@/lib/audit";
import { userWithPermission } from "@/lib/auth";
import { firstValues } from "./params";
import { VerifyButton } from "./verify-button";

export const metadata = { title: "Audit log" };
export const dynamic = "force-dynamic";

const input = "rounded-md border border-slate-300 bg-white px-2 py-1 text-sm";

export default async function AdminAuditPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const staff = await userWithPermission("admin:read");
  if (!staff) return <AccessDenied />;
  const raw = firstValues(await searchParams);
  const parsed = auditFilterSchema.safeParse(raw);
  const db = await getDb();
  const verification = await latestVerification(db);
  const page = parsed.success ? await searchAuditEvents(db, parsed.data, 50) : null;
  if (parsed.success && page) await recordAuditRead(db, staff, { kind: "search", filter: parsed.data, resultCount: page.rows.length });
  const errors = parsed.success ? [] : parsed.error.issues.map((i) => `${String(i.path[0] ?? "filter")}: ${i.message}`);
  const query = (extra: Record<string, string>) => new URLSearchParams({ ...Object.fromEntries(Object.entries(raw).filter(([k]) => k !== "before")), ...extra }).toString();

  return (
    <div className="flex flex-col gap-6">
      <PageHeading description="Every change, sign-in and refusal, append-only and hash-chained. Searching and exporting here is itself recorded.">Audit log</PageHeading>

      <Card title="Integrity">
        <p className="mb-3 text-sm">
          {verification ? (
            <>
              Last verification {verification.ranAt.toISOString().replace("T", " ").slice(0, 19)} UTC by {verification.ranBy}:{" "}
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
              {AUDIT_ACTIONS.map((a) => (
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
          <p className="mt-3 text-sm">
            Export this filter:{" "}
            <a className="text-sky-800 underline" href={`/admin/audit/export?${query({ format: "csv" })}`}>
              CSV
            </a>{" "}
            ·{" "}
            <a className="text-sky-800 underline" href={`/admin/audit/export?${query({ format: "json" })}`}>
              JSON
            </a>
          </p>
        )}
      </Card>

      {page ? (
        <Card title="Events">
          {page.rows.length === 0 ? (
            <p className="text-sm text-slate-600">No events match.</p>
          ) : (
            <table className="w-full text-left text-sm">
              <thead className="text-slate-500">
                <tr>
                  <th className="py-2">#</th>
                  <th>When (UTC)</th>
                  <th>Action</th>
                  <th>Outcome</th>
                  <th>Actor</th>
                  <th>Target</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {page.rows.map((e) => (
                  <tr key={e.id} className="align-top">
                    <td className="py-2 font-mono text-xs">{e.id}</td>
                    <td className="whitespace-nowrap">{e.occurredAt.toISOString().replace("T", " ").slice(0, 19)}</td>
                    <td>
                      <span className="font-mono text-xs">{e.action}</span>
                      <span className="block text-xs text-slate-500">{describeAuditEvent(e)}</span>
                    </td>
                    <td>{e.outcome}</td>
                    <td className="text-xs">
                      {e.actorType} {e.actorId ? <span className="font-mono">{e.actorId}</span> : null}
                      {e.impersonatorId ? <span className="block text-slate-500">impersonated by {e.impersonatorId}</span> : null}
                    </td>
                    <td className="text-xs">
                      {e.targetType} {e.targetId ? <span className="font-mono">{e.targetId}</span> : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
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
