import Link from "next/link";
import { Card, PageHeading } from "@/components/ui/card";
import { accountSettings } from "@/lib/accounts/queries";
import { loadPage } from "@/lib/web";
import { ExportForm } from "./export-form";

export const metadata = { title: "Your data" };
export const dynamic = "force-dynamic";

export default async function AccountDataPage() {
  // Signed-in accounts only (a support session may look, but the export itself is refused).
  await loadPage(accountSettings);
  return (
    <div className="flex flex-col gap-6">
      <Link href="/account" className="text-sm text-sky-800 hover:underline">
        ← Account
      </Link>
      <PageHeading description="Take a copy of everything we hold about you.">Your data</PageHeading>
      <Card title="Export my data">
        <p className="mb-4 text-sm text-slate-600">
          The export holds your profile, projects (including the trash) and tasks, subscription and invoices, notifications, audit events about you,
          problem reports and active sessions. The ZIP adds a README and a manifest with a checksum for every file. Up to 3 exports an hour; a mistyped password does not use one up. See{" "}
          <Link href="/legal/data-retention" className="text-sky-800 underline">
            how long we keep what
          </Link>
          .
        </p>
        <ExportForm />
      </Card>
    </div>
  );
}
