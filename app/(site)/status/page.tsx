import type { Metadata } from "next";
import Link from "next/link";
import { DateTime } from "@/components/ui/date";
import { COMPONENTS, PARTIAL_OUTAGE_WEIGHT, STATE_LABELS, STATUS_LABELS, type ComponentId, type ComponentState, type PublicStatus } from "@/lib/status";
import { publicStatus } from "@/lib/status/queries";
import { loadPage } from "@/lib/web";

export const metadata: Metadata = {
  title: "Status",
  alternates: { types: { "application/atom+xml": "/api/status/feed" } },
};
export const dynamic = "force-dynamic";

const STATE_STYLE: Record<ComponentState, string> = {
  operational: "bg-emerald-100 text-emerald-900",
  maintenance: "bg-sky-100 text-sky-900",
  paused: "bg-slate-200 text-slate-900",
  degraded: "bg-amber-100 text-amber-900",
  partial_outage: "bg-orange-100 text-orange-900",
  major_outage: "bg-red-100 text-red-900",
};
const BAR_STYLE: Record<ComponentState, string> = {
  operational: "bg-emerald-500",
  maintenance: "bg-sky-500",
  paused: "bg-slate-500",
  degraded: "bg-amber-400",
  partial_outage: "bg-orange-500",
  major_outage: "bg-red-600",
};

const pct = (v: number | null) => (v === null ? null : `${(Math.floor(v * 100_000) / 1000).toFixed(3)} %`);
/** "99.980 % uptime", or, before anything was measured, a sentence instead of a number. */
const uptime = (v: number | null) => (v === null ? "Uptime not measured yet" : `${pct(v)} uptime`);
const unknown = (minutes: number) => `${minutes} min unknown (not measured)`;
const labelsOf = (ids: string[]) => ids.map((c) => COMPONENTS[c as ComponentId]?.label ?? c).join(", ");

function Headline({ status }: { status: PublicStatus }) {
  const text = status.overall === "operational" ? "All systems operational" : status.overall === "major_outage" ? "Major outage" : "Some systems are affected";
  return (
    <div className={`rounded-lg px-5 py-4 text-lg font-semibold ${STATE_STYLE[status.overall]}`} role="status">
      {text}
    </div>
  );
}

function Incident({ incident }: { incident: PublicStatus["incidents"][number] }) {
  return (
    <article id={`incident-${incident.id}`} className="rounded-lg border border-slate-200 bg-white p-4">
      <h3 className="font-semibold">{incident.title}</h3>
      <p className="text-sm text-slate-600">
        {STATUS_LABELS[incident.status] ?? incident.status} · affects {labelsOf(incident.components)} · started <DateTime value={incident.createdAt} />
        {incident.resolvedAt ? (
          <>
            {" "}
            · resolved <DateTime value={incident.resolvedAt} />
          </>
        ) : null}
      </p>
      <ol className="mt-3 flex flex-col gap-2 border-l-2 border-slate-200 pl-4">
        {incident.updates.map((u, i) => (
          <li key={i} className="text-sm">
            <span className="font-medium">{STATUS_LABELS[u.status] ?? u.status}</span>{" "}
            <DateTime value={u.createdAt} className="text-slate-500" />
            <p className="whitespace-pre-line">{u.body}</p>
          </li>
        ))}
      </ol>
    </article>
  );
}

