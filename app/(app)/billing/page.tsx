import { Card, PageHeading } from "@/components/ui/card";
import { DataTable } from "@/components/ui/data-table";
import { DateTime } from "@/components/ui/date";
import { billingOverview } from "@/lib/billing/queries";
import { loadPage } from "@/lib/web";
import { billingPlanComparison } from "@/flags";
import { CardSetup } from "./card-setup";
import { PlanComparison } from "./plan-comparison";
import { PlanControls } from "./plan-controls";

export const metadata = { title: "Billing" };

export default async function BillingPage() {
  const [billing, compare] = await Promise.all([loadPage(billingOverview), billingPlanComparison()]);
  return (
    <div className="flex flex-col gap-6">
      <PageHeading description="Your plan and invoices.">Billing</PageHeading>
      <Card title="Subscription">
        <p className="mb-1 text-lg">Current plan: {billing.planLabel}</p>
        <p className="mb-4 text-sm text-slate-600">
          {billing.price}{" "}
          {billing.period ? (
            <>
              {billing.period.canceled ? "Cancelled; access until " : "Renews on "}
              <DateTime value={billing.period.ends} precision="day" />.
            </>
          ) : null}
        </p>
        {billing.checkingPaymentSince ? (
          <p role="status" className="mb-4 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900">
            We&apos;re checking with our payment provider whether your payment from <DateTime value={billing.checkingPaymentSince} /> went through. You won&apos;t be
            charged twice, and we&apos;ll email you as soon as we know.
          </p>
        ) : null}
        {billing.credit ? <p className="mb-4 text-sm text-slate-700">Credit: {billing.credit}, taken off your next charge.</p> : null}
        {billing.card ? <CardSetup onFile={billing.card.onFile} /> : null}
        <PlanControls current={billing.current} canCancel={billing.canCancel} />
      </Card>
      {compare ? <PlanComparison current={billing.current} /> : null}
      <Card title="Invoices">
        <DataTable
          label="Invoices"
          rows={billing.invoices}
          rowKey={(invoice) => invoice.id}
          empty="No invoices yet."
          columns={[
            { key: "date", header: "Date", cell: (invoice) => <DateTime value={invoice.createdAt} precision="day" />, className: "whitespace-nowrap" },
            { key: "description", header: "Description", cell: (invoice) => invoice.description },
            { key: "amount", header: "Amount", cell: (invoice) => invoice.amount },
            { key: "status", header: "Status", cell: (invoice) => invoice.status },
          ]}
        />
      </Card>
    </div>
  );
}
