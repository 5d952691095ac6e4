"use client";

import { useRouter } from "next/navigation";
import { FormMessage } from "@/components/form-message";
import { Button } from "@/components/ui/button";
import { useGuardedForm } from "@/components/use-guarded-form";
import { startImpersonation } from "../../users/[id]/actions";

/** One click from a problem report to a read-only view of the reporter's account, the report being the reason. */
export function ViewAsReporter({ userId, reason }: { userId: string; reason: string }) {
  const router = useRouter();
  const { result, pending, onSubmit } = useGuardedForm(startImpersonation, {
    extra: { userId, reason },
    onSuccess: () => {
      router.push("/projects");
      router.refresh();
    },
  });
  return (
    <form onSubmit={onSubmit} className="mt-2 flex flex-wrap items-center gap-2">
      <Button type="submit" variant="secondary" disabled={pending}>
        View as this user
      </Button>
      <span className="text-xs text-slate-500">Read-only; the reason recorded is “{reason}”.</span>
      <FormMessage result={result} />
    </form>
  );
}
