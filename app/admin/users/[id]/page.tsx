import type { Metadata } from "next";
import Link from "next/link";
import { cache } from "react";
import { Card, PageHeading } from "@/components/ui/card";
import { DataTable } from "@/components/ui/data-table";
import { DateTime } from "@/components/ui/date";
import { userDetail } from "@/lib/auth/queries";
import { viewAsEligibility } from "@/lib/impersonation/queries";
import { loadPage } from "@/lib/web";
import { DecideAccessForm, RequestAccessForm } from "./access-controls";
import { AdminUserLifecycle } from "./admin-user-lifecycle";
import { ViewAsForm } from "./view-as-form";

export const dynamic = "force-dynamic";

// One read per request, shared by the title and the page.
const loadUser = cache((id: string) => loadPage(userDetail, { id }));

export async function generateMetadata({ params }: { params: Promise<{ id: string }> }): Promise<Metadata> {
  return { title: `${(await loadUser((await params).id)).account.name} · Users` };
}

export default async function AdminUserPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const { account, access, timeline } = await loadUser(id);
  const viewAs = await loadPage(viewAsEligibility, { userId: account.id });
  return (
    <div className="flex flex-col gap-6">
      <PageHeading description={<Link href="/admin/users" className="text-sky-800 underline">All users</Link>}>{account.name}</PageHeading>
      <Card title="Profile">
        <dl className="grid grid-cols-[8rem_1fr] gap-2 text-sm">
          <dt className="text-slate-500">Email</dt>
          <dd>{account.email}</dd>
          <dt className="text-slate-500">Role</dt>
          <dd>{account.role}</dd>
          <dt className="text-slate-500">Status</dt>
          <dd>{account.status}</dd>
          <dt className="text-slate-500">User id</dt>
          <dd className="font-mono text-xs">{account.id}</dd>
          <dt className="text-slate-500">Joined</dt>
          <dd>
            <DateTime value={account.createdAt} precision="day" />
          </dd>
        </dl>
      </Card>

      <Card title="Access (two admins)">
        <div className="flex flex-col gap-4 text-sm">
          {access.requests.length === 0 ? (
            <p className="text-slate-600">No access changes requested.</p>
          ) : (
            <ul className="divide-y divide-slate-100">
              {access.requests.map((r) => (
                <li key={r.id} className="py-2">
                  <p>
                    <span className="font-medium">{r.label}</span> — {r.status} · asked by {r.requestedBy} <DateTime value={r.createdAt} precision="minute" />
                  </p>
                  <p className="text-xs text-slate-500">
                    Reason: {r.reason}
                    {r.decidedBy ? ` · decided by ${r.decidedBy}: ${r.decisionNote ?? ""}` : ""}
                  </p>
                  {r.canDecide ? <DecideAccessForm requestId={r.id} label={r.label} /> : null}
                </li>
              ))}
            </ul>
          )}
          {access.canRequest ? <RequestAccessForm userId={account.id} kinds={access.kinds} /> : null}
        </div>
      </Card>

      <AdminUserLifecycle userId={account.id} />

      <Card title="View as user">
        {viewAs.allowed ? (
          <ViewAsForm userId={account.id} email={account.email} maxMinutes={viewAs.maxMinutes} reasonMax={viewAs.reasonMax} />
        ) : (
          <p className="text-sm text-slate-600">This account can&apos;t be viewed as a user (your own, an admin&apos;s, staff, or not active).</p>
        )}
      </Card>

      <Card title="Timeline">
        <DataTable
          label="Timeline"
          rows={timeline}
          rowKey={(e) => e.id}
          empty="No recorded activity."
          columns={[
            { key: "when", header: "When", className: "whitespace-nowrap", cell: (e) => <DateTime value={e.occurredAt} precision="second" /> },
            {
              key: "what",
              header: "What",
              cell: (e) => (
                <>
                  {e.sentence}
                </>
              ),
            },
            {
              key: "actor",
              header: "Actor",
              cell: (e) => (
                <>
                  {e.actorType}
                  {e.impersonatorId ? <span className="block text-xs text-slate-500">via support {e.impersonatorId.slice(0, 8)}</span> : null}
                </>
              ),
            },
            {
              key: "details",
              header: "Details",
              className: "text-xs text-slate-600",
              cell: (e) => (
                <>
                  {e.reason ? <span className="block">Reason: {e.reason}</span> : null}
                  {e.device ? <span className="block">{e.device}</span> : null}
                </>
              ),
            },
          ]}
        />
      </Card>
    </div>
  );
}
