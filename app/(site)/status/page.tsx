import type { Metadata } from "next";
import Link from "next/link";
import { getPublicStatusShared, PARTIAL_OUTAGE_WEIGHT, STATE_LABELS, STATUS_LABELS, type ComponentState, type PublicStatus } from "@/lib/status";
import { COMPONENTS, type ComponentId } from "@/lib/status/components";

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

const when = (iso: string) => new Date(iso).toISOString().replace("T", " ").slice(0, 16) + " UTC";
const pct = (v: number | null) => (v === null ? "no data" : `${(Math.floor(v * 100_000) / 1000).toFixed(3)} %`);
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
        {STATUS_LABELS[incident.status] ?? incident.status} · affects {labelsOf(incident.components)} · started {when(incident.createdAt)}
        {incident.resolvedAt ? ` · resolved ${when(incident.resolvedAt)}` : ""}
      </p>
      <ol className="mt-3 flex flex-col gap-2 border-l-2 border-slate-200 pl-4">
        {incident.updates.map((u, i) => (
          <li key={i} className="text-sm">
            <span className="font-medium">{STATUS_LABELS[u.status] ?? u.status}</span>{" "}
            <time dateTime={u.createdAt} className="text-slate-500">
              {when(u.createdAt)}
            </time>
            <p className="whitespace-pre-line">{u.body}</p>
          </li>
        ))}
      </ol>
    </article>
  );
}

export default async function StatusPage() {
  const status = await getPublicStatusShared();
  const active = status.incidents.filter((i) => i.status !== "resolved");
  const past = status.incidents.filter((i) => i.status === "resolved");
  return (
    <div className="flex flex-col gap-8">
      <div>
        <h1 className="text-2xl font-bold tracking-tight">Breakwater status</h1>
        <p className="mt-1 text-sm text-slate-600">
          Updated {when(status.generatedAt)} · <Link href="/api/status/feed" className="underline">Incident feed (Atom)</Link> ·{" "}
          <Link href="/api/status" className="underline">JSON</Link>
        </p>
      </div>
      <Headline status={status} />
      {status.staleSince ? (
        <p role="alert" className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900">
          We can&apos;t reach our database right now. Incidents and uptime below are the last known state, from {when(status.staleSince)}.
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
                {when(m.startsAt)} – {when(m.endsAt)} · affects {labelsOf(m.components)}
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
                  <div className="flex h-8 gap-px" role="img" aria-label={`${c.label} uptime over the last 90 days: ${pct(c.uptime)}`}>
                    {c.days.map((d) => (
                      <div
                        key={d.day}
                        title={`${d.day}: ${d.worst ? `${pct(d.uptime)} uptime, worst ${STATE_LABELS[d.worst]}` : "no data"}`}
                        className={`flex-1 rounded-sm ${d.worst ? BAR_STYLE[d.worst] : "bg-slate-200"}`}
                      />
                    ))}
                  </div>
                  <div className="mt-1 flex justify-between text-xs text-slate-500">
                    <span>90 days ago</span>
                    <span>{pct(c.uptime)} uptime</span>
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
      <p className="text-xs text-slate-500">
        Uptime counts a minute of partial outage, degradation or pause as {PARTIAL_OUTAGE_WEIGHT} of a minute down, a major outage as a full minute; scheduled maintenance does not count.
      </p>
    </div>
  );
}
