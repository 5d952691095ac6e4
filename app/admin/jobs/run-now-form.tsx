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
      {/* The visible label comes first in the accessible name (WCAG 2.5.3); the job's name follows for screen readers. */}
      <Button type="submit" variant="secondary" disabled={pending}>
        {pending ? "Running…" : "Run now"}
        <span className="sr-only"> for {job}</span>
      </Button>
      <FormMessage result={result} success={result?.ok ? `Run ${result.data.status}.` : undefined} />
    </form>
  );
}
