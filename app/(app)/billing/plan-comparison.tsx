import { Card } from "@/components/ui/card";
import { DataTable } from "@/components/ui/data-table";
import { BILLING_PERIOD_DAYS, formatCents, PLANS, type Plan } from "@/lib/billing";

const rows = (Object.keys(PLANS) as Plan[]).map((plan) => ({ plan, ...PLANS[plan] }));

/** The plans side by side (behind the `billing_plan_comparison` release flag). */
export function PlanComparison({ current }: { current: Plan }) {
  return (
    <Card title="Compare plans">
      <DataTable
        label="Plans"
        rows={rows}
        rowKey={(row) => row.plan}
        columns={[
          { key: "plan", header: "Plan", cell: (row) => (row.plan === current ? `${row.label} (your plan)` : row.label) },
          { key: "price", header: `Price per ${BILLING_PERIOD_DAYS} days`, cell: (row) => (row.priceCents > 0 ? formatCents(row.priceCents) : "No charge") },
        ]}
      />
    </Card>
  );
}
