import Link from "next/link";
import { Card, PageHeading } from "@/components/ui/card";
import { DateTime } from "@/components/ui/date";
import { projectTrash } from "@/lib/projects/queries";
import { loadPage } from "@/lib/web";
import { EmptyTrashButton, PurgeProjectButton, RestoreProjectButton } from "./trash-controls";

export const metadata = { title: "Trash" };
export const dynamic = "force-dynamic";

export default async function TrashPage() {
  const trash = await loadPage(projectTrash);
  return (
    <div className="flex flex-col gap-6">
      <Link href="/projects" className="text-sm text-sky-800 hover:underline">
        ← All projects
      </Link>
      <PageHeading description={`Deleted projects stay here for ${trash.days} days, then are deleted for good.`}>Trash</PageHeading>
      <Card title="Deleted projects">
        {trash.projects.length === 0 ? (
          <p className="text-slate-600">The trash is empty.</p>
        ) : (
          <>
            <ul className="divide-y divide-slate-100">
              {trash.projects.map((p) => (
                <li key={p.id} className="flex flex-wrap items-center justify-between gap-2 py-2">
                  <div>
                    <span className="font-medium">{p.name}</span>
                    <span className="block text-xs text-slate-500">
                      Deleted <DateTime value={p.deletedAt} precision="day" />; removed for good on <DateTime value={p.purgeAfter} precision="day" />
                    </span>
                  </div>
                  <div className="flex flex-wrap gap-2">
                    <RestoreProjectButton projectId={p.id} name={p.name} />
                    <PurgeProjectButton projectId={p.id} name={p.name} />
                  </div>
                </li>
              ))}
            </ul>
            <div className="mt-4">
              <EmptyTrashButton userId={trash.ownerId} count={trash.projects.length} />
            </div>
          </>
        )}
      </Card>
    </div>
  );
}
