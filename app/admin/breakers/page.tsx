import { RunbookLink } from "@/components/runbooks/runbook-link";
import { Card, PageHeading } from "@/components/ui/card";
import { DateTime } from "@/components/ui/date";
import { breakersOverview } from "@/lib/breakers/queries";
import { loadPage } from "@/lib/web";
import { FaultsForm, ForceBreakerForm } from "./forms";

export const metadata = { title: "Breakers" };
export const dynamic = "force-dynamic";

const STATE_LABEL = { closed: "Closed (calls flow)", open: "Open (failing fast)", half_open: "Half-open (one probe)" } as const;

export default async function BreakersPage() {
  const { breakers, limiter, faultPanel, canWrite } = await loadPage(breakersOverview);

  return (
    <div className="flex flex-col gap-6">
      <PageHeading description="Every outbound dependency sits behind a breaker whose state all server instances share.">Breakers</PageHeading>
      {breakers.map((b) => (
        <Card key={b.name} title={b.name}>
          <RunbookLink runbook={b.runbook} />
          <dl className="grid grid-cols-2 gap-x-6 gap-y-1 text-sm sm:grid-cols-4">
            <dt className="text-slate-500">State</dt>
            <dd data-testid={`breaker-state-${b.name}`}>
              {STATE_LABEL[b.state]}
              {b.forced ? ` · forced ${b.forced}` : ""}
            </dd>
            <dt className="text-slate-500">Cooldown remaining</dt>
            <dd data-testid={`breaker-cooldown-${b.name}`}>{b.cooldownRemainingMs > 0 ? `${Math.ceil(b.cooldownRemainingMs / 1000)} s` : "–"}</dd>
            <dt className="text-slate-500">Failure rate (this instance)</dt>
            <dd>
              {Math.round(b.failureRate * 100)}% of {b.calls} calls
            </dd>
            <dt className="text-slate-500">Shared store</dt>
            <dd>
              {b.store}
              {b.storeDown ? " · unreachable" : ""}
            </dd>
          </dl>
          <h3 className="mt-4 text-sm font-semibold">Last transitions</h3>
          {b.transitions.length === 0 ? (
            <p className="text-sm text-slate-600">No transitions yet.</p>
          ) : (
            <ol className="mt-1 text-sm" aria-label={`${b.name} transitions`}>
              {b.transitions.map((t, i) => (
                <li key={i} className="border-l-2 border-slate-200 py-1 pl-3">
                  <DateTime value={t.at} precision="second" className="text-slate-500" /> {t.fromState} → <strong>{t.toState}</strong>: {t.reason}
                  {t.actorId ? ` (by ${t.actorId})` : ""}
                </li>
              ))}
            </ol>
          )}
          {canWrite ? <ForceBreakerForm name={b.name} /> : null}
        </Card>
      ))}
      <Card title="Rate limiter">
        <p className="text-sm text-slate-600">
          Times the rate limiter&apos;s store did not answer in time; each policy then let the request through or refused it, as it declares.
        </p>
        {limiter.length === 0 ? (
          <p className="mt-2 text-sm">None recorded.</p>
        ) : (
          <ul className="mt-2 text-sm">
            {limiter.map((l) => (
              <li key={l.policy}>
                {l.policy}: {l.count} (last <DateTime value={l.lastAt} precision="second" />)
              </li>
            ))}
          </ul>
        )}
      </Card>
      {faultPanel ? (
        <Card title="Fault injection (development only)">
          <p className="mb-3 text-sm text-slate-600">
            Calls that reached the fake providers:{" "}
            {faultPanel.map((p, i) => (
              <span key={p.provider}>
                {i > 0 ? ", " : ""}
                {p.provider} <span data-testid={`fake-calls-${p.provider}`}>{p.calls}</span>
              </span>
            ))}
            .
          </p>
          <div className="flex flex-col gap-4">
            {faultPanel.map((p) => (
              <FaultsForm key={p.provider} provider={p.provider} {...p.faults} />
            ))}
          </div>
        </Card>
      ) : null}
    </div>
  );
}
