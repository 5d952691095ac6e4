"use client";

import { FormMessage } from "@/components/form-message";
import { Button } from "@/components/ui/button";
import { useGuardedForm } from "@/components/use-guarded-form";
import type { Plan } from "@/db/schema";
import { cancelSubscription, changePlan } from "./actions";

const LABELS: Record<Plan, string> = { free: "Free", pro: "Pro", team: "Team" };

export function PlanControls({ current, canCancel }: { current: Plan; canCancel: boolean }) {
  const change = useGuardedForm(changePlan);
  const cancel = useGuardedForm(cancelSubscription);
  const changed = change.result?.ok ? `Plan changed to ${LABELS[change.result.data.plan]}.` : undefined;
  return (
    <div className="flex flex-col gap-3">
      <form onSubmit={change.onSubmit} className="flex flex-wrap gap-2">
        {(Object.keys(LABELS) as Plan[])
          .filter((plan) => plan !== current)
          .map((plan) => (
            <Button key={plan} type="submit" name="plan" value={plan} disabled={change.pending} onClick={(e) => setSubmitter(e.currentTarget)}>
              Switch to {LABELS[plan]}
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

/**
 * FormData built from a form element alone doesn't include the clicked
 * button; mirror it into a hidden input so the chosen plan is submitted.
 */
function setSubmitter(button: HTMLButtonElement) {
  const form = button.form;
  if (!form) return;
  let hidden = form.querySelector<HTMLInputElement>('input[type=hidden][name="plan"]');
  if (!hidden) {
    hidden = document.createElement("input");
    hidden.type = "hidden";
    hidden.name = "plan";
    form.append(hidden);
  }
  hidden.value = button.value;
}
