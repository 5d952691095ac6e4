"use client";

import { useRouter } from "next/navigation";
import type { MouseEvent } from "react";
import { FormMessage } from "@/components/form-message";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { useGuardedForm } from "@/components/use-guarded-form";
import { forceBreaker, setProviderFaults } from "./actions";

export function ForceBreakerForm({ name }: { name: string }) {
  const router = useRouter();
  const { result, pending, onSubmit, fieldError } = useGuardedForm(forceBreaker, { extra: { name }, onSuccess: () => router.refresh() });
  return (
    <form onSubmit={onSubmit} className="mt-3 flex flex-col gap-2" aria-label={`Override the ${name} breaker`}>
      <Field label={`Reason for changing ${name}`} name="reason" required minLength={3} error={fieldError("reason")} />
      <div className="flex flex-wrap gap-2">
        <Button type="submit" data-mode="open" aria-label={`Force ${name} open`} variant="danger" disabled={pending} onClick={setMode}>
          Force open (isolate)
        </Button>
        <Button type="submit" data-mode="closed" aria-label={`Force ${name} closed`} variant="secondary" disabled={pending} onClick={setMode}>
          Force closed
        </Button>
        <Button type="submit" data-mode="reset" aria-label={`Reset ${name} to automatic`} variant="secondary" disabled={pending} onClick={setMode}>
          Reset to automatic
        </Button>
      </div>
      <input type="hidden" name="mode" defaultValue="" />
      <FormMessage result={result} success="Breaker updated." />
    </form>
  );
}

// The form is read with `new FormData(form)`, which leaves out the pressed button: record the choice in a hidden field.
function setMode(event: MouseEvent<HTMLButtonElement>) {
  const hidden = event.currentTarget.form?.querySelector<HTMLInputElement>('input[name="mode"]');
  if (hidden) hidden.value = event.currentTarget.dataset.mode ?? "";
}

export function FaultsForm({ provider, failPercent, timeoutPercent, latencyMs }: { provider: string; failPercent: number; timeoutPercent: number; latencyMs: number }) {
  const router = useRouter();
  const { result, pending, onSubmit, fieldError } = useGuardedForm(setProviderFaults, { extra: { provider }, onSuccess: () => router.refresh() });
  return (
    <form onSubmit={onSubmit} className="flex flex-wrap items-end gap-3" aria-label={`Faults for ${provider}`}>
      <Field label={`${provider}: fail %`} name="failPercent" type="number" min={0} max={100} defaultValue={failPercent} error={fieldError("failPercent")} />
      <Field label={`${provider}: timeout %`} name="timeoutPercent" type="number" min={0} max={100} defaultValue={timeoutPercent} error={fieldError("timeoutPercent")} />
      <Field label={`${provider}: latency ms`} name="latencyMs" type="number" min={0} defaultValue={latencyMs} error={fieldError("latencyMs")} />
      <Button type="submit" variant="secondary" disabled={pending}>
        Save {provider} faults
      </Button>
      <FormMessage result={result} success="Faults saved." />
    </form>
  );
}
