"use client";

import Link from "next/link";
import { FormMessage } from "@/components/form-message";
import { Button } from "@/components/ui/button";
import { useGuardedForm } from "@/components/use-guarded-form";
import { verifyEmail } from "./actions";

export function VerifyEmailForm({ token }: { token: string }) {
  const { result, pending, onSubmit } = useGuardedForm(verifyEmail, { extra: { token } });
  if (result?.ok) {
    return (
      <div className="flex flex-col gap-3 text-sm">
        <FormMessage result={result} success="Thank you: your email address is confirmed." />
        <Link href="/sign-in" className="text-sky-800 underline">
          Continue to Breakwater
        </Link>
      </div>
    );
  }
  return (
    <form onSubmit={onSubmit} className="flex flex-col gap-4">
      <p className="text-sm text-slate-700">Confirm that this email address belongs to your Breakwater account.</p>
      <FormMessage result={result} />
      <Button type="submit" disabled={pending}>
        {pending ? "Confirming…" : "Confirm my email address"}
      </Button>
    </form>
  );
}
