"use client";

import { useRouter } from "next/navigation";
import { FormMessage } from "@/components/form-message";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { useGuardedForm } from "@/components/use-guarded-form";
import { startImpersonation } from "./actions";

export function ViewAsForm({ userId, email, maxMinutes, reasonMax }: { userId: string; email: string; maxMinutes: number; reasonMax: number }) {
  const router = useRouter();
  const { result, pending, onSubmit, fieldError } = useGuardedForm(startImpersonation, {
    extra: { userId },
    onSuccess: () => {
      router.push("/projects");
      router.refresh();
    },
  });
  return (
    <form onSubmit={onSubmit} className="flex flex-col gap-3" aria-label={`View as ${email}`}>
      <p className="text-sm text-slate-600">
        Opens a read-only view of the app as this user for at most {maxMinutes} minutes. The user is emailed and sees it in their activity.
      </p>
      <Field label="Reason (ticket reference)" name="reason" required maxLength={reasonMax} error={fieldError("reason")} placeholder="e.g. TICKET-1234: billing page looks wrong" />
      <div>
        <Button type="submit" disabled={pending}>
          View as user
        </Button>
      </div>
      <FormMessage result={result} />
    </form>
  );
}
