import { count } from "drizzle-orm";
import Link from "next/link";
import { AccessDenied, Card, PageHeading } from "@/components/ui/card";
import { getDb } from "@/db/client";
import { problemReports, users } from "@/db/schema";
import { userWithPermission } from "@/lib/auth";
import { countLiveProjects } from "@/lib/projects";

export const metadata = { title: "Admin" };

const SECTIONS = [
  { href: "/admin/users", label: "Users", about: "Accounts, roles, read-only view, lifecycle and legal holds" },
  { href: "/admin/reports", label: "Reports", about: "Problem reports from every page" },
  { href: "/admin/flags", label: "Flags", about: "Kill switches, rollouts and segments" },
  { href: "/admin/breakers", label: "Breakers", about: "Provider circuit breakers and rate limiters" },
  { href: "/admin/jobs", label: "Jobs", about: "Cron runs and the dead-man's switch" },
  { href: "/admin/audit", label: "Audit", about: "The hash-chained audit log" },
  { href: "/admin/incidents", label: "Incidents", about: "What /status tells customers" },
  { href: "/admin/slo", label: "SLOs", about: "Error budgets and burn-rate alerts" },
  { href: "/admin/readiness", label: "Readiness", about: "Operational sign-offs" },
  { href: "/admin/runbooks", label: "Runbooks", about: "Procedures with live state and actions" },
  { href: "/admin/outbox", label: "Outbox", about: "Email the development provider sent" },
];

export default async function AdminPage() {
  if (!(await userWithPermission("admin:read"))) return <AccessDenied />;
  const db = await getDb();
  const [[u], live, [r]] = await Promise.all([db.select({ n: count() }).from(users), countLiveProjects(db), db.select({ n: count() }).from(problemReports)]);
  return (
    <div className="flex flex-col gap-6">
      <PageHeading description="Support and operations.">Admin</PageHeading>
      <div className="grid gap-4 sm:grid-cols-3">
        <Card title="Users">{u?.n ?? 0}</Card>
        <Card title="Live projects">{live}</Card>
        <Card title="Problem reports">{r?.n ?? 0}</Card>
      </div>
      <ul className="grid gap-3 sm:grid-cols-2">
        {SECTIONS.map((s) => (
          <li key={s.href} className="rounded-lg border border-slate-200 bg-white p-4">
            <Link href={s.href} className="font-medium text-sky-800 hover:underline">
              {s.label}
            </Link>
            <p className="text-sm text-slate-600">{s.about}</p>
          </li>
        ))}
      </ul>
    </div>
  );
}
