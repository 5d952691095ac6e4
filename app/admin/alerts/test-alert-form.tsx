"use client";

import { FormMessage } from "@/components/form-message";
import { Button } from "@/components/ui/button";
import { useGuardedForm } from "@/components/use-guarded-form";
import { sendTestAlert } from "./actions";

export function TestAlertForm() {
  const { result, pending, onSubmit } = useGuardedForm(sendTestAlert);
  return (
    <form onSubmit={onSubmit} className="flex flex-col items-start gap-2">
      <Button type="submit" variant="secondary" disabled={pending}>
        {pending ? "Raising…" : "Send a test alert"}
      </Button>
      <FormMessage result={result} success="Test alert raised: every destination gets it within a minute, and its resolve two minutes later." />
    </form>
  );
}
