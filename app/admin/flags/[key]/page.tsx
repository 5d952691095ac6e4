import Link from "next/link";
import { z } from "zod";
import { FlagEditor } from "@/components/flags/flag-editor";
import { AccessDenied, Card, PageHeading } from "@/components/ui/card";
import { getDb } from "@/db/client";
import { hasPermission, userWithPermission } from "@/lib/auth";
import { currentEnvironment, ENVIRONMENTS, isKillSwitch } from "@/lib/flags";
import { findFlagRow, findUserForReplay, flagHistory, isStale, listSegments, recentInstances } from "@/lib/flags/queries";
import { replayEvaluation } from "@/lib/flags/replay";
import { saveFlag } from "../actions";

export const metadata = { title: "Flag" };

const params = z.object({ key: z.string().max(100) });
const search = z.object({
  env: z.enum(ENVIRONMENTS).optional(),
  replayEmail: z.string().trim().toLowerCase().max(320).optional(),
  replayAt: z.string().trim().max(40).optional(),
});

export default async function FlagPage(props: { params: Promise<{ key: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const staff = await userWithPermission("admin:read");
  if (!staff) return <AccessDenied />;
  const { key } = params.parse(await props.params);
  const query = search.safeParse(await props.searchParams).data ?? {};
  const environment = query.env ?? currentEnvironment();
  const db = await getDb();
  const [row, history, segments, propagation] = await Promise.all([findFlagRow(db, key), flagHistory(db, key), listSegments(db), recentInstances(db)]);
  if (!row && !isKillSwitch(key)) {
    return (
      <div>
        <PageHeading>Unknown flag</PageHeading>
        <p>
          There is no flag called <span className="font-mono">{key}</span>. <Link href="/admin/flags" className="text-sky-800 underline">Back to flags</Link>
        </p>
      </div>
    );
  }
  const replay = query.replayEmail && query.replayAt ? await replayFor(key, query.replayEmail, query.replayAt, environment) : null;
  const canChange = hasPermission(staff.role, "admin:write") && row !== null && !isKillSwitch(key);
  const state = row?.environments[environment];
  return (
    <div className="flex flex-col gap-6">
      <PageHeading description={row?.description}>
        <span className="font-mono">{key}</span>
        {row && isStale(row.reviewBy) ? <span className="ml-3 rounded bg-amber-100 px-2 text-sm text-amber-900">Stale: review was due {row.reviewBy!.toISOString().slice(0, 10)}</span> : null}
      </PageHeading>
      {row && !isKillSwitch(key) ? (
        <Card title={`Edit (${environment})`}>
          <nav aria-label="Environment" className="mb-4 flex gap-3 text-sm">
            {ENVIRONMENTS.map((e) => (
              <Link key={e} href={`/admin/flags/${key}?env=${e}`} aria-current={e === environment ? "page" : undefined} className={e === environment ? "font-semibold" : "text-sky-800 underline"}>
                {e}
              </Link>
            ))}
          </nav>
          {canChange ? (
            <FlagEditor
              key={environment}
              action={saveFlag}
              segments={segments.map((s) => s.key)}
              values={{
                key,
                revision: row.revision,
                description: row.description,
                kind: row.kind,
                owner: row.owner,
                valueType: row.valueType,
                variants: JSON.stringify(row.variants),
                defaultValue: JSON.stringify(row.defaultValue),
                offValue: JSON.stringify(row.offValue),
                prerequisites: row.prerequisites.join(", "),
                seed: row.seed,
                reviewBy: row.reviewBy?.toISOString().slice(0, 10) ?? "",
                environment,
                enabled: state?.enabled ?? true,
                rollout: state?.rollout ?? 0,
                targets: JSON.stringify(state?.targets ?? [], null, 2),
                rules: JSON.stringify(state?.rules ?? [], null, 2),
              }}
            />
          ) : (
            <pre className="overflow-x-auto text-xs">{JSON.stringify({ kind: row.kind, valueType: row.valueType, defaultValue: row.defaultValue, variants: row.variants, state }, null, 2)}</pre>
          )}
        </Card>
      ) : (
        <Card>
          <p className="text-sm">Kill switches are declared in code; turn them on or off from the <Link href="/admin/flags" className="text-sky-800 underline">kill switch panel</Link>.</p>
        </Card>
      )}
      <Card title="What did a user get?">
        <form method="get" className="flex flex-wrap items-end gap-3 text-sm">
          <input type="hidden" name="env" value={environment} />
          <label className="flex flex-col">
            User email
            <input name="replayEmail" type="email" required defaultValue={query.replayEmail} className="rounded-md border border-slate-300 px-2 py-1" />
          </label>
          <label className="flex flex-col">
            At (UTC, e.g. 2026-11-23T04:00:00Z)
            <input name="replayAt" required defaultValue={query.replayAt} className="rounded-md border border-slate-300 px-2 py-1" />
          </label>
          <button type="submit" className="rounded-md bg-white px-3 py-1.5 ring-1 ring-slate-300 hover:bg-slate-100">
            Replay evaluation
          </button>
        </form>
        {replay ? (
          <div role="status" className="mt-3 text-sm">
            {"error" in replay ? (
              <p className="text-red-700">{replay.error}</p>
            ) : replay.evaluation ? (
              <p>
                Got <code>{JSON.stringify(replay.evaluation.value)}</code> because <strong>{replay.evaluation.reason}</strong>
                {replay.evaluation.detail ? ` (${replay.evaluation.detail})` : ""}
                {replay.basedOn ? `, from the change recorded at ${replay.basedOn.occurredAt.toISOString()}` : ", from the declared default"}.
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
        ) : null}
      </Card>
      <Card title="Propagation">
        <p className="mb-2 text-sm">Current config version: {propagation.current}. Instances that loaded flags in the last 15 minutes:</p>
        <table className="w-full text-left text-sm">
          <thead className="text-slate-500">
            <tr>
              <th className="py-1">Instance</th>
              <th>Version served</th>
              <th>Loaded at</th>
            </tr>
          </thead>
          <tbody>
            {propagation.instances.map((i) => (
              <tr key={i.instanceId}>
                <td className="py-1 font-mono text-xs">{i.instanceId}</td>
                <td>{i.version === propagation.current ? `${i.version} (current)` : `${i.version} (behind)`}</td>
                <td className="text-xs">{i.seenAt.toISOString()}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Card>
      <Card title="Change history">
        {history.length === 0 ? (
          <p className="text-slate-600">No changes recorded.</p>
        ) : (
          <ol className="divide-y divide-slate-100 text-sm">
            {history.map((h) => (
              <li key={h.id} className="py-2">
                <p>
                  <span className="text-slate-500">{h.occurredAt.toISOString().replace("T", " ").slice(0, 19)} UTC</span> · {h.actorType}:{h.actorId} · {h.action}
                  {h.outcome !== "success" ? ` (${h.outcome})` : ""}
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

async function replayFor(key: string, email: string, at: string, environment: (typeof ENVIRONMENTS)[number]) {
  const time = Date.parse(at);
  if (Number.isNaN(time)) return { error: "Enter the moment as an ISO time, e.g. 2026-11-23T04:00:00Z." };
  const db = await getDb();
  const user = await findUserForReplay(db, email);
  if (!user) return { error: "No user with that email." };
  return replayEvaluation(db, { key, at: new Date(time), environment, context: { id: user.id, email: user.email, role: user.role, plan: user.plan, signupDate: user.createdAt.toISOString() } });
}
