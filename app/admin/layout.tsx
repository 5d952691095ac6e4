import Link from "next/link";
import type { ReactNode } from "react";
import { getSessionUser, hasPermission } from "@/lib/auth";

const sections = [
  { href: "/admin", label: "Overview" },
  { href: "/admin/users", label: "Users" },
  { href: "/admin/audit", label: "Audit log" },
  { href: "/admin/flags", label: "Flags" },
  { href: "/admin/outbox", label: "Outbox" },
  { href: "/admin/breakers", label: "Breakers" },
  { href: "/admin/jobs", label: "Jobs" },
  { href: "/admin/reports", label: "Reports" },
  { href: "/admin/incidents", label: "Incidents" },
  { href: "/admin/slo", label: "SLOs" },
  { href: "/admin/readiness", label: "Readiness" },
  { href: "/admin/runbooks", label: "Runbooks" },
];

// Navigation only: every admin page and action checks permissions itself.
export default async function AdminLayout({ children }: { children: ReactNode }) {
  const user = await getSessionUser();
  const staff = user && hasPermission(user.role, "admin:read");
  return (
    <div className="flex flex-col gap-6">
      {staff ? (
        <nav aria-label="Admin" className="flex flex-wrap gap-4 border-b border-slate-200 pb-3 text-sm">
          {sections.map((s) => (
            <Link key={s.href} href={s.href} className="text-slate-700 hover:text-sky-800">
              {s.label}
            </Link>
          ))}
        </nav>
      ) : null}
      {children}
    </div>
  );
}
