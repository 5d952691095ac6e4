"use client";

import { FormMessage } from "@/components/form-message";
import { Button } from "@/components/ui/button";
import { useGuardedForm } from "@/components/use-guarded-form";
import { PLANS, type Plan } from "@/lib/billing/constants";
import { cancelSubscription, changePlan } from "./actions";

export function PlanControls({ current, canCancel }: { current: Plan; canCancel: boolean }) {
  const change = useGuardedForm(changePlan);
  const cancel = useGuardedForm(cancelSubscription);
  const changed = change.result?.ok ? `Plan changed to ${PLANS[change.result.data.plan].label}.` : undefined;
  return (
    <div className="flex flex-col gap-3">
      <form onSubmit={change.onSubmit} className="flex flex-wrap gap-2">
        {(Object.keys(PLANS) as Plan[])
          .filter((plan) => plan !== current)
          .map((plan) => (
            <Button key={plan} type="submit" name="plan" value={plan} disabled={change.pending}>
              Switch to {PLANS[plan].label}
            </Button>
          ))}
      </form>
      <FormMessage result={change.result} success={changed} />
      {canCancel ? (
        <form onSubmit={cancel.onSubmit}>
          <Button type="submit" variant="secondary" disabled={cancel.pending}>
            Cancel subscription
          </Button>
        </form>
      ) : null}
      <FormMessage result={cancel.result} success="Subscription cancelled. You keep access until the end of the period." />
    </div>
  );
}
