import type { Metadata } from "next";
import Link from "next/link";
import { FlagEditor } from "@/components/flags/flag-editor";
import { RolloutPanel } from "@/components/flags/rollout-panel";
import { Card, PageHeading } from "@/components/ui/card";
import { DataTable } from "@/components/ui/data-table";
import { DateTime, formatDate } from "@/components/ui/date";
import { describeAuditEvent } from "@/lib/audit";
import { ENVIRONMENTS } from "@/lib/flags";
import { flagDetail } from "@/lib/flags/queries";
import { loadPage } from "@/lib/web";
import { advanceRollout, saveFlag, saveRolloutPlan } from "../actions";

export async function generateMetadata({ params }: { params: Promise<{ key: string }> }): Promise<Metadata> {
  return { title: `Flag ${decodeURIComponent((await params).key)}` };
}

type Detail = Awaited<ReturnType<typeof loadFlag>>;

function loadFlag(key: string, search: Record<string, string | string[] | undefined>) {
  return loadPage(flagDetail, { key, env: search.env, replayEmail: search.replayEmail, replayAt: search.replayAt });
}

export default async function FlagPage(props: { params: Promise<{ key: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const detail = await loadFlag((await props.params).key, await props.searchParams);
  const { key, flag, environment } = detail;
  return (
    <div className="flex flex-col gap-6">
      <PageHeading description={detail.description}>
        <span className="font-mono">{key}</span>
        {detail.stale && detail.reviewBy ? <span className="ml-3 rounded bg-amber-100 px-2 text-sm text-amber-900">Stale: review was due {formatDate(detail.reviewBy, "day")}</span> : null}
      </PageHeading>
      {flag ? (
        <Card title={`Edit (${environment})`}>
          <nav aria-label="Environment" className="mb-4 flex gap-3 text-sm">
            {ENVIRONMENTS.map((e) => (
              <Link key={e} href={`/admin/flags/${key}?env=${e}`} aria-current={e === environment ? "page" : undefined} className={e === environment ? "font-semibold" : "text-sky-800 underline"}>
                {e}
              </Link>
            ))}
          </nav>
          <FlagSettings detail={detail} flag={flag} />
        </Card>
      ) : (
        <Card>
          <p className="text-sm">Kill switches are declared in code; turn them on or off from the <Link href="/admin/flags" className="text-sky-800 underline">kill switch panel</Link>.</p>
        </Card>
      )}
      {flag?.kind === "release" && flag.valueType === "boolean" ? (
        <Card title={`Phased rollout (${detail.servingEnvironment})`}>
          <RolloutPanel
            flagKey={key}
            canChange={detail.canChange}
            savePlan={saveRolloutPlan}
            advance={advanceRollout}
            rollout={
              detail.rollout && {
                ...detail.rollout,
                phaseStartedAt: detail.rollout.phaseStartedAt?.toISOString() ?? null,
                revertedAt: detail.rollout.revertedAt?.toISOString() ?? null,
              }
            }
          />
        </Card>
      ) : null}
      <Card title="What did a user get?">
        <form method="get" className="flex flex-wrap items-end gap-3 text-sm">
          <input type="hidden" name="env" value={environment} />
          <label className="flex flex-col">
            User email
            <input name="replayEmail" type="email" required defaultValue={detail.query.replayEmail} className="rounded-md border border-slate-300 px-2 py-1" />
          </label>
          <label className="flex flex-col">
            At (UTC, e.g. 2026-11-23T04:00:00Z)
            <input name="replayAt" required defaultValue={detail.query.replayAt} className="rounded-md border border-slate-300 px-2 py-1" />
          </label>
          <button type="submit" className="rounded-md bg-white px-3 py-1.5 ring-1 ring-slate-300 hover:bg-slate-100">
            Replay evaluation
          </button>
        </form>
        <ReplayResult replay={detail.replay} />
      </Card>
      <Card title="Propagation">
        <p className="mb-2 text-sm">Current config version: {detail.propagation.current}. Instances that loaded flags in the last 15 minutes:</p>
        <DataTable
          label="Instances"
          rows={detail.propagation.instances}
          rowKey={(i) => i.instanceId}
          empty="No instance loaded flags in the last 15 minutes."
          columns={[
            { key: "instance", header: "Instance", className: "font-mono text-xs", cell: (i) => i.instanceId },
            { key: "version", header: "Version served", cell: (i) => (i.version === detail.propagation.current ? `${i.version} (current)` : `${i.version} (behind)`) },
            { key: "seen", header: "Loaded at", className: "text-xs", cell: (i) => <DateTime value={i.seenAt} precision="second" /> },
          ]}
        />
      </Card>
      <Card title="Change history">
        {detail.history.length === 0 ? (
          <p className="text-slate-600">No changes recorded.</p>
        ) : (
          <ol className="divide-y divide-slate-100 text-sm">
            {detail.history.map((h) => (
              <li key={h.id} className="py-2">
                <p>
                  <DateTime value={h.occurredAt} precision="second" className="text-slate-500" /> · {describeAuditEvent(h)} by {h.actorType} <span className="font-mono text-xs">{h.actorId}</span>
                </p>
                {typeof h.metadata.reason === "string" ? <p>Reason: {h.metadata.reason}</p> : null}
                {h.metadata.before !== undefined || h.metadata.after !== undefined ? (
                  <code className="block text-xs text-slate-600">
                    {JSON.stringify(h.metadata.before ?? null)} → {JSON.stringify(h.metadata.after ?? null)}
                  </code>
                ) : null}
              </li>
            ))}
          </ol>
        )}
      </Card>
    </div>
  );
}

function FlagSettings({ detail, flag }: { detail: Detail; flag: NonNullable<Detail["flag"]> }) {
  const { key, environment } = detail;
  const state = flag.environments[environment];
  if (!detail.canChange) {
    return <pre className="overflow-x-auto text-xs">{JSON.stringify({ kind: flag.kind, valueType: flag.valueType, defaultValue: flag.defaultValue, variants: flag.variants, state }, null, 2)}</pre>;
  }
  return (
    <FlagEditor
      key={environment}
      action={saveFlag}
      segments={detail.segments}
      freeze={detail.freeze}
      values={{
        key,
        revision: flag.revision,
        description: flag.description,
        kind: flag.kind,
        owner: flag.owner,
        valueType: flag.valueType,
        variants: JSON.stringify(flag.variants),
        defaultValue: JSON.stringify(flag.defaultValue),
        offValue: JSON.stringify(flag.offValue),
        prerequisites: flag.prerequisites.join(", "),
        seed: flag.seed,
        reviewBy: flag.reviewBy ? formatDate(flag.reviewBy, "day") : "",
        environment,
        enabled: state?.enabled ?? true,
        rollout: state?.rollout ?? 0,
        targets: JSON.stringify(state?.targets ?? [], null, 2),
        rules: JSON.stringify(state?.rules ?? [], null, 2),
      }}
    />
  );
}

function ReplayResult({ replay }: { replay: Detail["replay"] }) {
  if (!replay) return null;
  return (
    <div role="status" className="mt-3 text-sm">
      {"error" in replay ? (
        <p className="text-red-700">{replay.error}</p>
      ) : replay.evaluation ? (
        <p>
          Got <code>{JSON.stringify(replay.evaluation.value)}</code> because <strong>{replay.evaluation.reason}</strong>
          {replay.evaluation.detail ? ` (${replay.evaluation.detail})` : ""}
          {replay.basedOn ? `, from the change recorded at ${formatDate(replay.basedOn.occurredAt, "second")}` : ", from the declared default"}.
        </p>
      ) : null}
      {"caveats" in replay ? (
        <ul className="mt-1 list-disc pl-5 text-xs text-slate-500">
          {replay.caveats.map((c) => (
            <li key={c}>{c}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
