"use client";

import { FormMessage } from "@/components/form-message";
import { Button } from "@/components/ui/button";
import { useGuardedForm } from "@/components/use-guarded-form";
import { verifyAuditChain } from "./actions";

export function VerifyButton() {
  const { result, pending, onSubmit } = useGuardedForm(verifyAuditChain);
  // A verification that ran is a success even when it finds the chain broken: same status region, red.
  const found = result?.ok ? result.data : null;
  return (
    <form onSubmit={onSubmit} className="flex flex-col gap-2">
      <div>
        <Button type="submit" variant="secondary" disabled={pending}>
          Verify chain now
        </Button>
      </div>
      <FormMessage result={result} success={found?.detail} tone={found && !found.ok ? "danger" : "success"} />
    </form>
  );
}