export default async function StatusPage() {
  const { status } = await loadPage(publicStatus);
  const active = status.incidents.filter((i) => i.status !== "resolved");
  const past = status.incidents.filter((i) => i.status === "resolved");
  return (
    <div className="flex flex-col gap-8">
      <div>
        <h1 className="text-2xl font-bold tracking-tight">Breakwater status</h1>
        <p className="mt-1 text-sm text-slate-600">
          Updated <DateTime value={status.generatedAt} /> · <Link href="/api/status/feed" className="underline">Incident feed (Atom)</Link> ·{" "}
          <Link href="/api/status" className="underline">JSON</Link>
        </p>
      </div>
      <Headline status={status} />
      {status.staleSince ? (
        <p role="alert" className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900">
          We can&apos;t reach our database right now. Incidents and uptime below are the last known state, from <DateTime value={status.staleSince} />.
        </p>
      ) : null}
      {status.readOnlyMaintenance ? (
        <p role="status" data-testid="read-only-maintenance" className="rounded-md bg-sky-50 px-3 py-2 text-sm text-sky-900">
          Breakwater is in read-only maintenance since <DateTime value={status.readOnlyMaintenance.since} />: you can sign in and view your data; changes are paused until it ends.
        </p>
      ) : null}

      {active.length > 0 ? (
        <section aria-labelledby="active-incidents" className="flex flex-col gap-3">
          <h2 id="active-incidents" className="text-lg font-semibold">
            Active incidents
          </h2>
          {active.map((i) => (
            <Incident key={i.id} incident={i} />
          ))}
        </section>
      ) : null}

      {status.maintenance.length > 0 ? (
        <section aria-labelledby="maintenance" className="flex flex-col gap-3">
          <h2 id="maintenance" className="text-lg font-semibold">
            Scheduled maintenance
          </h2>
          {status.maintenance.map((m) => (
            <article key={m.id} className="rounded-lg border border-sky-200 bg-sky-50 p-4 text-sm">
              <h3 className="font-semibold">{m.title}</h3>
              <p className="text-slate-700">
                <DateTime value={m.startsAt} /> – <DateTime value={m.endsAt} /> · affects {labelsOf(m.components)}
              </p>
              {m.body ? <p className="mt-1 whitespace-pre-line">{m.body}</p> : null}
            </article>
          ))}
        </section>
      ) : null}

      <section aria-labelledby="components" className="flex flex-col gap-3">
        <h2 id="components" className="text-lg font-semibold">
          Components
        </h2>
        <ul className="flex flex-col gap-4">
          {status.components.map((c) => (
            <li key={c.id} data-component={c.id} className="rounded-lg border border-slate-200 bg-white p-4">
              <div className="flex flex-wrap items-center justify-between gap-2">
                <span className="font-medium">{c.label}</span>
                <span className={`rounded px-2 py-0.5 text-sm font-medium ${STATE_STYLE[c.state]}`} aria-label={`${c.label}: ${STATE_LABELS[c.state]}`}>
                  {STATE_LABELS[c.state]}
                </span>
              </div>
              {c.days.length > 0 ? (
                <div className="mt-3">
                  <div className="flex h-8 gap-px" role="img" aria-label={`${c.label}, last 90 days: ${uptime(c.uptime)}`}>
                    {c.days.map((d) => (
                      <div
                        key={d.day}
                        title={`${d.day}: ${d.worst ? `${uptime(d.uptime)}, worst ${STATE_LABELS[d.worst]}` : "not measured"}${d.unknownMinutes ? `, ${unknown(d.unknownMinutes)}` : ""}`}
                        className={`flex-1 rounded-sm ${d.worst ? BAR_STYLE[d.worst] : "bg-slate-200"}`}
                      />
                    ))}
                  </div>
                  <div className="mt-1 flex justify-between text-xs text-slate-500">
                    <span>90 days ago</span>
                    <span>
                      {uptime(c.uptime)}
                      {c.unknownMinutes ? ` · ${unknown(c.unknownMinutes)}` : ""}
                    </span>
                    <span>Today</span>
                  </div>
                </div>
              ) : null}
            </li>
          ))}
        </ul>
      </section>

      <section aria-labelledby="past-incidents" className="flex flex-col gap-3">
        <h2 id="past-incidents" className="text-lg font-semibold">
          Past incidents
        </h2>
        {past.length === 0 ? <p className="text-sm text-slate-600">No incidents in the last 90 days.</p> : past.map((i) => <Incident key={i.id} incident={i} />)}
      </section>
      <p className="text-sm text-slate-700">
        {status.outside?.uptime != null && status.outside.lastCheck ? (
          <>
            Checked from outside the app every minute: {pct(status.outside.uptime)} of minutes answered ready over the last{" "}
            {status.outside.minutes >= 1440 ? `${Math.floor(status.outside.minutes / 1440)} days` : `${status.outside.minutes} minutes`}. Last check{" "}
            <DateTime value={status.outside.lastCheck.at} />: {status.outside.lastCheck.ok ? `ready in ${status.outside.lastCheck.latencyMs} ms` : "no ready answer"}.
          </>
        ) : (
          "Not yet checked from outside the app."
        )}
      </p>
      <p className="text-xs text-slate-500">
        Uptime counts a minute of partial outage, degradation or pause as {PARTIAL_OUTAGE_WEIGHT} of a minute down, a major outage as a full minute; scheduled maintenance does not count. A minute
        we did not measure is shown as unknown and never counted as up.
      </p>
    </div>
  );
}
