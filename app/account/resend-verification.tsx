"use client";

import { FormMessage } from "@/components/form-message";
import { Button } from "@/components/ui/button";
import { useGuardedForm } from "@/components/use-guarded-form";
import { resendVerification } from "./actions";

export function ResendVerification() {
  const { result, pending, onSubmit } = useGuardedForm(resendVerification);
  return (
    <form onSubmit={onSubmit} className="flex flex-col items-start gap-2">
      <FormMessage result={result} success="Sent: check your inbox for the link." />
      {result?.ok ? null : (
        <Button type="submit" variant="secondary" disabled={pending}>
          {pending ? "Sending…" : "Send the confirmation link again"}
        </Button>
      )}
    </form>
  );
}
