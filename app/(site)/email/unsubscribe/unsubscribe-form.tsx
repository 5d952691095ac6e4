"use client";

import { FormMessage } from "@/components/form-message";
import { Button } from "@/components/ui/button";
import { useGuardedForm } from "@/components/use-guarded-form";
import { unsubscribe } from "./actions";

export function UnsubscribeForm({ email, token }: { email: string; token: string }) {
  const { result, pending, onSubmit } = useGuardedForm(unsubscribe, { extra: { email, token } });
  return (
    <form onSubmit={onSubmit} className="flex flex-col gap-4">
      <p className="text-sm text-slate-700">Stop sending optional notices to {email}?</p>
      <FormMessage result={result} success="Done: no more optional notices will be sent to this address." />
      {result?.ok ? null : (
        <Button type="submit" disabled={pending}>
          {pending ? "Saving…" : "Stop optional emails"}
        </Button>
      )}
    </form>
  );
}
