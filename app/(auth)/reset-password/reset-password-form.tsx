"use client";

import Link from "next/link";
import { FormMessage } from "@/components/form-message";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { useGuardedForm } from "@/components/use-guarded-form";
import { PASSWORD_MIN_LENGTH } from "@/lib/auth/constants";
import { resetPassword } from "./actions";

export function ResetPasswordForm({ token }: { token: string }) {
  const { result, pending, onSubmit, fieldError } = useGuardedForm(resetPassword, { extra: { token } });
  if (result?.ok) {
    return (
      <div className="flex flex-col gap-3 text-sm">
        <FormMessage result={result} success="Your password is changed, and every session of your account was signed out." />
        <Link href="/sign-in" className="text-sky-800 underline">
          Sign in with your new password
        </Link>
      </div>
    );
  }
  return (
    <form onSubmit={onSubmit} className="flex flex-col gap-4" noValidate>
      <Field label="New password" name="password" type="password" autoComplete="new-password" required minLength={PASSWORD_MIN_LENGTH} error={fieldError("password")} />
      <FormMessage result={result} />
      {fieldError("token") ? (
        <Link href="/forgot-password" className="text-sm text-sky-800 underline">
          Ask for a new link
        </Link>
      ) : null}
      <Button type="submit" disabled={pending}>
        {pending ? "Saving…" : "Set new password"}
      </Button>
    </form>
  );
}
