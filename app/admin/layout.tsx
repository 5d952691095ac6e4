import type { ReactNode } from "react";
import { AdminNav } from "@/components/shell/admin-nav";
import { adminNavigation } from "@/lib/admin/queries";
import { loadPage } from "@/lib/web";
import { ADMIN_SECTIONS } from "./sections";

// Navigation only: every admin page reads through its own query, which checks permissions itself.
export default async function AdminLayout({ children }: { children: ReactNode }) {
  const sections = await loadPage(adminNavigation, { sections: ADMIN_SECTIONS });
  if (sections.length === 0) return children;
  return (
    <div className="flex flex-col gap-4 lg:grid lg:grid-cols-[11rem_minmax(0,1fr)] lg:gap-8">
      <AdminNav sections={sections.map(({ href, label }) => ({ href, label }))} />
      <div className="min-w-0">{children}</div>
    </div>
  );
}
