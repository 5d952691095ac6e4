import Link from "next/link";
import { AccessDenied, Card, PageHeading } from "@/components/ui/card";
import { getDb } from "@/db/client";
import { hasPermission, userWithPermission } from "@/lib/auth";
import { COMPONENTS, COMPONENT_IDS, INCIDENT_IMPACTS, INCIDENT_SEVERITIES, INCIDENT_STATUSES, listAdminIncidents, listMaintenance, STATUS_LABELS } from "@/lib/status";
import { IncidentUpdateForm, MaintenanceForm, NewIncidentForm } from "./incident-forms";

export const metadata = { title: "Incidents" };
export const dynamic = "force-dynamic";

const when = (d: Date) => d.toISOString().replace("T", " ").slice(0, 16) + " UTC";

export default async function AdminIncidentsPage() {
  const staff = await userWithPermission("admin:read");
  if (!staff) return <AccessDenied />;
  const canEdit = hasPermission(staff.role, "admin:write");
  const db = await getDb();
  const [list, maintenance] = await Promise.all([listAdminIncidents(db), listMaintenance(db)]);
  const components = COMPONENT_IDS.map((id) => ({ id, label: COMPONENTS[id].label }));
  const drafts = list.filter((i) => i.status === "draft");
  const rest = list.filter((i) => i.status !== "draft");
  return (
    <div className="flex flex-col gap-6">
      <PageHeading description={<>Posted incidents show on <Link href="/status" className="underline">/status</Link> and in the feed at once.</>}>Incidents</PageHeading>
      {drafts.length > 0 ? (
        <Card title="Drafts waiting for a decision">
          <p className="mb-3 text-sm text-slate-600">Breakwater drafted these because a kill switch was off or a breaker open for several minutes. Publish or discard each.</p>
          <ul className="flex flex-col gap-4">
            {drafts.map((i) => (
              <li key={i.id} className="rounded-md border border-amber-200 bg-amber-50 p-3">
                <p className="font-medium">{i.title}</p>
                <p className="text-sm text-slate-700">
                  Drafted {when(i.createdAt)} · {i.components.map((c) => COMPONENTS[c as keyof typeof COMPONENTS]?.label ?? c).join(", ")}
                  {i.runbook ? (
                    <>
                      {" "}· <Link href={`/admin/runbooks/${i.runbook}`} className="underline">runbook</Link>
                    </>
                  ) : null}
                </p>
                <p className="text-sm">{i.updates[0]?.body}</p>
                {canEdit ? <IncidentUpdateForm incidentId={i.id} title={i.title} statuses={INCIDENT_STATUSES} current={i.status} isDraft /> : null}
              </li>
            ))}
          </ul>
        </Card>
      ) : null}
      {canEdit ? (
        <Card title="Post an incident">
          <NewIncidentForm components={components} impacts={INCIDENT_IMPACTS} severities={INCIDENT_SEVERITIES} statuses={INCIDENT_STATUSES} />
        </Card>
      ) : (
        <p className="text-sm text-slate-600">Only admins can post incidents.</p>
      )}
      <Card title="Incidents">
        {rest.length === 0 ? (
          <p className="text-sm text-slate-600">No incidents yet.</p>
        ) : (
          <ul className="flex flex-col gap-5">
            {rest.map((i) => (
              <li key={i.id} className="border-b border-slate-100 pb-4">
                <p className="font-medium">
                  {i.title} <span className="text-sm font-normal text-slate-600">· {STATUS_LABELS[i.status] ?? i.status} · {i.severity} · {i.impact}</span>
                </p>
                <ol className="my-2 text-sm text-slate-700">
                  {i.updates.map((u) => (
                    <li key={u.id}>
                      <time dateTime={u.createdAt.toISOString()}>{when(u.createdAt)}</time> · {STATUS_LABELS[u.status] ?? u.status}: {u.body}
                    </li>
                  ))}
                </ol>
                {canEdit && i.status !== "resolved" && i.status !== "discarded" ? <IncidentUpdateForm incidentId={i.id} title={i.title} statuses={INCIDENT_STATUSES} current={i.status} isDraft={false} /> : null}
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
                {m.title}: {when(m.startsAt)} – {when(m.endsAt)}
              </li>
            ))}
          </ul>
        )}
        {canEdit ? <MaintenanceForm components={components} /> : null}
      </Card>
    </div>
  );
}
