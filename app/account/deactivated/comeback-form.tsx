"use client";

import { useRouter } from "next/navigation";
import { FormMessage } from "@/components/form-message";
import { Button } from "@/components/ui/button";
import { useGuardedForm } from "@/components/use-guarded-form";
import { cancelDeletion, reactivateAccount } from "./actions";

export function ComebackForm({ kind, token }: { kind: "reactivate" | "cancel_deletion"; token: string }) {
  const router = useRouter();
  const { result, pending, onSubmit } = useGuardedForm(kind === "reactivate" ? reactivateAccount : cancelDeletion, {
    extra: { token },
    onSuccess: () => router.push("/projects"),
  });
  return (
    <form onSubmit={onSubmit} className="flex flex-col gap-3">
      <FormMessage result={result} />
      <div>
        <Button type="submit" disabled={pending}>
          {kind === "reactivate" ? "Reactivate" : "Cancel deletion"}
        </Button>
      </div>
    </form>
  );
}
