"use client";

import Link from "next/link";
import { FormMessage } from "@/components/form-message";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { useGuardedForm } from "@/components/use-guarded-form";
import { PASSWORD_MIN_LENGTH } from "@/lib/auth/constants";
import { signUp } from "./actions";

// The answer is the same whether or not the address already has an account: the email says which.
export function SignUpForm() {
  const { result, pending, onSubmit, fieldError } = useGuardedForm(signUp);
  if (result?.ok) {
    return (
      <div className="flex flex-col gap-3 text-sm">
        <FormMessage result={result} success="Check your inbox: we've sent you an email to confirm your address." />
        <Link href="/sign-in" className="text-sky-800 underline">
          Sign in
        </Link>
      </div>
    );
  }
  return (
    <form onSubmit={onSubmit} className="flex flex-col gap-4" noValidate>
      <Field label="Name" name="name" autoComplete="name" required error={fieldError("name")} />
      <Field label="Email" name="email" type="email" autoComplete="email" required error={fieldError("email")} />
      <Field label="Password" name="password" type="password" autoComplete="new-password" required minLength={PASSWORD_MIN_LENGTH} error={fieldError("password")} />
      <FormMessage result={result} />
      <Button type="submit" disabled={pending}>
        {pending ? "Creating account…" : "Create account"}
      </Button>
    </form>
  );
}
