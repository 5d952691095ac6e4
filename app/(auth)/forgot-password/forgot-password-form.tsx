"use client";

import { FormMessage } from "@/components/form-message";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { useGuardedForm } from "@/components/use-guarded-form";
import { requestPasswordReset } from "./actions";

export function ForgotPasswordForm() {
  const { result, pending, onSubmit, fieldError } = useGuardedForm(requestPasswordReset);
  return (
    <form onSubmit={onSubmit} className="flex flex-col gap-4" noValidate>
      <Field label="Email" name="email" type="email" autoComplete="email" required error={fieldError("email")} />
      <FormMessage result={result} success="If an account uses this address, we've emailed it a link to choose a new password. The link works for one hour." />
      <Button type="submit" disabled={pending}>
        {pending ? "Sending…" : "Email me a link"}
      </Button>
    </form>
  );
}
