import type { Metadata } from "next";
import Link from "next/link";
import { cache } from "react";
import type { ReactNode } from "react";
import { Card, PageHeading } from "@/components/ui/card";
import { DataTable } from "@/components/ui/data-table";
import { DateTime, formatDate } from "@/components/ui/date";
import { describeAuditEvent } from "@/lib/audit";
import { problemReport } from "@/lib/reports/queries";
import { loadPage } from "@/lib/web";
import { StatusForm } from "../status-form";
import { ViewAsReporter } from "./view-as-reporter";

export const dynamic = "force-dynamic";

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="grid gap-1 py-1.5 text-sm sm:grid-cols-[11rem_minmax(0,1fr)] sm:gap-3">
      <dt className="text-slate-500">{label}</dt>
      <dd className="min-w-0 [overflow-wrap:anywhere]">{children}</dd>
    </div>
  );
}

// Everything the reporter typed or their browser sent is untrusted: it is only ever rendered as React text
// (escaped), never as HTML, and URLs from it are shown, not linked.
// One read per request, shared by the title and the page.
const loadReport = cache((id: string) => loadPage(problemReport, { id }));

export async function generateMetadata({ params }: { params: Promise<{ id: string }> }): Promise<Metadata> {
  return { title: `Report ${(await loadReport((await params).id)).reference}` };
}

export default async function AdminReportPage({ params }: { params: Promise<{ id: string }> }) {
  const report = await loadReport((await params).id);
  const { context, server } = report;
  return (
    <div className="flex flex-col gap-4">
      <PageHeading description={`Received ${formatDate(report.createdAt, "second")}`}>
        Report <span className="font-mono">{report.reference}</span>
      </PageHeading>
      <Card title="Triage">
        <StatusForm reportId={report.id} status={report.status} />
        {report.resolvedAt ? (
          <p className="mt-2 text-sm text-slate-600">
            Resolved <DateTime value={report.resolvedAt} precision="second" />
          </p>
        ) : null}
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
                {report.viewAs.allowed ? (
                  <ViewAsReporter userId={report.reporter.id} reason={report.viewAs.reason} />
                ) : (
                  <span className="block text-xs text-slate-500">Can&apos;t view as this user: {report.viewAs.refusal}</span>
                )}
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
        {report.errors.length === 0 ? (
          <p className="text-sm text-slate-600">No error ids were seen in the reporter&apos;s tab.</p>
        ) : (
          <ul className="flex flex-col gap-1 text-sm">
            {report.errors.map((error) => (
              <li key={error.id}>
                <code data-testid="report-error-id">{error.id}</code>
                {error.sentryUrl ? (
                  <a href={error.sentryUrl} target="_blank" rel="noreferrer noopener" className="ml-2 text-sky-800 underline">
                    Open in Sentry
                  </a>
                ) : null}
              </li>
            ))}
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
            {report.analyticsSessionUrl ? (
              <a href={report.analyticsSessionUrl} target="_blank" rel="noreferrer noopener" className="ml-2 text-sky-800 underline">
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
        <DataTable
          label="The reporter's last account events"
          rows={server.recentAudit ?? []}
          rowKey={(e) => e.id}
          empty="None."
          columns={[
            { key: "when", header: "When", className: "whitespace-nowrap", cell: (e) => <DateTime value={e.occurredAt} precision="second" /> },
            { key: "action", header: "What happened", cell: (e) => describeAuditEvent(e) },
            { key: "target", header: "Target", cell: (e) => (e.targetType ? `${e.targetType} ${e.targetId ?? ""}` : "—") },
          ]}
        />
      </Card>
      <p>
        <Link href="/admin/reports" className="text-sm text-sky-800 underline">
          Back to all reports
        </Link>
      </p>
    </div>
  );
}
