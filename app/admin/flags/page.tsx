import Link from "next/link";
import { ChangeRequests } from "@/components/flags/change-requests";
import { KillSwitchPanel } from "@/components/flags/kill-switch-panel";
import { SegmentForm } from "@/components/flags/flag-editor";
import { AccessDenied, Card, PageHeading } from "@/components/ui/card";
import { getDb } from "@/db/client";
import { hasPermission, userWithPermission } from "@/lib/auth";
import { currentEnvironment, ENVIRONMENTS, getKillSwitchStates, isKillSwitch } from "@/lib/flags";
import { isStale, listFlagRows, listSegments, pendingChangeRequests } from "@/lib/flags/queries";
import { loadRunbooks, runbookFor } from "@/lib/runbooks";
import { decideChange, saveSegment, setKillSwitch } from "./actions";

export const metadata = { title: "Flags" };

export default async function AdminFlagsPage() {
  const staff = await userWithPermission("admin:read");
  if (!staff) return <AccessDenied />;
  const canChange = hasPermission(staff.role, "admin:write");
  const db = await getDb();
  const [states, rows, segments, requests, runbooks] = await Promise.all([getKillSwitchStates(), listFlagRows(db), listSegments(db), pendingChangeRequests(db), loadRunbooks()]);
  const flags = rows.filter((r) => !isKillSwitch(r.key));
  return (
    <div className="flex flex-col gap-6">
      <PageHeading description={`Kill switches and feature flags. This deployment is ${currentEnvironment()}; a kill switch change applies to every environment at once.`}>
        Flags
      </PageHeading>
      <Card title="Kill switches">
        <KillSwitchPanel
          canChange={canChange}
          action={setKillSwitch}
          rows={states.map((s) => {
            const runbook = runbookFor(runbooks, "flags", s.key);
            return { ...s, updatedAt: s.updatedAt?.toISOString() ?? null, runbook: runbook && { slug: runbook.slug, title: runbook.title } };
          })}
        />
      </Card>
      <Card title="Waiting for a second admin">
        <ChangeRequests
          canDecide={canChange}
          action={decideChange}
          rows={requests.map((r) => ({
            id: r.id,
            flagKey: r.flagKey,
            kind: r.kind,
            environment: r.environment,
            reason: r.reason,
            requestedBy: r.requestedBy,
            createdAt: r.createdAt.toISOString(),
            summary:
              r.kind === "review"
                ? "turned off; review after the fact"
                : `rollout ${String(r.payload.rollout)} %, ${Array.isArray(r.payload.rules) ? r.payload.rules.length : 0} rules, ${Array.isArray(r.payload.targets) ? r.payload.targets.length : 0} id targets`,
          }))}
        />
      </Card>
      <Card title="Feature flags">
        {canChange ? (
          <p className="mb-3">
            <Link href="/admin/flags/new" className="text-sky-800 underline">
              New flag
            </Link>
          </p>
        ) : null}
        {flags.length === 0 ? (
          <p className="text-slate-600">No feature flags yet.</p>
        ) : (
          <table className="w-full text-left text-sm">
            <thead className="text-slate-500">
              <tr>
                <th className="py-2">Flag</th>
                <th>Kind</th>
                {ENVIRONMENTS.map((e) => (
                  <th key={e}>{e}</th>
                ))}
                <th>Last change</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {flags.map((f) => (
                <tr key={f.key}>
                  <td className="py-2">
                    <Link href={`/admin/flags/${f.key}`} className="font-mono text-sky-800 underline">
                      {f.key}
                    </Link>
                    {isStale(f.reviewBy) ? (
                      <span className="ml-2 rounded bg-amber-100 px-1 text-xs text-amber-900" title={`Review was due ${f.reviewBy!.toISOString().slice(0, 10)}`}>
                        Stale
                      </span>
                    ) : null}
                    <span className="block text-xs text-slate-500">{f.description}</span>
                  </td>
                  <td>{f.kind}</td>
                  {ENVIRONMENTS.map((e) => {
                    const s = f.environments[e];
                    return <td key={e}>{!s ? "—" : s.enabled ? `on · ${s.rollout} %` : "off"}</td>;
                  })}
                  <td className="text-xs text-slate-500">
                    {f.updatedBy} · {f.updatedAt.toISOString().replace("T", " ").slice(0, 16)} UTC
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Card>
      <Card title="Segments">
        {segments.length === 0 ? (
          <p className="mb-3 text-slate-600">No segments yet.</p>
        ) : (
          <ul className="mb-4 divide-y divide-slate-100 text-sm">
            {segments.map((s) => (
              <li key={s.key} className="py-2">
                <span className="font-mono">{s.key}</span> <span className="text-slate-500">{s.description}</span>
                <code className="block text-xs text-slate-600">{JSON.stringify(s.conditions)}</code>
              </li>
            ))}
          </ul>
        )}
        {canChange ? <SegmentForm action={saveSegment} /> : null}
      </Card>
    </div>
  );
}
