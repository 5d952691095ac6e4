import { redirect } from "next/navigation";
import { Card, PageHeading } from "@/components/ui/card";
import { formatDate } from "@/components/ui/date";
import { comebackOffer } from "@/lib/accounts/queries";
import { loadPage } from "@/lib/web";
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
  const offer = await loadPage(comebackOffer);
  if (offer.state === "active") redirect("/projects");
  if (offer.state === "reactivate") {
    return (
      <div className="mx-auto flex max-w-lg flex-col gap-6 py-8">
        <PageHeading description={offer.email}>Your account is deactivated</PageHeading>
        <Card>
          <p className="mb-4 text-sm text-slate-600">Billing and notifications are paused and your data is kept. Reactivate to pick up where you left off.</p>
          <ComebackForm kind="reactivate" token={offer.token} />
        </Card>
      </div>
    );
  }
  return (
    <div className="mx-auto flex max-w-lg flex-col gap-6 py-8">
      <PageHeading description={offer.email}>Your account is scheduled for deletion</PageHeading>
      <Card>
        <p className="mb-4 text-sm text-slate-600">
          It is locked and will be deleted permanently{offer.purgeAfter ? ` on ${formatDate(offer.purgeAfter, "day")}` : ""}. Cancel the deletion to keep your account and everything in it.
        </p>
        <ComebackForm kind="cancel_deletion" token={offer.token} />
      </Card>
    </div>
  );
}
