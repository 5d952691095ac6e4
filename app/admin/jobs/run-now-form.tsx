"use client";

import { useRouter } from "next/navigation";
import { FormMessage } from "@/components/form-message";
import { Button } from "@/components/ui/button";
import { useGuardedForm } from "@/components/use-guarded-form";
import { runJobNow } from "./actions";

export function RunNowForm({ job }: { job: string }) {
  const router = useRouter();
  const { result, pending, onSubmit } = useGuardedForm(runJobNow, { extra: { job }, onSuccess: () => router.refresh() });
  return (
    <form onSubmit={onSubmit} className="flex items-center gap-2">
      <Button type="submit" variant="secondary" disabled={pending} aria-label={`Run ${job} now`}>
        {pending ? "Running…" : "Run now"}
      </Button>
      <FormMessage result={result} success={result?.ok ? `Run ${result.data.status}.` : undefined} />
    </form>
  );
}
