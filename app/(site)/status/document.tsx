import { createHash } from "node:crypto";
// The edge build: the one Next lets app code on the server use (the plain entry is refused in server bundles).
import { renderToStaticMarkup } from "react-dom/server.edge";
import { DateTime } from "@/components/ui/date";
import { scriptFreeDocumentPolicy } from "@/lib/security";
import { componentLabel, PARTIAL_OUTAGE_WEIGHT, STATE_LABELS, STATUS_LABELS, type ComponentState, type PublicStatus } from "@/lib/status";

/**
 * The public status page as one self-contained HTML document: no script at
 * all, one inline stylesheet allowed by its hash. Rendered once per status
 * snapshot and shared by every request, so an incident stampede costs a
 * string copy per visitor (or nothing, from a CDN) rather than a React render,
 * and the page still reads when the app's JavaScript, the database or the
 * CDN's copy of the app's assets is what broke.
 */

// Colours follow the app's palette; the dark scheme applies when the visitor's system asks for it.
const STYLESHEET = `
*,*::before,*::after{box-sizing:border-box}
html{color-scheme:light dark;-webkit-text-size-adjust:100%}
body{margin:0;font:16px/1.5 ui-sans-serif,system-ui,sans-serif;background:#fff;color:#0f172a;display:flex;flex-direction:column;min-height:100vh}
a{color:inherit;text-underline-offset:2px}
.skip{position:absolute;left:-999px;top:8px;padding:8px 16px;background:#fff;border:2px solid #0369a1;border-radius:6px}
.skip:focus{left:8px;z-index:1}
.shell{width:100%;max-width:72rem;margin:0 auto;padding:0 16px}
header,footer{border-color:#e2e8f0;border-style:solid;border-width:0 0 1px}
footer{border-width:1px 0 0;margin-top:4rem;font-size:14px;color:#475569}
header .shell{display:flex;align-items:center;justify-content:space-between;gap:16px;padding-top:12px;padding-bottom:12px}
.brand{font-weight:700;text-decoration:none}
footer .shell{display:flex;flex-wrap:wrap;gap:8px 24px;padding-top:16px;padding-bottom:16px}
footer ul{display:flex;flex-wrap:wrap;gap:4px 16px;margin:0;padding:0;list-style:none}
main.shell{flex:1;display:flex;flex-direction:column;gap:2rem;padding-top:2rem;padding-bottom:2rem;outline:none}
h1{font-size:1.5rem;line-height:2rem;margin:0;letter-spacing:-.01em}
h2{font-size:1.125rem;margin:0}
h3{font-size:1rem;margin:0}
p{margin:0}
section{display:flex;flex-direction:column;gap:12px}
.muted{color:#475569;font-size:14px}
.small{font-size:12px;color:#475569}
.headline{border-radius:8px;padding:16px 20px;font-size:1.125rem;font-weight:600}
.notice{border-radius:6px;padding:8px 12px;font-size:14px}
.card{border:1px solid #e2e8f0;border-radius:8px;padding:16px;background:#fff}
.card.planned{border-color:#bae6fd;background:#f0f9ff;font-size:14px}
.row{display:flex;flex-wrap:wrap;align-items:center;justify-content:space-between;gap:8px}
.name{font-weight:500}
.badge{border-radius:4px;padding:2px 8px;font-size:14px;font-weight:500}
ul.components{display:flex;flex-direction:column;gap:16px;margin:0;padding:0;list-style:none}
.days{display:flex;gap:1px;height:32px;margin-top:12px}
.days span{flex:1;border-radius:2px}
.scale{display:flex;justify-content:space-between;gap:8px;margin-top:4px}
ol.updates{display:flex;flex-direction:column;gap:8px;margin:12px 0 0;padding:0 0 0 16px;border-left:2px solid #e2e8f0;list-style:none;font-size:14px}
.body{white-space:pre-line}
.s-operational{background:#d1fae5;color:#064e3b}.d-operational{background:#10b981}
.s-maintenance{background:#e0f2fe;color:#0c4a6e}.d-maintenance{background:#0ea5e9}
.s-paused{background:#e2e8f0;color:#0f172a}.d-paused{background:#64748b}
.s-degraded{background:#fef3c7;color:#78350f}.d-degraded{background:#fbbf24}
.s-partial_outage{background:#ffedd5;color:#7c2d12}.d-partial_outage{background:#f97316}
.s-major_outage{background:#fee2e2;color:#7f1d1d}.d-major_outage{background:#dc2626}
.d-unknown{background:#e2e8f0}
.warn{background:#fffbeb;color:#78350f}.info{background:#f0f9ff;color:#0c4a6e}
@media (prefers-color-scheme:dark){
body{background:#0f172b;color:#e2e8f0}
.skip{background:#0f172b}
header,footer,.card,ol.updates{border-color:#334155}
.card{background:#1e293b}
.card.planned{background:#0c2d48;border-color:#075985}
.muted,.small,footer{color:#cbd5e1}
.d-unknown{background:#475569}
}
@media (prefers-reduced-motion:no-preference){html{scroll-behavior:smooth}}
`;

