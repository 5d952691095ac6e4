import { Card, PageHeading } from "@/components/ui/card";
import { getDb } from "@/db/client";
import { requireUser } from "@/lib/auth";
import { findSubscription, formatCents, listInvoices, PLANS } from "@/lib/billing";
import { PlanControls } from "./plan-controls";

export const metadata = { title: "Billing" };

export default async function BillingPage() {
  const user = await requireUser();
  const db = await getDb();
  const [subscription, invoices] = await Promise.all([findSubscription(db, user.id), listInvoices(db, user.id)]);
  const plan = subscription?.plan ?? "free";
  const canceled = subscription?.status === "canceled";
  return (
    <div className="flex flex-col gap-6">
      <PageHeading description="Your plan and invoices.">Billing</PageHeading>
      <Card title="Subscription">
        <p className="mb-1 text-lg">Current plan: {PLANS[plan].label}</p>
        <p className="mb-4 text-sm text-slate-600">
          {PLANS[plan].priceCents > 0 ? `${formatCents(PLANS[plan].priceCents)} per 30 days. ` : "No charge. "}
          {subscription && PLANS[plan].priceCents > 0
            ? canceled
              ? `Cancelled; access until ${subscription.currentPeriodEnd.toDateString()}.`
              : `Renews on ${subscription.currentPeriodEnd.toDateString()}.`
            : null}
        </p>
        <PlanControls current={canceled ? "free" : plan} canCancel={!canceled && plan !== "free"} />
      </Card>
      <Card title="Invoices">
        {invoices.length === 0 ? (
          <p className="text-slate-600">No invoices yet.</p>
        ) : (
          <table className="w-full text-left text-sm">
            <thead className="text-slate-500">
              <tr>
                <th className="py-2">Date</th>
                <th>Description</th>
                <th>Amount</th>
                <th>Status</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {invoices.map((invoice) => (
                <tr key={invoice.id}>
                  <td className="py-2">{invoice.createdAt.toISOString().slice(0, 10)}</td>
                  <td>{invoice.description}</td>
                  <td>{formatCents(invoice.amountCents, invoice.currency)}</td>
                  <td>{invoice.status}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Card>
    </div>
  );
}
