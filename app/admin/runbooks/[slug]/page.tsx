import Link from "next/link";
import { Card, PageHeading } from "@/components/ui/card";
import { DataTable } from "@/components/ui/data-table";
import { formatDate } from "@/components/ui/date";
import { runbookTitle, showRunbook } from "@/lib/runbooks/queries";
import { loadPage } from "@/lib/web";
import { BreakerControl, JobControl, KillSwitchControl } from "../live-controls";

export const dynamic = "force-dynamic";

type Shown = Awaited<ReturnType<typeof loadRunbookPage>>;
type LiveControlState = Extract<Shown["segments"][number], { type: "control" }>["control"];

function loadRunbookPage(slug: string) {
  return loadPage(showRunbook, { slug });
}

function LiveControl({ control, canAct }: { control: LiveControlState; canAct: boolean }) {
  if (control.kind === "kill_switch") {
    return control.on === null ? <p className="text-sm">Kill switch {control.name}: unknown</p> : <KillSwitchControl name={control.name} on={control.on} canAct={canAct} />;
  }
  if (control.kind === "breaker") {
    return control.breaker ? <BreakerControl name={control.name} state={control.breaker.state} forced={control.breaker.forced} canAct={canAct} /> : <p className="text-sm">Breaker {control.name}: unknown</p>;
  }
  return <JobControl name={control.name} status={control.status} lastSuccessAt={control.lastSuccessAt} canAct={canAct} />;
}

export async function generateMetadata({ params }: { params: Promise<{ slug: string }> }) {
  return { title: await loadPage(runbookTitle, { slug: (await params).slug }) };
}

export default async function RunbookPage({ params }: { params: Promise<{ slug: string }> }) {
  const runbook = await loadRunbookPage((await params).slug);
  const { segments, canAct, concerns, codePlaces } = runbook;
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
            {runbook.severity !== "n/a" ? ` · ${runbook.severity}` : ""} · last reviewed {formatDate(runbook.lastReviewed, "day")}
            {runbook.stale ? <span className="ml-2 rounded bg-amber-100 px-1.5 text-xs font-medium text-amber-900">stale: review it</span> : null}
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
                <LiveControl control={s.control} canAct={canAct} />
              </div>
            ),
          )}
        </div>
      </Card>
      <DataTable
        caption="Code that points here"
        empty="No runbook note in the code names this page."
        rows={codePlaces}
        rowKey={(p) => p.id}
        columns={[
          { key: "file", header: "Place", cell: (p) => <code className="text-xs">{p.file}</code> },
          { key: "what", header: "What", cell: (p) => p.what },
          { key: "incident", header: "Incident", cell: (p) => p.incident },
        ]}
      />
    </div>
  );
}
