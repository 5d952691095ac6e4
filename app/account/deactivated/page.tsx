import { redirect } from "next/navigation";
import { Card, PageHeading } from "@/components/ui/card";
import { getDb } from "@/db/client";
import { signComebackToken } from "@/lib/accounts/confirmations";
import { accountLifecycle } from "@/lib/accounts/queries";
import { getInactiveAccount, getSessionUser } from "@/lib/auth/session";
import { ComebackForm } from "./comeback-form";

export const metadata = { title: "Account paused" };
export const dynamic = "force-dynamic";

/**
 * The one page a deactivated or pending-deletion account may see. Signing
 * in during the deletion grace period offers to cancel rather than cancelling
 * on its own: a sign-in alone (perhaps by someone else) shouldn't undo a
 * deletion the owner asked for.
 */
export default async function DeactivatedPage() {
  if (await getSessionUser()) redirect("/projects");
  const account = await getInactiveAccount();
  if (!account) redirect("/sign-in");
  if (account.status === "deactivated") {
    const token = signComebackToken({ userId: account.id, sessionVersion: account.sessionVersion, purpose: "reactivate" });
    return (
      <div className="mx-auto flex max-w-lg flex-col gap-6 py-8">
        <PageHeading description={account.email}>Your account is deactivated</PageHeading>
        <Card>
          <p className="mb-4 text-sm text-slate-600">Billing and notifications are paused and your data is kept. Reactivate to pick up where you left off.</p>
          <ComebackForm kind="reactivate" token={token} />
        </Card>
      </div>
    );
  }
  const lifecycle = await accountLifecycle(await getDb(), account.id);
  const token = signComebackToken({ userId: account.id, sessionVersion: account.sessionVersion, purpose: "cancel_deletion" });
  const day = lifecycle?.pendingDeletion?.purgeAfter.toISOString().slice(0, 10);
  return (
    <div className="mx-auto flex max-w-lg flex-col gap-6 py-8">
      <PageHeading description={account.email}>Your account is scheduled for deletion</PageHeading>
      <Card>
        <p className="mb-4 text-sm text-slate-600">
          It is locked and will be deleted permanently{day ? ` on ${day}` : ""}. Cancel the deletion to keep your account and everything in it.
        </p>
        <ComebackForm kind="cancel_deletion" token={token} />
      </Card>
    </div>
  );
}
