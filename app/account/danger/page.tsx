import Link from "next/link";
import { Card, PageHeading } from "@/components/ui/card";
import { accountSettings } from "@/lib/accounts/queries";
import { loadPage } from "@/lib/web";
import { DeactivateButton, DeleteAccountButton } from "./danger-forms";

export const metadata = { title: "Deactivate or delete" };
export const dynamic = "force-dynamic";

export default async function DangerZonePage() {
  const user = await loadPage(accountSettings);
  const grace = user.deletionGraceDays;
  return (
    <div className="flex flex-col gap-6">
      <Link href="/account" className="text-sm text-sky-800 hover:underline">
        ← Account
      </Link>
      <PageHeading description="Pause your account, or delete it for good.">Deactivate or delete</PageHeading>
      <Card title="Deactivate: pause, reversible">
        <ul className="mb-4 list-disc pl-5 text-sm text-slate-600">
          <li>Billing is paused: no charges and no renewal attempts.</li>
          <li>Notifications stop and every session, on every device, is signed out.</li>
          <li>All your data is kept. Sign in again at any time and choose Reactivate to resume everything.</li>
        </ul>
        <DeactivateButton />
      </Card>
      <Card title="Delete: permanent">
        <ul className="mb-4 list-disc pl-5 text-sm text-slate-600">
          <li>Your account locks at once. After {grace} days it is deleted permanently and cannot be recovered.</li>
          <li>Until then you can cancel by signing in again. We email you a receipt of what is deleted and what we must keep.</li>
          <li>
            Invoices are kept for the legal period without your name (
            <Link href="/legal/data-retention" className="text-sky-800 underline">
              retention policy
            </Link>
            ). Consider{" "}
            <Link href="/account/data" className="text-sky-800 underline">
              exporting your data
            </Link>{" "}
            first.
          </li>
        </ul>
        <DeleteAccountButton userId={user.id} email={user.email} graceDays={grace} />
      </Card>
    </div>
  );
}
