"use client";

import { useRouter } from "next/navigation";
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
        {/* The visible label comes first in each accessible name (WCAG 2.5.3); the breaker's name follows for screen readers. */}
        <Button type="submit" name="mode" value="open" variant="danger" disabled={pending}>
          Force open (isolate)<span className="sr-only"> for {name}</span>
        </Button>
        <Button type="submit" name="mode" value="closed" variant="secondary" disabled={pending}>
          Force closed<span className="sr-only"> for {name}</span>
        </Button>
        <Button type="submit" name="mode" value="reset" variant="secondary" disabled={pending}>
          Reset to automatic<span className="sr-only"> for {name}</span>
        </Button>
      </div>
      <FormMessage result={result} success="Breaker updated." />
    </form>
  );
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
