"use client";

import { FormMessage } from "@/components/form-message";
import { Button } from "@/components/ui/button";
import { useGuardedForm } from "@/components/use-guarded-form";
import { signOffAttestation } from "./actions";

export function SignOffForm({ attestation, title }: { attestation: string; title: string }) {
  const { result, pending, onSubmit, fieldError } = useGuardedForm(signOffAttestation, { extra: { attestation }, onSuccess: (_, form) => form.reset() });
  return (
    <form onSubmit={onSubmit} className="mt-2 flex flex-col gap-2" aria-label={`Sign off ${title}`}>
      <div className="flex flex-wrap items-end gap-2">
        <label className="flex min-w-64 flex-1 flex-col gap-1 text-sm font-medium text-slate-700">
          Note for {title}
          <input name="note" className="rounded-md border border-slate-300 px-3 py-2 text-sm font-normal" aria-invalid={fieldError("note") ? true : undefined} />
        </label>
        <label className="flex min-w-48 flex-col gap-1 text-sm font-medium text-slate-700">
          Evidence link for {title}
          <input name="evidenceUrl" className="rounded-md border border-slate-300 px-3 py-2 text-sm font-normal" placeholder="https://… or /admin/…" />
        </label>
        <Button type="submit" variant="secondary" disabled={pending} aria-label={`Sign off ${title}`}>
          Sign off
        </Button>
      </div>
      {fieldError("note") ? <p className="text-sm text-red-700">{fieldError("note")}</p> : null}
      {fieldError("evidenceUrl") ? <p className="text-sm text-red-700">{fieldError("evidenceUrl")}</p> : null}
      <FormMessage result={result} success="Signed off." />
    </form>
  );
}