/** The Content-Security-Policy of the document: nothing runs, only its own stylesheet applies. */
export const STATUS_DOCUMENT_POLICY = scriptFreeDocumentPolicy(createHash("sha256").update(STYLESHEET).digest("base64"));

const pct = (v: number | null) => (v === null ? null : `${(Math.floor(v * 100_000) / 1000).toFixed(3)} %`);
/** "99.980 % uptime", or, before anything was measured, a sentence instead of a number. */
const uptime = (v: number | null) => (v === null ? "Uptime not measured yet" : `${pct(v)} uptime`);
const unknown = (minutes: number) => `${minutes} min unknown (not measured)`;
const labelsOf = (ids: string[]) => ids.map(componentLabel).join(", ");
const stateClass = (state: ComponentState) => `s-${state}`;

function Headline({ status }: { status: PublicStatus }) {
  const text = status.overall === "operational" ? "All systems operational" : status.overall === "major_outage" ? "Major outage" : "Some systems are affected";
  return (
    <div className={`headline ${stateClass(status.overall)}`} role="status">
      {text}
    </div>
  );
}

function Incident({ incident }: { incident: PublicStatus["incidents"][number] }) {
  return (
    <article id={`incident-${incident.id}`} className="card">
      <h3>{incident.title}</h3>
      <p className="muted">
        {STATUS_LABELS[incident.status] ?? incident.status} · affects {labelsOf(incident.components)} · started <DateTime value={incident.createdAt} />
        {incident.resolvedAt ? (
          <>
            {" "}
            · resolved <DateTime value={incident.resolvedAt} />
          </>
        ) : null}
      </p>
      <ol className="updates">
        {incident.updates.map((u, i) => (
          <li key={i}>
            <span className="name">{STATUS_LABELS[u.status] ?? u.status}</span> <DateTime value={u.createdAt} className="muted" />
            <p className="body">{u.body}</p>
          </li>
        ))}
      </ol>
    </article>
  );
}

function Component({ component: c }: { component: PublicStatus["components"][number] }) {
  return (
    <li data-component={c.id} className="card">
      <div className="row">
        <span className="name">{c.label}</span>
        <span className={`badge ${stateClass(c.state)}`} aria-label={`${c.label}: ${STATE_LABELS[c.state]}`}>
          {STATE_LABELS[c.state]}
        </span>
      </div>
      {c.days.length > 0 ? (
        <>
          <div className="days" role="img" aria-label={`${c.label}, last 90 days: ${uptime(c.uptime)}`}>
            {c.days.map((d) => (
              <span
                key={d.day}
                title={`${d.day}: ${d.worst ? `${uptime(d.uptime)}, worst ${STATE_LABELS[d.worst]}` : "not measured"}${d.unknownMinutes ? `, ${unknown(d.unknownMinutes)}` : ""}`}
                className={d.worst ? `d-${d.worst}` : "d-unknown"}
              />
            ))}
          </div>
          <div className="scale small">
            <span>90 days ago</span>
            <span>
              {uptime(c.uptime)}
              {c.unknownMinutes ? ` · ${unknown(c.unknownMinutes)}` : ""}
            </span>
            <span>Today</span>
          </div>
        </>
      ) : null}
    </li>
  );
}

