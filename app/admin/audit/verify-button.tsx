"use client";

import { FormMessage } from "@/components/form-message";
import { Button } from "@/components/ui/button";
import { useGuardedForm } from "@/components/use-guarded-form";
import { verifyAuditChain } from "./actions";

export function VerifyButton() {
  const { result, pending, onSubmit } = useGuardedForm(verifyAuditChain);
  return (
    <form onSubmit={onSubmit} className="flex flex-col gap-2">
      <div>
        <Button type="submit" variant="secondary" disabled={pending}>
          Verify chain now
        </Button>
      </div>
      {result?.ok ? (
        <p role="status" className={`rounded-md px-3 py-2 text-sm ${result.data.ok ? "bg-emerald-50 text-emerald-800" : "bg-red-50 text-red-800"}`}>
          {result.data.detail}
        </p>
      ) : (
        <FormMessage result={result} />
      )}
    </form>
  );
}
