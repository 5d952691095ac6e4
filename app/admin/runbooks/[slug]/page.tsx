import Link from "next/link";
import { notFound } from "next/navigation";
import { AccessDenied, Card, PageHeading } from "@/components/ui/card";
import { hasPermission, userWithPermission } from "@/lib/auth";
import { isStale, loadRunbook, renderRunbook, type Control } from "@/lib/runbooks";
import { liveOperationalState } from "@/lib/status";
import { BreakerControl, JobControl, KillSwitchControl } from "../live-controls";

export const dynamic = "force-dynamic";

type Live = Awaited<ReturnType<typeof liveOperationalState>>;

function LiveControl({ control, live, canAct }: { control: Control; live: Live; canAct: boolean }) {
  if (control.kind === "kill_switch") {
    const on = live.killSwitches.get(control.name);
    return on === undefined ? <p className="text-sm">Kill switch {control.name}: unknown</p> : <KillSwitchControl name={control.name} on={on} canAct={canAct} />;
  }
  if (control.kind === "breaker") {
    const b = live.breakers.get(control.name);
    return b ? <BreakerControl name={b.name} state={b.state} forced={b.forced} canAct={canAct} /> : <p className="text-sm">Breaker {control.name}: unknown</p>;
  }
  const j = live.jobs.get(control.name);
  return <JobControl name={control.name} status={j?.status ?? "unknown"} lastSuccessAt={j?.lastSuccessAt ?? null} canAct={canAct} />;
}

export async function generateMetadata({ params }: { params: Promise<{ slug: string }> }) {
  const runbook = await loadRunbook((await params).slug).catch(() => null);
  return { title: runbook?.title ?? "Runbook" };
}

export default async function RunbookPage({ params }: { params: Promise<{ slug: string }> }) {
  const staff = await userWithPermission("admin:read");
  if (!staff) return <AccessDenied />;
  const runbook = await loadRunbook((await params).slug);
  if (!runbook) notFound();
  const canAct = hasPermission(staff.role, "admin:write");
  const live = await liveOperationalState();
  const segments = renderRunbook(runbook.body);
  const concerns = [
    ...runbook.flags.map((n) => ({ label: `kill switch ${n}`, href: "/admin/flags" })),
    ...runbook.breakers.map((n) => ({ label: `breaker ${n}`, href: "/admin/breakers" })),
    ...runbook.jobs.map((n) => ({ label: `job ${n}`, href: "/admin/jobs" })),
    ...runbook.slos.map((n) => ({ label: `SLO ${n}`, href: "/admin/slo" })),
  ];
  return (
    <div className="flex flex-col gap-4">
      <p className="text-sm">
        <Link href="/admin/runbooks" className="text-sky-800 hover:underline">
          ← All runbooks
        </Link>
      </p>
      <PageHeading
        description={
          <>
            Owner {runbook.owner}
            {runbook.severity !== "n/a" ? ` · ${runbook.severity}` : ""} · last reviewed {runbook.last_reviewed.toISOString().slice(0, 10)}
            {isStale(runbook) ? <span className="ml-2 rounded bg-amber-100 px-1.5 text-xs font-medium text-amber-900">stale: review it</span> : null}
          </>
        }
      >
        {runbook.title}
      </PageHeading>
      {concerns.length > 0 ? (
        <p className="text-sm text-slate-600">
          Concerns:{" "}
          {concerns.map((c, i) => (
            <span key={c.label}>
              {i > 0 ? ", " : ""}
              <Link href={c.href} className="underline">
                {c.label}
              </Link>
            </span>
          ))}
        </p>
      ) : null}
      {!canAct && segments.some((s) => s.type === "control") ? <p className="text-sm text-slate-600">Live state is shown read-only: only admins can act.</p> : null}
      <Card>
        <div className="runbook flex flex-col gap-3 text-sm leading-6 [&_code]:rounded [&_code]:bg-slate-100 [&_code]:px-1 [&_h2]:mt-4 [&_h2]:text-lg [&_h2]:font-semibold [&_ol]:list-decimal [&_ol]:pl-6 [&_pre]:overflow-x-auto [&_pre]:rounded [&_pre]:bg-slate-900 [&_pre]:p-3 [&_pre]:text-slate-100 [&_pre_code]:bg-transparent [&_table]:text-left [&_td]:pr-4 [&_th]:pr-4 [&_ul]:list-disc [&_ul]:pl-6">
          {segments.map((s, i) =>
            s.type === "html" ? (
              // Sanitised in lib/runbooks/render.ts (sanitize-html allow-list).
              <div key={i} dangerouslySetInnerHTML={{ __html: s.html }} />
            ) : (
              <div key={i} className="rounded-md border border-sky-200 bg-sky-50 p-3" data-control={`${s.control.kind}:${s.control.name}`}>
                <LiveControl control={s.control} live={live} canAct={canAct} />
              </div>
            ),
          )}
        </div>
      </Card>
    </div>
  );
}
