import { eq } from "drizzle-orm";
import Link from "next/link";
import { notFound } from "next/navigation";
import { z } from "zod";
import { AdminUserLifecycle } from "./admin-user-lifecycle";
import { AccessDenied, Card, PageHeading } from "@/components/ui/card";
import { getDb } from "@/db/client";
import { users } from "@/db/schema";
import { userWithPermission } from "@/lib/auth";
import { userTimeline } from "@/lib/audit";
import { describeAuditEvent, describeDevice } from "@/lib/audit/describe";
import { IMPERSONATION_MAX_MINUTES, REASON_MAX } from "@/lib/impersonation";
import { ViewAsForm } from "./view-as-form";

export const metadata = { title: "User" };
export const dynamic = "force-dynamic";

export default async function AdminUserPage({ params }: { params: Promise<{ id: string }> }) {
  const staff = await userWithPermission("admin:read");
  if (!staff) return <AccessDenied />;
  const parsed = z.string().uuid().safeParse((await params).id);
  if (!parsed.success) notFound();
  const db = await getDb();
  const [user] = await db
    .select({ id: users.id, email: users.email, name: users.name, role: users.role, status: users.status, createdAt: users.createdAt })
    .from(users)
    .where(eq(users.id, parsed.data));
  if (!user) notFound();
  const timeline = await userTimeline(db, user.id, { limit: 100 });
  const canViewAs = user.id !== staff.id && user.status === "active" && user.role !== "admin" && (user.role !== "support" || staff.role === "admin");
  return (
    <div className="flex flex-col gap-6">
      <PageHeading description={<Link href="/admin/users" className="text-sky-800 underline">All users</Link>}>{user.name}</PageHeading>
      <Card title="Profile">
        <dl className="grid grid-cols-[8rem_1fr] gap-2 text-sm">
          <dt className="text-slate-500">Email</dt>
          <dd>{user.email}</dd>
          <dt className="text-slate-500">Role</dt>
          <dd>{user.role}</dd>
          <dt className="text-slate-500">Status</dt>
          <dd>{user.status}</dd>
          <dt className="text-slate-500">User id</dt>
          <dd className="font-mono text-xs">{user.id}</dd>
          <dt className="text-slate-500">Joined</dt>
          <dd>{user.createdAt.toISOString().slice(0, 10)}</dd>
        </dl>
      </Card>

      {/* lifecycle panel */}
      <AdminUserLifecycle userId={user.id} />

      <Card title="View as user">
        {canViewAs ? (
          <ViewAsForm userId={user.id} email={user.email} maxMinutes={IMPERSONATION_MAX_MINUTES} reasonMax={REASON_MAX} />
        ) : (
          <p className="text-sm text-slate-600">This account can&apos;t be viewed as a user (your own, an admin&apos;s, staff, or not active).</p>
        )}
      </Card>

      <Card title="Timeline">
        {timeline.length === 0 ? (
          <p className="text-sm text-slate-600">No recorded activity.</p>
        ) : (
          <table className="w-full text-left text-sm">
            <thead className="text-slate-500">
              <tr>
                <th className="py-2">When (UTC)</th>
                <th>What</th>
                <th>Actor</th>
                <th>Details</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {timeline.map((e) => (
                <tr key={e.id}>
                  <td className="py-2 whitespace-nowrap">{e.occurredAt.toISOString().replace("T", " ").slice(0, 19)}</td>
                  <td>
                    {describeAuditEvent(e)} <span className="font-mono text-xs text-slate-500">{e.action}</span>
                  </td>
                  <td>
                    {e.actorType}
                    {e.impersonatorId ? <span className="block text-xs text-slate-500">via support {e.impersonatorId.slice(0, 8)}</span> : null}
                  </td>
                  <td className="text-xs text-slate-600">
                    {typeof e.metadata.reason === "string" ? <span className="block">Reason: {e.metadata.reason}</span> : null}
                    {e.ip || e.userAgent ? <span className="block">{describeDevice(e.userAgent)} · {e.ip ?? "unknown ip"}</span> : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Card>
    </div>
  );
}
