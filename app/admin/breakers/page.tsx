import { RunbookLink } from "@/components/runbooks/runbook-link";
import { AccessDenied, Card, PageHeading } from "@/components/ui/card";
import { getDb } from "@/db/client";
import { providerFaults } from "@/db/schema";
import { hasPermission, userWithPermission } from "@/lib/auth";
import { breakerOverview } from "@/lib/breakers";
import { env } from "@/lib/env";
import { fakeCallCount } from "@/lib/providers";
import { limiterUnavailableTotals } from "@/lib/ratelimit";
import { loadRunbooks, runbookFor } from "@/lib/runbooks";
import { FaultsForm, ForceBreakerForm } from "./forms";

export const metadata = { title: "Breakers" };
export const dynamic = "force-dynamic";

const STATE_LABEL = { closed: "Closed (calls flow)", open: "Open (failing fast)", half_open: "Half-open (one probe)" } as const;

export default async function BreakersPage() {
  const user = await userWithPermission("admin:read");
  if (!user) return <AccessDenied />;
  const canWrite = hasPermission(user.role, "admin:write");
  const [breakers, limiter, runbooks] = await Promise.all([breakerOverview(), limiterUnavailableTotals(), loadRunbooks()]);
  const devPanel = env.appEnv !== "production";
  const db = await getDb();
  const faults = devPanel ? await db.select().from(providerFaults) : [];
  const calls = devPanel ? { payments: await fakeCallCount("payments"), email: await fakeCallCount("email") } : null;

  return (
    <div className="flex flex-col gap-6">
      <PageHeading description="Every outbound dependency sits behind a breaker whose state all server instances share.">Breakers</PageHeading>
      {breakers.map((b) => (
        <Card key={b.name} title={b.name}>
          <RunbookLink runbook={runbookFor(runbooks, "breakers", b.name)} />
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
                  <time dateTime={t.at.toISOString()} className="text-slate-500">
                    {t.at.toISOString()}
                  </time>{" "}
                  {t.fromState} → <strong>{t.toState}</strong>: {t.reason}
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
          Times the limiter store did not answer in time (<code>limiter_unavailable</code>); each policy then allowed or refused as declared.
        </p>
        {limiter.length === 0 ? (
          <p className="mt-2 text-sm">None recorded.</p>
        ) : (
          <ul className="mt-2 text-sm">
            {limiter.map((l) => (
              <li key={l.policy}>
                {l.policy}: {l.count} (last {l.lastAt.toISOString()})
              </li>
            ))}
          </ul>
        )}
      </Card>
      {devPanel && canWrite ? (
        <Card title="Fault injection (development only)">
          <p className="mb-3 text-sm text-slate-600">
            Calls that reached the fake providers: payments <span data-testid="fake-calls-payments">{calls?.payments}</span>, email{" "}
            <span data-testid="fake-calls-email">{calls?.email}</span>.
          </p>
          <div className="flex flex-col gap-4">
            {(["payments", "email"] as const).map((provider) => {
              const f = faults.find((row) => row.provider === provider);
              return <FaultsForm key={provider} provider={provider} failPercent={f?.failPercent ?? 0} timeoutPercent={f?.timeoutPercent ?? 0} latencyMs={f?.latencyMs ?? 0} />;
            })}
          </div>
        </Card>
      ) : null}
    </div>
  );
}
