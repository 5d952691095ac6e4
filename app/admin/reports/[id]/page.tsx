import Link from "next/link";
import { notFound } from "next/navigation";
import type { ReactNode } from "react";
import { AccessDenied, Card, PageHeading } from "@/components/ui/card";
import { userWithPermission } from "@/lib/auth";
import { analyticsSessionUrl, clientContextSchema, sentryEventUrl, type ServerContext } from "@/lib/reports";
import { getReport } from "@/lib/reports/queries";
import { StatusForm } from "../status-form";

export const metadata = { title: "Problem report" };
export const dynamic = "force-dynamic";

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="grid grid-cols-[11rem_1fr] gap-3 py-1.5 text-sm">
      <dt className="text-slate-500">{label}</dt>
      <dd className="break-all">{children}</dd>
    </div>
  );
}

const when = (d: Date | string | null | undefined) => (d ? new Date(d).toISOString().replace("T", " ").slice(0, 19) + " UTC" : "—");

// Everything the reporter typed or their browser sent is untrusted: it is only ever rendered as React text
// (escaped), never as HTML, and URLs from it are shown, not linked.
export default async function AdminReportPage({ params }: { params: Promise<{ id: string }> }) {
  const staff = await userWithPermission("admin:read");
  if (!staff) return <AccessDenied />;
  const report = await getReport((await params).id);
  if (!report) notFound();
  const parsedContext = clientContextSchema.safeParse(report.context);
  const context = parsedContext.success ? parsedContext.data : {};
  const server = report.serverContext as Partial<ServerContext>;
  const sessionUrl = context.analyticsSessionId ? analyticsSessionUrl(context.analyticsSessionId) : null;
  return (
    <div className="flex flex-col gap-4">
      <PageHeading description={`Received ${when(report.createdAt)}`}>
        Report <span className="font-mono">{report.reference}</span>
      </PageHeading>
      <Card title="Triage">
        <StatusForm reportId={report.id} status={report.status} />
        {report.resolvedAt ? <p className="mt-2 text-sm text-slate-600">Resolved {when(report.resolvedAt)}</p> : null}
      </Card>
      <Card title="Description">
        <p data-testid="report-description" className="whitespace-pre-wrap break-words text-sm">
          {report.description}
        </p>
      </Card>
      <Card title="Reporter">
        <dl>
          <Row label="User">
            {report.reporter ? (
              <>
                {report.reporter.email} ({report.reporter.role}, {report.reporter.status}){" "}
                <Link href={`/admin/users/${report.reporter.id}`} className="ml-2 text-sky-800 underline">
                  View user read-only
                </Link>
              </>
            ) : report.userId ? (
              `${report.userId} (account no longer exists)`
            ) : (
              "Not signed in"
            )}
          </Row>
          <Row label="Reply to">{report.contactEmail ?? "—"}</Row>
          <Row label="From staff">
            {report.fromStaff ? `Yes: sent during a read-only support session by ${server.impersonation?.impersonatorId ?? report.impersonatorId ?? "unknown"}` : "No"}
          </Row>
          <Row label="Request id">{report.requestId ?? "—"}</Row>
        </dl>
      </Card>
      <Card title="Errors">
        {report.errorIds.length === 0 ? (
          <p className="text-sm text-slate-600">No error ids were seen in the reporter&apos;s tab.</p>
        ) : (
          <ul className="flex flex-col gap-1 text-sm">
            {report.errorIds.map((id) => {
              const url = sentryEventUrl(id);
              return (
                <li key={id}>
                  <code data-testid="report-error-id">{id}</code>
                  {url ? (
                    <a href={url} target="_blank" rel="noreferrer noopener" className="ml-2 text-sky-800 underline">
                      Open in Sentry
                    </a>
                  ) : null}
                </li>
              );
            })}
          </ul>
        )}
        {context.recentErrors && context.recentErrors.length > 0 ? (
          <>
            <h3 className="mt-3 text-sm font-medium">Recent client errors</h3>
            <ul className="list-disc pl-5 text-sm">
              {context.recentErrors.map((e, i) => (
                <li key={i}>
                  {e.at ? `${e.at}: ` : ""}
                  {e.message}
                </li>
              ))}
            </ul>
          </>
        ) : null}
      </Card>
      <Card title="Browser context (as shown to the reporter)">
        <dl>
          <Row label="Page URL">{context.url ?? "—"}</Row>
          <Row label="Route">{context.route ?? "—"}</Row>
          <Row label="Time">{context.time ? `${context.time} (${context.timezone ?? "unknown timezone"})` : "—"}</Row>
          <Row label="Browser">{context.userAgent ?? "—"}</Row>
          <Row label="Viewport">{context.viewport ?? "—"}</Row>
          <Row label="Language">{context.language ?? "—"}</Row>
          <Row label="App version">{context.appVersion ? `${context.appVersion} (${context.environment ?? "?"})` : "—"}</Row>
          <Row label="Analytics session">
            {context.analyticsSessionId ?? "—"}
            {sessionUrl ? (
              <a href={sessionUrl} target="_blank" rel="noreferrer noopener" className="ml-2 text-sky-800 underline">
                Open the PostHog session
              </a>
            ) : null}
          </Row>
        </dl>
      </Card>
      <Card title="Attached by the server">
        <dl>
          <Row label="Support session">{server.impersonation?.active ? `Active (impersonator ${server.impersonation.impersonatorId}, ${server.impersonation.impersonatorRole})` : "Not active"}</Row>
          <Row label="Feature flags">
            {server.flags && Object.keys(server.flags).length > 0 ? (
              <ul>
                {Object.entries(server.flags).map(([key, value]) => (
                  <li key={key}>
                    <code>{key}</code>: {JSON.stringify(value)}
                  </li>
                ))}
              </ul>
            ) : (
              "—"
            )}
          </Row>
          <Row label="Server user agent">{server.userAgent ?? "—"}</Row>
        </dl>
        <h3 className="mt-3 text-sm font-medium">The reporter&apos;s last account events (support only)</h3>
        {server.recentAudit && server.recentAudit.length > 0 ? (
          <table className="mt-1 w-full text-left text-sm">
            <thead className="text-slate-500">
              <tr>
                <th className="py-1">When</th>
                <th>Action</th>
                <th>Outcome</th>
                <th>Target</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {server.recentAudit.map((e) => (
                <tr key={e.id}>
                  <td className="py-1">{when(e.occurredAt)}</td>
                  <td>{e.action}</td>
                  <td>{e.outcome}</td>
                  <td>{e.targetType ? `${e.targetType} ${e.targetId ?? ""}` : "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <p className="text-sm text-slate-600">None.</p>
        )}
      </Card>
      <p>
        <Link href="/admin/reports" className="text-sm text-sky-800 underline">
          Back to all reports
        </Link>
      </p>
    </div>
  );
}
