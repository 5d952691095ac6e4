"use client";

import { signOut } from "next-auth/react";
import { FormMessage } from "@/components/form-message";
import { Button } from "@/components/ui/button";
import { useGuardedForm } from "@/components/use-guarded-form";
import { signOutEverywhere } from "./actions";

/** Ends every session of this account (a lost phone, a shared computer), then this browser's too. */
export function SignOutEverywhereForm() {
  const { result, pending, onSubmit } = useGuardedForm(signOutEverywhere, { onSuccess: () => void signOut({ redirectTo: "/sign-in" }) });
  return (
    <form onSubmit={onSubmit} className="flex flex-col gap-2">
      <p className="text-sm text-slate-600">Signs you out on every device and browser, including this one.</p>
      <FormMessage result={result} />
      <div>
        <Button type="submit" variant="secondary" disabled={pending}>
          Sign out everywhere
        </Button>
      </div>
    </form>
  );
}
