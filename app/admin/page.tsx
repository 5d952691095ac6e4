import type { Metadata } from "next";
import Link from "next/link";
import { cache } from "react";
import { IncidentGlancePanel } from "@/components/admin/incident-glance";
import { MaintenanceControl } from "@/components/admin/maintenance-control";
import { Card, PageHeading } from "@/components/ui/card";
import { adminOverview } from "@/lib/admin/queries";
import { loadPage } from "@/lib/web";
import { ADMIN_SECTIONS, OVERVIEW_HREF } from "./sections";
import { setMaintenance } from "./actions";

// One read per request, shared by the title and the page; a refused viewer gets the 403 page's own title.
const loadOverview = cache(() => loadPage(adminOverview, { sections: ADMIN_SECTIONS }));

export async function generateMetadata(): Promise<Metadata> {
  try {
    await loadOverview();
  } catch (error) {
    // forbidden() ends the page with the 403 page; its title should say so too.
    if ((error as { digest?: unknown })?.digest === "NEXT_HTTP_ERROR_FALLBACK;403") return { title: "Access denied" };
    throw error;
  }
  return { title: "Admin" };
}

export default async function AdminPage() {
  const overview = await loadOverview();
  return (
    <div className="flex flex-col gap-6">
      <PageHeading description="Support and operations.">Admin</PageHeading>
      <p role={overview.paging.nobodyPaged ? "alert" : undefined} className={`rounded-md px-3 py-2 text-sm ${overview.paging.nobodyPaged ? "bg-amber-50 text-amber-900" : "bg-emerald-50 text-emerald-900"}`}>
        {overview.paging.sentence}{" "}
        <Link href="/admin/alerts" className="underline">
          Alerts
        </Link>
      </p>
      <MaintenanceControl action={setMaintenance} />
      <IncidentGlancePanel glance={overview.glance} />
      <div className="grid gap-4 sm:grid-cols-3">
        <Card title="Users">{overview.users}</Card>
        <Card title="Live projects">{overview.liveProjects}</Card>
        <Card title="Problem reports">{overview.problemReports}</Card>
      </div>
      <ul className="grid gap-3 sm:grid-cols-2">
        {overview.sections
          .filter((s) => s.href !== OVERVIEW_HREF)
          .map((s) => (
            <li key={s.href} className="rounded-lg border border-slate-200 bg-white p-4">
              <Link href={s.href} className="font-medium text-sky-800 hover:underline">
                {s.label}
              </Link>
              <p className="text-sm text-slate-600">{s.description}</p>
            </li>
          ))}
      </ul>
    </div>
  );
}
