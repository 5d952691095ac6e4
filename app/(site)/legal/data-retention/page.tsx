import { PageHeading } from "@/components/ui/card";
import { DataTable } from "@/components/ui/data-table";
import { dataRetention } from "@/lib/accounts/queries";
import { loadPage } from "@/lib/web";

export const metadata = { title: "Data retention" };

export default async function DataRetentionPage() {
  const { deletionGraceDays, policies } = await loadPage(dataRetention);
  return (
    <div className="mx-auto flex max-w-3xl flex-col gap-6 py-8">
      <PageHeading description="What we keep, for how long, and what happens to it when you delete your account.">Data retention</PageHeading>
      <p className="text-sm text-slate-700">
        Deleting your account locks it at once; after a {deletionGraceDays}-day grace period, during which you can cancel by signing in, it is purged
        as below. Deactivating only pauses your account and deletes nothing. An account under a legal hold is not purged until the hold is lifted.
      </p>
      <DataTable
        label="Data retention"
        rows={policies}
        rowKey={(p) => p.category}
        columns={[
          { key: "data", header: "Data", cell: (p) => p.description },
          { key: "kept", header: "How long", cell: (p) => p.keptFor },
          { key: "then", header: "Then", cell: (p) => p.then },
          { key: "why", header: "Why", cell: (p) => p.why },
        ]}
      />
    </div>
  );
}