function StatusDocument({ status, version }: { status: PublicStatus; version: string }) {
  const active = status.incidents.filter((i) => i.status !== "resolved");
  const past = status.incidents.filter((i) => i.status === "resolved");
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>Status · Breakwater</title>
        <meta name="description" content="Whether Breakwater is working right now, incidents and scheduled maintenance, and 90 days of uptime per component." />
        <meta name="theme-color" media="(prefers-color-scheme: light)" content="#ffffff" />
        <meta name="theme-color" media="(prefers-color-scheme: dark)" content="#0f172b" />
        <link rel="icon" href="/icon.svg" type="image/svg+xml" />
        <link rel="alternate" type="application/atom+xml" href="/api/status/feed" title="Breakwater incidents" />
        <style dangerouslySetInnerHTML={{ __html: STYLESHEET }} />
      </head>
      <body>
        <a className="skip" href="#main">
          Skip to main content
        </a>
        <header>
          <div className="shell">
            {/* Plain links throughout: this document has no client router to hand them to. */}
            {/* eslint-disable-next-line @next/next/no-html-link-for-pages -- a document rendered outside the app's React tree */}
            <a className="brand" href="/">
              Breakwater
            </a>
            <a href="/sign-in">Sign in</a>
          </div>
        </header>
        <main id="main" tabIndex={-1} className="shell">
          <div>
            <h1>Breakwater status</h1>
            <p className="muted">
              Updated <DateTime value={status.generatedAt} /> · <a href="/api/status/feed">Incident feed (Atom)</a> · <a href="/api/status">JSON</a>
            </p>
          </div>
          <Headline status={status} />
          {status.staleSince ? (
            <p role="alert" className="notice warn">
              We can&apos;t reach our database right now. Incidents and uptime below are the last known state, from <DateTime value={status.staleSince} />.
            </p>
          ) : null}
          {status.readOnlyMaintenance ? (
            <p role="status" data-testid="read-only-maintenance" className="notice info">
              Breakwater is in read-only maintenance since <DateTime value={status.readOnlyMaintenance.since} />: you can sign in and view your data; changes are paused until it ends.
            </p>
          ) : null}

          {active.length > 0 ? (
            <section aria-labelledby="active-incidents">
              <h2 id="active-incidents">Active incidents</h2>
              {active.map((i) => (
                <Incident key={i.id} incident={i} />
              ))}
            </section>
          ) : null}

          {status.maintenance.length > 0 ? (
            <section aria-labelledby="maintenance">
              <h2 id="maintenance">Scheduled maintenance</h2>
              {status.maintenance.map((m) => (
                <article key={m.id} className="card planned">
                  <h3>{m.title}</h3>
                  <p>
                    <DateTime value={m.startsAt} /> – <DateTime value={m.endsAt} /> · affects {labelsOf(m.components)}
                  </p>
                  {m.body ? <p className="body">{m.body}</p> : null}
                </article>
              ))}
            </section>
          ) : null}

          <section aria-labelledby="components">
            <h2 id="components">Components</h2>
            <ul className="components">
              {status.components.map((c) => (
                <Component key={c.id} component={c} />
              ))}
            </ul>
          </section>

          <section aria-labelledby="past-incidents">
            <h2 id="past-incidents">Past incidents</h2>
            {past.length === 0 ? <p className="muted">No incidents in the last 90 days.</p> : past.map((i) => <Incident key={i.id} incident={i} />)}
          </section>
          <p className="muted">
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
          <p className="small">
            Uptime counts a minute of partial outage, degradation or pause as {PARTIAL_OUTAGE_WEIGHT} of a minute down, a major outage as a full minute; scheduled maintenance does
            not count. A minute we did not measure is shown as unknown and never counted as up.
          </p>
        </main>
        <footer>
          <div className="shell">
            <nav aria-label="Footer">
              <ul>
                <li>
                  <a href="/report?from=%2Fstatus">Report a problem</a>
                </li>
                <li>
                  <a href="/legal/data-retention">Data retention</a>
                </li>
              </ul>
            </nav>
            <p>Version {version}</p>
          </div>
        </footer>
      </body>
    </html>
  );
}

/** The whole document for one status. Pure: the route keeps the last one per snapshot. */
export function renderStatusDocument(status: PublicStatus, version: string): string {
  return `<!DOCTYPE html>${renderToStaticMarkup(<StatusDocument status={status} version={version} />)}`;
}
