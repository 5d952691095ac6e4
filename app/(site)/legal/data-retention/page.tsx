import { PageHeading } from "@/components/ui/card";
import { RETENTION_POLICIES, deletionGraceDays, describeRetention } from "@/lib/accounts/policy";

export const metadata = { title: "Data retention" };

const ACTION_WORDS = { delete: "Deleted", pseudonymise: "Kept without your identity", keep: "Kept" } as const;

// Rendered straight from RETENTION_POLICIES: the purge and retention jobs read the same declaration.
export default function DataRetentionPage() {
  return (
    <div className="mx-auto flex max-w-3xl flex-col gap-6 py-8">
      <PageHeading description="What we keep, for how long, and what happens to it when you delete your account.">Data retention</PageHeading>
      <p className="text-sm text-slate-700">
        Deleting your account locks it at once; after a {deletionGraceDays()}-day grace period, during which you can cancel by signing in, it is purged
        as below. Deactivating only pauses your account and deletes nothing. An account under a legal hold is not purged until the hold is lifted.
      </p>
      <table className="w-full text-left text-sm">
        <thead className="text-slate-500">
          <tr>
            <th className="py-2">Data</th>
            <th>How long</th>
            <th>Then</th>
            <th>Why</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {RETENTION_POLICIES.map((p) => (
            <tr key={p.category}>
              <td className="py-2">{p.description}</td>
              <td>{describeRetention(p)}</td>
              <td>{ACTION_WORDS[p.action]}</td>
              <td>{p.why}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
