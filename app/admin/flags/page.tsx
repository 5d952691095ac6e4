import Link from "next/link";
import { ChangeRequests } from "@/components/flags/change-requests";
import { KillSwitchPanel, OverriddenByEnvironment } from "@/components/flags/kill-switch-panel";
import { SegmentForm } from "@/components/flags/flag-editor";
import { Card, PageHeading } from "@/components/ui/card";
import { DataTable } from "@/components/ui/data-table";
import { DateTime, formatDate } from "@/components/ui/date";
import { ENVIRONMENTS } from "@/lib/flags";
import { flagsOverview } from "@/lib/flags/queries";
import { loadPage } from "@/lib/web";
import { decideChange, saveSegment, setKillSwitch } from "./actions";

export const metadata = { title: "Flags" };

export default async function AdminFlagsPage() {
  const { environment, canChange, killSwitches, changeRequests, flags, segments } = await loadPage(flagsOverview);
  return (
    <div className="flex flex-col gap-6">
      <PageHeading description={`Kill switches and feature flags. This deployment is ${environment}; a kill switch change applies to every environment at once.`}>
        Flags
      </PageHeading>
      <Card title="Kill switches">
        <KillSwitchPanel canChange={canChange} action={setKillSwitch} rows={killSwitches} />
      </Card>
      <Card title="Waiting for a second admin">
        <ChangeRequests canDecide={canChange} action={decideChange} rows={changeRequests} />
      </Card>
      <Card title="Feature flags">
        {canChange ? (
          <p className="mb-3">
            <Link href="/admin/flags/new" className="text-sky-800 underline">
              New flag
            </Link>
          </p>
        ) : null}
        <DataTable
          label="Feature flags"
          rows={flags}
          rowKey={(f) => f.key}
          empty="No feature flags yet."
          columns={[
            {
              key: "flag",
              header: "Flag",
              cell: (f) => (
                <>
                  <Link href={`/admin/flags/${f.key}`} className="font-mono text-sky-800 underline">
                    {f.key}
                  </Link>
                  {f.stale && f.reviewBy ? (
                    <span className="ml-2 rounded bg-amber-100 px-1 text-xs text-amber-900" title={`Review was due ${formatDate(f.reviewBy, "day")}`}>
                      Stale
                    </span>
                  ) : null}
                  <span className="block text-xs text-slate-500">{f.description}</span>
                  {f.environmentOverride ? <OverriddenByEnvironment override={f.environmentOverride} /> : null}
                </>
              ),
            },
            { key: "kind", header: "Kind", cell: (f) => f.kind },
            ...ENVIRONMENTS.map((e) => ({
              key: e,
              header: e,
              cell: (f: (typeof flags)[number]) => {
                const s = f.environments[e];
                return !s ? "—" : s.enabled ? `on · ${s.rollout} %` : "off";
              },
            })),
            {
              key: "changed",
              header: "Last change",
              className: "text-xs text-slate-500",
              cell: (f) => (
                <>
                  {f.updatedBy} · <DateTime value={f.updatedAt} />
                </>
              ),
            },
          ]}
        />
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
