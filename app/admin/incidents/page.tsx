import Link from "next/link";
import { Card, PageHeading } from "@/components/ui/card";
import { DateTime } from "@/components/ui/date";
import { STATUS_LABELS } from "@/lib/status";
import { incidentsOverview } from "@/lib/status/queries";
import { loadPage } from "@/lib/web";
import { IncidentUpdateForm, MaintenanceForm, NewIncidentForm } from "./incident-forms";

export const metadata = { title: "Incidents" };
export const dynamic = "force-dynamic";

export default async function AdminIncidentsPage() {
  const { canEdit, drafts, incidents, maintenance, choices } = await loadPage(incidentsOverview);
  return (
    <div className="flex flex-col gap-6">
      <PageHeading description={<>Posted incidents show on <a href="/status" className="underline">/status</a> and in the feed at once.</>}>Incidents</PageHeading>
      {drafts.length > 0 ? (
        <Card title="Drafts waiting for a decision">
          <p className="mb-3 text-sm text-slate-600">Breakwater drafted these because a kill switch was off or a breaker open for several minutes. Publish or discard each.</p>
          <ul className="flex flex-col gap-4">
            {drafts.map((i) => (
              <li key={i.id} className="rounded-md border border-amber-200 bg-amber-50 p-3">
                <p className="font-medium">{i.title}</p>
                <p className="text-sm text-slate-700">
                  Drafted <DateTime value={i.createdAt} /> · {i.affects}
                  {i.runbook ? (
                    <>
                      {" "}· <Link href={`/admin/runbooks/${i.runbook}`} className="underline">runbook</Link>
                    </>
                  ) : null}
                </p>
                <p className="text-sm">{i.updates[0]?.body}</p>
                {i.canUpdate ? <IncidentUpdateForm incidentId={i.id} title={i.title} statuses={choices.statuses} current={i.status} isDraft /> : null}
              </li>
            ))}
          </ul>
        </Card>
      ) : null}
      {canEdit ? (
        <Card title="Post an incident">
          <NewIncidentForm components={choices.components} impacts={choices.impacts} severities={choices.severities} statuses={choices.statuses} />
        </Card>
      ) : (
        <p className="text-sm text-slate-600">Only admins can post incidents.</p>
      )}
      <Card title="Incidents">
        {incidents.length === 0 ? (
          <p className="text-sm text-slate-600">No incidents yet.</p>
        ) : (
          <ul className="flex flex-col gap-5">
            {incidents.map((i) => (
              <li key={i.id} className="border-b border-slate-100 pb-4">
                <p className="font-medium">
                  {i.title} <span className="text-sm font-normal text-slate-600">· {STATUS_LABELS[i.status] ?? i.status} · {i.severity} · {i.impact}</span>
                </p>
                <ol className="my-2 text-sm text-slate-700">
                  {i.updates.map((u) => (
                    <li key={u.id}>
                      <DateTime value={u.createdAt} /> · {STATUS_LABELS[u.status] ?? u.status}: {u.body}
                    </li>
                  ))}
                </ol>
                {i.canUpdate ? <IncidentUpdateForm incidentId={i.id} title={i.title} statuses={choices.statuses} current={i.status} isDraft={false} /> : null}
              </li>
            ))}
          </ul>
        )}
      </Card>
      <Card title="Scheduled maintenance">
        {maintenance.length === 0 ? <p className="mb-3 text-sm text-slate-600">Nothing scheduled.</p> : (
          <ul className="mb-4 text-sm">
            {maintenance.map((m) => (
              <li key={m.id}>
                {m.title}: <DateTime value={m.startsAt} /> – <DateTime value={m.endsAt} />
              </li>
            ))}
          </ul>
        )}
        {canEdit ? <MaintenanceForm components={choices.components} /> : null}
      </Card>
    </div>
  );
}
