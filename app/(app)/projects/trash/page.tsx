import Link from "next/link";
import { Card, PageHeading } from "@/components/ui/card";
import { getDb } from "@/db/client";
import { addDays, trashRetentionDays } from "@/lib/accounts/policy";
import { requireUser } from "@/lib/auth";
import { listTrash } from "@/lib/projects";
import { EmptyTrashButton, PurgeProjectButton, RestoreProjectButton } from "./trash-controls";

export const metadata = { title: "Trash" };
export const dynamic = "force-dynamic";

export default async function TrashPage() {
  const user = await requireUser();
  const trashed = await listTrash(await getDb(), user.id);
  const days = trashRetentionDays();
  return (
    <div className="flex flex-col gap-6">
      <Link href="/projects" className="text-sm text-sky-800 hover:underline">
        ← All projects
      </Link>
      <PageHeading description={`Deleted projects stay here for ${days} days, then are deleted for good.`}>Trash</PageHeading>
      <Card title="Deleted projects">
        {trashed.length === 0 ? (
          <p className="text-slate-600">The trash is empty.</p>
        ) : (
          <>
            <ul className="divide-y divide-slate-100">
              {trashed.map((p) => (
                <li key={p.id} className="flex flex-wrap items-center justify-between gap-2 py-2">
                  <div>
                    <span className="font-medium">{p.name}</span>
                    <span className="block text-xs text-slate-500">
                      Deleted {p.deletedAt!.toISOString().slice(0, 10)}; removed for good on {addDays(p.deletedAt!, days).toISOString().slice(0, 10)}
                    </span>
                  </div>
                  <div className="flex gap-2">
                    <RestoreProjectButton projectId={p.id} name={p.name} />
                    <PurgeProjectButton projectId={p.id} name={p.name} />
                  </div>
                </li>
              ))}
            </ul>
            <div className="mt-4">
              <EmptyTrashButton userId={user.id} count={trashed.length} />
            </div>
          </>
        )}
      </Card>
    </div>
  );
}
